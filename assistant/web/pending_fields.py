"""Where a 〔待补：…〕 mark is filled in: the data-page field (or field group) it stands for.

A mark names a missing fact by its ledger label ("年初预算数", "三公经费合计2024年预算数"), or a text the
department has not given ("主要职责"). A fact's place is its source ("附件2 › 年度资金总额 › 年初预算数";
a computed fact: its first missing input's), matched against the form's section titles, deepest
first; a text has its field in `TEXTS`.
"""

from __future__ import annotations

from functools import lru_cache

from assistant.web.forms import build_form
from assistant.web.open_items import field_anchor

TEXTS = {
    "“三公”经费增减原因": "narrative.sangong.explanation", "“三公”经费管理措施": "narrative.sangong.measures",
    "主要职责": "narrative.duties", "偏差原因分析": "self_assessment.indicators",
    "基本支出的主要用途及范围": "narrative.basic_spending_use", "年初支出计划使用方向": "narrative.spending_direction",
    "年度总体目标": "self_assessment.goals", "绩效指标及得分": "self_assessment.indicators",
    "绩效指标得分": "self_assessment.indicators", "资金管理情况": "narrative.fund_management",
    "项目支出情况": "narrative.projects", "预算执行率偏低原因": "self_assessment.funding",
}


# The ledger's place names that differ from the form's titles (figures/build.py `where`).
PLACES = {"“三公”经费对比表（元）": "narrative.sangong", "会议费支出情况": "narrative.meetings",
          "培训费支出情况": "narrative.training", "部门概况": "narrative.personnel", "楼堂馆所": "basic_data.buildings",
          "项目支出": "narrative.projects"}


@lru_cache(maxsize=1)
def _sections() -> dict[str, str]:
    """Title → data path of the form's groups, tables and fields (the first of a repeated title)."""
    found: dict[str, str] = {}

    def walk(nodes, depth: int) -> None:
        for node in nodes:
            if depth > 0 and node.kind != "items":
                found.setdefault(node.title, node.name)
            if node.kind == "group":
                walk(node.children, depth + 1)

    walk(build_form(None), 0)
    return found


def _missing_source(ledger, fact, seen=()) -> str | None:
    if fact.source != "计算" or not fact.inputs:
        return fact.source
    for key in fact.inputs:
        part = ledger.get(key)
        if part is not None and part.value is None and key not in seen:
            return _missing_source(ledger, part, (*seen, key))
    return None


def pending_path(what: str, ledger) -> str | None:
    """The data path a 〔待补：what〕 is filled in at, or None when it cannot be placed."""
    if what in TEXTS:
        return TEXTS[what]
    fact = next((f for f in ledger if f.label == what), None) if ledger is not None else None
    source = _missing_source(ledger, fact) if fact is not None else None
    if not source:
        return None
    sections = _sections()
    for part in reversed([p.strip() for p in source.split("›")]):
        if part in sections:
            return sections[part]
        if part in PLACES:
            return PLACES[part]
    return None


def pending_url(report_id: int, what: str, ledger) -> str:
    path = pending_path(what, ledger)
    return f"/reports/{report_id}/data#{field_anchor(path)}" if path else f"/reports/{report_id}/data"


def mark_target(mark: str) -> str | None:
    """"〔待补：年初预算数〕" → "年初预算数"; a 〔待核〕 mark (a text to check, not a field to fill) → None."""
    return mark[4:-1].strip() if mark.startswith("〔待补：") else None
