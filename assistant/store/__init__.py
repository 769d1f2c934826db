"""Persistence of reports, versions, chats and reviews (SQLite by default, PostgreSQL via DATABASE_URL).

See docs/store.md. Everything the rest of the application needs is importable from here.
"""

from assistant.store.errors import Duplicate, InvalidValue, NotFound, StatusError, StoreError, VersionConflict
from assistant.store.records import (STATUS_LABELS, ChatMessage, Comment, DataVersion, Department, Report,
                                     SectionVersion, StatusEvent, User)
from assistant.store.store import Store

__all__ = [
    "Store", "StoreError", "VersionConflict", "StatusError", "NotFound", "InvalidValue", "Duplicate",
    "STATUS_LABELS", "Department", "User", "Report", "DataVersion", "SectionVersion", "ChatMessage", "Comment",
    "StatusEvent",
]
