"""db/errors.py: the driver's error code (never its text) picks the coded error.

The real faults (a lock held, a full disk, corrupt files, a read-only folder, a dropped connection)
are produced in tests/ops/test_sale_not_recorded.py and tests/test_broken_databases.py; here each row
of the table is checked with the driver's own exception classes, wrapped as SQLAlchemy wraps them."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import exc
from sqlalchemy.engine import make_url

from db.errors import translate_db_error

psycopg = pytest.importorskip("psycopg")
from psycopg import errors as pg  # noqa: E402 — after the skip when psycopg is absent


def _sqlite(code: int, text: str = "whatever the library says") -> exc.DBAPIError:
    orig = sqlite3.OperationalError(text)
    orig.sqlite_errorcode = code  # type: ignore[attr-defined]  # what the C module sets
    return exc.OperationalError("SELECT 1", {}, orig)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (5, "DB_BUSY"),  # SQLITE_BUSY
        (5 | (2 << 8), "DB_BUSY"),  # SQLITE_BUSY_SNAPSHOT: the low byte is what counts
        (6, "DB_BUSY"),  # SQLITE_LOCKED
        (13, "DISK_FULL"),  # SQLITE_FULL
        (10 | (19 << 8), "DISK_FULL"),  # SQLITE_IOERR_SHMSIZE: the WAL index cannot grow
        (10 | (3 << 8), "DB_IO_ERROR"),  # SQLITE_IOERR_WRITE
        (8, "DB_READ_ONLY"),  # SQLITE_READONLY
        (8 | (3 << 8), "DB_READ_ONLY"),  # SQLITE_READONLY_ROLLBACK
        (11, "DB_CORRUPT"),  # SQLITE_CORRUPT
        (26, "DB_CORRUPT"),  # SQLITE_NOTADB
    ],
)
def test_sqlite_result_codes(code: int, expected: str) -> None:
    coded = translate_db_error(_sqlite(code), path="/data/counter.db")
    assert coded is not None and coded.code == expected
    assert "/data/counter.db" in coded.message


def test_sqlite_cantopen_is_not_found_for_a_missing_file_else_read_only(tmp_path) -> None:
    missing = translate_db_error(_sqlite(14), path=str(tmp_path / "none.db"))
    assert missing is not None and missing.code == "DB_NOT_FOUND"
    (tmp_path / "there.db").touch()
    there = translate_db_error(_sqlite(14), path=str(tmp_path / "there.db"))
    assert there is not None and there.code == "DB_READ_ONLY"


def test_the_message_text_never_decides() -> None:
    assert translate_db_error(_sqlite(19, "database disk image is malformed")) is None  # CONSTRAINT
    busy_text = sqlite3.OperationalError("database is locked")  # no code: not ours to guess
    assert translate_db_error(busy_text) is None


URL = make_url("postgresql+psycopg://counter:secret@db.example:5432/counter")


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (pg.LockNotAvailable, "DB_BUSY"),
        (pg.QueryCanceled, "DB_BUSY"),
        (pg.SerializationFailure, "DB_BUSY"),
        (pg.DeadlockDetected, "DB_BUSY"),
        (pg.DiskFull, "DISK_FULL"),
        (pg.ReadOnlySqlTransaction, "DB_READ_ONLY"),
        (pg.DataCorrupted, "DB_CORRUPT"),
        (pg.IndexCorrupted, "DB_CORRUPT"),
        (pg.AdminShutdown, "DB_UNREACHABLE"),
        (pg.ConnectionFailure, "DB_UNREACHABLE"),
        (psycopg.OperationalError, "DB_UNREACHABLE"),  # no SQLSTATE: the connection never came up
        (psycopg.InterfaceError, "DB_UNREACHABLE"),  # the connection is closed
    ],
)
def test_postgresql_sqlstates(error: type[Exception], expected: str) -> None:
    coded = translate_db_error(exc.OperationalError("SELECT 1", {}, error("text")), url=URL)
    assert coded is not None and coded.code == expected
    assert "secret" not in coded.message


@pytest.mark.parametrize("error", [pg.UniqueViolation, pg.ForeignKeyViolation, psycopg.ProgrammingError])
def test_postgresql_errors_that_are_bugs_stay_bugs(error: type[Exception]) -> None:
    assert translate_db_error(exc.DBAPIError("SELECT 1", {}, error("text")), url=URL) is None


def test_an_invalidated_connection_is_unreachable() -> None:
    wrapped = exc.OperationalError("SELECT 1", {}, pg.UniqueViolation("x"), connection_invalidated=True)
    coded = translate_db_error(wrapped, url=URL)
    assert coded is not None and coded.code == "DB_UNREACHABLE"
