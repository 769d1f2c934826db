"""The command-line contract (docs/architecture.md): JSON on stdout, Chinese one-line errors, exit 0/1/2."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document

from tests.conftest import EXAMPLE, ROOT

DEMO = ROOT / "examples" / "demo-shuili-2024.yaml"


def jixiao(*args, cwd=ROOT):
    result = subprocess.run([sys.executable, "-m", "assistant.cli", *map(str, args)], cwd=cwd,
                            capture_output=True, text=True, timeout=120)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def test_figures_json_lists_every_fact_with_formula_and_source():
    result = jixiao("figures", EXAMPLE, "--json")
    assert result.returncode == 0
    document = json.loads(result.stdout)
    facts = {fact["key"]: fact for fact in document["facts"]}
    assert document["department"] == "桃江县人力资源和社会保障局"
    assert facts["staff.control_rate"]["display"] == "89.16%"
    assert facts["staff.control_rate"]["formula"] == "实际在职人数 ÷ 编制数 × 100%"
    assert facts["funding.executed"]["source"] == "附件2 › 年度资金总额 › 全年执行数"
    assert facts["funding.execution_rate"]["value"].startswith("98.914")  # unrounded, as a string


def test_validate_json_reports_findings_and_exits_1_for_the_seed():
    result = jixiao("validate", EXAMPLE, "--json")
    assert result.returncode == 1
    document = json.loads(result.stdout)
    assert document["findings"], "the seed form has gaps that must be reported"
    assert {"rule", "severity", "location", "path", "message"} <= set(document["findings"][0])


def test_generate_writes_docx_and_text_and_json_summary(tmp_path):
    output, text = tmp_path / "报告.docx", tmp_path / "报告.txt"
    result = jixiao("generate", EXAMPLE, "-o", output, "--text", text, "--json")
    assert result.returncode in (0, 1)
    summary = json.loads(result.stdout)
    assert summary["drafter"] == "template" and summary["output"] == str(output)
    body = "\n".join(p.text for p in Document(output).paragraphs)
    assert "附件1" in body and "附件2" in body
    assert "89.16%" in text.read_text(encoding="utf-8")


def test_generate_the_complete_example_is_clean_of_placeholders(tmp_path):
    result = jixiao("generate", DEMO, "-o", tmp_path / "demo.docx", "--json")
    summary = json.loads(result.stdout)
    assert summary["placeholders"] == []


@pytest.mark.parametrize(("args", "expected"), [
    (("figures", "不存在.yaml"), "找不到数据文件"),
    (("generate", EXAMPLE, "-o", "out.pdf"), "应以 .docx 结尾"),
    (("generate", EXAMPLE), "命令参数有误"),
    (("validate", ROOT / "README.md"), "不支持的数据文件类型"),
])
def test_unusable_input_exits_2_with_one_chinese_line(args, expected):
    result = jixiao(*args)
    assert result.returncode == 2
    assert expected in result.stderr
    assert result.stderr.strip().count("\n") == 0


def test_zero_full_year_budget_is_refused(tmp_path):
    data = EXAMPLE.read_text(encoding="utf-8").replace("full_year_budget: 1715.12", "full_year_budget: 0")
    path = tmp_path / "zero.yaml"
    path.write_text(data, encoding="utf-8")
    result = jixiao("generate", path, "-o", tmp_path / "x.docx")
    assert result.returncode == 2 and "全年预算数为0" in result.stderr
    assert not (tmp_path / "x.docx").exists()


def test_unwritable_output_directory_is_explained(tmp_path):
    # Root may write anywhere a mode allows, but never create files in /sys.
    if os.geteuid() == 0:
        locked = Path("/sys")
    else:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
    result = jixiao("generate", EXAMPLE, "-o", locked / "x.docx")
    assert result.returncode == 2 and "没有权限" in result.stderr


def test_missing_output_directory_is_explained(tmp_path):
    result = jixiao("generate", EXAMPLE, "-o", tmp_path / "无此目录" / "x.docx")
    assert result.returncode == 2 and "无法写入或读取文件" in result.stderr


def test_a_failed_run_keeps_the_previous_good_file(tmp_path):
    output = tmp_path / "报告.docx"
    assert jixiao("generate", EXAMPLE, "-o", output).returncode in (0, 1)
    good = output.read_bytes()
    broken = tmp_path / "broken.yaml"
    broken.write_text("identity: [", encoding="utf-8")
    assert jixiao("generate", broken, "-o", output).returncode == 2
    assert output.read_bytes() == good


def test_template_xlsx_round_trips_through_generate(tmp_path):
    workbook = tmp_path / "模板.xlsx"
    assert jixiao("template", "xlsx", "-o", workbook, "--from", EXAMPLE).returncode == 0
    result = jixiao("figures", workbook, "--json")
    assert result.returncode == 0
    facts = {fact["key"]: fact["display"] for fact in json.loads(result.stdout)["facts"]}
    assert facts["sangong_yuan.total.change_pct"] == "-39.78%"


@pytest.mark.parametrize(("args", "expected"), [
    (("generate",), "缺少必需的参数：data, -o/--output"),
    (("generate", EXAMPLE, "-o", "x.docx", "--drafter", "无此方式"), "参数 --drafter 的取值“无此方式”无效"),
    (("figures", EXAMPLE, "--bogus"), "无法识别的参数：--bogus"),
])
def test_usage_errors_are_explained_in_chinese(args, expected):
    result = jixiao(*args)
    assert result.returncode == 2 and expected in result.stderr


def test_help_is_chinese():
    result = jixiao("generate", "-h")
    assert result.stdout.startswith("用法：jixiao generate")
    assert "显示本帮助并退出" in result.stdout and "show this help" not in result.stdout
