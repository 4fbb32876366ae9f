"""The print queue's statements (counter_app/print_queue.py keeps the cursor they start after).

Its inserts (several jobs in one INSERT, an event). A job waits until it has a "printed" or
"cancelled" event; each statement asks only about the jobs of one workstation after a given id, and
is built once (a statement built per call pays its cache
key each time: counter_app/row_seals.py `_set_mac`).
"""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, exists, func, insert, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import ReturningInsert

from db.models import PrintJob, PrintJobEvent


def insert_jobs(session: Session, rows: list[dict[str, Any]]) -> list[tuple[int, str]]:
    """Several jobs in one INSERT on the session's connection: (id, document) of each, in no
    promised order (SQLite's RETURNING promises none; counter_app/printing.py enqueue_all)."""
    return [(row[0], row[1]) for row in session.connection().execute(_insert_jobs(), rows)]


def insert_event(session: Session, row: dict[str, Any]) -> int:
    """One job event (every column given); its id."""
    return int(session.execute(_insert_event(), row).scalar_one())


@functools.cache
def _insert_jobs() -> ReturningInsert[tuple[int, str]]:
    table = PrintJob.__table__
    return insert(table).returning(table.c.id, table.c.document)


@functools.cache
def _insert_event() -> ReturningInsert[tuple[int]]:
    table = PrintJobEvent.__table__
    return insert(table).returning(table.c.id)


def waiting_after(session: Session, workstation_id: int, after: int) -> list[PrintJob]:
    return list(session.scalars(_waiting_in_order(), _params(workstation_id, after)))


def any_waiting_after(session: Session, workstation_id: int, after: int) -> bool:
    return bool(session.scalar(_any_waiting(), _params(workstation_id, after)))


def count_waiting_after(session: Session, workstation_id: int, after: int) -> int:
    return int(session.scalar(_count_waiting(), _params(workstation_id, after)) or 0)


def first_unsettled_and_last(
    session: Session, workstation_id: int, *, after: int, settled_before: datetime
) -> tuple[int | None, int | None]:
    """(the first job after `after` still waiting or queued at or after `settled_before`, the last
    job after `after`), in one statement."""
    params = {**_params(workstation_id, after), "_settled_before": settled_before}
    first_open, last = session.execute(_advance_query(), params).one()
    return first_open, last


def _params(workstation_id: int, after: int) -> dict[str, int]:
    return {"_workstation_id": workstation_id, "_after": after}


def _done() -> ColumnElement[bool]:
    return exists().where(
        PrintJobEvent.job_id == PrintJob.id, PrintJobEvent.outcome.in_(("printed", "cancelled"))
    )


def _after_cursor() -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    return PrintJob.workstation_id == bindparam("_workstation_id"), PrintJob.id > bindparam("_after")


@functools.cache
def _waiting() -> Select[tuple[PrintJob]]:
    return select(PrintJob).where(*_after_cursor(), ~_done())


@functools.cache
def _waiting_in_order() -> Select[tuple[PrintJob]]:
    return _waiting().order_by(PrintJob.id)


@functools.cache
def _any_waiting() -> Select[tuple[bool]]:
    return select(exists(_waiting()))


@functools.cache
def _count_waiting() -> Select[tuple[int]]:
    return select(func.count()).select_from(_waiting().subquery())


@functools.cache
def _advance_query() -> Select[tuple[int | None, int | None]]:
    """(the first job after the cursor still waiting or too young, the last job after it)."""
    unsettled = or_(
        PrintJob.created_at >= bindparam("_settled_before", type_=PrintJob.created_at.type), ~_done()
    )
    first_open = select(func.min(PrintJob.id)).where(*_after_cursor(), unsettled).scalar_subquery()
    last = select(func.max(PrintJob.id)).where(*_after_cursor()).scalar_subquery()
    return select(first_open, last)
