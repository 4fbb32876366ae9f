"""Single-operator holiday mode (DOMAIN "Holidays"): operations queued for a co-signature.

When one person is on duty an operation that needs a second person is stored instead of run: its
approval kind, the canonical payload the approval would have covered, and its maker. On the next
staffed day a 监督人 approves it and the stored operation runs again with that approval; the
resolution row (UNIQUE(queue_id)) is written in the same transaction as the operation, so it runs
at most once. Nothing is ever edited.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, IntPK, JsonDoc, UtcDateTime, approval_fk, in_list, operator_fk, row_mac_column

QUEUE_OUTCOMES = ("approved", "cancelled")


class QueuedOperation(Base):
    __tablename__ = "queued_operations"

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))  # the approval kind (registry key)
    payload: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    payload_sha256: Mapped[str] = mapped_column(String(64))
    summary: Mapped[str] = mapped_column(Text)
    maker_id: Mapped[int] = operator_fk(index=True)
    workstation_id: Mapped[int] = mapped_column(IntPK, ForeignKey("workstations.id"), index=True)
    queued_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    row_mac: Mapped[str | None] = row_mac_column()  # counter_app.row_seals


class QueueResolution(Base):
    __tablename__ = "queue_resolutions"
    __table_args__ = (CheckConstraint(in_list("outcome", QUEUE_OUTCOMES), name="outcome_known"),)

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    queue_id: Mapped[int] = mapped_column(IntPK, ForeignKey("queued_operations.id"), unique=True)
    outcome: Mapped[str] = mapped_column(String(16))
    approval_id: Mapped[int | None] = approval_fk()
    operator_id: Mapped[int] = operator_fk()
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    reason: Mapped[str | None] = mapped_column(Text)
