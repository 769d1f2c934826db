"""The offline drafter: the report from Jinja2 templates and the fact ledger, deterministic.

Public API
----------
    draft_report(data: DepartmentYear, ledger: Ledger, findings: list[Finding]) -> Draft
    draft_units(...) -> dict[kind, list[Block]]      one entry per registry section with a template
    assemble_draft(title, units, drafted_by) -> Draft  the report from its units (any drafter's)

One template per section of the registry (`assistant.drafting.sections`), under templates/report/.
Level-1 sections become `DraftSection`s; each level-2 child is drafted into its parent's blocks under
`Heading(2, "（一）…")`.

Template output convention
--------------------------
A template renders section markup (`assistant.drafting.markup`): ``#2``/``#3``/``#4`` headings,
``@table name|caption`` table references, paragraphs separated by blank lines.

Numbers
-------
Templates never see raw amounts. They get helpers over the ledger:
``f(key)`` the fact's display ("6.02万元"; a missing fact shows "〔待补：label〕"), ``num(key)`` the
figure without unit, ``mag(key)`` the display without its sign, ``compare(change, pct)`` "比上年减少
2538元，下降13.17%", ``against(diff, base)`` "低于年初预算99842元", ``word(key, up, down, same)``,
``fill(text, prefix)`` for the `{slot}` texts of the data file, and ``known``/``missing``/``sign``/
``is_zero`` to choose wording. An unknown key raises `LedgerError` (a bug in a template). Counts come
from ledger facts too (``f('org.internal_units')`` is "13个"); only years, list markers and numbers
inside the department's own quoted names appear otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from assistant.drafting import phrases
from assistant.drafting.draft import Block, Draft, DraftSection, Heading, Paragraph
from assistant.drafting.markup import parse_blocks
from assistant.drafting.issues import ProblemGroup, deviation_rows, group_findings, indicator_issues
from assistant.drafting.sections import SECTIONS, SectionSpec, children, numbered_titles, top_sections
from assistant.figures.findings import Finding
from assistant.figures.ledger import Fact, Ledger
from assistant.figures.policy import DEFAULT_POLICY, Policy
from assistant.model.schema import DepartmentYear
from assistant.resources import TEMPLATES, shipped

TEMPLATE_DIR = shipped(TEMPLATES, "report")

PENDING = "〔待补：{what}〕"  # a text the department has not given (same mark as a missing fact)
TO_CHECK = "〔待核：{what}〕"  # a {slot} in a department text that names no ledger fact
MARK = re.compile(r"〔待[补核][^〔〕]*〕")  # either mark in a text, as pages highlight and count them

_SLOT = re.compile(r"\{([^{}]*)\}")


def environment(template_dir: Path | None = None) -> Environment:
    return Environment(
        loader=FileSystemLoader(str(template_dir or TEMPLATE_DIR)),
        autoescape=False,  # plain text, not HTML
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


class FactHelpers:
    """The functions templates use to put ledger figures into sentences."""

    def __init__(self, ledger: Ledger):
        self.ledger = ledger

    def fact(self, key: str) -> Fact:
        return self.ledger[key]  # LedgerError for an unknown key: a template bug, never hidden

    # -- figures ---------------------------------------------------------------------------------
    def f(self, key: str) -> str:
        return self.fact(key).display

    def num(self, key: str) -> str:
        fact = self.fact(key)
        return fact.display if fact.missing else fact.number

    def mag(self, key: str) -> str:
        return self.fact(key).magnitude

    def label(self, key: str) -> str:
        return self.fact(key).label

    # -- tests -----------------------------------------------------------------------------------
    def exists(self, key: str) -> bool:
        return key in self.ledger

    def known(self, key: str) -> bool:
        """The fact has a number (not missing, not an undefined "—")."""
        return self.fact(key).value is not None

    def missing(self, key: str) -> bool:
        return self.fact(key).missing

    def sign(self, key: str) -> int:
        return self.fact(key).sign

    def is_zero(self, key: str) -> bool:
        fact = self.fact(key)
        return fact.value is not None and fact.sign == 0

    def kind(self, key: str) -> str:
        return self.fact(key).kind

    def filled(self, keys: list[str]) -> list[str]:
        return [key for key in keys if self.known(key)]

    # -- direction words -------------------------------------------------------------------------
    def word(self, key: str, up: str, down: str, same: str) -> str:
        """The word agreeing with the fact's sign; a missing fact shows its 〔待补〕 mark instead."""
        fact = self.fact(key)
        if fact.value is None:
            return fact.display
        return phrases.direction_word(fact, up, down, same)

    def compare(self, change_key: str, pct_key: str | None = None, base: str = "上年") -> str:
        """"比上年增加X，增长Y%" / "比上年减少X，下降Y%" / "与上年持平" / "比上年新增X" (base 0)."""
        change = self.fact(change_key)
        if change.value is None:
            return f"比{base}增减{change.display}"
        if change.sign == 0:
            return f"与{base}持平"
        pct = self.fact(pct_key) if pct_key else None
        if pct is not None and pct.value is None and not pct.missing and change.sign > 0:
            return f"比{base}新增{change.magnitude}"  # 增减% is "—": the base was 0
        text = f"比{base}{'增加' if change.sign > 0 else '减少'}{change.magnitude}"
        if pct is not None and pct.value is not None and pct.sign != 0:
            text += f"，{'增长' if pct.sign > 0 else '下降'}{pct.magnitude}"
        return text

    def against(self, diff_key: str, base: str, up: str = "超出", down: str = "低于") -> str:
        """Actual against a budget: "低于年初预算99842元" / "超出年初预算X" / "与年初预算持平"."""
        diff = self.fact(diff_key)
        if diff.value is None:
            return f"与{base}相差{diff.display}"
        if diff.sign == 0:
            return f"与{base}持平"
        return f"{up if diff.sign > 0 else down}{base}{diff.magnitude}"

    # -- department texts ------------------------------------------------------------------------
    def fill(self, text: str, prefix: str) -> str:
        """Replace each {slot} with the display of the fact `prefix.slot`; an unknown slot becomes
        〔待核：slot〕 so that no brace survives into the report."""

        def replace(match: re.Match[str]) -> str:
            slot = match.group(1).strip()
            key = f"{prefix}.{slot}"
            if slot and key in self.ledger:
                return self.ledger[key].display
            return TO_CHECK.format(what=slot or "空白编号")

        return _SLOT.sub(replace, text)


@dataclass(frozen=True)
class IndicatorRow:
    """A 附件2 row for the templates: its number (for ledger keys) and texts."""

    number: int
    level1: str
    level2: str
    name: str
    reason: str | None


def _given_problems(texts: list[str]) -> list[tuple[str | None, str]]:
    """Department problems: "标题。正文" becomes a heading and a paragraph when the title is short."""
    items = []
    for text in texts:
        text = phrases.strip_marker(text)
        head, sep, rest = text.partition("。")
        if sep and rest.strip() and len(head) <= 30:
            items.append((head, phrases.sentence(rest)))
        else:
            items.append((None, phrases.sentence(text)))
    return items


def report_title(data: DepartmentYear) -> str:
    identity = data.identity
    name = identity.name if identity.name.startswith(identity.county) else identity.county + identity.name
    return f"{name}{identity.year}年度部门整体支出绩效自评报告"


def template_context(
    data: DepartmentYear, ledger: Ledger, findings: list[Finding], policy: Policy = DEFAULT_POLICY
) -> dict:
    helpers = FactHelpers(ledger)
    identity = data.identity
    rows = [
        IndicatorRow(n, row.level1, row.level2, row.name, row.deviation_reason)
        for n, row in enumerate(data.self_assessment.indicators, start=1)
    ]
    by_number = {row.number: row for row in rows}
    execution = ledger.get("funding.execution_rate")

    def row_names(numbers: list[int], limit: int = 3) -> str:
        """“数量指标”“质量指标” — the 二级指标 names of some rows, each once (names, not figures)."""
        seen: list[str] = []
        for number in numbers:
            row = by_number.get(number)
            if row and row.level2 not in seen:
                seen.append(row.level2)
        return "".join(f"“{name}”" for name in seen[:limit])

    def blank_labels(group: ProblemGroup, limit: int = 3) -> list[str]:
        """Labels of the blank facts a group's findings name, leaving out 附件2 rows (those are
        named by their 二级指标 instead)."""
        labels = [f"“{ledger[key].label}”" for key in group.fact_keys
                  if not key.startswith("indicator.") and ledger[key].missing]
        return labels[:limit]

    def comparison(group: ProblemGroup) -> list[str]:
        """The figures of the first finding that names two or more filled facts: its subject first,
        then up to two figures it disagrees with ("“按收入性质分合计”为954.67万元", …)."""
        for keys in group.finding_facts:
            facts = [ledger[key] for key in keys if not key.startswith("indicator.") and ledger[key].value is not None]
            if len(facts) >= 2:
                return [f"“{fact.label}”为{fact.display}" for fact in facts[:3]]
        return []

    return {
        "data": data,
        "identity": identity,
        "n": data.narrative,
        "sa": data.self_assessment,
        "year": identity.year,
        "prior_year": identity.year - 1,
        "we": phrases.self_reference(identity.name),
        "county": identity.county,
        "basis": phrases.basis_documents(identity.province),
        "groups": group_findings(data, ledger, findings, policy),
        "deviations": [by_number[n] for n in deviation_rows(data, ledger)],
        "given_problems": _given_problems(data.narrative.problems),
        "low_execution": execution is not None and execution.value is not None
        and execution.value < DEFAULT_POLICY.execution_explain_below,
        "row_names": row_names,
        "blank_labels": blank_labels,
        "comparison": comparison,
        "indicator_issues": lambda group: indicator_issues(data, ledger, group),
        # fact helpers
        "f": helpers.f, "num": helpers.num, "mag": helpers.mag, "label": helpers.label,
        "exists": helpers.exists, "known": helpers.known, "missing": helpers.missing,
        "sign": helpers.sign, "is_zero": helpers.is_zero, "kind": helpers.kind, "filled": helpers.filled,
        "word": helpers.word, "compare": helpers.compare, "against": helpers.against, "fill": helpers.fill,
        # wording helpers
        "join": phrases.join_names, "sentence": phrases.sentence, "clause": phrases.clause,
        "strip_marker": phrases.strip_marker, "cn": phrases.chinese_number, "circled": phrases.circled,
        "level2": phrases.level2_number,
        "pending": lambda what: PENDING.format(what=what),
    }


def _row_pair_filter(context: dict):
    """Jinja filter: a group of 附件2 rows → “数量指标”与“质量指标”."""
    def row_pair(numbers: list[int]) -> str:
        return "与".join(context["row_names"]([n], 1) for n in numbers)
    return row_pair


def render_section(env: Environment, spec: SectionSpec, context: dict) -> list[Block]:
    if spec.template is None:
        return []
    return parse_blocks(env.get_template(spec.template).render(**context))


def draft_units(
    data: DepartmentYear, ledger: Ledger, findings: list[Finding], policy: Policy = DEFAULT_POLICY
) -> dict[str, list[Block]]:
    """kind → blocks, for every registry section that has a template (the units other drafters and
    the conversation service revise one at a time)."""
    env = environment()
    context = template_context(data, ledger, findings, policy)
    env.filters["row_pair"] = _row_pair_filter(context)
    return {spec.kind: render_section(env, spec, context) for spec in SECTIONS if spec.template}


def assemble_draft(title: str, units: dict[str, list[Block]], drafted_by: dict[str, str] | None = None,
                   drafter: str = "template") -> Draft:
    """The report from its units: the preamble's paragraphs, then each level-1 section with its own
    blocks and, under a numbered Heading(2, …), each child's blocks (a unit absent from `units` is
    left out without leaving a gap in the numbering of the rest). `drafted_by` maps a unit to the
    drafter that wrote it; a section's drafter is the one of its units when they agree, else "mixed"."""
    drafted_by = drafted_by or {}
    titles = numbered_titles(SECTIONS)
    preamble = [b for spec in SECTIONS if spec.level == 0 for b in units.get(spec.kind, [])
                if isinstance(b, Paragraph)]
    sections: list[DraftSection] = []
    for spec in top_sections():
        blocks = list(units.get(spec.kind, []))
        parts = [spec.kind]
        for child in children(spec.kind):
            blocks.append(Heading(2, titles[child.kind]))
            blocks += units.get(child.kind, [])
            parts.append(child.kind)
        writers = {drafted_by.get(kind, drafter) for kind in parts if kind in units}
        sections.append(DraftSection(kind=spec.kind, title=titles[spec.kind], blocks=blocks, parts=parts,
                                     drafter=writers.pop() if len(writers) == 1 else "mixed"))
    return Draft(title=title, preamble=preamble, sections=sections, drafter=drafter,
                 drafted_by={kind: drafted_by.get(kind, drafter) for kind in units})


def draft_report(
    data: DepartmentYear, ledger: Ledger, findings: list[Finding], policy: Policy = DEFAULT_POLICY
) -> Draft:
    return assemble_draft(report_title(data), draft_units(data, ledger, findings, policy))
