"""Migrations: `upgrade head` on an empty database gives exactly the ORM's schema; `downgrade base` undoes it."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from assistant.store import Store
from assistant.store.engine import create_store_engine, current_revision, downgrade, upgrade
from assistant.store.tables import Base

TABLES = {"departments", "users", "reports", "data_versions", "section_versions", "chat_messages", "comments",
          "status_events", "web_sessions", "login_failures", "claim_marks"}


def _pending_changes(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)


def test_upgrade_head_matches_the_orm_and_downgrade_base_removes_everything(empty_database_url):
    engine = create_store_engine(empty_database_url)
    try:
        upgrade(engine)
        assert current_revision(engine) == "0003"
        assert set(inspect(engine).get_table_names()) == TABLES | {"alembic_version"}
        assert _pending_changes(engine) == []
        downgrade(engine)
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        assert current_revision(engine) is None
        upgrade(engine)
        assert _pending_changes(engine) == []
    finally:
        engine.dispose()


def test_opening_twice_keeps_the_data(empty_database_url):
    with Store.open(empty_database_url) as first:
        first.ensure_department("桃江县财政局", "桃江县")
    with Store.open(empty_database_url) as second:
        assert [d.name for d in second.list_departments()] == ["桃江县财政局"]


def test_sqlite_connections_use_wal_and_foreign_keys(tmp_path):
    with Store.open(f"sqlite:///{tmp_path / 'nested' / 'jixiao.db'}") as store:
        with store.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
