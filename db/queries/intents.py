"""Card-write intents: the state of an intent is its latest event (events are insert-only)."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from db import transaction_memo
from db.models.intents import INTENT_FINAL_STATES, CardWriteIntent, IntentEvent

OPEN = "open"  # the state of an intent with no event yet


def intent_with_state(session: Session, intent_id: str) -> CardWriteIntent:
    """The intent (it must exist), its state read in the same statement (one round trip fewer for a
    commit, which asks both; issue 16) and remembered for `intent_state` until this transaction
    writes an event of the intent (`forget_state`) or ends."""
    intent, state = session.execute(_intent_with_state(), {"intent_id": intent_id}).one()
    known: dict[str, str] = transaction_memo.recall_or_keep(session, _STATES_READ, dict)
    known[intent_id] = state or OPEN
    found: CardWriteIntent = intent
    return found


def intent_state(session: Session, intent_id: str) -> str:
    """The latest event's state, or "open"."""
    known = transaction_memo.recall(session, _STATES_READ)
    if known is not None and intent_id in known:
        return str(known[intent_id])
    return session.execute(_intent_state(), {"intent_id": intent_id}).scalar_one_or_none() or OPEN


def forget_state(session: Session, intent_id: str) -> None:
    """An event of the intent is being written: its remembered state is no longer its state."""
    known = transaction_memo.recall(session, _STATES_READ)
    if known is not None:
        known.pop(intent_id, None)


_STATES_READ = "intent_states_read"  # (db/transaction_memo.py) intent id -> state


@cache
def _intent_with_state() -> Select[tuple[CardWriteIntent, str | None]]:
    return select(CardWriteIntent, _latest_state()).where(CardWriteIntent.intent_id == bindparam("intent_id"))


def _latest_state() -> Any:
    """The latest event's state of the intent of the enclosing query (NULL: none yet)."""
    return (
        select(IntentEvent.state)
        .where(IntentEvent.intent_id == CardWriteIntent.intent_id)
        .order_by(IntentEvent.id.desc())
        .limit(1)
        .correlate(CardWriteIntent)
        .scalar_subquery()
    )


@cache
def _intent_state() -> Select[tuple[str]]:  # built once: see db/queries/accounts.py
    return (
        select(IntentEvent.state)
        .where(IntentEvent.intent_id == bindparam("intent_id"))
        .order_by(IntentEvent.id.desc())
        .limit(1)
    )


def _unfinished() -> Select[tuple[CardWriteIntent, str | None]]:
    latest_state = _latest_state()
    return (
        select(CardWriteIntent, latest_state)
        .where(latest_state.is_(None) | latest_state.not_in(INTENT_FINAL_STATES))
        .order_by(CardWriteIntent.id)
    )


@cache
def _of_card() -> Select[tuple[CardWriteIntent, str | None]]:
    return _unfinished().where(CardWriteIntent.card_serial == bindparam("card_serial"))


def unfinished_intents(
    session: Session, *, workstation_id: int | None = None, card_serial: str | None = None
) -> list[tuple[CardWriteIntent, str]]:
    """Intents whose latest state is not final (open, card_written, suspense), oldest first; of one
    workstation, of one card, or all.

    The latest state is looked up per intent (ix on intent_events.intent_id), so asking for one
    card reads that card's intents only: every card read asks (recovery), and a GROUP BY over all
    events grew with every sale ever made (issue 16)."""
    if card_serial is not None and workstation_id is None:
        # Every card read asks this one: built once (db/queries/accounts.py says why).
        return [(i, st or OPEN) for i, st in session.execute(_of_card(), {"card_serial": card_serial})]
    stmt = _unfinished()
    if workstation_id is not None:
        stmt = stmt.where(CardWriteIntent.workstation_id == workstation_id)
    if card_serial is not None:
        stmt = stmt.where(CardWriteIntent.card_serial == card_serial)
    return [(intent, state or OPEN) for intent, state in session.execute(stmt)]
