"""Kept sums of the ledger (issue 16: a ten-year report reads thousands of rows, not millions of
entries; docs/architecture.md "Kept sums").

- `SumBatch`: one refresh step. It covers the ledger ids in (lo, hi] (`entries` of them), in a
  chain: the first batch starts at 0, each next one at the previous `hi`. It records how many
  rows it wrote and a digest of them (`sums_digest`, `classes_digest`: counter_app/settlement/
  kept_sums.py `digest_of`), so a summary row edited, deleted or added behind the software's back
  no longer matches the sealed batch that owns it.
- `DaySum`: per business-local day, ledger kind, charge, the account's class CODE and whether the
  entry has an account (`accounts.account_no` not empty): count and sums of fen, energy, free
  energy. A batch's rows are the sums of its entries, plus, when accounts changed class since
  earlier batches, the moves of those accounts' earlier entries (minus under the class they were
  kept under, plus under the new one). The class GROUP is not kept: it is folded from the card
  classes when a report reads the rows, as the scan did.
- `SumClass`: under which (class, has account) each account's entries are kept, as of the batch
  that wrote the row (the latest row per account holds): an account whose class changed since is
  found by comparing with `accounts` (a few thousand rows).

All three insert-only and sealed (row_mac; counter_app.row_seals), counted by the row census.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, CheckConstraint, Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, IntPK, UtcDateTime, row_mac_column


class SumBatch(Base):
    __tablename__ = "sum_batches"
    __table_args__ = (CheckConstraint("hi >= lo", name="range_ordered"),)

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, unique=True)  # 1, 2, … (two writers cannot fork)
    lo: Mapped[int] = mapped_column(BigInteger)  # ledger ids in (lo, hi]
    hi: Mapped[int] = mapped_column(BigInteger)
    entries: Mapped[int] = mapped_column(BigInteger)  # ledger entries in (lo, hi]
    sum_rows: Mapped[int] = mapped_column(BigInteger)
    sums_digest: Mapped[str] = mapped_column(String(64))
    class_rows: Mapped[int] = mapped_column(BigInteger)
    classes_digest: Mapped[str] = mapped_column(String(64))
    first_day: Mapped[date | None] = mapped_column(Date)  # the days its sum rows cover
    last_day: Mapped[date | None] = mapped_column(Date)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    row_mac: Mapped[str | None] = row_mac_column()  # counter_app.row_seals


class DaySum(Base):
    __tablename__ = "day_sums"
    __table_args__ = (Index("ix_day_sums_day", "day"),)

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    batch_id: Mapped[int] = mapped_column(IntPK, ForeignKey("sum_batches.id"), index=True)
    day: Mapped[date] = mapped_column(Date)  # business-local (Asia/Shanghai) date of the entries
    kind: Mapped[str] = mapped_column(String(32))
    charge: Mapped[str | None] = mapped_column(String(32))
    cls: Mapped[str | None] = mapped_column(String(32))  # the account's class code; None: no account
    has_account: Mapped[bool] = mapped_column(Boolean)
    count: Mapped[int] = mapped_column(BigInteger)  # may be negative in a move
    fen: Mapped[int] = mapped_column(BigInteger)
    energy_ckwh: Mapped[int] = mapped_column(BigInteger)
    free_ckwh: Mapped[int] = mapped_column(BigInteger)
    row_mac: Mapped[str | None] = row_mac_column()  # counter_app.row_seals


class SumClass(Base):
    __tablename__ = "sum_classes"

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    batch_id: Mapped[int] = mapped_column(IntPK, ForeignKey("sum_batches.id"), index=True)
    account_id: Mapped[int] = mapped_column(IntPK, ForeignKey("accounts.id"), index=True)
    cls: Mapped[str | None] = mapped_column(String(32))
    has_account: Mapped[bool] = mapped_column(Boolean)
    row_mac: Mapped[str | None] = row_mac_column()  # counter_app.row_seals
