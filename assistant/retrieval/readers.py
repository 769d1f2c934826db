"""Reading corpus files into blocks of text, with their metadata.

A report file (.docx, .txt, .md) becomes a `SourceDocument`: its metadata (front matter or a
`<name>.meta.yaml` sidecar) and its blocks in reading order: paragraphs and tables, each with the line
(text files) or body element (docx) it starts at. The blocks come from the one document reader
(`assistant.model.document`); this module adds the corpus metadata and the chunker's view of a block
(a table as rows of " | "-joined cells). Anything that makes a file unusable raises `Unreadable` with
a one-line Chinese reason; ingestion reports it and goes on with the next file.

Decisions (docs/retrieval.md "Bad input"):
- Text encodings: UTF-8 (with or without BOM), UTF-16 with BOM, then GB18030 (a superset of GBK and
  GB2312, the encodings Windows Notepad and older systems write). Anything else is refused.
- Size: a report is tens of kilobytes of text. A .txt/.md above `max_text_bytes` is refused before it is
  read (it is not one report); a .docx is judged by its text part (the document reader's rule).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from assistant.model.document import TEXT_SUFFIXES, Document, DocumentError
from assistant.model.document import read_document as read_any
from assistant.model.text_files import UndecodableText
from assistant.model.text_files import decode_text as shared_decode

SUFFIXES = (".docx", ".txt", ".md")
SIDECAR_SUFFIX = ".meta.yaml"
REQUIRED_METADATA = ("department", "year")


class Unreadable(Exception):
    """A file that cannot be ingested; `str(error)` is the Chinese reason shown to the user."""


@dataclass(frozen=True)
class Block:
    kind: str  # "paragraph" or "table" (or "heading" when the source marks it, e.g. a docx style)
    text: str  # a table's rows are joined by newlines, its cells by " | "
    locator: int  # 1-based line (text files) or body element (docx) where the block starts
    level: int | None = None  # heading level given by the source (markdown #, docx Heading n)


@dataclass
class SourceDocument:
    path: Path
    source: str  # path relative to the corpus directory, with forward slashes
    metadata: dict
    blocks: list[Block] = field(default_factory=list)
    locator_unit: str = "行"  # "行" (line) for text files, "段" (body element) for docx


# ---------------------------------------------------------------------------------- metadata


def parse_front_matter(text: str) -> tuple[dict | None, str, int]:
    """(metadata or None, body, number of lines the front matter took)."""
    if not text.startswith("---"):
        return None, text, 0
    lines = text.split("\n")
    if lines[0].strip() != "---":
        return None, text, 0
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            header = "\n".join(lines[1:index])
            return _load_yaml(header, "文件开头的 YAML 头"), "\n".join(lines[index + 1:]), index + 1
    raise Unreadable("文件开头的 YAML 头没有结束标记（---）")


def _load_yaml(text: str, where: str) -> dict:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f"第{mark.line + 1}行" if mark is not None else ""
        raise Unreadable(f"{where}格式有误{line}，无法读取元数据") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise Unreadable(f"{where}应为“字段: 值”的形式（如 department: 某某局）")
    return data


def sidecar_for(path: Path) -> Path | None:
    """`报告.meta.yaml` or `报告.docx.meta.yaml` beside the file."""
    for candidate in (path.with_name(path.stem + SIDECAR_SUFFIX), path.with_name(path.name + SIDECAR_SUFFIX)):
        if candidate.is_file():
            return candidate
    return None


def normalise_metadata(raw: dict, path: Path) -> dict:
    """department, year (int), place, title …; raises Unreadable when department or year is missing."""
    missing = [key for key in REQUIRED_METADATA if not str(raw.get(key) or "").strip()]
    if missing:
        names = {"department": "部门（department）", "year": "年度（year）"}
        wanted = "、".join(names[key] for key in missing)
        raise Unreadable(
            f"缺少元数据：{wanted}。请在文件开头加 YAML 头，或提供 {path.stem}{SIDECAR_SUFFIX}")
    year_text = str(raw["year"]).strip().rstrip("年").replace("年度", "")
    if not re.fullmatch(r"(19|20)\d\d", year_text):
        raise Unreadable(f"元数据中的年度“{raw['year']}”不是四位年份")
    place = str(raw.get("place") or "").strip() or "".join(
        str(raw.get(key) or "").strip() for key in ("province", "city", "county"))
    return {
        "department": re.sub(r"\s+", "", str(raw["department"])),
        "year": int(year_text),
        "place": place,
        "title": str(raw.get("title") or "").strip(),
        "note": str(raw.get("note") or "").strip(),
    }


# ---------------------------------------------------------------------------------- blocks


def decode_text(data: bytes) -> str:
    try:
        return shared_decode(data)[0]
    except UndecodableText as error:
        raise Unreadable(str(error)) from None


def blocks_of(document: Document, first_line: int = 1) -> list[Block]:
    """The chunker's blocks: headings the source marks (Markdown #, a Word heading style) stay
    headings; numbered lines are paragraphs (the chunker reads their numbering itself); a table is
    its rows, non-empty cells joined by " | " (a cell equal to its neighbour is kept: 6.02 | 6.02)."""
    blocks = []
    for block in document.blocks:
        locator = block.line if block.line is not None else block.element or 0
        if document.kind in ("text", "markdown"):
            locator = locator - 1 + first_line if block.line is not None else locator
        if block.kind == "table":
            text = _table_text(block.cell_texts())
            if text:
                blocks.append(Block("table", text, locator))
        elif block.text.strip():
            heading = block.kind == "heading" and block.heading_from != "numbering"
            blocks.append(Block("heading" if heading else "paragraph", block.text.strip(), locator,
                                block.level if heading else None))
    return blocks


def text_blocks(body: str, first_line: int, markdown: bool) -> list[Block]:
    """Blocks of a text report's body (front matter already removed), lines counted from `first_line`."""
    from assistant.model.document_text import TextParser

    document = Document(path=Path("body.md" if markdown else "body.txt"), kind="markdown" if markdown else "text",
                        text=body)
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    document.blocks = TextParser(lines, markdown).parse(0)
    return blocks_of(document, first_line)


def _table_text(rows: list[list[str]]) -> str:
    kept = []
    for row in rows:
        cells = [re.sub(r"\s+", "", cell) for cell in row]
        cells = [cell for cell in cells if cell and not cell.startswith("[bookmark")]
        if cells:
            kept.append(" | ".join(cells))
    return "\n".join(kept)


# ---------------------------------------------------------------------------------- one file


def read_document(path: Path, source: str, data: bytes, max_text_bytes: int) -> SourceDocument:
    """Parse already-read bytes into a SourceDocument (metadata + blocks), or raise Unreadable."""
    if not data.strip():
        raise Unreadable("文件是空的")
    sidecar = sidecar_for(path)
    raw_meta: dict | None = None
    if sidecar is not None:
        try:
            raw_meta = _load_yaml(decode_text(sidecar.read_bytes()), f"元数据文件 {sidecar.name} ")
        except OSError as error:
            raise Unreadable(f"元数据文件 {sidecar.name} 无法读取（{error.strerror or error}）") from None
    if path.suffix.lower() in TEXT_SUFFIXES and len(data) > max_text_bytes:
        raise Unreadable(f"文件过大（{len(data) / 2**20:.1f} MB，文本报告上限 {max_text_bytes / 2**20:.0f} MB），不像一份报告，已跳过")
    try:
        document = read_any(path, data)
    except DocumentError as error:
        raise Unreadable(error.reason) from None
    if document.kind in ("text", "markdown"):
        front, _, _ = parse_front_matter(document.text)
        if front is not None:
            raw_meta = {**front, **(raw_meta or {})}
    blocks = blocks_of(document)
    if raw_meta is None:
        raise Unreadable(
            f"缺少元数据：请在文件开头加 YAML 头（place、department、year），或提供 {path.stem}{SIDECAR_SUFFIX}")
    metadata = normalise_metadata(raw_meta, path)
    if not any(block.text.strip() for block in blocks):
        raise Unreadable("文档中没有正文文字")
    unit = "行" if document.kind in ("text", "markdown") else "段"
    return SourceDocument(path=path, source=source, metadata=metadata, blocks=blocks, locator_unit=unit)
