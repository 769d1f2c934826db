"""jixiao check DATA DRAFT [--json] [--html OUT.html]: the command-line contract of docs/architecture.md (exit 0/1/2)."""

import json
import subprocess
import sys

import pytest

from tests.conftest import EXAMPLE, ROOT

SEED = ROOT / "corpus" / "taojiang-rsj-2024.txt"


def jixiao(*args):
    result = subprocess.run([sys.executable, "-m", "assistant.cli", *map(str, args)], cwd=ROOT, check=False,
                            capture_output=True, text=True, timeout=120)
    assert "Traceback" not in result.stderr, result.stderr
    return result


@pytest.fixture(scope="module")
def draft(tmp_path_factory):
    folder = tmp_path_factory.mktemp("check")
    text = folder / "draft.txt"
    result = jixiao("generate", EXAMPLE, "-o", folder / "draft.docx", "--text", text)
    assert result.returncode in (0, 1)
    return folder


def test_a_clean_draft_exits_0_with_a_summary_per_status(draft):
    result = jixiao("check", EXAMPLE, draft / "draft.txt")
    assert result.returncode == 0, result.stdout
    assert "一致" in result.stdout and "不一致 0" in result.stdout and "无依据 0" in result.stdout


def test_a_generated_docx_exits_0(draft):
    assert jixiao("check", EXAMPLE, draft / "draft.docx").returncode == 0


def test_the_seed_text_exits_0():
    assert jixiao("check", EXAMPLE, SEED).returncode == 0


def test_json_is_one_document_with_the_finding_contract(draft, tmp_path):
    wrong = tmp_path / "wrong.txt"
    wrong.write_text((draft / "draft.txt").read_text(encoding="utf-8").replace("受理工伤案件575件", "受理工伤案件576件"),
                     encoding="utf-8")
    result = jixiao("check", EXAMPLE, wrong, "--json")
    assert result.returncode == 1
    document = json.loads(result.stdout)
    assert document["clean"] is False and document["summary"]["mismatch"] == 1
    (finding,) = [f for f in document["findings"] if f["status"] == "mismatch"]
    assert {"start", "end", "text", "status", "value", "unit", "fact", "expected", "message"} <= set(finding)
    assert (finding["text"], finding["value"], finding["unit"]) == ("576件", "576", "件")
    assert (finding["fact"], finding["expected"]) == ("project.fund_risk.injury_cases", "575件")
    text = wrong.read_text(encoding="utf-8")
    assert text[finding["start"]:finding["end"]] == "576件"


def test_the_terminal_lists_each_finding_with_its_line_and_context(draft, tmp_path):
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("第一段。\n受理工伤案件576件，审核认定488件。\n", encoding="utf-8")
    result = jixiao("check", EXAMPLE, wrong)
    assert result.returncode == 1
    assert "第2行" in result.stdout and "【576件】" in result.stdout and "应为575件" in result.stdout


def test_html_colours_numbers_and_escapes_all_text(draft, tmp_path):
    hostile = tmp_path / "hostile.txt"
    hostile.write_text('<script>alert("x")</script>受理工伤案件575件，审核认定489件。<b>加粗</b>\n', encoding="utf-8")
    page = tmp_path / "out.html"
    result = jixiao("check", EXAMPLE, hostile, "--html", page)
    assert result.returncode == 1
    html = page.read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;" in html and "&lt;b&gt;" in html
    assert 'class="n verified"' in html and 'class="n mismatch"' in html
    assert "受理工伤案件" in html and "台账数据" in html  # evidence on hover
    assert "http" not in html  # self-contained: no CDN, no external file


@pytest.mark.parametrize("content, message", [(b"", "文件内容为空"), (b"PK\x03\x04broken", "无法读取 .docx 文件")])
def test_unusable_drafts_exit_2_with_a_chinese_message(tmp_path, content, message):
    path = tmp_path / ("empty.txt" if not content else "broken.docx")
    path.write_bytes(content)
    result = jixiao("check", EXAMPLE, path)
    assert result.returncode == 2 and message in result.stderr and result.stdout == ""


def test_a_draft_without_numbers_exits_0(tmp_path):
    path = tmp_path / "plain.txt"
    path.write_text("我局严格执行有关规定。", encoding="utf-8")
    result = jixiao("check", EXAMPLE, path)
    assert result.returncode == 0 and "没有找到数字" in result.stdout


def test_unusable_data_exits_2(tmp_path):
    data = tmp_path / "data.yaml"
    data.write_text("identity: [", encoding="utf-8")
    draft = tmp_path / "draft.txt"
    draft.write_text("受理工伤案件575件", encoding="utf-8")
    result = jixiao("check", data, draft)
    assert result.returncode == 2 and result.stderr.startswith("jixiao：")


def test_marks_say_which_numbers_are_no_data_claims_and_why(tmp_path):
    draft = tmp_path / "plan.txt"
    draft.write_text("2024年，我局组织职业技能培训3456人次，群众满意度99.9%。\n", encoding="utf-8")
    assert jixiao("check", EXAMPLE, draft).returncode == 1
    marks = tmp_path / "marks.yaml"
    marks.write_text("- 数字: 3456人次\n  理由: 培训台账数字\n- 数字: 99.9%\n  前文: 群众满意度\n  理由: 第三方调查\n",
                     encoding="utf-8")
    result = jixiao("check", EXAMPLE, draft, "--marks", marks, "--json")
    assert result.returncode == 0, result.stdout
    found = {f["text"]: f for f in json.loads(result.stdout)["findings"]}
    assert found["3456人次"]["status"] == "ignored" and "培训台账数字" in found["3456人次"]["message"]
    assert found["99.9%"]["reason"] == "用户标注：不是数据声明"


def test_a_marks_file_without_a_reason_is_refused_naming_the_item(tmp_path):
    draft = tmp_path / "plan.txt"
    draft.write_text("全年培训3456人次。\n", encoding="utf-8")
    marks = tmp_path / "marks.yaml"
    marks.write_text("- 数字: 3456人次\n", encoding="utf-8")
    result = jixiao("check", EXAMPLE, draft, "--marks", marks)
    assert result.returncode == 2 and "标注文件第1项缺少“数字”或“理由”" in result.stderr
