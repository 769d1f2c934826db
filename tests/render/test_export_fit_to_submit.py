"""An export fit to submit: 附件2's indicator block repeats its column header on every page and its
rows do not split; open items go to a checklist file, never into the report's body."""

from __future__ import annotations

import docx
from docx.oxml.ns import qn

from assistant.figures.build import build_ledger
from assistant.model.load import load
from assistant.render.tables import self_assessment_tables
from tests.cli.test_cli import jixiao
from tests.conftest import EXAMPLE


def test_attachment_2_is_a_head_and_an_indicator_block_whose_header_row_repeats():
    data = load(EXAMPLE)
    head, block = self_assessment_tables(data, build_ledger(data))
    assert block.header_rows == 1 and head.header_rows == 0
    assert [cell.text for cell in block.rows[0] if cell][1:4] == ["一级指标", "二级指标", "三级指标"]
    assert len(block.rows) == len(data.self_assessment.indicators) + 2  # header, rows, 总分
    assert block.rows[-1][0].text == "总分"


def test_the_docx_marks_the_header_row_and_keeps_rows_whole(tmp_path):
    output = tmp_path / "报告.docx"
    jixiao("generate", str(EXAMPLE), "-o", str(output))
    table = docx.Document(str(output)).tables[-1]._tbl
    rows = table.tr_lst
    assert rows[0].trPr.find(qn("w:tblHeader")) is not None
    assert all(row.trPr is not None and row.trPr.find(qn("w:cantSplit")) is not None for row in rows)
    assert all(row.trPr.find(qn("w:tblHeader")) is None for row in rows[1:])
    keeps = [p for p in table.iter(qn("w:p")) if p.pPr is not None and p.pPr.find(qn("w:keepNext")) is not None]
    assert keeps == []  # no keep-with-next chain pulls the block onto a new page


def test_generate_writes_the_open_items_to_a_checklist_and_keeps_them_out_of_the_body(tmp_path):
    output, checklist = tmp_path / "报告.docx", tmp_path / "待办清单.txt"
    result = jixiao("generate", str(EXAMPLE), "-o", str(output), "--checklist", str(checklist))
    assert result.returncode == 1 and f"待办清单：{checklist}" in result.stdout
    text = checklist.read_text(encoding="utf-8")
    assert text.splitlines()[1].startswith("未解决事项8项（数据检查错误7、待补/待核内容1）")
    assert "R14 总分自评得分100.00分为满分" in text and "〔待补：绩效指标得分〕" in text
    body = "".join(p.text for p in docx.Document(str(output)).paragraphs)
    assert "尚无法按评分规则逐项复核" not in body and "〔待核" not in body and "R14" not in body
