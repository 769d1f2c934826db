"""Read a finished report (.docx, .txt, .md) back into a `DepartmentYear`, plus its narrative text.

The report's forms (附件1, 附件2, the 三公经费 table) become data-file fields (`report_tables`); the
identity comes from the titles, the “县级预算部门、单位名称” row and the 填表人 line; a few narrative
figures come from simple sentence patterns (干职工/在职/退休人数, 公务接待批次/人次, 会议费/培训费 this
year and last). Everything outside the forms is the narrative text, with a mapping back to the
report's full text so that spans found in the narrative can be shown in the original.

Layouts read:
- .docx: body paragraphs and tables in order; a merged cell once (its grid span), a cell covered by a
  vertical merge as empty text. The "full text" of a .docx is its paragraphs one per line and its
  tables one row per line, cells separated by tabs.
- .txt / .md: Word's plain-text export (a table is a run of lines, one cell per line, each starting
  with a tab; rows separated by blank lines; continuation lines of a cell without the tab), our own
  `--text` rendering (one row per line, cells separated by tabs) and Markdown pipe tables. UTF-8
  (with or without BOM), UTF-16 with BOM and GBK/GB18030 are detected. A leading `---` metadata
  block (the corpus files' header) is not report text; its place/department are used only when the
  report itself does not say.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from bisect import bisect_right
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from assistant.model.text_files import UndecodableText, decode_text
from assistant.model.errors import InputError, describe_validation_error
from assistant.model.report_tables import (
    FORM_ASSESSMENT,
    FORM_BASIC,
    FORM_SANGONG,
    FormReading,
    HeaderYear,
    StatedCell,
    read_forms,
)
from assistant.model.schema import DepartmentYear

__all__ = ["FORM_ASSESSMENT", "FORM_BASIC", "FORM_SANGONG", "HeaderYear", "ReportContents", "Segment", "StatedCell", "read_report"]

SUFFIXES = {".docx", ".txt", ".md", ".markdown", ".text"}


@dataclass(frozen=True)
class Segment:
    """`length` characters at `start` of the narrative are the characters at `original` of the full text."""

    start: int
    original: int
    length: int


@dataclass(frozen=True)
class ReportContents:
    """What a finished report holds: its data, its full text and its narrative (the text outside the forms)."""

    data: DepartmentYear
    path: Path
    kind: str  # "docx" or "text"
    original: str  # the whole report as text (for a .docx: paragraphs and table rows, one per line)
    narrative: str  # everything outside the forms, lines joined by "\n"
    segments: tuple[Segment, ...]
    forms: tuple[str, ...]  # recognised: 附件1 基础数据表, 附件2 绩效自评表, “三公”经费对比表（元）
    stated_cells: tuple[StatedCell, ...] = ()  # computed figures the tables print (比上年增减 …)
    header_years: tuple[HeaderYear, ...] = ()  # years printed in form headers (2023年决算数 …)
    notes: tuple[str, ...] = ()  # what the reader could not read or read by assumption (Chinese)
    encoding: str | None = None

    def original_offset(self, position: int) -> int:
        """The offset in `original` of narrative position `position` (an end offset maps to the end
        of the character before it)."""
        starts = [segment.start for segment in self.segments]
        index = bisect_right(starts, position) - 1
        if index < 0:
            return 0
        segment = self.segments[index]
        return segment.original + min(position - segment.start, segment.length)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """A narrative span [start, end) as a span of `original`."""
        if end <= start:
            begin = self.original_offset(start)
            return begin, begin
        return self.original_offset(start), self.original_offset(end - 1) + 1


# -- blocks of a document -----------------------------------------------------------------------------

@dataclass
class _Line:
    text: str
    start: int  # offset in the full text
    furniture: bool = False  # form labels, titles and notes: not narrative
    meta: bool = False  # the corpus files' `---` header: not report text at all


@dataclass
class _Table:
    rows: list[list[str]]
    start: int
    end: int


@dataclass
class _Source:
    kind: str
    original: str
    blocks: list[_Line | _Table]
    meta: dict[str, str] = field(default_factory=dict)
    encoding: str | None = None


def read_report(path: str | Path) -> ReportContents:
    """Read a finished report. Unusable input raises `InputError` with one Chinese line."""
    path = Path(path)
    source = _read_source(path)
    tables = [block.rows for block in source.blocks if isinstance(block, _Table)]
    reading = read_forms(tables)
    if FORM_BASIC not in reading.forms and FORM_ASSESSMENT not in reading.forms:
        found = "只找到“三公”经费对比表，" if FORM_SANGONG in reading.forms else ""
        where = f"{len(tables)}个表格中" if tables else "文件中没有表格，"
        raise InputError(
            f"{path.name}：未找到附件1基础数据表和附件2绩效自评表（{where}{found}没有“编制数”“经费控制情况”"
            "“年初预算数”“一级指标”等表头），无法读取报告的表格"
        )
    for form, text in ((FORM_BASIC, "未找到附件1基础数据表，附件1各项按空白读取"),
                       (FORM_ASSESSMENT, "未找到附件2绩效自评表，附件2各项按空白读取")):
        if form not in reading.forms:
            reading.note(text)
    _mark_furniture(source.blocks)
    narrative, segments = _narrative(source.blocks)
    lines = [block.text for block in source.blocks if isinstance(block, _Line) and not block.meta]
    identity = _identity(path, lines, reading, source.meta)
    mapping = {
        "identity": identity,
        "basic_data": reading.basic,
        "self_assessment": reading.assessment,
        "narrative": _narrative_fields(narrative, identity["year"], reading),
    }
    try:
        data = DepartmentYear.model_validate(mapping)
    except ValidationError as error:
        raise InputError(f"{path.name}：报告表格中的数据不能使用：{describe_validation_error(DepartmentYear, error)}") from None
    return ReportContents(
        data=data, path=path, kind=source.kind, original=source.original, narrative=narrative,
        segments=tuple(segments), forms=tuple(reading.forms), stated_cells=tuple(reading.stated),
        header_years=tuple(reading.header_years),
        notes=tuple(reading.notes), encoding=source.encoding,
    )


def _read_source(path: Path) -> _Source:
    if not path.exists():
        raise InputError(f"找不到报告文件：{path}")
    if path.is_dir():
        raise InputError(f"{path} 是一个文件夹，请指定报告文件（.docx 或 .txt）")
    suffix = path.suffix.lower()
    if suffix == ".doc":
        raise InputError(f"{path.name}：不支持旧版 Word 的 .doc 文件，请在 Word 中另存为 .docx 后再试")
    if suffix not in SUFFIXES:
        raise InputError(f"不支持的报告文件类型“{suffix or '无扩展名'}”：请使用 .docx、.txt 或 .md")
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InputError(f"无法读取 {path}：{error.strerror}") from None
    if not raw.strip():
        raise InputError(f"{path.name}：文件内容为空")
    if suffix == ".docx" or raw[:4] == b"PK\x03\x04":
        return _docx_source(path)
    return _text_source(path, raw)


# -- .docx -----------------------------------------------------------------------------------------------

def _docx_source(path: Path) -> _Source:
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph
    from lxml.etree import LxmlError

    try:
        document = Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, LxmlError, OSError):
        raise InputError(f"{path.name}：不是有效的 .docx 文件（可能已损坏或不是 Word 文档），请用 Word 打开后另存为 .docx 再试") from None

    paragraph_tag, table_tag, sdt_tag = qn("w:p"), qn("w:tbl"), qn("w:sdt")
    builder = _TextBuilder()

    def paragraph_text(element) -> str:
        return Paragraph(element, None).text.replace("\t", " ").replace("\n", "")

    def cell_text(tc) -> str:
        return "\n".join(paragraph_text(p) for p in tc.iter(paragraph_tag))

    def table_rows(tbl) -> list[list[str]]:
        rows = []
        for tr in tbl.iterchildren(qn("w:tr")):
            cells = []
            for tc in tr.iterchildren(qn("w:tc")):
                tc_pr = tc.tcPr
                if tc_pr is not None and tc_pr.find(qn("w:hMerge")) is not None and \
                        tc_pr.find(qn("w:hMerge")).get(qn("w:val")) != "restart":
                    continue  # old-style horizontal merge: the cell was already read
                covered = tc.vMerge is not None and tc.vMerge != "restart"
                cells.append("" if covered else cell_text(tc))
            rows.append(cells)
        return rows

    def walk(parent) -> None:
        for child in parent.iterchildren():
            if child.tag == paragraph_tag:
                builder.line(paragraph_text(child))
            elif child.tag == table_tag:
                builder.table(table_rows(child))
            elif child.tag == sdt_tag:
                content = child.find(qn("w:sdtContent"))
                if content is not None:
                    walk(content)

    try:
        walk(document.element.body)
    except (LxmlError, ValueError, AttributeError):
        raise InputError(f"{path.name}：.docx 文件内容无法解析（可能已损坏），请用 Word 打开后另存为 .docx 再试") from None
    return _Source("docx", builder.text(), builder.blocks)


class _TextBuilder:
    """The full text of a .docx, built block by block with offsets."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.offset = 0
        self.blocks: list[_Line | _Table] = []

    def _add(self, text: str) -> int:
        start = self.offset
        self.parts.append(text + "\n")
        self.offset += len(text) + 1
        return start

    def line(self, text: str) -> None:
        self.blocks.append(_Line(text, self._add(text)))

    def table(self, rows: list[list[str]]) -> None:
        start = self.offset
        for row in rows:
            self._add("\t".join(cell.replace("\n", "") for cell in row))
        self.blocks.append(_Table(rows, start, self.offset))

    def text(self) -> str:
        return "".join(self.parts)


# -- .txt / .md ---------------------------------------------------------------------------------------

def _decode(path: Path, raw: bytes) -> tuple[str, str]:
    try:
        return decode_text(raw)
    except UndecodableText as error:
        raise InputError(f"{path.name}：{error}") from None


_ROW_LINE = re.compile(r"\S\t")
_PIPE_LINE = re.compile(r"^\s*\|.*\|\s*$")
_PIPE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
# Lines that cannot be the continuation of a table cell: the form's notes, attachment labels, headings.
_OUTSIDE_TABLE = re.compile(
    r"^\s*(说明\s*[：:]|填表人|单位负责人|附件\s*\d|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]"
    r"|第[一二三四五六七八九十]+[章节部分])"
)


def _text_source(path: Path, raw: bytes) -> _Source:
    text, encoding = _decode(path, raw)
    if not text.strip():
        raise InputError(f"{path.name}：文件内容为空")
    lines = text.split("\n")
    starts, offset = [], 0
    for line in lines:
        starts.append(offset)
        offset += len(line) + 1
    meta, body_from = _front_matter(lines)
    blocks: list[_Line | _Table] = [_Line(lines[i], starts[i], furniture=True, meta=True) for i in range(body_from)]
    row_mode = any(_ROW_LINE.search(line) for line in lines[body_from:])
    index = body_from
    while index < len(lines):
        line = lines[index]
        if _PIPE_LINE.match(line):
            end = index
            while end < len(lines) and _PIPE_LINE.match(lines[end]):
                end += 1
            rows = [_pipe_cells(l) for l in lines[index:end] if not _PIPE_RULE.match(l)]
            blocks.append(_Table(rows, starts[index], starts[end - 1] + len(lines[end - 1])))
            index = end
        elif "\t" in line and row_mode:
            index = _row_table(lines, starts, index, blocks)
        elif line.startswith("\t") and not row_mode:
            index = _cell_table(lines, starts, index, blocks)
        else:
            blocks.append(_Line(line, starts[index]))
            index += 1
    return _Source("text", text, blocks, meta, encoding)


def _front_matter(lines: list[str]) -> tuple[dict[str, str], int]:
    if not lines or lines[0].strip() != "---":
        return {}, 0
    for end in range(1, min(len(lines), 40)):
        if lines[end].strip() == "---":
            meta = {}
            for line in lines[1:end]:
                key, sep, value = line.partition(":")
                if sep:
                    meta[key.strip()] = value.strip()
            return meta, end + 1
    return {}, 0


def _pipe_cells(line: str) -> list[str]:
    inner = line.strip()
    inner = inner.removeprefix("|")
    inner = inner.removesuffix("|")
    return [cell.strip().replace("<br>", "\n") for cell in inner.split("|")]


def _row_table(lines: list[str], starts: list[int], index: int, blocks: list) -> int:
    """One row per line, cells separated by tabs (our --text rendering). A short line without tabs
    between two row lines (a one-cell row such as “无”) stays in the table."""
    end = index
    while end < len(lines):
        if "\t" in lines[end] or (lines[end].strip() and len(lines[end].strip()) <= 10 and end + 1 < len(lines)
              and "\t" in lines[end + 1] and not _OUTSIDE_TABLE.match(lines[end])):
            end += 1
        else:
            break
    rows = [line.split("\t") for line in lines[index:end]]
    blocks.append(_Table(rows, starts[index], starts[end - 1] + len(lines[end - 1])))
    return end


def _cell_table(lines: list[str], starts: list[int], index: int, blocks: list) -> int:
    """Word's text export: each cell starts with a tab; other lines continue the cell; blank lines
    followed by a new cell end the row. The table ends at its last cell line before a line that
    cannot belong to it (a note, a heading) or a long run of text."""
    last = index
    probe = index + 1
    gap: list[str] = []
    while probe < len(lines):
        line = lines[probe]
        if line.startswith("\t"):
            last, gap = probe, []
        elif line.strip():
            gap.append(line)
            if _OUTSIDE_TABLE.match(line) or len(gap) > 12:
                break
        probe += 1
    rows: list[list[str]] = [[]]
    cell: list[str] | None = None
    blank_run = False
    for line in lines[index:last + 1]:
        if line.startswith("\t"):
            if cell is not None:
                rows[-1].append("\n".join(cell))
            if blank_run and rows[-1]:
                rows.append([])
            cell, blank_run = [line[1:]], False
        elif not line.strip():
            blank_run = True
        else:
            if cell is None:
                cell = []
            cell.append(line)
            blank_run = False
    if cell is not None:
        rows[-1].append("\n".join(cell))
    blocks.append(_Table([row for row in rows if row], starts[index], starts[last] + len(lines[last])))
    return last + 1


# -- narrative -----------------------------------------------------------------------------------------

_ATTACHMENT_LABEL = re.compile(r"^\s*附件\s*\d+\s*$")
_FORM_NOTE = re.compile(r"^\s*(说明\s*[：:]|填表人|单位负责人|联系人\s*[：:]|联系电话\s*[：:])")


def _mark_furniture(blocks: list[_Line | _Table]) -> None:
    """Attachment labels, form titles and the notes under a form are not narrative."""
    for index, block in enumerate(blocks):
        if not isinstance(block, _Line):
            continue
        if _ATTACHMENT_LABEL.match(block.text):
            block.furniture = True
            titles = []
            for following in blocks[index + 1:index + 8]:
                if isinstance(following, _Table):
                    for title in titles:
                        title.furniture = True
                    break
                if following.text.strip():
                    if len(titles) == 3 or "。" in following.text or len(following.text.strip()) > 60:
                        break
                    titles.append(following)
        elif _FORM_NOTE.match(block.text):
            for previous in reversed(blocks[max(0, index - 6):index]):
                if isinstance(previous, _Table):
                    block.furniture = True
                    break
                if previous.text.strip() and not previous.furniture:
                    break


def _narrative(blocks: list[_Line | _Table]) -> tuple[str, list[Segment]]:
    parts: list[str] = []
    segments: list[Segment] = []
    position = 0
    for block in blocks:
        if not isinstance(block, _Line) or block.furniture:
            continue
        if parts:
            position += 1  # the "\n" joining lines
        if block.text:
            segments.append(Segment(position, block.start, len(block.text)))
        parts.append(block.text)
        position += len(block.text)
    return "\n".join(parts), segments


# -- identity --------------------------------------------------------------------------------------------

_TITLE_YEAR = re.compile(r"(\d{4})\s*年度?\s*(?:[^\d\s]{0,20}?)部门整体支出")
_TITLE_COUNTY = re.compile(r"^\s*(\S{1,12}?[县市区旗])\s*\d{4}\s*年度?")
_TITLE_NAME = re.compile(r"^\s*(\S{4,40}?)\s*\d{4}\s*年度?\s*部门整体支出绩效(?:自评|评价)?报告")
_TITLE_SHORT = re.compile(r"^\s*\d{4}\s*年度?\s*(\S{2,12}?)\s*部门整体支出绩效")
_PREPARER = re.compile(r"填表人\s*[：:]\s*(.*?)\s*(?=填报日期|联系电话|单位负责人|$)")
_FILLED_ON = re.compile(r"填报日期\s*[：:]\s*(\d{4})\s*[年\-./]\s*(\d{1,2})\s*[月\-./]\s*(\d{1,2})")
_PHONE = re.compile(r"联系电话\s*[：:]\s*([0-9０-９][0-9０-９\-－ ]*[0-9０-９])")
_LEADER = re.compile(r"单位负责人(?:签字|签名)?\s*[：:]\s*(.*?)\s*$")


def _identity(path: Path, lines: list[str], reading: FormReading, meta: dict[str, str]) -> dict[str, Any]:
    titles = [line.strip() for line in lines if line.strip() and len(line.strip()) <= 80]
    year = next((int(m.group(1)) for line in titles if (m := _TITLE_YEAR.search(line))), None)
    if year is None and reading.years:
        year = reading.years[0]
    if year is None and meta.get("year", "").isdigit():
        year = int(meta["year"])
    if year is None:
        raise InputError(f"{path.name}：未找到报告年度（标题或附件1表头中应有“2024年度”等字样）")

    name = reading.name
    if not name:
        name = next((m.group(1) for line in titles if (m := _TITLE_NAME.match(line))), None)
    if not name:
        name = meta.get("department") or None
    if not name:
        raise InputError(f"{path.name}：未找到单位名称（附件2“县级预算部门、单位名称”一栏或报告标题）")

    county = next((m.group(1) for line in titles if (m := _TITLE_COUNTY.match(line))), None)
    if county is None and (m := re.match(r"^(\S{1,8}?[县市区旗])", name)):
        county = m.group(1)
    place = meta.get("place", "")
    province = meta.get("province") or (m.group(1) if (m := re.match(r"^(\S+?(?:省|自治区))", place)) else None)
    city = meta.get("city") or (m.group(1) if (m := re.search(r"(?:省|自治区)(\S+?[市州盟])\S+$", place)) else None)
    if county is None:
        county = meta.get("county") or (m.group(1) if (m := re.search(r"([^省市州]+?[县区旗])$", place)) else None)
    if county is None:
        reading.note("未找到县（市、区）名称，请在 identity.county 中补填")
        county = ""

    identity: dict[str, Any] = {"county": county, "city": city, "province": province, "name": name, "year": year}
    short = next((m.group(1) for line in titles if (m := _TITLE_SHORT.match(line))), None)
    if short and short not in (name, county) and not short.startswith(county or "\0"):
        identity["short_name"] = short
    for line in lines:
        if "填表人" in line or "填报日期" in line or "单位负责人" in line:
            if (m := _PREPARER.search(line)) and m.group(1):
                identity["preparer"] = m.group(1)
            if m := _FILLED_ON.search(line):
                try:
                    identity["filled_on"] = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
                except ValueError:
                    reading.note(f"填报日期“{m.group(0)}”不是有效日期，按空白读取")
            if m := _PHONE.search(line):
                identity["phone"] = m.group(1).replace(" ", "")
            if (m := _LEADER.search(line)) and m.group(1):
                identity["leader"] = m.group(1)
    return identity


# -- figures of the narrative --------------------------------------------------------------------------------

_STAFF_TOTAL = re.compile(r"干职工\s*(?:总数|总人数)?\s*(?:为|共|共计)?\s*(\d+)\s*人")
_STAFF_ACTIVE = re.compile(r"在职(?:人数|人员)\s*(?:为|共)?\s*(\d+)\s*人")
_STAFF_RETIRED = re.compile(r"退休(?:人数|人员)\s*(?:为|共)?\s*(\d+)\s*人")
_BATCHES = re.compile(r"公务接待\s*(\d+)\s*批次")
_PERSONS = re.compile(r"公务接待\s*(?:\d+\s*批次\s*[、，,]?\s*(?:共|计)?\s*)?(\d+)\s*人次")
_AMOUNT = r"(\d+(?:\.\d+)?)\s*(万元|元)"


def _narrative_fields(narrative: str, year: int, reading: FormReading) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if m := _STAFF_TOTAL.search(narrative):
        sentence = narrative[m.start():_sentence_end(narrative, m.start())]
        personnel = {"total": int(m.group(1))}
        if a := _STAFF_ACTIVE.search(sentence):
            personnel["active"] = int(a.group(1))
        if r := _STAFF_RETIRED.search(sentence):
            personnel["retired"] = int(r.group(1))
        fields["personnel"] = personnel
    sangong: dict[str, Any] = dict(reading.sangong_yuan)
    if m := _BATCHES.search(narrative):
        sangong["reception_batches"] = int(m.group(1))
    if m := _PERSONS.search(narrative):
        sangong["reception_persons"] = int(m.group(1))
    measures = _sangong_measures(narrative)
    if measures:
        sangong["measures"] = measures
    if sangong:
        fields["sangong"] = sangong
    for key, word, count_words in (("meetings", "会议费", "会议"), ("training", "培训费", "培训")):
        expense = _expense(narrative, year, word, count_words)
        if expense:
            fields[key] = expense
    projects = _projects(narrative)
    if projects:
        fields["projects"] = projects
    return fields


_SECTION_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十]{1,3}[)）])")
_PROJECT_ITEM = re.compile(r"^\s*(\d{1,2})\s*[、.．]\s*(?!\d)(\S.*?)\s*$")
_PROJECT_AMOUNT = re.compile(r"(\d+(?:\.\d+)?)\s*万元[。.]?$")
_PROJECT_BUDGET = re.compile(r"(?:年初)?预算(?:数|安排)?\s*(?:为)?\s*(\d+(?:\.\d+)?)\s*万元")
_PROJECT_SPENDING = re.compile(r"(?:全年|实际)?支出(?:数)?\s*(?:为)?\s*(\d+(?:\.\d+)?)\s*万元")


def _projects(narrative: str) -> list[dict[str, Any]]:
    """The numbered projects of the 项目支出情况 section: "1、社保保险基金风险防控工作经费99万元。" or
    "1.小型水库除险加固项目" followed by "该项目年初预算650.00万元，全年支出641.20万元"."""
    lines = narrative.split("\n")
    start = next((i for i, line in enumerate(lines) if _SECTION_HEADING.match(line) and "项目支出" in line), None)
    if start is None:
        return []
    projects: list[dict[str, Any]] = []
    for index in range(start + 1, len(lines)):
        line = lines[index]
        if _SECTION_HEADING.match(line):
            break
        item = _PROJECT_ITEM.match(line)
        if not item or len(item.group(2)) > 40 or "，" in item.group(2):
            continue
        name = item.group(2).rstrip("。.")
        project: dict[str, Any] = {"key": f"project_{len(projects) + 1}"}
        if amount := _PROJECT_AMOUNT.search(name):
            project["spending"] = Decimal(amount.group(1))
            name = name[:amount.start()].rstrip()
        else:
            following = next((text for text in lines[index + 1:index + 3] if text.strip()), "")
            head = following[:following.find("。")] if "。" in following else following
            if budget := _PROJECT_BUDGET.search(head):
                project["budget"] = Decimal(budget.group(1))
            if spending := _PROJECT_SPENDING.search(head):
                project["spending"] = Decimal(spending.group(1))
        if not name or ("spending" not in project and "budget" not in project):
            continue
        projects.append({"key": project.pop("key"), "name": name, **project})
    return projects


_CIRCLED = re.compile(r"^\s*([①-⑳])\s*")


def _sangong_measures(narrative: str) -> list[str]:
    """The ①②③ lines that follow a heading about 三公经费 management (管理办法 / 管理措施)."""
    lines = narrative.split("\n")
    for index, line in enumerate(lines):
        if "三公" not in line or not any(word in line for word in ("管理办法", "管理措施", "管理制度")):
            continue
        measures: list[str] = []
        for following in lines[index + 1:index + 30]:
            if m := _CIRCLED.match(following):
                measures.append(following[m.end():].strip())
            elif measures or len(following.strip()) > 20:
                break
        if measures:
            return measures
    return []


def _sentence_end(text: str, start: int) -> int:
    end = text.find("。", start)
    line_end = text.find("\n", start)
    candidates = [e for e in (end, line_end) if e >= 0]
    return min(candidates) if candidates else len(text)


def _expense(narrative: str, year: int, word: str, count_word: str) -> dict[str, Any]:
    """"2024年会议费16730元，2023年会议费19268元" → {current: 16730, prior: 19268} (元)."""
    pattern = re.compile(rf"(\d{{4}})\s*年(?:度)?\s*{word}(?:支出)?\s*(?:为|共|合计|共计)?\s*{_AMOUNT}")
    expense: dict[str, Any] = {}
    line = None
    for m in pattern.finditer(narrative):
        amount = Decimal(m.group(2))
        if m.group(3) == "万元":
            amount *= 10000
            if amount == amount.to_integral_value():
                amount = amount.quantize(Decimal(1))
        slot = {year: "current", year - 1: "prior"}.get(int(m.group(1)))
        if slot and slot not in expense:
            expense[slot] = amount
            if line is None:
                start = narrative.rfind("\n", 0, m.start()) + 1
                end = narrative.find("\n", m.end())
                line = narrative[start:end if end >= 0 else len(narrative)]
    if line is None:
        return expense
    if m := re.search(rf"{count_word}\s*(\d+)\s*(?:次|场|期|个班次)", line):
        expense["sessions"] = int(m.group(1))
    if m := re.search(r"(\d+)\s*人次", line):
        expense["participants"] = int(m.group(1))
    if m := re.search(r"主要原因(?:是|为)?\s*[：:]\s*(.+?)\s*$", line):
        expense["reason"] = m.group(1)
    return expense
