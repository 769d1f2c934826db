"""Login state kept in the store, so that every process of a deployment shares it: web sessions
(ended by logout, a password change or `jixiao db`; idle and absolute timeouts) and failed logins
(throttling per user name and per client address).

The cookie carries a random token; the table keeps only its SHA-256, so a copy of the database does
not hand out sessions.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update

from assistant.store.records import WebSession, to_record
from assistant.store.tables import LoginFailureRow, WebSessionRow, utc_now

FAILURE_SCOPES = ("user", "address")
KEY_LENGTH = 200  # login_failures.key


def token_id(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class LoginState:
    """Mixed into `Store` (uses its `_read` / `_write` sessions)."""

    # Sessions

    def create_session(self, user_id: int | None = None) -> tuple[str, WebSession]:
        """A new session: (the token for the cookie, the record)."""
        token = secrets.token_urlsafe(32)
        now = utc_now()
        with self._write() as session:
            row = WebSessionRow(id=token_id(token), user_id=user_id, csrf=secrets.token_urlsafe(32),
                                created_at=now, seen_at=now)
            session.add(row)
        return token, to_record(WebSession, row)

    def find_session(self, token: str, *, idle: timedelta, absolute: timedelta) -> WebSession | None:
        """The live session of a cookie's token; an expired one is deleted and None returned."""
        with self._read() as session:
            row = session.get(WebSessionRow, token_id(token))
            found = to_record(WebSession, row) if row else None
        if found is None:
            return None
        now = utc_now()
        if found.seen_at + idle <= now or found.created_at + absolute <= now:
            self.end_session(found.id)
            return None
        return found

    def touch_session(self, session_id: str) -> None:
        with self._write() as session:
            session.execute(update(WebSessionRow).where(WebSessionRow.id == session_id).values(seen_at=utc_now()))

    def end_session(self, session_id: str) -> None:
        with self._write() as session:
            session.execute(delete(WebSessionRow).where(WebSessionRow.id == session_id))

    def end_user_sessions(self, user_id: int) -> int:
        """Log a user out everywhere; the number of sessions ended."""
        with self._write() as session:
            return session.execute(delete(WebSessionRow).where(WebSessionRow.user_id == user_id)).rowcount

    def user_sessions(self, user_id: int) -> list[WebSession]:
        with self._read() as session:
            rows = session.scalars(select(WebSessionRow).where(WebSessionRow.user_id == user_id))
            return [to_record(WebSession, row) for row in rows]

    def purge_sessions(self, *, idle: timedelta, absolute: timedelta) -> int:
        now = utc_now()
        with self._write() as session:
            return session.execute(delete(WebSessionRow).where(
                (WebSessionRow.seen_at <= now - idle) | (WebSessionRow.created_at <= now - absolute))).rowcount

    # Failed logins

    def add_login_failure(self, scope: str, key: str) -> None:
        with self._write() as session:
            session.add(LoginFailureRow(scope=scope, key=key[:KEY_LENGTH], failed_at=utc_now()))

    def login_failures(self, scope: str, key: str, since: datetime) -> tuple[int, datetime | None]:
        """How many failures since `since`, and the oldest of them."""
        with self._read() as session:
            count, oldest = session.execute(
                select(func.count(LoginFailureRow.id), func.min(LoginFailureRow.failed_at)).where(
                    LoginFailureRow.scope == scope, LoginFailureRow.key == key[:KEY_LENGTH],
                    LoginFailureRow.failed_at > since)).one()
        if oldest is not None and oldest.tzinfo is None:  # an aggregate skips the column's type on SQLite
            from datetime import timezone

            oldest = datetime.fromisoformat(str(oldest)).replace(tzinfo=timezone.utc)
        return count, oldest

    def clear_login_failures(self, scope: str, key: str) -> None:
        with self._write() as session:
            session.execute(delete(LoginFailureRow).where(LoginFailureRow.scope == scope,
                                                          LoginFailureRow.key == key[:KEY_LENGTH]))

    def purge_login_failures(self, before: datetime) -> int:
        with self._write() as session:
            return session.execute(delete(LoginFailureRow).where(LoginFailureRow.failed_at <= before)).rowcount
