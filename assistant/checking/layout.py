"""The shape of a draft around each number: sentence and clause in prose, row and column in tables.

Two table shapes occur in plain text: one row per line with cells separated by tabs (our `--text`
output, a .docx read by `read_draft`), and one cell per line starting with a tab, rows separated by
blank lines (text copied out of Word, as in corpus/). Both give rows of cells with offsets.

`Layout.context(mention)` returns the words that may name the number, each with a weight:
the clause before the number weighs most, then the words after it, earlier clauses of the sentence,
the section heading; in a table the row label and the column header.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

SENTENCE_END = "。！？!?\n"
ITEM_END = "；;。！？!?\n"
PROSE_CLAUSE = "，,；;：:。！？!?\n"  # not 、: it joins the parts of one name (会议费、培训费)
CELL_CLAUSE = "，,；;。！？!?"
_HEADING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十]{1,3}[)）]|\d{1,2}[.．、](?!\d)|[（(]\d{1,2}[)）])"
)
_UNIT_IN_BRACKETS = re.compile(r"[（(]\s*(万元|元|亿元|人|㎡|m²|平方米|%|个|件|次|户|家)\s*[)）]")

# Weights of the context parts (see docs/checker.md, "Binding").
W_BEFORE = 1.0
W_AFTER = 0.6
W_ITEM = 0.55  # the clauses of the number's own item (since the last ；) before its clause
W_SENTENCE = 0.35
W_HEADING = 0.25
W_INHERITED = 0.9
W_ROW_LABEL = 1.0
W_ROW_OTHER = 0.4
W_COLUMN = 0.8
W_CAPTION = 0.3
W_SECTION = 0.5


@dataclass
class Cell:
    start: int
    end: int
    text: str
    numeric: bool = False  # holds a claim and no other words


@dataclass
class Row:
    cells: list[Cell]
    table: int
    header: bool = False
    columns: list[int] | None = None  # the header column of each cell (None: no header above)


@dataclass
class Table:
    caption: str
    rows: list[Row] = field(default_factory=list)


@dataclass
class Context:
    segments: list[tuple[str, float]]  # the number's own words: before it (first), after it, its row …
    before: str  # the text before the number within its sentence or cell (for cues)
    column: str  # the column header (tables), for period cues
    row: str  # the row label (tables)
    in_table: bool
    heading: str
    section: str = ""  # the first cell of the table's header row ("经费控制情况（万元）")
    group: int = 0  # numbers of one paragraph (prose) or one row (tables) share a group
    shared: tuple[tuple[str, float], ...] = ()  # words shared with the numbers around: sentence, heading


class Layout:
    def __init__(self, text: str, claim_spans: list[tuple[int, int]]):
        self.text = text
        self.claim_spans = claim_spans
        self.claim_starts = [s for s, _ in claim_spans]
        self.line_starts = [0]
        for index, char in enumerate(text):
            if char == "\n":
                self.line_starts.append(index + 1)
        self.tables: list[Table] = []
        self.cells: list[Cell] = []  # all table cells in text order
        self.cell_row: list[Row] = []
        self.headings: list[tuple[int, str]] = []
        self._parse()
        self.cell_starts = [cell.start for cell in self.cells]
        self.heading_starts = [start for start, _ in self.headings]

    # -- structure -------------------------------------------------------------------------------
    def _lines(self):
        text = self.text
        for number, start in enumerate(self.line_starts):
            end = self.line_starts[number + 1] - 1 if number + 1 < len(self.line_starts) else len(text)
            yield start, end, text[start:end]

    def _parse(self) -> None:
        lines = list(self._lines())
        index = 0
        previous_prose: tuple[int, int, str] | None = None
        while index < len(lines):
            start, end, line = lines[index]
            if "\t" not in line:
                if line.strip():
                    if _HEADING.match(line) and len(line.strip()) <= 40 and not line.rstrip().endswith("。"):
                        self.headings.append((start, line.strip()))
                    previous_prose = (start, end, line)
                index += 1
                continue
            caption = previous_prose[2].strip() if previous_prose else ""
            table = Table(caption)
            self.tables.append(table)
            index = self._table(lines, index, table)
            previous_prose = None

    def _table(self, lines, index: int, table: Table) -> int:
        """Read rows from lines[index:] until the table ends; returns the next line index."""
        number = len(self.tables) - 1
        pending: list[Cell] = []  # cells of a one-cell-per-line row (corpus shape)

        def close_pending() -> None:
            if pending:
                self._add_row(table, Row(list(pending), number))
                pending.clear()

        while index < len(lines):
            start, end, line = lines[index]
            one_cell = line.startswith("\t") and line.count("\t") == 1
            if "\t" in line and not one_cell:
                close_pending()
                cells, position = [], start
                for part in line.split("\t"):
                    cells.append(Cell(position, position + len(part), part))
                    position += len(part) + 1
                self._add_row(table, Row(cells, number))
                index += 1
                continue
            if one_cell:
                pending.append(Cell(start + 1, end, line[1:]))
                index += 1
                continue
            if not line.strip():
                close_pending()
                # A blank line ends the table unless another cell line follows soon.
                look = index + 1
                while look < len(lines) and not lines[look][2].strip():
                    look += 1
                if look < len(lines) and "\t" in lines[look][2]:
                    index = look
                    continue
                if look < len(lines) and look + 1 < len(lines) and lines[look + 1][2].startswith("\t") and not pending:
                    # a wrapped first cell ("年度预\n算申请\n（万元）") opens the next row
                    index = look
                    continue
                return look
            # A line without a tab: the continuation of the last cell, or the end of the table.
            if pending:
                last = pending[-1]
                pending[-1] = Cell(last.start, end, self.text[last.start:end])
                index += 1
                continue
            if index + 1 < len(lines) and "\t" in lines[index + 1][2]:
                pending.append(Cell(start, end, line))  # the first cell of a row, written on its own line
                index += 1
                continue
            close_pending()
            return index
        close_pending()
        return index

    def _add_row(self, table: Table, row: Row) -> None:
        for cell in row.cells:
            claims = self._claims_in(cell.start, cell.end)
            stripped = cell.text
            for s, e in reversed(claims):
                stripped = stripped[: s - cell.start] + stripped[e - cell.start:]
            cell.numeric = bool(claims) and not re.search(r"[\u4e00-\u9fffA-Za-z]", stripped)
        texts = [c for c in row.cells if c.text.strip()]
        row.header = len(texts) >= 2 and not any(self._claims_in(c.start, c.end) for c in row.cells)
        table.rows.append(row)
        for cell in row.cells:
            self.cells.append(cell)
            self.cell_row.append(row)

    def _claims_in(self, start: int, end: int) -> list[tuple[int, int]]:
        index = bisect.bisect_left(self.claim_starts, start)
        found = []
        while index < len(self.claim_spans) and self.claim_spans[index][0] < end:
            found.append(self.claim_spans[index])
            index += 1
        return found

    # -- lookups ---------------------------------------------------------------------------------
    def cell_at(self, position: int) -> tuple[Cell, Row] | None:
        index = bisect.bisect_right(self.cell_starts, position) - 1
        if index >= 0:
            cell = self.cells[index]
            if cell.start <= position < max(cell.end, cell.start + 1):
                return cell, self.cell_row[index]
        return None

    def heading_before(self, position: int) -> str:
        index = bisect.bisect_right(self.heading_starts, position) - 1
        return self.headings[index][1] if index >= 0 else ""

    def context(self, index: int) -> Context:
        start = self.claim_spans[index][0]
        located = self.cell_at(start)
        if located is not None:
            return self._cell_context(index, *located)
        return self._prose_context(index)

    def _neighbours(self, index: int, floor: int, ceiling: int) -> tuple[int, int]:
        previous_end = self.claim_spans[index - 1][1] if index > 0 else floor
        next_start = self.claim_spans[index + 1][0] if index + 1 < len(self.claim_spans) else ceiling
        return max(previous_end, floor), min(next_start, ceiling)

    def _prose_context(self, index: int) -> Context:
        text = self.text
        start, end = self.claim_spans[index]
        sentence_start = _back_to(text, start, SENTENCE_END)
        sentence_end = _forward_to(text, end, SENTENCE_END)
        _, high, before = self._prose_before(index)
        segments = [(before, W_BEFORE), (text[end:high], W_AFTER)]
        if not _has_subject(before):
            inherited = self._inherited_subject(index, sentence_start)
            if inherited:
                segments.append((inherited, W_INHERITED))
        heading = self.heading_before(start)
        # the item the number belongs to: "公务用车购置及运行维护费97218元，比上年减少6432元，下降11.82%"
        item_start = max(_back_to(text, start, ITEM_END), sentence_start)
        item_end = min(_forward_to(text, end, ITEM_END), sentence_end)
        shared: tuple[tuple[str, float], ...] = ((text[sentence_start:sentence_end], W_SENTENCE), (heading, W_HEADING))
        if item_start > sentence_start or item_end < sentence_end:
            shared += ((text[item_start:item_end], W_ITEM),)
        group = text.rfind("\n", 0, start) + 1
        return Context(segments, text[sentence_start:start], "", "", False, heading, group=group, shared=shared)

    def _prose_before(self, index: int) -> tuple[int, int, str]:
        text = self.text
        start, end = self.claim_spans[index]
        clause_start = _back_to(text, start, PROSE_CLAUSE)
        if clause_start > 0 and text[clause_start - 1] in "：:" and not text[clause_start:start].strip(" \u3000"):
            # "政府采购金额比年初预算增减：2.15万元": the words before the colon name the number
            clause_start = _back_to(text, clause_start - 1, PROSE_CLAUSE)
        # the words after a number stop where the next item opens: "60%、仲裁结案率90%", "9.00分（分值10分）"
        clause_end = _forward_to(text, end, PROSE_CLAUSE + "、（(")
        low, high = self._neighbours(index, clause_start, clause_end)
        return low, high, text[low:start]

    def _inherited_subject(self, index: int, sentence_start: int) -> str:
        """"由92.4%提升至99%", "接待31批次、214人次": a number whose own clause names nothing
        shares the words of the number before it in the sentence."""
        previous = index - 1
        while previous >= 0 and self.claim_spans[previous][0] >= sentence_start:
            if self.cell_at(self.claim_spans[previous][0]) is not None:
                return ""
            _, _, before = self._prose_before(previous)
            if _has_subject(before):
                return before
            previous -= 1
        return ""

    def _cell_context(self, index: int, cell: Cell, row: Row) -> Context:
        text = self.text
        start, end = self.claim_spans[index]
        clause_start = _back_to(text, start, CELL_CLAUSE, floor=cell.start)
        clause_end = _forward_to(text, end, CELL_CLAUSE, ceiling=cell.end)
        low, high = self._neighbours(index, clause_start, clause_end)
        before = text[low:start]
        after = text[end:high]
        earlier = text[cell.start:low]
        segments: list[tuple[str, float]] = [(before, W_BEFORE), (after, W_AFTER), (earlier, W_SENTENCE)]
        position = row.cells.index(cell)
        labels = [c for c in row.cells[:position] if c.text.strip() and not c.numeric]
        row_label = labels[-1].text if labels else ""
        table = self.tables[row.table]
        heading = self.heading_before(start)
        column = self._column_header(row, position)
        header = self._header_of(row)
        section = header.cells[0].text.strip() if header is not None and header.cells else ""
        # Shared by the cells of a column (scored once per column): caption, heading, column header, the
        # section ("财政供养人员情况（人）" heads the rows below it). The row label's words are rare and
        # cheap to add per cell.
        shared: tuple[tuple[str, float], ...] = ((table.caption, W_CAPTION), (heading, W_HEADING), (column, W_COLUMN))
        if section and section != column:
            shared += ((section, W_SECTION),)
        if labels:
            own_words = re.search(r"[\u4e00-\u9fff]", before + earlier)  # the cell names its number itself
            segments += [(label.text, W_ROW_OTHER if own_words else W_ROW_LABEL) for label in labels]
        return Context(segments, text[cell.start:start], column, row_label, True, heading, section,
                       group=-1 - row.cells[0].start, shared=shared)

    def _column_header(self, row: Row, position: int) -> str:
        header = self._header_of(row)
        if header is None:
            return ""
        columns = self._columns(row, header)
        column = columns[position]
        return header.cells[column].text.strip() if 0 <= column < len(header.cells) else ""

    def _header_of(self, row: Row) -> Row | None:
        rows = self.tables[row.table].rows
        for previous in reversed(rows[: rows.index(row)]):
            if previous.header:
                return previous
        return None

    def _columns(self, row: Row, header: Row) -> list[int]:
        """The header column of each cell. Rows read from merged cells are short: their cells line
        up with the header from the left (a merged column on the right) or from the right (merged
        columns on the left); the side that agrees with the row above (numbers under numbers) wins."""
        if row.columns is not None:
            return row.columns
        width, count = len(header.cells), len(row.cells)
        if count >= width:
            row.columns = list(range(count))
            return row.columns
        left = list(range(count))
        right = list(range(width - count, width))
        rows = self.tables[row.table].rows
        above = None
        for previous in reversed(rows[: rows.index(row)]):
            if previous is header:
                break
            if not previous.header:
                above = previous
                break
        choice = right
        if above is not None:
            above_columns = self._columns(above, header)
            kinds = {column: _kind(cell) for column, cell in zip(above_columns, above.cells)}

            def agreement(columns: list[int]) -> int:
                return sum(1 for column, cell in zip(columns, row.cells)
                           if column in kinds and kinds[column] == _kind(cell))

            if agreement(left) > agreement(right):
                choice = left
        row.columns = choice
        return choice


def _kind(cell: Cell) -> str:
    if not cell.text.strip():
        return "empty"
    return "number" if cell.numeric else "text"


_FUNCTION_WORDS = re.compile(
    r"分别为|分别是|分别|提升至|提高至|增长至|下降至|降低至|降至|增至|提升到|提高到|达到|其中|以及|合计|总计|累计|"
    r"[为共约和及与或、达至到了是的\s（）()“”：:]"
)


def _has_subject(text: str) -> bool:
    """Whether a clause names something (two Chinese characters left after function words)."""
    rest = _FUNCTION_WORDS.sub("", text)
    return len(re.findall(r"[\u4e00-\u9fff]", rest)) >= 2


def unit_hint(context: Context, captions: str = "") -> str | None:
    """The unit a table states for its cells: （万元） in the column header, the row or the caption."""
    for text in (context.column, context.row, context.section, captions):
        match = _UNIT_IN_BRACKETS.search(text or "")
        if match:
            return match.group(1)
    return None


def _back_to(text: str, position: int, stops: str, floor: int = 0) -> int:
    index = position - 1
    while index >= floor and text[index] not in stops:
        index -= 1
    return index + 1


def _forward_to(text: str, position: int, stops: str, ceiling: int | None = None) -> int:
    limit = len(text) if ceiling is None else ceiling
    index = position
    while index < limit and text[index] not in stops:
        index += 1
    return index
