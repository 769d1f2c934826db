"""Reading corpus files into blocks of text, with their metadata.

A report file (.docx, .txt, .md) becomes a `SourceDocument`: its metadata (front matter or a
`<name>.meta.yaml` sidecar) and its blocks in reading order: paragraphs and tables, each with the line
(text files) or body element (docx) it starts at. Anything that makes a file unusable raises
`Unreadable` with a one-line Chinese reason; ingestion reports it and goes on with the next file.

Decisions (docs/retrieval.md "Bad input"):
- Text encodings: UTF-8 (with or without BOM), UTF-16 with BOM, then GB18030 (a superset of GBK and
  GB2312, the encodings Windows Notepad and older systems write). Anything else is refused.
- Size: a report is tens of kilobytes of text. A .txt/.md above `max_text_bytes` is refused before it is
  read (it is not one report). A .docx is judged by its text part (word/document.xml), not by its file
  size, so a report full of photographs is read, and a zip bomb is not.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from assistant.model.text_files import UndecodableText
from assistant.model.text_files import decode_text as shared_decode

SUFFIXES = (".docx", ".txt", ".md")
SIDECAR_SUFFIX = ".meta.yaml"
# A docx's XML is several times its text; this factor turns the text limit into an XML limit.
DOCX_XML_FACTOR = 12
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
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


# ---------------------------------------------------------------------------------- text files


def decode_text(data: bytes) -> str:
    try:
        return shared_decode(data)[0]
    except UndecodableText as error:
        raise Unreadable(str(error)) from None


_MD_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


def text_blocks(body: str, first_line: int, markdown: bool) -> list[Block]:
    """Blocks of a text report. One line is one paragraph (the way Word exports Chinese text);
    a line continues the previous one only when that one stops mid-sentence (hard-wrapped text).
    Pipe tables (markdown), lines of tab-separated cells, and runs of tab-indented cells (text exported
    from Word tables) are tables."""
    blocks: list[Block] = []
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    index = 0
    paragraph_end = -1  # the line the last paragraph ended on (a wrapped line must follow directly)
    while index < len(lines):
        line = lines[index].rstrip()
        number = first_line + index
        stripped = line.strip()
        if not stripped:
            index += 1
            continue
        if stripped.startswith("|") and stripped.count("|") >= 2:
            rows, index = _pipe_table(lines, index)
            if rows:
                blocks.append(Block("table", _table_text(rows), number))
            continue
        if line.count("\t") >= 2 and not line.startswith("\t"):
            rows, index = _tsv_table(lines, index)
            blocks.append(Block("table", _table_text(rows), number))
            continue
        if line.startswith("\t"):
            rows, index = _tab_table(lines, index)
            if rows:
                blocks.append(Block("table", _table_text(rows), number))
            continue
        heading = _MD_HEADING.match(stripped) if markdown else None
        if heading:
            blocks.append(Block("heading", heading.group(2).strip(), number, len(heading.group(1))))
            index += 1
            continue
        text = _md_inline(stripped) if markdown else stripped
        previous = blocks[-1] if blocks else None
        if (previous is not None and previous.kind == "paragraph" and paragraph_end == number - 1
                and _continues(previous.text, text)):
            blocks[-1] = Block("paragraph", previous.text + text, previous.locator)
        else:
            blocks.append(Block("paragraph", text, number))
        paragraph_end = number
        index += 1
    return blocks


_SENTENCE_END = tuple("。！？；：:;!?”’」』）)】")
_STARTS_NEW = re.compile(r"^([一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．]|[①-⑳]|[一二三四五六七八九十]是|第[一二三四五六七八九十]|[-*+]\s)")


def _continues(previous: str, line: str) -> bool:
    """Hard-wrapped text: the previous line is long, stops mid-sentence, and this line starts no item."""
    return len(previous) >= 30 and not previous.endswith(_SENTENCE_END) and not _STARTS_NEW.match(line)


def _md_inline(text: str) -> str:
    """Markdown emphasis and list bullets removed; the words stay."""
    text = re.sub(r"^[-*+]\s+", "", text)
    text = re.sub(r"^>\s*", "", text)
    return re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)


def _pipe_table(lines: list[str], index: int) -> tuple[list[list[str]], int]:
    rows: list[list[str]] = []
    while index < len(lines) and lines[index].strip().startswith("|"):
        line = lines[index].strip()
        index += 1
        if _MD_TABLE_RULE.match(line):
            continue
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        rows.append(cells)
    return rows, index


def _tsv_table(lines: list[str], index: int) -> tuple[list[list[str]], int]:
    """Rows of tab-separated cells, one row a line (text copied from a spreadsheet or a Word table)."""
    rows = []
    while index < len(lines) and lines[index].count("\t") >= 2 and not lines[index].startswith("\t"):
        rows.append(lines[index].split("\t"))
        index += 1
    return rows, index


def _tab_table(lines: list[str], index: int) -> tuple[list[list[str]], int]:
    """Word's "save as text" puts each cell of a table on its own tab-indented line, rows apart by a
    blank line. A short untabbed line is still inside the table (a cell's text run on) when another
    tabbed line follows within a few lines; anything else ends the table."""
    rows: list[list[str]] = []
    row: list[str] = []
    while index < len(lines):
        line = lines[index]
        if line.startswith("\t"):
            row.append(line.strip())
        elif not line.strip():
            if row:
                rows.append(row)
                row = []
        elif len(line.strip()) <= 20 and _tab_line_follows(lines, index + 1):
            if row:
                row[-1] = row[-1] + line.strip()
            else:
                row.append(line.strip())
        else:
            break
        index += 1
    if row:
        rows.append(row)
    return rows, index


def _tab_line_follows(lines: list[str], index: int, window: int = 4) -> bool:
    for line in lines[index:index + window]:
        if line.startswith("\t"):
            return True
        if line.strip() and len(line.strip()) > 20:
            return False
    return False


def _table_text(rows: list[list[str]]) -> str:
    kept = []
    for row in rows:
        cells = [re.sub(r"\s+", "", cell) for cell in row]
        cells = [cell for cell in cells if cell and not cell.startswith("[bookmark")]
        if cells:
            kept.append(" | ".join(cells))
    return "\n".join(kept)


# ---------------------------------------------------------------------------------- docx


def docx_blocks(data: bytes, max_text_bytes: int) -> list[Block]:
    """Paragraphs and tables of the body, in order. Corrupt, encrypted and legacy files are refused."""
    if data.startswith(OLE_MAGIC):
        if "EncryptionInfo".encode("utf-16-le") in data or b"EncryptedPackage" in data \
                or "EncryptedPackage".encode("utf-16-le") in data:
            raise Unreadable("文件受密码保护（已加密），请在 Word 中取消密码后另存为 .docx")
        raise Unreadable("这是旧版 Word 文档（.doc 格式），请在 Word 中另存为 .docx")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        info = archive.getinfo("word/document.xml")
    except (zipfile.BadZipFile, KeyError, ValueError):
        raise Unreadable("文件已损坏或不是 Word 文档（.docx），无法打开") from None
    if info.file_size > max_text_bytes * DOCX_XML_FACTOR:
        raise Unreadable(
            f"文档正文过大（{info.file_size / 2**20:.1f} MB 的正文 XML），不像一份报告，已跳过")
    try:
        import docx
        from docx.oxml.ns import qn

        document = docx.Document(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - python-docx raises many kinds of errors on broken packages
        raise Unreadable("文件已损坏或不是 Word 文档（.docx），无法打开") from None
    blocks: list[Block] = []
    for number, element in enumerate(document.element.body.iterchildren(), start=1):
        if element.tag == qn("w:p"):
            text = _paragraph_text(element)
            if text.strip():
                level = _heading_level(document, element)
                blocks.append(Block("heading" if level else "paragraph", text.strip(), number, level))
        elif element.tag == qn("w:tbl"):
            rows = _docx_table_rows(element)
            if rows:
                blocks.append(Block("table", _table_text(rows), number))
    return blocks


def _paragraph_text(element) -> str:
    from docx.oxml.ns import qn

    parts = []
    for node in element.iter(qn("w:t"), qn("w:tab"), qn("w:br")):
        parts.append(node.text or "" if node.tag == qn("w:t") else ("\t" if node.tag == qn("w:tab") else "\n"))
    return "".join(parts).replace("\n", "")


def _heading_level(document, element) -> int | None:
    """Level from a "Heading n" / "标题 n" paragraph style, if the document uses them."""
    from docx.oxml.ns import qn

    ppr = element.find(qn("w:pPr"))
    style = ppr.find(qn("w:pStyle")) if ppr is not None else None
    if style is None:
        return None
    style_id = style.get(qn("w:val")) or ""
    try:
        name = document.styles.get_by_id(style_id, 1).name or style_id  # 1 = paragraph style
    except Exception:  # noqa: BLE001 - a missing or odd style: use its id
        name = style_id
    match = re.search(r"(?:heading|标题)\s*(\d)", name, re.IGNORECASE)
    return int(match.group(1)) if match else None


def _docx_table_rows(table) -> list[list[str]]:
    """Rows of a table; a cell merged across columns appears once."""
    from docx.oxml.ns import qn

    rows = []
    for tr in table.iter(qn("w:tr")):
        cells = []
        for tc in tr.iter(qn("w:tc")):
            text = "".join(_paragraph_text(p) for p in tc.iter(qn("w:p"))).strip()
            if not cells or text != cells[-1]:
                cells.append(text)
        rows.append(cells)
    return rows


# ---------------------------------------------------------------------------------- one file


def read_document(path: Path, source: str, data: bytes, max_text_bytes: int) -> SourceDocument:
    """Parse already-read bytes into a SourceDocument (metadata + blocks), or raise Unreadable."""
    if not data.strip():
        raise Unreadable("文件是空的")
    suffix = path.suffix.lower()
    sidecar = sidecar_for(path)
    raw_meta: dict | None = None
    if sidecar is not None:
        try:
            raw_meta = _load_yaml(decode_text(sidecar.read_bytes()), f"元数据文件 {sidecar.name} ")
        except OSError as error:
            raise Unreadable(f"元数据文件 {sidecar.name} 无法读取（{error.strerror or error}）") from None
    if suffix == ".docx":
        blocks = docx_blocks(data, max_text_bytes)
        unit = "段"
    else:
        text = decode_text(data)
        front, body, used_lines = parse_front_matter(text.lstrip("\ufeff"))
        if front is not None:
            raw_meta = {**front, **(raw_meta or {})}
        blocks = text_blocks(body, used_lines + 1, markdown=suffix == ".md")
        unit = "行"
    if raw_meta is None:
        raise Unreadable(
            f"缺少元数据：请在文件开头加 YAML 头（place、department、year），或提供 {path.stem}{SIDECAR_SUFFIX}")
    metadata = normalise_metadata(raw_meta, path)
    if not any(block.text.strip() for block in blocks):
        raise Unreadable("文档中没有正文文字")
    return SourceDocument(path=path, source=source, metadata=metadata, blocks=blocks, locator_unit=unit)
