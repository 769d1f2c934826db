"""Store fixtures on both backends: a fresh SQLite file per test, and a PostgreSQL cluster per pytest
worker (tables emptied between tests). Without PostgreSQL binaries the PostgreSQL cases are skipped,
unless JIXIAO_REQUIRE_POSTGRES=1 (as in `make test` and CI), where they fail."""

from __future__ import annotations

import itertools
import os

import pytest
from sqlalchemy import text

from assistant.store import Store
from assistant.store.tables import Base
from pg_cluster import Cluster, find_bindir

BACKENDS = ["sqlite", "postgresql"]
_database_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def postgres_cluster():
    bindir = find_bindir()
    if bindir is None:
        reason = "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb; apt-get install postgresql)"
        if os.environ.get("JIXIAO_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"{reason}, and JIXIAO_REQUIRE_POSTGRES=1 requires it")
        pytest.skip(reason)
    cluster = Cluster(bindir)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def postgres_store_url(postgres_cluster):
    return postgres_cluster.create_database("jixiao_store")


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def empty_database_url(backend, request, tmp_path) -> str:
    """A database with no tables at all, for migration tests."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.db'}"
    cluster = request.getfixturevalue("postgres_cluster")
    return cluster.create_database(f"jixiao_empty_{next(_database_numbers)}")


@pytest.fixture
def store_url(backend, request, tmp_path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'jixiao.db'}"
    return request.getfixturevalue("postgres_store_url")


@pytest.fixture
def store(store_url):
    opened = Store.open(store_url)
    try:
        yield opened
    finally:
        if opened.engine.dialect.name == "postgresql":
            names = ", ".join(table.name for table in Base.metadata.sorted_tables)
            with opened.engine.begin() as connection:
                connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        opened.close()


@pytest.fixture
def department(store):
    return store.ensure_department("桃江县人力资源和社会保障局", "桃江县")


@pytest.fixture
def staff(store, department):
    return store.create_user("zhangsan", "argon2-hash-placeholder", "staff", department.id)


@pytest.fixture
def reviewer(store):
    return store.create_user("lisi", "argon2-hash-placeholder", "reviewer")


@pytest.fixture
def report(store, department):
    return store.ensure_report(department.id, 2024)
