"""Assemble the whole package — 自评报告 with 附件1 and 附件2 — as one renderer-independent Document."""

from __future__ import annotations

from assistant.drafting import draft as d
from assistant.figures.ledger import Ledger
from assistant.model.schema import DepartmentYear
from assistant.render import document as doc
from assistant.render.tables import (
    REPORT_TABLES,
    basic_data_notes,
    basic_data_table,
    self_assessment_tables,
)


def attachment_titles(data: DepartmentYear) -> tuple[str, str]:
    county, year = data.identity.county, data.identity.year
    return (f"{county}{year}年度部门整体支出绩效评价基础数据表", f"{county}{year}年度部门整体支出绩效自评表")


def build_package(data: DepartmentYear, ledger: Ledger, draft: d.Draft) -> doc.Document:
    blocks: list[doc.Block] = [doc.Paragraph(p.text) for p in draft.preamble]
    for section in draft.sections:
        blocks.append(doc.Heading(1, section.title))
        blocks += [_block(block, data, ledger) for block in section.blocks]
    basic_title, assessment_title = attachment_titles(data)
    identity = data.identity
    return doc.Document(
        title=_break_title(draft.title, identity.name),
        blocks=blocks,
        attachments=[
            doc.Attachment("附件1", basic_title, [basic_data_table(data, ledger)], notes=basic_data_notes(data)),
            doc.Attachment("附件2", assessment_title, self_assessment_tables(data, ledger)),
        ],
        signature=identity.name,
        date=f"{identity.filled_on.year}年{identity.filled_on.month}月{identity.filled_on.day}日"
        if identity.filled_on else None,
    )


def _break_title(title: str, unit_name: str) -> str:
    """A 2号 title holds about 20 characters a line: break after the unit's name, keeping words whole."""
    if len(title) > 20 and title.startswith(unit_name) and len(title) > len(unit_name):
        return f"{unit_name}\n{title[len(unit_name):]}"
    return title


def _block(block: d.Block, data: DepartmentYear, ledger: Ledger) -> doc.Block:
    if isinstance(block, d.Heading):
        return doc.Heading(block.level, block.text)
    if isinstance(block, d.TableRef):
        table = REPORT_TABLES[block.name](data, ledger)
        return table if block.caption is None else doc.Table(
            rows=table.rows, col_widths_mm=table.col_widths_mm, font_size_pt=table.font_size_pt,
            header_rows=table.header_rows, caption=block.caption,
        )
    return doc.Paragraph(block.text)
