"""A small, renderer-independent description of a report document.

The drafting layer builds a :class:`Document` out of these frozen dataclasses and
hands it to a renderer (``docx_writer.write_docx`` today, HTML later). Nothing here
knows about Word, fonts or page sizes, and nothing here formats numbers: every
text field arrives as a finished string.

Block types that may appear in ``Document.blocks`` and ``Attachment.blocks``:

* :class:`Heading`    -- levels 1..4 ("一、" / "（一）" / "1." / "（1）"); the text
  already carries its own numbering.
* :class:`Paragraph`  -- body text.
* :class:`Table`      -- an explicit grid of :class:`Cell` objects (see below).
* :class:`PageBreak`  -- forces the next block onto a new page.

Tables use an explicit grid. Every row lists exactly ``n_cols`` entries. A cell
that spans several rows or columns is written once, at its top-left position,
with ``rowspan``/``colspan`` set; every other position it covers is ``None``.
Example, a 3 x 3 table whose first column holds a cell spanning two rows and
whose last row has one cell spanning two columns::

    Table(rows=[
        [Cell("项目"),             Cell("预算数"), Cell("决算数")],
        [Cell("三公经费", rowspan=2), Cell("1.00"),  Cell("0.90")],
        [None,                      Cell("2.00"),  Cell("1.80")],
        [Cell("合计", colspan=2),   None,          Cell("2.70")],
    ])

Sequences passed in (lists) are stored as tuples so that a built document cannot
change after validation. Invalid shapes raise ``ValueError``/``TypeError``: these
are programming errors, not user errors, so the messages are in English.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Sequence, Union

__all__ = [
    "Align",
    "Attachment",
    "Block",
    "Cell",
    "Document",
    "Heading",
    "PageBreak",
    "Paragraph",
    "Table",
]

Align = Literal["justify", "center", "left", "right"]
ALIGNMENTS: frozenset[str] = frozenset({"justify", "center", "left", "right"})


def _check_align(value: str, owner: str) -> None:
    if value not in ALIGNMENTS:
        raise ValueError(f"{owner}: align must be one of {sorted(ALIGNMENTS)}, got {value!r}")


def _check_text(value: object, owner: str, name: str = "text") -> None:
    if not isinstance(value, str):
        raise TypeError(f"{owner}: {name} must be str, got {type(value).__name__}")


@dataclass(frozen=True)
class Heading:
    """A numbered heading. ``level`` 1..4 maps to 一、/（一）/1./（1）."""

    level: int
    text: str

    def __post_init__(self) -> None:
        if self.level not in (1, 2, 3, 4):
            raise ValueError(f"Heading: level must be 1..4, got {self.level!r}")
        _check_text(self.text, "Heading")


@dataclass(frozen=True)
class Paragraph:
    """Body text. By default justified with the first line indented 2 characters.

    A "\\n" inside ``text`` becomes a manual line break.
    """

    text: str
    align: Align = "justify"
    indent_first: bool = True

    def __post_init__(self) -> None:
        _check_text(self.text, "Paragraph")
        _check_align(self.align, "Paragraph")


@dataclass(frozen=True)
class PageBreak:
    """Start the next block on a new page."""


@dataclass(frozen=True)
class Cell:
    """One table cell, placed at the top-left position of the area it covers.

    A "\\n" inside ``text`` becomes a line break within the cell.
    """

    text: str
    colspan: int = 1
    rowspan: int = 1
    align: Align = "center"
    bold: bool = False

    def __post_init__(self) -> None:
        _check_text(self.text, "Cell")
        _check_align(self.align, "Cell")
        if not isinstance(self.colspan, int) or self.colspan < 1:
            raise ValueError(f"Cell: colspan must be an int >= 1, got {self.colspan!r}")
        if not isinstance(self.rowspan, int) or self.rowspan < 1:
            raise ValueError(f"Cell: rowspan must be an int >= 1, got {self.rowspan!r}")


@dataclass(frozen=True)
class Table:
    """A bordered table with an explicit grid (see the module docstring).

    ``col_widths_mm``: one width per column. If the total exceeds the text width
    of the page it lands on, the widths are scaled down proportionally; ``None``
    means equal columns filling the text width. ``header_rows`` leading rows
    repeat at the top of each page. ``caption`` is printed centred above.
    """

    rows: Sequence[Sequence[Cell | None]]
    col_widths_mm: Sequence[float] | None = None
    font_size_pt: float = 12
    header_rows: int = 1
    caption: str | None = None

    def __post_init__(self) -> None:
        rows = tuple(tuple(row) for row in self.rows)
        object.__setattr__(self, "rows", rows)
        if self.col_widths_mm is not None:
            object.__setattr__(self, "col_widths_mm", tuple(float(w) for w in self.col_widths_mm))
        self._validate()

    @property
    def n_rows(self) -> int:
        return len(self.rows)

    @property
    def n_cols(self) -> int:
        return len(self.rows[0])

    def anchors(self) -> list[tuple[int, int, Cell]]:
        """All real cells as (row index, column index, cell), row by row."""
        return [
            (r, c, cell)
            for r, row in enumerate(self.rows)
            for c, cell in enumerate(row)
            if cell is not None
        ]

    def _validate(self) -> None:
        if not self.rows or not self.rows[0]:
            raise ValueError("Table: needs at least one row and one column")
        n_cols = len(self.rows[0])
        for r, row in enumerate(self.rows):
            if len(row) != n_cols:
                raise ValueError(f"Table: row {r} has {len(row)} entries, expected {n_cols}")
            for c, cell in enumerate(row):
                if cell is not None and not isinstance(cell, Cell):
                    raise TypeError(
                        f"Table: entry ({r}, {c}) must be Cell or None, got {type(cell).__name__}"
                    )
        # Every grid position must be covered by exactly one cell: a cell's own
        # position or a position inside its span, which must hold None.
        covered: dict[tuple[int, int], tuple[int, int]] = {}
        for r, c, cell in self.anchors():
            if r + cell.rowspan > self.n_rows or c + cell.colspan > n_cols:
                raise ValueError(
                    f"Table: cell ({r}, {c}) with rowspan={cell.rowspan}, "
                    f"colspan={cell.colspan} runs past the grid"
                )
            for rr in range(r, r + cell.rowspan):
                for cc in range(c, c + cell.colspan):
                    if (rr, cc) in covered:
                        raise ValueError(
                            f"Table: position ({rr}, {cc}) is covered by both "
                            f"{covered[(rr, cc)]} and ({r}, {c})"
                        )
                    if (rr, cc) != (r, c) and self.rows[rr][cc] is not None:
                        raise ValueError(
                            f"Table: position ({rr}, {cc}) lies inside the span of "
                            f"({r}, {c}) and must be None"
                        )
                    covered[(rr, cc)] = (r, c)
        for r, row in enumerate(self.rows):
            for c in range(n_cols):
                if (r, c) not in covered:
                    raise ValueError(f"Table: position ({r}, {c}) is None but no span covers it")
        if self.col_widths_mm is not None:
            if len(self.col_widths_mm) != n_cols:
                raise ValueError(
                    f"Table: {len(self.col_widths_mm)} column widths for {n_cols} columns"
                )
            if any(w <= 0 for w in self.col_widths_mm):
                raise ValueError("Table: column widths must be positive")
        if not self.font_size_pt > 0:
            raise ValueError(f"Table: font_size_pt must be positive, got {self.font_size_pt!r}")
        if not isinstance(self.header_rows, int) or not 0 <= self.header_rows <= self.n_rows:
            raise ValueError(f"Table: header_rows must be 0..{self.n_rows}, got {self.header_rows!r}")
        if self.caption is not None:
            _check_text(self.caption, "Table", "caption")


Block = Union[Heading, Paragraph, Table, PageBreak]
BLOCK_TYPES: tuple[type, ...] = (Heading, Paragraph, Table, PageBreak)


def _freeze_blocks(owner: object, blocks: Sequence[Block], name: str) -> None:
    frozen = tuple(blocks)
    for i, block in enumerate(frozen):
        if not isinstance(block, BLOCK_TYPES):
            raise TypeError(
                f"{name}: block {i} has unsupported type {type(block).__name__}; "
                "expected Heading, Paragraph, Table or PageBreak"
            )
    object.__setattr__(owner, "blocks", frozen)


@dataclass(frozen=True)
class Attachment:
    """An attachment (附件) printed after the main text, starting on a new page.

    ``label`` is e.g. "附件1"; ``title`` is printed centred on line 3 and repeated
    in the 附件说明 of the main text. ``notes`` are short lines printed after the
    blocks (e.g. "说明：……", "填表人：……").
    """

    label: str
    title: str
    blocks: Sequence[Block] = ()
    landscape: bool = True
    notes: Sequence[str] = ()

    def __post_init__(self) -> None:
        _check_text(self.label, "Attachment", "label")
        _check_text(self.title, "Attachment", "title")
        if not self.label.strip():
            raise ValueError("Attachment: label must not be empty")
        _freeze_blocks(self, self.blocks, "Attachment")
        notes = tuple(self.notes)
        for note in notes:
            _check_text(note, "Attachment", "note")
        object.__setattr__(self, "notes", notes)


@dataclass(frozen=True)
class Document:
    """A whole report: title, main text, then attachments.

    ``title`` may contain "\\n" for a manual line break. When
    ``attachment_note`` is true and there are attachments, a 附件说明 listing
    their titles follows the main text. ``signature`` (署名) and ``date``
    (成文日期, e.g. "2025年3月15日") are printed right-aligned after that.
    """

    title: str
    blocks: Sequence[Block] = ()
    attachments: Sequence[Attachment] = ()
    attachment_note: bool = True
    signature: str | None = None
    date: str | None = None

    def __post_init__(self) -> None:
        _check_text(self.title, "Document", "title")
        _freeze_blocks(self, self.blocks, "Document")
        attachments = tuple(self.attachments)
        for i, attachment in enumerate(attachments):
            if not isinstance(attachment, Attachment):
                raise TypeError(
                    f"Document: attachment {i} must be Attachment, got {type(attachment).__name__}"
                )
        object.__setattr__(self, "attachments", attachments)
        if self.signature is not None:
            _check_text(self.signature, "Document", "signature")
        if self.date is not None:
            _check_text(self.date, "Document", "date")
