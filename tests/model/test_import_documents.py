"""jixiao import of real-layout reports: every figure of the recognised tables is in the data file, every
gap is named in Chinese on top of it, and the file loads, so `generate` can start next year from it."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from assistant.model.load import load
from tests.conftest import ROOT

FIXTURES = Path(__file__).parent / "fixtures" / "documents"


def jixiao(*args):
    result = subprocess.run([sys.executable, "-m", "assistant.cli", *map(str, args)], cwd=ROOT, capture_output=True,
                            text=True, timeout=120, check=False)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def gaps_of(text: str) -> list[str]:
    lines = text.split("\n")
    start = lines.index("# 缺少的数据（导入时原报告中没有或为空白，请补填；未作任何推算）：")
    return [line.removeprefix("#   - ") for line in lines[start + 1:] if line.startswith("#   - ")]


def test_a_project_form_is_carried_with_its_gaps_named(tmp_path):
    output = tmp_path / "project.yaml"
    result = jixiao("import", FIXTURES / "chizhou-tangxi-2022-project.txt", "-o", output)
    assert result.returncode == 0, result.stderr
    project = load(output).narrative.projects[0]
    assert (project.name, project.form, project.department) == ("委托业务项目", "项目支出绩效自评表", "池州市贵池区棠溪镇人民政府")
    assert (project.budget, project.weight, project.stated_rate) == (Decimal(0), Decimal(10), Decimal(0))  # as printed
    assert [(s.name, s.initial_budget, s.spending) for s in project.sources][0] == ("本年财政拨款", Decimal(90), Decimal("89.974"))
    assert [i.actual for i in project.indicators] == ["50", "100", "达成预期指标", "90", "达成预期指标", "95%"]
    gaps = gaps_of(output.read_text(encoding="utf-8"))
    assert "附件1基础数据表、附件2绩效自评表：报告中没有，两表各项均未导入" in gaps
    assert any(gap.startswith("项目支出绩效自评表（委托业务项目） 上年结转资金") for gap in gaps)
    assert "缺少的数据（" in result.stdout


def test_the_seed_import_names_its_blank_cells(tmp_path):
    output = tmp_path / "seed.yaml"
    assert jixiao("import", ROOT / "corpus" / "taojiang-rsj-2024.txt", "-o", output).returncode == 0
    gaps = gaps_of(output.read_text(encoding="utf-8"))
    assert "附件1 部门基本支出预算调整：本年预算数空白" in gaps
    assert any(gap.startswith("附件2 绩效指标第5行") and "年度指标值" in gap for gap in gaps)
    assert "原表中的计算栏" in output.read_text(encoding="utf-8")  # 比上年增减 … are named, not dropped


def test_a_table_the_reader_does_not_know_is_named_as_a_gap(tmp_path):
    output = tmp_path / "ordos.yaml"
    result = jixiao("import", FIXTURES / "ordos-2022-sangong.md", "-o", output, "--department", "某旗财政局")
    assert result.returncode == 0, result.stderr
    assert load(output).identity.name == "某旗财政局"
    assert any(gap.startswith("未能识别的表格（第7行，首行“项目 | 2022年预算") for gap in gaps_of(output.read_text(encoding="utf-8")))


def test_without_a_year_the_import_asks_for_one(tmp_path):
    report = FIXTURES / "dybbs-pinyin-notes.txt"
    result = jixiao("import", report, "-o", tmp_path / "x.yaml")
    assert result.returncode == 2 and "请用 --year 指定" in result.stderr
    assert jixiao("import", report, "-o", tmp_path / "x.yaml", "--year", "2021").returncode == 0
    assert load(tmp_path / "x.yaml").identity.year == 2021


@pytest.mark.parametrize("name", ["hengshan-guantang-2023.txt", "hengshan-grain-2020.txt"])
def test_next_year_starts_from_an_imported_real_layout(tmp_path, name):
    output = tmp_path / "next.yaml"
    assert jixiao("import", FIXTURES / name, "-o", output, "--next-year").returncode == 0
    data = load(output)
    if data.narrative.projects:
        project = data.narrative.projects[0]
        assert project.budget is None and project.indicators and project.indicators[0].actual is None
        assert project.indicators[0].target == "100%"
    else:
        assert data.basic_data.public_funds.total.prior_final == Decimal("193.42")
    generated = jixiao("generate", output, "-o", tmp_path / "next.docx")
    assert generated.returncode in (0, 1), generated.stderr
