"""The ledger's kept sums (db/models/kept_sums.py; counter_app/settlement/kept_sums.py writes and
checks them, counter_app/settlement/period_sums.py reads them).

The watermark. A batch covers ledger ids (lo, hi]; it must never cover an id that is still
uncommitted, or that entry would be in neither the sums nor the live tail (id > hi) a report adds.
SQLite has one writer at a time and gives ids in commit order: the highest committed id is safe.
PostgreSQL hands out sequence values to concurrent transactions that commit in any order, so
migration 0003 gives every ledger INSERT a BEFORE trigger that takes a SHARED transaction-level
advisory lock (`LEDGER_ID_LOCK_KEY`) and only then draws the id from the sequence. The watermark
takes that lock EXCLUSIVELY with `pg_try_advisory_xact_lock` in a transaction of its own: it is
granted only while no transaction that drew a ledger id is still open, so every id up to the
highest visible one is final, and any id drawn later is drawn after it, so higher. A "try" never
queues: a refresh that finds the lock held gives up for now instead of making the next sales wait
behind it (a queued exclusive request would block every new shared one). The shared lock never
blocks a sale: sales only share it. The counter role cannot drop the trigger (it owns no table).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, literal_column, select, text
from sqlalchemy.orm import Session

from db.models.accounts import Account
from db.models.kept_sums import DaySum, SumBatch, SumClass
from db.models.ledger import LedgerEntry
from db.queries.settlement import time_bucket

LEDGER_ID_LOCK_KEY = 0x6C6564676572  # "ledger": ids drawn (shared) / the watermark (exclusive)


def ledger_watermark(session: Session) -> int | None:
    """The highest ledger id that no open transaction can go under (0 for an empty ledger), or None
    when one may (PostgreSQL: a transaction that drew ledger ids is still open; try again later).
    Run it in a transaction of its own: on PostgreSQL the lock it takes is held to its end."""
    if session.get_bind().dialect.name == "postgresql":
        got = session.execute(text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": LEDGER_ID_LOCK_KEY})
        if not got.scalar_one():
            return None
    return int(session.scalar(select(func.coalesce(func.max(LedgerEntry.id), 0))) or 0)


def _has_account() -> Any:
    # As the scan groups (db.queries.settlement.ledger_bucket_rows): no account, or an empty number.
    return case((Account.account_no != "", 1), else_=0)


def ledger_span(session: Session, *where: Any) -> tuple[datetime | None, datetime | None]:
    """(min, max) of `at` over the entries matching `where` (Nones when there are none)."""
    row = session.execute(select(func.min(LedgerEntry.at), func.max(LedgerEntry.at)).where(*where)).one()
    return row[0], row[1]


def ledger_class_bucket_rows(session: Session, lo: int, hi: int, unit: str, minutes: int) -> list[Any]:
    """Entries with lo < id <= hi per (bucket text, kind, charge, the account's class code, has
    account): count, sums of fen, energy, free energy (the bucket as `time_bucket`)."""
    bucket = time_bucket(LedgerEntry.at, unit, minutes)
    stmt = (
        select(bucket, LedgerEntry.kind, LedgerEntry.charge, Account.cls, _has_account(), func.count(),
               func.sum(LedgerEntry.fen), func.sum(LedgerEntry.energy_ckwh), func.sum(LedgerEntry.free_ckwh))
        .outerjoin(Account, Account.id == LedgerEntry.account_id)
        .where(LedgerEntry.id > lo, LedgerEntry.id <= hi)
        .group_by(literal_column("1"), LedgerEntry.kind, LedgerEntry.charge, Account.cls, literal_column("5"))
    )  # fmt: skip
    return list(session.execute(stmt))


def ledger_account_bucket_rows(
    session: Session, account_ids: Sequence[int], up_to: int, unit: str, minutes: int, *where: Any
) -> list[Any]:
    """Entries of these accounts with id <= up_to (and `where`) per (bucket text, kind, charge,
    account id): count and sums, through the index on account_id."""
    bucket = time_bucket(LedgerEntry.at, unit, minutes)
    stmt = (
        select(bucket, LedgerEntry.kind, LedgerEntry.charge, LedgerEntry.account_id, func.count(),
               func.sum(LedgerEntry.fen), func.sum(LedgerEntry.energy_ckwh), func.sum(LedgerEntry.free_ckwh))
        .where(LedgerEntry.account_id.in_(account_ids), LedgerEntry.id <= up_to, *where)
        .group_by(literal_column("1"), LedgerEntry.kind, LedgerEntry.charge, LedgerEntry.account_id)
    )  # fmt: skip
    return list(session.execute(stmt))


def account_classes(
    session: Session, account_ids: Iterable[int] | None = None
) -> dict[int, tuple[str, bool]]:
    """Each account's (class code, has account) as the scan groups it today."""
    stmt = select(Account.id, Account.cls, _has_account())
    if account_ids is not None:
        stmt = stmt.where(Account.id.in_(list(account_ids)))
    return {row[0]: (row[1], bool(row[2])) for row in session.execute(stmt)}


def sum_batches(session: Session) -> list[Any]:
    """Every batch (all columns, Core rows), in chain order."""
    return list(session.execute(select(SumBatch.__table__).order_by(SumBatch.seq)).mappings())


def sum_class_rows(session: Session) -> list[Any]:
    """Every kept-class row (all columns), oldest first: the latest per account holds."""
    return list(session.execute(select(SumClass.__table__).order_by(SumClass.id)).mappings())


def day_sum_rows(session: Session, first: Any, last: Any) -> list[Any]:
    """Every sum row (all columns) of the batches whose days overlap first..last, whole."""
    table = DaySum.__table__
    stmt = (
        select(table)
        .join(SumBatch, SumBatch.id == table.c.batch_id)
        .where(SumBatch.first_day <= last, SumBatch.last_day >= first)
    )
    return list(session.execute(stmt).mappings())


def day_sums_astray(session: Session, first: Any, last: Any) -> int:
    """How many sum rows dated first..last lie outside the days their batch covers (or have no
    batch): rows added behind the software's back (a genuine row is inside its batch's days)."""
    stmt = (
        select(func.count())
        .select_from(DaySum)
        .outerjoin(SumBatch, SumBatch.id == DaySum.batch_id)
        .where(DaySum.day >= first, DaySum.day <= last)
        .where(SumBatch.id.is_(None) | (DaySum.day < SumBatch.first_day) | (DaySum.day > SumBatch.last_day))
    )
    return int(session.scalar(stmt) or 0)


def last_sum_batch(session: Session) -> Any | None:
    """The newest batch (all columns), None before the first."""
    table = SumBatch.__table__
    return session.execute(select(table).order_by(table.c.seq.desc()).limit(1)).mappings().first()


def ledger_count(session: Session, up_to: int) -> int:
    return int(session.scalar(select(func.count()).where(LedgerEntry.id <= up_to)) or 0)


def ledger_kept_class_bucket_rows(session: Session, up_to: int, unit: str, minutes: int) -> list[Any]:
    """Every entry with id <= up_to per (bucket text, kind, charge, the class and has-account its
    account is kept under (the latest `sum_classes` row), no-such-row flag): count and sums. The
    verify's recomputation of every kept sum from the ledger, in one grouped scan."""
    latest = (
        select(SumClass.account_id, SumClass.cls, SumClass.has_account)
        .where(SumClass.id.in_(select(func.max(SumClass.id)).group_by(SumClass.account_id)))
        .subquery()
    )
    missing = case((LedgerEntry.account_id.is_not(None) & latest.c.account_id.is_(None), 1), else_=0)
    bucket = time_bucket(LedgerEntry.at, unit, minutes)
    stmt = (
        select(bucket, LedgerEntry.kind, LedgerEntry.charge, latest.c.cls, latest.c.has_account, missing,
               func.count(), func.sum(LedgerEntry.fen), func.sum(LedgerEntry.energy_ckwh),
               func.sum(LedgerEntry.free_ckwh))
        .outerjoin(latest, latest.c.account_id == LedgerEntry.account_id)
        .where(LedgerEntry.id <= up_to)
        .group_by(literal_column("1"), LedgerEntry.kind, LedgerEntry.charge, latest.c.cls, latest.c.has_account,
                  literal_column("6"))
    )  # fmt: skip
    return list(session.execute(stmt))
