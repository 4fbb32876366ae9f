"""The ledger (append-only): entries of a shift, an account or a time range; an account's latest
entry of a kind."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models.ledger import LedgerEntry


def ledger_for_shift(session: Session, shift_id: int) -> list[LedgerEntry]:
    return list(
        session.execute(
            select(LedgerEntry).where(LedgerEntry.shift_id == shift_id).order_by(LedgerEntry.id)
        ).scalars()
    )


def ledger_for_account(session: Session, account_id: int) -> list[LedgerEntry]:
    stmt = select(LedgerEntry).where(LedgerEntry.account_id == account_id).order_by(LedgerEntry.id)
    return list(session.execute(stmt).scalars())


def ledger_between(session: Session, start: datetime, end: datetime) -> list[LedgerEntry]:
    """Entries with start <= at < end."""
    stmt = select(LedgerEntry).where(LedgerEntry.at >= start, LedgerEntry.at < end).order_by(LedgerEntry.id)
    return list(session.execute(stmt).scalars())


def latest_entry(
    session: Session, account_id: int, kind: str, *, purchase_counter: int | None = None
) -> LedgerEntry | None:
    """The account's latest entry of `kind` (at that purchase counter, when given): its last clear,
    the legacy purchase a card still carries…"""
    stmt = select(LedgerEntry).where(LedgerEntry.account_id == account_id, LedgerEntry.kind == kind)
    if purchase_counter is not None:
        stmt = stmt.where(LedgerEntry.purchase_counter == purchase_counter)
    return session.scalar(stmt.order_by(LedgerEntry.id.desc()).limit(1))
