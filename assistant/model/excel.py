"""The Excel workbook: write the fill-in template (or a filled copy) and read a filled one back.

The layout (sheets, rows, columns) lives in `assistant.model.excel_layout`; this module only walks it.
Reading builds a plain dict shaped like `DepartmentYear` and remembers, for every field it fills, the
sheet and cell it came from, so that every error — a bad number found while reading or a pydantic
validation error afterwards — names the cell the user has to fix.

Numbers never pass through float: a numeric cell becomes `Decimal(str(value))`, text such as "１６" or
"9,999.5" is parsed as a decimal when unambiguous.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import warnings
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import ValidationError

from assistant.model.errors import InputError, explain_error, field_path_label
from assistant.model.excel_layout import (
    INSTRUCTIONS,
    INSTRUCTIONS_SHEET,
    PROJECTS_SHEET,
    SHEETS,
    TARGETS_OWNER,
    TEMPLATE_BLANK_ROWS,
    TEMPLATE_NAMED_ROWS,
    TITLE_ROWS,
    VALIDATION_LAST_ROW,
    FieldPath,
    FormSheet,
    Kind,
    NamedRows,
    Row,
    TableSheet,
    field_info,
)
from assistant.model.schema import KEY_PATTERN, DepartmentYear

HEADER_ROW = TITLE_ROWS + 1  # first block header of a form sheet; the header of a table sheet
MAX_BLANK_RUN = 200  # stop scanning a sheet after this many empty rows in a row
MAX_MESSAGES = 5

# ---------------------------------------------------------------------------------------------------
# Writing

_TITLE_FONT = Font(bold=True, size=14)
_HINT_FONT = Font(size=9, color="595959")
_HEADER_FONT = Font(bold=True)
_REQUIRED_FONT = Font(bold=True, color="C00000")
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_LABEL_FILL = PatternFill("solid", fgColor="F2F2F2")
_SIDE = Side(style="thin", color="A6A6A6")
_BORDER = Border(left=_SIDE, right=_SIDE, top=_SIDE, bottom=_SIDE)


def write_workbook(path: Path, data: DepartmentYear | None = None) -> None:
    """Write the template (`data` None: empty, a few blank rows for lists) or `data` in full."""
    raw = data.model_dump() if data is not None else None
    book = Workbook()
    _write_instructions(book.active)
    for sheet in SHEETS:
        ws = book.create_sheet(sheet.name)
        checks = _Checks(ws)
        if isinstance(sheet, FormSheet):
            _write_form(ws, sheet, raw, checks)
        else:
            _write_table(ws, sheet, raw, checks)
    try:
        book.save(Path(path))
    except FileNotFoundError:
        raise InputError(f"无法写入 {path}：所在文件夹不存在") from None
    except IsADirectoryError:
        raise InputError(f"无法写入 {path}：这是一个文件夹，请给出文件名（如 模板.xlsx）") from None
    except PermissionError:
        raise InputError(f"无法写入 {path}：没有写入权限，或文件正被 Excel、WPS 打开（请先关闭）") from None
    except OSError as error:
        raise InputError(f"无法写入 {path}：{error.strerror or error}") from None


class _Checks:
    """Excel data validations of one sheet: one drop-down per choice list, one check per number kind."""

    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self.made: dict[Kind, DataValidation] = {}

    def add(self, kind: Kind, ref: str) -> None:
        validation = self.made.get(kind)
        if validation is None:
            validation = self._make(kind)
            if validation is None:
                return
            self.made[kind] = validation
            self.ws.add_data_validation(validation)
        validation.add(ref)

    @staticmethod
    def _make(kind: Kind) -> DataValidation | None:
        if kind.choices:
            labels = [label for label, _ in kind.choices]
            return DataValidation(
                type="list",
                formula1='"' + ",".join(labels) + '"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="请从下拉列表中选择",
                error="可选：" + "、".join(labels),
            )
        if kind.minimum is not None:
            whole = kind.parser == "count"
            return DataValidation(
                type="whole" if whole else "decimal",
                operator="greaterThanOrEqual",
                formula1=str(kind.minimum),
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="请填写数字",
                error=f"请填写不小于{kind.minimum}的{'整数' if whole else '数字'}；空白表示未填写。",
            )
        return None


def _write_instructions(ws: Worksheet) -> None:
    ws.title = INSTRUCTIONS_SHEET
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 110
    ws.cell(1, 1, "填写说明").font = _TITLE_FONT
    row = 3
    for paragraph in INSTRUCTIONS:
        ws.merge_cells(start_row=row, end_row=row, start_column=1, end_column=2)
        ws.cell(row, 1, paragraph).alignment = Alignment(wrap_text=True, vertical="top")
        row += 1
    row += 1
    _write_header(ws, row, ("工作表", "填写内容"), ())
    for sheet in SHEETS:
        row += 1
        ws.cell(row, 1, sheet.name).border = _BORDER
        hint = ws.cell(row, 2, f"{sheet.title}。{sheet.hint}")
        hint.alignment = Alignment(wrap_text=True, vertical="top")
        hint.border = _BORDER


def _write_heading(ws: Worksheet, title: str, hint: str, widths: list[float]) -> None:
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    for row, text, font in ((1, title, _TITLE_FONT), (2, hint, _HINT_FONT)):
        ws.merge_cells(start_row=row, end_row=row, start_column=1, end_column=len(widths))
        cell = ws.cell(row, 1, text)
        cell.font = font
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    ws.row_dimensions[2].height = 30
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToHeight = 0


def _write_header(ws: Worksheet, row: int, headers: tuple[str, ...], required: tuple[bool, ...]) -> None:
    for column, text in enumerate(headers, start=1):
        cell = ws.cell(row, column, text)
        is_required = column - 1 < len(required) and required[column - 1]
        cell.font = _REQUIRED_FONT if is_required else _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _put(ws: Worksheet, row: int, column: int, value: Any, kind: Kind, checks: _Checks | None) -> None:
    cell = ws.cell(row, column)
    if kind.choices and value is not None:
        value = dict((stored, label) for label, stored in kind.choices).get(value, value)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters cannot be stored in .xlsx
    if value is not None:
        cell.value = value
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"  # text such as "= a + b" must not become a formula
    cell.number_format = kind.number_format
    cell.border = _BORDER
    cell.alignment = Alignment(wrap_text=kind.wrap, vertical="top")
    if checks is not None:
        checks.add(kind, cell.coordinate)


def _label(ws: Worksheet, row: int, text: str | None, indent: int = 0, required: bool = False) -> None:
    cell = ws.cell(row, 1, text)
    cell.fill = _LABEL_FILL
    cell.border = _BORDER
    cell.alignment = Alignment(indent=indent, vertical="top", wrap_text=True)
    if required:
        cell.font = _REQUIRED_FONT


def _dig(raw: Any, path: FieldPath) -> Any:
    for part in path:
        if raw is None:
            return None
        raw = raw[part]
    return raw


def _is_required(path: FieldPath) -> bool:
    info = field_info(path)
    return info is not None and info.is_required()


def _write_form(ws: Worksheet, sheet: FormSheet, raw: dict | None, checks: _Checks) -> None:
    _write_heading(ws, sheet.title, sheet.hint, list(sheet.widths))
    ws.freeze_panes = f"B{TITLE_ROWS + 1}"
    row = HEADER_ROW
    for block in sheet.blocks:
        _write_header(ws, row, block.headers, ())
        row += 1
        for spec in block.rows:
            for values, label, indent in _form_lines(spec, raw):
                _label(ws, row, label, indent, isinstance(spec, Row) and _is_required(spec.path))
                for column, (col, value) in enumerate(zip(spec.cols, values), start=2):
                    _put(ws, row, column, value, col.kind, checks)
                row += 1


def _form_lines(spec: Row | NamedRows, raw: dict | None) -> list[tuple[list[Any], str | None, int]]:
    """(values per column, column A text, indent) for each sheet row that `spec` takes."""
    if isinstance(spec, NamedRows):
        items = _dig(raw, spec.path) if raw is not None else [None] * TEMPLATE_NAMED_ROWS
        items = items or [None]
        return [
            ([_dig(item, (col.key,)) for col in spec.cols], _dig(item, (spec.name_key,)), 1) for item in items
        ]
    if spec.repeated:
        elements = (_dig(raw, spec.path) if raw is not None else None) or [None]
        return [([element], spec.label, spec.indent) for element in elements]
    values = [_dig(raw, (*spec.path, col.key) if col.key else spec.path) for col in spec.cols]
    if raw is None and spec.cols[0].kind.choices:
        values = [spec.cols[0].kind.choices[0][1]]  # e.g. 金额单位 shows its default 万元
    return [(values, spec.label, spec.indent)]


def _write_table(ws: Worksheet, sheet: TableSheet, raw: dict | None, checks: _Checks) -> None:
    _write_heading(ws, sheet.title, sheet.hint, [column.width for column in sheet.columns])
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    required = tuple(_column_required(sheet, column.key) for column in sheet.columns)
    _write_header(ws, HEADER_ROW, tuple(column.header for column in sheet.columns), required)
    lines = _table_lines(sheet, raw) if raw is not None else []
    blank = TEMPLATE_BLANK_ROWS if raw is None else 2
    for offset, values in enumerate([*lines, *([{}] * blank)], start=HEADER_ROW + 1):
        for column_index, column in enumerate(sheet.columns, start=1):
            _put(ws, offset, column_index, values.get(column.key), column.kind, None)
    for column_index, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(column_index)
        checks.add(column.kind, f"{letter}{HEADER_ROW + 1}:{letter}{VALIDATION_LAST_ROW}")


def _column_required(sheet: TableSheet, key: str) -> bool:
    if key == "@owner" or (sheet.shape == "plans" and key == "title"):
        return True
    if sheet.shape == "metrics":
        return _is_required(("narrative", "target_metrics", 0, key))
    return not key.startswith("@") and _is_required((*sheet.path, 0, key))


def _table_lines(sheet: TableSheet, raw: dict) -> list[dict[str, Any]]:
    """One dict (column key → value) per table row."""
    if sheet.shape == "records":
        return list(_dig(raw, sheet.path))
    projects = raw["narrative"]["projects"]
    if sheet.shape == "paragraphs":
        return [{"@owner": p["key"], "@text": text} for p in projects for text in p["summary"]]
    if sheet.shape == "metrics":
        owned = [(TARGETS_OWNER, m) for m in raw["narrative"]["target_metrics"]]
        owned += [(p["key"], m) for p in projects for m in p["metrics"]]
        return [{**m, "@owner": owner, "@relation": format_relation(m)} for owner, m in owned]
    lines = []
    for plan in _dig(raw, sheet.path):
        for index, text in enumerate(plan["text"] or [None]):
            lines.append({"title": plan["title"] if index == 0 else None, "@text": text})
    return lines


def format_relation(metric: dict[str, Any]) -> str | None:
    """sum_of → "a + b", difference_of → "a - b", ratio_of → "a / (a + b)"."""

    def group(keys: list[str]) -> str:
        return keys[0] if len(keys) == 1 else "(" + " + ".join(keys) + ")"

    if metric.get("sum_of"):
        return " + ".join(metric["sum_of"])
    if metric.get("difference_of"):
        return " - ".join(metric["difference_of"])
    if metric.get("ratio_of"):
        numerator, denominator = metric["ratio_of"]
        return f"{group(numerator)} / {group(denominator)}"
    return None


# ---------------------------------------------------------------------------------------------------
# Reading


def read_workbook(path: Path) -> DepartmentYear:
    """Read a filled workbook; any problem raises `InputError` naming the sheet and cell."""
    path = Path(path)
    reader = _Reader(path, _open(path))
    reader.check_sheets()
    for sheet in SHEETS:
        if isinstance(sheet, FormSheet):
            reader.read_form(sheet)
        else:
            reader.read_table(sheet)
    return reader.finish()


def _open(path: Path, values_only: bool = False) -> Workbook:
    if not path.exists():
        raise InputError(f"找不到数据文件：{path}")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about WPS/Excel extensions it drops
            return load_workbook(path, data_only=values_only)
    except PermissionError:
        raise InputError(f"{path.name}：无法读取（文件是否正被 Excel 或 WPS 打开？）") from None
    except Exception:  # noqa: BLE001 - zip, XML and openpyxl errors all mean "not a usable .xlsx"
        raise InputError(
            f"{path.name}：无法打开，不是有效的 Excel 工作簿（.xlsx）或文件已损坏；"
            "如果是 .xls 或 .et 格式，请在 Excel/WPS 中“另存为” .xlsx 后再试"
        ) from None


@dataclass(frozen=True)
class _Where:
    """Where a value was read: sheet, cell ("C7", None when the row is missing) and what it is."""

    sheet: str
    cell: str | None
    what: str

    def clause(self, problem: str) -> str:
        if self.cell is None:
            return f"工作表“{self.sheet}”（{self.what}）{problem}"
        return f"工作表“{self.sheet}”单元格{self.cell}（{self.what}）{problem}"


class _Bad(Exception):
    """A cell that cannot be read; the message completes "单元格C7（…）"."""


@dataclass
class _Line:
    """One table row: parsed values and where each came from, by column key."""

    number: int
    values: dict[str, Any] = field(default_factory=dict)
    wheres: dict[str, _Where] = field(default_factory=dict)


class _Reader:
    def __init__(self, path: Path, book: Workbook) -> None:
        self.path = path
        self.book = book
        self.cached: Workbook | None = None  # the same file with formula results, loaded on demand
        self.data: dict[str, Any] = {}
        self.where: dict[tuple, _Where] = {}
        self.problems: list[str] = []
        self.sheet_names: dict[str, str] = {}
        self.project_index: dict[str, int] = {}
        self.unknown_owners: set[tuple[str, str]] = set()

    # -- sheets ---------------------------------------------------------------------------------------

    def check_sheets(self) -> None:
        present = {_norm(name): name for name in self.book.sheetnames}
        missing = [sheet.name for sheet in SHEETS if _norm(sheet.name) not in present]
        if missing:
            expected = {_norm(sheet.name) for sheet in SHEETS} | {_norm(INSTRUCTIONS_SHEET)}
            unknown = [name for key, name in present.items() if key not in expected]
            which = "、".join(f"“{name}”" for name in missing)
            message = (
                f"{self.path.name}：找不到工作表{which}（是否被改名或删除？）；"
                f"应有的工作表：{'、'.join(sheet.name for sheet in SHEETS)}"
            )
            if unknown:
                message += f"；无法识别的工作表：{'、'.join(unknown)}"
            raise InputError(message)
        self.sheet_names = {sheet.name: present[_norm(sheet.name)] for sheet in SHEETS}

    def _rows(self, sheet_name: str, width: int, start: int) -> Any:
        """(row number, cells) from `start` down, stopping after a long run of empty rows."""
        ws = self.book[self.sheet_names[sheet_name]]
        blank_run = 0
        for number, cells in enumerate(ws.iter_rows(min_row=start, max_col=width), start=start):
            if all(_blank(cell.value) for cell in cells):
                blank_run += 1
                if blank_run > MAX_BLANK_RUN:
                    return
                continue
            blank_run = 0
            yield number, cells

    # -- cells ----------------------------------------------------------------------------------------

    def value(self, cell: Any, kind: Kind, where: _Where) -> Any:
        """The parsed value of `cell` (None when blank); a bad cell is noted and reads as None."""
        raw = cell.value
        if cell.data_type == "f":
            raw = self._formula_result(cell)
            if raw is None:
                self.problems.append(where.clause("是公式，但文件里没有保存计算结果，请用 Excel 或 WPS 打开并保存后再试"))
                return None
        try:
            return _parse(raw, kind, cell.number_format)
        except _Bad as bad:
            self.problems.append(where.clause(str(bad)))
            return None

    def _formula_result(self, cell: Any) -> Any:
        if self.cached is None:
            self.cached = _open(self.path, values_only=True)
        return self.cached[cell.parent.title][cell.coordinate].value

    def _list_at(self, path: FieldPath) -> list:
        node: Any = self.data
        for part in path[:-1]:
            node = node[part] if isinstance(part, int) else node.setdefault(part, {})
        return node.setdefault(path[-1], [])

    def _set(self, path: tuple, value: Any) -> None:
        """Set a form value; a blank one only creates the enclosing groups, so that a missing required
        field is reported as such (identity › name) rather than as a missing group (identity)."""
        node: Any = self.data
        for part in path[:-1]:
            node = node[part] if isinstance(part, int) else node.setdefault(part, {})
        if value is not None:
            node[path[-1]] = value

    # -- form sheets ----------------------------------------------------------------------------------

    def read_form(self, sheet: FormSheet) -> None:
        labels: dict[str, tuple[Row, tuple[str, ...]]] = {}
        regions: dict[str, tuple[NamedRows, tuple[str, ...]]] = {}  # anchor label → free rows after it
        headers = set()
        for block in sheet.blocks:
            headers.add(_norm(block.headers[0]))
            anchor = None
            for spec in block.rows:
                if isinstance(spec, NamedRows):
                    regions[anchor] = (spec, block.headers)
                else:
                    anchor = _norm(spec.label)
                    labels[anchor] = (spec, block.headers)
        width = max(len(block.headers) for block in sheet.blocks)
        seen: set[str] = set()
        region: tuple[NamedRows, tuple[str, ...]] | None = None
        last: tuple[Row, tuple[str, ...]] | None = None  # the row a label-less continuation belongs to
        for number, cells in self._rows(sheet.name, width, HEADER_ROW):
            text = _text(cells[0].value)
            key = _norm(text)
            if key in headers:
                region = last = None
            elif key in labels:
                spec, block_headers = labels[key]
                if key in seen and not spec.repeated:
                    self.problems.append(_Where(sheet.name, f"A{number}", text).clause("在本表中重复出现"))
                seen.add(key)
                self._read_form_row(sheet.name, cells, spec, block_headers)
                region = regions.get(key)
                last = labels[key] if spec.repeated else None
            elif region is not None:
                self._read_named_row(sheet.name, cells, *region, text)
            elif text:
                where = _Where(sheet.name, f"A{number}", "A列项目名称")
                self.problems.append(where.clause(f"“{text}”不是本表的项目（A列的项目名称不要改动）"))
            elif last is not None:
                self._read_form_row(sheet.name, cells, *last)
            else:
                where = _Where(sheet.name, f"A{number}", "A列项目名称")
                self.problems.append(where.clause("未填写，但这一行填了内容"))
        for key, (spec, _) in labels.items():
            if key not in seen and not spec.repeated:
                self.problems.append(f"工作表“{sheet.name}”找不到“{spec.label}”这一行（A列的项目名称不要改动或删除）")

    def _read_form_row(self, sheet: str, cells: tuple, spec: Row, headers: tuple[str, ...]) -> None:
        if spec.repeated:
            elements = self._list_at(spec.path)
            where = _Where(sheet, cells[1].coordinate, spec.label)
            self.where[(*spec.path, len(elements))] = where
            value = self.value(cells[1], spec.cols[0].kind, where)
            if value is not None:
                elements.append(value)
            return
        for index, col in enumerate(spec.cols, start=1):
            path = (*spec.path, col.key) if col.key else spec.path
            what = spec.label if len(spec.cols) == 1 else f"{spec.label} › {headers[index]}"
            where = _Where(sheet, cells[index].coordinate, what)
            self.where[path] = where
            value = self.value(cells[index], col.kind, where)
            self._set(path, value)

    def _read_named_row(
        self, sheet: str, cells: tuple, spec: NamedRows, headers: tuple[str, ...], name: str
    ) -> None:
        items = self._list_at(spec.path)
        base = (*spec.path, len(items))
        record: dict[str, Any] = {}
        name_where = _Where(sheet, cells[0].coordinate, "项目名称")
        self.where[base] = self.where[(*base, spec.name_key)] = name_where
        if name:
            record[spec.name_key] = name
        else:
            self.problems.append(name_where.clause("未填写，但这一行填了金额"))
        for index, col in enumerate(spec.cols, start=1):
            where = _Where(sheet, cells[index].coordinate, f"{name or '项目'} › {headers[index]}")
            self.where[(*base, col.key)] = where
            value = self.value(cells[index], col.kind, where)
            if value is not None:
                record[col.key] = value
        items.append(record)

    # -- table sheets ---------------------------------------------------------------------------------

    def read_table(self, sheet: TableSheet) -> None:
        header_row, found = self._find_header(sheet)
        missing = [column.header for column in sheet.columns if _norm(column.header) not in found]
        if missing:
            wanted = "、".join(f"“{header}”" for header in missing)
            self.problems.append(f"工作表“{sheet.name}”第{header_row}行找不到表头{wanted}（表头不要改动）")
            return
        positions = [found[_norm(column.header)] for column in sheet.columns]
        above: dict[str, Any] = {}
        for number, cells in self._rows(sheet.name, max(positions), header_row + 1):
            if all(_blank(cells[position - 1].value) for position in positions):
                continue
            line = _Line(number)
            inheriting = True
            for column, position in zip(sheet.columns, positions):
                cell = cells[position - 1]
                where = _Where(sheet.name, cell.coordinate, column.header)
                value = self.value(cell, column.kind, where)
                if column.inherit:
                    if value is None and inheriting:
                        value = above.get(column.key)
                    else:
                        inheriting = False
                    above[column.key] = value
                line.values[column.key] = value
                line.wheres[column.key] = where
            getattr(self, f"_place_{sheet.shape}")(sheet, line)

    def _find_header(self, sheet: TableSheet) -> tuple[int, dict[str, int]]:
        """The header row (normally row 3; found by its first header if rows were added or removed
        above it) and the column of each header text."""
        ws = self.book[self.sheet_names[sheet.name]]
        first = _norm(sheet.columns[0].header)
        for cells in ws.iter_rows(min_row=1, max_row=HEADER_ROW + 7):
            texts = {_norm(cell.value): cell.column for cell in cells if not _blank(cell.value)}
            if first in texts:
                return cells[0].row, texts
        return HEADER_ROW, {}

    def _place_records(self, sheet: TableSheet, line: _Line) -> None:
        records = self._list_at(sheet.path)
        base = (*sheet.path, len(records))
        self._note_line(base, line)
        records.append({key: value for key, value in line.values.items() if value is not None})
        if sheet is PROJECTS_SHEET:
            key = line.values.get("key")
            if key in self.project_index:
                self.problems.append(line.wheres["key"].clause(f"项目编号“{key}”重复"))
            elif key is not None:
                self.project_index[key] = len(records) - 1

    def _note_line(self, base: tuple, line: _Line) -> None:
        first = next(iter(line.wheres.values()))
        self.where[base] = _Where(first.sheet, f"A{line.number}", f"第{line.number}行")
        for key, where in line.wheres.items():
            self.where[(*base, key)] = where

    def _project(self, line: _Line) -> int | None:
        owner = line.values["@owner"]
        if owner is None:
            self.problems.append(line.wheres["@owner"].clause("未填写项目编号"))
            return None
        if owner not in self.project_index:
            if (line.wheres["@owner"].sheet, owner) not in self.unknown_owners:  # once per sheet and key
                self.unknown_owners.add((line.wheres["@owner"].sheet, owner))
                known = "、".join(self.project_index) or "无"
                problem = f"项目编号“{owner}”在“项目支出”表中没有（该表的项目编号：{known}）"
                self.problems.append(line.wheres["@owner"].clause(problem))
            return None
        return self.project_index[owner]

    def _place_paragraphs(self, sheet: TableSheet, line: _Line) -> None:
        index = self._project(line)
        text = line.values["@text"]
        if index is None or text is None:
            return
        paragraphs = self._list_at((*sheet.path, index, "summary"))
        self.where[(*sheet.path, index, "summary", len(paragraphs))] = line.wheres["@text"]
        paragraphs.append(text)

    def _place_metrics(self, sheet: TableSheet, line: _Line) -> None:
        if line.values["@owner"] is not None and _norm(line.values["@owner"]) == _norm(TARGETS_OWNER):
            owner: FieldPath = (*sheet.path, "target_metrics")
        else:
            index = self._project(line)
            if index is None:
                return
            owner = (*sheet.path, "projects", index, "metrics")
        metrics = self._list_at(owner)
        base = (*owner, len(metrics))
        self._note_line(base, line)
        record = {k: v for k, v in line.values.items() if v is not None and not k.startswith("@")}
        for key, value in (line.values["@relation"] or {}).items():
            record[key] = value
            self.where[(*base, key)] = line.wheres["@relation"]
        metrics.append(record)

    def _place_plans(self, sheet: TableSheet, line: _Line) -> None:
        plans = self._list_at(sheet.path)
        title, text = line.values["title"], line.values["@text"]
        if title is not None and (not plans or plans[-1]["title"] != title):
            self._note_line((*sheet.path, len(plans)), line)
            plans.append({"title": title, "text": []})
        elif not plans:
            self.problems.append(line.wheres["title"].clause("未填写（每项计划的第一行要填标题）"))
            return
        if text is not None:
            index = len(plans) - 1
            self.where[(*sheet.path, index, "text", len(plans[index]["text"]))] = line.wheres["@text"]
            plans[index]["text"].append(text)

    # -- result ---------------------------------------------------------------------------------------

    def finish(self) -> DepartmentYear:
        if self.problems:
            raise InputError(self._message(self.problems))
        try:
            return DepartmentYear.model_validate(self.data)
        except ValidationError as error:
            clauses = [self._clause(item) for item in error.errors()]
            raise InputError(self._message(clauses)) from None

    def _clause(self, item: Any) -> str:
        loc = tuple(item["loc"])
        for end in range(len(loc), 0, -1):
            where = self.where.get(loc[:end])
            if where is not None:
                return where.clause(explain_error(item))
        return f"{field_path_label(DepartmentYear, loc)}：{explain_error(item)}"

    def _message(self, clauses: list[str]) -> str:
        more = len(clauses) - MAX_MESSAGES
        suffix = f"（另有{more}处问题）" if more > 0 else ""
        return f"{self.path.name}：" + "；".join(clauses[:MAX_MESSAGES]) + suffix


# ---------------------------------------------------------------------------------------------------
# Cell values

_SPACES = re.compile(r"\s+")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_GROUPED_NUMBER = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")
_DATE_TEXT = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_KEY = re.compile(KEY_PATTERN)
_RELATION_HELP = "计算关系应写成 a + b、a - b 或 a / (a + b)（a、b 为编号）"


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _norm(text: Any) -> str:
    """Comparable form of a label or header: width-folded, no spaces, no leading "其中："."""
    folded = _SPACES.sub("", unicodedata.normalize("NFKC", _text(text)))
    return folded.removeprefix("其中:").rstrip(":")


def _parse(value: Any, kind: Kind, number_format: str) -> Any:
    if _blank(value):
        return None
    return _PARSERS[kind.parser](value, kind, number_format)


def _tidy(number: Decimal) -> Decimal:
    """Integral values lose a trailing ".0" (16.0 → 16); others keep their digits."""
    if number == number.to_integral_value():
        return Decimal(int(number))
    return number


def _shown(value: Any) -> str:
    return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else str(value)


def _decimal(value: Any, suffixes: tuple[str, ...] = ()) -> Decimal:
    if isinstance(value, bool) or isinstance(value, (dt.date, dt.datetime, dt.time)):
        raise _Bad(f"应为数字，填写的是“{_shown(value)}”")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return _tidy(Decimal(str(value)))
    text = unicodedata.normalize("NFKC", str(value)).strip().replace("−", "-")
    for suffix in suffixes:
        text = text.removesuffix(suffix).strip()
    if _GROUPED_NUMBER.fullmatch(text):
        text = text.replace(",", "")
    if _PLAIN_NUMBER.fullmatch(text):
        try:
            return Decimal(text)
        except InvalidOperation:
            pass
    raise _Bad(f"应为数字，填写的是“{str(value).strip()}”")


def _parse_number(value: Any, kind: Kind, number_format: str) -> Decimal:
    return _decimal(value)


def _parse_percent(value: Any, kind: Kind, number_format: str) -> Decimal:
    number = _decimal(value, ("%",))
    if "%" in number_format and isinstance(value, (int, float)):
        number = _tidy(number * 100)  # a cell typed as 89.16% holds 0.8916
    return number


def _parse_whole(value: Any, kind: Kind, number_format: str) -> int:
    number = _decimal(value, ("年",) if kind.parser == "year" else ())
    if number != number.to_integral_value():
        raise _Bad(f"应为整数，填写的是“{_shown(value)}”")
    return int(number)


def _parse_text(value: Any, kind: Kind, number_format: str) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = _decimal(value)
        if "%" in number_format:
            return f"{_tidy(number * 100):f}%"
        return f"{number:f}"
    return str(value).strip()


def _parse_date(value: Any, kind: Kind, number_format: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 1 <= value < 2958466:
        return from_excel(value).date()  # a date serial number without date formatting
    match = _DATE_TEXT.fullmatch(unicodedata.normalize("NFKC", str(value)).strip())
    if match:
        try:
            return dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            pass
    raise _Bad(f"应为日期（如 2025-04-24），填写的是“{_shown(value)}”")


def _parse_choice(value: Any, kind: Kind, number_format: str) -> str:
    wanted = _norm(value)
    for label, stored in kind.choices:
        if wanted in (_norm(label), _norm(stored)):
            return stored
    options = "、".join(label for label, _ in kind.choices)
    raise _Bad(f"应从下拉列表中选择（{options}），填写的是“{_shown(value)}”")


def _parse_relation(value: Any, kind: Kind, number_format: str) -> dict[str, list]:
    text = unicodedata.normalize("NFKC", str(value)).strip().removeprefix("=")
    text = text.replace("÷", "/").replace("−", "-")

    def keys(part: str, separator: str) -> list[str]:
        part = part.strip()
        if part.startswith("(") and part.endswith(")"):
            part = part[1:-1]
        found = [key.strip() for key in part.split(separator)]
        for key in found:
            if not _KEY.fullmatch(key):
                shown = f"“{key}”不是有效的编号" if key else "格式不正确"
                raise _Bad(f"{shown}；{_RELATION_HELP}，填写的是“{str(value).strip()}”")
        return found

    if "/" in text:
        parts = text.split("/")
        if len(parts) != 2:
            raise _Bad(f"{_RELATION_HELP}，填写的是“{str(value).strip()}”")
        return {"ratio_of": [keys(parts[0], "+"), keys(parts[1], "+")]}
    if "-" in text:
        found = keys(text, "-")
        if len(found) != 2:
            raise _Bad(f"相减关系需要恰好两项；{_RELATION_HELP}，填写的是“{str(value).strip()}”")
        return {"difference_of": found}
    return {"sum_of": keys(text, "+")}


_PARSERS = {
    "text": _parse_text,
    "amount": _parse_number,
    "number": _parse_number,
    "percent": _parse_percent,
    "count": _parse_whole,
    "year": _parse_whole,
    "date": _parse_date,
    "choice": _parse_choice,
    "relation": _parse_relation,
}
