"""Tenders reconciled apart (DOMAIN "Money, energy, tariffs, tenders"; issue 15 item 2).

- `DepositReconciliation`: each 现金缴款单 / 进账单 compared, when it is recorded, with the cash (or
  cheque) takings of the shifts it covers, from the ledger: one row per deposit with the figures
  compared and, when they differ, the reason and the co-signature that accepted it.
- `TenderMatch`: a campus-card (一卡通) or WeChat/Alipay statement matched against the ledger for a
  period, co-signed (the maker and a second person) and frozen by being written: the period of a
  tender is matched once (UNIQUE(tender, period_from); overlaps refused by the service). `content`
  is the snapshot the report and PDF are drawn from, as the settlement sheet's.

Both insert-only and sealed (row_mac; counter_app.row_seals).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, IntPK, JsonDoc, UtcDateTime, approval_fk, in_list, operator_fk, row_mac_column

DEPOSIT_TENDERS = ("cash", "cheque")  # what a cash slip / a bank slip (进账单) carries
MATCHED_TENDERS = ("campus_card", "wechat", "alipay")
MATCH_BY = ("reference", "day")


class DepositReconciliation(Base):
    __tablename__ = "deposit_reconciliations"
    __table_args__ = (
        CheckConstraint(in_list("tender", DEPOSIT_TENDERS), name="tender_known"),
        CheckConstraint("expected_fen = ledger_fen + close_difference_fen - earlier_fen", name="expected_adds_up"),
        CheckConstraint("difference_fen = amount_fen - expected_fen", name="difference_adds_up"),
        CheckConstraint("difference_fen = 0 OR (reason IS NOT NULL AND approval_id IS NOT NULL)",
                        name="difference_explained"),
    )  # fmt: skip

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    deposit_id: Mapped[int] = mapped_column(IntPK, ForeignKey("deposits.id"), unique=True)
    tender: Mapped[str] = mapped_column(String(16))
    ledger_fen: Mapped[int] = mapped_column(BigInteger)  # the shifts' takings in this tender
    close_difference_fen: Mapped[int] = mapped_column(BigInteger)  # 长款/短款 signed at the close
    earlier_fen: Mapped[int] = mapped_column(BigInteger)  # already on earlier slips for these shifts
    expected_fen: Mapped[int] = mapped_column(BigInteger)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    difference_fen: Mapped[int] = mapped_column(BigInteger)  # slip − expected
    reason: Mapped[str | None] = mapped_column(Text)
    approval_id: Mapped[int | None] = approval_fk()
    row_mac: Mapped[str | None] = row_mac_column()  # counter_app.row_seals


class TenderMatch(Base):
    __tablename__ = "tender_matches"
    __table_args__ = (
        UniqueConstraint("tender", "period_from"),
        CheckConstraint(in_list("tender", MATCHED_TENDERS), name="tender_known"),
        CheckConstraint(in_list("match_by", MATCH_BY), name="match_by_known"),
        CheckConstraint("period_to >= period_from", name="period_ordered"),
    )

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    match_no: Mapped[str] = mapped_column(String(64), unique=True)
    tender: Mapped[str] = mapped_column(String(16))
    period_from: Mapped[date] = mapped_column(Date)
    period_to: Mapped[date] = mapped_column(Date)
    match_by: Mapped[str] = mapped_column(String(16))
    file_name: Mapped[str] = mapped_column(String(255))
    file_sha256: Mapped[str] = mapped_column(String(64))
    ledger_fen: Mapped[int] = mapped_column(BigInteger)
    statement_fen: Mapped[int] = mapped_column(BigInteger)
    differences: Mapped[int] = mapped_column(Integer)
    content: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    content_sha256: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    operator_id: Mapped[int] = operator_fk()
    approval_id: Mapped[int] = mapped_column(IntPK, ForeignKey("approvals.id"))
    row_mac: Mapped[str | None] = row_mac_column()  # counter_app.row_seals
