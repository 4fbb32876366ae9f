"""The ledger: every movement of money or energy, append-only.

Nothing here is ever updated or deleted. A void is a new entry with the opposite signs that points
at the entry it voids (`corrects_entry_id`); a correction is a void plus a new sale that refers to
the voided one; a flag on an entry (late hand-in, energy no purchase covers) is a `LedgerMark`
row. So a PostgreSQL role that may only INSERT here can run a counter, and the history of the day
is exactly what finance signs.

Signs: `fen` is money into the drawer or the school's accounts (negative for a void or a refund
raised); `energy_ckwh` is energy sold to the card (negative when voided); `free_ckwh` is free quota
energy delivered.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import UUID_TEXT_LENGTH, Base, IntPK, JsonDoc, UtcDateTime, approval_fk, in_list, operator_fk

LEDGER_KINDS = (
    "sale",  # electricity top-up (may carry free energy delivered with it)
    "free",  # free quota energy only, no money
    "void",  # cancels `corrects_entry_id` (opposite signs)
    "correction",  # the new sale of a 作废重开, refers to the voided entry
    "bill_payment",  # a notice paid: repair, utility, heating
    "fee_payment",  # a fee from the fee table (replacement card …)
    "back_charge_payment",  # 违规用电补缴电费
    "refund_raised",  # a 退费审批单 raised (paid by finance, never from the drawer)
    "suspense",  # an unfinished card write moved to suspense: money held for the customer
    "suspense_resolved",  # rolled forward or refunded later
    "carried",  # energy carried to a replacement meter (换表补电)
    "cleared",  # energy removed by a clear card
    "legacy_purchase",  # a purchase taken over from the old vending system
)
# The tenders (base.vocabulary.TENDERS) in migration 0001's order: the constraint's text is part of
# the schema, so a reordered vocabulary must not change it (tests/db compares it with the migration).
TENDERS_AS_MIGRATED = ("cash", "cheque", "campus_card", "wechat", "alipay")
MARK_KINDS = ("flagged", "late_hand_in", "unpriced_energy", "override_previous_not_loaded", "recovered")


class LedgerEntry(Base):
    __tablename__ = "ledger_entries"
    __table_args__ = (
        CheckConstraint(in_list("kind", LEDGER_KINDS), name="kind_known"),
        CheckConstraint(f"tender IS NULL OR {in_list('tender', TENDERS_AS_MIGRATED)}", name="tender_known"),
        CheckConstraint(
            "tender IS NULL OR tender = 'cash' OR reference IS NOT NULL", name="reference_for_non_cash"
        ),
        CheckConstraint("price_e4 IS NULL OR price_e4 > 0", name="price_positive"),
        CheckConstraint("free_ckwh >= 0 OR kind = 'void'", name="free_not_negative"),
        CheckConstraint(
            "kind NOT IN ('sale', 'correction') OR (fen >= 0 AND energy_ckwh >= 0 AND price_e4 IS NOT NULL)",
            name="sale_positive_and_priced",
        ),
        CheckConstraint("kind <> 'free' OR (fen = 0 AND energy_ckwh = 0)", name="free_is_free"),
        CheckConstraint(
            "kind NOT IN ('void', 'correction') OR corrects_entry_id IS NOT NULL", name="void_names_entry"
        ),
        # An entry is voided at most once; an intent produces at most one entry of each kind
        # (a retried commit cannot sell twice).
        Index(
            "uq_ledger_entries_voided_once",
            "corrects_entry_id",
            unique=True,
            sqlite_where=text("kind = 'void'"),
            postgresql_where=text("kind = 'void'"),
        ),
        Index(
            "uq_ledger_entries_intent_kind",
            "intent_id",
            "kind",
            unique=True,
            sqlite_where=text("intent_id IS NOT NULL"),
            postgresql_where=text("intent_id IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    charge: Mapped[str | None] = mapped_column(String(32))  # the settlement-sheet line (electricity, repair…)
    account_id: Mapped[int | None] = mapped_column(IntPK, ForeignKey("accounts.id"), index=True)
    fen: Mapped[int] = mapped_column(BigInteger, default=0)
    energy_ckwh: Mapped[int] = mapped_column(BigInteger, default=0)
    free_ckwh: Mapped[int] = mapped_column(BigInteger, default=0)
    price_e4: Mapped[int | None] = mapped_column(BigInteger)
    purchase_counter: Mapped[int | None] = mapped_column(Integer)
    tender: Mapped[str | None] = mapped_column(String(16))
    reference: Mapped[str | None] = mapped_column(String(100))
    operator_id: Mapped[int | None] = operator_fk(nullable=True)
    shift_id: Mapped[int | None] = mapped_column(IntPK, ForeignKey("shifts.id"), index=True)
    workstation_id: Mapped[int | None] = mapped_column(IntPK, ForeignKey("workstations.id"))
    at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    corrects_entry_id: Mapped[int | None] = mapped_column(IntPK, ForeignKey("ledger_entries.id"))
    intent_id: Mapped[str | None] = mapped_column(
        String(UUID_TEXT_LENGTH), ForeignKey("card_write_intents.intent_id")
    )
    receipt_id: Mapped[int | None] = mapped_column(IntPK, ForeignKey("receipts.id"), index=True)
    approval_id: Mapped[int | None] = approval_fk()
    reason: Mapped[str | None] = mapped_column(Text)
    simulated: Mapped[bool] = mapped_column(Boolean, default=False)
    data: Mapped[dict[str, Any] | None] = mapped_column(JsonDoc)


class LedgerMark(Base):
    """A flag put on an entry after the fact (a new row, never an edit of the entry)."""

    __tablename__ = "ledger_marks"
    __table_args__ = (CheckConstraint(in_list("kind", MARK_KINDS), name="kind_known"),)

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    entry_id: Mapped[int] = mapped_column(IntPK, ForeignKey("ledger_entries.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    operator_id: Mapped[int | None] = operator_fk(nullable=True)
    approval_id: Mapped[int | None] = approval_fk()
    reason: Mapped[str | None] = mapped_column(Text)
