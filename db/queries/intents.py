"""Card-write intents: the state of an intent is its latest event (events are insert-only)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models.intents import INTENT_FINAL_STATES, CardWriteIntent, IntentEvent

OPEN = "open"  # the state of an intent with no event yet


def intent_state(session: Session, intent_id: str) -> str:
    """The latest event's state, or "open"."""
    stmt = (
        select(IntentEvent.state)
        .where(IntentEvent.intent_id == intent_id)
        .order_by(IntentEvent.id.desc())
        .limit(1)
    )
    return session.execute(stmt).scalar_one_or_none() or OPEN


def unfinished_intents(
    session: Session, *, workstation_id: int | None = None
) -> list[tuple[CardWriteIntent, str]]:
    """Intents whose latest state is not final (open, card_written, suspense), oldest first."""
    latest = (
        select(IntentEvent.intent_id, func.max(IntentEvent.id).label("last_id"))
        .group_by(IntentEvent.intent_id)
        .subquery()
    )
    stmt = (
        select(CardWriteIntent, IntentEvent.state)
        .outerjoin(latest, latest.c.intent_id == CardWriteIntent.intent_id)
        .outerjoin(IntentEvent, IntentEvent.id == latest.c.last_id)
        .where((IntentEvent.state.is_(None)) | (IntentEvent.state.not_in(INTENT_FINAL_STATES)))
        .order_by(CardWriteIntent.id)
    )
    if workstation_id is not None:
        stmt = stmt.where(CardWriteIntent.workstation_id == workstation_id)
    return [(intent, state or OPEN) for intent, state in session.execute(stmt)]
