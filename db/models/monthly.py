"""The month's checks (DOMAIN "Monthly checks"): meter readings, K3 figures, the four-party sign-off,
and the meter-module repair price list and stock (003:58-70, 4.1.3).

Every table here is insert-only and under the audit chain. A corrected readings or K3 file is a
new import: the newest import of a (period, building) is the one that counts, the older rows stay
as the history of what was read. Once the month's four-party reconciliation is signed (one row per
period, UNIQUE), no import for that period is accepted: the signed figures are frozen.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, IntPK, UtcDateTime, approval_fk, in_list, operator_fk

IMPORT_KINDS = ("readings", "k3")
METER_KINDS = ("main", "sub")
STOCK_MOVES = ("received", "issued", "faulty_returned", "repaired", "scrapped")


class MonthlyImport(Base):
    """One imported file: which month, what it held (its SHA-256), who brought it in."""

    __tablename__ = "monthly_imports"
    __table_args__ = (CheckConstraint(in_list("kind", IMPORT_KINDS), name="kind_known"),)

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    period: Mapped[str] = mapped_column(String(7), index=True)  # accounting month YYYY-MM
    file_name: Mapped[str] = mapped_column(String(255))
    file_sha256: Mapped[str] = mapped_column(String(64))
    row_count: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    operator_id: Mapped[int] = operator_fk()
    workstation_id: Mapped[int | None] = mapped_column(IntPK, ForeignKey("workstations.id"))  # NULL: CLI


class MeterReading(Base):
    """One meter's reading for the month, as the electrician wrote it (line = the file's line)."""

    __tablename__ = "meter_readings"
    __table_args__ = (
        CheckConstraint(in_list("kind", METER_KINDS), name="kind_known"),
        CheckConstraint("current_ckwh >= previous_ckwh AND previous_ckwh >= 0", name="reading_rises"),
    )

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    import_id: Mapped[int] = mapped_column(IntPK, ForeignKey("monthly_imports.id"), index=True)
    period: Mapped[str] = mapped_column(String(7), index=True)
    building: Mapped[str] = mapped_column(String(50))
    kind: Mapped[str] = mapped_column(String(8))
    meter_no: Mapped[str] = mapped_column(String(32))
    previous_ckwh: Mapped[int] = mapped_column(BigInteger)
    current_ckwh: Mapped[int] = mapped_column(BigInteger)
    reader: Mapped[str | None] = mapped_column(String(100))
    line: Mapped[int] = mapped_column(Integer)


class K3Figure(Base):
    """Finance's K3 ledger figures for one building and month (money received, energy billed)."""

    __tablename__ = "k3_figures"

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    import_id: Mapped[int] = mapped_column(IntPK, ForeignKey("monthly_imports.id"), index=True)
    period: Mapped[str] = mapped_column(String(7), index=True)
    building: Mapped[str] = mapped_column(String(50))
    takings_fen: Mapped[int] = mapped_column(BigInteger)
    energy_ckwh: Mapped[int] = mapped_column(BigInteger)
    line: Mapped[int] = mapped_column(Integer)


class FourPartySignOff(Base):
    """The month's four-party reconciliation signed by its maker and a supervisor: the digest binds
    the figures as shown; the UNIQUE period freezes the month."""

    __tablename__ = "four_party_signoffs"

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    period: Mapped[str] = mapped_column(String(7), unique=True)
    figures_sha256: Mapped[str] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    operator_id: Mapped[int] = operator_fk()
    approval_id: Mapped[int | None] = approval_fk()


class RepairPrice(Base):
    """One line of the repair price list (维修项目及收费标准, 003 4.1.3), valid from a date; a later
    row for the same item supersedes it. Notices and receipts name the item code."""

    __tablename__ = "repair_prices"
    __table_args__ = (CheckConstraint("price_fen >= 0", name="price_not_negative"),)

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    item_code: Mapped[str] = mapped_column(String(32), index=True)
    name: Mapped[str] = mapped_column(String(100))
    unit: Mapped[str] = mapped_column(String(16))
    price_fen: Mapped[int] = mapped_column(BigInteger)
    valid_from: Mapped[date] = mapped_column(Date)
    basis: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    operator_id: Mapped[int] = operator_fk()
    approval_id: Mapped[int | None] = approval_fk()


class ModuleStockMove(Base):
    """A movement of meter modules (模块): received into stock, issued to a room's electrician,
    a faulty one returned, repaired back into stock, scrapped. `quantity` is always positive; the
    kind says which way it moves (STOCK_SIGNS in counter_app/ops/repairs.py)."""

    __tablename__ = "module_stock_moves"
    __table_args__ = (
        CheckConstraint(in_list("kind", STOCK_MOVES), name="kind_known"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
    )

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    model: Mapped[str] = mapped_column(String(50), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    on: Mapped[date] = mapped_column(Date)
    room_code: Mapped[str | None] = mapped_column(String(50))
    electrician: Mapped[str | None] = mapped_column(String(100))
    repair_item: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    operator_id: Mapped[int] = operator_fk()
    workstation_id: Mapped[int | None] = mapped_column(IntPK, ForeignKey("workstations.id"))  # NULL: CLI
