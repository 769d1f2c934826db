"""The package's tables, shaped like the official forms, with every figure read from the ledger.

附件1 基础数据表 and 附件2 绩效自评表 follow the department's 2024 forms (see the seed); the 三公经费
comparison table sits inside the report. A blank input stays a blank cell, as on the paper form.
"""

from __future__ import annotations

from collections.abc import Callable

from assistant.figures.build import BASIC_MONEY_ROWS
from assistant.figures.ledger import Ledger
from assistant.model.schema import DepartmentYear
from assistant.render.document import Cell, Table

MONEY_COLUMNS = ("prior_final", "budget", "final")


def _cell(ledger: Ledger, key: str, **style) -> Cell:
    fact = ledger.get(key)
    return Cell("" if fact is None else fact.number, **style)


# 附件1 row labels as the form prints them, keyed like BASIC_MONEY_ROWS.
BASIC_ROW_LABELS = {
    "sangong.total": "三公经费：",
    "sangong.vehicle": "1、公务用车购置和维护经费",
    "sangong.vehicle_purchase": "其中：公车购置",
    "sangong.vehicle_operation": "公车运行维护",
    "sangong.overseas": "2、出国经费",
    "sangong.reception": "3、公务接待",
    "projects.total": "项目支出：",
    "public_funds.total": "公用经费",
    "public_funds.office": "其中：办公经费",
    "public_funds.utilities_travel": "水费、电费、差旅费",
    "public_funds.meetings_training": "会议费、培训费",
    "procurement": "政府采购金额",
    "basic_adjustment": "部门基本支出预算调整",
}


def basic_data_table(data: DepartmentYear, ledger: Ledger) -> Table:
    """附件1: a 7-column grid; the 4-column blocks span value cells over two columns each."""
    year = data.identity.year
    rows: list[list[Cell | None]] = []

    def wide(label: str, values: list[Cell], **label_style) -> None:
        row: list[Cell | None] = [Cell(label, align="left", **label_style)]
        for value in values:
            row += [Cell(value.text, colspan=2, align=value.align, bold=value.bold), None]
        rows.append(row)

    wide("财政供养人员情况（人）", [Cell("编制数", bold=True), Cell("实际在职人数", bold=True), Cell("控制率", bold=True)],
         bold=True)
    wide("", [_cell(ledger, "staff.authorized"), _cell(ledger, "staff.active"), _cell(ledger, "staff.control_rate")])
    wide("经费控制情况（万元）", [Cell(f"{year - 1}年决算数", bold=True), Cell(f"{year}年预算数", bold=True),
                          Cell(f"{year}年决算数", bold=True)], bold=True)
    for key, _label, _path in BASIC_MONEY_ROWS:
        wide(BASIC_ROW_LABELS[key], [_cell(ledger, f"{key}.{column}") for column in MONEY_COLUMNS])
        if key == "projects.total":
            for number, item in enumerate(data.basic_data.projects.items, start=1):
                wide(f"{number}、{item.name}",
                     [_cell(ledger, f"projects.item.{number}.{column}") for column in MONEY_COLUMNS])

    headers = ["批复规模\n（㎡）", "实际规模\n（㎡）", "规模\n控制率", "预算投资\n（万元）", "实际投资\n（万元）", "投资概算\n控制率"]
    rows.append([Cell(f"楼堂馆所控制情况\n（{year - 1}年完工项目）", align="left", bold=True)]
                + [Cell(h, bold=True) for h in headers])
    buildings = data.basic_data.buildings
    for number, building in enumerate(buildings, start=1):
        prefix = f"building.{number}"
        rows.append([Cell(building.name, align="left")] + [
            _cell(ledger, f"{prefix}.{part}") for part in (
                "approved_area", "actual_area", "scale_rate", "budget_investment", "actual_investment",
                "investment_rate")
        ])
    if not buildings:
        rows.append([Cell("无", colspan=7)] + [None] * 6)
    measures = data.basic_data.frugality_measures or ""
    rows.append([Cell("厉行节约保障措施", align="left", bold=True), Cell(measures, colspan=6, align="left")]
                + [None] * 5)
    # 10.5pt (五号) keeps the whole form on one landscape page, as the paper form is.
    return Table(rows=rows, col_widths_mm=[64, 27, 27, 27, 27, 27, 27], font_size_pt=10.5, header_rows=0)


def basic_data_notes(data: DepartmentYear) -> list[str]:
    identity = data.identity
    filled = identity.filled_on
    date = f"{filled.year}年{filled.month}月{filled.day}日" if filled else ""
    return [
        "说明：“项目支出”需要填报基本支出以外的所有项目支出情况，“公用经费”填报基本支出中的一般商品和服务支出。",
        f"填表人：{identity.preparer or ''}　　填报日期：{date}　　联系电话：{identity.phone or ''}　　"
        f"单位负责人签字：{identity.leader or ''}",
    ]


def self_assessment_tables(data: DepartmentYear, ledger: Ledger) -> list[Table]:
    """附件2 as two tables on one 9-column grid, printed as one form: the head (unit, funding, goals)
    and the 绩效指标 block, whose column header row repeats on every page it runs onto (Word repeats
    only a table's leading rows, so the block starts a table of its own)."""
    head, indicators = _self_assessment_rows(data, ledger)
    widths = [16, 22, 22, 58, 22, 22, 14, 16, 33]
    return [Table(rows=head, col_widths_mm=widths, font_size_pt=10.5, header_rows=0),
            Table(rows=indicators, col_widths_mm=widths, font_size_pt=10.5, header_rows=1)]


def _self_assessment_rows(data: DepartmentYear, ledger: Ledger) -> tuple[list[list[Cell | None]], list[list[Cell | None]]]:
    """附件2: a 9-column grid (section label, then 8 columns used differently by each block)."""
    assessment = data.self_assessment
    indicators = assessment.indicators
    rows: list[list[Cell | None]] = []
    rows.append([Cell("县级预算部门、单位名称", colspan=3, bold=True), None, None,
                 Cell(data.identity.name, colspan=6)] + [None] * 5)

    funding_rows: list[list[Cell | None]] = [
        [Cell("", colspan=2), None] + [Cell(h, bold=True) for h in ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "自评得分")],
        [Cell("年度资金总额", colspan=2), None] + [_cell(ledger, f"funding.{k}") for k in (
            "initial_budget", "full_year_budget", "executed", "weight", "execution_rate", "execution_score")],
        [Cell("按收入性质分：", colspan=4, align="left"), None, None, None,
         Cell("按支出性质分：", colspan=4, align="left"), None, None, None],
    ]
    income = [("其中：一般公共预算", "funding.income.general_public"), ("政府性基金拨款", "funding.income.government_fund"),
              ("纳入专户管理的非税收入拨款", "funding.income.special_account"), ("其他资金", "funding.income.other")]
    spending = [("其中：基本支出", "funding.expenditure.basic"), ("项目支出", "funding.expenditure.project"), None, None]
    for left, right in zip(income, spending):
        left_cell = Cell(f"{left[0]}：{ledger[left[1]].number}", colspan=4, align="left")
        right_cell = Cell(f"{right[0]}：{ledger[right[1]].number}" if right else "", colspan=4, align="left")
        funding_rows.append([left_cell, None, None, None, right_cell, None, None, None])
    rows.append([Cell("年度预算申请\n（万元）", rowspan=len(funding_rows), bold=True)] + funding_rows[0])
    rows += [[None] + row for row in funding_rows[1:]]

    goals = assessment.goals
    rows.append([Cell("年度总体\n目标", rowspan=2, bold=True), Cell("预期目标", colspan=4, bold=True), None, None, None,
                 Cell("实际完成情况", colspan=4, bold=True), None, None, None])
    rows.append([None, Cell(goals.expected or "", colspan=4, align="left"), None, None, None,
                 Cell(goals.actual or "", colspan=4, align="left"), None, None, None])

    header = [Cell(h, bold=True) for h in (
        "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "自评得分", "偏差原因分析\n及改进措施")]
    indicator_rows: list[list[Cell | None]] = [header]
    level1_spans = _spans([row.level1 for row in indicators])
    for index, row in enumerate(indicators):
        key = f"indicator.{index + 1}"
        span = level1_spans.get(index)
        level1: Cell | None = (
            Cell(_level1_label(row.level1, ledger), rowspan=span) if span else None
        )
        indicator_rows.append([
            level1, Cell(row.level2), Cell(row.name, align="left"), Cell(row.target or ""), Cell(row.actual or ""),
            _cell(ledger, f"{key}.weight"), _cell(ledger, f"{key}.score"),
            Cell(row.deviation_reason or "", align="left"),
        ])
    # The header row has its own corner cell: a repeated header must not hold part of a merged cell.
    block: list[list[Cell | None]] = [[Cell("绩效\n指标", bold=True)] + indicator_rows[0]]
    if len(indicator_rows) > 1:
        block.append([Cell("", rowspan=len(indicator_rows) - 1)] + indicator_rows[1])
        block += [[None] + row for row in indicator_rows[2:]]
    block.append([Cell("总分", colspan=6, bold=True)] + [None] * 5
                 + [_cell(ledger, "policy.weight.total"), _cell(ledger, "score.total"), Cell("")])
    return rows, block


def _level1_label(level1: str, ledger: Ledger) -> str:
    """"产出指标\n（50分）" as the official form prints it, the weight from the scoring policy."""
    short = {"产出指标": "output", "效益指标": "benefit", "满意度指标": "satisfaction"}[level1]
    return f"{level1}\n（{ledger[f'policy.weight.{short}'].display}）"


def _spans(values: list[str]) -> dict[int, int]:
    """Start index → length of each run of equal adjacent values (for vertical merges)."""
    spans: dict[int, int] = {}
    start = 0
    for index in range(1, len(values) + 1):
        if index == len(values) or values[index] != values[start]:
            spans[start] = index - start
            start = index
    return spans


SANGONG_ROWS = (("total", "三公经费合计"), ("reception", "公务接待费"),
                ("vehicle", "公务用车购置及运行维护费"), ("overseas", "因公出国（境）费"))


def sangong_comparison_table(data: DepartmentYear, ledger: Ledger) -> Table:
    """The report's 三公 table in 元: 本年度 | 年初预算 | 上年度 | 比上年增减 | 比上年增减％ | 说明.
    Sub-rows that are zero or blank in every column are left out, as the department's table does."""
    header = [Cell(h, bold=True) for h in ("指标", "本年度", "年初预算", "上年度", "比上年\n增减", "比上年\n增减％", "说明")]
    body: list[list[Cell | None]] = []
    for row_key, label in SANGONG_ROWS:
        key = f"sangong_yuan.{row_key}"
        values = [ledger[f"{key}.{column}"].value for column in ("final", "budget", "prior_final")]
        if row_key != "total" and not any(values):
            continue
        if len(body) == 1:
            label = f"其中：{label}"  # the first sub-row under the total
        body.append([Cell(label, align="left")] + [_cell(ledger, f"{key}.{c}") for c in (
            "final", "budget", "prior_final", "change", "change_pct")] + [None])
    explanation = data.narrative.sangong.explanation or ""
    body[0][-1] = Cell(explanation, rowspan=len(body), align="left")
    return Table(rows=[header] + body, col_widths_mm=[34, 18, 18, 18, 18, 18, 32], font_size_pt=10.5,
                 caption="“三公经费”与年初预算、上年度收支情况对比说明（元）")


# TableRef names a drafter may emit → builder.
REPORT_TABLES: dict[str, Callable[[DepartmentYear, Ledger], Table]] = {
    "sangong_comparison": sangong_comparison_table,
}
