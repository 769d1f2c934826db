"""One document reader: a report file as blocks (headings, paragraphs, tables) with their positions.

    read_document(path) -> Document          .docx .pdf .txt .md .doc .wps; DocumentError (Chinese) when unusable

Every consumer reads files through this module: the number checker (`checking/reader.py`), corpus
ingestion (`retrieval/readers.py`), the carry-forward drafter, `jixiao import` and `jixiao audit`
(`report_reader.py`). Formats have one module each: `document_docx`, `document_pdf`, `document_text`
(plain text and Markdown, with tables recovered from flattened text) and `document_convert` (.doc/.wps
through LibreOffice).

`Document.text` is the whole document as text: for a text file the file as decoded (line ends "\\n",
traditional characters and pinyin annotations normalised, line count unchanged); for .docx and .pdf its
paragraphs one per line and its table rows one per line with cells separated by tabs. Every block and
every cell knows its offsets in that text and where it sits in the source (line of a text file, body
element of a .docx, page of a PDF), so a finding can point at the sentence or the cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from assistant.model.errors import InputError

TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")
SUFFIXES = (".docx", ".pdf", ".doc", ".wps", *TEXT_SUFFIXES)
MAX_TEXT_BYTES = 20 * 2**20  # a report is tens of kilobytes of text; this is not one report


class DocumentError(InputError):
    """A file that cannot be read. `reason` is the Chinese reason without the file name."""

    def __init__(self, reason: str, name: str = ""):
        self.reason = reason
        super().__init__(f"{name}：{reason}" if name else reason)


@dataclass(frozen=True)
class Cell:
    """One cell of a table. A merged cell appears once, at its first grid column, with its spans; a cell
    covered by a vertical merge appears in each later row with `continued=True` and the origin's text."""

    text: str
    row: int  # 0-based row of the table
    col: int  # 0-based grid column
    colspan: int = 1
    rowspan: int = 1
    continued: bool = False
    start: int = -1  # offsets into Document.text (-1: not in the text, e.g. a continued cell)
    end: int = -1
    line: int | None = None  # 1-based line of a text file


@dataclass(frozen=True)
class Block:
    kind: str  # "heading", "paragraph" or "table"
    text: str  # a table: rows joined by "\n", cells by "\t" (continued cells empty)
    start: int  # offsets into Document.text
    end: int
    line: int | None = None  # text files: 1-based first line
    element: int | None = None  # .docx: 1-based body element; .pdf: page
    level: int | None = None  # headings
    heading_from: str | None = None  # "style", "markdown" or "numbering"
    rows: tuple[tuple[Cell, ...], ...] = ()
    layout: str | None = None  # how a table was recovered (docx, pdf, tab-cells, tab-rows, pipe, …)
    parent: tuple[int, int, int] | None = None  # a nested table: (parent block index, row, col)
    pieces: tuple[tuple[int, int], ...] = ()  # the spans of Document.text a paragraph is made of

    def cell_texts(self) -> list[list[str]]:
        """Rows of cell texts as a form reader wants them: a merged cell once, a covered cell empty."""
        return [["" if cell.continued else cell.text for cell in row] for row in self.rows]

    def grid(self) -> list[list[str]]:
        """The table as a full grid: a merged cell's text in every grid position it covers."""
        width = max((cell.col + cell.colspan for row in self.rows for cell in row), default=0)
        grid = [[""] * width for _ in self.rows]
        for row in self.rows:
            for cell in row:
                for col in range(cell.col, cell.col + cell.colspan):
                    grid[cell.row][col] = cell.text
        return grid

    def location(self, unit: str) -> str:
        """Chinese position of the block ("第12行", "第3段", "第2页")."""
        if self.line is not None:
            return f"第{self.line}行"
        if self.element is not None:
            return f"第{self.element}{unit}"
        return ""


@dataclass
class Document:
    path: Path
    kind: str  # "docx", "pdf", "text", "markdown" (a .doc/.wps reads as "docx" with converted_from set)
    text: str
    blocks: list[Block] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)  # a text file's leading `---` header
    meta_lines: int = 0  # lines the header takes
    encoding: str | None = None
    notes: list[str] = field(default_factory=list)  # what the reader changed or assumed (Chinese)
    converted_from: str | None = None  # ".doc" / ".wps" when LibreOffice converted the file

    @property
    def unit(self) -> str:
        """What a block position counts: 行 (text), 段 (.docx body element), 页 (PDF page)."""
        return {"docx": "段", "pdf": "页"}.get(self.kind, "行")

    def tables(self) -> list[Block]:
        return [block for block in self.blocks if block.kind == "table"]

    def line_of(self, offset: int) -> int:
        return self.text.count("\n", 0, max(0, offset)) + 1


def read_document(path: str | Path, data: bytes | None = None) -> Document:
    """Read a report file. `data` may hold its bytes already (corpus ingestion reads them once)."""
    path = Path(path)
    if data is None:
        if not path.exists():
            raise DocumentError(f"找不到文件：{path}")
        if path.is_dir():
            raise DocumentError(f"{path} 是一个文件夹，请指定文件")
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        kinds = "、".join(s for s in SUFFIXES if s not in (".markdown", ".text"))
        raise DocumentError(f"不支持的文件类型“{suffix or '无扩展名'}”：请使用 {kinds}", path.name)
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as error:
            raise DocumentError(f"无法读取（{error.strerror or error}）", path.name) from None
    if not data.strip():
        raise DocumentError("文件内容为空", path.name)
    if suffix in (".doc", ".wps") or (suffix == ".docx" and data.startswith(OLE_MAGIC)):
        from assistant.model.document_convert import read_converted

        return read_converted(path, data)
    if suffix == ".docx" or (suffix in TEXT_SUFFIXES and data[:4] == b"PK\x03\x04"):
        from assistant.model.document_docx import read_docx

        return read_docx(path, data)
    if suffix == ".pdf":
        from assistant.model.document_pdf import read_pdf

        return read_pdf(path, data)
    from assistant.model.document_text import read_text

    return read_text(path, data)


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


# -- building the text of a .docx or .pdf -----------------------------------------------------------------

class TextBuilder:
    """The full text of a document that is not a text file, built block by block with offsets."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.offset = 0
        self.blocks: list[Block] = []

    def _add(self, text: str) -> int:
        start = self.offset
        self.parts.append(text + "\n")
        self.offset += len(text) + 1
        return start

    def paragraph(self, text: str, element: int | None, level: int | None = None) -> None:
        start = self._add(text)
        kind = "heading" if level else "paragraph"
        self.blocks.append(Block(kind, text, start, start + len(text), element=element, level=level,
                                 heading_from="style" if level else None, pieces=((start, start + len(text)),)))

    def table(self, rows: list[list[Cell]], element: int | None, layout: str,
              parent: tuple[int, int, int] | None = None) -> int:
        """Add a table, one row per line with cells separated by tabs; returns its block index."""
        start = self.offset
        placed: list[tuple[Cell, ...]] = []
        lines = []
        for row in rows:
            position = self.offset
            cells, texts = [], []
            for index, cell in enumerate(row):
                position += 1 if index else 0  # the tab
                text = "" if cell.continued else one_line(cell.text)
                cells.append(cell if cell.continued else _placed(cell, position, position + len(text)))
                texts.append(text)
                position += len(text)
            lines.append("\t".join(texts))
            self._add(lines[-1])
            placed.append(tuple(cells))
        self.blocks.append(Block("table", "\n".join(lines), start, max(start, self.offset - 1), element=element,
                                 rows=tuple(placed), layout=layout, parent=parent))
        return len(self.blocks) - 1

    def text(self) -> str:
        return "".join(self.parts)


def _placed(cell: Cell, start: int, end: int) -> Cell:
    return Cell(cell.text, cell.row, cell.col, cell.colspan, cell.rowspan, cell.continued, start, end, cell.line)


def one_line(text: str) -> str:
    """A cell's text on one line: line breaks inside a cell wrap a label (比上年\\n增减); Chinese joins
    them without a space."""
    return text.replace("\t", " ").replace("\r", "").replace("\n", "")
