"""Files that hold the counter's data are created 0600 on POSIX (issue 12 §2): the database and
its -wal/-shm, backups, safety copies (key files: tests/security/test_keystore.py)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import text

from counter_app.backup_files import copy_sqlite
from db.engine import make_engine, sqlite_url_for
from db.migrate import backup_sqlite

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX modes; Windows: the installer's ACL")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_database_its_wal_and_shm_backups_and_safety_copies_are_owner_only(tmp_path):
    old = os.umask(0o022)  # the usual umask: files would be 0644
    try:
        db = tmp_path / "counter.db"
        engine = make_engine(sqlite_url_for(db), create=True)
        try:
            with engine.begin() as conn:
                conn.execute(text("CREATE TABLE t (x INTEGER)"))
                conn.execute(text("INSERT INTO t VALUES (1)"))
            with engine.connect() as conn:  # the -wal/-shm exist while a connection is open
                conn.execute(text("SELECT * FROM t")).all()
                for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
                    assert path.exists() and mode(path) == 0o600, path
            copy_sqlite(engine, tmp_path / "backup.db")
            backup_sqlite(engine, tmp_path / "safety" / "before-upgrade.db")
        finally:
            engine.dispose()
        assert mode(tmp_path / "backup.db") == 0o600
        assert mode(tmp_path / "safety" / "before-upgrade.db") == 0o600
    finally:
        os.umask(old)


def test_a_database_made_readable_by_others_is_made_private_again_at_open(tmp_path):
    db = tmp_path / "counter.db"
    make_engine(sqlite_url_for(db), create=True).dispose()
    os.chmod(db, 0o644)
    engine = make_engine(sqlite_url_for(db))
    engine.dispose()
    assert mode(db) == 0o600
