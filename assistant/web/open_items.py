"""Open items of a report in the web app (`render.checklist`: the kinds, the summary line) and the
data-check findings placed beside the sections they touch.

A section "touches" a finding when one of the finding's facts is a number the section states. A number
whose fact an error finding flags is never shown as verified.
"""

from __future__ import annotations

import re
from typing import Iterable

from assistant.checking.findings import STATUS_NAMES
from assistant.drafting.template_drafter import MARK
from assistant.figures.findings import Finding
from assistant.render.checklist import OpenItem, rule_items

FLAGGING = ("error", "warning")
FLAGGED_NAME = "与台账一致，但数据检查发现问题"  # the verdict shown for a flagged number


def field_anchor(path: str) -> str:
    """The id of a field on the data page (`forms.Node.anchor`)."""
    return "f-" + re.sub(r"[^A-Za-z0-9_-]", "-", path)


def flagged_facts(findings: Iterable[Finding]) -> dict[str, list[Finding]]:
    """Ledger key → the error findings that flag it (a warning asks for a look or an explanation, the
    figure may be right). A finding flags its first fact, the
    figure at its field (R14: the total; R10: the sum of the breakdown); the others are its evidence
    (the budget a sum is compared with is not itself wrong)."""
    flagged: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.severity == "error" and finding.facts:
            flagged.setdefault(finding.facts[0], []).append(finding)
    return flagged


def section_findings(check, findings: Iterable[Finding]) -> list[Finding]:
    """The error and warning findings whose facts this section's text states."""
    stated = {f.fact for f in check.findings if f.fact}
    return [f for f in findings if f.severity in FLAGGING and stated.intersection(f.facts)]


def data_url(report_id: int, path: str) -> str:
    return f"/reports/{report_id}/data#{field_anchor(path)}" if path else f"/reports/{report_id}/data#findings"


def open_items(report_id: int, states, findings: Iterable[Finding]) -> list[OpenItem]:
    """`states`: `review.SectionState`s of every section (title, kind, check, marks, attention)."""
    items = rule_items(findings, lambda f: data_url(report_id, f.path))
    for state in states:
        url = f"/reports/{report_id}#s-{state.kind}"
        items += [OpenItem("number", state.title, f"“{f.text}”{STATUS_NAMES[f.status]}：{f.message}", url)
                  for f in state.attention]
        items += [OpenItem("mark", state.title, mark, url) for mark in MARK.findall(state.check.text)]
    return items
