"""jixiao import and jixiao audit: a finished report read back into data, and checked against itself."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from assistant.model.load import load
from tests.conftest import EXAMPLE, ROOT

SEED = ROOT / "corpus" / "taojiang-rsj-2024.txt"
CLEAN_EXAMPLE = ROOT / "examples" / "demo-caizheng-2023.yaml"  # a complete example without findings
DEMO = ROOT / "examples" / "demo-shuili-2024.yaml"

# The seed's real inconsistencies, in the order the audit lists them (form order).
SEED_FINDINGS = [
    ("D08", "附件1 › 部门基本支出预算调整 › 2024年预算数"),  # blank cell beside filled ones
    ("A02", "附件1 › 财政供养人员情况 › 表头"),  # "2023年实际在职人数" on the 2024 form
    ("R09", "附件2 › 年度资金总额 › 全年预算数"),  # +735.73万元 (75.12%), never explained in the text
    ("R10", "附件2 › 按收入性质分"),  # 954.67 ≠ 年初预算数 979.39
    ("R10", "附件2 › 按支出性质分"),  # 755.67 + 199 = 954.67 ≠ 979.39
    ("D01", "附件2 › 绩效指标第1、2行 › 三级指标"),  # duplicated 三级指标
    ("D02", "附件2 › 绩效指标第1–4行 › 年度指标值"),  # "百分比" as a target
    ("R06", "附件2 › 绩效指标第1–9行 › 分值"),  # blank weights
    ("D01", "附件2 › 绩效指标第3、4行 › 三级指标"),
    ("D03", "附件2 › 绩效指标第5–9行 › 年度指标值"),  # blank targets
    ("R17", "附件2 › 绩效指标第5–9行 › 实际完成值"),  # "收入增长"/"满意度" are not bands, no score
    ("R07", "附件2 › 总分 › 自评得分"),  # 100 that no row score supports
    ("R14", "附件2 › 总分 › 自评得分"),  # 100 impossible with 执行率 98.91% (最高 99.89)
]


def jixiao(*args, cwd=ROOT):
    result = subprocess.run([sys.executable, "-m", "assistant.cli", *map(str, args)], check=False, cwd=cwd,
                            capture_output=True, text=True, timeout=120)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def one_chinese_line(result) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    message = result.stderr.strip()
    assert message.startswith("jixiao：") and message.count("\n") == 0
    return message


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("generated")
    out = {}
    for path in (EXAMPLE, DEMO, CLEAN_EXAMPLE):
        docx, text = folder / f"{path.stem}.docx", folder / f"{path.stem}.txt"
        result = jixiao("generate", path, "-o", docx, "--text", text)
        assert result.returncode in (0, 1), result.stderr
        out[path.stem] = (docx, text)
    return out


# -- import ------------------------------------------------------------------------------------------------

def test_import_the_seed_writes_a_data_file_that_loads(tmp_path):
    output = tmp_path / "导入.yaml"
    result = jixiao("import", SEED, "-o", output)
    assert result.returncode == 0, result.stderr
    assert "已导入" in result.stdout
    text = output.read_text(encoding="utf-8")
    assert text.startswith("# 桃江县人力资源和社会保障局 2024年度")
    assert "由 jixiao import 从“taojiang-rsj-2024.txt”导入" in text and "请逐项核对" in text
    data = load(output)
    original = load(EXAMPLE)
    assert data.basic_data.model_dump(exclude={"notes"}) == original.basic_data.model_dump(exclude={"notes"})
    assert data.self_assessment == original.self_assessment
    # Plain numbers as written: no float artefacts, trailing zeros kept, blanks as null.
    assert "final: 172.40}" in text and "budget: 16," in text and "budget: null" in text
    assert "phone: '8882400'" in text and "filled_on: 2025-04-24" in text
    assert "!!" not in text and "e-" not in text


def test_import_round_trips_a_generated_docx(tmp_path, generated):
    output = tmp_path / "demo.yaml"
    assert jixiao("import", generated[DEMO.stem][0], "-o", output).returncode == 0
    data, original = load(output), load(DEMO)
    assert data.basic_data.model_dump() == original.basic_data.model_dump()
    assert data.self_assessment.funding == original.self_assessment.funding.model_copy(
        update={"stated_rate": Decimal("97.62"), "stated_score": Decimal("9.76")})
    assert [row.weight for row in data.self_assessment.indicators] == [
        row.weight for row in original.self_assessment.indicators]
    assert data.self_assessment.stated_total == Decimal("95.26")
    assert data.narrative.meetings == original.narrative.meetings


def test_import_next_year_rolls_the_figures_forward(tmp_path):
    output = tmp_path / "2025.yaml"
    assert jixiao("import", SEED, "-o", output, "--next-year").returncode == 0
    data = load(output)
    assert data.identity.year == 2025 and data.identity.filled_on is None
    assert data.basic_data.public_funds.total.prior_final == Decimal("172.40")
    assert data.basic_data.public_funds.total.final is None
    assert data.narrative.meetings.prior == Decimal(16730) and data.narrative.meetings.current is None
    assert data.narrative.sangong.total.prior_final == Decimal(60158)
    assert data.self_assessment.indicators[0].name.startswith("建立基金监管机制")
    assert all(row.actual is None and row.score is None for row in data.self_assessment.indicators)
    assert data.self_assessment.funding.executed is None
    assert "已转为 2025 年度的起始数据" in output.read_text(encoding="utf-8")


def test_import_output_must_be_yaml(tmp_path):
    assert "应以 .yaml 结尾" in one_chinese_line(jixiao("import", SEED, "-o", tmp_path / "x.json"))


def test_import_to_a_missing_folder(tmp_path):
    message = one_chinese_line(jixiao("import", SEED, "-o", tmp_path / "无此目录" / "x.yaml"))
    assert "不存在" in message


def test_import_to_an_unwritable_place(tmp_path):
    if os.geteuid() == 0:
        locked = Path("/sys")  # root may write anywhere a mode allows, never into /sys
    else:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
    message = one_chinese_line(jixiao("import", SEED, "-o", locked / "x.yaml"))
    assert "无法写入" in message


def test_a_failed_import_keeps_the_previous_file(tmp_path):
    output = tmp_path / "data.yaml"
    output.write_text("# good\n", encoding="utf-8")
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not a zip")
    one_chinese_line(jixiao("import", broken, "-o", output))
    assert output.read_text(encoding="utf-8") == "# good\n"
    assert {p.name for p in tmp_path.iterdir()} == {"data.yaml", "broken.docx"}  # no temporary left


# -- audit: bad input ---------------------------------------------------------------------------------------

def bad_inputs(folder: Path) -> dict[str, tuple[Path, str]]:
    corrupt = folder / "损坏.docx"
    corrupt.write_bytes(b"PK\x03\x04 truncated")
    empty = folder / "空.txt"
    empty.write_bytes(b"")
    return {
        "corrupt": (corrupt, "文件已损坏或不是 Word 文档"),
        "empty": (empty, "文件内容为空"),
        "missing": (folder / "没有.txt", "找不到报告文件"),
    }


@pytest.mark.parametrize("case", ["corrupt", "empty", "missing"])
@pytest.mark.parametrize("command", ["audit", "import"])
def test_unusable_reports_exit_2_with_one_chinese_line(tmp_path, case, command):
    path, expected = bad_inputs(tmp_path)[case]
    extra = ("-o", tmp_path / "out.yaml") if command == "import" else ("--json",)
    result = jixiao(command, path, *extra)
    assert expected in one_chinese_line(result)
    assert result.stdout == ""


def text_only_report(folder: Path) -> Path:
    from docx import Document

    path = folder / "无表格.docx"
    document = Document()
    document.add_paragraph("某县某局2024年度部门整体支出绩效自评报告")
    document.add_paragraph("全年支出100.00万元。")
    document.save(path)
    return path


def test_a_report_without_forms_is_audited_on_its_text(tmp_path):
    result = jixiao("audit", text_only_report(tmp_path), "--json")
    assert result.returncode == 0, result.stderr
    audit = json.loads(result.stdout)
    assert audit["mode"] == "text" and audit["summary"]["forms"] == [] and audit["year"] == 2024
    assert [n["status"] for n in audit["numbers"] if n["text"] == "100.00万元"] == ["unchecked"]


def test_audit_reads_a_gbk_export(tmp_path):
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes(SEED.read_text(encoding="utf-8").replace("m²", "m2").encode("gbk"))
    result = jixiao("audit", gbk, "--json")
    assert result.returncode == 1
    assert json.loads(result.stdout)["department"] == "桃江县人力资源和社会保障局"


def test_audit_html_must_end_in_html(tmp_path):
    assert "应以 .html 结尾" in one_chinese_line(jixiao("audit", SEED, "--html", tmp_path / "x.txt"))


# -- audit: the seed ----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def seed_audit():
    result = jixiao("audit", SEED, "--json")
    assert result.returncode == 1, result.stderr
    return json.loads(result.stdout)


def test_the_seed_audit_lists_its_real_inconsistencies(seed_audit):
    assert [(f["rule"], f["location"]) for f in seed_audit["findings"]] == SEED_FINDINGS


def test_the_seed_text_agrees_with_its_tables_where_both_speak(seed_audit):
    verified = {(n["text"], n["fact"]) for n in seed_audit["numbers"] if n["status"] == "verified"}
    assert ("979.39万元", "funding.initial_budget") in verified  # 年初支出计划 = 附件2 年初预算数
    assert ("74人", "staff.active") in verified  # 在职人数 = 附件1
    assert ("-2538元", "meeting_fee.change") in verified  # 比上年-2538元 = 16730 − 19268
    assert ("199万元", "projects.total.final") in verified
    # The far-off figures the checker binds to a table fact for lack of their own are not contradictions.
    unchecked = {n["text"]: n for n in seed_audit["numbers"] if n["status"] == "unchecked"}
    for text in ("275215.09万元", "28338.93万元", "144763.66万元", "180元", "160.98万元"):
        assert text in unchecked, text


def test_the_seed_text_has_no_false_mismatch(seed_audit):
    wrong = [(n["line"], n["text"], n["fact"]) for n in seed_audit["numbers"] if n["status"] in ("mismatch", "stale")]
    assert wrong == []
    # The targets of line 406 are not refuted by 附件2's 实际完成值 (100%): nothing in the tables is their source.
    targets = {n["text"]: n for n in seed_audit["numbers"] if n["line"] == 406}
    assert targets["60%"]["status"] == targets["90%"]["status"] == "unchecked"


def test_numbers_without_a_table_are_listed_not_counted(seed_audit):
    unchecked = [n for n in seed_audit["numbers"] if n["status"] == "unchecked"]
    texts = {n["text"] for n in unchecked}
    assert "303554.02万元" in texts  # 基金总收入: no table has it
    assert all(n["note"].startswith("无表格来源、未核对") for n in unchecked)
    summary = seed_audit["summary"]
    assert summary["unchecked"] == len(unchecked)
    wrong = [n for n in seed_audit["numbers"] if n["status"] in ("mismatch", "stale")]
    assert summary["inconsistencies"] == len(SEED_FINDINGS) + len(wrong)


def test_the_seed_audit_json_contract(seed_audit):
    assert {"department", "year", "findings", "numbers", "summary"} <= set(seed_audit)
    assert seed_audit["year"] == 2024
    number = seed_audit["numbers"][0]
    assert {"start", "end", "text", "status", "value", "unit", "fact", "expected", "message",
            "original_start", "original_end", "line"} <= set(number)
    original = SEED.read_text(encoding="utf-8")
    for number in seed_audit["numbers"]:
        assert original[number["original_start"]:number["original_end"]] == number["text"]


def test_the_terminal_summary_is_readable():
    result = jixiao("audit", SEED)
    assert result.returncode == 1
    assert "审核：桃江县人力资源和社会保障局 2024年度" in result.stdout
    assert "无表格来源、未核对" in result.stdout and "结论：发现1" in result.stdout
    assert "R14 附件2 › 总分 › 自评得分" in result.stdout


def test_the_html_colours_numbers_and_escapes_text(tmp_path):
    page = tmp_path / "审核.html"
    result = jixiao("audit", SEED, "--html", page)
    assert result.returncode == 1
    text = page.read_text(encoding="utf-8")
    assert '<span class="n verified"' in text and '<span class="n unchecked"' in text
    assert "R14" in text and "<script" not in text


# -- audit: our own reports, and errors put into them ---------------------------------------------------------

def test_a_clean_generated_report_audits_clean(generated):
    for report in generated[CLEAN_EXAMPLE.stem]:
        result = jixiao("audit", report, "--json")
        document = json.loads(result.stdout)
        assert document["findings"] == []
        assert [n for n in document["numbers"] if n["status"] in ("mismatch", "stale")] == []
        assert result.returncode == 0


def test_a_wrong_figure_in_the_text_is_an_inconsistency(tmp_path, generated):
    text = generated[DEMO.stem][1].read_text(encoding="utf-8")
    assert "政府采购金额224.10万元" in text
    path = tmp_path / "wrong.txt"
    path.write_text(text.replace("政府采购金额224.10万元", "政府采购金额242.10万元"), encoding="utf-8")
    result = jixiao("audit", path, "--json")
    assert result.returncode == 1
    wrong = [n for n in json.loads(result.stdout)["numbers"] if n["status"] == "mismatch"]
    numbers = [n for n in wrong if n["check"] == "number"]
    assert [(n["text"], n["fact"], n["expected"]) for n in numbers] == [("242.10万元", "procurement.final", "224.10万元")]
    # The text's own arithmetic built on the wrong figure (低于年初预算5.90万元, 增加13.70万元) fails with it.
    span = [numbers[0]["start"], numbers[0]["end"]]
    assert all(span in n["related"] for n in wrong if n["check"] != "number")


def test_a_wrong_computed_cell_in_a_table_is_found(tmp_path, generated):
    text = generated[DEMO.stem][1].read_text(encoding="utf-8")
    row = "三公经费合计\t118500\t130000\t124000\t-5500\t-4.44%"
    assert row in text
    path = tmp_path / "cell.txt"
    path.write_text(text.replace(row, "三公经费合计\t118500\t130000\t124000\t-5000\t-4.44%"), encoding="utf-8")
    document = json.loads(jixiao("audit", path, "--json").stdout)
    a01 = [f for f in document["findings"] if f["rule"] == "A01"]
    assert len(a01) == 1 and "-5500" in a01[0]["message"] and "比上年增减" in a01[0]["location"]


def test_a_form_that_does_not_add_up_is_found(tmp_path, generated):
    text = generated[DEMO.stem][1].read_text(encoding="utf-8")
    row = "其中：基本支出：1286.90"
    assert row in text
    path = tmp_path / "sum.txt"
    path.write_text(text.replace(row, "其中：基本支出：1268.90"), encoding="utf-8")
    document = json.loads(jixiao("audit", path, "--json").stdout)
    assert any(f["rule"] == "R10" and "按支出性质分" in f["location"] for f in document["findings"])


def test_imported_yaml_keys_match_the_example(tmp_path):
    output = tmp_path / "seed.yaml"
    jixiao("import", SEED, "-o", output)
    imported = yaml.safe_load(output.read_text(encoding="utf-8"))
    example = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))

    def keys(mapping, prefix=""):
        found = set()
        for key, value in mapping.items():
            found.add(prefix + key)
            if isinstance(value, dict):
                found |= keys(value, prefix + key + ".")
        return found

    assert keys(example) <= keys(imported)


def test_a_report_without_one_form_says_so_once(tmp_path, generated):
    text = generated[DEMO.stem][1].read_text(encoding="utf-8")
    before, _, rest = text.partition("\n附件1\n")
    _, _, after = rest.partition("\n附件2\n")
    path = tmp_path / "no-annex1.txt"
    path.write_text(before + "\n附件2\n" + after, encoding="utf-8")
    document = json.loads(jixiao("audit", path, "--json").stdout)
    annex1 = [f for f in document["findings"] if f["location"].startswith("附件1")]
    assert [(f["rule"], f["location"]) for f in annex1] == [("A03", "附件1")]
    assert "未找到附件1基础数据表" in annex1[0]["message"]


@pytest.mark.parametrize("example", sorted((ROOT / "examples").glob("*.yaml")), ids=lambda p: p.stem)
def test_no_generated_report_text_contradicts_its_own_tables(tmp_path, example):
    # Every example's generated .docx, audited against itself: its text never disagrees with its
    # tables (a figure of the same size is not taken for a mis-written table figure).
    from assistant.audit import audit_document as audit_report
    from assistant.pipeline import generate
    from assistant.render.docx_writer import write_docx

    report = tmp_path / "report.docx"
    write_docx(generate(example).document, report)
    audit = audit_report(report)
    assert [(n["text"], n["fact"]) for n in audit.numbers if n["status"] in ("mismatch", "stale")] == []
