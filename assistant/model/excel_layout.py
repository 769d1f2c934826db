"""The layout of the Excel workbook: which sheet, row and column holds which field of `DepartmentYear`.

This module is data only. `assistant.model.excel` walks these definitions to write the template and to
read a filled workbook back. Two sheet shapes exist:

* `FormSheet` – rows identified by the label in column A (项目 | 内容, or 项目 | 上年决算数 | …), grouped
  in blocks that each start with a bold header row. A `Row` marked `repeated` holds a list of texts, one
  row per element. `NamedRows` are free rows after an anchor row whose column A is the item's name (the
  project category rows of 附件1).
* `TableSheet` – one record per row under a header row; columns are found by their header text.

Field paths are tuples of `DepartmentYear` field names, e.g. ("basic_data", "sangong", "total").
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from assistant.model.errors import model_in
from assistant.model.schema import DepartmentYear, Indicator, Metric

FieldPath = tuple[str, ...]

TITLE_ROWS = 2  # row 1: sheet title, row 2: one-line hint; content starts on row 3
TEMPLATE_BLANK_ROWS = 5  # empty rows offered in list tables of the template
TEMPLATE_NAMED_ROWS = 3  # empty project category rows of 附件1 in the template
VALIDATION_LAST_ROW = 500  # drop-downs and number checks reach this row in table sheets


@dataclass(frozen=True)
class Kind:
    """How one cell is written (number format, drop-down) and parsed (see `excel._parse`)."""

    parser: Literal["text", "amount", "number", "percent", "count", "year", "date", "choice", "relation"]
    number_format: str = "General"
    minimum: int | None = None  # adds an Excel "number ≥ minimum" check
    choices: tuple[tuple[str, str], ...] = ()  # (shown label, stored value)
    wrap: bool = False


TEXT = Kind("text", "@")
LONG_TEXT = Kind("text", "@", wrap=True)
AMOUNT = Kind("amount", "0.00", minimum=0)  # 万元
YUAN = Kind("amount", "#,##0.00", minimum=0)
NUMBER = Kind("number")
SCORE = Kind("number", "0.00")
PERCENT = Kind("percent", "0.00")
COUNT = Kind("count", "0", minimum=0)
YEAR = Kind("year", "0")
DATE = Kind("date", "yyyy-mm-dd")
RELATION = Kind("relation", "@")


def literal_values(model: type[BaseModel], name: str) -> tuple[str, ...]:
    """The allowed values of a Literal field (also inside `X | None`), read from the schema."""
    pending = [model.model_fields[name].annotation]
    while pending:
        annotation = pending.pop()
        if typing.get_origin(annotation) is Literal:
            return tuple(typing.get_args(annotation))
        pending.extend(typing.get_args(annotation))
    raise LookupError(name)


def choice(values: tuple[str, ...], labels: dict[str, str] | None = None, wrap: bool = False) -> Kind:
    labels = labels or {}
    return Kind("choice", "@", choices=tuple((labels.get(v, v), v) for v in values), wrap=wrap)


DIRECTION_LABELS = {
    "auto": "自动判断",
    "positive": "正向指标",
    "reverse": "反向指标",
    "equal": "等值指标",
    "qualitative": "定性指标",
}
UNIT_CHOICE = choice(("万元", "元"))
LEVEL1_CHOICE = choice(literal_values(Indicator, "level1"))
DIRECTION_CHOICE = choice(literal_values(Indicator, "direction"), DIRECTION_LABELS)
BAND_CHOICE = choice(literal_values(Indicator, "band"), wrap=True)
APPROX_CHOICE = choice(literal_values(Metric, "approx"))


# ---------------------------------------------------------------------------------------------------
# Form sheets


@dataclass(frozen=True)
class Col:
    """A value column of a form row: `key` is appended to the row's path (None: the row path itself)."""

    key: str | None
    kind: Kind


@dataclass(frozen=True)
class Row:
    label: str
    path: FieldPath
    cols: tuple[Col, ...]
    repeated: bool = False  # list[str]: one row per element, same label in column A
    indent: int = 0


@dataclass(frozen=True)
class NamedRows:
    """Free rows after the preceding `Row`: column A is the item's name, the other columns its values."""

    path: FieldPath
    name_key: str
    cols: tuple[Col, ...]


@dataclass(frozen=True)
class Block:
    headers: tuple[str, ...]
    rows: tuple[Row | NamedRows, ...]


@dataclass(frozen=True)
class FormSheet:
    name: str
    title: str
    hint: str
    widths: tuple[float, ...]
    blocks: tuple[Block, ...]


def value_row(label: str, path: FieldPath, kind: Kind = TEXT, indent: int = 0) -> Row:
    return Row(label, path, (Col(None, kind),), indent=indent)


def list_row(label: str, path: FieldPath, kind: Kind = LONG_TEXT) -> Row:
    return Row(label, path, (Col(None, kind),), repeated=True)


MONEY_KEYS = ("prior_final", "budget", "final")  # 上年决算数 | 本年预算数 | 本年决算数
MONEY_HEADERS = ("项目", "上年决算数", "本年预算数", "本年决算数")
YUAN_KEYS = ("final", "budget", "prior_final")  # the report's table: 本年度 | 年初预算 | 上年度
YUAN_HEADERS = ("项目", "本年度", "年初预算", "上年度")


def money_cols(keys: tuple[str, ...] = MONEY_KEYS, kind: Kind = AMOUNT) -> tuple[Col, ...]:
    return tuple(Col(key, kind) for key in keys)


def money_row(label: str, path: FieldPath, indent: int = 0, keys=MONEY_KEYS, kind: Kind = AMOUNT) -> Row:
    return Row(label, path, money_cols(keys, kind), indent=indent)


BASIC = ("basic_data",)
SANGONG = (*BASIC, "sangong")
PUBLIC = (*BASIC, "public_funds")
SELF = ("self_assessment",)
NARR = ("narrative",)

IDENTITY_SHEET = FormSheet(
    name="单位信息",
    title="单位信息",
    hint="红色项目为必填；年度填四位数字（如 2024）；填报日期如 2025-04-24。",
    widths=(22, 50),
    blocks=(
        Block(
            ("项目", "内容"),
            (
                value_row("县（市、区）", ("identity", "county")),
                value_row("市", ("identity", "city")),
                value_row("省", ("identity", "province")),
                value_row("单位全称", ("identity", "name")),
                value_row("单位简称", ("identity", "short_name")),
                value_row("年度", ("identity", "year"), YEAR),
                value_row("填表人", ("identity", "preparer")),
                value_row("联系电话", ("identity", "phone")),
                value_row("填报日期", ("identity", "filled_on"), DATE),
                value_row("单位负责人", ("identity", "leader")),
            ),
        ),
    ),
)

BASIC_SHEET = FormSheet(
    name="附件1基础数据",
    title="附件1  部门整体支出绩效自评基础数据表",
    hint="金额单位见“金额单位”一行（一般为万元）；空白格表示未填写，不要用0代替；项目支出分类可插入行，A列填分类名称。",
    widths=(34, 16, 16, 16),
    blocks=(
        Block(("项目", "内容"), (value_row("金额单位", (*BASIC, "unit"), UNIT_CHOICE),)),
        Block(
            ("财政供养人员情况", "数值"),
            (
                value_row("编制数", (*BASIC, "staffing", "authorized"), COUNT),
                value_row("实际在职人数", (*BASIC, "staffing", "active"), COUNT),
                value_row("控制率（填报值，%）", (*BASIC, "staffing", "stated_control_rate"), PERCENT),
            ),
        ),
        Block(
            MONEY_HEADERS,
            (
                money_row("三公经费合计", (*SANGONG, "total")),
                money_row("公务用车购置和维护经费", (*SANGONG, "vehicle"), indent=1),
                money_row("其中：公车购置", (*SANGONG, "vehicle_purchase"), indent=2),
                money_row("公车运行维护", (*SANGONG, "vehicle_operation"), indent=3),
                money_row("出国经费", (*SANGONG, "overseas"), indent=1),
                money_row("公务接待", (*SANGONG, "reception"), indent=1),
                money_row("项目支出合计", (*BASIC, "projects", "total")),
                NamedRows((*BASIC, "projects", "items"), "name", money_cols()),
                money_row("公用经费合计", (*PUBLIC, "total")),
                money_row("其中：办公经费", (*PUBLIC, "office"), indent=1),
                money_row("水费、电费、差旅费", (*PUBLIC, "utilities_travel"), indent=2),
                money_row("会议费、培训费", (*PUBLIC, "meetings_training"), indent=2),
                money_row("政府采购金额", (*BASIC, "procurement")),
                money_row("部门基本支出预算调整", (*BASIC, "basic_budget_adjustment")),
            ),
        ),
    ),
)

BASIC_NOTES_SHEET = FormSheet(
    name="附件1说明",
    title="附件1  厉行节约保障措施与表内空白说明",
    hint="表内空白说明每行写一条（说明原表哪些格子是空白的及原因），需要时插入行。",
    widths=(22, 100),
    blocks=(
        Block(
            ("项目", "内容"),
            (
                value_row("厉行节约保障措施", (*BASIC, "frugality_measures"), LONG_TEXT),
                list_row("表内空白说明", (*BASIC, "notes")),
            ),
        ),
    ),
)

FUNDING_SHEET = FormSheet(
    name="附件2资金",
    title="附件2  部门整体支出绩效自评表：资金情况（万元）",
    hint="分值空白时按10分计；执行率、自评得分按单位原表填写（用于核对），空白表示原表未填。",
    widths=(30, 14, 14, 14, 10, 18, 18),
    blocks=(
        Block(
            ("资金", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率（填报值，%）", "自评得分（填报值）"),
            (
                Row(
                    "年度资金总额",
                    (*SELF, "funding"),
                    (
                        Col("initial_budget", AMOUNT),
                        Col("full_year_budget", AMOUNT),
                        Col("executed", AMOUNT),
                        Col("weight", SCORE),
                        Col("stated_rate", PERCENT),
                        Col("stated_score", SCORE),
                    ),
                ),
            ),
        ),
        Block(
            ("按收入性质分", "金额"),
            (
                value_row("一般公共预算", (*SELF, "by_income", "general_public"), AMOUNT),
                value_row("政府性基金拨款", (*SELF, "by_income", "government_fund"), AMOUNT),
                value_row("纳入专户管理的非税收入拨款", (*SELF, "by_income", "special_account"), AMOUNT),
                value_row("其他资金", (*SELF, "by_income", "other"), AMOUNT),
            ),
        ),
        Block(
            ("按支出性质分", "金额"),
            (
                value_row("基本支出", (*SELF, "by_expenditure", "basic"), AMOUNT),
                value_row("项目支出", (*SELF, "by_expenditure", "project"), AMOUNT),
            ),
        ),
        Block(("总分", "得分"), (value_row("总分自评得分（填报值）", (*SELF, "stated_total"), SCORE),)),
    ),
)

GOALS_SHEET = FormSheet(
    name="年度总体目标",
    title="附件2  年度总体目标",
    hint="按附件2原表填写；一段文字填在一个格子里。",
    widths=(18, 100),
    blocks=(
        Block(
            ("项目", "内容"),
            (
                value_row("预期目标", (*SELF, "goals", "expected"), LONG_TEXT),
                value_row("实际完成情况", (*SELF, "goals", "actual"), LONG_TEXT),
            ),
        ),
    ),
)

ORGANIZATION_SHEET = FormSheet(
    name="人员与机构",
    title="自评报告：人员与机构",
    hint="内设机构、二级机构、纳入决算的单位、主要职责每行一项；需要时在下方插入行（A列可留空）。",
    widths=(30, 100),
    blocks=(
        Block(
            ("人员情况", "人数"),
            (
                value_row("干职工总人数", (*NARR, "personnel", "total"), COUNT),
                value_row("在职人数", (*NARR, "personnel", "active"), COUNT),
                value_row("退休人数", (*NARR, "personnel", "retired"), COUNT),
            ),
        ),
        Block(
            ("机构与职责", "内容（每行一项）"),
            (
                list_row("内设机构", (*NARR, "internal_units"), TEXT),
                list_row("二级机构", (*NARR, "subordinate_units"), TEXT),
                list_row("纳入部门决算编制范围的单位", (*NARR, "units_in_final_accounts"), TEXT),
                list_row("主要职责", (*NARR, "duties")),
            ),
        ),
    ),
)

REPORT_TEXT_SHEET = FormSheet(
    name="自评报告文字",
    title="自评报告：支出管理、绩效目标表述与存在问题",
    hint="产出指标、效益指标、存在问题每行一条；文字中可用 {编号} 引用“成效数据”表中的数据。",
    widths=(30, 100),
    blocks=(
        Block(
            ("项目", "内容"),
            (
                value_row("年初支出计划使用方向", (*NARR, "spending_direction"), LONG_TEXT),
                value_row("基本支出的主要用途及范围", (*NARR, "basic_spending_use"), LONG_TEXT),
                value_row("资金管理情况", (*NARR, "fund_management"), LONG_TEXT),
                list_row("产出指标（报告表述）", (*NARR, "output_targets")),
                list_row("效益指标（报告表述）", (*NARR, "benefit_targets")),
                list_row("存在问题", (*NARR, "problems")),
            ),
        ),
    ),
)

SANGONG_YUAN_SHEET = FormSheet(
    name="三公经费明细（元）",
    title="自评报告：“三公”经费与年初预算、上年度对比（元）",
    hint="本表金额单位为元；管理措施每行一条。",
    widths=(30, 16, 16, 16),
    blocks=(
        Block(
            YUAN_HEADERS,
            (
                money_row("三公经费合计", (*NARR, "sangong", "total"), keys=YUAN_KEYS, kind=YUAN),
                money_row("公务接待费", (*NARR, "sangong", "reception"), 1, YUAN_KEYS, YUAN),
                money_row("公务用车购置及运行维护费", (*NARR, "sangong", "vehicle"), 1, YUAN_KEYS, YUAN),
                money_row("因公出国（境）费", (*NARR, "sangong", "overseas"), 1, YUAN_KEYS, YUAN),
            ),
        ),
        Block(
            ("其他", "内容"),
            (
                value_row("国内公务接待批次", (*NARR, "sangong", "reception_batches"), COUNT),
                value_row("国内公务接待人次", (*NARR, "sangong", "reception_persons"), COUNT),
                value_row("增减说明", (*NARR, "sangong", "explanation"), LONG_TEXT),
                list_row("三公经费管理措施", (*NARR, "sangong", "measures")),
            ),
        ),
    ),
)

EXPENSE_COLS = (
    Col("current", YUAN),
    Col("prior", YUAN),
    Col("sessions", COUNT),
    Col("participants", COUNT),
    Col("reason", LONG_TEXT),
)
EXPENSE_SHEET = FormSheet(
    name="会议费培训费（元）",
    title="自评报告：会议费、培训费（元）",
    hint="本表金额单位为元；次数、人次填整数。",
    widths=(14, 16, 16, 10, 10, 60),
    blocks=(
        Block(
            ("项目", "本年（元）", "上年（元）", "次数", "人次", "增减原因"),
            (
                Row("会议费", (*NARR, "meetings"), EXPENSE_COLS),
                Row("培训费", (*NARR, "training"), EXPENSE_COLS),
            ),
        ),
    ),
)


# ---------------------------------------------------------------------------------------------------
# Table sheets


@dataclass(frozen=True)
class Column:
    """A column of a table sheet. Keys starting with "@" are roles handled by the sheet's `shape`."""

    header: str
    key: str
    kind: Kind
    width: float
    inherit: bool = False  # a blank cell repeats the value above (as in merged cells of the forms)


@dataclass(frozen=True)
class TableSheet:
    name: str
    title: str
    hint: str
    path: FieldPath
    columns: tuple[Column, ...]
    # records: one element of `path` per row; paragraphs: (project key, paragraph) into a project's
    # summary; metrics: (owner, metric fields); plans: (title, paragraph) grouped into plan items.
    shape: Literal["records", "paragraphs", "metrics", "plans"] = "records"


TARGETS_OWNER = "绩效目标"  # owner of `narrative.target_metrics` in 成效数据

BUILDINGS_SHEET = TableSheet(
    name="楼堂馆所",
    title="附件1  楼堂馆所控制情况",
    hint="填写本年度完工的楼堂馆所项目，每行一个；没有则留空。",
    path=(*BASIC, "buildings"),
    columns=(
        Column("项目名称", "name", LONG_TEXT, 36),
        Column("批复规模（㎡）", "approved_area", AMOUNT, 16),
        Column("实际规模（㎡）", "actual_area", AMOUNT, 16),
        Column("预算投资（万元）", "budget_investment", AMOUNT, 16),
        Column("实际投资（万元）", "actual_investment", AMOUNT, 16),
    ),
)

INDICATORS_SHEET = TableSheet(
    name="附件2绩效指标",
    title="附件2  部门整体支出绩效自评表：绩效指标",
    hint="每个三级指标一行；一级、二级指标与上一行相同时可留空；年度指标值、实际完成值按原表文字填写（如 ≥90%）。",
    path=(*SELF, "indicators"),
    columns=(
        Column("一级指标", "level1", LEVEL1_CHOICE, 12, inherit=True),
        Column("二级指标", "level2", TEXT, 16, inherit=True),
        Column("三级指标", "name", LONG_TEXT, 40),
        Column("年度指标值", "target", TEXT, 14),
        Column("实际完成值", "actual", TEXT, 14),
        Column("分值", "weight", SCORE, 8),
        Column("自评得分", "score", SCORE, 10),
        Column("偏差原因分析及改进措施", "deviation_reason", LONG_TEXT, 30),
        Column("指标性质", "direction", DIRECTION_CHOICE, 12),
        Column("完成档次", "band", BAND_CHOICE, 20),
    ),
)

PROJECTS_SHEET = TableSheet(
    name="项目支出",
    title="自评报告：项目支出情况（万元）",
    hint="每个项目一行；项目编号用小写英文字母、数字和下划线（如 fund_risk），供“项目工作成效”“成效数据”引用。",
    path=(*NARR, "projects"),
    columns=(
        Column("项目编号", "key", TEXT, 20),
        Column("项目名称", "name", LONG_TEXT, 40),
        Column("预算数（万元）", "budget", AMOUNT, 16),
        Column("支出数（万元）", "spending", AMOUNT, 16),
        Column("自评表（由报告导入）", "form", TEXT, 20),
        Column("主管部门", "department", TEXT, 20),
        Column("实施单位", "implementer", TEXT, 20),
        Column("年初预算数（万元）", "initial_budget", AMOUNT, 16),
        Column("执行率分值", "weight", SCORE, 10),
        Column("执行率（填报值）", "stated_rate", PERCENT, 12),
        Column("执行率得分（填报值）", "stated_score", SCORE, 12),
        Column("总分（填报值）", "stated_total", SCORE, 12),
    ),
)

PROJECT_TEXT_SHEET = TableSheet(
    name="项目工作成效",
    title="自评报告：项目工作成效",
    hint="每段文字一行，A列填项目编号（与上一行相同时可留空）；文字中用 {编号} 引用“成效数据”表中的数据。",
    path=(*NARR, "projects"),
    columns=(
        Column("项目编号", "@owner", TEXT, 20, inherit=True),
        Column("工作成效（每行一段）", "@text", LONG_TEXT, 110),
    ),
    shape="paragraphs",
)

METRICS_SHEET = TableSheet(
    name="成效数据",
    title="自评报告：正文引用的数据",
    hint="所属填项目编号，或填“绩效目标”；计算关系写法：a + b（相加）、a - b（相减）、a / (a + b)（比率），其中为编号。",
    path=NARR,
    columns=(
        Column("所属（项目编号或“绩效目标”）", "@owner", TEXT, 22, inherit=True),
        Column("编号", "key", TEXT, 26),
        Column("名称", "label", LONG_TEXT, 36),
        Column("数值", "value", NUMBER, 14),
        Column("单位", "unit", TEXT, 10),
        Column("约数说明", "approx", APPROX_CHOICE, 10),
        Column("上年（或此前）数值", "prior", NUMBER, 14),
        Column("计算关系", "@relation", RELATION, 40),
    ),
    shape="metrics",
)

PLANS_SHEET = TableSheet(
    name="下一步工作计划",
    title="自评报告：下一步工作计划",
    hint="每段文字一行；标题只在每项的第一行填写（下面的行留空表示同一项）。",
    path=(*NARR, "plans"),
    columns=(
        Column("标题", "title", LONG_TEXT, 40),
        Column("内容（每行一段）", "@text", LONG_TEXT, 100),
    ),
    shape="plans",
)

SHEETS: tuple[FormSheet | TableSheet, ...] = (
    IDENTITY_SHEET,
    BASIC_SHEET,
    BUILDINGS_SHEET,
    BASIC_NOTES_SHEET,
    FUNDING_SHEET,
    GOALS_SHEET,
    INDICATORS_SHEET,
    ORGANIZATION_SHEET,
    REPORT_TEXT_SHEET,
    SANGONG_YUAN_SHEET,
    EXPENSE_SHEET,
    PROJECTS_SHEET,  # before the two sheets that refer to project keys
    PROJECT_TEXT_SHEET,
    METRICS_SHEET,
    PLANS_SHEET,
)

INSTRUCTIONS_SHEET = "填写说明"
INSTRUCTIONS = (
    "本工作簿用于填写一个部门一个年度的整体支出绩效自评基础数据，填好后用 jixiao 生成附件1、附件2和自评报告。",
    "一、请不要修改工作表名称、各表的表头和A列的项目名称；需要增加行时，在表内插入行即可。",
    "二、空白格表示“未填写”（原表该格空白），不等于0；原表填的是0的，请填0。",
    "三、金额单位：附件1基础数据、附件2资金、楼堂馆所投资、项目支出为万元；“三公经费明细（元）”“会议费培训费（元）”两表为元。"
    "只填数字，不要带单位。",
    "四、带下拉箭头的格子请从下拉列表中选择。",
    "五、项目编号、数据编号只能用小写英文字母、数字和下划线，并以字母开头（如 fund_risk）；报告文字中用 {编号} 引用数据，"
    "生成时自动填入数值。",
    "六、一段文字填在一个格子里；多段文字（主要职责、工作成效、工作计划等）每段占一行。",
    "七、“单位信息”中红色项目为必填，其余可按实际情况填写。",
)


# ---------------------------------------------------------------------------------------------------
# Coverage: every leaf field of the schema must have a place in the workbook (checked by the tests).


# Detail of a project's own self-evaluation form (its 资金来源 rows, 年度总体目标 and 绩效指标), read from a
# finished report by `jixiao import`: kept in the YAML/JSON data file, not carried by the workbook.
NOT_IN_WORKBOOK: frozenset[FieldPath] = frozenset(
    {(*NARR, "projects", "sources", key) for key in ("name", "initial_budget", "budget", "spending")}
    | {(*NARR, "projects", "goals", key) for key in ("expected", "actual")}
    | {(*NARR, "projects", "indicators", key) for key in (
        "level1", "level2", "name", "target", "actual", "weight", "score", "deviation_reason", "direction", "band")}
)


def covered_paths() -> set[FieldPath]:
    """Leaf field paths (list indices left out) that the layout writes and reads."""
    paths: set[FieldPath] = set()
    for sheet in SHEETS:
        if isinstance(sheet, FormSheet):
            for block in sheet.blocks:
                for row in block.rows:
                    if isinstance(row, NamedRows):
                        paths.add((*row.path, row.name_key))
                    paths.update((*row.path, col.key) if col.key else row.path for col in row.cols)
        elif sheet.shape == "records":
            paths.update((*sheet.path, column.key) for column in sheet.columns)
        elif sheet.shape == "paragraphs":
            paths.add((*sheet.path, "summary"))
        elif sheet.shape == "plans":
            paths.update({(*sheet.path, "title"), (*sheet.path, "text")})
        else:
            keys = [c.key for c in sheet.columns if not c.key.startswith("@")]
            keys += ["sum_of", "difference_of", "ratio_of"]
            for owner in ((*sheet.path, "target_metrics"), (*sheet.path, "projects", "metrics")):
                paths.update((*owner, key) for key in keys)
    return paths


def schema_leaf_paths(model: type[BaseModel] = DepartmentYear, prefix: FieldPath = ()) -> set[FieldPath]:
    """Every leaf field of the schema, nested models (also inside lists) walked through."""
    paths: set[FieldPath] = set()
    for name, info in model.model_fields.items():
        inner = model_in(info.annotation)
        if inner is None:
            paths.add((*prefix, name))
        else:
            paths |= schema_leaf_paths(inner, (*prefix, name))
    return paths


def field_info(path: FieldPath) -> FieldInfo | None:
    """The schema field at `path` (list indices skipped), or None when the path leaves the schema."""
    model: type[BaseModel] | None = DepartmentYear
    info: FieldInfo | None = None
    for part in path:
        if isinstance(part, int):
            continue
        if model is None or part not in model.model_fields:
            return None
        info = model.model_fields[part]
        model = model_in(info.annotation)
    return info
