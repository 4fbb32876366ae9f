"""Scheduled and on-demand rounds over a meter bus (issue 17 §2; counter_app/meter_polling.py,
counter_app/ops/bus_rounds.py) against the simulated bus on a real socket: readings stored
insert-only with their source, a silent meter marked unanswered, the zero-balance rule applied,
one driver per port shared with the manual read, the status screen's figures."""

from __future__ import annotations

import argparse
import dataclasses
import io
import logging
import threading
import time

import pytest
from cardops_testing import audit_ok, rows
from opstesting import CHEAP, PASSWORD, make_world
from quotatesting import set_setting

from counter_app.admin.cli import main
from counter_app.admin.command import CommandContext
from counter_app.admin.meters import meter_poll
from counter_app.admin.output import Output
from counter_app.admin.passwords import Credentials
from counter_app.keystore import keystore_from_spec, set_device_secret
from counter_app.meter_polling import MeterPolling
from counter_app.ops.bus_rounds import bus_status
from db.models import MeterSwitch, RemoteMeterReading
from hardware.sim.meter_bus import DEFAULT_PASSWORD, SimMeterBus

LIVE, SILENT = "D-5-308", "D-5-309"
BUS = "dorm-5"


def wait_for(predicate, timeout: float = 10.0) -> None:
    end = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.05)


@pytest.fixture
def world(request, tmp_path):
    """SQLite; the scheduled round also runs on PostgreSQL (its status query groups differently)."""
    backend = getattr(request, "param", "sqlite")
    url = request.getfixturevalue("pg_url") if backend == "postgresql" else None
    w = make_world(tmp_path, db_url=url)
    yield w
    w.close()


def on_bus(world, protocol: str = "modbus"):
    """LIVE and SILENT metered on one simulated bus; SILENT's module never answers."""
    live, silent = ("000000005308", "000000005309") if protocol == "dlt645" else ("7", "9")
    sim = SimMeterBus(protocol, clock=world.clock)
    sim.add_meter(live, energy_ckwh=12_345)
    sim.add_meter(silent, energy_ckwh=500)
    sim.set_fault(silent, mute=True)
    set_setting(world, "meter_bus.ports", {BUS: sim.url})
    set_device_secret(keystore_from_spec(world.keystore), "dlt645_password", DEFAULT_PASSWORD)
    zhao = world.login("zhao")
    for account, address in ((LIVE, live), (SILENT, silent)):
        zhao.set_metering(account_no=account, mode="networked", bus=BUS, address=address, protocol=protocol)
    return sim, live, silent


@pytest.mark.parametrize(("world", "protocol"), [("sqlite", "dlt645"), ("sqlite", "modbus"),
                                                 ("postgresql", "modbus")], indirect=["world"])  # fmt: skip
def test_a_scheduled_round_stores_marks_and_trips(world, protocol):
    """GIVEN two rooms on a bus, one module silent, the zero-balance rule on
    WHEN the workstation's scheduled rounds start after a login
    THEN the live meter's reading is stored as "scheduled", the silent one as "unanswered", the live
    room (no balance, power on) is tripped by the rule, and the logout stops the rounds."""
    sim, live, _silent = on_bus(world, protocol)
    try:
        set_setting(world, "meter_bus.auto_trip", True)
        cashier = world.login("zhang")
        state = cashier.start_meter_polling()
        assert state.running and state.buses == (BUS,) and state.minutes == 15
        wait_for(lambda: len(rows(world, RemoteMeterReading)) >= 2 and len(rows(world, MeterSwitch)) >= 2)
        readings = {r.account_id: r for r in rows(world, RemoteMeterReading)}
        by_outcome = {r.outcome: r for r in readings.values()}
        ok, silent = by_outcome["ok"], by_outcome["unanswered"]
        assert (ok.energy_ckwh, ok.relay_closed, ok.source, ok.operator_id) == (
            12_345,
            True,
            "scheduled",
            None,
        )
        assert (
            silent.source == "scheduled" and silent.energy_ckwh is None and "DEVICE_OFFLINE" in silent.detail
        )
        [trip] = cashier.meter_switches(account_no=LIVE)
        assert (trip.command, trip.outcome, trip.reason) == ("trip", "done", "余额为零自动拉闸")
        assert sim.meter(live).relay_closed is False
        [status] = cashier.bus_status()
        assert status.scheduled and status.answered == 1  # the status query, on both backends
        cashier.logout()
        assert not world.counter.meter_polling.state().running
        assert audit_ok(world)
    finally:
        sim.close()


def test_the_manual_read_and_the_rounds_share_one_driver(world):
    sim, _, _ = on_bus(world)
    try:
        cashier = world.login("zhang")
        cashier.read_meter(account_no=LIVE)
        buses = world.counter.devices.meter_buses
        [driver] = [held.bus for held in buses._open.values()]
        cashier.read_buses_now()
        cashier.switch_meter(account_no=LIVE, command="trip", reason="欠费", approval=world.approval("li"))
        assert [held.bus for held in buses._open.values()] == [driver]  # never a second port
    finally:
        sim.close()


def test_read_all_now_reports_progress_and_the_status_screen_counts(world, caplog):
    sim, _, _ = on_bus(world)
    try:
        cashier = world.login("wang")
        seen = []
        caplog.set_level(logging.DEBUG)
        [result] = cashier.read_buses_now(progress=lambda done, total: seen.append((done, total)))
        # the silent Modbus meter: our warning per try, never pymodbus's own ERROR per request
        assert not [r for r in caplog.records if r.name.startswith("pymodbus") and r.levelno >= logging.ERROR]
        assert any("no answer" in r.getMessage() for r in caplog.records if r.name == "hardware.meter_bus")
        assert (result.bus, result.meters, result.answered, result.unanswered) == (BUS, 2, 1, 1)
        assert seen[-1] == (2, 2) and seen[0] == (1, 2)
        assert {r.source for r in rows(world, RemoteMeterReading)} == {"manual"}
        cashier.read_buses_now(bus=BUS)
        [state] = cashier.bus_status()
        assert (state.bus, state.url, state.protocol, state.answered, state.scheduled) == (
            BUS, sim.url, "modbus", 1, False)  # fmt: skip
        meters = {m.account_no: m for m in state.meters}
        assert (meters[LIVE].energy_ckwh, meters[LIVE].relay_closed, meters[LIVE].answered) == (
            12_345,
            True,
            True,
        )
        assert meters[LIVE].room_code and meters[LIVE].unanswered_since is None
        first = min(r.read_at for r in rows(world, RemoteMeterReading) if r.outcome == "unanswered")
        assert meters[SILENT].answered is False and meters[SILENT].unanswered_since == first
        assert meters[SILENT].energy_ckwh is None
    finally:
        sim.close()


def test_a_round_asked_for_runs_in_the_background(world):
    """GIVEN a slow line WHEN a person asks for a round THEN the call returns at once (the window's
    worker stays free for sales), its progress can be followed, and one round runs at a time."""
    sim, _, _ = on_bus(world)
    sim.close()
    sim = SimMeterBus("modbus", clock=world.clock, byte_delay_s=0.02)  # about 0.2 s per answer
    try:
        sim.add_meter("7", energy_ckwh=12_345)
        sim.add_meter("9", energy_ckwh=1)
        set_setting(world, "meter_bus.ports", {BUS: sim.url})
        cashier = world.login("zhang")
        first = cashier.start_bus_round()
        assert first.running and first.results == ()  # returned while the round still runs
        assert cashier.start_bus_round().running  # the same round, not a second one
        wait_for(lambda: not cashier.bus_round_progress().running)
        done = cashier.bus_round_progress()
        assert (done.done, done.total, done.error) == (2, 2, None)
        [result] = done.results
        assert (result.answered, result.unanswered) == (2, 0)
        assert len(rows(world, RemoteMeterReading)) == 2
        refused = world.login("qian").start_bus_round  # no meter reader's role
        with pytest.raises(Exception, match="角色"):
            refused()
    finally:
        sim.close()


def test_a_dead_port_records_no_unanswered_rows(world):
    sim, _, _ = on_bus(world)
    sim.close()  # nobody listens on the port any more
    [result] = world.login("zhang").read_buses_now()
    assert result.port_failed and result.answered == 0 and result.unanswered == 0
    assert rows(world, RemoteMeterReading) == []


def test_no_rounds_when_off_or_on_another_workstation_or_for_a_non_reader(world):
    sim, _, _ = on_bus(world)
    try:
        set_setting(world, "meter_bus.poll_minutes", 0)
        state = world.login("zhang").start_meter_polling()
        assert (state.running, state.buses, state.reason) == (True, (), "off")
        set_setting(world, "meter_bus.poll_minutes", 5)
        set_setting(world, "meter_bus.poll_workstation", "W99")
        state = world.login("zhang").start_meter_polling()
        assert (state.buses, state.reason) == ((), "another_workstation")
        state = world.login("qian").start_meter_polling()  # no meter reader's role
        assert (state.running, state.reason) == (False, "ROLE_FORBIDDEN")
        assert rows(world, RemoteMeterReading) == []
    finally:
        world.counter.meter_polling.stop()
        sim.close()


def test_a_production_database_never_polls_a_simulator(world):
    """A simulator URL on a production database: the bus is shown with SIMULATION_REFUSED and no
    poller starts (as a manual read refuses it)."""
    sim, _, _ = on_bus(world)
    polling = MeterPolling()
    try:
        production = dataclasses.replace(world.login("zhang").ctx, dev_database=False)
        state = polling.start(production)
        assert state.buses == () and state.reason == "no_buses"
        [bus] = bus_status(production)
        assert bus.problem and "simulat" in bus.problem.lower()
        assert rows(world, RemoteMeterReading) == []
    finally:
        polling.stop()
        sim.close()


def test_a_headless_round_from_the_command_line(world):
    """`counter-admin meter poll --once`: one round as a scheduled one, printed per bus."""
    sim, _, _ = on_bus(world)
    try:
        out, err = io.StringIO(), io.StringIO()
        code = main(["--db", world.db_url, "--keystore", world.keystore, "meter", "poll", "--once", "--as", "zhang"],
                    stdin=io.StringIO(f"{PASSWORD}\n"), stdout=out, stderr=err, environ={}, hasher=CHEAP)  # fmt: skip
        assert code == 0, err.getvalue()
        assert f"总线 {BUS}：2 块表，应答 1，无应答 1" in out.getvalue()
        assert sorted((r.source, r.outcome) for r in rows(world, RemoteMeterReading)) == [
            ("scheduled", "ok"), ("scheduled", "unanswered")]  # fmt: skip
    finally:
        sim.close()


def test_the_command_line_polls_on_the_schedule_until_stopped(world):
    """`counter-admin meter poll` (no --once): the scheduled rounds, without a window, until told
    to stop (Ctrl+C); `--bus` goes with `--once` only."""
    sim, _, _ = on_bus(world)
    out, stop = io.StringIO(), threading.Event()

    def command(**args):
        return CommandContext(args=argparse.Namespace(**args), out=Output(out, io.StringIO()),
                              credentials=Credentials(actor="zhang", secrets={"actor": PASSWORD}),
                              db_url=world.db_url, keystore=world.keystore, hasher=CHEAP)  # fmt: skip

    try:
        with pytest.raises(Exception, match="--once"):
            meter_poll(command(once=False, bus=BUS))
        done: list[int] = []
        thread = threading.Thread(
            target=lambda: done.append(meter_poll(command(once=False, bus=None), stop=stop))
        )
        thread.start()
        wait_for(lambda: len(rows(world, RemoteMeterReading)) >= 2)
        stop.set()
        thread.join(15)
        assert done == [0] and "每 15 分钟" in out.getvalue() and BUS in out.getvalue()
        assert {r.source for r in rows(world, RemoteMeterReading)} == {"scheduled"}
    finally:
        stop.set()
        sim.close()
