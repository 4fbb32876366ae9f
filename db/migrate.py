"""Schema migrations (Alembic, configured in code so a frozen PyInstaller build needs no ini file).

- `upgrade_to_head(engine)`: bring a database to this program's schema.
- `check_schema(engine)`: ok, or `SchemaNewer` (the database has a revision this program does not
  know: a newer program migrated it) or `SchemaOlder` (empty or not yet upgraded).
- `prepare_schema(engine)` at start: on SQLite, back the file up with the online backup API and
  upgrade when older (a failed upgrade puts the backup back and raises SchemaOlder naming it); on PostgreSQL only `counter-admin db upgrade` migrates (several counters share
  the server, one of them must not change it under the others), so a mismatch is refused.
"""

from __future__ import annotations

import ast
import logging
import os
import re
import sqlite3
import sys
from datetime import UTC
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import JSON, Connection, Engine, inspect
from sqlalchemy.pool import PoolProxiedConnection

import db.models  # noqa: F401  (registers every table for schema_differences)
from base.clock import system_clock
from base.errors import SchemaNewer, SchemaOlder
from db.base import Base, UtcDateTime
from db.engine import PRIVATE_MODE, make_private, sqlite_file_path

if TYPE_CHECKING:
    from alembic.autogenerate.api import AutogenContext
    from alembic.config import Config
    from alembic.script import ScriptDirectory

log = logging.getLogger(__name__)

# Alembic (with Mako and Pygments under it) is imported inside the functions that use it: it is
# about a third of the workstation's import time, and the login window is shown before the schema
# check runs (issue 16; tests/test_startup_imports.py keeps it out of the start path).


def migrations_dir() -> Path:
    """db/migrations, beside this file; inside a frozen build under sys._MEIPASS."""
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:
        return Path(bundle) / "db" / "migrations"
    return Path(__file__).resolve().parent / "migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config  # deferred: see the note at the top

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory  # deferred: see the note at the top

    return ScriptDirectory.from_config(alembic_config()).get_current_head() or ""


def current_revisions(engine: Engine) -> tuple[str, ...]:
    from alembic.runtime.migration import MigrationContext  # deferred: see the note at the top

    with engine.connect() as conn:
        return tuple(MigrationContext.configure(conn).get_current_heads())


def upgrade_to_head(engine: Engine) -> None:
    """Run every pending migration in one transaction."""
    from alembic import command  # deferred: see the note at the top

    with engine.connect() as conn:
        sqlite = engine.dialect.name == "sqlite"
        if sqlite:
            # Batch mode recreates tables; with foreign keys on, dropping the old table would
            # cascade or fail. SQLite's own procedure: keys off outside the transaction, then
            # foreign_key_check before commit (sqlite.org/lang_altertable.html, 12 steps).
            _sqlite_foreign_keys(conn, on=False)
        try:
            with conn.begin():
                command.upgrade(alembic_config(conn), "head")
                if sqlite:
                    _refuse_broken_foreign_keys(conn)
        finally:
            if sqlite:
                _sqlite_foreign_keys(conn, on=True)


def _sqlite_foreign_keys(conn: Connection, *, on: bool) -> None:
    # Through the DBAPI connection: a statement through SQLAlchemy would open a transaction
    # first, and inside one this pragma does nothing.
    _pysqlite(conn.connection).execute(f"PRAGMA foreign_keys = {'ON' if on else 'OFF'}")


def _refuse_broken_foreign_keys(conn: Connection) -> None:
    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"migration left broken foreign keys: {broken[:5]}")


def declared_heads() -> set[str] | None:
    """The head revisions of db/migrations/versions read from the scripts' `revision` and
    `down_revision` lines (no import, no Alembic); None when a script does not say them
    plainly (then only Alembic's own reading is trusted). tests/db/test_db_migrate.py checks that
    this equals Alembic's `get_heads()`."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in sorted((migrations_dir() / "versions").glob("*.py")):
        if script.name == "__init__.py":
            continue
        try:
            values = _assigned(script)
        except (OSError, SyntaxError, ValueError):
            return None
        revision, down = values.get("revision"), values.get("down_revision")
        if not isinstance(revision, str) or values.get("depends_on") or values.get("branch_labels"):
            return None
        revisions.add(revision)
        if isinstance(down, str):
            parents.add(down)
        elif isinstance(down, tuple | list):
            parents.update(down)
        elif down is not None:
            return None
    heads = revisions - parents
    return heads or None


_ASSIGNMENT = re.compile(
    r"^(revision|down_revision|depends_on|branch_labels)\s*(?::[^=]*)?=\s*(.+?)\s*$", re.M
)


def _assigned(script: Path) -> dict[str, Any]:
    """The script's one-line top-level assignments of the names in `_ASSIGNMENT` (literals only);
    ValueError when one is given twice or is not a literal. Not `ast.parse` of the whole script:
    that took ~90 ms for the first revision alone."""
    values: dict[str, Any] = {}
    for name, value in _ASSIGNMENT.findall(script.read_text(encoding="utf-8")):
        if name in values:
            raise ValueError(f"{script.name}: {name} assigned twice")
        values[name] = ast.literal_eval(value.split("#")[0].strip())
    return values


def _stamped_revisions(engine: Engine) -> set[str] | None:
    """The revisions in `alembic_version` (Alembic's default table, db/migrations/env.py), or None
    when the table is not there."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return set(conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars())


def check_schema(engine: Engine) -> None:
    """Return when the database is at this program's head; raise SchemaNewer or SchemaOlder.

    The common case — a database at the head — is answered without importing Alembic (with Mako and
    Pygments about 0.1–0.2 s of every start, issue 16): the stamped revisions equal the heads the
    version scripts declare. Anything else (empty, older, newer, a script this reading cannot
    follow) goes through Alembic, whose answer and error messages are the ones below."""
    heads = declared_heads()
    if heads is not None and _stamped_revisions(engine) == heads:
        return
    from alembic.script import ScriptDirectory  # deferred: see the note at the top

    script = ScriptDirectory.from_config(alembic_config())
    current = current_revisions(engine)
    for revision in current:
        if not _known(script, revision):
            raise SchemaNewer(f"数据库版本 {revision}", detail_en=f"database revision {revision}")
    heads = set(script.get_heads())
    if set(current) != heads:
        have = ", ".join(current) or "空库"
        raise SchemaOlder(
            f"数据库版本 {have}，程序需要 {', '.join(sorted(heads))}；请运行 counter-admin db upgrade",
            detail_en=f"database at {', '.join(current) or 'empty'}, program needs "
            f"{', '.join(sorted(heads))}; run counter-admin db upgrade",
        )


def _known(script: ScriptDirectory, revision: str) -> bool:
    from alembic.util.exc import CommandError  # deferred: see the note at the top

    try:
        return script.get_revision(revision) is not None
    except CommandError:
        return False


def prepare_schema(engine: Engine, *, backup_dir: Path | None = None) -> Path | None:
    """At start: on SQLite, back up and upgrade an older database (returns the backup path, None if
    nothing was to do or the database was empty); elsewhere only `check_schema`."""
    if engine.dialect.name != "sqlite":
        check_schema(engine)
        return None
    try:
        check_schema(engine)
        return None
    except SchemaOlder:
        pass
    backup = None
    path = sqlite_file_path(engine.url)
    if current_revisions(engine) and path is not None:
        folder = backup_dir or Path(path).parent / "backups"
        stamp = system_clock().astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        backup = backup_sqlite(engine, folder / f"{Path(path).stem}-before-upgrade-{stamp}.db")
    try:
        upgrade_to_head(engine)
    except Exception as error:
        if backup is None:
            raise
        # The migration runs in one transaction, but a step may have done work outside it (or the
        # disk may have failed mid-way): put the copy taken above back, whole, and say so.
        restore_sqlite(engine, backup)
        log.exception("upgrade failed; database restored from %s", backup)
        raise SchemaOlder(
            f"数据库升级失败，已从升级前备份恢复（{backup}）：{error}",
            detail_en=f"the upgrade failed and the database was restored from {backup}: {error}",
            data={"restored_from": str(backup)},
        ) from error
    return backup


def restore_sqlite(engine: Engine, backup: Path) -> None:
    """Copy `backup` over the engine's database through the online backup API (page by page, under
    SQLite's own locks), then drop pooled connections that may hold pages of the old file."""
    engine.dispose()
    source = sqlite3.connect(f"file:{Path(backup).absolute()}?mode=ro", uri=True)
    raw = engine.raw_connection()
    try:
        source.backup(_pysqlite(raw))
    finally:
        raw.close()
        source.close()
    engine.dispose()


def backup_sqlite(engine: Engine, destination: Path) -> Path:
    """A consistent copy through SQLite's online backup API (a file copy taken mid-transaction
    can be corrupt: sqlite.org/howtocorrupt.html)."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(destination, os.O_WRONLY | os.O_CREAT, PRIVATE_MODE))  # 0600 from the start
    make_private(destination)
    raw = engine.raw_connection()
    try:
        target = sqlite3.connect(str(destination))
        try:
            _pysqlite(raw).backup(target)
        finally:
            target.close()
    finally:
        raw.close()
    log.info("database backed up to %s", destination)
    return destination


def schema_differences(engine: Engine) -> list[Any]:
    """What Alembic autogenerate would change: empty when models and the migrated schema agree."""
    from alembic.autogenerate import compare_metadata  # deferred: see the note at the top
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences: list[Any] = compare_metadata(context, Base.metadata)  # Alembic's diff tuples
        return differences


def _pysqlite(proxied: PoolProxiedConnection) -> sqlite3.Connection:
    """The sqlite3 connection under SQLAlchemy's pool proxy (the callers are SQLite-only paths)."""
    driver = proxied.driver_connection
    if not isinstance(driver, sqlite3.Connection):
        raise TypeError(f"not a SQLite connection: {driver!r}")
    return driver


def render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    """Render our column types as plain SQLAlchemy types in migration scripts, so a migration does
    not import model code that may change after it was written."""
    if type_ != "type":
        return False
    if isinstance(obj, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    if isinstance(obj, JSON) and "postgresql" in getattr(obj, "_variant_mapping", {}):
        # Alembic renders JSONB(astext_type=Text()) without the sa. prefix.
        return 'sa.JSON().with_variant(postgresql.JSONB(), "postgresql")'
    return False
