"""Which print jobs of this workstation still wait, without asking about every job it ever queued.

A job waits until it has a "printed" or "cancelled" event. Asked of every job the workstation ever
queued, that grew with its age: 21 ms at 20,000 jobs (~10,000 sales), and every sale's print and
every device-status poll asks (issue 16). So each open counter keeps a cursor (`QueueCursor`, on its
`Devices`): the id through which every job of its workstation is known done, and asks only about the
jobs after it.

The cursor moves only over jobs that are done and were queued more than `SETTLED_AFTER` ago. Why
the age: PostgreSQL draws a job's id when it is inserted, so a transaction holding a smaller id may
commit after a larger id was already seen done; no transaction that queues a print job stays open
for ten minutes, so a job that old and done has no smaller-id job still to come. (A clock set
back only makes the cursor lag.) It starts at 0 with every open — the day's first ask reads every
job once — and moves at most once every `ADVANCE_EVERY_S` seconds, reading only the jobs after it.
"""

from __future__ import annotations

import functools
import math
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Select, bindparam, exists, func, or_, select
from sqlalchemy.orm import Session as DbSession

from db.models import PrintJob, PrintJobEvent

if TYPE_CHECKING:  # (the context holds the Devices that hold the cursor: no import at run time)
    from counter_app.context import OpContext

SETTLED_AFTER = timedelta(minutes=10)
ADVANCE_EVERY_S = 60.0


@dataclass
class QueueCursor:
    """Every job of the workstation with id ≤ `done_through` is printed or cancelled. Only ever
    raised (`max`), so two threads moving it at once can only leave it lower: still true."""

    done_through: int = 0
    advanced_at: float = -math.inf


def waiting_jobs(ctx: OpContext, s: DbSession) -> list[PrintJob]:
    """The waiting jobs, oldest first."""
    return list(s.scalars(_waiting_in_order(), _params(ctx, s)))


def any_waiting(ctx: OpContext, s: DbSession) -> bool:
    return bool(s.scalar(_any_waiting(), _params(ctx, s)))


def count_waiting(ctx: OpContext, s: DbSession) -> int:
    return int(s.scalar(_count_waiting(), _params(ctx, s)) or 0)


def _params(ctx: OpContext, s: DbSession) -> dict[str, Any]:
    cursor = ctx.devices.print_queue
    if time.monotonic() - cursor.advanced_at >= ADVANCE_EVERY_S:
        _advance(ctx, s, cursor)
    return {"_workstation_id": ctx.workstation.id, "_after": cursor.done_through}


def _advance(ctx: OpContext, s: DbSession, cursor: QueueCursor) -> None:
    params = {"_workstation_id": ctx.workstation.id, "_after": cursor.done_through,
              "_settled_before": ctx.now() - SETTLED_AFTER}  # fmt: skip
    first_open, last = s.execute(_advance_query(), params).one()
    through = first_open - 1 if first_open is not None else (last or cursor.done_through)
    cursor.done_through = max(cursor.done_through, through)
    cursor.advanced_at = time.monotonic()


def _done() -> ColumnElement[bool]:
    return exists().where(
        PrintJobEvent.job_id == PrintJob.id, PrintJobEvent.outcome.in_(("printed", "cancelled"))
    )


def _after_cursor() -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    return PrintJob.workstation_id == bindparam("_workstation_id"), PrintJob.id > bindparam("_after")


# Each statement built once: every sale asks, and a statement built per call pays its cache key
# each time (counter_app/row_seals.py `_set_mac`).
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
