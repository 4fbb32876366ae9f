"""Places and counters: campus (校区) → building (楼栋) → optional unit (单元) → room (房间);
workstations (counters) registered to a campus; the installation row (development or production).

A room code typed at the counter (`5-308`, `05308`) is stored normalised (`5-308`, see
`counter_app.room_codes`) and is unique within its campus, which is why rooms carry `campus_id`
although their building already tells it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import UUID_TEXT_LENGTH, Base, IntPK, UtcDateTime, row_mac_column


class Installation(Base):
    """Written once by `counter-admin init`. `dev` marks a development database: only there may
    simulated devices and `COUNTER_CLOCK` be used (API.md SIMULATION_REFUSED)."""

    __tablename__ = "installation"

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    instance_id: Mapped[str] = mapped_column(String(UUID_TEXT_LENGTH), unique=True)
    dev: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    app_version: Mapped[str] = mapped_column(String(32))
    row_mac: Mapped[str | None] = row_mac_column()  # counter_app.row_seals


class Campus(Base):
    __tablename__ = "campuses"

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    row_mac: Mapped[str | None] = row_mac_column()  # counter_app.row_seals


class Building(Base):
    __tablename__ = "buildings"
    __table_args__ = (UniqueConstraint("campus_id", "code"),)

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    campus_id: Mapped[int] = mapped_column(IntPK, ForeignKey("campuses.id"))
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str | None] = mapped_column(String(100))
    row_mac: Mapped[str | None] = row_mac_column()  # counter_app.row_seals


class Unit(Base):
    __tablename__ = "units"
    __table_args__ = (UniqueConstraint("building_id", "code"),)

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    building_id: Mapped[int] = mapped_column(IntPK, ForeignKey("buildings.id"))
    code: Mapped[str] = mapped_column(String(32))
    row_mac: Mapped[str | None] = row_mac_column()  # counter_app.row_seals


class Room(Base):
    __tablename__ = "rooms"
    __table_args__ = (
        # Unique per campus, and the search's prefix match (`room_code LIKE '5-30%'`): PostgreSQL
        # serves LIKE from a btree only with the pattern operator class whatever the collation.
        Index(
            "uq_rooms_campus_id_room_code",
            "campus_id",
            "room_code",
            unique=True,
            postgresql_ops={"room_code": "varchar_pattern_ops"},
        ),
        CheckConstraint("beds >= 0", name="beds_not_negative"),
        CheckConstraint("area_dm2 IS NULL OR area_dm2 >= 0", name="area_not_negative"),
    )

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    campus_id: Mapped[int] = mapped_column(IntPK, ForeignKey("campuses.id"))
    building_id: Mapped[int] = mapped_column(IntPK, ForeignKey("buildings.id"))
    unit_id: Mapped[int | None] = mapped_column(IntPK, ForeignKey("units.id"))
    number: Mapped[str] = mapped_column(String(32))
    room_code: Mapped[str] = mapped_column(String(32))
    beds: Mapped[int] = mapped_column(Integer, default=0)
    area_dm2: Mapped[int | None] = mapped_column(Integer)
    row_mac: Mapped[str | None] = row_mac_column()  # counter_app.row_seals


class Workstation(Base):
    """A counter PC. `code` (W01) prefixes its receipt numbers; `simulated` marks a counter that
    runs simulated devices (development databases only)."""

    __tablename__ = "workstations"

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    campus_id: Mapped[int] = mapped_column(IntPK, ForeignKey("campuses.id"))
    name: Mapped[str | None] = mapped_column(String(100))
    simulated: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    row_mac: Mapped[str | None] = row_mac_column()  # counter_app.row_seals
