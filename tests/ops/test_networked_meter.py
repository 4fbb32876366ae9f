"""Reading and switching a networked room's module (issue 17 §2) against the simulated bus on a
socket: readings and switch commands are recorded insert-only and audited, a switch is co-signed
by a 监督人, and a switch whose answer was lost (or whose process died) stays "unknown" until a
read of the relay or a person resolves it."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cardops_testing import audit_ok, rows
from opstesting import make_world
from quotatesting import set_setting

from base.errors import UserFacingError
from base.money import money_for_energy
from counter_app.approval_summary import summarise
from counter_app.keystore import keystore_from_spec, set_device_secret
from counter_app.ops.networked import is_simulator_url, read_meter
from db.models import LedgerEntry, MeterSwitch, RemoteMeterReading
from hardware.sim.meter_bus import DEFAULT_PASSWORD, SimMeterBus

DORM = "D-5-308"
BUS = "dorm-5"


@pytest.fixture(params=["sqlite", "postgresql"])
def world(request, tmp_path):
    url = request.getfixturevalue("pg_url") if request.param == "postgresql" else None
    w = make_world(tmp_path, db_url=url)
    yield w
    w.close()


@pytest.fixture(params=["dlt645", "modbus"])
def networked(request, world):
    """DORM metered by a module on a simulated bus; (world, sim, address)."""
    protocol = request.param
    address = "000000005308" if protocol == "dlt645" else "7"
    sim = SimMeterBus(protocol, clock=world.clock)
    sim.add_meter(address, energy_ckwh=12_345)
    set_setting(world, "meter_bus.ports", {BUS: sim.url})
    set_device_secret(keystore_from_spec(world.keystore), "dlt645_password", DEFAULT_PASSWORD)
    world.login("zhao").set_metering(account_no=DORM, mode="networked", bus=BUS, address=address,
                                     protocol=protocol)  # fmt: skip
    yield world, sim, address
    sim.close()


def refused(code, call, **kwargs):
    with pytest.raises(UserFacingError) as err:
        call(**kwargs)
    assert err.value.code == code, err.value
    return err.value


def test_a_manual_read_is_recorded(networked):
    world, sim, address = networked
    got = world.login("zhang").read_meter(account_no=DORM)
    assert (got.outcome, got.energy_ckwh, got.relay_closed, got.source) == ("ok", 12_345, True, "manual")
    sim.meter(address).energy_ckwh = 12_400
    world.login("wang").read_meter(account_no=DORM)
    assert [r.energy_ckwh for r in world.login("zhao").meter_readings(account_no=DORM)] == [12_400, 12_345]
    assert len(rows(world, RemoteMeterReading)) == 2 and audit_ok(world)


def test_a_silent_meter_is_recorded_unanswered(networked):
    world, sim, address = networked
    sim.set_fault(address, mute=True)
    got = world.login("zhang").read_meter(account_no=DORM)
    assert (got.outcome, got.energy_ckwh, got.relay_closed) == ("unanswered", None, None)
    assert "DEVICE_OFFLINE" in got.detail
    assert audit_ok(world)


def test_reading_refusals(networked):
    world, _, _ = networked
    refused("ROLE_FORBIDDEN", world.login("qian").read_meter, account_no=DORM)
    refused("INPUT_INVALID", world.login("zhang").read_meter, account_no="D-5-309")  # a card room
    world.login("zhao").set_metering(account_no="D-5-309", mode="networked", bus="nowhere", address="9",
                                     protocol="modbus")  # fmt: skip
    err = refused("INPUT_INVALID", world.login("zhang").read_meter, account_no="D-5-309")
    assert err.data["bus"] == "nowhere"  # no port configured for that bus
    assert rows(world, RemoteMeterReading) == []


def test_a_switch_is_co_signed_and_recorded_before_and_after(networked):
    world, sim, address = networked
    cashier = world.login("zhang")
    refused("APPROVAL_REQUIRED", cashier.switch_meter, account_no=DORM, command="trip", reason="欠费")
    assert rows(world, MeterSwitch) == []
    preview = cashier.approval_preview("switch_meter", account_no=DORM, command="trip", reason="欠费")
    assert preview.needed and preview.kind == "meter.switch"
    text = preview.summary.text()
    assert "5-308" in text and "拉闸" in text and "欠费" in text
    assert rows(world, MeterSwitch) == []  # the preview writes nothing and sends nothing
    assert sim.meter(address).relay_closed is True
    got = cashier.switch_meter(account_no=DORM, command="trip", reason="欠费", approval=world.approval("li"))
    assert (got.command, got.outcome, got.approval_id is not None) == ("trip", "done", True)
    assert sim.meter(address).relay_closed is False
    request, answer = rows(world, MeterSwitch)
    assert (request.outcome, request.resolves_id, answer.outcome, answer.resolves_id) == (
        "unknown", None, "done", request.id)  # fmt: skip
    history = world.login("wang").meter_switches(account_no=DORM)
    assert [(h.command, h.outcome) for h in history] == [("trip", "done")]
    assert audit_ok(world)


def test_only_a_supervisor_co_signs_a_switch(networked):
    world, _, _ = networked
    refused("APPROVAL_INVALID", world.login("zhang").switch_meter, account_no=DORM, command="close",
            reason="已缴费", approval=world.approval("zhao"))  # fmt: skip


def test_a_refused_switch_is_recorded_refused(networked):
    world, sim, address = networked
    sim.set_fault(address, refuse=True)
    got = world.login("zhang").switch_meter(account_no=DORM, command="trip", reason="欠费",
                                            approval=world.approval("li"))  # fmt: skip
    assert got.outcome == "refused" and sim.meter(address).relay_closed is True


def test_a_lost_answer_stays_unknown_until_a_read_resolves_it(networked):
    world, sim, address = networked
    sim.line.drop_next = 1
    got = world.login("zhang").switch_meter(account_no=DORM, command="trip", reason="欠费",
                                            approval=world.approval("li"))  # fmt: skip
    assert got.outcome == "unknown"
    world.login("zhang").read_meter(account_no=DORM)  # the relay tells: it acted
    [record] = world.login("zhang").meter_switches(account_no=DORM)
    assert (record.outcome, record.detail) == ("done", "relay read open")
    assert audit_ok(world)


def test_a_person_resolves_an_unknown_switch(networked):
    world, sim, address = networked
    sim.set_fault(address, mute=True)
    got = world.login("zhang").switch_meter(account_no=DORM, command="close", reason="已缴费",
                                            approval=world.approval("li"))  # fmt: skip
    assert got.outcome == "unknown"
    done = world.login("wang").resolve_meter_switch(
        switch_id=got.id, outcome="refused", reason="电工现场查看"
    )
    assert done.outcome == "refused"
    refused("INPUT_INVALID", world.login("wang").resolve_meter_switch, switch_id=got.id, outcome="done",
            reason="再次")  # fmt: skip
    assert audit_ok(world)


def test_simulator_urls_are_told_apart():
    assert is_simulator_url("socket://127.0.0.1:4001") and is_simulator_url("loop://")
    assert not is_simulator_url("socket://10.1.2.3:4001") and not is_simulator_url("COM3")
    assert not is_simulator_url("/dev/ttyUSB0")


def test_the_supervisor_reads_room_command_and_reason():
    payload = {"account_no": DORM, "room": "5-308", "bus": BUS, "address": "7", "command": "close",
               "reason": "已缴费"}  # fmt: skip
    summary = summarise("meter.switch", payload)
    assert "合闸" in summary.text() and "allow closing" in summary.text("en") and "5-308" in summary.text()


WORKER = """
import sys
sys.path.insert(0, {tests!r})
from opstesting import existing_world
from opstesting import Approval, PASSWORD
world = existing_world(__import__("pathlib").Path({world!r}))
world.login("zhang").switch_meter(account_no={dorm!r}, command="trip", reason="欠费",
                                  approval=world.approval("li"))
"""


@pytest.mark.parametrize("point", ["meter_switch_requested", "meter_switch_answered"])
def test_a_crash_between_request_and_answer_leaves_unknown_then_a_read_resolves(tmp_path, point):
    world = make_world(tmp_path)
    sim = SimMeterBus("modbus", clock=world.clock)
    try:
        sim.add_meter("7")
        set_setting(world, "meter_bus.ports", {BUS: sim.url})
        world.login("zhao").set_metering(account_no=DORM, mode="networked", bus=BUS, address="7",
                                         protocol="modbus")  # fmt: skip
        tests = str(Path(__file__).resolve().parents[1])
        script = WORKER.format(tests=tests, world=str(tmp_path), dorm=DORM)
        env = {**os.environ, "COUNTER_CRASH_AT": point}
        done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, timeout=60)
        assert done.returncode == -9, done.stderr.decode()[-2000:]
        [request] = rows(world, MeterSwitch)
        assert request.outcome == "unknown"
        assert sim.meter("7").relay_closed is (point == "meter_switch_requested")
        world.login("zhang").read_meter(account_no=DORM)
        [record] = world.login("zhang").meter_switches(account_no=DORM)
        assert record.outcome == ("refused" if point == "meter_switch_requested" else "done")
        assert audit_ok(world)
    finally:
        sim.close()
        world.close()


# --- the networked sale (issue 17 §1) --------------------------------------------------------------


def test_a_networked_top_up_is_a_ledger_sale_with_no_card_write(networked):
    world, sim, address = networked
    cashier = world.login("zhang")
    cashier.open_shift(float_fen=50_000)
    refused("INPUT_INVALID", cashier.top_up_networked, account_no="D-5-309", amount_fen=1_000)  # a card room
    sale = cashier.top_up_networked(account_no=DORM, amount_fen=5_000, tendered_fen=10_000)
    assert sale.receipt_no and sale.amount_fen == 5_000 and sale.change_fen == 5_000 and sale.energy_ckwh > 0
    [entry] = rows(world, LedgerEntry, LedgerEntry.kind == "sale")
    assert (entry.fen, entry.energy_ckwh, entry.receipt_id is not None) == (5_000, sale.energy_ckwh, True)
    balance = cashier.networked_balance(account_no=DORM)
    assert (balance.credited_ckwh, balance.used_ckwh, balance.remaining_ckwh) == (
        sale.energy_ckwh,
        0,
        sale.energy_ckwh,
    )
    assert balance.balance_fen == 5_000
    cashier.read_meter(account_no=DORM)  # the baseline: 123.45 kWh
    sim.meter(address).energy_ckwh = 12_345 + 1_000
    cashier.read_meter(account_no=DORM)
    after = cashier.networked_balance(account_no=DORM)
    assert after.used_ckwh == 1_000 and after.remaining_ckwh == sale.energy_ckwh - 1_000
    assert after.balance_fen == money_for_energy(after.remaining_ckwh, after.price_e4)
    report = cashier.x_report()
    assert report is not None
    assert audit_ok(world)


def test_a_top_up_closes_a_tripped_room_by_itself(networked):
    world, sim, address = networked
    cashier = world.login("zhang")
    cashier.open_shift(float_fen=50_000)
    cashier.switch_meter(account_no=DORM, command="trip", reason="欠费", approval=world.approval("li"))
    cashier.read_meter(account_no=DORM)
    assert sim.meter(address).relay_closed is False
    cashier.top_up_networked(account_no=DORM, amount_fen=2_000, tendered_fen=2_000)
    assert sim.meter(address).relay_closed is True
    closes = [s for s in cashier.meter_switches(account_no=DORM) if s.command == "close"]
    assert [(c.outcome, c.approval_id, c.reason) for c in closes] == [("done", None, "充值后自动合闸")]
    assert audit_ok(world)


def test_no_auto_close_when_the_rule_is_off(networked):
    world, sim, address = networked
    set_setting(world, "meter_bus.auto_close", False)
    cashier = world.login("zhang")
    cashier.open_shift(float_fen=50_000)
    cashier.switch_meter(account_no=DORM, command="trip", reason="欠费", approval=world.approval("li"))
    cashier.read_meter(account_no=DORM)
    cashier.top_up_networked(account_no=DORM, amount_fen=2_000, tendered_fen=2_000)
    assert sim.meter(address).relay_closed is False


def test_zero_balance_trips_only_when_the_rule_is_on(networked):
    world, sim, address = networked
    cashier = world.login("zhang")
    cashier.read_meter(account_no=DORM)  # no balance, power on: the rule is off, nothing is sent
    assert sim.meter(address).relay_closed is True and rows(world, MeterSwitch) == []
    set_setting(world, "meter_bus.auto_trip", True)
    cashier.read_meter(account_no=DORM)
    assert sim.meter(address).relay_closed is False
    [trip] = cashier.meter_switches(account_no=DORM)
    assert (trip.command, trip.outcome, trip.approval_id, trip.reason) == (
        "trip",
        "done",
        None,
        "余额为零自动拉闸",
    )
    cashier.open_shift(float_fen=50_000)
    cashier.top_up_networked(account_no=DORM, amount_fen=2_000, tendered_fen=2_000)  # closes again
    cashier.read_meter(account_no=DORM)
    assert sim.meter(address).relay_closed is True and len(cashier.meter_switches(account_no=DORM)) == 2
    assert audit_ok(world)


def test_a_production_database_refuses_a_simulated_bus(networked):
    """The same call on a context of a production database (dev_database False): SIMULATION_REFUSED
    before the bus is opened, and nothing recorded."""
    world, _, _ = networked
    session = world.login("zhang")
    production = dataclasses.replace(session.ctx, dev_database=False)
    refused("SIMULATION_REFUSED", read_meter, ctx=production, account_no=DORM)
    assert rows(world, RemoteMeterReading) == []


# --- the DL/T 645 password lives in the keystore, the operator code is a setting ----------------------


def test_the_password_is_no_setting_and_the_operator_code_is_one(networked):
    world, _, _ = networked
    keys = {row.key for row in world.login("admin").list_settings()}
    assert "meter_bus.dlt645_operator_code" in keys
    assert not any("password" in key for key in keys)
    refused("INPUT_INVALID", world.login("admin").set_setting, key="meter_bus.dlt645_password", value="02000000",
            approval=world.approval("li"))  # fmt: skip


def test_no_switch_without_the_password_in_the_keystore(networked, tmp_path):
    world, sim, address = networked
    if address != "000000005308":
        pytest.skip("the password is DL/T 645's")
    keys_file = Path(world.keystore[len("file:") :])
    doc = json.loads(keys_file.read_text())
    del doc["keys"]["dlt645_password"]
    keys_file.write_text(json.dumps(doc))
    cashier = world.login("zhang")
    err = refused("KEY_MISSING", cashier.switch_meter, account_no=DORM, command="trip", reason="欠费",
                  approval=world.approval("li"))  # fmt: skip
    assert err.data["key"] == "dlt645_password" and "02000000" not in str(err)
    assert rows(world, MeterSwitch) == [] and sim.meter(address).relay_closed is True
    assert cashier.read_meter(account_no=DORM).outcome == "ok"  # a read needs no password


def test_the_operator_code_setting_reaches_the_1ch_frame(networked):
    world, sim, address = networked
    if address != "000000005308":
        pytest.skip("the operator code is DL/T 645's")
    set_setting(world, "meter_bus.dlt645_operator_code", "00001234")
    world.login("zhang").switch_meter(
        account_no=DORM, command="trip", reason="欠费", approval=world.approval("li")
    )
    assert sim.meter(address).commands[-1] == (0x1A, b"\x00\x00\x12\x34")


def test_the_modules_readings_feed_the_months_consumption_check(world):
    """GIVEN two networked rooms of building 5 read before the month began and during it, and no
    sub-meter readings imported for them WHEN the month's abnormal accounts are listed THEN each
    room's use is what its own module counted: the room that used a tenth of the other is low_use."""
    sim = SimMeterBus("dlt645", clock=world.clock)
    addresses = {"D-5-308": "000000005308", "D-5-309": "000000005309"}
    for account_no, address in addresses.items():
        sim.add_meter(address, energy_ckwh=100_000)
        world.login("zhao").set_metering(account_no=account_no, mode="networked", bus=BUS, address=address,
                                         protocol="dlt645")  # fmt: skip
    set_setting(world, "meter_bus.ports", {BUS: sim.url})
    try:
        zhang = world.login("zhang")
        for account_no in addresses:  # 2026-11-23: before the accounting month 2026-12 (11-26 .. 12-25)
            zhang.read_meter(account_no=account_no)
        sim.meter(addresses["D-5-308"]).energy_ckwh = 100_000 + 1_000  # 10 kWh
        sim.meter(addresses["D-5-309"]).energy_ckwh = 100_000 + 10_000  # 100 kWh
        world.clock.advance(days=15)
        for account_no in addresses:
            zhang.read_meter(account_no=account_no)
        found = {(r.account_no, r.reason) for r in world.login("wang").abnormal_accounts(period="2026-12")}
    finally:
        sim.close()
    assert ("D-5-308", "low_use") in found and ("D-5-309", "low_use") not in found
    assert not any(reason == "high_use" for _no, reason in found)
