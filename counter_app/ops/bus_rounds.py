"""Rounds over a meter bus and what the bus status screen shows (issue 17 §2, §5).

A round reads every networked account of a bus through a `BusPoller` (hardware/bus_poller.py)
around the counter's one driver of its port (counter_app/meter_buses.py), and stores what it hears
through the same steps as a manual read: `networked.record_reading` (insert-only, audited, one
short transaction after the bus was talked to; a silent meter is an "unanswered" row) and then the
zero-balance rule of `networked_sale.after_reading` (`meter_bus.auto_trip`). The scheduled rounds
(counter_app/meter_polling.py) record with source "scheduled"; a round a person asks for on the
status screen with source "manual".

A port that cannot be opened is the bus's fault, not each meter's: it is reported for the bus
(`BusTargets.problem`, the round's `port_failed`) and no reading row is written for it, so a
missing USB adapter does not fill the table with "unanswered" rows every round.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from base.errors import UserFacingError
from counter_app.context import OpContext
from counter_app.ops import networked, networked_sale
from counter_app.ops.area import SessionArea
from counter_app.ops.networked import METER_READERS, BusTarget
from db.models import RemoteMeterReading, Room
from db.queries.metering import bus_reading_summary, networked_accounts
from hardware.bus_poller import BusPoller, MeterReading, MeterUnanswered
from hardware.meter_bus import MeterBus

log = logging.getLogger(__name__)
Progress = Callable[[int, int], object]  # (meters done, meters in the round)


@dataclass
class BusTargets:
    """One bus as the settings and the accounts describe it now."""

    name: str
    url: str  # "" when `meter_bus.ports` names no port for it
    protocols: tuple[str, ...]
    targets: list[BusTarget] = field(default_factory=list)
    rooms: dict[int, str] = field(default_factory=dict)  # account id -> room code
    problem: str | None = None  # why it cannot be read (no port, a simulator on production, …)

    def by_address(self) -> dict[str, BusTarget]:
        return {t.address: t for t in self.targets}


@dataclass(frozen=True)
class RoundResult:
    bus: str
    meters: int
    answered: int
    unanswered: int
    port_failed: bool  # the port could not be used: nothing recorded for the meters
    problem: str | None = None


@dataclass(frozen=True)
class BusMeterState:
    account_no: str
    room_code: str
    address: str
    energy_ckwh: int | None  # the last answered reading
    read_at: datetime | None  # when that was
    relay_closed: bool | None  # as that reading saw it
    answered: bool | None  # the newest reading answered (None: never read)
    unanswered_since: datetime | None


@dataclass(frozen=True)
class BusState:
    bus: str
    url: str
    protocol: str  # "dlt645", "modbus" (two joined by "+" is a wiring error the screen shows)
    meters: tuple[BusMeterState, ...]
    answered: int  # meters whose newest reading answered
    scheduled: bool  # this counter's scheduled rounds run on it now
    problem: str | None


# --- the buses ---------------------------------------------------------------------------------


def bus_targets(ctx: OpContext, *, only: str | None = None) -> list[BusTargets]:
    """Every bus that has networked accounts or a port, in one read-only transaction."""
    with ctx.reading() as s:
        ports: dict[str, str] = dict(ctx.setting(s, "meter_bus.ports"))
        buses: dict[str, BusTargets] = {
            name: BusTargets(name, url, ()) for name, url in sorted(ports.items()) if only in (None, name)
        }
        first: dict[str, BusTarget] = {}  # the bus's port and operator code, checked once per bus
        for account, row in networked_accounts(s, bus=only):
            assert row.bus is not None and row.protocol is not None and row.address is not None
            bus = buses.setdefault(row.bus, BusTargets(row.bus, ports.get(row.bus, ""), ()))
            if row.protocol not in bus.protocols:
                bus.protocols = (*bus.protocols, row.protocol)
            room = s.get(Room, account.room_id)
            room_code = room.room_code if room else ""
            known = first.get(row.bus)
            if known is not None:
                bus.targets.append(BusTarget(account.id, account.account_no, room_code, row.bus, row.address,
                                             row.protocol, known.url, known.operator_code))  # fmt: skip
                continue
            try:
                target = networked.target_of_row(ctx, s, account, row)
            except UserFacingError as exc:  # no port, a simulator on a production database
                bus.problem = bus.problem or f"{exc.message} / {exc.message_en}"
                bus.targets.append(BusTarget(account.id, account.account_no, room_code, row.bus, row.address,
                                             row.protocol, "", ""))  # fmt: skip
                continue
            first[row.bus] = target
            bus.targets.append(target)
        for bus in buses.values():
            if len(bus.protocols) > 1 and bus.problem is None:
                bus.problem = f"一条总线只能用一种协议：{'、'.join(bus.protocols)} / one line, one protocol"
        return list(buses.values())


def driver_for(ctx: OpContext, bus: BusTargets) -> MeterBus | None:
    """The shared driver of a bus that can be read, else None (its `problem` says why)."""
    if bus.problem is not None or not bus.targets:
        return None
    try:
        return networked.bus_of(ctx, bus.targets[0])
    except UserFacingError as exc:
        bus.problem = f"{exc.message} / {exc.message_en}"
        return None


# --- storing what the poller heard ----------------------------------------------------------------


@dataclass
class Recorder:
    """The poller's callbacks for one bus: each reading stored as a manual read stores it."""

    ctx: OpContext
    targets: dict[str, BusTarget]
    source: str  # scheduled | manual
    port_failed: bool = False

    def reading(self, event: MeterReading) -> None:
        target = self.targets.get(event.address)
        if target is None:
            return
        self.port_failed = False
        reading = networked.record_reading(self.ctx, target, energy=event.energy_ckwh, relay=event.relay_closed,
                                           outcome="ok", detail=None, source=self.source)  # fmt: skip
        networked_sale.after_reading(self.ctx, reading)

    def unanswered(self, event: MeterUnanswered) -> None:
        target = self.targets.get(event.address)
        if target is None:
            return
        if event.reason == "port":  # the line, not the meter: said once for the bus, not per meter
            if not self.port_failed:
                log.warning("meter bus %s: port failed: %s", target.bus, event.detail)
            self.port_failed = True
            return
        networked.record_reading(self.ctx, target, energy=None, relay=None, outcome="unanswered",
                                 detail=f"{event.code}: {event.reason}", source=self.source)  # fmt: skip


def poller_for(
    ctx: OpContext, driver: MeterBus, recorder: Recorder, *, interval_s: float = 900.0
) -> BusPoller:
    return BusPoller(driver, list(recorder.targets), interval_s=interval_s, on_reading=recorder.reading,
                     on_unanswered=recorder.unanswered, clock=ctx.clock)  # fmt: skip


# --- a round now (the status screen's 立即抄表, `counter-admin meter poll --once`) ------------------


def read_buses_now(
    ctx: OpContext, *, bus: str | None = None, progress: Progress | None = None, source: str = "manual"
) -> list[RoundResult]:
    """Read every meter of `bus` (None: every bus) now, on the calling thread, through each bus's
    shared driver; `progress(done, total)` after each meter."""
    with ctx.reading() as s:
        ctx.require_role(s, *METER_READERS)
    buses = bus_targets(ctx, only=bus)
    total, done = sum(len(b.targets) for b in buses if b.problem is None), 0
    results = []
    for b in buses:
        driver = driver_for(ctx, b)
        if driver is None:
            results.append(RoundResult(b.name, len(b.targets), 0, 0, False, b.problem))
            continue
        recorder = Recorder(ctx, b.by_address(), source)
        poller = poller_for(ctx, driver, recorder)  # not started: its reads run here
        answered = 0
        for address in recorder.targets:
            answered += isinstance(poller.read_now(address, on_demand=source == "manual"), MeterReading)
            done += 1
            if progress is not None:
                progress(done, total)
            if recorder.port_failed:
                break  # the port is gone: the other meters cannot be reached either
        unanswered = 0 if recorder.port_failed else len(recorder.targets) - answered
        results.append(RoundResult(b.name, len(b.targets), answered, unanswered, recorder.port_failed))
    if progress is not None:
        progress(total, total)
    return results


# --- the status screen ------------------------------------------------------------------------------


def bus_status(ctx: OpContext, *, scheduled: frozenset[str] = frozenset()) -> list[BusState]:
    """Per bus: its port, protocol, meters with their last reading, how many answered last."""
    with ctx.reading() as s:
        ctx.require_role(s, *METER_READERS)
    buses = bus_targets(ctx)
    out = []
    with ctx.reading() as s:
        summary = bus_reading_summary(s, [(t.account_id, t.address) for b in buses for t in b.targets])
        for b in buses:
            meters = [_meter_state(t, *summary.get(t.account_id, (None, None, None))) for t in b.targets]
            out.append(BusState(b.name, b.url, "+".join(b.protocols), tuple(meters),
                                sum(1 for m in meters if m.answered), b.name in scheduled, b.problem))  # fmt: skip
    return out


def _meter_state(
    t: BusTarget, newest: RemoteMeterReading | None, ok: RemoteMeterReading | None, since: datetime | None
) -> BusMeterState:
    return BusMeterState(
        t.account_no, t.room_code, t.address, ok.energy_ckwh if ok else None, ok.read_at if ok else None,
        ok.relay_closed if ok else None, None if newest is None else newest.outcome == "ok", since,
    )  # fmt: skip


class BusRoundOps(SessionArea):
    """Facade mixin (counter_app/session.py)."""

    def bus_status(self) -> list[BusState]:
        return bus_status(self.ctx, scheduled=self.counter.meter_polling.scheduled_buses())

    def read_buses_now(
        self, *, bus: str | None = None, progress: Callable[[int, int], None] | None = None
    ) -> list[RoundResult]:
        """Every meter of `bus` (None: all) now, as a person's round (source "manual")."""
        return read_buses_now(self.ctx, bus=bus, progress=progress)
