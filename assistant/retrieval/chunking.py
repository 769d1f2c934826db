"""Section-aware chunks of a report: paragraphs (and tables) with the headings they sit under.

The rules (docs/retrieval.md "Chunking"):
- Headings are recognised by the numbering these reports use, as a table of patterns: 一、 is level 1,
  （一） level 2, 1、/1. level 3, （1） level 4; 附件1 starts a top-level part; markdown `#` headings and
  Word "Heading n" styles count too. A heading line is short (title of at most 40 characters); a
  numbered line whose first clause (up to the first ：or 。) is short and is followed by more text is
  an *inline heading*: its title joins the section path and the whole line is the chunk. Any other
  numbered line (a long list item such as "1、贯彻执行…") is a paragraph. ①② items are never headings.
- One paragraph is one chunk: paragraphs are never cut at 一是/二是, so an enumeration stays whole, and
  a paragraph of its own that starts 一是/二是/①… stays a chunk of its own however short. Short
  paragraphs (under 30 characters) and lead-ins ending in "：" (e.g. "机关招待费：") are joined to the
  next paragraph of the same section; a table takes them as its caption. Only a paragraph longer than 1500 characters is cut, at sentence ends.
- A table is one chunk (cells " | ", rows by line); a table longer than 1500 characters is cut between
  rows, each piece repeating the first row.
- The document title (a short line with 报告 and no 。) and boilerplate (the 示例 notice, 填表人 lines,
  page numbers) are not chunks.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from assistant.retrieval.readers import SourceDocument
from assistant.retrieval.sections import kind_of_path

MAX_TITLE = 40
MIN_CHARS = 30
MAX_CHARS = 1500
PATH_SEPARATOR = " › "

# (level, pattern of the numbering marker); the marker is stripped from the title.
HEADING_PATTERNS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (0, re.compile(r"^附\s*件\s*[0-9一二三四五六七八九十]+[：:]?\s*")),
    (1, re.compile(r"^第[一二三四五六七八九十]+(?:部分|章)[、.．：:\s]*")),
    (1, re.compile(r"^[一二三四五六七八九十]{1,3}\s*[、.．](?!\d)\s*")),
    (2, re.compile(r"^[（(]\s*[一二三四五六七八九十]{1,3}\s*[)）]\s*[、.．]?\s*")),
    (3, re.compile(r"^\d{1,2}\s*[、.．](?![\d.．])\s*")),
    (4, re.compile(r"^[（(]\s*\d{1,2}\s*[)）]\s*[、.．]?\s*")),
)

BOILERPLATE: tuple[re.Pattern[str], ...] = (
    re.compile(r"^示例（虚构）"),
    re.compile(r"^填表人[：:]"),
    re.compile(r"^[—–-]+\s*\d+\s*[—–-]+$"),  # page numbers "— 3 —"
    re.compile(r"^\[bookmark"),
    re.compile(r"^[（(]?单位[：:]\s*[万亿]?元[)）]?$"),  # a table's unit note
)

_ENUMERATION = re.compile(r"^([一二三四五六七八九十]是|[①-⑳]|第[一二三四五六七八九十]+[，、])")
_TITLE_LIKE = re.compile(r"(绩效|自评|评价).*(报告|材料)$")
_CLAUSE_END = re.compile(r"[：:。]")
_SENTENCE = re.compile(r"[^。！？!?]*[。！？!?]+[”’」』]?|[^。！？!?]+$")


@dataclass(frozen=True)
class Chunk:
    id: str
    text: str
    source: str
    position: int  # 0-based order of the chunk in its file
    locator: int  # 1-based line (text files) or body element (docx) where it starts
    locator_unit: str
    section_path: tuple[str, ...]  # the headings as written, outermost first
    section_titles: tuple[str, ...]  # the same without numbering
    section_kind: str
    block_type: str  # "paragraph" or "table"
    department: str
    year: int
    place: str
    title: str

    def metadata(self, file_hash: str) -> dict:
        """Flat metadata for the vector store (strings and numbers only)."""
        return {
            "source": self.source, "position": self.position, "locator": self.locator,
            "locator_unit": self.locator_unit, "section_path": PATH_SEPARATOR.join(self.section_path),
            "section": self.section_titles[-1] if self.section_titles else "",
            "section_kind": self.section_kind, "block_type": self.block_type,
            "department": self.department, "year": self.year, "place": self.place, "title": self.title,
            "file_hash": file_hash, "chars": len(self.text),
        }


def chunk_id(source: str, position: int) -> str:
    return f"{source}#{position:03d}"


def content_hash(data: bytes) -> str:
    """Stable across processes and machines (never Python's salted hash())."""
    return hashlib.sha256(data).hexdigest()


@dataclass
class Heading:
    level: int
    text: str  # as written (with numbering), for display
    title: str  # without numbering, for kinds and embeddings
    raw: str = ""  # the whole line
    locator: int = 0
    used: bool = False  # some chunk was made under it

    def is_sentence(self) -> bool:
        """A numbered line that reads as a sentence ("3.把敬老院的消防改造列入预算，汛期前完工。"), not a
        title: if nothing follows it, it is content and becomes a chunk rather than being lost."""
        return len(self.title) >= 8 and ("，" in self.title or self.raw.endswith(("。", "；", ";")))


def match_heading(text: str, level_hint: int | None = None) -> tuple[Heading | None, bool]:
    """(heading, inline): a heading line, an inline heading (title + body on one line), a numbered list
    item (a heading with an empty title: it only closes open headings of its level), or (None, False)."""
    for level, pattern in HEADING_PATTERNS:
        marker = pattern.match(text)
        if not marker:
            continue
        rest = text[marker.end():].strip()
        if level == 0:
            return Heading(0, text.strip(), rest or text.strip()), False
        if not rest:
            return None, False
        body_end = _CLAUSE_END.search(rest)
        if len(rest) <= MAX_TITLE and (body_end is None or body_end.end() == len(rest)):
            return Heading(level, text.strip().rstrip("。：:"), rest.rstrip("。：:")), False
        if body_end is not None and 0 < body_end.start() <= MAX_TITLE and body_end.end() < len(rest):
            title = rest[:body_end.start()]
            return Heading(level, text[:marker.end()].strip() + title, title), True
        return Heading(level, "", ""), False  # a numbered list item: closes headings of its level
    if level_hint is not None:
        return Heading(min(max(level_hint, 1), 4), text.strip(), text.strip()), False
    return None, False


def is_boilerplate(text: str) -> bool:
    return any(pattern.match(text) for pattern in BOILERPLATE)


def looks_like_title(text: str) -> bool:
    return len(text) <= 60 and "。" not in text and bool(_TITLE_LIKE.search(text.replace(" ", "")))


class _Builder:
    def __init__(self, document: SourceDocument):
        self.document = document
        self.stack: list[Heading] = []
        self.chunks: list[Chunk] = []
        self.pending: list[tuple[str, int]] = []  # short paragraphs waiting to join the next block
        self.title = document.metadata.get("title") or ""
        self.annex_open = False  # inside 附件N before its first table: short lines extend its title

    # -- section stack
    def open_heading(self, heading: Heading) -> None:
        self.close_to(heading.level)
        self.stack.append(heading)
        self.annex_open = heading.level == 0

    def close_to(self, level: int) -> None:
        """End the open headings of this level or deeper (a new heading, or a numbered list item)."""
        if any(h.level >= level for h in self.stack):
            self.flush_pending()
            while self.stack and self.stack[-1].level >= level:
                self.pop()

    def pop(self) -> None:
        heading = self.stack[-1]
        if not heading.used and heading.is_sentence():
            self.stack.pop()
            self.emit(heading.raw, heading.locator, "paragraph")
        else:
            self.stack.pop()

    def reset_sections(self) -> None:
        self.close_to(0)
        self.annex_open = False

    # -- chunks
    def emit(self, text: str, locator: int, block_type: str) -> None:
        for heading in self.stack:
            heading.used = True
        meta = self.document.metadata
        position = len(self.chunks)
        self.chunks.append(Chunk(
            id=chunk_id(self.document.source, position), text=text, source=self.document.source,
            position=position, locator=locator, locator_unit=self.document.locator_unit,
            section_path=tuple(h.text for h in self.stack),
            section_titles=tuple(h.title for h in self.stack),
            section_kind=kind_of_path([h.title for h in self.stack], text), block_type=block_type,
            department=meta["department"], year=meta["year"], place=meta.get("place", ""),
            title=self.title))

    def flush_pending(self) -> None:
        if self.pending:
            text = "".join(part for part, _ in self.pending)
            if len(text) >= 8:
                self.emit(text, self.pending[0][1], "paragraph")
            self.pending.clear()

    def paragraph(self, text: str, locator: int) -> None:
        if self.pending:
            text = "".join(part for part, _ in self.pending) + text
            locator = self.pending[0][1]
            self.pending.clear()
        if len(text) < MIN_CHARS and not _ENUMERATION.match(text) or text.endswith(("：", ":")):
            self.pending.append((text, locator))
            return
        for piece in split_long(text):
            self.emit(piece, locator, "paragraph")

    def table(self, text: str, locator: int) -> None:
        self.annex_open = False
        caption = "".join(part for part, _ in self.pending)
        if self.pending:
            locator = self.pending[0][1]
            self.pending.clear()
        for piece in split_table(text):
            self.emit(f"{caption}\n{piece}" if caption else piece, locator, "table")


def split_long(text: str, limit: int = MAX_CHARS) -> list[str]:
    """A paragraph over the limit, cut at sentence ends into pieces under it (rare: normal paragraphs,
    一是/二是 enumerations included, are far shorter)."""
    if len(text) <= limit:
        return [text]
    pieces, current = [], ""
    for sentence in _SENTENCE.findall(text):
        while len(sentence) > limit:  # a single endless sentence: cut it hard
            if current:
                pieces.append(current)
                current = ""
            pieces.append(sentence[:limit])
            sentence = sentence[limit:]
        if len(current) + len(sentence) > limit and current:
            pieces.append(current)
            current = ""
        current += sentence
    if current:
        pieces.append(current)
    return pieces


def split_table(text: str, limit: int = MAX_CHARS) -> list[str]:
    rows = text.split("\n")
    if len(text) <= limit or len(rows) < 3:
        return [text]
    header, pieces, current = rows[0], [], [rows[0]]
    for row in rows[1:]:
        if sum(len(r) + 1 for r in current) + len(row) > limit and len(current) > 1:
            pieces.append("\n".join(current))
            current = [header]
        current.append(row)
    if len(current) > 1:
        pieces.append("\n".join(current))
    return pieces


def chunk_document(document: SourceDocument) -> list[Chunk]:
    """The chunks of one report, in reading order, each with its section path and kind."""
    builder = _Builder(document)
    for block in document.blocks:
        text = re.sub(r"[ \t\u3000]+", " ", block.text).strip() if block.kind != "table" else block.text
        if not text or is_boilerplate(text):
            continue
        if block.kind == "table":
            builder.table(text, block.locator)
            continue
        if looks_like_title(text) and (not builder.stack or builder.stack[0].level == 0):
            builder.reset_sections()
            builder.title = builder.title or text
            continue
        heading, inline = match_heading(text, block.level if block.kind == "heading" else None)
        if heading is None and block.kind == "heading":
            heading = Heading(1, text, text)
        if heading is not None and not heading.title:
            builder.close_to(heading.level)
        elif heading is not None:
            heading.raw, heading.locator = text, block.locator
            builder.open_heading(heading)
            if inline:
                builder.paragraph(text, block.locator)
            continue
        if builder.annex_open and len(text) <= 30 and "。" not in text:
            annex = builder.stack[-1]
            annex.title = f"{annex.title} {text}".strip() if annex.title != annex.text else text
            annex.text = f"{annex.text} {text}"
            continue
        builder.paragraph(text, block.locator)
    builder.close_to(0)
    return builder.chunks


def embedding_text(titles: tuple[str, ...] | list[str], text: str) -> str:
    """What the encoder sees: the section titles, then the text."""
    return " ".join(titles) + "\n" + text if titles else text
