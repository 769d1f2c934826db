""".docx → Document: body paragraphs and tables in reading order, straight from the WordprocessingML.

- Paragraph text is every w:t / w:tab / w:br of the paragraph, runs inside content controls
  (w:sdt) and hyperlinks included (python-docx's `Paragraph.text` skips content controls); the
  fallback copy of a text box (mc:Fallback) is not read twice.
- Content controls around paragraphs, tables, rows or cells are read through.
- Tables: each w:tc once at its grid column with its w:gridSpan (and w:gridBefore skipped); an old-style
  w:hMerge continuation widens the cell before it; a w:vMerge continuation is a `continued` cell
  carrying the text of the cell it continues, and the origin's rowspan counts it. A table nested in a
  cell is its own table block after its parent, with `parent` = (parent block, row, col).
- Headings: paragraph styles "Heading n" / "标题 n", or an outline level in the paragraph properties.
- Size: a .docx is judged by its text part (word/document.xml), not by its file size, so a report
  full of photographs is read and a zip bomb is not.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from assistant.model.document import (
    MAX_TEXT_BYTES,
    OLE_MAGIC,
    Cell,
    Document,
    DocumentError,
    TextBuilder,
)
from assistant.model.text_normalise import normaliser_for

CORRUPT = "文件已损坏或不是 Word 文档（.docx），无法打开，请用 Word 打开后另存为 .docx 再试"
ENCRYPTED = "文件受密码保护（已加密），请在 Word 中取消密码后另存为 .docx"
DOCX_XML_FACTOR = 12  # a docx's XML is several times its text


def read_docx(path: Path, data: bytes) -> Document:
    if data.startswith(OLE_MAGIC) and _encrypted(data):
        raise DocumentError(ENCRYPTED, path.name)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        info = archive.getinfo("word/document.xml")
    except (zipfile.BadZipFile, KeyError, ValueError):
        raise DocumentError(CORRUPT, path.name) from None
    if info.file_size > MAX_TEXT_BYTES * DOCX_XML_FACTOR:
        raise DocumentError(f"文档正文过大（{info.file_size / 2**20:.1f} MB 的正文 XML），不像一份报告", path.name)
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - python-docx raises many kinds of errors on broken packages
        raise DocumentError(CORRUPT, path.name) from None
    try:
        walker = _Walker(document)
        walker.walk(document.element.body)
    except (ValueError, AttributeError, TypeError):
        raise DocumentError(CORRUPT, path.name) from None
    return walker.result(path)


def _encrypted(data: bytes) -> bool:
    return ("EncryptionInfo".encode("utf-16-le") in data or b"EncryptedPackage" in data
            or "EncryptedPackage".encode("utf-16-le") in data)


class _Walker:
    def __init__(self, document) -> None:
        from docx.oxml.ns import qn

        self.document = document
        self.items: list[tuple] = []  # ("p", text, element, level) / ("t", rows, element, parent)
        self.element = 0
        self.tags = {name: qn(f"w:{name}") for name in (
            "p", "tbl", "tr", "tc", "sdt", "sdtContent", "t", "tab", "br", "cr", "tcPr", "gridSpan",
            "vMerge", "hMerge", "val", "trPr", "gridBefore", "pPr", "pStyle", "outlineLvl", "customXml",
            "noBreakHyphen")}
        self.fallback = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"

    # -- body ------------------------------------------------------------------------------------------
    def walk(self, parent, top: bool = True) -> None:
        t = self.tags
        for child in parent.iterchildren():
            if top:
                self.element += 1
            if child.tag == t["p"]:
                self.items.append(("p", self.paragraph_text(child), self.element, self.heading_level(child)))
            elif child.tag == t["tbl"]:
                self.table(child, None)
            elif child.tag in (t["sdt"], t["customXml"]):
                content = child.find(t["sdtContent"]) if child.tag == t["sdt"] else child
                if content is not None:
                    self.walk(content, top=False)

    def paragraph_text(self, p) -> str:
        t = self.tags
        parts = []
        for node in p.iter(t["t"], t["tab"], t["br"], t["cr"], t["noBreakHyphen"]):
            if any(ancestor.tag == self.fallback for ancestor in node.iterancestors()):
                continue
            if node.tag == t["t"]:
                parts.append(node.text or "")
            elif node.tag == t["noBreakHyphen"]:
                parts.append("-")
            else:
                parts.append(" " if node.tag == t["tab"] else "\n")
        return "".join(parts).replace("\n", "")

    def heading_level(self, p) -> int | None:
        t = self.tags
        ppr = p.find(t["pPr"])
        if ppr is None:
            return None
        outline = ppr.find(t["outlineLvl"])
        style = ppr.find(t["pStyle"])
        if style is not None:
            style_id = style.get(t["val"]) or ""
            try:
                name = self.document.styles.get_by_id(style_id, 1).name or style_id  # 1 = paragraph style
            except Exception:  # noqa: BLE001 - a missing or odd style: use its id
                name = style_id
            if match := re.search(r"(?:heading|标题)\s*(\d)", name, re.IGNORECASE):
                return int(match.group(1))
        if outline is not None and (value := outline.get(t["val"], "")).isdigit() and int(value) < 9:
            return int(value) + 1
        return None

    # -- tables ----------------------------------------------------------------------------------------
    def _children(self, parent, tag: str):
        """Children with `tag`, looking through content controls and custom XML."""
        t = self.tags
        for child in parent.iterchildren():
            if child.tag == tag:
                yield child
            elif child.tag in (t["sdt"], t["customXml"]):
                content = child.find(t["sdtContent"]) if child.tag == t["sdt"] else child
                if content is not None:
                    yield from self._children(content, tag)

    def table(self, tbl, parent: tuple[int, int] | None) -> None:
        t = self.tags
        index = len(self.items)
        self.items.append(None)  # placeholder: the table comes before its nested tables
        rows: list[list[Cell]] = []
        origins: dict[int, str] = {}  # grid column → text of the open vertical merge there
        nested: list[tuple] = []
        for row_index, tr in enumerate(self._children(tbl, t["tr"])):
            cells: list[Cell] = []
            col = 0
            trpr = tr.find(t["trPr"])
            before = trpr.find(t["gridBefore"]) if trpr is not None else None
            if before is not None and (value := before.get(t["val"], "")).isdigit():
                col = int(value)
            for tc in self._children(tr, t["tc"]):
                tcpr = tc.find(t["tcPr"])
                span = 1
                vmerge = hmerge = None
                if tcpr is not None:
                    grid_span = tcpr.find(t["gridSpan"])
                    if grid_span is not None and (value := grid_span.get(t["val"], "")).isdigit():
                        span = max(1, int(value))
                    vmerge = tcpr.find(t["vMerge"])
                    hmerge = tcpr.find(t["hMerge"])
                if hmerge is not None and hmerge.get(t["val"]) != "restart" and cells:
                    last = cells[-1]  # old-style horizontal merge: widen the cell before
                    cells[-1] = Cell(last.text, last.row, last.col, last.colspan + span, last.rowspan, last.continued)
                    col += span
                    continue
                text = "\n".join(self.paragraph_text(p) for p in self._children(tc, t["p"]))
                for inner in self._children(tc, t["tbl"]):
                    nested.append((inner, row_index, col))
                if vmerge is not None and vmerge.get(t["val"]) != "restart" and col in origins:
                    cells.append(Cell(origins[col], row_index, col, span, 1, continued=True))
                else:
                    cells.append(Cell(text, row_index, col, span))
                    if vmerge is not None and vmerge.get(t["val"]) == "restart":
                        origins[col] = text
                    else:
                        origins.pop(col, None)
                col += span
            rows.append(cells)
        spans = self._closed_spans(rows)
        rows = [[Cell(c.text, c.row, c.col, c.colspan, spans.get((c.row, c.col), 1) if not c.continued else 1,
                      c.continued) for c in row] for row in rows]
        self.items[index] = ("t", rows, self.element, parent)
        for inner, row_index, col in nested:
            self.table(inner, (index, row_index, col))

    @staticmethod
    def _closed_spans(rows: list[list[Cell]]) -> dict[tuple[int, int], int]:
        """Rowspan of every origin cell: 1 + the continued cells under it."""
        spans: dict[tuple[int, int], int] = {}
        open_at: dict[int, tuple[int, int]] = {}
        for row in rows:
            for cell in row:
                if cell.continued and cell.col in open_at:
                    key = open_at[cell.col]
                    spans[key] = spans.get(key, 1) + 1
                elif not cell.continued:
                    open_at[cell.col] = (cell.row, cell.col)
        return spans

    # -- result ----------------------------------------------------------------------------------------
    def result(self, path: Path) -> Document:
        sample = "\n".join(item[1] for item in self.items if item[0] == "p")
        sample += "\n".join(c.text for item in self.items if item[0] == "t" for row in item[1] for c in row)
        normalise, notes = normaliser_for(sample)
        builder = TextBuilder()
        block_of_item: dict[int, int] = {}
        for number, item in enumerate(self.items):
            if item[0] == "p":
                builder.paragraph(normalise(item[1]), item[2], item[3])
            else:
                rows = [[Cell(normalise(c.text), c.row, c.col, c.colspan, c.rowspan, c.continued) for c in row]
                        for row in item[1]]
                parent = item[3]
                parent_block = (block_of_item[parent[0]], parent[1], parent[2]) if parent else None
                block_of_item[number] = builder.table(rows, item[2], "docx", parent_block)
        return Document(path=path, kind="docx", text=builder.text(), blocks=builder.blocks, notes=notes)
