"""Ledger sums of one tender, for the deposits compared with the shifts they cover and the
statements matched against the ledger (counter_app/settlement/deposit_check.py, tender_match.py).
The kinds counted are the caller's (the drawer's kinds: counter_app.settlement.ledger_view)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models.ledger import LedgerEntry
from db.models.settlement import Deposit, DepositShift
from db.models.shifts import ShiftClosure


def shifts_tender_fen(session: Session, shift_ids: Sequence[int], tender: str, kinds: Iterable[str]) -> int:
    stmt = select(func.coalesce(func.sum(LedgerEntry.fen), 0)).where(
        LedgerEntry.shift_id.in_(list(shift_ids)),
        LedgerEntry.tender == tender,
        LedgerEntry.kind.in_(list(kinds)),
    )
    return int(session.scalar(stmt) or 0)


def close_difference_fen(session: Session, shift_ids: Sequence[int]) -> int:
    """长款 (+) / 短款 (−) of the shifts' blind closes, each signed at its close."""
    stmt = select(func.coalesce(func.sum(ShiftClosure.difference_fen), 0)).where(
        ShiftClosure.shift_id.in_(list(shift_ids))
    )
    return int(session.scalar(stmt) or 0)


def earlier_deposits_within(session: Session, shift_ids: Sequence[int], kind: str) -> list[tuple[int, int]]:
    """(deposit id, amount) of the slips of `kind` already recorded that cover only shifts among
    `shift_ids` (a shift's cash taken to the bank in two slips)."""
    wanted = set(shift_ids)
    covered: dict[int, set[int]] = {}
    stmt = (
        select(DepositShift.deposit_id, DepositShift.shift_id)
        .join(Deposit, Deposit.id == DepositShift.deposit_id)
        .where(Deposit.kind == kind, DepositShift.deposit_id.in_(
            select(DepositShift.deposit_id).where(DepositShift.shift_id.in_(list(shift_ids)))))
    )  # fmt: skip
    for deposit_id, shift_id in session.execute(stmt).tuples():
        covered.setdefault(deposit_id, set()).add(shift_id)
    inside = sorted(d for d, shifts in covered.items() if shifts <= wanted)
    if not inside:
        return []
    amounts = session.execute(
        select(Deposit.id, Deposit.amount_fen).where(Deposit.id.in_(inside)).order_by(Deposit.id)
    )
    return [(int(i), int(a)) for i, a in amounts.tuples()]


def tender_entries(
    session: Session, tender: str, kinds: Iterable[str], start: datetime, end: datetime
) -> list[tuple[int, datetime, str | None, int]]:
    """(entry id, at, reference, fen) of the tender's entries with start <= at < end."""
    stmt = (
        select(LedgerEntry.id, LedgerEntry.at, LedgerEntry.reference, LedgerEntry.fen)
        .where(LedgerEntry.tender == tender, LedgerEntry.kind.in_(list(kinds)),
               LedgerEntry.at >= start, LedgerEntry.at < end)
        .order_by(LedgerEntry.id)
    )  # fmt: skip
    return [(int(i), at, ref, int(fen)) for i, at, ref, fen in session.execute(stmt).tuples()]
