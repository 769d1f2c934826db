"""Report tables on web pages: the same cells as the .docx, merged cells kept, every text escaped."""

from __future__ import annotations

from assistant.pipeline import compute
from assistant.render.document import Cell, Table
from assistant.render.html_table import table_html
from assistant.render.tables import sangong_comparison_table


def test_merged_cells_keep_their_spans_and_text_is_escaped():
    table = Table(rows=[[Cell("项目"), Cell("预算数"), Cell("决算数")],
                        [Cell("<b>三公</b>", rowspan=2), Cell("1.00"), Cell("0.90")],
                        [None, Cell("2.00"), Cell("1.80")],
                        [Cell("合计", colspan=2), None, Cell("2.70\n（元）")]], caption="对比 & 说明")
    html = str(table_html(table))
    assert '<th class="align-center">项目</th>' in html
    assert '<td rowspan="2" class="align-center">&lt;b&gt;三公&lt;/b&gt;</td>' in html
    assert '<td colspan="2" class="align-center">合计</td>' in html
    assert "2.70<br>（元）" in html and "<caption>对比 &amp; 说明</caption>" in html
    assert html.count("<tr>") == 4


def test_the_sangong_table_shows_the_ledgers_figures():
    figures = compute("examples/taojiang-rsj-2024.yaml")
    html = str(table_html(sangong_comparison_table(figures.data, figures.ledger)))
    assert figures.ledger["sangong_yuan.total.final"].number in html
