"""What the store hands out: frozen records, never live ORM objects (safe across threads and sessions)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime

# Report workflow states and the words users see for them.
STATUS_LABELS = {"draft": "草稿", "submitted": "待审", "returned": "退回", "approved": "通过"}
ROLES = ("staff", "reviewer")
SECTION_SOURCES = ("generate", "chat", "edit", "revert", "import")
MESSAGE_ROLES = ("user", "assistant", "note")
MESSAGE_STATUSES = ("ok", "pending", "failed")


@dataclass(frozen=True)
class Department:
    id: int
    name: str
    county: str


@dataclass(frozen=True)
class User:
    id: int
    username: str
    password_hash: str
    role: str
    department_id: int | None
    created_at: datetime


@dataclass(frozen=True)
class Report:
    id: int
    department_id: int
    year: int
    status: str
    created_at: datetime
    updated_at: datetime

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass(frozen=True)
class DataVersion:
    id: int
    report_id: int
    number: int
    text: str
    format: str
    author_id: int | None
    note: str | None
    created_at: datetime


@dataclass(frozen=True)
class SectionVersion:
    id: int
    report_id: int
    kind: str
    number: int
    text: str
    source: str
    drafter: str
    author_id: int | None
    message_id: int | None
    check_json: str | None
    created_at: datetime


@dataclass(frozen=True)
class ChatMessage:
    id: int
    report_id: int
    kind: str
    role: str
    content: str
    status: str
    error: str | None
    version_id: int | None
    author_id: int | None
    created_at: datetime


@dataclass(frozen=True)
class Comment:
    id: int
    report_id: int
    kind: str | None
    author_id: int
    text: str
    created_at: datetime


@dataclass(frozen=True)
class StatusEvent:
    id: int
    report_id: int
    from_status: str
    to_status: str
    author_id: int
    comment: str | None
    created_at: datetime


@dataclass(frozen=True)
class WebSession:
    id: str  # SHA-256 of the cookie's token
    user_id: int | None
    csrf: str
    created_at: datetime
    seen_at: datetime


def to_record(record_type, row):
    """Copy an ORM row's columns into the frozen record of the same name."""
    return record_type(**{field.name: getattr(row, field.name) for field in fields(record_type)})
