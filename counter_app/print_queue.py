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

import math
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session as DbSession

from db.models import PrintJob
from db.queries import print_jobs as jobs

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
    return jobs.waiting_after(s, ctx.workstation.id, _cursor(ctx, s))


def any_waiting(ctx: OpContext, s: DbSession) -> bool:
    return jobs.any_waiting_after(s, ctx.workstation.id, _cursor(ctx, s))


def count_waiting(ctx: OpContext, s: DbSession) -> int:
    return jobs.count_waiting_after(s, ctx.workstation.id, _cursor(ctx, s))


def _cursor(ctx: OpContext, s: DbSession) -> int:
    cursor = ctx.devices.print_queue
    if time.monotonic() - cursor.advanced_at >= ADVANCE_EVERY_S:
        _advance(ctx, s, cursor)
    return cursor.done_through


def _advance(ctx: OpContext, s: DbSession, cursor: QueueCursor) -> None:
    first_open, last = jobs.first_unsettled_and_last(
        s, ctx.workstation.id, after=cursor.done_through, settled_before=ctx.now() - SETTLED_AFTER
    )
    through = first_open - 1 if first_open is not None else (last or cursor.done_through)
    cursor.done_through = max(cursor.done_through, through)
    cursor.advanced_at = time.monotonic()
