"""One short transaction per user action.

    with unit_of_work(engine) as s:
        account = accounts.account_by_no(s, "A0001")
        ...                       # commit on leaving the block, rollback on an exception

The transaction rule (docs/architecture.md): collect approvals and answers first, then commit the
card-write intent in one unit of work, then talk to the card reader or printer with NO transaction
open, then record the result in a new unit of work. Never hold a unit of work across a prompt or
device I/O: on SQLite every write transaction holds the database's single write lock (BEGIN
IMMEDIATE), on PostgreSQL the rows it touched stay locked, so a supervisor who takes a minute to
walk over would stop every other counter for that minute.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, exc
from sqlalchemy.orm import Session

from db.engine import READ_ONLY_OPTION, look_up_engine, sqlite_file_of
from db.errors import translate_db_error


@contextmanager
def unit_of_work(engine: Engine, *, read_only: bool = False) -> Iterator[Session]:
    """A Session in one transaction: committed when the block ends, rolled back on any exception.

    `read_only=True` starts a DEFERRED transaction on SQLite (no write lock) and rolls back at the
    end; use it for look-ups and reports. Objects stay usable after the block
    (`expire_on_commit=False`) but are detached: copy what you need into frozen dataclasses.
    A driver error is raised as its coded error (db/errors.py: a PostgreSQL connection lost mid-way
    is `DbUnreachable`, a lock held too long `DB_BUSY`, a full disk `DISK_FULL`, …), so every door
    gets the code; any other error goes through as it is.
    """
    with _session(engine, read_only_engine(engine) if read_only else engine, commit=not read_only) as session:
        yield session


@contextmanager
def look_up(engine: Engine) -> Iterator[Session]:
    """A short read (a few SELECTs, no streaming): `unit_of_work(engine, read_only=True)`, except on
    a PostgreSQL server at READ COMMITTED, where it runs with no transaction at all — each
    statement its own snapshot, as READ COMMITTED gives within a transaction anyway — and saves
    the BEGIN and ROLLBACK round trips (db/engine.py "look-ups"). Only SELECTs may run in it."""
    with _session(engine, look_up_engine(engine) or read_only_engine(engine), commit=False) as session:
        yield session


@contextmanager
def _session(engine: Engine, bind: Engine, *, commit: bool) -> Iterator[Session]:
    session = Session(bind=bind, expire_on_commit=False, autoflush=True)
    try:
        yield session
        if commit:
            session.commit()
        else:
            session.rollback()
    except exc.DBAPIError as error:
        _roll_back_quietly(session)
        coded = translate_db_error(error, url=engine.url, path=sqlite_file_of(engine))
        if coded is None:
            raise
        raise coded from error
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def read_only_engine(engine: Engine) -> Engine:
    """`engine` with the read-only option, made once per engine and kept on it: building it took
    ~0.1 ms of every read-only transaction (a facade look-up). It holds no data, only the option:
    its pool and event listeners are the engine's own (SQLAlchemy's OptionEngine proxies them), so
    a disposed or re-pooled engine is seen through it."""
    cached: Engine | None = engine.__dict__.get(_READ_ONLY_ENGINE)
    if cached is None:
        cached = engine.execution_options(**{READ_ONLY_OPTION: True})
        engine.__dict__[_READ_ONLY_ENGINE] = cached
    return cached


_READ_ONLY_ENGINE = "_counter_read_only_engine"


def _roll_back_quietly(session: Session) -> None:
    """Roll back after a driver error; on a lost connection or a full disk the rollback itself may
    fail, and the error the person must read is the first one."""
    try:
        session.rollback()
    except exc.DBAPIError:
        pass
