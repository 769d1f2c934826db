"""A `Table` of the document spec as an HTML table (the web pages show the report's tables with the
same cells the .docx gets). Every text is escaped; merged cells keep their row/column spans."""

from __future__ import annotations

from markupsafe import Markup, escape

from assistant.render.document import Table


def table_html(table: Table, css_class: str = "report-table") -> Markup:
    rows = []
    for index, row in enumerate(table.rows):
        tag = "th" if index < table.header_rows else "td"
        cells = []
        for cell in row:
            if cell is None:
                continue  # covered by a merged cell
            spans = ""
            if cell.colspan > 1:
                spans += f' colspan="{cell.colspan}"'
            if cell.rowspan > 1:
                spans += f' rowspan="{cell.rowspan}"'
            text = Markup("<br>").join(escape(line) for line in cell.text.split("\n"))
            cells.append(Markup(f'<{tag}{spans} class="align-{cell.align}">') + text + Markup(f"</{tag}>"))
        rows.append(Markup("<tr>") + Markup("").join(cells) + Markup("</tr>"))
    caption = Markup("<caption>{}</caption>").format(table.caption) if table.caption else Markup("")
    return Markup(f'<table class="{css_class}">') + caption + Markup("").join(rows) + Markup("</table>")
