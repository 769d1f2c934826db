""".pdf (with a text layer) → Document, through pdfplumber.

Why pdfplumber: it is maintained, pure Python on top of pdfminer.six (no system library, installs from
PyPI alone), and it finds tables from the ruling lines Word and WPS draw when they export a form to
PDF, giving rows of cells with merged cells as `None`, which is what the form reader needs. PyMuPDF
is faster but AGPL-licensed; pypdf extracts text only, no tables.

Per page, the tables pdfplumber finds become table blocks; the text lines outside them become
paragraphs, in the order of their position on the page. A `None` cell (covered by a merge) widens the
cell on its left, or, in the first column, continues the cell above. `element` is the page number.
A PDF without a text layer (a scan) is refused with a Chinese message: there is nothing to read.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

from assistant.model.document import Cell, Document, DocumentError, TextBuilder
from assistant.model.text_normalise import normaliser_for

CORRUPT = "不是有效的 PDF 文件（可能已损坏或受密码保护），无法打开"
NO_TEXT = "PDF 中没有文字层（可能是扫描件），无法读取其中的文字和数字，请提供 Word 版或文字版"


def read_pdf(path: Path, data: bytes) -> Document:
    try:
        import pdfplumber
        from pdfminer.pdfparser import PDFSyntaxError
        from pdfplumber.utils.exceptions import PdfminerException
    except ImportError:  # pragma: no cover - pdfplumber is a dependency
        raise DocumentError("缺少 pdfplumber，无法读取 PDF", path.name) from None
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    items: list[tuple] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for number, page in enumerate(pdf.pages, start=1):
                items.extend(_page_items(page, number))
    except (PdfminerException, PDFSyntaxError, ValueError, KeyError, TypeError, AttributeError):
        raise DocumentError(CORRUPT, path.name) from None
    except Exception as error:  # noqa: BLE001 - pdfminer raises its own many kinds on broken files
        if type(error).__module__.startswith(("pdfminer", "pdfplumber", "pypdfium2")):
            raise DocumentError(CORRUPT, path.name) from None
        raise
    if not any(item[2] for item in items if item[1] == "p") and not any(item[1] == "t" for item in items):
        raise DocumentError(NO_TEXT, path.name)
    sample = "\n".join(item[2] for item in items if item[1] == "p")
    sample += "\n".join(cell or "" for item in items if item[1] == "t" for row in item[2] for cell in row)
    normalise, notes = normaliser_for(sample)
    builder = TextBuilder()
    for page, kind, payload in _joined(items):
        if kind == "p":
            builder.paragraph(normalise(payload), page)
        else:
            builder.table(_cells(payload, normalise), page, "pdf")
    return Document(path=path, kind="pdf", text=builder.text(), blocks=builder.blocks, notes=notes)


def _joined(items: list[tuple]) -> list[tuple]:
    """A PDF breaks paragraphs at the page width: a line that stops mid-sentence after a full line
    continues on the next one."""
    from assistant.model.document_text import continues

    out: list[tuple] = []
    for item in items:
        previous = out[-1] if out else None
        if (item[1] == "p" and previous is not None and previous[1] == "p" and previous[0] == item[0]
                and continues(previous[2], item[2], WRAPPED_LINE)):
            out[-1] = (previous[0], "p", previous[2] + item[2])
        else:
            out.append(item)
    return out


WRAPPED_LINE = 25  # characters: a shorter line is a title or the last line of its paragraph


def _page_items(page, number: int) -> list[tuple]:
    tables = page.find_tables()
    boxes = [table.bbox for table in tables]
    placed: list[tuple[float, tuple]] = []
    for table in tables:
        rows = table.extract()
        if rows and any(any(cell for cell in row) for row in rows):
            placed.append((table.bbox[1], (number, "t", rows)))
    for line in page.extract_text_lines():
        middle_x, middle_y = (line["x0"] + line["x1"]) / 2, (line["top"] + line["bottom"]) / 2
        if any(x0 <= middle_x <= x1 and top <= middle_y <= bottom for x0, top, x1, bottom in boxes):
            continue
        text = line["text"].strip()
        if text:
            placed.append((line["top"], (number, "p", text)))
    placed.sort(key=lambda item: item[0])
    return [item for _, item in placed]


def _cells(rows: list[list[str | None]], normalise) -> list[list[Cell]]:
    out: list[list[Cell]] = []
    for r, row in enumerate(rows):
        cells: list[Cell] = []
        for c, value in enumerate(row):
            if value is None and cells:
                last = cells[-1]
                cells[-1] = Cell(last.text, r, last.col, last.colspan + 1, 1, last.continued)
            elif value is None:
                above = next((cell for cell in reversed(out[-1]) if cell.col <= c), None) if out else None
                cells.append(Cell(above.text if above else "", r, c, 1, 1, continued=True))
            else:
                cells.append(Cell(normalise(value), r, c))
        out.append(cells)
    return out
