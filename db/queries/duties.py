"""Reads for the department's own duties: the assistant's collection checks (counter_app/ops/duties.py),
the visitor and phone log (counter_app/ops/visitor_log.py) and who held which post
(counter_app/ops/rotation.py)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models.security import Operator, RoleGrant, SupervisorAppointment
from db.models.settlement import CollectionCheck


def checks_overlapping(session: Session, start: date, end: date) -> list[tuple[CollectionCheck, str]]:
    """Collection checks whose covered days meet [start, end], with the checker's display name."""
    stmt = (
        select(CollectionCheck, Operator.display_name)
        .join(Operator, Operator.id == CollectionCheck.operator_id)
        .where(CollectionCheck.covers_to >= start, CollectionCheck.covers_from <= end)
        .order_by(CollectionCheck.covers_from, CollectionCheck.at, CollectionCheck.id)
    )
    return list(session.execute(stmt).tuples())


def role_grant_history(session: Session) -> list[tuple[RoleGrant, str]]:
    """Every grant and revoke, oldest first, with the holder's display name."""
    stmt = (
        select(RoleGrant, Operator.display_name)
        .join(Operator, Operator.id == RoleGrant.operator_id)
        .order_by(RoleGrant.operator_id, RoleGrant.role, RoleGrant.at, RoleGrant.id)
    )
    return list(session.execute(stmt).tuples())


def appointment_history(session: Session) -> list[tuple[SupervisorAppointment, str]]:
    stmt = (
        select(SupervisorAppointment, Operator.display_name)
        .join(Operator, Operator.id == SupervisorAppointment.operator_id)
        .order_by(
            SupervisorAppointment.operator_id, SupervisorAppointment.from_date, SupervisorAppointment.id
        )
    )
    return list(session.execute(stmt).tuples())
