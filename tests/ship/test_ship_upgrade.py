"""Upgrades: every kept schema fixture opens as a counter (backed up first when older), and a
migration that fails after partial work is undone from the automatic backup, saying so."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command

from base.errors import SchemaOlder
from db import migrate
from db.engine import make_engine, sqlite_url_for
from db.migrate import alembic_config, check_schema, current_revisions, head_revision, prepare_schema

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "schemas"


def old_database(tmp_path: Path) -> tuple[Path, object]:
    """A database at the first revision with a row in it (what a counter in the field has)."""
    path = tmp_path / "counter.db"
    engine = make_engine(sqlite_url_for(path), create=True)
    with engine.connect() as conn, conn.begin():
        command.upgrade(alembic_config(conn), "0001")
        conn.exec_driver_sql("INSERT INTO campuses (code, name) VALUES ('main', '主校区')")
    return path, engine


def test_a_failed_upgrade_is_restored_from_its_backup_and_says_so(tmp_path, monkeypatch):
    path, engine = old_database(tmp_path)

    def half_done_then_fails(engine):
        # Work done outside the migration's transaction (a step that commits on its own), then a crash.
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE half_migrated (x INTEGER)")
        conn.execute("UPDATE alembic_version SET version_num = 'half'")
        conn.execute("DELETE FROM campuses")
        conn.commit()
        conn.close()
        raise RuntimeError("step 3 of 5 failed")

    monkeypatch.setattr(migrate, "upgrade_to_head", half_done_then_fails)
    with pytest.raises(SchemaOlder) as raised:
        prepare_schema(engine, backup_dir=tmp_path / "backups")
    backup = Path(raised.value.data["restored_from"])
    assert backup.is_file() and "before-upgrade" in backup.name
    assert "restored" in raised.value.message_en and "step 3 of 5 failed" in raised.value.message_en
    assert current_revisions(engine) == ("0001",)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT name FROM campuses").fetchall() == [("主校区",)]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "half_migrated" not in tables
    monkeypatch.undo()  # the next start, with the fixed program, upgrades it
    prepare_schema(engine, backup_dir=tmp_path / "backups")
    check_schema(engine)
    engine.dispose()


def test_an_old_database_is_backed_up_then_upgraded_keeping_its_rows(tmp_path):
    path, engine = old_database(tmp_path)
    backup = prepare_schema(engine, backup_dir=tmp_path / "backups")
    assert backup is not None and backup.is_file()
    assert current_revisions(engine) == (head_revision(),)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT name FROM campuses").fetchall() == [("主校区",)]
    engine.dispose()


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("*.sql")), ids=lambda p: p.stem)
def test_each_kept_schema_opens_at_head(tmp_path, fixture):
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as conn:
        conn.executescript(fixture.read_text(encoding="utf-8"))
    engine = make_engine(sqlite_url_for(path))
    prepare_schema(engine, backup_dir=tmp_path / "backups")
    check_schema(engine)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    engine.dispose()
