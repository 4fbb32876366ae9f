"""Shifts (班次). A shift row is written when the shift opens; its close is a separate,
append-only `ShiftClosure` row. `is_open` is the only mutable column: it lets the database itself
refuse a second open shift on one counter (a partial unique index) and is cleared in the same
transaction that inserts the closure.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, CheckConstraint, ForeignKey, Index, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, IntPK, JsonDoc, UtcDateTime, approval_fk, operator_fk, row_mac_column


class Shift(Base):
    __tablename__ = "shifts"
    __table_args__ = (
        CheckConstraint("float_fen >= 0", name="float_not_negative"),
        CheckConstraint(
            "supervisor_id IS NULL OR supervisor_id <> operator_id", name="supervisor_not_cashier"
        ),
        Index(
            "uq_shifts_open_per_workstation",
            "workstation_id",
            unique=True,
            sqlite_where=text("is_open"),
            postgresql_where=text("is_open"),
        ),
    )

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    workstation_id: Mapped[int] = mapped_column(IntPK, ForeignKey("workstations.id"))
    operator_id: Mapped[int] = operator_fk(index=True)
    supervisor_id: Mapped[int | None] = operator_fk(nullable=True)
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime)
    float_fen: Mapped[int] = mapped_column(BigInteger)
    is_open: Mapped[bool] = mapped_column(Boolean, default=True)
    simulated: Mapped[bool] = mapped_column(Boolean, default=False)
    row_mac: Mapped[str | None] = row_mac_column()  # counter_app.row_seals


class ShiftClosure(Base):
    """The blind close: counted cash by denomination, expected, difference and its reason."""

    __tablename__ = "shift_closures"
    __table_args__ = (
        CheckConstraint("counted_fen >= 0", name="counted_not_negative"),
        CheckConstraint("difference_fen = counted_fen - expected_fen", name="difference_adds_up"),
    )

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    shift_id: Mapped[int] = mapped_column(IntPK, ForeignKey("shifts.id"), unique=True)
    closed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    operator_id: Mapped[int] = operator_fk()
    counted: Mapped[dict[str, Any]] = mapped_column(JsonDoc)  # {denomination fen: count}
    counted_fen: Mapped[int] = mapped_column(BigInteger)
    expected_fen: Mapped[int] = mapped_column(BigInteger)
    difference_fen: Mapped[int] = mapped_column(BigInteger)
    difference_reason: Mapped[str | None] = mapped_column(Text)
    approval_id: Mapped[int | None] = approval_fk()
