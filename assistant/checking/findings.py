"""The checker's verdict on one number (or one arithmetic relation) of a draft.

`NumberFinding.to_json()` is the command-line contract (docs/architecture.md): start/end (code-point offsets into the draft
text), text, status, value, unit, fact, expected, message — plus evidence fields (label, formula,
inputs, source, check, reason, related) that the terminal summary and the HTML page show.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Literal

# target: a number of a plan or a target (下一步工作计划, 力争…, 控制在…以内) that no target fact of the
# data speaks of: shown as a target, with no verdict (it is neither this year's data nor wrong).
Status = Literal["verified", "mismatch", "stale", "unsupported", "target", "ignored"]
STATUSES: tuple[Status, ...] = ("verified", "mismatch", "stale", "unsupported", "target", "ignored")
ATTENTION: frozenset[str] = frozenset({"mismatch", "stale", "unsupported"})
STATUS_NAMES = {"verified": "一致", "mismatch": "不一致", "stale": "疑为旧数", "unsupported": "无依据", "target": "目标值",
                "ignored": "不核对"}

# What a finding checks: a number against the ledger, or a relation between numbers of the text.
Check = Literal["number", "sum", "difference", "percent", "ratio", "direction", "bound"]
CHECK_NAMES = {"number": "数字", "sum": "其中各项之和", "difference": "增减额", "percent": "增减率",
               "ratio": "比率", "direction": "方向词", "bound": "得分不超过分值"}


@dataclass(frozen=True)
class NumberFinding:
    start: int
    end: int
    text: str
    status: Status
    value: Decimal | None = None  # the number as written (signed by its direction word), in `unit`
    unit: str | None = None
    fact: str | None = None  # ledger key of the bound fact
    expected: str | None = None  # the fact's display (or the computed result of a relation)
    message: str = ""
    check: Check = "number"
    label: str | None = None  # the fact's label
    formula: str | None = None
    inputs: tuple[str, ...] = ()  # ledger keys the fact is computed from
    source: str | None = None  # the form cell or report field of the fact
    reason: str | None = None  # why an ignored number is not a claim
    related: tuple[tuple[int, int], ...] = field(default=())  # spans of the other numbers of a relation

    @property
    def needs_attention(self) -> bool:
        return self.status in ATTENTION

    def moved(self, offset: int) -> NumberFinding:
        """The same finding with its spans moved by `offset` (the text checked had a prefix)."""
        return replace(self, start=self.start + offset, end=self.end + offset,
                       related=tuple((s + offset, e + offset) for s, e in self.related))

    def to_json(self) -> dict:
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "status": self.status,
            "value": None if self.value is None else _plain(self.value),
            "unit": self.unit,
            "fact": self.fact,
            "expected": self.expected,
            "message": self.message,
            "check": self.check,
            "label": self.label,
            "formula": self.formula,
            "inputs": list(self.inputs),
            "source": self.source,
            "reason": self.reason,
            "related": [list(span) for span in self.related],
        }


def _plain(value: Decimal) -> str:
    text = f"{value:f}"
    return text


def counts(findings: list[NumberFinding]) -> dict[str, int]:
    """Numbers per status (relation findings are counted separately under `relations`)."""
    table = {status: 0 for status in STATUSES}
    for finding in findings:
        if finding.check == "number":
            table[finding.status] += 1
    return table


def relation_counts(findings: list[NumberFinding]) -> dict[str, int]:
    table = {status: 0 for status in STATUSES}
    for finding in findings:
        if finding.check != "number":
            table[finding.status] += 1
    return table


def is_clean(findings: list[NumberFinding]) -> bool:
    return not any(finding.needs_attention for finding in findings)
