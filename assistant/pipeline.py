"""One pass through the data flow: input → model → figures → drafting → render (no I/O here
beyond reading the data file). The CLI and, later, the web app call these functions."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from assistant.drafting.draft import Draft
from assistant.drafting.template_drafter import draft_report
from assistant.figures.build import build_ledger
from assistant.figures.findings import Finding
from assistant.figures.ledger import Ledger
from assistant.figures.policy import DEFAULT_POLICY, Policy
from assistant.figures.rules import check_data
from assistant.model.errors import InputError
from assistant.model.load import load
from assistant.model.schema import DepartmentYear
from assistant.render.document import Document
from assistant.render.package import build_package

DRAFTERS = ("template", "carry_forward")


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
    ledger = build_ledger(data, policy)
    return Figures(data, ledger, check_data(data, ledger, policy))


def ensure_usable(data: DepartmentYear) -> None:
    """Data that cannot give a package at all (DOMAIN.md §3.2: 全年预算数 = 0 → refuse, ask)."""
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
    else:
        draft = draft_report(figures.data, figures.ledger, figures.findings, policy)
    return Package(figures, draft, build_package(figures.data, figures.ledger, draft))
