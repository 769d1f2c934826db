"""The Excel workbook: template structure, lossless round trip, and errors that name sheet and cell."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.model.errors import InputError
from assistant.model.excel import format_relation, read_workbook, write_workbook
from assistant.model.excel_layout import SHEETS, covered_paths, schema_leaf_paths
from assistant.model.load import load
from assistant.model.schema import DepartmentYear

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "taojiang-rsj-2024.yaml"
SHEET_NAMES = [
    "填写说明",
    "单位信息",
    "附件1基础数据",
    "楼堂馆所",
    "附件1说明",
    "附件2资金",
    "年度总体目标",
    "附件2绩效指标",
    "人员与机构",
    "自评报告文字",
    "三公经费明细（元）",
    "会议费培训费（元）",
    "项目支出",
    "项目工作成效",
    "成效数据",
    "下一步工作计划",
]


@pytest.fixture(scope="module")
def example() -> DepartmentYear:
    return load(EXAMPLE)


@pytest.fixture()
def filled(tmp_path: Path, example: DepartmentYear) -> Path:
    path = tmp_path / "模板.xlsx"
    write_workbook(path, example)
    return path


def row_of(ws: Any, label: str) -> int:
    for (cell,) in ws.iter_rows(min_col=1, max_col=1):
        if cell.value == label:
            return cell.row
    raise LookupError(label)


def edit(path: Path, sheet: str, changes: dict[str, Any]) -> None:
    book = openpyxl.load_workbook(path)
    for ref, value in changes.items():
        book[sheet][ref] = value
    book.save(path)


def error_of(path: Path) -> str:
    with pytest.raises(InputError) as caught:
        read_workbook(path)
    message = str(caught.value)
    assert "\n" not in message
    return message


def floats_in(value: Any) -> list[Any]:
    if isinstance(value, float):
        return [value]
    if isinstance(value, dict):
        return [f for v in value.values() for f in floats_in(v)]
    if isinstance(value, list):
        return [f for v in value for f in floats_in(v)]
    return []


# -- round trip ---------------------------------------------------------------------------------------


def test_example_round_trips_losslessly(filled: Path, example: DepartmentYear) -> None:
    back = read_workbook(filled)
    assert back.model_dump() == example.model_dump()
    assert floats_in(back.model_dump()) == []
    assert isinstance(back.basic_data.public_funds.total.final, Decimal)
    assert back.basic_data.public_funds.total.final == Decimal("172.40")
    assert isinstance(back.narrative.projects[0].metrics[0].value, Decimal)
    assert isinstance(back.basic_data.staffing.authorized, int)
    assert back.identity.phone == "8882400"
    assert back.identity.filled_on == dt.date(2025, 4, 24)


def test_load_dispatches_xlsx(filled: Path, example: DepartmentYear) -> None:
    assert load(filled).model_dump() == example.model_dump()


def test_layout_covers_every_schema_field() -> None:
    from assistant.model.excel_layout import NOT_IN_WORKBOOK

    assert covered_paths() | NOT_IN_WORKBOOK == schema_leaf_paths()
    assert not covered_paths() & NOT_IN_WORKBOOK


def test_relation_text_round_trips() -> None:
    assert format_relation({"sum_of": ["a", "b", "c"]}) == "a + b + c"
    assert format_relation({"difference_of": ["a", "b"]}) == "a - b"
    assert format_relation({"ratio_of": [["a"], ["a", "b"]]}) == "a / (a + b)"
    assert format_relation({"sum_of": [], "difference_of": [], "ratio_of": []}) is None


# -- template -----------------------------------------------------------------------------------------


def test_template_structure(tmp_path: Path) -> None:
    path = tmp_path / "模板.xlsx"
    write_workbook(path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == SHEET_NAMES
    assert [sheet.name for sheet in SHEETS] == SHEET_NAMES[1:]

    basic = book["附件1基础数据"]
    header = row_of(basic, "三公经费合计") - 1
    assert [c.value for c in basic[header]] == ["项目", "上年决算数", "本年预算数", "本年决算数"]
    for label in ("编制数", "实际在职人数", "控制率（填报值，%）", "项目支出合计", "其中：办公经费", "政府采购金额"):
        row_of(basic, label)
    assert basic.cell(row_of(basic, "三公经费合计"), 3).number_format == "0.00"

    indicators = book["附件2绩效指标"]
    assert [c.value for c in indicators[3]] == [
        "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值",
        "分值", "自评得分", "偏差原因分析及改进措施", "指标性质", "完成档次",
    ]  # fmt: skip
    assert indicators.freeze_panes == "A4"
    assert indicators["A3"].font.bold
    lists = {str(v.sqref): v.formula1 for v in indicators.data_validations.dataValidation}
    assert lists["A4:A500"] == '"产出指标,效益指标,满意度指标"'

    assert [c.value for c in book["项目支出"][3]][:4] == ["项目编号", "项目名称", "预算数（万元）", "支出数（万元）"]
    assert "主管部门" in [c.value for c in book["项目支出"][3]]  # a project form imported from a report


def test_unfilled_template_names_the_required_cells(tmp_path: Path) -> None:
    path = tmp_path / "模板.xlsx"
    write_workbook(path)
    message = error_of(path)
    row = row_of(openpyxl.load_workbook(path)["单位信息"], "单位全称")
    assert f"工作表“单位信息”单元格B{row}（单位全称）缺少必填项" in message
    assert "县（市、区）" in message and "年度" in message


# -- accepted input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("１６", Decimal(16)), ("9,999.5", Decimal("9999.5")), (" 9.99 ", Decimal("9.99")), ("９，９９９", 9999)],
)
def test_numbers_typed_as_text_are_accepted(filled: Path, typed: str, expected: Decimal) -> None:
    ws = openpyxl.load_workbook(filled)["附件1基础数据"]
    edit(filled, "附件1基础数据", {f"C{row_of(ws, '三公经费合计')}": typed})
    value = read_workbook(filled).basic_data.sangong.total.budget
    assert value == expected and isinstance(value, Decimal)


def test_blank_levels_repeat_the_row_above(filled: Path, example: DepartmentYear) -> None:
    edit(filled, "附件2绩效指标", {"A5": None, "A6": None, "B6": "质量指标"})  # as merged cells read
    indicators = read_workbook(filled).self_assessment.indicators
    assert [i.level1 for i in indicators[:3]] == ["产出指标"] * 3
    assert indicators[2].level2 == "质量指标"


def test_percent_formatted_cell_and_date_text(filled: Path) -> None:
    book = openpyxl.load_workbook(filled)
    basic, identity = book["附件1基础数据"], book["单位信息"]
    rate = basic.cell(row_of(basic, "控制率（填报值，%）"), 2)
    rate.value, rate.number_format = 0.8916, "0.00%"
    identity.cell(row_of(identity, "填报日期"), 2).value = "2025年4月24日"
    book.save(filled)
    back = read_workbook(filled)
    assert back.basic_data.staffing.stated_control_rate == Decimal("89.16")
    assert back.identity.filled_on == dt.date(2025, 4, 24)


# -- errors name sheet and cell -----------------------------------------------------------------------


def test_text_in_number_cell(filled: Path) -> None:
    row = row_of(openpyxl.load_workbook(filled)["附件1基础数据"], "三公经费合计")
    edit(filled, "附件1基础数据", {f"C{row}": "十六"})
    assert error_of(filled) == (
        f"模板.xlsx：工作表“附件1基础数据”单元格C{row}（三公经费合计 › 本年预算数）应为数字，填写的是“十六”"
    )


def test_ambiguous_number_text_is_rejected(filled: Path) -> None:
    edit(filled, "会议费培训费（元）", {"B4": "9,99"})
    assert "工作表“会议费培训费（元）”单元格B4（会议费 › 本年（元））应为数字，填写的是“9,99”" in error_of(filled)


def test_negative_amount(filled: Path) -> None:
    row = row_of(openpyxl.load_workbook(filled)["附件1基础数据"], "政府采购金额")
    edit(filled, "附件1基础数据", {f"D{row}": -5})
    message = error_of(filled)
    assert f"工作表“附件1基础数据”单元格D{row}（政府采购金额 › 本年决算数）不能为负数" in message


def test_negative_amount_in_table(filled: Path) -> None:
    edit(filled, "项目支出", {"D5": "-3"})
    assert "工作表“项目支出”单元格D5（支出数（万元））不能为负数" in error_of(filled)


def test_renamed_sheet(filled: Path) -> None:
    book = openpyxl.load_workbook(filled)
    book["附件1基础数据"].title = "附件1"
    book.save(filled)
    message = error_of(filled)
    assert message.startswith("模板.xlsx：找不到工作表“附件1基础数据”")
    assert "应有的工作表：单位信息、附件1基础数据、" in message
    assert "无法识别的工作表：附件1" in message


def test_corrupt_file(tmp_path: Path) -> None:
    path = tmp_path / "坏文件.xlsx"
    path.write_bytes(os.urandom(2048))
    assert error_of(path).startswith("坏文件.xlsx：无法打开，不是有效的 Excel 工作簿")


def test_changed_row_label(filled: Path) -> None:
    row = row_of(openpyxl.load_workbook(filled)["附件1基础数据"], "政府采购金额")
    edit(filled, "附件1基础数据", {f"A{row}": "政府采购"})
    message = error_of(filled)
    assert f"单元格A{row}（A列项目名称）“政府采购”不是本表的项目" in message
    assert "找不到“政府采购金额”这一行" in message


def test_unknown_project_key(filled: Path) -> None:
    edit(filled, "成效数据", {"A13": "no_such_project"})
    assert "工作表“成效数据”单元格A13（所属（项目编号或“绩效目标”））项目编号“no_such_project”在“项目支出”表中没有" in (
        error_of(filled)
    )


def test_validation_error_maps_back_to_cell(filled: Path) -> None:
    edit(filled, "成效数据", {"B5": "Bad-Key"})
    edit(filled, "人员与机构", {"B4": -1})
    message = error_of(filled)
    assert "工作表“成效数据”单元格B5（编号）编号只能用小写英文字母" in message
    assert "工作表“人员与机构”单元格B4（干职工总人数）不能为负数" in message


def test_changed_project_key_is_reported_once_with_known_keys(filled: Path) -> None:
    edit(filled, "项目支出", {"A4": "fund_risk_2"})
    message = error_of(filled)
    assert message.count("项目编号“fund_risk”在“项目支出”表中没有") == 2  # 项目工作成效, 成效数据
    assert "单元格A4（项目编号）项目编号“fund_risk”在“项目支出”表中没有（该表的项目编号：fund_risk_2、" in message


def test_bad_choice_and_relation(filled: Path) -> None:
    edit(filled, "附件2绩效指标", {"I4": "越大越好"})
    edit(filled, "成效数据", {"H14": "a * b"})
    message = error_of(filled)
    assert "单元格I4（指标性质）应从下拉列表中选择（自动判断、正向指标" in message
    assert "单元格H14（计算关系）“a * b”不是有效的编号" in message


def test_formula_without_saved_result(filled: Path) -> None:
    row = row_of(openpyxl.load_workbook(filled)["附件1基础数据"], "三公经费合计")
    edit(filled, "附件1基础数据", {f"B{row}": "=B11+B14"})
    assert f"单元格B{row}（三公经费合计 › 上年决算数）是公式，但文件里没有保存计算结果" in error_of(filled)


# -- property: amounts survive write → read exactly ---------------------------------------------------

AMOUNTS = st.decimals(min_value=0, max_value=Decimal("999999999.99"), places=2, allow_nan=False, allow_infinity=False)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(amounts=st.lists(AMOUNTS, min_size=6, max_size=6))
def test_amounts_survive_exactly(tmp_path: Path, amounts: list[Decimal]) -> None:
    a, b, c, d, e, f = amounts
    data = DepartmentYear.model_validate(
        {
            "identity": {"county": "桃江县", "name": "桃江县人力资源和社会保障局", "year": 2024},
            "basic_data": {
                "sangong": {"total": {"prior_final": a, "budget": b, "final": c}},
                "projects": {"items": [{"name": "业务工作经费", "final": d}]},
            },
            "self_assessment": {"funding": {"executed": e}},
            "narrative": {"meetings": {"current": f}, "projects": [{"key": "p", "name": "项目", "budget": a}]},
        }
    )
    path = tmp_path / "amounts.xlsx"
    write_workbook(path, data)
    back = read_workbook(path)
    got = [
        back.basic_data.sangong.total.prior_final,
        back.basic_data.sangong.total.budget,
        back.basic_data.sangong.total.final,
        back.basic_data.projects.items[0].final,
        back.self_assessment.funding.executed,
        back.narrative.meetings.current,
        back.narrative.projects[0].budget,
    ]
    assert got == [a, b, c, d, e, f, a]
    assert all(type(value) is Decimal for value in got)
