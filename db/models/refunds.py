"""Room refunds (房间退电): the 退费审批单 a refund raises, written once.

A form is numbered in the workstation's "refund" series (db.numbering, "W01-REFUND-00000001") and
has a receipt row of that series in the same transaction. It refunds exactly one clear: the
`cleared` ledger entry it settles (the clear card's write-back, or a manual reading of a broken
meter); UNIQUE(clear_entry_id) so a clear can never be refunded twice. The computation (`lines`)
is stored as printed, so the form regenerated years later is the one finance paid.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, IntPK, JsonDoc, UtcDateTime, approval_fk, in_list, operator_fk

REFUND_SERIES = "refund"
READING_SOURCES = ("clear_card", "manual")


class RefundForm(Base):
    __tablename__ = "refund_forms"
    __table_args__ = (
        CheckConstraint(in_list("reading_source", READING_SOURCES), name="reading_source_known"),
        CheckConstraint(
            "refund_fen >= 0 AND refundable_ckwh >= 0 AND free_left_ckwh >= 0 AND cleared_ckwh >= 0",
            name="amounts_not_negative",
        ),
        CheckConstraint(
            "reading_source <> 'manual' OR second_approval_id IS NOT NULL",
            name="manual_reading_two_approvals",
        ),
    )

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    form_no: Mapped[str] = mapped_column(String(32), unique=True)
    receipt_id: Mapped[int] = mapped_column(IntPK, ForeignKey("receipts.id"), unique=True)
    account_id: Mapped[int] = mapped_column(IntPK, ForeignKey("accounts.id"), index=True)
    clear_entry_id: Mapped[int] = mapped_column(IntPK, ForeignKey("ledger_entries.id"), unique=True)
    ledger_entry_id: Mapped[int] = mapped_column(IntPK, ForeignKey("ledger_entries.id"), unique=True)
    reading_source: Mapped[str] = mapped_column(String(16))
    payee_name: Mapped[str] = mapped_column(String(100))
    payee_id: Mapped[str] = mapped_column(String(64))  # 学号 / 工号
    payee_account: Mapped[str | None] = mapped_column(String(100))  # bank card; None = original channel
    cleared_ckwh: Mapped[int] = mapped_column(BigInteger)
    free_left_ckwh: Mapped[int] = mapped_column(BigInteger)
    refundable_ckwh: Mapped[int] = mapped_column(BigInteger)
    refund_fen: Mapped[int] = mapped_column(BigInteger)
    unpriced_ckwh: Mapped[int] = mapped_column(BigInteger, default=0)
    lines: Mapped[list[Any]] = mapped_column(JsonDoc)  # [[energy_ckwh, price_e4, fen, flagged], …]
    reason: Mapped[str | None] = mapped_column(Text)
    maker_id: Mapped[int] = operator_fk()
    approval_id: Mapped[int] = approval_fk()
    second_approval_id: Mapped[int | None] = approval_fk()
    shift_id: Mapped[int | None] = mapped_column(IntPK, ForeignKey("shifts.id"), index=True)
    workstation_id: Mapped[int] = mapped_column(IntPK, ForeignKey("workstations.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    simulated: Mapped[bool] = mapped_column(Boolean, default=False)
