"""Reads for the department's own duties: the assistant's collection checks (counter_app/ops/duties.py),
the visitor and phone log (counter_app/ops/visitor_log.py) and who held which post
(counter_app/ops/rotation.py)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from db.models.duties import VisitorEntry, VisitorStep
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


def visitor_entries(
    session: Session,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    entry_ids: list[int] | None = None,
) -> list[tuple[VisitorEntry, str]]:
    """Visitor log questions (received in [since, until) when given), oldest first, with the
    display name of who wrote them down."""
    stmt = select(VisitorEntry, Operator.display_name).join(Operator, Operator.id == VisitorEntry.operator_id)
    if since is not None:
        stmt = stmt.where(VisitorEntry.at >= since)
    if until is not None:
        stmt = stmt.where(VisitorEntry.at < until)
    if entry_ids is not None:
        stmt = stmt.where(VisitorEntry.id.in_(entry_ids))
    return list(session.execute(stmt.order_by(VisitorEntry.at, VisitorEntry.id)).tuples())


def visitor_steps(session: Session, entry_ids: list[int]) -> list[tuple[VisitorStep, str, str | None]]:
    """The steps of those questions in written order, with who took each and to whom it went."""
    to = aliased(Operator)
    stmt = (
        select(VisitorStep, Operator.display_name, to.display_name)
        .join(Operator, Operator.id == VisitorStep.operator_id)
        .outerjoin(to, to.id == VisitorStep.to_operator_id)
        .where(VisitorStep.entry_id.in_(entry_ids))
        .order_by(VisitorStep.entry_id, VisitorStep.id)
    )
    return list(session.execute(stmt).tuples())


def untold_entry_ids(session: Session) -> list[int]:
    """Questions whose customer has not been told an answer yet."""
    told = select(VisitorStep.entry_id).where(VisitorStep.kind == "told")
    return list(
        session.scalars(select(VisitorEntry.id).where(VisitorEntry.id.not_in(told)).order_by(VisitorEntry.id))
    )
