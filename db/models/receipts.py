"""Receipts: one continuous series per workstation, never a number reused or skipped.

`receipt_counters` is the numbering row (the only mutable row here), advanced by db.numbering in
the same transaction as the receipt insert. A receipt is written once; what happens to it later
(printed, reprinted with its count, voided, recovered after a crash) is a `ReceiptEvent` row.
`payload` is the plain data needed to print it again exactly (receipts/ builds bytes from it).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, IntPK, JsonDoc, UtcDateTime, approval_fk, in_list, operator_fk, row_mac_column

RECEIPT_KINDS = ("sale", "free", "payment", "fee", "refund", "void", "correction", "slip")
RECEIPT_EVENT_KINDS = ("printed", "print_failed", "reprinted", "voided", "recovered")
MAIN_SERIES = "main"


class ReceiptCounter(Base):
    __tablename__ = "receipt_counters"
    __table_args__ = (
        UniqueConstraint("workstation_id", "series"),
        CheckConstraint("value >= 0", name="value_not_negative"),
    )

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    workstation_id: Mapped[int] = mapped_column(IntPK, ForeignKey("workstations.id"))
    series: Mapped[str] = mapped_column(String(16))
    value: Mapped[int] = mapped_column(BigInteger)
    row_mac: Mapped[str | None] = row_mac_column()  # counter_app.row_seals


class Receipt(Base):
    __tablename__ = "receipts"
    __table_args__ = (
        UniqueConstraint("workstation_id", "series", "seq"),
        CheckConstraint(in_list("kind", RECEIPT_KINDS), name="kind_known"),
        CheckConstraint("seq > 0", name="seq_positive"),
    )

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    workstation_id: Mapped[int] = mapped_column(IntPK, ForeignKey("workstations.id"))
    series: Mapped[str] = mapped_column(String(16), default=MAIN_SERIES)
    seq: Mapped[int] = mapped_column(BigInteger)
    receipt_no: Mapped[str] = mapped_column(String(32), unique=True)  # "W01-00000123"
    kind: Mapped[str] = mapped_column(String(16))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    operator_id: Mapped[int | None] = operator_fk(nullable=True)
    shift_id: Mapped[int | None] = mapped_column(IntPK, ForeignKey("shifts.id"), index=True)
    account_id: Mapped[int | None] = mapped_column(IntPK, ForeignKey("accounts.id"))
    qr_text: Mapped[str | None] = mapped_column(Text)
    payload: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    simulated: Mapped[bool] = mapped_column(Boolean, default=False)


class ReceiptEvent(Base):
    __tablename__ = "receipt_events"
    __table_args__ = (
        CheckConstraint(in_list("kind", RECEIPT_EVENT_KINDS), name="kind_known"),
        CheckConstraint("kind <> 'reprinted' OR reprint_count > 0", name="reprint_counted"),
    )

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    receipt_id: Mapped[int] = mapped_column(IntPK, ForeignKey("receipts.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    operator_id: Mapped[int | None] = operator_fk(nullable=True)
    reprint_count: Mapped[int | None] = mapped_column(Integer)
    approval_id: Mapped[int | None] = approval_fk()
    reason: Mapped[str | None] = mapped_column(Text)
