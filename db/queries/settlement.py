"""Ledger sums per time bucket, grouped in SQL, for the period reports (counter_app.settlement.
period_sums folds them into periods). The bucket is a dialect-specific SQL function, compiled here."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, literal_column, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import String

from db.models.accounts import Account, CardClass
from db.models.ledger import LedgerEntry

_SQLITE_FORMATS = {"day": "%Y-%m-%d", "hour": "%Y-%m-%d %H"}
_PG_FORMATS = {"day": "YYYY-MM-DD", "hour": "YYYY-MM-DD HH24"}


class time_bucket(FunctionElement[str]):  # noqa: N801 - an SQL function, named like one
    """`at` + `minutes`, as text truncated to the day or the hour (UTC storage on both backends)."""

    type = String()
    inherit_cache = False  # unit and minutes are rendered into the SQL

    def __init__(self, at: Any, unit: str, minutes: int) -> None:
        self.unit, self.minutes = unit, int(minutes)
        super().__init__(at)


@compiles(time_bucket, "sqlite")
def _bucket_sqlite(element: time_bucket, compiler: Any, **kw: Any) -> str:
    (at,) = element.clauses
    fmt = _SQLITE_FORMATS[element.unit]
    return f"strftime('{fmt}', {compiler.process(at, **kw)}, '{element.minutes:+d} minutes')"


@compiles(time_bucket, "postgresql")
def _bucket_postgresql(element: time_bucket, compiler: Any, **kw: Any) -> str:
    (at,) = element.clauses
    fmt = _PG_FORMATS[element.unit]
    return (f"to_char(({compiler.process(at, **kw)} AT TIME ZONE 'UTC') "
            f"+ interval '{element.minutes} minutes', '{fmt}')")  # fmt: skip


def ledger_bucket_rows(
    session: Session, start: datetime, end: datetime, unit: str, minutes: int, *, after_id: int = 0
) -> Iterator[Any]:
    """Per (bucket text, kind, charge, class group, has account): count and sums of fen, energy and
    free energy of the entries with start <= at < end (and id > after_id: the live tail after the
    kept sums); the bucket is `at` + `minutes` truncated to `unit` ("day" or "hour")."""
    bucket = time_bucket(LedgerEntry.at, unit, minutes).label("bucket")
    has_account = case((Account.account_no != "", 1), else_=0).label("has_account")
    at: Any = LedgerEntry.at
    if after_id:
        # The live tail after the kept sums: a range of the primary key (the newest few entries),
        # never the index on `at` over years (SQLite chose it, reading every entry of the range).
        at = func.coalesce(LedgerEntry.at, LedgerEntry.at)
    stmt = (
        select(bucket, LedgerEntry.kind, LedgerEntry.charge, CardClass.class_group, has_account,
               func.count(), func.sum(LedgerEntry.fen), func.sum(LedgerEntry.energy_ckwh),
               func.sum(LedgerEntry.free_ckwh))
        .outerjoin(Account, Account.id == LedgerEntry.account_id)
        .outerjoin(CardClass, CardClass.code == Account.cls)
        .where(at >= start, at < end, *((LedgerEntry.id > after_id,) if after_id else ()))
        .group_by(literal_column("1"), LedgerEntry.kind, LedgerEntry.charge, CardClass.class_group,
                  literal_column("5"))
        .execution_options(yield_per=5_000)
    )  # fmt: skip
    return iter(session.execute(stmt))
