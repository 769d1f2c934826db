"""Read a department-year data file (YAML, JSON or the Excel workbook) into `DepartmentYear`."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from assistant.model.errors import InputError, describe_validation_error
from assistant.model.schema import DepartmentYear

SUFFIXES = {".yaml", ".yml", ".json", ".xlsx"}
# Nesting of a data file: the schema needs 8 levels (narrative › projects › metrics › ratio_of …); deeper
# input is refused before any recursive code (pydantic, the dumper) sees it.
MAX_DEPTH = 32
# Digits of an integer written in the file: Python refuses to convert more than 4300, the schema
# accepts far fewer; longer ones are read as Decimal and refused by the schema with the field named.
INT_DIGITS = 40
DEPTH_MESSAGE = "{name}：嵌套层级过深（超过{limit}层），不是有效的数据文件"


def load(path: str | Path) -> DepartmentYear:
    path = Path(path)
    if not path.exists():
        raise InputError(f"找不到数据文件：{path}")
    if path.is_dir():
        raise InputError(f"{path} 是一个文件夹，请指定数据文件")
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(f"不支持的数据文件类型“{suffix or '无扩展名'}”：请使用 .yaml、.json 或 .xlsx")
    if suffix == ".xlsx":
        from assistant.model.excel import read_workbook  # openpyxl loads only when needed

        return read_workbook(path)
    return loads(_read_text(path), suffix, path.name)


def loads(text: str, suffix: str = ".yaml", source_name: str = "数据") -> DepartmentYear:
    """Data given as text (a stored data version, an upload): YAML, or JSON when `suffix` is .json.
    Errors name `source_name` and the line."""
    raw = parse_json(text, source_name) if suffix.lower() == ".json" else _parse_yaml(text, source_name)
    return from_mapping(raw, source_name)


def from_mapping(raw: Any, source_name: str) -> DepartmentYear:
    if not isinstance(raw, dict):
        raise InputError(f"{source_name}：文件内容应为一组字段（以 identity、basic_data 等开头）")
    try:
        return DepartmentYear.model_validate(raw)
    except ValidationError as error:
        raise InputError(f"{source_name}：{describe_validation_error(DepartmentYear, error)}") from None


class _DecimalLoader(yaml.SafeLoader):
    """YAML floats become Decimal from their written text: 172.40 keeps both decimals, no float.
    Long integers become Decimal too (the schema names the field), and nesting is bounded."""

    depth = 0
    source_name = "数据"

    def compose_node(self, parent, index):
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise InputError(DEPTH_MESSAGE.format(name=self.source_name, limit=MAX_DEPTH)
                                 + f"（第{mark.line + 1}行）")
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _construct_decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal | str:
    text = loader.construct_scalar(node).replace("_", "")
    try:
        return Decimal(text)
    except InvalidOperation:
        return text  # .inf / .nan: validation reports "应为有限的数字"


def _construct_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int | Decimal:
    text = loader.construct_scalar(node).replace("_", "")
    digits = text.lstrip("+-")
    if len(digits) > INT_DIGITS and digits.isdigit():
        return Decimal(text)
    return loader.construct_yaml_int(node)


_DecimalLoader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)
_DecimalLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{path.name}：文件不是 UTF-8 编码，请另存为 UTF-8 后再试") from None
    except OSError as error:
        raise InputError(f"无法读取 {path}：{error.strerror}") from None


def _parse_yaml(text: str, name: str) -> Any:
    loader = _DecimalLoader(text)
    loader.source_name = name
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"第{mark.line + 1}行第{mark.column + 1}列" if mark else "某处"
        raise InputError(f"{name}：YAML 格式错误，位于{where}（{error.problem or '无法解析'}）") from None
    except yaml.YAMLError:
        raise InputError(f"{name}：YAML 格式错误，无法解析") from None
    finally:
        loader.dispose()


def parse_json(text: str, name: str) -> Any:
    """JSON text with numbers as Decimal (never float), long integers as Decimal, nesting bounded."""
    try:
        value = json.loads(text, parse_float=Decimal, parse_int=_json_int)
    except json.JSONDecodeError as error:
        raise InputError(f"{name}：JSON 格式错误，位于第{error.lineno}行第{error.colno}列") from None
    except RecursionError:
        raise InputError(DEPTH_MESSAGE.format(name=name, limit=MAX_DEPTH)) from None
    if _depth(value) > MAX_DEPTH:
        raise InputError(DEPTH_MESSAGE.format(name=name, limit=MAX_DEPTH))
    return value



def _json_int(text: str) -> int | Decimal:
    return int(text) if len(text.lstrip("-")) <= INT_DIGITS else Decimal(text)


def _depth(value: Any) -> int:
    """Nesting depth of parsed JSON, without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, level)
            if level <= MAX_DEPTH:
                stack.extend((child, level + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest
