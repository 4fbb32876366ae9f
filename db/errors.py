"""The one place where a database driver's error becomes a coded error a person can read.

SQLite (sqlite3, `sqlite_errorcode`, Python 3.11+) and PostgreSQL (psycopg, `sqlstate`) each say
what went wrong with a number; that number, never the message text (STYLE.md), picks the code:

    driver error                                         code
    SQLITE_BUSY (5), SQLITE_LOCKED (6)                   DB_BUSY        another program holds the lock
    PG 55P03 lock_not_available, 57014 query_canceled,   DB_BUSY        (lock or statement timeout,
       40001 serialization, 40P01 deadlock                               retry)
    SQLITE_FULL (13), SQLITE_IOERR_SHMSIZE (4874:        DISK_FULL
       the WAL index cannot grow), PG 53100 disk_full
    any other SQLITE_IOERR (10)                          DB_IO_ERROR    a disk fault
    SQLITE_READONLY (8), PG 25006 read_only_sql_txn      DB_READ_ONLY   read-only file, folder or server
    SQLITE_CANTOPEN (14) on an existing file             DB_READ_ONLY   the file or its folder cannot
                                                                         be opened for writing
    SQLITE_CANTOPEN (14) on a missing file               DB_NOT_FOUND   (never created implicitly)
    SQLITE_CORRUPT (11), SQLITE_NOTADB (26),             DB_CORRUPT
       PG XX001 data_corrupted, XX002 index_corrupted
    PG: no SQLSTATE on a connection error (never         DB_UNREACHABLE
       connected, closed), class 08,
       57P01-57P03 shutdown, or an invalidated connection

Anything else (an integrity error, a bug in a statement) is not translated: it stays the bug it is
and ends as "internal error, see log N".

`translated_db_errors()` wraps a block (a unit of work, an engine being opened, a door) so that what
leaves it is the coded error, raised `from` the driver's error, which the log keeps.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import exc
from sqlalchemy.engine import URL

from base.errors import (
    DbBusy,
    DbCorrupt,
    DbIoError,
    DbNotFound,
    DbReadOnly,
    DbUnreachable,
    DiskFull,
    UserFacingError,
)

log = logging.getLogger(__name__)

# SQLite primary result codes (sqlite.org/rescode.html); the extended code's low byte.
SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY = 5, 6, 8
SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB = 10, 11, 13, 14, 26
SQLITE_IOERR_SHMSIZE = SQLITE_IOERR | (19 << 8)

_PG_BUSY = frozenset({"55P03", "57014", "40001", "40P01"})
_PG_CORRUPT = frozenset({"XX001", "XX002"})


def translate_db_error(
    error: BaseException, *, url: URL | None = None, path: str | None = None
) -> UserFacingError | None:
    """The coded error for a driver's error (SQLAlchemy-wrapped or raw), None when it is not a
    database condition a person can act on. `url` names a PostgreSQL server, `path` a SQLite file
    (both only for the message; the password never appears)."""
    if isinstance(error, UserFacingError):
        return error
    orig = error.orig if isinstance(error, exc.DBAPIError) else error
    if orig is None:
        return None
    if isinstance(orig, sqlite3.Error):
        return _sqlite(orig, path)
    sqlstate = _pg_sqlstate(orig)
    if sqlstate is _NOT_PG:
        return None
    invalidated = isinstance(error, exc.DBAPIError) and error.connection_invalidated
    if sqlstate is None and not (invalidated or _pg_connection_error(orig)):
        return None  # a client-side error (a bug in how a statement was called), not the server
    return _postgresql(sqlstate if isinstance(sqlstate, str) else None, invalidated, url)


@contextmanager
def translated_db_errors(*, url: URL | None = None, path: str | None = None) -> Iterator[None]:
    """Raise the coded error for a driver's error leaving the block; let anything else through."""
    try:
        yield
    except (exc.DBAPIError, sqlite3.Error) as error:
        coded = translate_db_error(error, url=url, path=path)
        if coded is None:
            raise
        log.info("database error %s: %s", coded.code, error)
        raise coded from error


def db_unreachable(url: URL, error: BaseException | None = None) -> UserFacingError:
    """A `DbUnreachable` naming the server (never the password)."""
    where = f"{url.host or 'localhost'}:{url.port or 5432}/{url.database or ''}"
    if error is not None:
        log.warning("database %s unreachable: %s", where, error)
    return DbUnreachable(
        f"{where}，请检查网络和数据库服务器",
        detail_en=f"{where}; check the network and the database server",
    )


def db_not_found(path: str) -> UserFacingError:
    return DbNotFound(path, detail_en=path, data={"path": path})


# --- SQLite ----------------------------------------------------------------------------------------


def _sqlite(orig: sqlite3.Error, path: str | None) -> UserFacingError | None:
    code = getattr(orig, "sqlite_errorcode", None)
    if not isinstance(code, int):
        return None
    primary = code & 0xFF
    where = path or ""
    facts = {"sqlite_errorcode": code, **({"path": path} if path else {})}
    if primary in (SQLITE_BUSY, SQLITE_LOCKED):
        return DbBusy(where or None, detail_en=where or None, data=facts)
    if primary == SQLITE_FULL or code == SQLITE_IOERR_SHMSIZE:
        return DiskFull(where or None, detail_en=where or None, data=facts)
    if primary == SQLITE_IOERR:
        return DbIoError(where or None, detail_en=where or None, data=facts)
    if primary == SQLITE_READONLY:
        return DbReadOnly(where or None, detail_en=where or None, data=facts)
    if primary in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return DbCorrupt(where or None, detail_en=where or None, data=facts)
    if primary == SQLITE_CANTOPEN:
        if path and not os.path.exists(path):
            return db_not_found(path)
        return DbReadOnly(where or None, detail_en=where or None, data=facts)
    return None


# --- PostgreSQL ------------------------------------------------------------------------------------

_NOT_PG = object()


def _pg_sqlstate(orig: BaseException) -> object:
    """The SQLSTATE of a psycopg error (None when the server sent none), `_NOT_PG` for anything
    that is not a psycopg error. psycopg is imported only to recognise its errors: the SQLite-only
    installation may run without it."""
    try:
        import psycopg  # the optional driver (pyproject's [pg] extra), not a cycle
    except ImportError:  # pragma: no cover - psycopg is installed with the counter
        return _NOT_PG
    if not isinstance(orig, psycopg.Error):
        return _NOT_PG
    return orig.sqlstate


def _pg_connection_error(orig: BaseException) -> bool:
    """psycopg's errors for a connection that failed or went away (they carry no SQLSTATE)."""
    import psycopg  # the optional driver; _pg_sqlstate has already found it importable

    return isinstance(orig, (psycopg.OperationalError, psycopg.InterfaceError))


def _postgresql(sqlstate: str | None, invalidated: bool, url: URL | None) -> UserFacingError | None:
    where = _where(url)
    if invalidated or sqlstate is None or sqlstate.startswith(("08", "57P0")):
        return db_unreachable(url) if url is not None else DbUnreachable()
    facts = {"sqlstate": sqlstate}
    if sqlstate in _PG_BUSY:
        return DbBusy(where, detail_en=where, data=facts)
    if sqlstate == "53100":
        return DiskFull(where, detail_en=where, data=facts)
    if sqlstate == "25006":
        return DbReadOnly(where, detail_en=where, data=facts)
    if sqlstate in _PG_CORRUPT:
        return DbCorrupt(where, detail_en=where, data=facts)
    return None


def _where(url: URL | None) -> str | None:
    if url is None:
        return None
    return f"{url.host or 'localhost'}:{url.port or 5432}/{url.database or ''}"
