"""The carry_forward drafter: last year's report (corpus/shili-slj-2023.md) re-bound to the 2024
figures of examples/demo-shuili-2024.yaml, whose prior-year columns are the 2023 report's figures."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from assistant.checking import check_text
from assistant.drafting.carry_forward import carry_forward_report, find_previous, shift_years
from assistant.drafting.draft import Heading, Paragraph, TableRef
from assistant.model.errors import InputError
from assistant.pipeline import compute, generate
from assistant.render.text import document_text

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "examples" / "demo-shuili-2024.yaml"
PREVIOUS = ROOT / "corpus" / "shili-slj-2023.md"
NO_PREVIOUS = ROOT / "examples" / "taojiang-rsj-2024.yaml"


@pytest.fixture(scope="module")
def figures():
    return compute(DEMO)


@pytest.fixture(scope="module")
def draft(figures):
    return carry_forward_report(figures.data, figures.ledger, figures.findings, corpus_dir=ROOT / "corpus")


def body(draft) -> str:
    lines = [p.text for p in draft.preamble]
    for section in draft.sections:
        lines.append(section.title)
        lines += [b.text for b in section.blocks if isinstance(b, (Heading, Paragraph))]
    return "\n".join(lines)


def test_finds_last_years_report_of_the_department(figures):
    assert find_previous(figures.data, ROOT / "corpus") == PREVIOUS


def test_keeps_last_years_structure(draft):
    assert draft.drafter == "carry_forward"
    assert draft.title == "示例县水利局2024年度部门整体支出绩效自评报告"
    assert [s.title for s in draft.sections] == [
        "一、基本情况", "二、部门整体支出情况", "三、\"三公\"经费及一般性支出", "四、项目支出绩效",
        "五、绩效自评得分", "六、存在的问题", "七、改进措施"]
    assert all(s.drafter == "carry_forward" for s in draft.sections)
    overview = draft.sections[0]
    assert [b.text for b in overview.blocks if isinstance(b, Heading)] == ["（一）职能和机构", "（二）人员", "（三）年度绩效目标"]
    # the 三公 table is this year's table, built from the ledger
    sangong = draft.sections[2]
    assert isinstance(sangong.blocks[0], TableRef) and sangong.blocks[0].name == "sangong_comparison"


def test_last_years_figures_become_this_years(draft):
    text = body(draft)
    # 2023 current = 2024 prior (examples/demo-shuili-2024.yaml) → the 2024 value
    assert '"三公"经费合计支出118500元' in text and "124000元" not in text  # sangong total 124000 → 118500
    assert "会议费21400元" in text  # meetings prior 23650 → 21400
    assert "政府采购全年224.10万元" in text  # procurement prior_final 210.40 → 224.10
    assert "公用经费116.35万元" in text  # public funds total 118.60 → 116.35
    assert "项目支出905.60万元" in text  # projects total 860.00 → 905.60
    # counts the checker verifies against this year's facts stay
    assert "6个股室" in text and "3个事业单位" in text


def test_unmatched_figures_are_marked(draft):
    text = body(draft)
    assert "全局干职工〔待核：原文“83人”〕" in text  # 2024 has 81人; no prior twin to prove the meaning
    assert "由上年的〔待核：原文“87.6%”〕提高到91.50%" in text  # 2022's figure; 89.2% became 91.50%
    assert "农村自来水普及率达到〔待核：原文“89%”〕" in text  # a target, not equal to the prior 89.20%
    assert "〔待核：原文“2023年11月”〕开工" in text  # a dated past event
    assert "2024年年初预算" in text and "争取2025年起" in text  # years move on by one


def test_no_stale_figure_survives_unmarked(figures, draft):
    findings = [f for f in check_text(body(draft), figures.ledger) if f.check == "number"]
    assert not [f for f in findings if f.status in ("stale", "mismatch", "unsupported")]
    # none of last year's figures that changed is left outside a mark
    text = body(draft).replace("〔", "\n〔").replace("〕", "〕\n")
    outside = "\n".join(line for line in text.splitlines() if not line.startswith("〔待核"))
    for old in ("83人", "2016.00万元", "23650元", "210.40万元", "92.48分", "2001.85万元"):
        assert old not in outside


def test_shift_years():
    assert shift_years("2023年年初预算，2022年决算，2024年起，2018年以来", 2023) == \
        "2024年年初预算，2023年决算，2025年起，2018年以来"
    assert shift_years("湘办发〔2019〕10号，2023年4月召开", 2023) == "湘办发〔2019〕10号，〔待核：原文“2023年4月”〕召开"


def test_explicit_previous_and_pipeline(tmp_path):
    copy = tmp_path / "去年报告.md"
    copy.write_text(PREVIOUS.read_text(encoding="utf-8").split("---", 2)[2], encoding="utf-8")  # no metadata
    package = generate(DEMO, drafter="carry_forward", previous=copy)
    text = document_text(package.document)
    assert package.draft.drafter == "carry_forward" and "会议费21400元" in text


def test_no_previous_report_is_a_chinese_error():
    figures = compute(NO_PREVIOUS)
    with pytest.raises(InputError, match="未找到上一年度的报告：桃江县人力资源和社会保障局2023年度，请用 --previous 指定"):
        carry_forward_report(figures.data, figures.ledger, figures.findings, corpus_dir=ROOT / "corpus")


def jixiao(*args):
    result = subprocess.run([sys.executable, "-m", "assistant.cli", *map(str, args)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def test_cli_generate_carry_forward(tmp_path):
    output, text = tmp_path / "x.docx", tmp_path / "x.txt"
    result = jixiao("generate", DEMO, "-o", output, "--drafter", "carry_forward", "--text", text)
    assert result.returncode == 1, result.stderr  # 〔待核〕 marks need attention
    assert "起草方式：carry_forward" in result.stdout and output.stat().st_size > 0
    assert "会议费21400元" in text.read_text(encoding="utf-8")
    checked = jixiao("check", DEMO, text)
    assert "疑为旧数 0" in checked.stdout and "无依据 0" in checked.stdout and "不一致 0" in checked.stdout


def test_cli_without_previous_report_exits_2(tmp_path):
    result = jixiao("generate", NO_PREVIOUS, "-o", tmp_path / "x.docx", "--drafter", "carry_forward")
    assert result.returncode == 2
    assert "未找到上一年度的报告：桃江县人力资源和社会保障局2023年度，请用 --previous 指定" in result.stderr
    assert not (tmp_path / "x.docx").exists()
