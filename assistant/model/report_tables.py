"""The forms of a finished report, recognised by their header words and mapped into data-file fields.

Input: the report's tables as rows of cell texts, in document order. A merged cell appears once in
its row; a cell covered by a vertical merge is empty (Word's own text export, our .docx reader) or
absent (our plain-text rendering). Rows are classified by their words, never by their position in
the document, and value cells are aligned to their header row from the right, so the same code reads
our generated .docx, a department's .docx and the plain-text export of either.

Recognised (header words → block):
- 财政供养人员情况 / 编制数 / 控制率 → 附件1 staffing
- 经费控制情况 / …决算数 / …预算数 → 附件1 money rows (三公经费, 项目支出, 公用经费, 政府采购金额,
  部门基本支出预算调整), 楼堂馆所 / 批复规模 → buildings, 厉行节约保障措施
- 县级预算部门、单位名称 → the department's name
- 年初预算数 / 全年预算数 / 全年执行数 / 执行率 / 自评得分 → 附件2 funding; 按收入性质分 / 按支出性质分
- 预期目标 / 实际完成情况 → 年度总体目标
- 一级指标 / 二级指标 / 三级指标 / 年度指标值 … → 绩效指标; 总分
- 指标 / 本年度 / 年初预算 / 上年度 / 比上年增减 → the report's 三公经费 table (元)
- 调整后预算数 / 执行数 / 权重 (other provinces' 附件2) → funding; 目标值 / 完成值 / 原因 → indicators
- 项目名称 / 转移支付（项目）名称 / 专项资金名称 → a project form: its 主管部门, 实施单位, 项目资金 rows
  (read from the left), 年度总体目标, 绩效指标 and 总分 go to one `narrative.projects` entry, never 附件2

Blank cells stay None. Cells that print a computed figure the data model does not hold (比上年增减,
规模控制率 …) are returned as `StatedCell`s so that an audit can recompute them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

FORM_BASIC = "附件1 基础数据表"
FORM_ASSESSMENT = "附件2 绩效自评表"
FORM_SANGONG = "“三公”经费对比表（元）"
FORM_PROJECT = "项目支出绩效自评表"
FORM_TRANSFER = "转移支付（项目）绩效目标自评表"
FORM_SPECIAL = "专项资金绩效目标自评表"
# The first cell of a project form's name row → the form it starts (项目支出, 转移支付, 专项资金 forms).
PROJECT_NAME_LABELS = (("转移支付", FORM_TRANSFER), ("专项资金名称", FORM_SPECIAL), ("资金名称", FORM_SPECIAL),
                       ("项目名称", FORM_PROJECT))
PROJECT_PARTIES = (("主管部门", "department"), ("主管单位", "department"), ("实施单位", "implementer"))
PARTY_PREFIXES = ("", "县级", "项目", "市级")  # 中央主管部门 / 地方主管部门 name no county department

_FULL_WIDTH = str.maketrans("０１２３４５６７８９．－－−％，：", "0123456789.---%,:")
_BLANK_MARKS = {"", "—", "——", "-", "--", "/", "／", "\\", "无", "…", "……", "...", "－", "–"}
_NUMBER = re.compile(r"^([+-]?)(\d+(?:,\d{3})*|\d+)(\.\d+)?$")
_UNIT_SUFFIX = re.compile(r"(万元|元|%|分|人|个|㎡|m²|m2|平方米)$")
_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
_BETWEEN_WIDE = re.compile(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])")
_NUMBERING = re.compile(r"^(?:[（(]?[0-9一二三四五六七八九十]{1,2}[)）、.．]|[①-⑳])\s*")
_YEAR = re.compile(r"(\d{4})\s*年")
_PAIR = re.compile(r"([^\d:]+?)\s*:\s*([-\d.,]*\d)?")


@dataclass(frozen=True)
class StatedCell:
    """A computed figure a table prints (比上年增减, 规模控制率 …): its ledger key and the printed value."""

    key: str
    text: str
    value: Decimal
    location: str  # Chinese: "“三公”经费对比表（元） › 三公经费合计 › 比上年增减"


@dataclass(frozen=True)
class HeaderYear:
    """A year printed in a form header ("2023年实际在职人数"): which year it should be, relative to the
    report's year (0 this year, -1 the year before)."""

    location: str
    text: str
    year: int
    offset: int


@dataclass
class FormReading:
    """What the tables gave: data-file mappings (plain dicts with Decimal values) and reading notes."""

    name: str | None = None
    years: list[int] = field(default_factory=list)  # years seen in form headers (budget year first)
    basic: dict[str, Any] = field(default_factory=dict)
    assessment: dict[str, Any] = field(default_factory=dict)
    sangong_yuan: dict[str, Any] = field(default_factory=dict)
    forms: list[str] = field(default_factory=list)
    stated: list[StatedCell] = field(default_factory=list)
    projects: list[dict[str, Any]] = field(default_factory=list)  # project forms → narrative.projects
    unread_tables: list[int] = field(default_factory=list)  # indexes of tables no row of which was understood
    party: str | None = None  # 主管部门 (or 实施单位) of a project form: the department when no 单位名称
    header_years: list[HeaderYear] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def found(self, form: str) -> None:
        if form not in self.forms:
            self.forms.append(form)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)


# -- cell text ---------------------------------------------------------------------------------------

def clean_cell(text: str) -> str:
    """Cell text as one line: export artefacts removed, lines joined, spaces inside Chinese text dropped."""
    text = _BOOKMARK.sub("", text)
    text = "".join(line.strip() for line in text.replace("\r", "\n").split("\n"))
    text = _BETWEEN_WIDE.sub("", text)
    return re.sub(r"\s+", " ", text).strip()


def label_of(text: str) -> str:
    """A row label for matching: no spaces, no "其中：", no "1、" numbering, no trailing colon."""
    label = re.sub(r"\s+", "", text).translate(_FULL_WIDTH)
    for _ in range(2):
        label = re.sub(r"^其中:?", "", label)
        label = _NUMBERING.sub("", label)
    return label.rstrip(":")


def is_blank(text: str) -> bool:
    return text.strip().translate(_FULL_WIDTH) in _BLANK_MARKS


def parse_number(text: str) -> Decimal | None:
    """"9.99", "1,234.50", "89.16%", "-39740", "100分" → Decimal; blank marks → None.
    Raises ValueError for text that is neither."""
    cleaned = re.sub(r"\s+", "", text).translate(_FULL_WIDTH)
    if cleaned in _BLANK_MARKS:
        return None
    cleaned = _UNIT_SUFFIX.sub("", cleaned)
    match = _NUMBER.match(cleaned)
    if not match:
        raise ValueError(text)
    try:
        return Decimal(match.group(1) + match.group(2).replace(",", "") + (match.group(3) or ""))
    except InvalidOperation:
        raise ValueError(text) from None


def looks_numeric(text: str) -> bool:
    try:
        return parse_number(text) is not None
    except ValueError:
        return False


def _right(row: Sequence[str], header: Sequence[str], index: int) -> str:
    """The cell of `row` under header column `index`, aligning the two rows at their right end
    (cells covered by a vertical merge on the left may be absent)."""
    position = len(row) - (len(header) - index)
    return row[position] if 0 <= position < len(row) else ""


def _left(row: Sequence[str], index: int) -> str:
    """The cell of `row` under header column `index`, aligning the two rows at their left end
    (for tables whose merged column is the last one, such as the 三公 table's 说明)."""
    return row[index] if index < len(row) else ""


# -- the reader ----------------------------------------------------------------------------------------

MONEY_COLUMNS = ("prior_final", "budget", "final")
HEADER_CELL_MAX = 24  # characters: longer cells are content, not header words
SANGONG_ROWS = {  # 三公 table label → narrative.sangong row
    "total": ("三公经费合计", "合计", "三公经费"),
    "reception": ("公务接待",),
    "vehicle": ("公务用车", "公车"),
    "overseas": ("出国",),
}
INCOME_FIELDS = (
    ("general_public", ("一般公共预算",)),
    ("government_fund", ("政府性基金",)),
    ("special_account", ("专户", "非税收入")),
    ("other", ("其他资金", "单位资金", "其他收入")),
)
EXPENDITURE_FIELDS = (("basic", ("基本支出",)), ("project", ("项目支出",)))
INDICATOR_COLUMNS = (  # header word → field (first match wins; 自评得分 before 分值)
    ("一级指标", "level1"), ("二级指标", "level2"), ("三级指标", "name"), ("指标值", "target"),
    ("目标值", "target"), ("实际完成", "actual"), ("完成值", "actual"), ("实际值", "actual"),
    ("得分", "score"), ("分值", "weight"), ("权重", "weight"), ("偏差", "deviation_reason"),
    ("原因", "deviation_reason"),
)
PROJECT_FUNDING_COLUMNS = (  # header word → Project field (first match wins: 执行率 before 执行数)
    ("执行率", "stated_rate"), ("得分", "stated_score"), ("分值", "weight"), ("权重", "weight"),
    ("年初预算", "initial_budget"), ("执行数", "spending"), ("支出数", "spending"), ("预算数", "budget"),
)
LEVEL1 = (("产出", "产出指标"), ("效益", "效益指标"), ("满意", "满意度指标"))
LEVEL2_TO_LEVEL1 = (
    (("数量", "质量", "时效", "成本"), "产出指标"),
    (("经济", "社会", "生态", "可持续"), "效益指标"),
    (("满意",), "满意度指标"),
)


class FormReader:
    """Feed it the tables in document order; read the result from `.reading`."""

    def __init__(self) -> None:
        self.reading = FormReading()
        self.mode: str | None = None
        self.header: list[str] = []
        self.columns: dict[str, int] = {}
        self.block: str | None = None  # inside 附件1 money rows: sangong / projects / public
        self.level1: str | None = None
        self.level2: str | None = None
        self.years: list[int] = []  # years named in the 三公 table's header (上年, 本年)
        self.project: dict[str, Any] | None = None  # the project form being read (项目支出/转移支付 …)
        self.tables_seen = 0
        self.handled = True  # whether the last row was understood (a table none of whose rows is: unread)

    # -- entry point -------------------------------------------------------------------------------
    def table(self, rows: Sequence[Sequence[str]]) -> None:
        self.mode, self.block = None, None
        used = False
        for raw in rows:
            row = [clean_cell(cell) for cell in raw]
            if any(row):
                self.handled = True
                self.row(row)
                used = used or self.handled
        if not used:
            self.reading.unread_tables.append(self.tables_seen)
        self.tables_seen += 1

    def row(self, row: list[str]) -> None:
        labels = [label_of(cell) for cell in row]
        # Header words come from short cells only: a long text cell (a goal, a measure) is content.
        words = "".join(label for label in labels if len(label) <= HEADER_CELL_MAX)
        first = next((label for label in labels if label), "")
        project_form = next((form for word, form in PROJECT_NAME_LABELS if first.startswith(word)), None)
        if project_form and len(first) <= HEADER_CELL_MAX and "预算" not in words:
            self._project(row, labels, project_form)
            return
        if self.project is not None and any(word in first for word, _ in PROJECT_PARTIES):
            self._project_party(row, labels)
            return
        if first.startswith("厉行节约"):
            index = labels.index(first)
            self.reading.basic["frugality_measures"] = "".join(cell for cell in row[index + 1:] if cell) or None
            self.mode = None
        elif (first.startswith("总分") and self.mode in (None, "indicators")) or (
                self.mode == "indicators" and first in ("合计", "总计", "自评总分")):
            self._total(row[labels.index(first):])
            self.mode = None
        elif any("单位名称" in label for label in labels):
            self.project = None
            self._name(row, labels)
        elif "编制数" in words and ("控制率" in words or "在职" in words):
            self._start("staffing", row)
            self.reading.found(FORM_BASIC)
            for cell in row:
                if "在职" in cell and (year := _YEAR.search(cell)):
                    self.reading.header_years.append(HeaderYear(
                        "附件1 › 财政供养人员情况 › 表头", label_of(cell), int(year.group(1)), 0))
        elif "一级指标" in words and "三级指标" in words:
            self._start("indicators", row)
            if self.project is None:
                self.reading.found(FORM_ASSESSMENT)
            self.columns = self._indicator_columns(row)
            self.level1 = self.level2 = None
        elif self.project is not None and "预算" in words and ("执行" in words or "支出" in words):
            self._start("project_funding", row)
        elif "年初预算数" in words and any(word in words for word in ("全年执行数", "全年预算数", "调整后预算", "执行数")):
            self._start("funding", row)
            self.reading.found(FORM_ASSESSMENT)
        elif ("预期目标" in words or "设定目标" in words) and "实际完成" in words:
            self._start("goals", row)
        elif ("本年度" in words and "上年度" in words) or (
                "年初预算" in words and "决算" not in words and len(set(_YEAR.findall(words))) >= 2):
            self._start("sangong_yuan", row)
            self.reading.found(FORM_SANGONG)
            self.years = sorted({int(y) for y in _YEAR.findall(words)})
        elif "决算数" in words and "预算数" in words:
            self._money_header(row)
        elif "楼堂馆所" in words or "批复规模" in words:
            self._start("buildings", row)
            self.reading.basic.setdefault("buildings", [])
        elif self.mode is None and any("性质分" in label for label in labels):
            self.mode = "breakdown"  # a breakdown table of its own (nested in the funding cell, or pasted apart)
            self._breakdown_row(row, labels)
        else:
            handler = getattr(self, f"_{self.mode}_row", None) if self.mode else None
            self.handled = handler is not None
            if handler is not None:
                handler(row, labels)

    def _start(self, mode: str, header: list[str]) -> None:
        self.mode, self.header, self.block = mode, header, None

    def _number(self, text: str, where: str) -> Decimal | None:
        try:
            return parse_number(text)
        except ValueError:
            self.reading.note(f"{where}：“{text}”不是数字，按空白读取")
            return None

    # -- identity ----------------------------------------------------------------------------------
    def _name(self, row: list[str], labels: list[str]) -> None:
        for index, label in enumerate(labels):
            if "单位名称" in label:
                rest = [cell for cell in row[index + 1:] if cell]
                if rest:
                    self.reading.name = rest[0]
                return

    # -- 附件1 ---------------------------------------------------------------------------------------
    def _staffing_row(self, row: list[str], labels: list[str]) -> None:
        fields = {}
        for index, head in enumerate(self.header):
            head = label_of(head)
            cell = _right(row, self.header, index)
            where = f"附件1 › 财政供养人员情况 › {head}"
            if head.startswith("编制数"):
                fields["authorized"] = self._count(cell, where)
            elif "在职" in head:
                fields["active"] = self._count(cell, where)
            elif "控制率" in head:
                fields["stated_control_rate"] = self._number(cell, where)
        if any(value is not None for value in fields.values()):
            self.reading.basic["staffing"] = fields
            self.mode = None

    def _count(self, text: str, where: str) -> int | None:
        value = self._number(text, where)
        if value is None:
            return None
        if value != value.to_integral_value():
            self.reading.note(f"{where}：人数“{text}”不是整数，按空白读取")
            return None
        return int(value)

    def _money_header(self, row: list[str]) -> None:
        self._start("money", row)
        self.reading.found(FORM_BASIC)
        self.reading.basic["unit"] = "元" if re.search(r"[（(]元[)）]", row[0]) else "万元"
        years = [int(match.group(1)) for cell in row if (match := _YEAR.search(cell))]
        columns: dict[str, int] = {}
        budget_years = [int(m.group(1)) for cell in row if "预算" in cell and (m := _YEAR.search(cell))]
        final_cells = [(i, cell) for i, cell in enumerate(row) if "决算" in cell]
        for index, cell in enumerate(row):
            if "预算" in cell and "决算" not in cell:
                columns["budget"] = index
        if len(final_cells) >= 2:
            ordered = sorted(final_cells, key=lambda item: (int(m.group(1)) if (m := _YEAR.search(item[1])) else 0,
                                                             "上年" not in item[1]))
            columns["prior_final"], columns["final"] = ordered[0][0], ordered[-1][0]
        if len(columns) < 3:  # no years: the standard order 上年决算 | 本年预算 | 本年决算
            columns = {name: len(row) - 3 + offset for offset, name in enumerate(MONEY_COLUMNS)}
        self.columns = columns
        if budget_years:
            self.reading.years.insert(0, budget_years[0])
        self.reading.years.extend(years)
        for name, offset in (("prior_final", -1), ("budget", 0), ("final", 0)):
            cell = row[columns[name]] if columns[name] < len(row) else ""
            if year := _YEAR.search(cell):
                self.reading.header_years.append(HeaderYear(
                    "附件1 › 经费控制情况 › 表头", label_of(cell), int(year.group(1)), offset))

    def _money_values(self, row: list[str], where: str) -> dict[str, Decimal | None]:
        values = {}
        for name in MONEY_COLUMNS:
            cell = _right(row, self.header, self.columns[name])
            values[name] = self._number(cell, f"{where} › {_COLUMN_TITLES[name]}")
        return values

    def _money_row(self, row: list[str], labels: list[str]) -> None:
        label = next((label for label, cell in zip(labels, row) if cell and not looks_numeric(cell)), "")
        if not label or set(label) <= set("…．.。·"):
            return
        basic = self.reading.basic
        key = self._money_key(label)
        where = f"附件1 › {label}"
        if key == "projects.item":
            basic.setdefault("projects", {}).setdefault("items", []).append(
                {"name": label, **self._money_values(row, where)})
            return
        if key is None:
            self.reading.note(f"附件1中的“{label}”一行未能识别，已跳过")
            return
        group, _, name = key.partition(".")
        values = self._money_values(row, where)
        if name:
            basic.setdefault(group, {})[name] = values
        else:
            basic[group] = values

    def _money_key(self, label: str) -> str | None:
        """附件1 row label → data path ("sangong.total"); "projects.item" for a project category."""
        if "三公" in label:
            self.block = "sangong"
            return "sangong.total"
        if label.startswith("项目支出"):
            self.block = "projects"
            return "projects.total"
        if "公用经费" in label:
            self.block = "public"
            return "public_funds.total"
        if "政府采购" in label:
            self.block = None
            return "procurement"
        if "预算调整" in label:
            self.block = None
            return "basic_budget_adjustment"
        if self.block == "projects":
            return "projects.item"
        if "公务用车" in label:
            return "sangong.vehicle"
        if "购置" in label and ("公车" in label or self.block == "sangong"):
            return "sangong.vehicle_purchase"
        if "运行" in label and ("公车" in label or self.block == "sangong"):
            return "sangong.vehicle_operation"
        if "出国" in label:
            return "sangong.overseas"
        if "接待" in label:
            return "sangong.reception"
        if "办公" in label:
            return "public_funds.office"
        if any(word in label for word in ("水费", "电费", "差旅")):
            return "public_funds.utilities_travel"
        if "会议" in label or "培训" in label:
            return "public_funds.meetings_training"
        return None

    def _buildings_row(self, row: list[str], labels: list[str]) -> None:
        if all(is_blank(cell) for cell in row):
            return
        name = row[0] if row and not looks_numeric(row[0]) else ""
        values = [cell for cell in row[1:]]
        if name == "无" and all(is_blank(cell) for cell in values):
            return
        buildings = self.reading.basic.setdefault("buildings", [])
        number = len(buildings) + 1
        building: dict[str, Any] = {"name": name or f"（未填写名称的项目{number}）"}
        if not name:
            self.reading.note(f"附件1楼堂馆所第{number}行未填写项目名称")
        where = f"附件1 › 楼堂馆所 › {building['name']}"
        for index, head in enumerate(self.header):
            head = label_of(head)
            cell = _right(row, self.header, index)
            target = _BUILDING_COLUMNS.get(next((word for word in _BUILDING_COLUMNS if word in head), ""))
            if target is None:
                continue
            value = self._number(cell, f"{where} › {head}")
            if target.endswith("_rate"):
                if value is not None:
                    self.reading.stated.append(StatedCell(f"building.{number}.{target}", cell, value, f"{where} › {head}"))
            else:
                building[target] = value
        buildings.append(building)

    # -- 附件2 ---------------------------------------------------------------------------------------
    def _funding_row(self, row: list[str], labels: list[str]) -> None:
        if any("性质分" in label for label in labels):
            self.mode = "breakdown"
            self._breakdown_row(row, labels)
            return
        if not any("资金总额" in label for label in labels) and not any(looks_numeric(c) for c in row):
            return
        funding: dict[str, Any] = {}
        for index, head in enumerate(self.header):
            head = label_of(head)
            field_name = next((name for word, name in _FUNDING_COLUMNS if word in head), None)
            if field_name is None:
                continue
            cell = _right(row, self.header, index)
            value = self._number(cell, f"附件2 › 年度资金总额 › {head}")
            if field_name == "weight" and value is None:
                self.reading.note("附件2年度资金总额的分值未填写，按10分读取")
                continue
            funding[field_name] = value
        self.reading.assessment["funding"] = funding

    def _breakdown_row(self, row: list[str], labels: list[str]) -> None:
        pairs: list[tuple[str, str]] = []
        index = 0
        while index < len(row):
            cell = row[index].translate(_FULL_WIDTH)
            if ":" in cell:
                # one pair or several run together ("按收入性质分:2030.12按支出性质分:1925.67", a PDF cell)
                found = _PAIR.findall(cell)
                if len(found) > 1:
                    pairs.extend((label_of(name), value) for name, value in found)
                else:
                    name, _, value = cell.rpartition(":")
                    pairs.append((label_of(name), value.strip()))
            elif cell and not looks_numeric(cell):
                following = row[index + 1] if index + 1 < len(row) else ""
                if looks_numeric(following):
                    pairs.append((label_of(cell), following))
                    index += 1
                else:
                    pairs.append((label_of(cell), ""))
            index += 1
        assessment = self.reading.assessment
        for name, value in pairs:
            if "性质分" in name:
                continue
            for group, fields in (("by_income", INCOME_FIELDS), ("by_expenditure", EXPENDITURE_FIELDS)):
                field_name = next((f for f, words in fields if any(word in name for word in words)), None)
                if field_name is not None:
                    title = "按收入性质分" if group == "by_income" else "按支出性质分"
                    assessment.setdefault(group, {})[field_name] = self._number(value, f"附件2 › {title} › {name}")
                    break

    def _goals_row(self, row: list[str], labels: list[str]) -> None:
        goals: dict[str, Any] = {}
        for index, head in enumerate(self.header):
            head = label_of(head)
            if "预期目标" in head or "设定目标" in head:
                goals["expected"] = _right(row, self.header, index) or None
            elif "实际完成" in head:
                goals["actual"] = _right(row, self.header, index) or None
        (self.project if self.project is not None else self.reading.assessment)["goals"] = goals
        self.mode = None

    def _indicator_columns(self, header: list[str]) -> dict[str, int]:
        columns: dict[str, int] = {}
        for index, cell in enumerate(header):
            head = label_of(cell)
            for word, name in INDICATOR_COLUMNS:
                if word in head and name not in columns:
                    columns[name] = index
                    break
        return columns

    def _indicators_row(self, row: list[str], labels: list[str]) -> None:
        # A row that starts with its 一级指标 is complete on the left (trailing blanks left out, as in
        # flattened text); otherwise cells covered by a merge on the left may be absent: align right.
        from_left = (len(row) < len(self.header) and self.columns.get("level1") == 0
                     and any(word in label_of(row[0]) for word, _ in LEVEL1))

        def cell(name: str) -> str:
            if name not in self.columns:
                return ""
            return _left(row, self.columns[name]) if from_left else _right(row, self.header, self.columns[name])

        name, target, actual = cell("name"), cell("target"), cell("actual")
        weight_text, score_text, reason = cell("weight"), cell("score"), cell("deviation_reason")
        if label_of(name) in {"小计", "合计"}:
            return
        level1_text, level2_text = label_of(cell("level1")), label_of(cell("level2"))
        level1 = next((value for word, value in LEVEL1 if word in level1_text), None)
        if level1:
            if level1 != self.level1:
                self.level2 = None
            self.level1 = level1
        if level2_text:
            self.level2 = level2_text
        if not any((name, target, actual, weight_text, score_text, reason)):
            return
        owner = self.project if self.project is not None else self.reading.assessment
        indicators = owner.setdefault("indicators", [])
        number = len(indicators) + 1
        where = f"{self._form_name()} › 绩效指标第{number}行"
        level1 = self.level1 or next(
            (value for words, value in LEVEL2_TO_LEVEL1 if any(w in (self.level2 or "") for w in words)), None)
        if level1 is None:
            self.reading.note(f"{where}：未能识别一级指标，已跳过该行")
            return
        indicators.append({
            "level1": level1,
            "level2": self.level2 or "",
            "name": name,
            "target": None if is_blank(target) and target != "无" else target,
            "actual": None if is_blank(actual) and actual != "无" else actual,
            "weight": self._number(weight_text, f"{where} › 分值"),
            "score": self._number(score_text, f"{where} › 自评得分"),
            "deviation_reason": None if is_blank(reason) else reason,
        })

    def _total(self, row: list[str]) -> None:
        rest = row[1:]
        while rest and rest[-1] == "" and len(rest) > 2:
            rest = rest[:-1]
        weight = self._number(rest[0], "附件2 › 总分 › 分值") if rest else None
        score = self._number(rest[1], "附件2 › 总分 › 自评得分") if len(rest) > 1 else None
        if len(rest) == 1 and weight is not None:  # a single figure after 总分 is the score
            weight, score = None, weight
        if self.project is not None:
            self.project["stated_total"] = score
            return
        self.reading.assessment["stated_total"] = score
        if weight is not None:
            self.reading.stated.append(StatedCell("weight.total", rest[0], weight, "附件2 › 总分 › 分值"))

    # -- project forms (项目支出绩效自评表, 转移支付（项目）绩效目标自评表 …) --------------------------------------
    def _form_name(self) -> str:
        return self.project["form"] if self.project is not None else "附件2"

    def _project(self, row: list[str], labels: list[str], form: str) -> None:
        index = next(i for i, label in enumerate(labels) if label)
        rest = [cell for cell in row[index + 1:] if cell]
        projects = self.reading.projects
        self.project = {"key": f"form_{len(projects) + 1}", "name": rest[0] if rest else f"（未填写名称的{form}）",
                        "form": form}
        if not rest:
            self.reading.note(f"{form}未填写项目名称")
        projects.append(self.project)
        self.reading.found(form)
        self.mode = None
        for word, field_name in PROJECT_PARTIES:  # 主管部门 / 实施单位 on the name row
            self._party_cells(row, labels, word, field_name)

    def _project_party(self, row: list[str], labels: list[str]) -> None:
        for word, field_name in PROJECT_PARTIES:
            self._party_cells(row, labels, word, field_name)

    def _party_cells(self, row: list[str], labels: list[str], word: str, field_name: str) -> None:
        for index, label in enumerate(labels):
            if any(label == prefix + word for prefix in PARTY_PREFIXES):
                value = next((cell for cell in row[index + 1:index + 2] if cell), None)
                if value and self.project is not None and not self.project.get(field_name):
                    self.project[field_name] = value
                    if field_name == "department" or not self.reading.name:
                        self.reading.party = self.reading.party or value

    def _project_funding_row(self, row: list[str], labels: list[str]) -> None:
        """A row of the 项目资金 block, read from the left: its label, then the header's columns."""
        label = next((label for label in labels if label), "")
        if not label or looks_numeric(label):
            return
        values: dict[str, Decimal | None] = {}
        for index, head in enumerate(self.header):
            head = label_of(head)
            field_name = next((name for word, name in PROJECT_FUNDING_COLUMNS if word in head), None)
            if field_name is None or index == 0:
                continue
            values[field_name] = self._number(_left(row, index), f"{self._form_name()} › {label} › {head}")
        project = self.project
        if "资金总额" in label or label in ("合计", "项目资金"):
            for name, value in values.items():
                project[name] = value
        else:
            project.setdefault("sources", []).append({
                "name": label, **{name: values.get(name) for name in ("initial_budget", "budget", "spending")}})


    def _sangong_yuan_row(self, row: list[str], labels: list[str]) -> None:
        label = next((label for label in labels if label), "")
        row_key = next((key for key, words in SANGONG_ROWS.items() if any(word in label for word in words)), None)
        if "合计" in label or label == "三公经费":
            row_key = "total"
        if row_key is None:
            self.reading.note(f"“三公”经费对比表中的“{label}”一行未能识别，已跳过")
            return
        values: dict[str, Any] = {}
        where = f"{FORM_SANGONG} › {label}"
        for index, head in enumerate(self.header):
            head = label_of(head)
            cell = _left(row, index)
            year = int(match.group(1)) if (match := _YEAR.match(head)) else None
            if head.startswith("本年") or (year is not None and year == self.years[-1] and "预算" not in head):
                values["final"] = self._number(cell, f"{where} › 本年度")
            elif "年初预算" in head or head == "预算":
                values["budget"] = self._number(cell, f"{where} › 年初预算")
            elif head.startswith("上年") or (year is not None and year == self.years[0] and "预算" not in head):
                values["prior_final"] = self._number(cell, f"{where} › 上年度")
            elif "增减" in head:
                percent = "%" in head or "率" in head
                value = self._number(cell, f"{where} › {head}")
                if value is not None:
                    key = f"sangong_yuan.{row_key}.{'change_pct' if percent else 'change'}"
                    self.reading.stated.append(StatedCell(key, cell, value, f"{where} › {head}"))
            elif "说明" in head and cell and not self.reading.sangong_yuan.get("explanation"):
                self.reading.sangong_yuan["explanation"] = cell
        self.reading.sangong_yuan[row_key] = {name: values.get(name) for name in MONEY_COLUMNS}


_COLUMN_TITLES = {"prior_final": "上年决算数", "budget": "本年预算数", "final": "本年决算数"}
_BUILDING_COLUMNS = {
    "批复规模": "approved_area", "实际规模": "actual_area", "规模控制率": "scale_rate",
    "预算投资": "budget_investment", "实际投资": "actual_investment", "投资概算控制率": "investment_rate",
}
_FUNDING_COLUMNS = (
    ("年初预算", "initial_budget"), ("全年预算", "full_year_budget"), ("调整后预算", "full_year_budget"),
    ("执行率", "stated_rate"), ("全年执行", "executed"), ("执行数", "executed"),
    ("得分", "stated_score"), ("分值", "weight"), ("权重", "weight"),
)


def read_forms(tables: Sequence[Sequence[Sequence[str]]]) -> FormReading:
    reader = FormReader()
    for rows in tables:
        reader.table(rows)
    return reader.reading
