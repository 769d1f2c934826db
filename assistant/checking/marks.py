"""A user's word that a number is not a data claim (“不是数据声明”), with the reason.

A mark names the number as written (`text`, "30名") and, to tell two occurrences apart, the words
right before it (`context`, may be empty: then every occurrence in the text is meant). It is kept with
the section version it was made on (store: `claim_marks`) and applies to every later check of that
section while the same number still stands after the same words: the finding becomes `ignored` with
the user's reason, so a re-check never brings back a number someone has explained.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from assistant.checking.findings import STATUS_NAMES, NumberFinding

CONTEXT = 12  # characters before a number kept to find it again
MARK_REASON = "用户标注：不是数据声明"


@dataclass(frozen=True)
class ClaimMark:
    text: str  # the number as written, as the finding's text ("30名", "约0.96万元")
    reason: str
    context: str = ""  # the words before it (up to CONTEXT characters); "" matches every occurrence
    author: str | None = None

    def to_json(self) -> dict:
        return {"text": self.text, "context": self.context, "reason": self.reason, "author": self.author}


def mark_at(text: str, start: int, end: int, reason: str, author: str | None = None) -> ClaimMark:
    """A mark for the number at text[start:end] (the span of its finding)."""
    return ClaimMark(text[start:end], reason.strip(), _before(text, start), author)


def _before(text: str, start: int) -> str:
    return text[max(0, start - CONTEXT):start].rsplit("\n", 1)[-1]


def matches(mark: ClaimMark, text: str, finding: NumberFinding) -> bool:
    if finding.check != "number" or finding.text.strip() != mark.text.strip():
        return False
    return not mark.context or _before(text, finding.start).endswith(mark.context[-CONTEXT:])


def apply_marks(text: str, findings: Sequence[NumberFinding], marks: Iterable[ClaimMark]) -> list[NumberFinding]:
    """`findings` of `text` with every marked number `ignored`, its reason the user's."""
    marks = list(marks)
    if not marks:
        return list(findings)
    out = []
    for finding in findings:
        mark = next((m for m in marks if matches(m, text, finding)), None)
        if mark is None:
            out.append(finding)
            continue
        who = f"（{mark.author}）" if mark.author else ""
        out.append(replace(finding, status="ignored", reason=MARK_REASON,
                           message=f"{MARK_REASON}{who}：{mark.reason}（核对结果原为{_said(finding)}）"))
    return out


def _said(finding: NumberFinding) -> str:
    return f"“{STATUS_NAMES[finding.status]}”"


def unmatched(text: str, findings: Sequence[NumberFinding], marks: Iterable[ClaimMark]) -> list[ClaimMark]:
    """Marks whose number no longer stands in `text` (the text was edited): shown, not applied."""
    return [m for m in marks if not any(matches(m, text, f) for f in findings)]


__all__ = ["CONTEXT", "MARK_REASON", "ClaimMark", "apply_marks", "mark_at", "matches", "unmatched"]


_KEYS = {"text": ("数字", "text"), "reason": ("理由", "reason"), "context": ("前文", "context")}


def marks_from_yaml(text: str, source: str) -> list[ClaimMark]:
    """Marks written by hand for `jixiao check --marks FILE`: a YAML list of items with 数字 (the number
    as written), 理由 and optionally 前文 (the words before it). Raises InputError naming the item."""
    import yaml

    from assistant.model.errors import InputError

    try:
        items = yaml.safe_load(text) or []
    except yaml.YAMLError as error:
        raise InputError(f"标注文件不是有效的 YAML：{source}（{error.__class__.__name__}）") from None
    if not isinstance(items, list):
        raise InputError(f"标注文件应为列表，每项写“数字”和“理由”：{source}")
    marks = []
    for number, item in enumerate(items, 1):
        if not isinstance(item, dict):
            raise InputError(f"标注文件第{number}项应写“数字”和“理由”：{source}")
        values = {field: str(next((item[k] for k in keys if item.get(k) is not None), "")).strip()
                  for field, keys in _KEYS.items()}
        if not values["text"] or not values["reason"]:
            raise InputError(f"标注文件第{number}项缺少“数字”或“理由”：{source}")
        marks.append(ClaimMark(values["text"], values["reason"], values["context"]))
    return marks
