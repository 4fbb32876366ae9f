"""Shared fixtures: databases on both backends.

- `sqlite_url`: a fresh SQLite file URL under tmp_path (no schema).
- `sqlite_engine`: an engine on that file, migrated to head.
- `pg_url`: a fresh PostgreSQL database cloned from a template migrated once per session; dropped
  after the test. `pg_empty_url`: a fresh empty PostgreSQL database (no schema).
- `pg_engine`: an engine on `pg_url`.
- `db_engine`: parametrised over both backends ("sqlite", "pg"): write a test once, run it twice.
- `now`: an aware datetime (Asia/Shanghai) for rows that need a time.
- `basics`: a campus, a workstation and two operators in a migrated database (ids as a dataclass).

PostgreSQL comes from COUNTER_TEST_PG_URL (a server URL, e.g.
postgresql+psycopg://postgres@127.0.0.1:5432/postgres; the role must be allowed to CREATE DATABASE).
Tests that need it are marked `pg`; they skip when the variable is unset, except in CI (CI=true),
where they fail: a CI run that silently tested only SQLite would prove nothing about PostgreSQL.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime

import pytest
from dbtesting import (  # noqa: F401  (re-exported for tests)
    Basics,
    create_pg_database,
    drop_pg_database,
    make_basics,
    pg_server_url,
    unique_db_name,
)
from sqlalchemy import Engine

from base.clock import BUSINESS_TZ
from db.engine import make_engine, sqlite_url_for
from db.migrate import upgrade_to_head

# Every audited insert the suite makes also reads its row back and compares it with the flushed
# object the digest was taken from (counter_app/flushed_rows.py); subprocesses inherit it.
os.environ.setdefault("COUNTER_CHECK_FLUSHED_ROWS", "1")


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    """Name of a database migrated to head once per session, the template of every `pg_url`."""
    server = pg_server_url()
    name = unique_db_name("tpl")
    url = create_pg_database(server, name)
    engine = make_engine(url)
    upgrade_to_head(engine)
    engine.dispose()  # CREATE DATABASE … TEMPLATE needs the template without connections
    yield name
    drop_pg_database(server, name)


@pytest.fixture
def pg_url(pg_template: str) -> Iterator[str]:
    server = pg_server_url()
    name = unique_db_name("t")
    yield create_pg_database(server, name, template=pg_template)
    drop_pg_database(server, name)


@pytest.fixture
def pg_empty_url() -> Iterator[str]:
    server = pg_server_url()
    name = unique_db_name("e")
    yield create_pg_database(server, name)
    drop_pg_database(server, name)


@pytest.fixture
def pg_engine(pg_url: str) -> Iterator[Engine]:
    engine = make_engine(pg_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return sqlite_url_for(tmp_path / "counter.db")


@pytest.fixture
def sqlite_engine(sqlite_url: str) -> Iterator[Engine]:
    engine = make_engine(sqlite_url, create=True)
    upgrade_to_head(engine)
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("pg", marks=pytest.mark.pg)])
def db_engine(request) -> Engine:
    """A migrated database on each backend in turn."""
    return request.getfixturevalue(f"{request.param}_engine")


@pytest.fixture
def now() -> datetime:
    return datetime(2025, 9, 1, 18, 30, tzinfo=BUSINESS_TZ)


@pytest.fixture
def basics(db_engine: Engine, now: datetime) -> Basics:
    return make_basics(db_engine, now)


@pytest.fixture(autouse=True)
def _this_pcs_device_choice(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """No test reads or writes the device choice saved on the developer's PC
    (counter_app/local_config.py): each test gets its own, empty."""
    monkeypatch.setenv("COUNTER_LOCAL_CONFIG", str(tmp_path_factory.mktemp("local") / "devices.json"))
