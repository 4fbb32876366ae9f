"""Ledger sums per time bucket, grouped in SQL, for the period reports (day / week / month / year).

A ten-year report reads millions of entries; building an object per entry took minutes and
gigabytes (docs/benchmarks.md §3). The database adds them up instead, per (bucket, kind, charge,
class group, has account) — a few thousand groups — and reports.py folds the buckets into periods
with the same rules as an entry (`settlement_line`, `charge_of`, `group_of`, `period_key`).

Over years, the week / month / year reports read the ledger's kept sums instead (`kept_bucket_sums`,
counter_app/settlement/kept_sums.py): the kept day rows, the live tail after them and the moves of
accounts whose class changed, folded into the same BucketSums, so the tables are the same.

The bucket is the business-local day (or hour, for the day report's hour chart). SQL (the
`time_bucket` function of db.queries.settlement, compiled per dialect) shifts the
stored UTC time by the business zone's offset, which is only exact while that offset is constant
over the range (Asia/Shanghai: +08:00 since 1991); otherwise the bucket is the UTC hour and Python
converts each bucket with the zone rules (exact for whole-hour offsets).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from base.clock import BUSINESS_TZ
from counter_app.settlement import kept_sums
from counter_app.settlement.ledger_view import check_card_classes
from counter_app.settlement.months import day_bounds
from db.models.accounts import CardClass
from db.models.ledger import LedgerEntry
from db.queries.settlement import ledger_bucket_rows


@dataclass(frozen=True)
class BucketSum:
    local: datetime  # naive business-local start of the bucket (the day at 00:00, or the hour)
    kind: str
    charge: str | None
    class_group: str | None
    has_account: bool
    count: int
    fen: int
    energy_ckwh: int
    free_ckwh: int


def constant_offset(start: datetime, end: datetime) -> timedelta | None:
    """The business zone's UTC offset if it is the same on every day of [start, end), else None."""
    offsets: set[timedelta | None] = set()
    day = start.astimezone(UTC)
    while day < end and len(offsets) < 2:
        offsets.add(day.astimezone(BUSINESS_TZ).utcoffset())
        day += timedelta(hours=12)
    offsets.add(end.astimezone(BUSINESS_TZ).utcoffset())
    return offsets.pop() if len(offsets) == 1 else None


def bucket_sums(
    session: Session, start: datetime, end: datetime, unit: str, *, after_id: int = 0
) -> Iterator[BucketSum]:
    """Sums of entries with start <= at < end (and id > after_id) per business-local `unit` ("day"
    or "hour")."""
    offset = constant_offset(start, end)
    shifted = offset is not None and offset % timedelta(minutes=1) == timedelta(0)
    minutes = offset // timedelta(minutes=1) if shifted and offset is not None else 0
    local_of: dict[str, datetime] = {}
    check_card_classes(session)  # their groups split the sums
    rows = ledger_bucket_rows(session, start, end, unit if shifted else "hour", minutes, after_id=after_id)
    for text, kind, charge, group, account, count, fen, energy, free in rows:
        local = local_of.get(text)
        if local is None:
            local = local_of[text] = _local(text, shifted)
        # int(): PostgreSQL's SUM of a BIGINT is NUMERIC (Decimal), which would change the renders.
        yield BucketSum(local, kind, charge, group, bool(account), int(count), int(fen or 0), int(energy or 0),
                        int(free or 0))  # fmt: skip


def _local(text: str, shifted: bool) -> datetime:
    moment = datetime.strptime(text, "%Y-%m-%d %H" if len(text) > 10 else "%Y-%m-%d")
    if shifted:
        return moment
    return moment.replace(tzinfo=UTC).astimezone(BUSINESS_TZ).replace(tzinfo=None)


def kept_bucket_sums(session: Session, first: date, last: date) -> Iterator[BucketSum]:
    """Sums per business-local day of the entries dated first..last (business dates), exactly as
    `bucket_sums(…, "day")` gives them, from the kept sums: their day rows (checked), the entries
    after them, and the move of the accounts whose class changed since."""
    check_card_classes(session)  # their groups split the sums
    groups = dict(session.execute(select(CardClass.code, CardClass.class_group)).tuples().all())
    view = kept_sums.kept_view(session)
    for row in kept_sums.kept_day_rows(session, view, first, last):
        yield _kept(row["day"], row["kind"], row["charge"], row["cls"], bool(row["has_account"]),
                    (row["count"], row["fen"], row["energy_ckwh"], row["free_ckwh"]), groups)  # fmt: skip
    start, end = day_bounds(first, last)
    changed = kept_sums.changed_accounts(session, view.kept)
    moved = kept_sums.moved_sums(session, changed, view.hi, LedgerEntry.at >= start, LedgerEntry.at < end)
    for (day, kind, charge, cls, has), values in moved.items():
        yield _kept(day, kind, charge, cls, has, values, groups)
    yield from bucket_sums(session, start, end, "day", after_id=view.hi)


def _kept(day: date, kind: str, charge: str | None, cls: str | None, has: bool, values: Any,
          groups: dict[str, str]) -> BucketSum:  # fmt: skip
    count, fen, energy, free = (int(v) for v in values)
    group = groups.get(cls) if cls is not None else None  # as the scan's outer join to card_classes
    return BucketSum(
        datetime(day.year, day.month, day.day), kind, charge, group, has, count, fen, energy, free
    )
