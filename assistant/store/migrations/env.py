"""Alembic environment: runs on the connection `Store.open` hands over (or on -x url=… from the command line)."""

from __future__ import annotations

from alembic import context

from assistant.store.engine import create_store_engine
from assistant.store.tables import Base

config = context.config


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=Base.metadata,
                      render_as_batch=connection.dialect.name == "sqlite", compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    # `alembic -c assistant/store/alembic.ini -x url=sqlite:///x.db revision --autogenerate`
    from assistant.settings import get_settings

    url = context.get_x_argument(as_dictionary=True).get("url") or get_settings().database_url_or_default
    with create_store_engine(url).begin() as own:
        _run(own)
