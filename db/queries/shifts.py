"""Shifts: a workstation has at most one open shift (a partial unique index on `is_open`)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models.shifts import Shift


def open_shift(session: Session, workstation_id: int) -> Shift | None:
    """The open shift of the workstation, if any."""
    return session.scalars(
        select(Shift).where(Shift.workstation_id == workstation_id, Shift.is_open.is_(True))
    ).first()


def open_shift_id(session: Session, workstation_id: int, *, operator_id: int | None = None) -> int | None:
    """The id of the workstation's open shift (only when `operator_id` holds it, if given)."""
    stmt = select(Shift.id).where(Shift.workstation_id == workstation_id, Shift.is_open.is_(True))
    if operator_id is not None:
        stmt = stmt.where(Shift.operator_id == operator_id)
    return session.scalar(stmt)
