"""The data form, generated from the pydantic schema: every field of `DepartmentYear` with its Chinese title.

`build_form(raw)` turns a nested mapping (the stored data's `model_dump()`, or what the user just
posted) into a tree of nodes that the template `_form.html` renders; `parse_form(fields)` turns the
posted fields back into a nested mapping for `DepartmentYear.model_validate`. Field names are the data
paths the form-consistency findings use (`self_assessment.indicators[2].weight`), so findings and
validation errors land next to their fields.

Node shapes, chosen from the annotation:
- a model → `group` (a fieldset); top level: 单位信息, 附件1, 附件2, 自评报告;
- a list of flat models (every field a scalar or a list of words) → `table`, one row per item plus
  blank rows for adding;
- a list of models that hold lists of models (项目支出情况) → `items`, one fieldset per item plus a blank one;
- a list of texts → `lines` (a textarea, one item a line); inside a table row the same;
- a list of lists of words (比率的分子、分母) → `lines` with one inner list a line, words split by commas;
- scalars → `text`, `number` (kept as typed, parsed to Decimal), `integer`, `date`, `select` (Literal),
  `textarea` for long texts.
Numbers are never floats: a posted number is handed to pydantic as the text typed (thousands separators
removed), and Decimal keeps its written digits.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from assistant.model.errors import explain_error
from assistant.model.schema import DepartmentYear
from assistant.web import metric_names, sangong_once
from assistant.web.open_items import field_anchor

BLANK_TABLE_ROWS = 2
LONG_TEXTS = ("frugality_measures", "goals.expected", "goals.actual", "spending_direction", "basic_spending_use",
              "fund_management", "explanation", "reason", "deviation_reason",
              "indicators.name", "indicators.target", "indicators.actual")
# Chinese labels of option codes; the posted value stays the code the data file uses.
OPTION_LABELS = {"auto": "自动（按年度指标值的≥、≤、=判断）", "positive": "正向（越高越好）",
                 "reverse": "反向（越低越好）", "equal": "等于目标值", "qualitative": "定性指标"}


@dataclass
class Node:
    kind: str  # group | table | items | lines | text | number | integer | date | select | textarea
    name: str  # the data path, also the form field name
    title: str
    value: str = ""
    required: bool = False
    help: str | None = None
    options: list[tuple[str, str]] = field(default_factory=list)  # select: (posted code, Chinese label)
    derived_from: str | None = None  # a read-only figure computed from this other field (三公 in 万元)
    children: list["Node"] = field(default_factory=list)  # group: fields; items: one group per item
    columns: list["Node"] = field(default_factory=list)  # table: the column headers (kind per column)
    rows: list[list["Node"]] = field(default_factory=list)  # table: the cells of each row

    @property
    def anchor(self) -> str:
        return field_anchor(self.name)


# -- annotations -------------------------------------------------------------------------------------

def _strip(annotation: Any) -> Any:
    """`X | None` and `Annotated[X, …]` → X."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            arguments = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = arguments[0]
        else:
            return annotation


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _list_item(annotation: Any) -> Any | None:
    if typing.get_origin(annotation) is list:
        return _strip(typing.get_args(annotation)[0])
    return None


def _shape(annotation: Any) -> str:
    annotation = _strip(annotation)
    if _is_model(annotation):
        return "group"
    item = _list_item(annotation)
    if item is not None:
        if _is_model(item):
            return "table" if _is_flat(item) else "items"
        return "word_lists" if _list_item(item) is not None else "lines"
    if typing.get_origin(annotation) is Literal:
        return "select"
    if annotation is Decimal:
        return "number"
    if annotation is int:
        return "integer"
    if annotation is dt.date:
        return "date"
    return "text"


def _is_flat(model: type[BaseModel]) -> bool:
    return all(_shape(f.annotation) not in {"group", "table", "items"} for f in model.model_fields.values())


# -- raw mapping → nodes ------------------------------------------------------------------------------

def build_form(raw: dict | None) -> list[Node]:
    """The form of the whole data, filled from `raw` (None: a blank form). Metric keys are shown as
    their labels (`{基金总收入}`), see `metric_names`."""
    return _fields(DepartmentYear, metric_names.show(raw or {}), "")


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _fields(model: type[BaseModel], raw: Any, prefix: str) -> list[Node]:
    raw = raw if isinstance(raw, dict) else {}
    return [_node(model, name, raw.get(name), _join(prefix, name)) for name in model.model_fields]


def _node(model: type[BaseModel], name: str, value: Any, path: str) -> Node:
    info = model.model_fields[name]
    annotation = _strip(info.annotation)
    shape = _shape(annotation)
    title = info.title or name
    required = info.is_required()
    if shape == "group":
        return Node("group", path, title, children=_fields(annotation, value, path))
    items = value if isinstance(value, list) else []
    if shape == "items":
        model_type = _list_item(annotation)
        children = [Node("group", f"{path}[{i}]", _item_title(i, item),
                         children=_fields(model_type, item, f"{path}[{i}]"))
                    for i, item in enumerate([*items, {}])]
        return Node("items", path, title, children=children)
    if shape == "table":
        row_model = _list_item(annotation)
        columns = [_node(row_model, column, None, column) for column in row_model.model_fields]
        rows = [_fields(row_model, item, f"{path}[{i}]")
                for i, item in enumerate([*items, *([{}] * BLANK_TABLE_ROWS)])]
        return Node("table", path, title, columns=columns, rows=rows)
    kind = shape
    if shape == "text" and _is_long_text(path):
        kind = "textarea"
    if shape == "word_lists":
        kind = "lines"
    if metric_names.is_key(path):
        kind = "hidden"
    options = [(str(code), OPTION_LABELS.get(str(code), str(code))) for code in typing.get_args(annotation)] \
        if shape == "select" else []
    derived = sangong_once.source_of(path)
    return Node(kind, path, title, value=_text(value, shape), required=required,
                help=sangong_once.HELP if derived else _help(shape), options=options, derived_from=derived)


def _item_title(index: int, item: Any) -> str:
    name = item.get("name") if isinstance(item, dict) else None
    return f"第{index + 1}项：{name}" if name else f"第{index + 1}项"


def _is_long_text(path: str) -> bool:
    plain = re.sub(r"\[\d+\]", "", path)
    return any(plain == suffix or plain.endswith("." + suffix) for suffix in LONG_TEXTS)


def _help(shape: str) -> str | None:
    return {"lines": "每行一项", "word_lists": "每行一组，组内用逗号分隔（第1行分子，第2行分母）",
            "date": "如 2025-04-24"}.get(shape)


def _text(value: Any, shape: str) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        if shape == "word_lists":
            return "\n".join(",".join(str(word) for word in group) if isinstance(group, list) else str(group)
                             for group in value)
        return "\n".join(_text(item, "text") for item in value)
    return str(value)


# -- posted fields → raw mapping -------------------------------------------------------------------

def parse_form(fields: typing.Mapping[str, str]) -> dict:
    """The posted form as a nested mapping; blank rows and items are dropped, blanks become None.
    Metric labels typed in texts and relations become keys again; 三公 in 万元 follows the 元 table."""
    raw = _parse_model(DepartmentYear, metric_names.resolve(fields), "")
    return sangong_once.derive(raw)


def _parse_model(model: type[BaseModel], fields: typing.Mapping[str, str], prefix: str) -> dict:
    result: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        path = _join(prefix, name)
        annotation = _strip(info.annotation)
        shape = _shape(annotation)
        if shape == "group":
            nested = _parse_model(annotation, fields, path)
            # An optional group left blank (a project's 年度总体目标) stays absent, as in the stored data.
            optional = info.default is None and info.default_factory is None
            result[name] = None if optional and _is_blank(nested) else nested
            continue
        if shape in {"table", "items"}:
            row_model = _list_item(annotation)
            rows = [_parse_model(row_model, fields, f"{path}[{i}]") for i in _indexes(fields, path)]
            result[name] = [row for row in rows if not _is_blank(row)]
            continue
        text = (fields.get(path) or "").strip()
        if shape == "lines":
            result[name] = [line.strip() for line in text.splitlines() if line.strip()]
        elif shape == "word_lists":
            result[name] = [[word.strip() for word in re.split(r"[,，、]", line) if word.strip()]
                            for line in text.splitlines() if line.strip()]
        elif text:
            result[name] = _number_text(text) if shape in {"number", "integer"} else text
        elif info.is_required() or info.get_default(call_default_factory=True) is None:
            result[name] = None  # required and blank: pydantic says 缺少必填项
    return result


def _number_text(text: str) -> str:
    """1,234.50 and １２ as typed → 1234.50 / 12; the digits themselves are kept."""
    text = text.translate(str.maketrans("０１２３４５６７８９．－", "0123456789.-"))
    return re.sub(r"[,，\s]", "", text)


def _indexes(fields: typing.Mapping[str, str], path: str) -> list[int]:
    pattern = re.compile(re.escape(path) + r"\[(\d+)\]")
    found = {int(match.group(1)) for key in fields for match in [pattern.match(key)] if match}
    return sorted(found)


def _is_blank(value: Any) -> bool:
    if isinstance(value, dict):
        return all(_is_blank(item) for item in value.values())
    if isinstance(value, list):
        return all(_is_blank(item) for item in value)
    return value is None or value == ""


# -- validation errors by field --------------------------------------------------------------------

def path_of(loc: tuple[Any, ...]) -> str:
    """("self_assessment", "indicators", 2, "weight") → "self_assessment.indicators[2].weight"."""
    path = ""
    for item in loc:
        path = f"{path}[{item}]" if isinstance(item, int) else _join(path, str(item))
    return path


def errors_by_field(error: ValidationError) -> dict[str, list[str]]:
    messages: dict[str, list[str]] = {}
    for item in error.errors():
        messages.setdefault(path_of(tuple(item["loc"])), []).append(explain_error(item))
    return messages
