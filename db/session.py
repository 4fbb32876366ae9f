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

from db.engine import READ_ONLY_OPTION, db_unreachable


@contextmanager
def unit_of_work(engine: Engine, *, read_only: bool = False) -> Iterator[Session]:
    """A Session in one transaction: committed when the block ends, rolled back on any exception.

    `read_only=True` starts a DEFERRED transaction on SQLite (no write lock) and rolls back at the
    end; use it for look-ups and reports. Objects stay usable after the block
    (`expire_on_commit=False`) but are detached: copy what you need into frozen dataclasses.
    A PostgreSQL connection lost mid-way is raised as `DbUnreachable`.
    """
    bind = engine.execution_options(**{READ_ONLY_OPTION: True}) if read_only else engine
    session = Session(bind=bind, expire_on_commit=False, autoflush=True)
    try:
        yield session
        if read_only:
            session.rollback()
        else:
            session.commit()
    except exc.OperationalError as error:
        session.rollback()
        if _connection_lost(engine, error):
            raise db_unreachable(engine.url, error) from error
        raise
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def _connection_lost(engine: Engine, error: exc.OperationalError) -> bool:
    """The server went away (class 08 connection exceptions, 57P0x shutdowns, or no SQLSTATE at
    all: the connection never came up), as opposed to a deadlock or serialization failure, which
    are OperationalErrors too but mean "retry"."""
    if error.connection_invalidated:
        return True
    if engine.dialect.name != "postgresql":
        return False
    sqlstate = getattr(error.orig, "sqlstate", None)
    return sqlstate is None or sqlstate.startswith(("08", "57P0"))
