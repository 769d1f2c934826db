"""The persistent store: departments, users, reports, data and section versions, chat, comments, reviews.

One `Store` per process is safe to share between threads: every call opens its own session and
returns frozen records. Versions are numbered 1, 2, 3 … per report (and section kind); a save that
names the version it started from fails with `VersionConflict` when someone saved in between, and a
unique constraint makes two simultaneous saves of the same number end with exactly one winner.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from sqlalchemy import Engine, delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from assistant.store import engine as engines
from assistant.store.logins import LoginState
from assistant.store.errors import Duplicate, InvalidValue, NotFound, StatusError, StoreError, VersionConflict
from assistant.store.records import (MESSAGE_ROLES, MESSAGE_STATUSES, ROLES, SECTION_SOURCES, ChatMessage, Comment,
                                     DataVersion, Department, Report, SectionVersion, StatusEvent, User, to_record)
from assistant.store.tables import (ChatMessageRow, CommentRow, DataVersionRow, DepartmentRow, ReportRow,
                                    SectionVersionRow, StatusEventRow, UserRow, WebSessionRow, utc_now)
from assistant.store.workflow import check_transition

# A save without an expected number retries when a concurrent save took its number.
_APPEND_ATTEMPTS = 5


class Store(LoginState):
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def open(cls, url: str | None = None) -> Store:
        """Connect (settings' database URL when none is given) and migrate the schema to the newest revision."""
        if url is None:
            from assistant.settings import get_settings

            url = get_settings().database_url_or_default
        engine = engines.create_store_engine(url)
        try:
            engines.upgrade(engine)
        except BaseException:
            engine.dispose()
            raise
        return cls(engine)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[Session]:
        with self._sessions.begin() as session:
            yield session

    @contextmanager
    def _read(self) -> Iterator[Session]:
        with self._sessions() as session:
            yield session

    # Departments and users

    def ensure_department(self, name: str, county: str) -> Department:
        name = _required(name, "部门名称")
        found = self._find_department(name)
        if found:
            return found
        try:
            with self._write() as session:
                row = DepartmentRow(name=name, county=county.strip())
                session.add(row)
        except IntegrityError:
            return self._find_department(name)  # created meanwhile by another request
        return to_record(Department, row)

    def _find_department(self, name: str) -> Department | None:
        with self._read() as session:
            row = session.scalar(select(DepartmentRow).where(DepartmentRow.name == name))
            return to_record(Department, row) if row else None

    def get_department(self, department_id: int) -> Department:
        with self._read() as session:
            return to_record(Department, _get(session, DepartmentRow, department_id, "部门"))

    def list_departments(self) -> list[Department]:
        with self._read() as session:
            rows = session.scalars(select(DepartmentRow).order_by(DepartmentRow.county, DepartmentRow.name))
            return [to_record(Department, row) for row in rows]

    def create_user(self, username: str, password_hash: str, role: str, department_id: int | None = None) -> User:
        username = _required(username, "用户名")
        _one_of(role, ROLES, "用户角色")
        if department_id is not None:
            self.get_department(department_id)
        try:
            with self._write() as session:
                row = UserRow(username=username, password_hash=password_hash, role=role, department_id=department_id)
                session.add(row)
        except IntegrityError:
            raise Duplicate(f"用户名“{username}”已被使用") from None
        return to_record(User, row)

    def get_user(self, user_id: int) -> User:
        with self._read() as session:
            return to_record(User, _get(session, UserRow, user_id, "用户"))

    def find_user(self, username: str) -> User | None:
        with self._read() as session:
            row = session.scalar(select(UserRow).where(UserRow.username == username.strip()))
            return to_record(User, row) if row else None

    def set_password(self, user_id: int, password_hash: str, *, end_sessions: bool = True) -> User:
        """A new password ends every session of the user (in the same transaction); a rehash of the
        same password at login (`end_sessions=False`) keeps them."""
        with self._write() as session:
            row = _get(session, UserRow, user_id, "用户")
            row.password_hash = password_hash
            if end_sessions:
                session.execute(delete(WebSessionRow).where(WebSessionRow.user_id == user_id))
        return to_record(User, row)

    # Reports

    def ensure_report(self, department_id: int, year: int) -> Report:
        self.get_department(department_id)
        found = self.find_report(department_id, year)
        if found:
            return found
        try:
            with self._write() as session:
                now = utc_now()
                row = ReportRow(department_id=department_id, year=year, status="draft", created_at=now, updated_at=now)
                session.add(row)
        except IntegrityError:
            return self.find_report(department_id, year)
        return to_record(Report, row)

    def get_report(self, report_id: int) -> Report:
        with self._read() as session:
            return to_record(Report, _get(session, ReportRow, report_id, "报告"))

    def find_report(self, department_id: int, year: int) -> Report | None:
        with self._read() as session:
            row = session.scalar(select(ReportRow).where(ReportRow.department_id == department_id,
                                                          ReportRow.year == year))
            return to_record(Report, row) if row else None

    def list_reports(self, department_id: int | None = None) -> list[Report]:
        query = (select(ReportRow).join(DepartmentRow, ReportRow.department_id == DepartmentRow.id)
                 .order_by(ReportRow.year.desc(), DepartmentRow.county, DepartmentRow.name))
        if department_id is not None:
            query = query.where(ReportRow.department_id == department_id)
        with self._read() as session:
            return [to_record(Report, row) for row in session.scalars(query)]

    # Data versions

    def save_data(self, report_id: int, text: str, format: str, *, author_id: int | None = None,
                  note: str | None = None, expected_number: int | None = None) -> DataVersion:
        _required(format, "数据格式")
        row = self._append(DataVersionRow, {"report_id": report_id}, expected_number, _data_conflict,
                           text=text, format=format, author_id=author_id, note=note)
        return to_record(DataVersion, row)

    def latest_data(self, report_id: int) -> DataVersion | None:
        with self._read() as session:
            row = session.scalar(select(DataVersionRow).where(DataVersionRow.report_id == report_id)
                                 .order_by(DataVersionRow.number.desc()).limit(1))
            return to_record(DataVersion, row) if row else None

    def data_history(self, report_id: int) -> list[DataVersion]:
        with self._read() as session:
            rows = session.scalars(select(DataVersionRow).where(DataVersionRow.report_id == report_id)
                                   .order_by(DataVersionRow.number))
            return [to_record(DataVersion, row) for row in rows]

    # Section versions

    def add_section_version(self, report_id: int, kind: str, text: str, *, source: str, drafter: str,
                            author_id: int | None = None, message_id: int | None = None,
                            check_json: str | None = None, expected_number: int | None = None) -> SectionVersion:
        kind = _required(kind, "章节")
        _one_of(source, SECTION_SOURCES, "版本来源")
        row = self._append(SectionVersionRow, {"report_id": report_id, "kind": kind}, expected_number,
                           _section_conflict, text=text, source=source, drafter=drafter, author_id=author_id,
                           message_id=message_id, check_json=check_json)
        return to_record(SectionVersion, row)

    def latest_section(self, report_id: int, kind: str) -> SectionVersion | None:
        with self._read() as session:
            row = session.scalar(select(SectionVersionRow)
                                 .where(SectionVersionRow.report_id == report_id, SectionVersionRow.kind == kind)
                                 .order_by(SectionVersionRow.number.desc()).limit(1))
            return to_record(SectionVersion, row) if row else None

    def latest_sections(self, report_id: int) -> dict[str, SectionVersion]:
        newest = (select(SectionVersionRow.kind, func.max(SectionVersionRow.number).label("number"))
                  .where(SectionVersionRow.report_id == report_id).group_by(SectionVersionRow.kind).subquery())
        query = (select(SectionVersionRow)
                 .join(newest, (SectionVersionRow.kind == newest.c.kind) & (SectionVersionRow.number == newest.c.number))
                 .where(SectionVersionRow.report_id == report_id).order_by(SectionVersionRow.kind))
        with self._read() as session:
            return {row.kind: to_record(SectionVersion, row) for row in session.scalars(query)}

    def section_history(self, report_id: int, kind: str) -> list[SectionVersion]:
        with self._read() as session:
            rows = session.scalars(select(SectionVersionRow)
                                   .where(SectionVersionRow.report_id == report_id, SectionVersionRow.kind == kind)
                                   .order_by(SectionVersionRow.number))
            return [to_record(SectionVersion, row) for row in rows]

    def section_version(self, report_id: int, kind: str, number: int) -> SectionVersion:
        with self._read() as session:
            row = session.scalar(select(SectionVersionRow).where(
                SectionVersionRow.report_id == report_id, SectionVersionRow.kind == kind,
                SectionVersionRow.number == number))
            if row is None:
                raise NotFound(f"未找到该节的第{number}版")
            return to_record(SectionVersion, row)

    def _latest_number(self, session: Session, row_type, scope: dict) -> int:
        conditions = [getattr(row_type, column) == value for column, value in scope.items()]
        return session.scalar(select(func.coalesce(func.max(row_type.number), 0)).where(*conditions))

    def _append(self, row_type, scope: dict, expected_number: int | None, conflict, **values):
        """Insert version latest+1 in `scope`; the unique (scope, number) constraint settles races."""
        for _ in range(_APPEND_ATTEMPTS):
            try:
                with self._write() as session:
                    report = _get(session, ReportRow, scope["report_id"], "报告")
                    current = self._latest_number(session, row_type, scope)
                    if expected_number is not None and expected_number != current:
                        raise conflict(current)
                    row = row_type(**scope, **values, number=current + 1)
                    session.add(row)
                    report.updated_at = utc_now()
                return row
            except IntegrityError:
                if expected_number is not None:
                    with self._read() as session:
                        raise conflict(self._latest_number(session, row_type, scope)) from None
        raise StoreError("同时保存的人太多，请稍后再试")

    # Chat

    def add_message(self, report_id: int, kind: str, role: str, content: str, *, status: str = "ok",
                    author_id: int | None = None) -> ChatMessage:
        _one_of(role, MESSAGE_ROLES, "消息角色")
        _one_of(status, MESSAGE_STATUSES, "消息状态")
        with self._write() as session:
            _get(session, ReportRow, report_id, "报告")
            row = ChatMessageRow(report_id=report_id, kind=_required(kind, "章节"), role=role, content=content,
                                 status=status, author_id=author_id)
            session.add(row)
        return to_record(ChatMessage, row)

    def finish_message(self, message_id: int, *, status: str, error: str | None = None,
                       version_id: int | None = None) -> ChatMessage:
        _one_of(status, MESSAGE_STATUSES, "消息状态")
        with self._write() as session:
            row = _get(session, ChatMessageRow, message_id, "消息")
            row.status, row.error, row.version_id = status, error, version_id
        return to_record(ChatMessage, row)

    def messages(self, report_id: int, kind: str, limit: int | None = None) -> list[ChatMessage]:
        query = (select(ChatMessageRow).where(ChatMessageRow.report_id == report_id, ChatMessageRow.kind == kind)
                 .order_by(ChatMessageRow.id.desc()))
        if limit is not None:
            query = query.limit(limit)
        with self._read() as session:
            return [to_record(ChatMessage, row) for row in reversed(session.scalars(query).all())]

    def recent_messages(self, report_id: int, limit: int) -> dict[str, list[ChatMessage]]:
        """kind → the last `limit` messages of each section (ascending), in one query: the report page
        shows every section's conversation."""
        numbered = (select(ChatMessageRow.id, func.row_number().over(
            partition_by=ChatMessageRow.kind, order_by=ChatMessageRow.id.desc()).label("n"))
            .where(ChatMessageRow.report_id == report_id).subquery())
        query = (select(ChatMessageRow).join(numbered, numbered.c.id == ChatMessageRow.id)
                 .where(numbered.c.n <= limit).order_by(ChatMessageRow.id))
        found: dict[str, list[ChatMessage]] = {}
        with self._read() as session:
            for row in session.scalars(query):
                found.setdefault(row.kind, []).append(to_record(ChatMessage, row))
        return found

    # Review

    def add_comment(self, report_id: int, author_id: int, text: str, kind: str | None = None) -> Comment:
        with self._write() as session:
            _get(session, ReportRow, report_id, "报告")
            _get(session, UserRow, author_id, "用户")
            row = CommentRow(report_id=report_id, author_id=author_id, text=_required(text, "意见"), kind=kind)
            session.add(row)
        return to_record(Comment, row)

    def comments(self, report_id: int, kind: str | None = None) -> list[Comment]:
        """All comments of the report, or only those on section `kind`."""
        query = select(CommentRow).where(CommentRow.report_id == report_id).order_by(CommentRow.id)
        if kind is not None:
            query = query.where(CommentRow.kind == kind)
        with self._read() as session:
            return [to_record(Comment, row) for row in session.scalars(query)]

    def set_status(self, report_id: int, to_status: str, author_id: int, comment: str | None = None) -> Report:
        with self._write() as session:
            report = _get(session, ReportRow, report_id, "报告")
            author = _get(session, UserRow, author_id, "用户")
            from_status = report.status
            check_transition(from_status, to_status, author.role)
            # Conditional on the status just read: of two reviewers deciding at once, one wins.
            changed = session.execute(update(ReportRow)
                                      .where(ReportRow.id == report_id, ReportRow.status == from_status)
                                      .values(status=to_status, updated_at=utc_now())).rowcount
            if changed != 1:
                raise _status_changed()
            session.add(StatusEventRow(report_id=report_id, from_status=from_status, to_status=to_status,
                                       author_id=author_id, comment=comment))
        return self.get_report(report_id)

    def status_events(self, report_id: int) -> list[StatusEvent]:
        with self._read() as session:
            rows = session.scalars(select(StatusEventRow).where(StatusEventRow.report_id == report_id)
                                   .order_by(StatusEventRow.id))
            return [to_record(StatusEvent, row) for row in rows]


# The largest id a row can have (PostgreSQL's integer); larger ones cannot even be sent to SQLite.
MAX_ID = 2**31 - 1


def _get(session: Session, row_type, row_id: int, what: str):
    row = session.get(row_type, row_id) if 0 < row_id <= MAX_ID else None
    if row is None:
        raise NotFound(f"未找到{what}（编号 {row_id}）")
    return row


def _required(text: str, what: str) -> str:
    if not text or not text.strip():
        raise InvalidValue(f"{what}不能为空")
    return text.strip()


def _one_of(value: str, allowed: tuple[str, ...], what: str) -> None:
    if value not in allowed:
        raise InvalidValue(f"{what}“{value}”无效，可选：{'、'.join(allowed)}")


def _data_conflict(current: int) -> VersionConflict:
    return VersionConflict(current, f"数据已被他人修改（当前为第{current}版），请刷新后再保存")


def _section_conflict(current: int) -> VersionConflict:
    return VersionConflict(current)


def _status_changed() -> StatusError:
    return StatusError("报告状态刚被他人修改，请刷新后再操作")
