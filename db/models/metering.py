"""How an account's energy is metered (issue 17; DOMAIN "Monthly checks", networked modules):
by card (the default, no row needed) or by a networked meter module read and switched over an
RS-485 bus (hardware/meter_bus.py).

Insert-only: each row states the account's metering from its moment on; the newest row is in
force. Audited (the chain covers every row): it decides whether a sale writes a card.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, IntPK, UtcDateTime, approval_fk, in_list, operator_fk

METERING_MODES = ("card", "networked")
# The protocols of hardware/meter_bus.py (db may not import hardware; tests keep the two equal).
BUS_PROTOCOLS = ("dlt645", "modbus")
BUS_NAME_LENGTH = 64
BUS_ADDRESS_LENGTH = 16


class AccountMetering(Base):
    __tablename__ = "account_meterings"
    __table_args__ = (
        CheckConstraint(in_list("mode", METERING_MODES), name="mode_known"),
        CheckConstraint(
            "(mode = 'card' AND bus IS NULL AND address IS NULL AND protocol IS NULL) OR "
            "(mode = 'networked' AND bus IS NOT NULL AND address IS NOT NULL AND protocol IS NOT NULL)",
            name="networked_has_a_bus",
        ),
        CheckConstraint(f"protocol IS NULL OR {in_list('protocol', BUS_PROTOCOLS)}", name="protocol_known"),
    )

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    account_id: Mapped[int] = mapped_column(IntPK, ForeignKey("accounts.id"), index=True)
    mode: Mapped[str] = mapped_column(String(16))
    bus: Mapped[str | None] = mapped_column(String(BUS_NAME_LENGTH), index=True)  # the bus's name
    address: Mapped[str | None] = mapped_column(String(BUS_ADDRESS_LENGTH))
    protocol: Mapped[str | None] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    operator_id: Mapped[int] = operator_fk()
    workstation_id: Mapped[int | None] = mapped_column(IntPK, ForeignKey("workstations.id"))
    approval_id: Mapped[int | None] = approval_fk()
    reason: Mapped[str | None] = mapped_column(Text)


# --- what the bus said (issue 17 §2): readings and switch commands, insert-only, audited ---------

READING_SOURCES = ("scheduled", "manual")
READING_OUTCOMES = ("ok", "unanswered")
SWITCH_COMMANDS = ("trip", "close")
# "unknown": asked, no answer (or not yet): the meter may have acted. A later row resolves it.
SWITCH_OUTCOMES = ("done", "refused", "unknown")


class RemoteMeterReading(Base):
    """One read of a networked module: its energy register (0.01 kWh) and relay, or that it did not
    answer. Readings feed the networked balance and the monthly checks."""

    __tablename__ = "meter_readings_remote"
    __table_args__ = (
        CheckConstraint(in_list("source", READING_SOURCES), name="source_known"),
        CheckConstraint(in_list("outcome", READING_OUTCOMES), name="outcome_known"),
        CheckConstraint(
            "outcome <> 'ok' OR (energy_ckwh IS NOT NULL AND energy_ckwh >= 0)", name="ok_has_energy"
        ),
    )

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    account_id: Mapped[int] = mapped_column(IntPK, ForeignKey("accounts.id"), index=True)
    bus: Mapped[str] = mapped_column(String(BUS_NAME_LENGTH))
    address: Mapped[str] = mapped_column(String(BUS_ADDRESS_LENGTH))
    energy_ckwh: Mapped[int | None] = mapped_column(BigInteger)
    relay_closed: Mapped[bool | None] = mapped_column(Boolean)
    read_at: Mapped[datetime] = mapped_column(UtcDateTime)
    source: Mapped[str] = mapped_column(String(16))
    outcome: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str | None] = mapped_column(Text)
    operator_id: Mapped[int | None] = operator_fk(nullable=True)  # None: the poller's schedule
    workstation_id: Mapped[int | None] = mapped_column(IntPK, ForeignKey("workstations.id"))


class MeterSwitch(Base):
    """A trip / allow-close command and what became of it. Insert-only: the request is committed
    first with outcome "unknown" (before any byte goes out); the answer, a later read of the relay,
    or a person's finding is a new row naming the request in `resolves_id`. The newest row of a
    request is its outcome; a crash between the two leaves the request "unknown"."""

    __tablename__ = "meter_switches"
    __table_args__ = (
        CheckConstraint(in_list("command", SWITCH_COMMANDS), name="command_known"),
        CheckConstraint(in_list("outcome", SWITCH_OUTCOMES), name="outcome_known"),
    )

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    account_id: Mapped[int] = mapped_column(IntPK, ForeignKey("accounts.id"), index=True)
    resolves_id: Mapped[int | None] = mapped_column(IntPK, ForeignKey("meter_switches.id"), index=True)
    bus: Mapped[str] = mapped_column(String(BUS_NAME_LENGTH))
    address: Mapped[str] = mapped_column(String(BUS_ADDRESS_LENGTH))
    command: Mapped[str] = mapped_column(String(8))
    outcome: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UtcDateTime)  # asked at (request) / answered at (resolution)
    operator_id: Mapped[int | None] = operator_fk(nullable=True)  # None: a rule of the poller
    workstation_id: Mapped[int | None] = mapped_column(IntPK, ForeignKey("workstations.id"))
    approval_id: Mapped[int | None] = approval_fk()
    reason: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[str | None] = mapped_column(Text)
