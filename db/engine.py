"""Engines for the counter's database: one local SQLite file, or a PostgreSQL server.

SQLite is set up for a till, not for a web app (shared notes/reliability.md §4):
- `journal_mode=WAL` (readers never block the writer), `synchronous=FULL` (a commit the cashier saw
  survives a power cut; NORMAL may lose it), `foreign_keys=ON` (off by default in SQLite), a busy
  timeout so a second connection waits for the writer instead of failing at once;
- every transaction starts with `BEGIN IMMEDIATE`: pysqlite would otherwise start a DEFERRED
  transaction that takes the write lock only at its first write, and two such transactions that both
  read then write deadlock (SQLITE_BUSY on the lock upgrade, which busy_timeout cannot wait out).
  This is SQLAlchemy's "Serializable isolation / Savepoints / Transactional DDL" recipe for pysqlite;
- the pragmas are read back when the engine is made and the database is refused if one is not in
  force (e.g. a file system that cannot do WAL);
- a file on a network share is refused: SQLite's locking is unreliable there
  (sqlite.org/useovernet.html); several counters share a PostgreSQL server instead.

PostgreSQL goes through psycopg 3 (`postgresql+psycopg://`). A server that does not answer is
`DbUnreachable`; a server running with `fsync` or `synchronous_commit` off is refused.

A SQLite file is created only when asked (`make_engine(url, create=True)`: `counter-admin init`, the
demo, tests); otherwise a missing file is `DB_NOT_FOUND` naming the path, and every connection opens
the file with `mode=rw`, so SQLite itself refuses to create it if it vanishes later. A broken file
(corrupt, read-only, on a full disk) is the coded error of db/errors.py, not a traceback.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path, PurePosixPath
from typing import Any

import platformdirs
from sqlalchemy import Engine, create_engine, event, exc, make_url
from sqlalchemy.engine import URL, Connection
from sqlalchemy.pool import ConnectionPoolEntry

from base.errors import InputInvalid
from db.errors import db_not_found, db_unreachable, translate_db_error, translated_db_errors

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 10_000
PG_CONNECT_TIMEOUT_S = 5
DB_FILE_NAME = "counter.db"

# Execution option that lets a read-only unit of work start DEFERRED (it takes no write lock, so
# a report does not hold up a sale at the next counter).
READ_ONLY_OPTION = "counter_read_only"

# File systems on which SQLite's locks or fsync cannot be trusted (Linux /proc/mounts names).
NETWORK_FS_TYPES = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb",
        "smb3",
        "smbfs",
        "ncpfs",
        "afs",
        "9p",
        "ceph",
        "glusterfs",
        "fuse.sshfs",
        "fuse.glusterfs",
        "fuse.cephfs",
        "davfs",
        "fuse.davfs2",
        "lustre",
        "gpfs",
        "ocfs2",
    }
)


def default_db_url(environ: Mapping[str, str] | None = None) -> str:
    """`COUNTER_DB_URL`, else one SQLite file per workstation whatever OS user runs the app
    (ProgramData on Windows, /usr/local/share or /usr/share on Linux)."""
    env = os.environ if environ is None else environ
    if env.get("COUNTER_DB_URL"):
        return env["COUNTER_DB_URL"]
    folder = Path(platformdirs.site_data_dir("counter", appauthor=False))
    return sqlite_url_for(folder / DB_FILE_NAME)


def sqlite_url_for(path: Path | str) -> str:
    return URL.create("sqlite", database=str(Path(path).absolute())).render_as_string()


def make_engine(
    url: str | URL | None = None, *, create: bool = False, mounts_text: str | None = None
) -> Engine:
    """An engine for `url` (None = `default_db_url()`), checked before it is returned.

    `create=True` lets a SQLite file (and its folder) be created: only `init`, `backup restore`, the demo and tests
    ask for that. `mounts_text` replaces /proc/mounts (tests). Raises `DB_NOT_FOUND` for a missing
    SQLite file (without `create`), `InputInvalid` for one on a network share or without its pragmas
    in force, the codes of db/errors.py for a broken one, `DbUnreachable` for a PostgreSQL server
    that does not answer.
    """
    url = make_url(url if url is not None else default_db_url())
    backend = url.get_backend_name()
    if backend == "sqlite":
        return _make_sqlite_engine(url, mounts_text, create=create)
    if backend == "postgresql":
        return _make_pg_engine(url)
    raise InputInvalid(
        f"不支持的数据库：{backend}", detail_en=f"unsupported database: {backend}", field="db_url"
    )


# --- SQLite ----------------------------------------------------------------------------------------


def _make_sqlite_engine(url: URL, mounts_text: str | None, *, create: bool) -> Engine:
    path = sqlite_file_path(url)
    if path is not None:
        refuse_network_path(path, mounts_text=mounts_text)
        if create:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        elif not Path(path).is_file():
            raise db_not_found(path)
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
    if path is not None and not create:
        event.listen(engine, "do_connect", _sqlite_open_existing(path))
    event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "begin", _sqlite_on_begin)
    engine.dialect.do_begin = _sqlite_do_begin  # type: ignore[method-assign,assignment]
    try:
        with translated_db_errors(path=path):
            verify_sqlite(engine, in_memory=path is None)
    except BaseException:
        engine.dispose()
        raise
    return engine


def _sqlite_open_existing(path: str) -> Callable[..., None]:
    """A `do_connect` hook that opens `path` as the URI `file:…?mode=rw`: SQLite then refuses to
    create the file (SQLITE_CANTOPEN → DB_NOT_FOUND) instead of making an empty database that the
    schema upgrade would fill. The URL, and so everything that reads the path from it, is unchanged."""
    uri = f"{Path(path).absolute().as_uri()}?mode=rw"

    def open_existing(
        _dialect: object, _record: ConnectionPoolEntry, cargs: list[object], cparams: dict[str, object]
    ) -> None:
        if cargs:
            cargs[0] = uri
        else:
            cparams["database"] = uri
        cparams["uri"] = True

    return open_existing


def sqlite_file_path(url: URL | str) -> str | None:
    """The file behind a SQLite URL, None for an in-memory database."""
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        return None
    return database


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def is_postgresql(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"


def sqlite_file_of(engine: Engine) -> str | None:
    """The SQLite file of the engine; None for an in-memory database and on PostgreSQL (where
    `sqlite_file_path` would read the URL's database part: the database NAME)."""
    return sqlite_file_path(engine.url) if is_sqlite(engine) else None


PRIVATE_MODE = 0o600


def make_private(path: str | Path) -> None:
    """Readable and writable by the owner only (POSIX; on Windows the installer sets the data
    folder's ACL): the database, its -wal/-shm, backups and safety copies hold every account, the
    ledger and the password hashes (issue 12 §2). A missing file is left alone."""
    if os.name != "posix":
        return
    try:
        os.chmod(path, PRIVATE_MODE)
    except FileNotFoundError:
        pass
    except OSError as exc:  # a read-only folder or another owner's file: the open says what is wrong
        log.info("could not make %s owner-only: %s", path, exc)


def _private_sqlite_files(dbapi_connection: sqlite3.Connection) -> None:
    """Before WAL mode is set: SQLite gives the -wal and -shm files the database file's mode."""
    row = dbapi_connection.execute("PRAGMA database_list").fetchone()
    path = row[2] if row else ""
    if path:
        for name in (path, path + "-wal", path + "-shm"):
            make_private(name)


def _sqlite_on_connect(dbapi_connection: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
    # pysqlite must not BEGIN on its own: the "begin" event below does it (the SQLAlchemy recipe).
    dbapi_connection.isolation_level = None
    _private_sqlite_files(dbapi_connection)
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        if sys.platform == "darwin":
            # macOS fsync does not flush the drive cache (reliability.md §4).
            cursor.execute("PRAGMA fullfsync = ON")
    finally:
        cursor.close()


_BEGIN_SQL = "counter.begin_sql"


def _sqlite_on_begin(connection: Connection) -> None:
    """Choose the BEGIN (the SQLAlchemy recipe for pysqlite); `_sqlite_do_begin` issues it."""
    read_only = connection.get_execution_options().get(READ_ONLY_OPTION)
    connection.connection.info[_BEGIN_SQL] = "BEGIN DEFERRED" if read_only else "BEGIN IMMEDIATE"


def _sqlite_do_begin(pooled: Any) -> None:
    """The dialect's BEGIN, on the driver's connection: it used to go through `exec_driver_sql`, a
    whole SQLAlchemy execution (~0.1 ms of every transaction, a third of a facade look-up). Errors
    (a lock held too long) are still wrapped by SQLAlchemy: `do_begin` runs inside its handler."""
    pooled.driver_connection.execute(pooled.info.pop(_BEGIN_SQL, "BEGIN IMMEDIATE"))


def verify_sqlite(engine: Engine, *, in_memory: bool = False) -> None:
    """Read the pragmas back; refuse the database when one is not in force."""
    with engine.connect() as conn:
        journal = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
        synchronous = conn.exec_driver_sql("PRAGMA synchronous").scalar()
        foreign_keys = conn.exec_driver_sql("PRAGMA foreign_keys").scalar()
    expected_journal = "memory" if in_memory else "wal"
    problems = []
    if str(journal).lower() != expected_journal:
        problems.append(f"journal_mode={journal}")
    if synchronous != 2:
        problems.append(f"synchronous={synchronous}")
    if foreign_keys != 1:
        problems.append(f"foreign_keys={foreign_keys}")
    if problems:
        engine.dispose()
        text = ", ".join(problems)
        raise InputInvalid(
            f"数据库文件不能安全使用（{text}），请放在本机磁盘上",
            detail_en=f"the database file cannot be used safely ({text}); keep it on a local disk",
            field="db_url",
        )


# --- network shares --------------------------------------------------------------------------------


def refuse_network_path(path: str, *, mounts_text: str | None = None) -> None:
    """Raise `InputInvalid` when `path` is on a network share."""
    if is_network_path(path, mounts_text=mounts_text):
        raise InputInvalid(
            f"数据库文件不能放在网络共享上：{path}。多个窗口共用请使用 PostgreSQL 服务器",
            detail_en=f"the database file must not be on a network share: {path}; "
            "several counters share a PostgreSQL server instead",
            field="db_url",
        )


def is_network_path(path: str, *, mounts_text: str | None = None) -> bool:
    """True for a UNC path (\\\\server\\share, //server/share), a Windows network drive, or a
    path on a network file system listed in /proc/mounts."""
    if path.startswith(("\\\\", "//")):
        return True
    if sys.platform == "win32":
        return _windows_drive_is_remote(path)
    if mounts_text is None:
        try:
            mounts_text = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return False
    return _mount_fs_type(os.path.abspath(path), mounts_text) in NETWORK_FS_TYPES


def _mount_fs_type(path: str, mounts_text: str) -> str | None:
    """File system type of the longest mount point containing `path`."""
    best, best_type = "", None
    target = PurePosixPath(path)
    for line in mounts_text.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        # /proc/mounts escapes spaces as \040.
        mount_point = fields[1].replace("\\040", " ")
        if (target == PurePosixPath(mount_point) or PurePosixPath(mount_point) in target.parents) and len(
            mount_point
        ) >= len(best):
            best, best_type = mount_point, fields[2]
    return best_type


def _windows_drive_is_remote(path: str) -> bool:  # pragma: no cover - Windows only
    import ctypes

    if sys.platform != "win32":  # ctypes.windll exists there only (is_network_path checks first)
        raise RuntimeError("Windows only")
    drive = os.path.splitdrive(os.path.abspath(path))[0]
    if not drive:
        return False
    drive_remote = 4
    drive_type: int = ctypes.windll.kernel32.GetDriveTypeW(drive + "\\")
    return drive_type == drive_remote


# --- PostgreSQL ------------------------------------------------------------------------------------


def _make_pg_engine(url: URL) -> Engine:
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    engine = create_engine(url, connect_args=_pg_connect_args(url))
    _ping_when_idle(engine)
    verify_postgresql(engine)
    return engine


def _pg_connect_args(url: URL) -> dict[str, Any]:
    """psycopg prepares a statement on the server once a connection has sent it five times, which
    saves its parsing; but PostgreSQL then plans a prepared statement once for any parameters (a
    "generic plan") after five executions, from the statistics of that moment, and keeps it. On a
    new database (or after a busy hour) those statistics say a table is nearly empty, and the print
    queue's "jobs after the cursor without a printed event" kept a nested loop over every event for
    every job: a sale's print read grew from 0.1 ms to 50 ms in 20 s of selling (issue 16, found
    when the look-ups below let prepared statements live). `force_custom_plan` plans each execution
    with its own values and today's statistics, and keeps the saved parse."""
    options = " ".join(
        filter(None, [str(url.query.get("options", "")), "-c plan_cache_mode=force_custom_plan"])
    )
    return {"connect_timeout": PG_CONNECT_TIMEOUT_S, "options": options}


# A pooled connection is pinged before use only when it has sat idle this long. SQLAlchemy's
# `pool_pre_ping` pings at every checkout: a round trip before each of a sale's six transactions,
# ~5% of a PostgreSQL sale (issue 16), while the connection it tests was handed back milliseconds
# earlier. What the ping is for — a server restarted or a network that dropped the connection while
# the counter stood idle, found before the cashier's next action fails on it — happens between
# customers, which are always further apart than this. A connection dropped within a sale's
# milliseconds fails its statement as DB_UNREACHABLE, as one dropped mid-transaction always did,
# and SQLAlchemy then renews every older connection of the pool.
IDLE_BEFORE_PING_S = 2.0
_IDLE_SINCE = "counter_idle_since"


def _ping_when_idle(engine: Engine) -> None:
    dialect = engine.dialect

    @event.listens_for(engine, "checkin")
    def handed_back(dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        record.info[_IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def taken(dbapi_connection: Any, record: ConnectionPoolEntry, proxy: Any) -> None:
        since = record.info.pop(_IDLE_SINCE, None)  # none on a new connection: nothing to test
        if since is None or time.monotonic() - since < IDLE_BEFORE_PING_S:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            if not dialect.is_disconnect(error, dbapi_connection, None):
                raise
            # As pool_pre_ping does: this connection and every older one are renewed, and the
            # pool retries the checkout on a new connection.
            raise exc.InvalidatePoolError() from error


def verify_postgresql(engine: Engine) -> None:
    """Connect once; refuse a server that would lose acknowledged commits."""
    try:
        with engine.connect() as conn:
            fsync = conn.exec_driver_sql("SHOW fsync").scalar()
            sync_commit = conn.exec_driver_sql("SHOW synchronous_commit").scalar()
            isolation = conn.exec_driver_sql("SHOW default_transaction_isolation").scalar()
    except exc.DBAPIError as error:
        engine.dispose()
        # Whatever the server said at the first connection, the counter cannot work with it.
        raise (translate_db_error(error, url=engine.url) or db_unreachable(engine.url, error)) from error
    if fsync != "on" or sync_commit == "off":
        engine.dispose()
        raise InputInvalid(
            f"数据库服务器未开启持久写入（fsync={fsync}, synchronous_commit={sync_commit}）",
            detail_en=f"the database server does not make commits durable (fsync={fsync}, "
            f"synchronous_commit={sync_commit})",
            field="db_url",
        )
    if isolation == "read committed":
        _allow_look_ups(engine)


# --- look-ups without a transaction (PostgreSQL) -------------------------------------------------
# A short read of a few rows (a sale's pre-check, the checks of a card read, the print queue's
# waiting jobs) in a transaction costs PostgreSQL two round trips of its own, BEGIN and ROLLBACK,
# and buys nothing under READ COMMITTED: there every statement takes its own snapshot, in a
# transaction or not. So on a server whose default isolation is READ COMMITTED (checked when the
# engine is made) a look-up runs on a connection in autocommit. Anything but a SELECT on it is
# refused: in autocommit a write would stand at once instead of being rolled back. Streaming reads
# (`yield_per`) need a transaction on PostgreSQL and stay in `unit_of_work(read_only=True)`.

LOOK_UP_OPTION = "counter_look_up"
_LOOK_UP_ENGINE = "_counter_look_up_engine"


def _allow_look_ups(engine: Engine) -> None:
    engine.__dict__[_LOOK_UP_ENGINE] = engine.execution_options(
        isolation_level="AUTOCOMMIT", **{READ_ONLY_OPTION: True, LOOK_UP_OPTION: True}
    )
    event.listen(engine, "before_cursor_execute", _refuse_writes_in_look_ups)


def look_up_engine(engine: Engine) -> Engine | None:
    """The autocommit engine for look-ups, or None where look-ups run in a read-only transaction
    (SQLite, where a read transaction is one snapshot and costs no round trip; PostgreSQL at another
    default isolation)."""
    found: Engine | None = engine.__dict__.get(_LOOK_UP_ENGINE)
    return found


def _refuse_writes_in_look_ups(conn: Connection, cursor: Any, statement: str, *args: Any) -> None:
    """A look-up may only read: a write would stand at once, and a row lock (FOR UPDATE) would be
    let go the moment it was taken, protecting nothing."""
    if not conn.get_execution_options().get(LOOK_UP_OPTION):
        return
    if statement.lstrip()[:6].upper() != "SELECT" or "FOR UPDATE" in statement.upper():
        raise RuntimeError(f"a look-up runs no transaction and may only read: {statement[:60]!r}")
