"""Keep the schema of a release as a test fixture: tests/fixtures/schemas/<version>.sql.

    .venv/bin/python scripts/make_schema_fixture.py 0.1.0          # at each release
    .venv/bin/python scripts/make_schema_fixture.py 0.1.0-dev      # the current head, refreshed freely

A fresh SQLite database is migrated to head and dumped as SQL text (sqlite3 iterdump): readable in
review, diffable, and loaded by tests/db/test_db_migrate.py, which upgrades every fixture present.
Never edit or delete a released fixture: it stands for databases that exist in the field.
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from db.engine import make_engine, sqlite_url_for  # noqa: E402
from db.migrate import upgrade_to_head  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "schemas"


def make_fixture(version: str) -> Path:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fixture.db"
        engine = make_engine(sqlite_url_for(path), create=True)
        upgrade_to_head(engine)
        engine.dispose()
        conn = sqlite3.connect(path)
        dump = "\n".join(conn.iterdump()) + "\n"
        conn.close()
    FIXTURES.mkdir(parents=True, exist_ok=True)
    target = FIXTURES / f"{version}.sql"
    target.write_text(dump, encoding="utf-8")
    return target


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    print(make_fixture(sys.argv[1]))  # noqa: T201
