"""Opening a database: URL defaults, SQLite connection pragmas, and migrating to the newest schema."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 15000
# Any number will do as long as every jixiao process uses the same one.
PG_MIGRATION_LOCK = 7_243_118


def normalise_url(url: str) -> str:
    """`postgres://` and `postgresql://` (as hosting services write them) mean psycopg 3 here."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def create_store_engine(url: str) -> Engine:
    parsed = make_url(normalise_url(url))
    if parsed.get_backend_name() != "sqlite":
        return create_engine(parsed, pool_pre_ping=True)
    in_memory = parsed.database in (None, "", ":memory:")
    if not in_memory:
        private_database_file(Path(parsed.database))
    engine = create_engine(parsed, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
                           poolclass=StaticPool if in_memory else None)
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def private_database_file(path: Path) -> None:
    """The SQLite file readable by its owner only (0600; SQLite gives its -wal and -shm files the same
    mode), in a folder only its owner can enter (0700) when the folder is created here or is the
    data directory (a folder the user chose, such as /tmp, keeps its mode)."""
    from assistant.settings import get_settings

    folder = path.parent
    if not folder.exists():
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    elif folder.resolve() == Path(get_settings().data_dir).resolve() and folder.stat().st_uid == os.getuid():
        folder.chmod(0o700)
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    elif path.stat().st_uid == os.getuid():
        path.chmod(0o600)


def _sqlite_pragmas(connection, _record) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()


def alembic_config(connection=None):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to `revision`; several processes opening one PostgreSQL database take turns."""
    from alembic import command

    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_MIGRATION_LOCK})")
        command.upgrade(alembic_config(connection), revision)


def downgrade(engine: Engine, revision: str = "base") -> None:
    from alembic import command

    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), revision)


def current_revision(engine: Engine) -> str | None:
    from alembic.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
