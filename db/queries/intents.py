"""Card-write intents: the state of an intent is its latest event (events are insert-only)."""

from __future__ import annotations

from sqlalchemy import select
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
    session: Session, *, workstation_id: int | None = None, card_serial: str | None = None
) -> list[tuple[CardWriteIntent, str]]:
    """Intents whose latest state is not final (open, card_written, suspense), oldest first; of one
    workstation, of one card, or all.

    The latest state is looked up per intent (ix on intent_events.intent_id), so asking for one
    card reads that card's intents only: every card read asks (recovery), and a GROUP BY over all
    events grew with every sale ever made (issue 16)."""
    latest_state = (
        select(IntentEvent.state)
        .where(IntentEvent.intent_id == CardWriteIntent.intent_id)
        .order_by(IntentEvent.id.desc())
        .limit(1)
        .correlate(CardWriteIntent)
        .scalar_subquery()
    )
    stmt = (
        select(CardWriteIntent, latest_state)
        .where(latest_state.is_(None) | latest_state.not_in(INTENT_FINAL_STATES))
        .order_by(CardWriteIntent.id)
    )
    if workstation_id is not None:
        stmt = stmt.where(CardWriteIntent.workstation_id == workstation_id)
    if card_serial is not None:
        stmt = stmt.where(CardWriteIntent.card_serial == card_serial)
    return [(intent, state or OPEN) for intent, state in session.execute(stmt)]
