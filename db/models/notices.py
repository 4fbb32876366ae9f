"""Bills and fees (DOMAIN "Counter operations" 7 and 8): notices and their payments.

A notice (维修通知单, 交费通知单, 采暖费, a theft back-charge 违规用电补缴电费 or the 补交电费 for energy used under software control)
states what is owed; it
is written once. Its payment is a row of its own with UNIQUE(notice_id): "a notice is paid once"
holds even when two counters take the same notice at the same moment. A back-charge notice keeps
its whole calculation in `data` (days, energy, price, electrician, evidence) so it can be printed
again exactly.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, CheckConstraint, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, IntPK, JsonDoc, UtcDateTime, approval_fk, in_list, operator_fk

# `software_control`: 补交电费 for energy used under software control (counter_app/ops/software_control.py),
# an electricity charge owed, never the theft `back_charge`.
NOTICE_KINDS = ("repair", "utility", "heating", "back_charge", "software_control")


class Notice(Base):
    __tablename__ = "notices"
    __table_args__ = (
        CheckConstraint(in_list("kind", NOTICE_KINDS), name="kind_known"),
        CheckConstraint("amount_fen > 0", name="amount_positive"),
    )

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    notice_no: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    payer: Mapped[str] = mapped_column(String(100))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    account_id: Mapped[int | None] = mapped_column(IntPK, ForeignKey("accounts.id"), index=True)
    department: Mapped[str | None] = mapped_column(String(100))  # the issuing department
    repair_date: Mapped[date | None] = mapped_column(Date)
    repairman: Mapped[str | None] = mapped_column(String(100))
    area_dm2: Mapped[int | None] = mapped_column(BigInteger)
    rate_fen_per_m2: Mapped[int | None] = mapped_column(BigInteger)
    data: Mapped[dict[str, Any] | None] = mapped_column(JsonDoc)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    operator_id: Mapped[int] = operator_fk()
    workstation_id: Mapped[int] = mapped_column(IntPK, ForeignKey("workstations.id"))
    approval_id: Mapped[int | None] = approval_fk()


class NoticePayment(Base):
    __tablename__ = "notice_payments"

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    notice_id: Mapped[int] = mapped_column(IntPK, ForeignKey("notices.id"), unique=True)
    ledger_entry_id: Mapped[int] = mapped_column(IntPK, ForeignKey("ledger_entries.id"))
    receipt_id: Mapped[int] = mapped_column(IntPK, ForeignKey("receipts.id"))
    paper_receipt_no: Mapped[str | None] = mapped_column(String(32))
    late_hand_in: Mapped[bool] = mapped_column(Boolean, default=False)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    operator_id: Mapped[int] = operator_fk()
    note: Mapped[str | None] = mapped_column(Text)
