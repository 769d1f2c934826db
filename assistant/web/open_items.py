"""What is still open in a report: the list shown before 提交审核 and 通过, on the checklist page and in
`jixiao generate --checklist`, and the data-check findings placed beside the sections they touch.

Three kinds of open item, in this order:
- rule: a data-check finding of severity error (R01–R17, D…), linked to its field on the data page;
- number: a number of the text the checker could not verify (不一致, 疑为旧数, 无依据);
- mark: a 〔待补：…〕 or 〔待核：…〕 left in the text.

A section "touches" a finding when one of the finding's facts is a number the section states. A number
whose fact an error finding flags is never shown as verified.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Iterable

from assistant.checking.findings import STATUS_NAMES
from assistant.drafting.template_drafter import MARK
from assistant.figures.findings import Finding

FLAGGING = ("error", "warning")
FLAGGED_NAME = "与台账一致，但数据检查发现问题"  # the verdict shown for a flagged number
KIND_LABELS = {"rule": "数据检查错误", "number": "未核实的数字", "mark": "待补/待核内容"}


def field_anchor(path: str) -> str:
    """The id of a field on the data page (`forms.Node.anchor`)."""
    return "f-" + re.sub(r"[^A-Za-z0-9_-]", "-", path)


@dataclass(frozen=True)
class OpenItem:
    kind: str  # rule | number | mark
    where: str  # the section's title, or the form location of a data finding
    text: str
    url: str  # where to fix it
    rule: str = ""

    def to_json(self) -> dict:
        return asdict(self) | {"kind_label": KIND_LABELS[self.kind]}


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
    items = [OpenItem("rule", f.location, f.message, data_url(report_id, f.path), f.rule)
             for f in findings if f.severity == "error"]
    for state in states:
        url = f"/reports/{report_id}#s-{state.kind}"
        items += [OpenItem("number", state.title, f"“{f.text}”{STATUS_NAMES[f.status]}：{f.message}", url)
                  for f in state.attention]
        items += [OpenItem("mark", state.title, mark, url) for mark in MARK.findall(state.check.text)]
    return items


def counts(items: list[OpenItem]) -> dict[str, int]:
    found = {kind: 0 for kind in KIND_LABELS}
    for item in items:
        found[item.kind] += 1
    return found


def summary_line(items: list[OpenItem]) -> str:
    """未解决事项 N 项（数据检查错误 a、未核实的数字 b、待补/待核内容 c）, or 没有未解决的事项."""
    if not items:
        return "没有未解决的事项"
    found = counts(items)
    parts = "、".join(f"{KIND_LABELS[kind]}{n}" for kind, n in found.items() if n)
    return f"未解决事项{len(items)}项（{parts}）"
