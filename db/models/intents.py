"""Card-write intents and durable print jobs (shared notes/reliability.md §1).

An intent is committed BEFORE the card is written and says exactly what will be written; its life
is a chain of append-only `IntentEvent` rows (card_written → committed, or aborted, suspense,
resolved…). Its current state is the latest event, or "open" when it has none. After a crash,
recovery reads the open intents and the card to roll each one forward or abort it.

A print job is written in the same transaction as the receipt it prints; a completion event closes
it. A job without a completion event is printed again when the printer returns.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import (
    UUID_TEXT_LENGTH,
    Base,
    IntPK,
    JsonDoc,
    UtcDateTime,
    approval_fk,
    in_list,
    operator_fk,
    row_mac_column,
)

INTENT_KINDS = (
    "top_up", "collect_free", "correction", "replace_card", "clear", "parameter", "roll_forward",
    "issue",  # a blank card made an account's first card (counter_app/ops/cards.py)
)  # fmt: skip
INTENT_STATES = ("card_written", "committed", "aborted", "suspense", "resolved", "rolled_forward", "refunded")
# Terminal states: the account is free again.
INTENT_FINAL_STATES = ("committed", "aborted", "resolved", "rolled_forward", "refunded")
PRINT_OUTCOMES = ("printed", "failed", "cancelled")


class CardWriteIntent(Base):
    __tablename__ = "card_write_intents"
    __table_args__ = (
        CheckConstraint(in_list("kind", INTENT_KINDS), name="kind_known"),
        CheckConstraint(
            "amount_fen >= 0 AND energy_ckwh >= 0 AND free_ckwh >= 0", name="amounts_not_negative"
        ),
        CheckConstraint("purchase_counter >= 0", name="counter_not_negative"),
    )

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    intent_id: Mapped[str] = mapped_column(String(UUID_TEXT_LENGTH), unique=True)
    kind: Mapped[str] = mapped_column(String(16), default="top_up")
    account_id: Mapped[int] = mapped_column(IntPK, ForeignKey("accounts.id"), index=True)
    card_serial: Mapped[str] = mapped_column(String(32), index=True)
    purchase_counter: Mapped[int] = mapped_column(Integer)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    energy_ckwh: Mapped[int] = mapped_column(BigInteger)
    free_ckwh: Mapped[int] = mapped_column(BigInteger, default=0)
    price_e4: Mapped[int | None] = mapped_column(BigInteger)
    tender: Mapped[str | None] = mapped_column(String(16))
    shift_id: Mapped[int | None] = mapped_column(IntPK, ForeignKey("shifts.id"), index=True)
    operator_id: Mapped[int] = operator_fk()
    workstation_id: Mapped[int] = mapped_column(IntPK, ForeignKey("workstations.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    payload: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    simulated: Mapped[bool] = mapped_column(Boolean, default=False)


class IntentEvent(Base):
    __tablename__ = "intent_events"
    __table_args__ = (CheckConstraint(in_list("state", INTENT_STATES), name="state_known"),)

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    intent_id: Mapped[str] = mapped_column(
        String(UUID_TEXT_LENGTH), ForeignKey("card_write_intents.intent_id"), index=True
    )
    state: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    operator_id: Mapped[int | None] = operator_fk(nullable=True)
    workstation_id: Mapped[int | None] = mapped_column(IntPK, ForeignKey("workstations.id"))
    approval_id: Mapped[int | None] = approval_fk()
    reason: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any] | None] = mapped_column(JsonDoc)


class PrintJob(Base):
    """`reprint_count` 0 is the original (or a fault re-print, printed without a mark); n > 0 is
    the n-th reprint a person asked for (marked 补打)."""

    __tablename__ = "print_jobs"
    __table_args__ = (CheckConstraint("copies > 0 AND reprint_count >= 0", name="copies_positive"),)

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    workstation_id: Mapped[int] = mapped_column(IntPK, ForeignKey("workstations.id"), index=True)
    receipt_id: Mapped[int | None] = mapped_column(IntPK, ForeignKey("receipts.id"))
    document: Mapped[str] = mapped_column(String(32))  # receipt, confirmation_slip, clearance_slip…
    copies: Mapped[int] = mapped_column(Integer, default=1)
    reprint_count: Mapped[int] = mapped_column(Integer, default=0)
    payload: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    operator_id: Mapped[int | None] = operator_fk(nullable=True)
    row_mac: Mapped[str | None] = row_mac_column()  # counter_app.row_seals


class PrintJobEvent(Base):
    __tablename__ = "print_job_events"
    __table_args__ = (CheckConstraint(in_list("outcome", PRINT_OUTCOMES), name="outcome_known"),)

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    job_id: Mapped[int] = mapped_column(IntPK, ForeignKey("print_jobs.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    detail: Mapped[str | None] = mapped_column(Text)
    row_mac: Mapped[str | None] = row_mac_column()  # counter_app.row_seals
