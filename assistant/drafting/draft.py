"""What a drafter produces: the report as sections of headings, paragraphs and table references.

Tables are not drafted: a `TableRef` names a table that `assistant.render` builds from the ledger,
so every figure in a table comes from the same facts as the text around it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Heading:
    level: int  # 1 "一、" · 2 "（一）" · 3 "1." · 4 "（1）" — the text carries its own numbering
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class TableRef:
    name: str  # e.g. "sangong_comparison": built by assistant.render.tables
    caption: str | None = None


Block = Heading | Paragraph | TableRef


@dataclass
class DraftSection:
    kind: str  # registry key, e.g. "overview", "sangong", "problems", "plans"
    title: str  # the section heading as printed ("一、部门概况")
    blocks: list[Block] = field(default_factory=list)
    drafter: str = "template"
    # Registry kinds drafted into this section, in order: the section itself, then each level-2
    # child under its Heading(2, "（一）…") (see assistant.drafting.sections).
    parts: list[str] = field(default_factory=list)


@dataclass
class Draft:
    title: str  # "桃江县人力资源和社会保障局2024年度部门整体支出绩效自评报告"
    preamble: list[Paragraph]
    sections: list[DraftSection]
    drafter: str = "template"
    # unit kind → the drafter that wrote it (a unit falls back to the offline drafter on its own)
    drafted_by: dict[str, str] = field(default_factory=dict)
    # What the reader must know about how the draft was made (fallbacks, numbers left 〔待核〕), Chinese.
    notes: list[str] = field(default_factory=list)
