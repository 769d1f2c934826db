"""jixiao import REPORT -o data.yaml [--next-year] [--year N] [--department NAME]: a data file from a
finished report's tables.

The tables of last year's report (附件1, 附件2, the 三公经费 table, 项目支出 / 转移支付 self-evaluation
forms) and a few narrative figures become a YAML data file with the keys of
examples/taojiang-rsj-2024.yaml, so that a department can start this year's data from it. Every table
figure the reader recognises is carried as printed; every gap is named in a Chinese list on top of the
file (`assistant.model.report_gaps`) and printed. `--next-year` rolls the figures forward: this year's
决算 become the 上年 column, the new year's cells are left blank (null) for the department to fill in.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import tempfile
from pathlib import Path


from assistant.cli.common import EXIT_CLEAN
from assistant.model.dump import dump_yaml
from assistant.model.errors import InputError
from assistant.model.schema import DepartmentYear

OUTPUT_SUFFIXES = {".yaml", ".yml"}


def register(commands) -> None:
    parser = commands.add_parser("import", help="从已完成的报告（.docx / .txt）导入表格数据，生成数据文件")
    parser.add_argument("report", help="报告文件（.docx / .pdf / .doc / .wps / .txt / .md）")
    parser.add_argument("-o", "--output", required=True, help="输出的数据文件（.yaml）")
    parser.add_argument("--next-year", action="store_true",
                        help="转为下一年度的起始数据：本年决算数移入上年栏，新年度各栏留空待填")
    add_identity_options(parser)
    parser.set_defaults(handler=run)


def add_identity_options(parser) -> None:
    """--year / --department: for a report that does not say (or says wrongly) which year and unit it is."""
    parser.add_argument("--year", type=int, help="报告年度（报告中没有写明或写错时指定，如 2024）")
    parser.add_argument("--department", help="单位全称（报告中没有写明时指定）")


def run(args: argparse.Namespace) -> int:
    from assistant.model.report_reader import read_report

    output = Path(args.output)
    if output.suffix.lower() not in OUTPUT_SUFFIXES:
        raise InputError(f"输出文件应以 .yaml 结尾：{output}")
    _check_writable(output)
    from assistant.model.report_gaps import report_gaps

    contents = read_report(args.report, year=args.year, department=args.department)
    if contents.data is None:
        raise InputError(f"{Path(args.report).name}：未找到报告年度（标题、表头和文件名中都没有），请用 --year 指定后再导入")
    data = roll_forward(contents.data) if args.next_year else contents.data
    gaps = report_gaps(contents)
    text = data_file_text(data, source=Path(args.report).name, forms=contents.forms, notes=contents.notes,
                          rolled=args.next_year, gaps=gaps, stated=contents.stated_cells)
    _write_checked(output, text)
    forms = "、".join(contents.forms) or "正文文字（没有可识别的表格）"
    print(f"已导入：{output}（{data.identity.name or '单位名称未知'} {data.identity.year}年度；读取了{forms}）")
    for note in contents.notes:
        print(f"[说明] {note}")
    print(f"缺少的数据（{len(gaps)}项，已写在数据文件开头）：")
    for gap in gaps:
        print(f"  - {gap}")
    print("请逐项核对导入的数据，补充报告正文中的职责、项目、绩效目标等内容后再生成报告。")
    return EXIT_CLEAN


def _write_checked(output: Path, text: str) -> None:
    """Write beside `output`, load the file the way any data file is loaded, then move it into place:
    an imported file that would not load is never left behind."""
    from assistant.model.load import load

    directory = output.parent if str(output.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".jixiao-import-", suffix=".yaml")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        load(temporary)
        os.replace(temporary, output)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _check_writable(output: Path) -> None:
    directory = output.parent if str(output.parent) else Path(".")
    if output.is_dir():
        raise InputError(f"无法写入 {output}：这是一个文件夹")
    if not directory.is_dir():
        raise InputError(f"无法写入 {output}：文件夹 {directory} 不存在")
    if not os.access(directory, os.W_OK) or (output.exists() and not os.access(output, os.W_OK)):
        raise InputError(f"无法写入 {output}：没有写入权限")


# -- YAML ----------------------------------------------------------------------------------------------

HEADER = """\
# {name} {year}年度部门整体支出绩效自评 —— 基础数据（由报告导入）
# 由 jixiao import 从“{source}”导入（{today}），读取了：{forms}。
# 导入的是原报告表格里填写的数字，原样保留，不作更正；请逐项核对后再使用：
#   - 金额：附件1（basic_data）、附件2（self_assessment）为万元；narrative.sangong、meetings、training 为元。
#   - 表内空白读作 null（不是 0）；“三公”经费对比表未列出的分项也是 null，确无发生额的请填 0。
#   - stated_control_rate、stated_rate、stated_score、stated_total 及各指标的 score 是原表填报的数，
#     生成报告时会按规则重新计算并与之比对。
#   - 报告正文中的职责、内设机构、项目支出情况、绩效目标、存在问题和下一步计划没有导入，请从原报告补充。
"""
ROLLED = """\
#   - 已转为 {year} 年度的起始数据：原{prior}年的决算数移入“上年”栏，{year}年各栏（预算数、决算数、
#     执行数、指标完成值、得分等）留空待填；单位信息、绩效指标名称与指标值沿用原报告，请按本年度核对。
"""


def data_file_text(data: DepartmentYear, *, source: str, forms: tuple[str, ...], notes: tuple[str, ...],
                   rolled: bool = False, gaps: list[str] | tuple[str, ...] = (), stated=()) -> str:
    header = HEADER.format(name=data.identity.name or "（单位名称未知）", year=data.identity.year, source=source,
                           today=dt.date.today().isoformat(), forms="、".join(forms) or "正文文字（没有可识别的表格）")
    if rolled:
        header += ROLLED.format(year=data.identity.year, prior=data.identity.year - 1)
    if stated:
        header += "#   - 原表中的计算栏（数据文件不存，生成时重新计算）：\n" + "".join(
            f"#       {cell.location}：{cell.text}\n" for cell in stated)
    if notes:
        header += "#   - 读取说明：\n" + "".join(f"#       {note}\n" for note in notes)
    if gaps:
        header += "# 缺少的数据（导入时原报告中没有或为空白，请补填；未作任何推算）：\n" + "".join(
            f"#   - {gap}\n" for gap in gaps)
    return header + "\n" + dump_yaml(data)


# -- next year --------------------------------------------------------------------------------------------

def roll_forward(data: DepartmentYear) -> DepartmentYear:
    """Last year's report as the start of next year's data: 决算 → 上年, the new year's cells blank."""
    raw = data.model_dump()
    identity = raw["identity"]
    identity["year"] += 1
    identity["filled_on"] = None

    def money(row: dict) -> None:
        row["prior_final"], row["budget"], row["final"] = row["final"], None, None

    basic = raw["basic_data"]
    basic["staffing"]["stated_control_rate"] = None
    for name in ("sangong", "public_funds"):
        for row in basic[name].values():
            money(row)
    money(basic["projects"]["total"])
    for item in basic["projects"]["items"]:
        money(item)
    money(basic["procurement"])
    money(basic["basic_budget_adjustment"])
    basic["buildings"] = []
    basic["notes"] = []

    assessment = raw["self_assessment"]
    weight = assessment["funding"]["weight"]
    assessment["funding"] = {"weight": weight}
    assessment["by_income"] = {}
    assessment["by_expenditure"] = {}
    assessment["goals"]["actual"] = None
    for indicator in assessment["indicators"]:
        indicator.update(actual=None, score=None, deviation_reason=None, band=None)
    assessment["stated_total"] = None

    narrative = raw["narrative"]
    for row_name in ("total", "reception", "vehicle", "overseas"):
        money(narrative["sangong"][row_name])
    narrative["sangong"].update(reception_batches=None, reception_persons=None, explanation=None)
    for expense in (narrative["meetings"], narrative["training"]):
        expense.update(prior=expense["current"], current=None, sessions=None, participants=None, reason=None)
    narrative["personnel"] = {}
    for project in narrative["projects"]:
        if project.get("form"):  # a project form's figures are last year's; its names and targets carry on
            project.update(budget=None, spending=None, initial_budget=None, stated_rate=None, stated_score=None,
                           stated_total=None)
            for source in project["sources"]:
                source.update(initial_budget=None, budget=None, spending=None)
            for indicator in project["indicators"]:
                indicator.update(actual=None, score=None, deviation_reason=None, band=None)
            if project.get("goals"):
                project["goals"]["actual"] = None
    return DepartmentYear.model_validate(raw)
