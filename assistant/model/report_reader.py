"""Read a finished report back into a `DepartmentYear`, plus its narrative text.

The file is read by the one document reader (`assistant.model.document`: .docx, .pdf, .doc/.wps,
.txt/.md, tables recovered from flattened text). The report's forms (附件1, 附件2, the 三公经费 table,
项目支出 / 转移支付 / 专项资金 self-evaluation forms) become data-file fields (`report_tables`); the
identity comes from the titles, the “单位名称” row, a project form's 主管部门, the 填表人 line, the
metadata header, the file name or the caller's `year` / `department`; a few narrative figures come
from simple sentence patterns (干职工/在职/退休人数, 公务接待批次/人次, 会议费/培训费 this year and last).
Everything outside the forms is the narrative text, with a mapping back to the document's full text
so that spans found in the narrative can be shown in the original.

A document without forms is not refused: it is read for its text (and the forms it has), with notes.
"""
from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from assistant.model.document import SUFFIXES, Block, Document, read_document
from assistant.model.errors import InputError, describe_validation_error
from assistant.model.report_tables import (
    FORM_ASSESSMENT,
    FORM_BASIC,
    FORM_PROJECT,
    FORM_SANGONG,
    FORM_SPECIAL,
    FORM_TRANSFER,
    FormReading,
    HeaderYear,
    StatedCell,
    read_forms,
)
from assistant.model.schema import DepartmentYear

__all__ = ["FORM_ASSESSMENT", "FORM_BASIC", "FORM_PROJECT", "FORM_SANGONG", "FORM_SPECIAL", "FORM_TRANSFER", "HeaderYear", "ReportContents", "Segment", "StatedCell", "read_report"]



@dataclass(frozen=True)
class Segment:
    """`length` characters at `start` of the narrative are the characters at `original` of the full text."""

    start: int
    original: int
    length: int


@dataclass(frozen=True)
class ReportContents:
    """What a finished report holds: its data, its full text and its narrative (the text outside the forms)."""

    data: DepartmentYear | None  # None only when the report's year is unknown (see notes)
    path: Path
    kind: str  # "docx", "pdf", "text" or "markdown"
    original: str  # the whole report as text (for a .docx: paragraphs and table rows, one per line)
    narrative: str  # everything outside the forms, lines joined by "\n"
    segments: tuple[Segment, ...]
    forms: tuple[str, ...]  # recognised: 附件1 基础数据表, 附件2 绩效自评表, “三公”经费对比表（元）
    stated_cells: tuple[StatedCell, ...] = ()  # computed figures the tables print (比上年增减 …)
    header_years: tuple[HeaderYear, ...] = ()  # years printed in form headers (2023年决算数 …)
    notes: tuple[str, ...] = ()  # what the reader could not read or read by assumption (Chinese)
    unread_tables: tuple[int, ...] = ()  # indexes (in document.tables()) of tables no form reader understood
    encoding: str | None = None
    document: Document | None = None  # the blocks as read (headings, paragraphs, tables with positions)

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


# -- reading ---------------------------------------------------------------------------------------------

def read_report(path: str | Path, *, year: int | None = None, department: str | None = None) -> ReportContents:
    """Read a finished report, whatever forms it has (possibly none: then the text alone).

    `year` / `department` (the `--year` / `--department` options) fill in what the document does not
    say, and win over what it says (with a note when the two differ). Unusable files raise `InputError`
    with one Chinese line; a document without year or department is still read (`data` is None when
    the year is unknown, the department is blank when it is unknown) and the caller gets a note."""
    path = Path(path)
    document = _read_document(path)
    tables = [block.cell_texts() for block in document.tables()]
    reading = read_forms(tables)
    if not reading.forms:
        reading.note("未找到附件1基础数据表、附件2绩效自评表等表格（按表头识别），只读取了正文文字")
    elif FORM_BASIC in reading.forms or FORM_ASSESSMENT in reading.forms:
        for form, text in ((FORM_BASIC, "未找到附件1基础数据表，附件1各项按空白读取"),
                           (FORM_ASSESSMENT, "未找到附件2绩效自评表，附件2各项按空白读取")):
            if form not in reading.forms:
                reading.note(text)
    furniture = _furniture(document.blocks)
    narrative, segments = _narrative(document, furniture)
    lines = [document.text[s:e] for block in document.blocks if block.kind != "table" for s, e in block.pieces]
    identity = _identity(path, lines, reading, document.meta, year, department)
    data = None
    if identity.get("year") is not None:
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
        data=data, path=path, kind=document.kind, original=document.text, narrative=narrative,
        segments=tuple(segments), forms=tuple(reading.forms), stated_cells=tuple(reading.stated),
        header_years=tuple(reading.header_years), notes=tuple(document.notes + reading.notes),
        encoding=document.encoding, document=document, unread_tables=tuple(reading.unread_tables),
    )


def _read_document(path: Path) -> Document:
    if not path.exists():
        raise InputError(f"找不到报告文件：{path}")
    if path.is_dir():
        raise InputError(f"{path} 是一个文件夹，请指定报告文件（.docx、.pdf 或 .txt）")
    if path.suffix.lower() not in SUFFIXES:
        raise InputError(f"不支持的报告文件类型“{path.suffix or '无扩展名'}”：请使用 .docx、.pdf、.doc、.wps、.txt 或 .md")
    document = read_document(path)
    if not document.text.strip():
        raise InputError(f"{path.name}：文档中没有文字")
    return document


# -- narrative -----------------------------------------------------------------------------------------

_ATTACHMENT_LABEL = re.compile(r"^\s*附件\s*[\d一二三四五六七八九十]+\s*[：:]?\s*$")
_FORM_NOTE = re.compile(r"^\s*(说明\s*[：:]|填表人|单位负责人|联系人\s*[：:]|联系电话\s*[：:])")


def _furniture(blocks: list[Block]) -> set[int]:
    """Attachment labels, form titles and the notes under a form are not narrative (block indexes)."""
    furniture: set[int] = set()
    for index, block in enumerate(blocks):
        if block.kind == "table":
            continue
        if _ATTACHMENT_LABEL.match(block.text):
            furniture.add(index)
            titles = []
            for number in range(index + 1, min(len(blocks), index + 8)):
                following = blocks[number]
                if following.kind == "table":
                    furniture.update(titles)
                    break
                if len(titles) == 3 or "。" in following.text or len(following.text.strip()) > 60:
                    break
                titles.append(number)
        elif _FORM_NOTE.match(block.text):
            for number in range(index - 1, max(-1, index - 7), -1):
                if blocks[number].kind == "table":
                    furniture.add(index)
                    break
                if number not in furniture:
                    break
    return furniture


def _narrative(document: Document, furniture: set[int]) -> tuple[str, list[Segment]]:
    """The text outside the forms, one source line per line, with its map back to `document.text`."""
    parts: list[str] = []
    segments: list[Segment] = []
    position = 0
    for index, block in enumerate(document.blocks):
        if block.kind == "table" or index in furniture:
            continue
        for start, end in block.pieces:
            if parts:
                position += 1  # the "\n" joining lines
            text = document.text[start:end]
            if text:
                segments.append(Segment(position, start, len(text)))
            parts.append(text)
            position += len(text)
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


_FILE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_ANY_TITLE_YEAR = re.compile(r"(\d{4})\s*年度?.{0,30}?(?:绩效|自评|三公|决算|预算|转移支付|专项资金)")
_NAMED = re.compile(r"(?:部门[（(]单位[)）]名称|单位名称|预算部门|主管部门|实施单位)\s*[：:]\s*(\S{2,40})")
_UNIT_END = r"(?:局|委|办|院|中心|政府|部|站|所|馆|队|会|室|处|厅|社|团)"
_TITLE_ANY_NAME = re.compile(rf"^\s*(\S{{3,30}}?{_UNIT_END})\s*\d{{4}}\s*年")
_TITLE_NAME_AFTER_YEAR = re.compile(rf"^\s*\d{{4}}\s*年度?\s*(\S{{3,30}}?{_UNIT_END})\s*(?:“|\"|部门整体|项目支出|三公|决算|预算|绩效)")
_FILE_WORDS = re.compile(r"\d{4}\s*年?度?|部门整体支出|绩效|自评|评价|报告|表|[-_ .]")


def _identity(path: Path, lines: list[str], reading: FormReading, meta: dict[str, str],
              option_year: int | None = None, option_name: str | None = None) -> dict[str, Any]:
    titles = [line.strip() for line in lines if line.strip() and len(line.strip()) <= 80]
    year = next((int(m.group(1)) for line in titles if (m := _TITLE_YEAR.search(line))), None)
    if year is None and reading.years:
        year = reading.years[0]
    if year is None:
        year = next((int(m.group(1)) for line in titles[:15] if (m := _ANY_TITLE_YEAR.search(line))), None)
    if year is None and meta.get("year", "").isdigit():
        year = int(meta["year"])
    if year is None and (m := _FILE_YEAR.search(path.stem)):
        year = int(m.group(1))
    if option_year is not None:
        if year is not None and year != option_year:
            reading.note(f"报告中的年度为{year}年，按指定的 --year 读作{option_year}年")
        year = option_year
    if year is None:
        reading.note("未找到报告年度（标题、表头和文件名中都没有“2024年度”等字样），可用 --year 指定")

    name = reading.name
    if not name:
        name = next((m.group(1) for line in titles if (m := _TITLE_NAME.match(line))), None)
    if not name:
        name = reading.party
    if not name:
        name = next((m.group(1) for line in titles[:20] if (m := _NAMED.search(line))), None)
    if not name:
        name = next((m.group(1) for line in titles[:5]
                     if (m := _TITLE_ANY_NAME.match(line) or _TITLE_NAME_AFTER_YEAR.match(line))), None)
    if not name:
        name = meta.get("department") or None
    if not name:
        stem = _FILE_WORDS.sub("", path.stem)
        name = stem if re.fullmatch(r"[\u4e00-\u9fff（）()]{3,30}", stem or "") else None
    if option_name:
        if name and name != option_name:
            reading.note(f"报告中的单位名称为“{name}”，按指定的 --department 读作“{option_name}”")
        name = option_name
    if not name:
        reading.note("未找到单位名称（表中“单位名称”一栏、报告标题或文件名），可用 --department 指定")
        name = ""
    county = next((m.group(1) for line in titles if (m := _TITLE_COUNTY.match(line))), None)
    if county is None and name and (m := re.match(r"^(?:\S{1,10}?(?:市|自治州|地区|盟))?(\S{1,8}?[县区旗])", name)):
        county = m.group(1)
    if county is None and name and (m := re.match(r"^(\S{1,8}?市)", name)):
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
    projects = reading.projects + _projects(narrative)
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
