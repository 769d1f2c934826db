"""One pass through the data flow: input → model → figures → drafting → render (no I/O here
beyond reading the data file). The CLI and, later, the web app call these functions."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from assistant.drafting.draft import Draft
from assistant.drafting.template_drafter import draft_report
from assistant.figures.computable import build_figures
from assistant.figures.findings import Finding
from assistant.figures.ledger import Ledger
from assistant.figures.policy import DEFAULT_POLICY, Policy
from assistant.model.errors import InputError
from assistant.model.load import load
from assistant.model.schema import DepartmentYear
from assistant.render.document import Document
from assistant.render.package import build_package

DRAFTERS = ("template", "carry_forward", "llm")


@dataclass
class Figures:
    data: DepartmentYear
    ledger: Ledger
    findings: list[Finding]


@dataclass
class Package:
    figures: Figures
    draft: Draft
    document: Document


def compute(path: str | Path, policy: Policy = DEFAULT_POLICY) -> Figures:
    data = load(path)
    ensure_usable(data)
    ledger, findings = build_figures(data, policy)
    return Figures(data, ledger, findings)


def ensure_usable(data: DepartmentYear) -> None:
    """Data that cannot give a package at all (docs/domain.md §3.2: 全年预算数 = 0 → refuse, ask)."""
    if data.self_assessment.funding.full_year_budget == 0:
        raise InputError("附件2 › 年度资金总额 › 全年预算数为0，无法计算预算执行率，请补充全年预算数")


def generate(path: str | Path, drafter: str = "template", policy: Policy = DEFAULT_POLICY,
             previous: str | Path | None = None) -> Package:
    """`previous`: last year's report for the carry_forward drafter (default: found in the corpus)."""
    if drafter not in DRAFTERS:
        raise InputError(f"未知的起草方式“{drafter}”，可选：{'、'.join(DRAFTERS)}")
    figures = compute(path, policy)
    if drafter == "carry_forward":
        from assistant.drafting.carry_forward import carry_forward_report

        draft = carry_forward_report(figures.data, figures.ledger, figures.findings, policy,
                                     previous=Path(previous) if previous else None)
    elif drafter == "llm":
        draft = llm_draft(figures, policy, previous=Path(previous) if previous else None)
    else:
        draft = draft_report(figures.data, figures.ledger, figures.findings, policy)
    return Package(figures, draft, build_package(figures.data, figures.ledger, draft))


def llm_draft(figures: Figures, policy: Policy = DEFAULT_POLICY, previous: Path | None = None) -> Draft:
    """The LLM drafter with the corpus for exemplars and last year's report for stale figures (both
    only when a model is configured: without one every section is the template's at once)."""
    from assistant.drafting.exemplars import ExemplarSource
    from assistant.drafting.llm_drafter import llm_report
    from assistant.settings import get_settings

    settings = get_settings()
    exemplars, past = ExemplarSource(None, figures.data), ()
    if settings.llm_configured:
        exemplars = ExemplarSource(corpus_searcher(settings), figures.data)
        past = previous_texts(figures.data, previous)
    draft, _ = llm_report(figures.data, figures.ledger, figures.findings, policy, settings, exemplars, past)
    return draft


def corpus_searcher(settings):
    """The corpus searcher, or None when the corpus cannot be opened (drafting goes on without
    exemplars; `jixiao ingest` builds the index)."""
    from assistant.retrieval.search import default_searcher

    try:
        return default_searcher(settings)
    except Exception:  # noqa: BLE001 — exemplars are an aid, never a reason to fail a draft
        return None


def previous_texts(data: DepartmentYear, previous: Path | None = None) -> tuple[str, ...]:
    """Last year's report as text (for the checker's stale figures), when one is found."""
    from assistant.drafting.carry_forward import find_previous, read_previous

    path = previous or find_previous(data)
    if path is None:
        return ()
    try:
        return ("\n".join(block.text for block in read_previous(path).blocks),)
    except (InputError, OSError):
        return ()
