"""Cards and card stock. `cards` holds each card's current status (mutable, so stock can be
counted with one query); `card_events` is its append-only history (received, issued, lost, spoiled…).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, IntPK, JsonDoc, UtcDateTime, approval_fk, in_list, operator_fk, row_mac_column

# lost = reported lost (挂失), blacklisted at once; tool = a check or parameter card.
CARD_STATUSES = ("blank", "issued", "spoiled", "locked", "lost", "tool")
CARD_KINDS = ("user", "clear", "check", "parameter")
CARD_EVENT_KINDS = (
    "received",
    "issued",
    "reported_lost",
    "replaced",
    "spoiled",
    "locked",
    "made_clear",
    "made_tool",
    "returned",
)


class Card(Base):
    __tablename__ = "cards"
    __table_args__ = (
        CheckConstraint(in_list("status", CARD_STATUSES), name="status_known"),
        CheckConstraint(in_list("kind", CARD_KINDS), name="kind_known"),
        # An issued user card belongs to an account; a blank card to nobody.
        CheckConstraint(
            "status <> 'issued' OR kind <> 'user' OR account_id IS NOT NULL", name="issued_has_account"
        ),
    )

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    serial: Mapped[str] = mapped_column(String(32), unique=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="user")
    account_id: Mapped[int | None] = mapped_column(IntPK, ForeignKey("accounts.id"), index=True)
    meter_no: Mapped[str | None] = mapped_column(String(32))  # tool and clear cards: the target meter
    simulated: Mapped[bool] = mapped_column(Boolean, default=False)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
    row_mac: Mapped[str | None] = row_mac_column()  # counter_app.row_seals


class CardEvent(Base):
    __tablename__ = "card_events"
    __table_args__ = (CheckConstraint(in_list("kind", CARD_EVENT_KINDS), name="kind_known"),)

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    card_id: Mapped[int] = mapped_column(IntPK, ForeignKey("cards.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    account_id: Mapped[int | None] = mapped_column(IntPK, ForeignKey("accounts.id"))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    operator_id: Mapped[int | None] = operator_fk(nullable=True)
    workstation_id: Mapped[int | None] = mapped_column(IntPK, ForeignKey("workstations.id"))
    approval_id: Mapped[int | None] = approval_fk()
    reason: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any] | None] = mapped_column(JsonDoc)
