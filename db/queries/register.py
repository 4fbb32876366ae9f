"""What the sales register (counter_app.settlement.register) shows beside a shift's own entries:
the voids that cancel them (possibly written on a later shift of the same day) and the receipt
numbers of the entries a void or correction refers to (possibly on an earlier shift)."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models.ledger import LedgerEntry
from db.models.receipts import Receipt


@dataclass(frozen=True)
class VoidOf:
    void_id: int
    voided_entry_id: int
    reason: str | None


def voids_of(session: Session, entry_ids: Collection[int]) -> dict[int, VoidOf]:
    """The void entry of each of `entry_ids` that was voided (an entry is voided at most once)."""
    out: dict[int, VoidOf] = {}
    for chunk in _chunks(sorted(entry_ids)):
        rows = session.execute(
            select(LedgerEntry.id, LedgerEntry.corrects_entry_id, LedgerEntry.reason).where(
                LedgerEntry.kind == "void", LedgerEntry.corrects_entry_id.in_(chunk)
            )
        ).tuples()
        out.update({voided: VoidOf(void_id, voided, reason) for void_id, voided, reason in rows if voided})
    return out


def receipt_numbers(session: Session, entry_ids: Collection[int]) -> dict[int, str]:
    """entry id → the receipt number printed for it, for the entries that have one."""
    out: dict[int, str] = {}
    for chunk in _chunks(sorted(entry_ids)):
        rows = session.execute(
            select(LedgerEntry.id, Receipt.receipt_no)
            .join(Receipt, Receipt.id == LedgerEntry.receipt_id)
            .where(LedgerEntry.id.in_(chunk))
        ).tuples()
        out.update({entry_id: receipt_no for entry_id, receipt_no in rows})
    return out


def _chunks(ids: Sequence[int], size: int = 500) -> Iterator[list[int]]:
    """IN lists of a bounded length (SQLite limits the number of bound parameters)."""
    for i in range(0, len(ids), size):
        yield list(ids[i : i + size])
