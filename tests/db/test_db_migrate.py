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
    declared_heads,
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
    assert head_revision() == "0003"


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
    assert current_revisions(engine) == ("0003",)
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


def test_the_heads_read_without_alembic_are_alembics_heads():
    """check_schema's fast path (no Alembic import at start, issue 16) reads the version scripts'
    `revision` / `down_revision` itself: it must name exactly the heads Alembic does."""
    from alembic.script import ScriptDirectory

    assert declared_heads() == set(ScriptDirectory.from_config(alembic_config()).get_heads())


def test_the_fast_path_only_accepts_a_database_at_the_head(sqlite_url, tmp_path):
    """Empty (no alembic_version), older and newer databases still go through Alembic's answer."""
    engine = make_engine(sqlite_url, create=True)
    with pytest.raises(SchemaOlder):  # empty: no alembic_version table
        check_schema(engine)
    upgrade_to_head(engine)
    check_schema(engine)  # at the head: the fast path
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    with pytest.raises(SchemaOlder):
        check_schema(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffffffff'"))
    with pytest.raises(SchemaNewer):
        check_schema(engine)
    engine.dispose()


def test_a_revision_script_the_reading_cannot_follow_falls_back_to_alembic(tmp_path, monkeypatch):
    versions = tmp_path / "versions"
    versions.mkdir()
    (versions / "0001_x.py").write_text('revision = "0001"\ndown_revision = None\n', encoding="utf-8")
    (versions / "0002_y.py").write_text('revision = "0002"\ndown_revision = "0001"\n', encoding="utf-8")
    monkeypatch.setattr("db.migrate.migrations_dir", lambda: tmp_path)
    assert declared_heads() == {"0002"}
    (versions / "0003_z.py").write_text('revision = make()\ndown_revision = "0002"\n', encoding="utf-8")
    assert declared_heads() is None
    (versions / "0003_z.py").write_text(
        'revision: str = "0003"\ndown_revision = ("0002",)\n', encoding="utf-8"
    )
    assert declared_heads() == {"0003"}
    (versions / "0004_w.py").write_text('revision = "0004"\ndown_revision = "0002"\nbranch_labels = ("b",)\n',
                                        encoding="utf-8")  # fmt: skip
    assert declared_heads() is None


def test_opening_a_database_at_the_head_does_not_import_alembic(db_engine):
    """The start (issue 16): Alembic, Mako and Pygments load only when a database needs Alembic."""
    import subprocess
    import sys

    url = db_engine.url.render_as_string(hide_password=False)
    code = (
        "import sys\nfrom db.engine import make_engine\nfrom db.migrate import prepare_schema\n"
        f"prepare_schema(make_engine({url!r}))\n"
        "print(sorted(m for m in ('alembic', 'mako', 'pygments') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).resolve().parents[2])  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "[]"
