"""Migrations: from empty and from every kept schema fixture, models in sync, refusals."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from base.errors import SchemaNewer, SchemaOlder
from db.engine import make_engine, sqlite_url_for
from db.migrate import (
    alembic_config,
    check_schema,
    current_revisions,
    head_revision,
    migrations_dir,
    prepare_schema,
    schema_differences,
    upgrade_to_head,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "schemas"
FIXTURE_FILES = sorted(FIXTURES.glob("*.sql"))


def test_migrations_are_found_beside_the_code():
    assert (migrations_dir() / "env.py").is_file()
    assert head_revision() == "0002"


def test_migrated_schema_matches_the_models(db_engine):
    """If this fails, run scripts/regen_migration.sh (before the first release) or add a revision."""
    check_schema(db_engine)
    assert schema_differences(db_engine) == []


def test_reference_rows_are_in_place(db_engine):
    with db_engine.connect() as conn:
        codes = conn.execute(text("SELECT code FROM card_classes ORDER BY code")).scalars().all()
    assert codes == ["business", "dorm", "staff"]


def test_upgrade_from_empty_sqlite(sqlite_url):
    engine = make_engine(sqlite_url, create=True)
    with pytest.raises(SchemaOlder):
        check_schema(engine)
    assert prepare_schema(engine) is None  # an empty database has nothing to back up
    check_schema(engine)
    engine.dispose()


@pytest.mark.pg
def test_postgresql_is_only_migrated_on_request(pg_empty_url):
    engine = make_engine(pg_empty_url)
    with pytest.raises(SchemaOlder) as raised:
        prepare_schema(engine)
    assert "db upgrade" in raised.value.message_en
    assert current_revisions(engine) == ()
    upgrade_to_head(engine)  # what `counter-admin db upgrade` does
    check_schema(engine)
    assert schema_differences(engine) == []
    engine.dispose()


@pytest.mark.parametrize("fixture", FIXTURE_FILES, ids=[f.stem for f in FIXTURE_FILES])
def test_upgrade_from_each_kept_schema(tmp_path, fixture):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.executescript(fixture.read_text(encoding="utf-8"))
    conn.close()
    engine = make_engine(sqlite_url_for(path))
    prepare_schema(engine, backup_dir=tmp_path / "backups")
    check_schema(engine)
    assert schema_differences(engine) == []
    engine.dispose()


def test_a_head_fixture_is_kept():
    assert (FIXTURES / "0.1.0-dev.sql").is_file()


def test_sqlite_is_backed_up_before_an_upgrade(sqlite_url, tmp_path):
    engine = make_engine(sqlite_url, create=True)
    with engine.connect() as conn, conn.begin():
        command.upgrade(alembic_config(conn), "0001")
    backup = prepare_schema(engine, backup_dir=tmp_path / "backups")
    assert backup is not None and backup.is_file()
    with sqlite3.connect(backup) as copy:
        assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert current_revisions(engine) == ("0002",)
    engine.dispose()


def test_a_newer_database_is_refused(db_engine, tmp_path):
    with db_engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    with pytest.raises(SchemaNewer) as raised:
        check_schema(db_engine)
    assert raised.value.code == "SCHEMA_NEWER"
    with pytest.raises(SchemaNewer):
        prepare_schema(db_engine, backup_dir=tmp_path / "backups")
    assert not (tmp_path / "backups").exists()
    assert current_revisions(db_engine) == ("9999_from_the_future",)
