"""How an account's energy is metered (issue 17; DOMAIN "Monthly checks", networked modules):
by card (the default, no row needed) or by a networked meter module read and switched over an
RS-485 bus (hardware/meter_bus.py).

Insert-only: each row states the account's metering from its moment on; the newest row is in
force. Audited (the chain covers every row): it decides whether a sale writes a card.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
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


# --- software control (软件控制, seed 003 §4.3.5): a room kept on power without its module ------------

SOFTWARE_CONTROL_STEPS = ("begin", "end")
# How the energy of the period was found: the same module's register read before and after, or an
# estimate a person typed with its basis (a sub-meter, days × a per-day figure, …).
SOFTWARE_CONTROL_METHODS = ("readings", "estimate")


class SoftwareControlStep(Base):
    """The beginning or the end of a period in which a room was kept on power while its module did
    not meter or enforce the balance (a failed module or 中卫机 with no replacement at hand).

    Insert-only and audited: a period is its `begin` row; its `end` row names it in `begins_id`
    (unique: a period ends once) and carries the back-charge (补交所差电费): the energy used in the
    period, the price in force, the part the networked balance covered and the shortfall noticed.
    Both steps are co-signed by a 监督人 (they suspend and restore enforcement, and decide money).
    """

    __tablename__ = "software_control_steps"
    __table_args__ = (
        CheckConstraint(in_list("step", SOFTWARE_CONTROL_STEPS), name="step_known"),
        CheckConstraint(
            f"method IS NULL OR {in_list('method', SOFTWARE_CONTROL_METHODS)}", name="method_known"
        ),
        CheckConstraint(
            "(step = 'begin' AND begins_id IS NULL AND method IS NULL) OR "
            "(step = 'end' AND begins_id IS NOT NULL AND method IS NOT NULL AND energy_ckwh >= 0 "
            "AND price_e4 > 0 AND covered_ckwh >= 0 AND covered_ckwh <= energy_ckwh AND shortfall_fen >= 0)",
            name="end_has_its_figures",
        ),
        UniqueConstraint("begins_id", name="ends_once"),
        # The account's periods are numbered 1, 2, …: a begin takes the next number only when the
        # previous period has ended, so two counters beginning at once cannot open two periods.
        UniqueConstraint("account_id", "step", "period_no", name="one_period_per_number"),
    )

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    account_id: Mapped[int] = mapped_column(IntPK, ForeignKey("accounts.id"), index=True)
    step: Mapped[str] = mapped_column(String(8))
    period_no: Mapped[int] = mapped_column(BigInteger)
    begins_id: Mapped[int | None] = mapped_column(IntPK, ForeignKey("software_control_steps.id"))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    operator_id: Mapped[int] = operator_fk()
    workstation_id: Mapped[int | None] = mapped_column(IntPK, ForeignKey("workstations.id"))
    approval_id: Mapped[int | None] = approval_fk()
    reason: Mapped[str] = mapped_column(Text)
    # begin: the repair log entry of the failed module, if one was recorded (module_stock_moves)
    repair_move_id: Mapped[int | None] = mapped_column(IntPK, ForeignKey("module_stock_moves.id"))
    # begin: the last answered reading before the period; end: the first answered one after it
    reading_id: Mapped[int | None] = mapped_column(IntPK, ForeignKey("meter_readings_remote.id"))
    # end: how the energy was found and the back-charge
    method: Mapped[str | None] = mapped_column(String(16))
    module_replaced: Mapped[bool | None] = mapped_column(Boolean)
    new_start_ckwh: Mapped[int | None] = mapped_column(BigInteger)  # a new module's register when fitted
    estimate_basis: Mapped[str | None] = mapped_column(Text)
    energy_ckwh: Mapped[int | None] = mapped_column(BigInteger)
    price_e4: Mapped[int | None] = mapped_column(BigInteger)
    covered_ckwh: Mapped[int | None] = mapped_column(BigInteger)
    shortfall_fen: Mapped[int | None] = mapped_column(BigInteger)
    notice_id: Mapped[int | None] = mapped_column(IntPK, ForeignKey("notices.id"))
