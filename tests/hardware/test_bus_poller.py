"""The bus poller against the simulated bus (both protocols, over a socket): scheduled rounds,
reads on demand, meters that stop answering, switches with every outcome reported."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime

import pytest

from base.clock import BUSINESS_TZ, FixedClock
from hardware.bus_poller import BusPoller, MeterReading, MeterUnanswered, SwitchOutcome
from hardware.meter_bus import open_meter_bus
from hardware.sim.meter_bus import DEFAULT_PASSWORD, SimMeterBus

START = datetime(2026, 12, 3, 20, 0, tzinfo=BUSINESS_TZ)


class Events:
    def __init__(self) -> None:
        self.readings: list[MeterReading] = []
        self.unanswered: list[MeterUnanswered] = []
        self.switches: list[SwitchOutcome] = []
        self.changed = threading.Condition()

    def add(self, target: list, event) -> None:
        with self.changed:
            target.append(event)
            self.changed.notify_all()

    def wait_for(self, predicate, timeout: float = 10.0) -> None:
        with self.changed:
            assert self.changed.wait_for(predicate, timeout), "the poller did not report in time"


@pytest.fixture(params=["dlt645", "modbus"])
def setup(request) -> Iterator[tuple[SimMeterBus, BusPoller, Events, callable]]:
    protocol = request.param
    clock = FixedClock(START)
    sim = SimMeterBus(protocol, clock=clock)
    extra = {"password": DEFAULT_PASSWORD, "clock": clock} if protocol == "dlt645" else {}
    bus = open_meter_bus(sim.url, protocol, timeout=0.3, **extra)
    events = Events()

    def addr(n: int) -> str:
        return f"{n:012d}" if protocol == "dlt645" else str(n)

    poller = BusPoller(
        bus,
        interval_s=3600,
        on_reading=lambda e: events.add(events.readings, e),
        on_unanswered=lambda e: events.add(events.unanswered, e),
        on_switch=lambda e: events.add(events.switches, e),
        clock=clock,
    )
    yield sim, poller, events, addr
    poller.stop()
    bus.close()
    sim.close()


def test_a_round_reads_every_meter_then_waits_for_the_interval(setup):
    sim, poller, events, addr = setup
    sim.add_meter(addr(1), energy_ckwh=100)
    sim.add_meter(addr(2), energy_ckwh=200, relay_closed=False)
    poller.set_addresses([addr(1), addr(2)])
    poller.start()
    events.wait_for(lambda: len(events.readings) == 2)
    got = {(r.address, r.energy_ckwh, r.relay_closed, r.on_demand) for r in events.readings}
    assert got == {(addr(1), 100, True, False), (addr(2), 200, False, False)}
    assert all(s.answering for s in poller.status())


def test_on_demand_reads_come_at_once_whatever_the_schedule(setup):
    sim, poller, events, addr = setup
    sim.add_meter(addr(1), energy_ckwh=100)
    poller.set_addresses([addr(1)])
    poller.start()
    events.wait_for(lambda: len(events.readings) == 1)
    sim.consume(addr(1), 25)
    poller.request_read(addr(1))
    events.wait_for(lambda: len(events.readings) == 2)
    assert events.readings[-1].energy_ckwh == 125
    direct = poller.read_now(addr(1))
    assert isinstance(direct, MeterReading) and direct.on_demand and direct.energy_ckwh == 125


def test_a_meter_that_stops_answering_is_marked_and_counted(setup):
    sim, poller, events, addr = setup
    sim.add_meter(addr(1), energy_ckwh=5)
    poller.set_addresses([addr(1)])
    assert isinstance(poller.read_now(addr(1)), MeterReading)
    sim.set_fault(addr(1), mute=True)
    first, second = poller.read_now(addr(1)), poller.read_now(addr(1))
    assert isinstance(second, MeterUnanswered)
    assert (first.failures_in_a_row, second.failures_in_a_row) == (1, 2)
    assert (second.code, second.reason) == ("DEVICE_OFFLINE", "no_answer")
    (status,) = poller.status()
    assert not status.answering and status.last_reading.energy_ckwh == 5
    sim.set_fault(addr(1), mute=False)
    poller.read_now(addr(1))
    assert poller.status()[0].answering


def test_switch_outcomes_are_all_reported(setup):
    sim, poller, events, addr = setup
    sim.add_meter(addr(1))
    sim.add_meter(addr(2), refuse=True)
    sim.add_meter(addr(3))
    done = poller.switch(addr(1), "trip")
    assert (done.outcome, done.relay_closed, done.code) == ("done", False, None)
    refused = poller.switch(addr(2), "trip")
    assert (refused.outcome, refused.relay_closed, refused.code) == ("refused", True, "METER_REFUSED")
    sim.line.drop_next = 1  # the answer is lost; the relay read shows it acted
    lost = poller.switch(addr(3), "trip")
    assert (lost.outcome, lost.relay_closed) == ("done", False)
    sim.set_fault(addr(3), mute=True)
    unknown = poller.switch(addr(3), "close")
    assert (unknown.outcome, unknown.relay_closed, unknown.code) == ("unknown", None, "DEVICE_OFFLINE")
    assert [s.outcome for s in events.switches] == ["done", "refused", "done", "unknown"]


def test_a_failing_callback_does_not_stop_the_poller(setup):
    sim, poller, events, addr = setup
    sim.add_meter(addr(1), energy_ckwh=1)
    calls: list[int] = []

    def broken(reading):
        calls.append(reading.energy_ckwh)
        raise RuntimeError("database hiccup")

    poller.on_reading = broken
    poller.interval_s = 0.05
    poller.set_addresses([addr(1)])
    poller.start()
    deadline = threading.Event()
    for _ in range(100):
        if len(calls) >= 3:
            break
        deadline.wait(0.05)
    assert len(calls) >= 3
