"""Claim marks in the store: a number of a section version that a user marked “不是数据声明”.

`add_claim_mark` keeps the mark with the version it was made on; `claim_marks` returns a section's
marks (every version's: a mark applies to later versions while its number still stands after the same
words, checking/marks.py). Functions over a `Store`, in the store's transactions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from assistant.checking.marks import CONTEXT, ClaimMark
from assistant.store.errors import InvalidValue, NotFound
from assistant.store.records import to_record
from assistant.store.store import Store
from assistant.store.tables import ClaimMarkRow, SectionVersionRow, UserRow

TEXT_MAX = 200
REASON_MAX = 2000


@dataclass(frozen=True)
class ClaimMarkRecord:
    id: int
    report_id: int
    kind: str
    version_id: int
    text: str
    context: str
    reason: str
    author_id: int | None
    created_at: datetime

    def mark(self, author: str | None = None) -> ClaimMark:
        return ClaimMark(self.text, self.reason, self.context, author)


def add_claim_mark(store: Store, report_id: int, kind: str, version_number: int, text: str, reason: str, *,
                   context: str = "", author_id: int | None = None) -> ClaimMarkRecord:
    """Mark the number `text` (after the words `context`) of version `version_number` of section
    `kind`. Raises InvalidValue / NotFound (one Chinese sentence) for a missing number, reason or version."""
    text, reason, context = text.strip(), reason.strip(), context.strip()[-CONTEXT:]
    if not text:
        raise InvalidValue("请填写要标注的数字（按原文照抄，如“30名”）")
    if not reason:
        raise InvalidValue("请填写理由：为什么这个数字不是数据声明")
    if len(text) > TEXT_MAX or len(reason) > REASON_MAX:
        raise InvalidValue(f"数字最多{TEXT_MAX}字，理由最多{REASON_MAX}字")
    with store._write() as session:
        version = session.scalars(select(SectionVersionRow).where(
            SectionVersionRow.report_id == report_id, SectionVersionRow.kind == kind,
            SectionVersionRow.number == version_number)).first()
        if version is None:
            raise NotFound(f"没有第{version_number}版的这一节，无法标注")
        if author_id is not None and session.get(UserRow, author_id) is None:
            raise NotFound(f"未找到用户（编号 {author_id}）")
        row = ClaimMarkRow(report_id=report_id, kind=kind, version_id=version.id, text=text, context=context,
                           reason=reason, author_id=author_id)
        session.add(row)
        session.flush()
        return to_record(ClaimMarkRecord, row)


def claim_marks(store: Store, report_id: int, kind: str | None = None) -> list[ClaimMarkRecord]:
    """The marks of a report (of section `kind`), oldest first."""
    query = select(ClaimMarkRow).where(ClaimMarkRow.report_id == report_id).order_by(ClaimMarkRow.id)
    if kind is not None:
        query = query.where(ClaimMarkRow.kind == kind)
    with store._read() as session:
        return [to_record(ClaimMarkRecord, row) for row in session.scalars(query)]


__all__ = ["ClaimMarkRecord", "add_claim_mark", "claim_marks"]
