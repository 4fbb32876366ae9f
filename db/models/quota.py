"""Free quota (定额送电, DOMAIN "Counter operations" 2): batches, their rooms, deliveries.

A batch is prepared for a period ("YYYY-MM") and some buildings from the occupancy snapshot: the
policy in force is copied into the batch (`policy`) and each room's beds and occupants into its
`QuotaBatchRoom`, so a later policy change or import never changes what was approved. Approval is
a row of its own (`QuotaBatchApproval`) plus one `QuotaRoomMonth` per (room, covered month): the
UNIQUE on it is what makes "a batch overlapping an approved one is refused" hold even when two
counters approve at the same moment. Deliveries are written in the commit transaction of the card
write that carried the energy. Lapses are not rows: entitlement of a batch whose term has ended,
less its deliveries, is lapsed (computed, so the report for a past date regenerates the same).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import (
    UUID_TEXT_LENGTH,
    Base,
    IntPK,
    JsonDoc,
    UtcDateTime,
    approval_fk,
    operator_fk,
    row_mac_column,
)


class QuotaBatch(Base):
    __tablename__ = "quota_batches"
    __table_args__ = (CheckConstraint("total_ckwh >= 0 AND rooms >= 0", name="totals_not_negative"),)

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    period: Mapped[str] = mapped_column(String(7), index=True)  # "YYYY-MM": the first month covered
    months: Mapped[list[Any]] = mapped_column(JsonDoc)  # ["2026-11"]: every month the batch covers
    buildings: Mapped[list[Any]] = mapped_column(JsonDoc)  # building codes
    campus_id: Mapped[int] = mapped_column(IntPK, ForeignKey("campuses.id"))
    policy: Mapped[dict[str, Any]] = mapped_column(JsonDoc)  # the quota.* settings at preparation
    term_end: Mapped[date | None] = mapped_column(Date)  # 当期有效: unclaimed entitlement lapses after it
    rooms: Mapped[int] = mapped_column(Integer)
    total_ckwh: Mapped[int] = mapped_column(BigInteger)
    maker_id: Mapped[int] = operator_fk()
    workstation_id: Mapped[int] = mapped_column(IntPK, ForeignKey("workstations.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class QuotaBatchRoom(Base):
    """One room of a batch with the occupancy it was computed from and its entitlement."""

    __tablename__ = "quota_batch_rooms"
    __table_args__ = (
        UniqueConstraint("batch_id", "account_id"),
        CheckConstraint("entitlement_ckwh > 0", name="entitlement_positive"),
    )

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    batch_id: Mapped[int] = mapped_column(IntPK, ForeignKey("quota_batches.id"), index=True)
    account_id: Mapped[int] = mapped_column(IntPK, ForeignKey("accounts.id"), index=True)
    room_id: Mapped[int] = mapped_column(IntPK, ForeignKey("rooms.id"))
    room_code: Mapped[str] = mapped_column(String(32))
    building: Mapped[str] = mapped_column(String(32))
    beds: Mapped[int] = mapped_column(Integer)
    occupants_undergrad: Mapped[int] = mapped_column(Integer)
    occupants_master: Mapped[int] = mapped_column(Integer)
    occupants_phd: Mapped[int] = mapped_column(Integer)
    entitlement_ckwh: Mapped[int] = mapped_column(BigInteger)


class QuotaBatchApproval(Base):
    __tablename__ = "quota_batch_approvals"

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    batch_id: Mapped[int] = mapped_column(IntPK, ForeignKey("quota_batches.id"), unique=True)
    checker_id: Mapped[int] = operator_fk()
    approval_id: Mapped[int | None] = approval_fk()
    at: Mapped[datetime] = mapped_column(UtcDateTime)


class QuotaRoomMonth(Base):
    """A room's month taken by an approved batch: UNIQUE(room, month) refuses an overlap."""

    __tablename__ = "quota_room_months"
    __table_args__ = (UniqueConstraint("room_id", "month"),)

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    room_id: Mapped[int] = mapped_column(IntPK, ForeignKey("rooms.id"))
    month: Mapped[str] = mapped_column(String(7))
    batch_id: Mapped[int] = mapped_column(IntPK, ForeignKey("quota_batches.id"), index=True)
    row_mac: Mapped[str | None] = row_mac_column()  # counter_app.row_seals


class QuotaDelivery(Base):
    """Free energy of one batch written onto a room's card (with a purchase or on its own)."""

    __tablename__ = "quota_deliveries"
    __table_args__ = (
        CheckConstraint("ckwh > 0", name="ckwh_positive"),
        UniqueConstraint("ledger_entry_id", "batch_id"),  # a retried commit cannot deliver twice
    )

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    batch_id: Mapped[int] = mapped_column(IntPK, ForeignKey("quota_batches.id"), index=True)
    account_id: Mapped[int] = mapped_column(IntPK, ForeignKey("accounts.id"), index=True)
    ckwh: Mapped[int] = mapped_column(BigInteger)
    ledger_entry_id: Mapped[int] = mapped_column(IntPK, ForeignKey("ledger_entries.id"))
    intent_id: Mapped[str | None] = mapped_column(String(UUID_TEXT_LENGTH))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    operator_id: Mapped[int | None] = operator_fk(nullable=True)
