"""The review workflow as data: which status may follow which, and whose step it is."""

from __future__ import annotations

from assistant.store.errors import StatusError
from assistant.store.records import STATUS_LABELS

# (from, to) → the role that takes the step.
TRANSITIONS = {
    ("draft", "submitted"): "staff",
    ("returned", "submitted"): "staff",
    ("submitted", "returned"): "reviewer",
    ("submitted", "approved"): "reviewer",
}
ROLE_LABELS = {"staff": "填报人员", "reviewer": "审核人员"}


def check_transition(from_status: str, to_status: str, role: str) -> None:
    """Raise StatusError (in Chinese) unless a user with `role` may move a report between these statuses."""
    if to_status not in STATUS_LABELS:
        raise StatusError(f"未知的报告状态：{to_status}")
    needed = TRANSITIONS.get((from_status, to_status))
    if needed is None:
        raise StatusError(f"报告当前为“{STATUS_LABELS[from_status]}”，不能改为“{STATUS_LABELS[to_status]}”")
    if role != needed:
        raise StatusError(f"只有{ROLE_LABELS[needed]}可以把报告从“{STATUS_LABELS[from_status]}”改为“{STATUS_LABELS[to_status]}”")
