"""Input errors in Chinese, naming the field the way the forms do."""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError


class InputError(Exception):
    """Unusable input. `str(error)` is a one-line Chinese message for the user (exit status 2)."""


def model_in(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model inside an annotation such as `list[Project]` or `MoneyRow | None`."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType, list, tuple) or origin is typing.Annotated:
        for argument in typing.get_args(annotation):
            found = model_in(argument)
            if found is not None:
                return found
    return None


def field_path_label(model: type[BaseModel], loc: tuple[Any, ...]) -> str:
    """("narrative", "projects", 0, "spending") → "自评报告 › 项目支出情况 › 第1项 › 支出数（万元）"."""
    parts: list[str] = []
    current: type[BaseModel] | None = model
    for item in loc:
        if isinstance(item, int):
            parts.append(f"第{item + 1}项")
            continue
        field = current.model_fields.get(str(item)) if current is not None else None
        if field is None:
            parts.append(str(item))
            current = None
            continue
        parts.append(field.title or str(item))
        current = model_in(field.annotation)
    return " › ".join(parts)


_MESSAGES = {
    "missing": "缺少必填项",
    "extra_forbidden": "不是可识别的字段（请检查拼写）",
    "decimal_parsing": "应为数字",
    "decimal_type": "应为数字",
    "int_parsing": "应为整数",
    "int_parsing_size": "数字位数过多",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "string_type": "应为文字",
    "list_type": "应为列表",
    "model_type": "应为一组字段",
    "dict_type": "应为一组字段",
    "date_from_datetime_parsing": "应为日期（如 2025-04-24）",
    "date_parsing": "应为日期（如 2025-04-24）",
    "date_type": "应为日期（如 2025-04-24）",
    "literal_error": "取值不在允许范围内",
    "string_pattern_mismatch": "编号只能用小写英文字母、数字和下划线，且以字母开头",
    "finite_number": "应为有限的数字",
}


def describe_validation_error(model: type[BaseModel], error: ValidationError, limit: int = 5) -> str:
    """All problems of a pydantic error, in Chinese, one clause each (first `limit`)."""
    clauses = []
    for item in error.errors()[:limit]:
        where = field_path_label(model, tuple(item["loc"]))
        clauses.append(f"{where}：{explain_error(item)}")
    more = len(error.errors()) - limit
    suffix = f"（另有{more}处问题）" if more > 0 else ""
    return "；".join(clauses) + suffix


SHOWN_INPUT = 40  # characters of a rejected value quoted back to the user


def shown_input(given: Any) -> str:
    """A rejected value as the message quotes it: at most SHOWN_INPUT characters (a 5,000-digit number
    cannot even be turned into text by `str`)."""
    try:
        text = str(given)
    except ValueError:
        return "（位数过多，无法显示）"
    return text if len(text) <= SHOWN_INPUT else text[:SHOWN_INPUT] + f"…（共{len(text)}个字符）"


def _length(given: Any) -> int:
    return len(given) if isinstance(given, (str, list)) else 0


def _limits(kind: str, context: dict, given: Any) -> str | None:
    """Messages of the schema's limits (magnitude, digits, text length), or None."""
    from assistant.model.schema import DECIMAL_PLACES, WHOLE_DIGITS

    if kind in {"decimal_max_digits", "decimal_whole_digits", "decimal_max_places"}:
        return (f"数字位数超出允许范围（整数部分最多{WHOLE_DIGITS}位、小数最多{DECIMAL_PLACES}位，"
                f"填写的是 {shown_input(given)}）")
    if kind == "string_too_long":
        return f"文字过长（最多{context.get('max_length')}字，填写了{_length(given)}字）"
    if kind == "too_long":
        return f"项数过多（最多{context.get('max_length')}项）"
    return None


def explain_error(item: dict[str, Any]) -> str:
    kind = item["type"]
    context = item.get("ctx") or {}
    given = item.get("input")
    limit = _limits(kind, context, given)
    if limit is not None:
        return limit
    if given is not None:
        given = shown_input(given)
    if kind in {"greater_than_equal", "greater_than"}:
        return f"不能为负数（填写的是 {given}）"
    if kind in {"less_than_equal", "less_than"}:
        bound = context.get("le", context.get("lt"))
        return f"超出允许范围（不能超过 {bound}，填写的是 {given}）" if bound is not None else f"超出允许范围（填写的是 {given}）"
    if kind == "literal_error":
        return f"取值“{given}”不在允许范围内，应为：{context.get('expected', '')}"
    if kind in _MESSAGES:
        shown = f"（填写的是“{given}”）" if kind not in {"missing", "extra_forbidden"} and given is not None else ""
        return _MESSAGES[kind] + shown
    if kind == "value_error":
        return str(context.get("error", item.get("msg", "")))
    return f"填写有误（{given}）"
