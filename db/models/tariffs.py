"""Tariffs and fees: append-only. The active one for a moment is the row with the latest
`effective_from <= moment` (db.queries.tariffs.current_tariff / current_fee). A change is a new row with its
basis document number (依据文件号), who set it and the approval that co-signed it; a mistake is
corrected by a newer row, never by editing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, IntPK, UtcDateTime, approval_fk, operator_fk, row_mac_column


class Tariff(Base):
    __tablename__ = "tariffs"
    __table_args__ = (
        UniqueConstraint("cls", "effective_from"),
        CheckConstraint("price_e4 > 0", name="price_positive"),
    )

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    cls: Mapped[str] = mapped_column(String(16), ForeignKey("card_classes.code"))
    price_e4: Mapped[int] = mapped_column(BigInteger)
    effective_from: Mapped[datetime] = mapped_column(UtcDateTime)
    basis: Mapped[str] = mapped_column(String(100))  # 依据文件号
    set_by: Mapped[int] = operator_fk()
    approval_id: Mapped[int | None] = approval_fk()
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    row_mac: Mapped[str | None] = row_mac_column()  # counter_app.row_seals


class Fee(Base):
    """A fee from the school's approved list (`card` replacement fee, `heating_rate_per_m2`, …)."""

    __tablename__ = "fees"
    __table_args__ = (
        UniqueConstraint("kind", "effective_from"),
        CheckConstraint("fen >= 0", name="fen_not_negative"),
    )

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    fen: Mapped[int] = mapped_column(BigInteger)
    effective_from: Mapped[datetime] = mapped_column(UtcDateTime)
    basis: Mapped[str] = mapped_column(String(100))
    set_by: Mapped[int] = operator_fk()
    approval_id: Mapped[int | None] = approval_fk()
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    row_mac: Mapped[str | None] = row_mac_column()  # counter_app.row_seals
