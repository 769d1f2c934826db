"""A form-consistency finding (docs/domain.md §7). Findings warn; only unusable data stops a run."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class Finding:
    rule: str  # "R01" … "R18", or "D01"… for data-completeness rules of our own
    severity: Severity  # error: the form is wrong; warning: needs a look or an explanation; info: note
    location: str  # Chinese, as the forms name it: "附件2 › 绩效指标第3行 › 分值"
    path: str  # field path in the data file: "self_assessment.indicators[2].weight"
    message: str  # one Chinese sentence saying what is wrong and what is expected
    facts: tuple[str, ...] = field(default=())  # ledger keys involved
    topic: str = "其他"  # for grouping into 存在问题: 预算执行 / 绩效指标 / 数据一致性 / 资料完整性 …

    def to_json(self) -> dict:
        return {
            "rule": self.rule, "severity": self.severity, "location": self.location, "path": self.path,
            "message": self.message, "facts": list(self.facts), "topic": self.topic,
        }
