"""The carry-forward drafter (offline): last year's report, re-bound to this year's figures.

Public API
----------
    find_previous(data, corpus_dir=None) -> Path | None
    carry_forward_report(data, ledger, findings, policy, previous=None, corpus_dir=None) -> Draft

Last year's report of the same department is found in the corpus (metadata `department` equal to
`identity.name`, `year` = this year − 1) or given explicitly (`--previous`). Its blocks are read with
the one document reader (`assistant.model.document`, through the corpus reader's `blocks_of`) and its headings recognised with the chunker's
numbering patterns, so the draft keeps last year's section structure.

Numbers are re-bound with the checker, run on the text with this year's ledger after the years have
been shifted (2023年 → 2024年):
- a figure the checker verifies against this year's facts stays as written;
- a figure the checker calls stale — equal to a prior-year fact while the text speaks of this year,
  i.e. last year's current figure — is replaced by the current-year twin's display, provided it equals
  the prior fact exactly (89% is not 89.20%) and the direction word still fits;
- everything else (mismatch, unsupported, a stale figure without an exact twin) becomes
  〔待核：原文“X”〕: no stale figure is kept silently.
Years: a year of last year's report, the year before it or the year after it moves on by one; a date
with a month in those years (2023年11月开工) names an event that need not repeat and is marked
〔待核〕; older years (history) stay. Tables: the 三公 table becomes this year's `TableRef` from the
template drafter; any other table cannot be mapped and leaves a 〔待核〕 note.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from assistant.checking import check_text
from assistant.checking.findings import NumberFinding
from assistant.checking.index import fact_index
from assistant.checking.lexicon import unit_table
from assistant.drafting.draft import Block, Draft, DraftSection, Heading, Paragraph, TableRef
from assistant.drafting.template_drafter import TO_CHECK, report_title, draft_report
from assistant.figures.findings import Finding
from assistant.figures.ledger import Fact, Ledger
from assistant.figures.policy import DEFAULT_POLICY, Policy
from assistant.model.errors import InputError
from assistant.model.schema import DepartmentYear
from assistant.retrieval.chunking import is_boilerplate, looks_like_title, match_heading
from assistant.model.document import SUFFIXES as DOCUMENT_SUFFIXES
from assistant.model.document import DocumentError
from assistant.model.document import read_document as read_any
from assistant.retrieval.readers import SUFFIXES, SourceDocument, Unreadable, blocks_of, read_document
from assistant.retrieval.sections import resolve_kind

DRAFTER = "carry_forward"
MAX_TEXT_BYTES = 2 * 2**20
REPO_CORPUS = Path(__file__).resolve().parents[2] / "corpus"
NOT_FOUND = "未找到上一年度的报告：{department}{year}年度，请用 --previous 指定"
ORIGINAL = "原文“{text}”"
TABLE_NOTE = "原文此处有一张表格，未能对应本年数据，请按本年数据重新填列"

# retrieval section kind → registry kind (assistant.drafting.sections); others are "carried"
_KINDS = {"部门概况": "overview", "收支及预算执行": "budget_execution", "三公经费": "basic_spending",
          "会议费培训费": "meetings_training", "绩效目标": "targets", "项目支出/工作成效": "projects",
          "自评得分": "self_score", "存在问题": "problems", "下一步工作计划": "plans"}


def mark(text: str) -> str:
    return TO_CHECK.format(what=ORIGINAL.format(text=text))


# ---------------------------------------------------------------------------------- finding it


def corpus_directory(corpus_dir: Path | None = None) -> Path:
    if corpus_dir is not None:
        return Path(corpus_dir)
    from assistant.settings import get_settings

    configured = Path(get_settings().corpus_dir)
    return configured if configured.is_dir() else REPO_CORPUS


def _read(path: Path) -> SourceDocument:
    return read_document(path, path.name, path.read_bytes(), MAX_TEXT_BYTES)


def find_previous(data: DepartmentYear, corpus_dir: Path | None = None) -> Path | None:
    """The corpus file whose metadata names this department and last year (None when there is none)."""
    folder = corpus_directory(corpus_dir)
    if not folder.is_dir():
        return None
    name = re.sub(r"\s+", "", data.identity.name)
    names = {name, re.sub(r"\s+", "", data.identity.county) + name}
    for path in sorted(folder.rglob("*")):
        if path.suffix.lower() not in SUFFIXES or not path.is_file():
            continue
        try:
            metadata = _read(path).metadata
        except (Unreadable, OSError):
            continue
        if metadata["department"] in names and metadata["year"] == data.identity.year - 1:
            return path
    return None


def read_previous(path: Path) -> SourceDocument:
    if not path.is_file():
        raise InputError(f"找不到上一年度的报告文件：{path}")
    if path.suffix.lower() not in DOCUMENT_SUFFIXES:
        raise InputError(f"上一年度的报告应为 .docx、.pdf、.doc、.txt 或 .md 文件：{path.name}")
    try:
        return _read(path)
    except Unreadable as error:
        if "元数据" not in str(error):
            raise InputError(f"上一年度的报告无法读取（{error}）：{path.name}") from None
    # an uploaded report need not carry metadata: its blocks as the one document reader gives them
    try:
        document = read_any(path)
    except DocumentError as error:
        raise InputError(f"上一年度的报告无法读取（{error.reason}）：{path.name}") from None
    return SourceDocument(path=path, source=path.name, metadata={}, blocks=blocks_of(document))


# ---------------------------------------------------------------------------------- years

_DATE = re.compile(r"(?<![\d〔\[［【(（])((?:19|20)\d{2})\s*年\s*(?:1[0-2]|0?[1-9])\s*月(?:份)?"
                   r"(?:\s*(?:[12]\d|3[01]|0?[1-9])\s*[日号])?")
_YEAR = re.compile(r"(?<![\d〔\[［【(（])((?:19|20)\d{2})(?=\s*年)")


def shift_years(text: str, previous_year: int) -> str:
    """Years of last year's report (and the year before and after it) move on by one; dates with a
    month in those years are marked; older years stay."""
    near = {previous_year - 1, previous_year, previous_year + 1}

    def date(match: re.Match[str]) -> str:
        return mark(match.group(0)) if int(match.group(1)) in near else match.group(0)

    parts = []
    position = 0
    for match in _DATE.finditer(text):
        parts.append(_YEAR.sub(lambda m: _shift(m, near), text[position:match.start()]))
        parts.append(date(match))
        position = match.end()
    parts.append(_YEAR.sub(lambda m: _shift(m, near), text[position:]))
    return "".join(parts)


def _shift(match: re.Match[str], near: set[int]) -> str:
    year = int(match.group(1))
    return str(year + 1) if year in near else match.group(0)


# ---------------------------------------------------------------------------------- numbers


def _base(value: Decimal, unit: str | None) -> Decimal:
    found = unit_table().lookup(unit) if unit else None
    return value * (found.scale if found else Decimal(1))


def _twins(ledger: Ledger) -> dict[str, Fact]:
    """current-year key → its prior-year twin fact."""
    index = fact_index(ledger)
    return {entry.key: index.entries[entry.twin].fact for entry in index.entries
            if entry.twin is not None and not entry.is_prior}


def rebound(finding: NumberFinding, ledger: Ledger, twins: dict[str, Fact]) -> str | None:
    """The text that replaces a number of last year's report, or None to keep it as written."""
    if finding.status in ("ignored", "verified"):
        return None
    if finding.status == "stale" and finding.fact in ledger and finding.fact in twins and finding.value is not None:
        current, prior = ledger[finding.fact], twins[finding.fact]
        if prior.rounded is not None and current.value is not None \
                and _base(abs(finding.value), finding.unit) == _base(abs(prior.rounded), prior.unit):
            if current.sign < 0 and finding.value < 0:
                return current.magnitude  # 比上年减少X: the word carries the sign
            if current.sign >= 0 and finding.value >= 0:
                return current.display
    return mark(finding.text)


def rebind_texts(texts: list[str], ledger: Ledger) -> list[str]:
    """Each text with its numbers re-bound (one checker run over all of them, one per line)."""
    joined = "\n".join(texts)
    starts, position = [], 0
    for text in texts:
        starts.append(position)
        position += len(text) + 1
    twins = _twins(ledger)
    edits: list[tuple[int, int, str]] = []
    for finding in check_text(joined, ledger):
        if finding.check != "number":
            continue
        replacement = rebound(finding, ledger, twins)
        if replacement is not None and "〔待核" not in joined[max(0, finding.start - 8):finding.start]:
            edits.append((finding.start, finding.end, replacement))
    out = []
    for text, start in zip(texts, starts):
        end = start + len(text)
        pieces, cursor = [], start
        for s, e, replacement in edits:
            if start <= s and e <= end:
                pieces.append(joined[cursor:s] + replacement)
                cursor = e
        pieces.append(joined[cursor:end])
        out.append("".join(pieces))
    return out


# ---------------------------------------------------------------------------------- the draft


def _heading(block, before_first: bool) -> tuple[int, str] | None:
    if block.kind == "heading" and block.level:
        heading, inline = match_heading(block.text, block.level)
    else:
        heading, inline = match_heading(block.text)
    if heading is None or inline or not heading.title or heading.level not in (1, 2):
        return None  # numbered items (1. …) stay paragraphs: they are sentences as often as titles
    if before_first and heading.level > 1:
        return None
    return heading.level, block.text


def _sangong_tables(draft: Draft) -> list[TableRef]:
    return [block for section in draft.sections for block in section.blocks
            if isinstance(block, TableRef) and "sangong" in block.name]


def carry_forward_report(
    data: DepartmentYear, ledger: Ledger, findings: list[Finding], policy: Policy = DEFAULT_POLICY,
    previous: Path | None = None, corpus_dir: Path | None = None,
) -> Draft:
    identity = data.identity
    if previous is None:
        previous = find_previous(data, corpus_dir)
        if previous is None:
            raise InputError(NOT_FOUND.format(department=identity.name, year=identity.year - 1))
    document = read_previous(Path(previous))
    previous_year = document.metadata.get("year") or identity.year - 1
    template = draft_report(data, ledger, findings, policy)

    # structure: (kind of item, level, text) in reading order
    items: list[tuple[str, int, str]] = []
    seen_section = False
    for block in document.blocks:
        text = block.text.strip()
        if not text or is_boilerplate(text):
            continue
        if block.kind == "table":
            items.append(("table", 0, text))
            continue
        if not seen_section and looks_like_title(text):
            continue  # last year's title: this year's is built below
        heading = _heading(block, not seen_section)
        if heading is not None:
            seen_section = seen_section or heading[0] == 1
            items.append(("heading", heading[0], text))
        else:
            items.append(("paragraph", 0, text))

    texts = [shift_years(text, previous_year) for kind, _, text in items if kind != "table"]
    carried = iter(rebind_texts(texts, ledger))
    tables = _sangong_tables(template)

    preamble: list[Paragraph] = []
    sections: list[DraftSection] = []
    for kind, level, original in items:
        if kind == "table":
            block: Block = tables.pop(0) if "三公" in original and tables else Paragraph(TO_CHECK.format(what=TABLE_NOTE))
            if sections:
                sections[-1].blocks.append(block)
            continue
        text = next(carried)
        if kind == "heading" and level == 1:
            found = resolve_kind(re.sub(r"^[一二三四五六七八九十]+[、.．]\s*", "", text))
            registry = _KINDS.get(found or "", "carried")
            sections.append(DraftSection(kind=registry, title=text, drafter=DRAFTER, parts=[registry]))
        elif not sections:
            preamble.append(Paragraph(text))
        elif kind == "heading":
            sections[-1].blocks.append(Heading(level, text))
        else:
            sections[-1].blocks.append(Paragraph(text))
    if not sections:
        raise InputError(f"上一年度的报告中没有找到一级标题（一、二、……），无法沿用其结构：{Path(previous).name}")
    return Draft(title=report_title(data), preamble=preamble or template.preamble, sections=sections,
                 drafter=DRAFTER)
