""".txt / .md → Document: paragraphs, Markdown headings, and tables recovered from flattened text.

Table layouts recognised (each table block records which one in `layout`):
- ``tab-cells`` Word's plain-text export: each cell on its own line starting with a tab, a cell's
  continuation lines without the tab (even after blank lines: `年度预\\n算申请\\n（万元）`), a blank line
  followed by a new cell ends a row. The table ends at its last cell line before a line that cannot
  belong to it (说明：, 填表人, 附件N, a heading) or more than 12 lines of text.
- ``tab-rows`` one row per line, cells separated by tabs (our `--text` rendering, a spreadsheet paste).
  A short line without tabs between two row lines (a one-cell row such as “无”) stays in the table.
- ``pipe`` Markdown pipe rows, with or without the outer pipes; the `---` rule line is dropped.
- ``spaces`` cells separated by runs of two or more spaces (or ideographic spaces), two or more such
  lines in a row with at least one figure.
- ``cell-lines`` one cell per line without tabs, rows separated by one blank line (the export above
  after the tabs were lost).
- ``cell-blocks`` every cell a line of its own between blank lines (rows lost, as web pages flatten
  Word tables): rows are rebuilt from the alternation of labels and figures (see `_rebuild_rows`).
Outside tables one line is one paragraph; a hard-wrapped line (the previous one is long and stops
mid-sentence) continues the previous paragraph. Markdown `#` lines are headings; in plain text a short
line numbered 一、 / （一） is a heading (level 1 / 2, `heading_from="numbering"`).
"""

from __future__ import annotations

import re
from pathlib import Path

from assistant.model.document import MAX_TEXT_BYTES, Block, Cell, Document, DocumentError
from assistant.model.text_files import UndecodableText, decode_text
from assistant.model.text_normalise import normalise_text

_TAB_ROW = re.compile(r"\S\t")
_PIPE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_SPACE_SPLIT = re.compile(r"(?:[ \xa0]{2,}|\u3000+|\t+)")
# Lines that cannot be the continuation of a table cell: the form's notes, attachment labels, headings.
OUTSIDE_TABLE = re.compile(
    r"^\s*(说明\s*[：:]|填表人|单位负责人|附件\s*\d|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]"
    r"|第[一二三四五六七八九十]+[章节部分])"
)
_NUMBERED_HEADING = ((re.compile(r"^[一二三四五六七八九十]{1,3}、\S"), 1),
                     (re.compile(r"^[（(][一二三四五六七八九十]{1,3}[)）]\S"), 2))
_SENTENCE_END = tuple("。！？；：:;!?”’」』）)】")
_STARTS_NEW = re.compile(r"^([一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．]|[①-⑳]"
                         r"|[一二三四五六七八九十]是|第[一二三四五六七八九十]|[-*+]\s)")
_FIGURE = re.compile(r"^[（(]?[-+]?\d[\d,，]*(?:\.\d+)?\s*(?:%|％|万元|元|人|个|分|㎡)?[)）]?$")
_BLANK_CELL = {"—", "——", "-", "--", "/", "／", "无", "…", "……", "－"}
CELL_LINE_MAX = 30  # characters: a longer line is prose, not a flattened cell


def is_figure(text: str) -> bool:
    text = text.strip()
    return bool(_FIGURE.match(text)) or text in _BLANK_CELL


def read_text(path: Path, data: bytes) -> Document:
    if len(data) > MAX_TEXT_BYTES:
        raise DocumentError(f"文件过大（{len(data) / 2**20:.1f} MB），不像一份报告", path.name)
    try:
        decoded, encoding = decode_text(data)
    except UndecodableText as error:
        raise DocumentError(str(error), path.name) from None
    if not decoded.strip():
        raise DocumentError("文件内容为空", path.name)
    text, notes = normalise_text(decoded.removeprefix("\ufeff"))
    markdown = path.suffix.lower() in (".md", ".markdown")
    lines = text.split("\n")
    meta_lines = front_matter_end(lines)
    meta = {}
    for line in lines[1:meta_lines - 1] if meta_lines else ():
        key, sep, value = line.partition(":")
        if sep:
            meta[key.strip()] = value.strip()
    blocks = TextParser(lines, markdown).parse(meta_lines)
    return Document(path=path, kind="markdown" if markdown else "text", text=text, blocks=blocks, meta=meta,
                    meta_lines=meta_lines, encoding=encoding, notes=notes)


def front_matter_end(lines: list[str]) -> int:
    """Number of lines a leading `---` … `---` header takes (0 when there is none)."""
    if not lines or lines[0].strip() != "---":
        return 0
    for end in range(1, min(len(lines), 60)):
        if lines[end].strip() in ("---", "..."):
            return end + 1
    return 0


class TextParser:
    def __init__(self, lines: list[str], markdown: bool) -> None:
        self.lines = lines
        self.markdown = markdown
        self.starts: list[int] = []
        offset = 0
        for line in lines:
            self.starts.append(offset)
            offset += len(line) + 1
        self.blocks: list[Block] = []
        self.row_mode = False

    def parse(self, first: int) -> list[Block]:
        lines = self.lines
        self.row_mode = any(_TAB_ROW.search(line) and sum(1 for c in line.split("\t") if c.strip()) >= 2
                            for line in lines[first:])
        index = first
        last_paragraph_line = -2
        while index < len(lines):
            line = lines[index]
            if not line.strip():
                index += 1
                continue
            for recover in (self._pipe, self._tab_rows, self._tab_cells, self._spaces, self._cell_lines,
                            self._run_together):
                end = recover(index)
                if end > index:
                    index = end
                    break
            else:
                if self._paragraph(index, last_paragraph_line):
                    last_paragraph_line = index
                index += 1
        return self.blocks

    # -- paragraphs -------------------------------------------------------------------------------------
    def _paragraph(self, index: int, last_paragraph_line: int) -> bool:
        raw = self.lines[index]
        start = self.starts[index] + (len(raw) - len(raw.lstrip()))
        stripped = raw.strip()
        end = start + len(stripped)
        heading = _MD_HEADING.match(stripped) if self.markdown else None
        if heading:
            self.blocks.append(Block("heading", heading.group(2).strip(), start, end, line=index + 1,
                                     level=len(heading.group(1)), heading_from="markdown", pieces=((start, end),)))
            return False
        text = _md_inline(stripped) if self.markdown else stripped
        previous = self.blocks[-1] if self.blocks else None
        if (previous is not None and previous.kind == "paragraph" and last_paragraph_line == index - 1
                and continues(previous.text, text)):
            self.blocks[-1] = Block("paragraph", previous.text + text, previous.start, end, line=previous.line,
                                    pieces=(*previous.pieces, (start, end)))
            return True
        level = next((lvl for pattern, lvl in _NUMBERED_HEADING if pattern.match(text)), None)
        if level and len(text) <= 40 and "。" not in text[:-1]:
            self.blocks.append(Block("heading", text, start, end, line=index + 1, level=level,
                                     heading_from="numbering", pieces=((start, end),)))
            return False
        self.blocks.append(Block("paragraph", text, start, end, line=index + 1, pieces=((start, end),)))
        return True

    # -- tables -----------------------------------------------------------------------------------------
    def _table(self, rows: list[list[Cell]], first: int, last: int, layout: str) -> None:
        rows = [row for row in rows if row]
        if not rows:
            return
        if len(rows) == 1 and sum(1 for cell in rows[0] if cell.text.strip()) <= 1:
            self._paragraph(first, -2)  # a line with stray tabs, not a table
            return
        rows = [[Cell(c.text, r, c.col, c.colspan, c.rowspan, c.continued, c.start, c.end, c.line)
                 for c in row] for r, row in enumerate(rows)]
        text = "\n".join("\t".join(cell.text.replace("\n", "") for cell in row) for row in rows)
        start, end = self.starts[first], self.starts[last] + len(self.lines[last])
        self.blocks.append(Block("table", text, start, end, line=first + 1, rows=tuple(tuple(r) for r in rows),
                                 layout=layout))

    def _cell(self, index: int, text_start: int, text: str, col: int) -> Cell:
        start = self.starts[index] + text_start
        return Cell(text, 0, col, start=start, end=start + len(text), line=index + 1)

    def _pipe(self, index: int) -> int:
        """Pipe rows, with or without outer pipes: two or more consecutive lines with a pipe, or one
        line with two pipes."""
        lines = self.lines
        end = index
        while end < len(lines) and "|" in lines[end] and lines[end].strip():
            end += 1
        if end == index or (end - index < 2 and lines[index].count("|") < 2):
            return index
        rows = []
        for number in range(index, end):
            line = lines[number]
            if _PIPE_RULE.match(line):
                continue
            cells, position = [], 0
            inner_start = len(line) - len(line.lstrip())
            inner = line.strip()
            if inner.startswith("|"):
                inner, inner_start = inner[1:], inner_start + 1
            if inner.endswith("|"):
                inner = inner[:-1]
            for col, piece in enumerate(inner.split("|")):
                lead = len(piece) - len(piece.lstrip())
                cells.append(self._cell(number, inner_start + position + lead, piece.strip().replace("<br>", "\n"), col))
                position += len(piece) + 1
            rows.append(cells)
        self._table(rows, index, end - 1, "pipe")
        return end

    def _tab_rows(self, index: int) -> int:
        lines = self.lines
        if not (self.row_mode and "\t" in lines[index]):
            return index
        end = index
        while end < len(lines):
            line = lines[end]
            if "\t" in line or (line.strip() and len(line.strip()) <= 10 and end + 1 < len(lines)
                                and "\t" in lines[end + 1] and not OUTSIDE_TABLE.match(line)):
                end += 1
            else:
                break
        rows = []
        for number in range(index, end):
            cells, position = [], 0
            for col, piece in enumerate(lines[number].split("\t")):
                cells.append(self._cell(number, position, piece, col))
                position += len(piece) + 1
            rows.append(cells)
        self._table(rows, index, end - 1, "tab-rows")
        return end

    def _tab_cells(self, index: int) -> int:
        lines = self.lines
        if self.row_mode or not lines[index].startswith("\t"):
            return index
        last, probe, gap = index, index + 1, 0
        while probe < len(lines):
            line = lines[probe]
            if line.startswith("\t"):
                last, gap = probe, 0
            elif line.strip():
                gap += 1
                if OUTSIDE_TABLE.match(line) or gap > 12:
                    break
            probe += 1
        rows: list[list[Cell]] = [[]]
        cell: list[int] = []  # line numbers of the current cell
        blank_run = False

        def close() -> None:
            if cell:
                texts = [lines[n][1:] if lines[n].startswith("\t") else lines[n] for n in cell]
                first = cell[0]
                start = self.starts[first] + (1 if lines[first].startswith("\t") else 0)
                end = self.starts[cell[-1]] + len(lines[cell[-1]])
                rows[-1].append(Cell("\n".join(texts), 0, len(rows[-1]), start=start, end=end, line=first + 1))

        for number in range(index, last + 1):
            line = lines[number]
            if line.startswith("\t"):
                close()
                if blank_run and rows[-1]:
                    rows.append([])
                cell, blank_run = [number], False
            elif not line.strip():
                blank_run = True
            else:
                cell.append(number)
                blank_run = False
        close()
        self._table(rows, index, last, "tab-cells")
        return last + 1

    def _spaces(self, index: int) -> int:
        lines = self.lines
        end = index
        while end < len(lines) and _split_spaces(lines[end]):
            end += 1
        if end - index < 2:
            return index
        pairs = all(len(_split_spaces(lines[n])) == 2 for n in range(index, end))
        if not pairs and not any(is_figure(text) for n in range(index, end) for _, text in _split_spaces(lines[n])):
            return index
        rows = [[self._cell(n, position, text, col) for col, (position, text) in enumerate(_split_spaces(lines[n]))]
                for n in range(index, end)]
        self._table(rows, index, end - 1, "spaces")
        return end

    def _cell_lines(self, index: int) -> int:
        """One cell per line, no tabs: groups of short lines between single blank lines."""
        groups, number = [], index
        lines = self.lines
        while number < len(lines) and lines[number].strip() and _cell_like(lines[number]):
            group = []
            while number < len(lines) and lines[number].strip() and _cell_like(lines[number]):
                group.append(number)
                number += 1
            if number < len(lines) and lines[number].strip():
                break  # a long line right after the group: it is not a table row
            groups.append(group)
            while number < len(lines) and not lines[number].strip():
                number += 1
        singles = list(groups) if groups and all(len(g) == 1 for g in groups) else []
        while groups and len(groups[0]) == 1 and not is_figure(lines[groups[0][0]]) and len(groups) > 1:
            groups.pop(0)  # a title line before the table
        multi = [g for g in groups if len(g) >= 2]
        figures = sum(1 for g in groups for n in g if is_figure(lines[n]))
        if len(groups) >= 3 and len(multi) >= 2 and figures >= 2 and groups[0][0] == index:
            rows = [[self._cell(n, len(lines[n]) - len(lines[n].lstrip()), lines[n].strip(), col)
                     for col, n in enumerate(group)] for group in groups]
            self._table(rows, groups[0][0], groups[-1][-1], "cell-lines")
            return groups[-1][-1] + 1
        if len(singles) >= 6 and sum(1 for g in singles if is_figure(lines[g[0]])) >= 2 and singles[0][0] == index:
            cells = [self._cell(g[0], len(lines[g[0]]) - len(lines[g[0]].lstrip()), lines[g[0]].strip(), 0)
                     for g in singles]
            self._table(_rebuild_rows(cells), singles[0][0], singles[-1][0], "cell-blocks")
            return singles[-1][0] + 1
        return index


    def _run_together(self, index: int) -> int:
        """Rows whose cells were run together (see `document_runs`); short label-only lines between
        them (“其他资金”) stay in the table."""
        from assistant.model.document_runs import is_run_together, split_run

        lines = self.lines
        if not is_run_together(lines[index]):
            return index
        end = index
        while end < len(lines) and (is_run_together(lines[end]) or (
                0 < len(lines[end].strip()) <= 12 and end + 1 < len(lines) and is_run_together(lines[end + 1]))):
            end += 1
        if end - index < 2:
            return index
        rows, width = [], None
        for number in range(index, end):
            cells = split_run(lines[number], width)
            if width is None or not any(text[:1].isdigit() for _, text in cells):
                width = len(cells) if len(cells) > 1 else width  # a header row sets the width
            rows.append([self._cell(number, offset, text, col) for col, (offset, text) in enumerate(cells)])
        self._table(rows, index, end - 1, "run-together")
        return end


def _cell_like(line: str) -> bool:
    if line.startswith("\t") or "|" in line:
        return False
    stripped = line.strip()
    return len(stripped) <= CELL_LINE_MAX and not OUTSIDE_TABLE.match(stripped) and not stripped.endswith("。")


def _split_spaces(line: str) -> list[tuple[int, str]]:
    """(offset, text) of the cells of a line whose cells are separated by runs of spaces."""
    if not line.strip() or len(line.strip()) > 200:
        return []
    cells, position = [], 0
    for match in _SPACE_SPLIT.finditer(line):
        piece = line[position:match.start()]
        if piece.strip():
            cells.append((position + len(piece) - len(piece.lstrip()), piece.strip()))
        position = match.end()
    piece = line[position:]
    if piece.strip():
        cells.append((position + len(piece) - len(piece.lstrip()), piece.strip()))
    return cells if len(cells) >= 2 else []


def _rebuild_rows(cells: list[Cell]) -> list[list[Cell]]:
    """Rows from a flat run of cells. A row is labels followed by figures; in a run of labels
    T1…Tk followed by figures N1…Nm, the labels are a header row of their own when the figures fill
    the columns after the header's first (m = k − 1: the header's first cell is merged down over the
    figures); otherwise the last label starts the figures' row and the labels before it are a row."""
    rows: list[list[Cell]] = []
    index = 0
    while index < len(cells):
        labels = []
        while index < len(cells) and not is_figure(cells[index].text):
            labels.append(cells[index])
            index += 1
        figures = []
        while index < len(cells) and is_figure(cells[index].text):
            figures.append(cells[index])
            index += 1
        if not figures:
            rows.append(labels)
            continue
        if len(labels) >= 2 and len(figures) == len(labels) - 1:
            rows.append(labels)
            rows.append(figures)
        elif labels:
            if len(labels) > 1:
                rows.append(labels[:-1])
            rows.append([labels[-1], *figures])
        else:
            rows.append(figures)
    return [[Cell(c.text, 0, col, start=c.start, end=c.end, line=c.line) for col, c in enumerate(row)]
            for row in rows if row]


def continues(previous: str, line: str, long_line: int = 30) -> bool:
    """Hard-wrapped text: the previous line is long, stops mid-sentence, and this line starts no item."""
    return len(previous) >= long_line and not previous.endswith(_SENTENCE_END) and not _STARTS_NEW.match(line)


def _md_inline(text: str) -> str:
    """Markdown emphasis and list bullets removed; the words stay."""
    text = re.sub(r"^[-*+]\s+", "", text)
    text = re.sub(r"^>\s*", "", text)
    return re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
