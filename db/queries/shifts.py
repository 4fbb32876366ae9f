"""Shifts: a workstation has at most one open shift (a partial unique index on `is_open`)."""

from __future__ import annotations

from functools import cache

from sqlalchemy import Select, bindparam, select, text
from sqlalchemy.orm import Session

from db.models.shifts import Shift

# The bare column, as the partial unique index uq_shifts_open_per_workstation is declared (WHERE
# is_open): SQLite uses a partial index only for a query whose WHERE has that very term, and
# `is_open IS 1` / `= 1` (what SQLAlchemy writes for a Boolean on SQLite) is not it — every sale's
# shift look-up scanned all shifts ever opened (issue 16).
IS_OPEN = text("shifts.is_open")


def open_shift(session: Session, workstation_id: int) -> Shift | None:
    """The open shift of the workstation, if any."""
    return session.scalars(_open_shift(), {"workstation_id": workstation_id}).first()


@cache
def _open_shift() -> Select[tuple[Shift]]:  # built once: see db/queries/accounts.py
    return select(Shift).where(Shift.workstation_id == bindparam("workstation_id"), IS_OPEN)


def open_shift_id(session: Session, workstation_id: int, *, operator_id: int | None = None) -> int | None:
    """The id of the workstation's open shift (only when `operator_id` holds it, if given)."""
    stmt = select(Shift.id).where(Shift.workstation_id == workstation_id, IS_OPEN)
    if operator_id is not None:
        stmt = stmt.where(Shift.operator_id == operator_id)
    return session.scalar(stmt)
