"""One contract, both protocols: the simulated bus of meter modules speaking DL/T 645-2007 and
Modbus-RTU, reached over a socket and over a real pty by the ordinary drivers
(hardware/meter_bus.py). Only the hardware error family may come out of a driver."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

import pytest

from base.clock import BUSINESS_TZ, FixedClock
from base.errors import DeviceOffline, InputInvalid, MeterRefused
from hardware.meter_bus import MeterBus, open_meter_bus
from hardware.sim.meter_bus import DEFAULT_PASSWORD, SimMeterBus

TRANSPORTS = ["socket", *(["pty"] if os.name == "posix" else [])]
START = datetime(2026, 12, 3, 20, 0, tzinfo=BUSINESS_TZ)


@dataclass
class BusRig:
    protocol: str
    sim: SimMeterBus
    bus: MeterBus
    clock: FixedClock

    def addr(self, n: int) -> str:
        return f"{n:012d}" if self.protocol == "dlt645" else str(n)


def open_driver(sim: SimMeterBus, protocol: str, clock: FixedClock, **kw) -> MeterBus:
    extra = {"password": DEFAULT_PASSWORD, "clock": clock} if protocol == "dlt645" else {"probe_max": 4}
    return open_meter_bus(sim.url, protocol, timeout=0.3, **{**extra, **kw})


@pytest.fixture(
    params=[(p, t) for p in ("dlt645", "modbus") for t in TRANSPORTS], ids=lambda p: f"{p[0]}-{p[1]}"
)
def rig(request) -> Iterator[BusRig]:
    protocol, transport = request.param
    clock = FixedClock(START)
    sim = SimMeterBus(protocol, transport=transport, clock=clock)
    bus = open_driver(sim, protocol, clock)
    yield BusRig(protocol, sim, bus, clock)
    bus.close()
    sim.close()


def test_reads_each_meters_energy_in_hundredths_of_a_kwh(rig):
    """GIVEN two meters at 123456.78 and 0.05 kWh WHEN read THEN 12345678 and 5, each its own."""
    rig.sim.add_meter(rig.addr(1), energy_ckwh=12_345_678)
    rig.sim.add_meter(rig.addr(2), energy_ckwh=5)
    assert rig.bus.read_energy(rig.addr(1)) == 12_345_678
    assert rig.bus.read_energy(rig.addr(2)) == 5


def test_energy_advances_with_the_load_while_the_relay_is_closed(rig):
    """GIVEN a 1000 W load WHEN an hour passes THEN +1 kWh; tripped, the next hour adds nothing;
    allowed to close, it runs again."""
    a = rig.addr(3)
    rig.sim.add_meter(a, energy_ckwh=1000, load_w=1000)
    rig.clock.advance(hours=1)
    assert rig.bus.read_energy(a) == 1100
    rig.bus.switch(a, "trip")
    assert rig.bus.read_relay(a) is False and rig.sim.meter(a).relay_closed is False
    rig.clock.advance(hours=1)
    assert rig.bus.read_energy(a) == 1100
    rig.bus.switch(a, "close")
    assert rig.bus.read_relay(a) is True
    rig.clock.advance(minutes=30)
    assert rig.bus.read_energy(a) == 1150


def test_a_silent_meter_is_device_offline_then_answers_again(rig):
    a = rig.addr(4)
    rig.sim.add_meter(a, energy_ckwh=42)
    rig.sim.set_fault(a, mute=True)
    with pytest.raises(DeviceOffline) as caught:
        rig.bus.read_energy(a)
    assert caught.value.data["reason"] == "no_answer" and caught.value.data["address"] == a
    rig.sim.set_fault(a, mute=False)
    assert rig.bus.read_energy(a) == 42


def test_a_meter_not_on_the_bus_is_device_offline(rig):
    with pytest.raises(DeviceOffline):
        rig.bus.read_energy(rig.addr(9))


def test_bad_checksum_answers_are_never_taken(rig):
    a = rig.addr(5)
    rig.sim.add_meter(a, energy_ckwh=77)
    rig.sim.set_fault(a, bad_checksum=True)
    with pytest.raises(DeviceOffline):
        rig.bus.read_energy(a)
    rig.sim.set_fault(a, bad_checksum=False)
    assert rig.bus.read_energy(a) == 77


def test_a_meter_answering_for_another_never_gives_its_reading(rig):
    """GIVEN meter 6 answering requests meant for meter 7 (absent) WHEN 7 is read THEN no reading
    (DeviceOffline), never meter 6's energy."""
    rig.sim.add_meter(rig.addr(6), energy_ckwh=600, answers_for=rig.addr(7))
    with pytest.raises(DeviceOffline):
        rig.bus.read_energy(rig.addr(7))
    assert rig.bus.read_energy(rig.addr(6)) == 600


def test_the_real_meter_still_read_when_an_impostor_also_answers(rig):
    rig.sim.add_meter(rig.addr(6), energy_ckwh=600, answers_for=rig.addr(7))
    rig.sim.add_meter(rig.addr(7), energy_ckwh=700)
    if rig.protocol == "modbus":
        # Two answers back to back: pymodbus skips the foreign id over a socket, but over a pty it
        # loses the second answer. On a real bus two modules talking at once collide anyway.
        pytest.skip("Modbus: a second answer behind a foreign one is not guaranteed to be read")
    assert rig.bus.read_energy(rig.addr(7)) == 700


def test_a_refused_switch_is_meter_refused_and_the_relay_stays(rig):
    a = rig.addr(8)
    rig.sim.add_meter(a, refuse=True)
    with pytest.raises(MeterRefused) as caught:
        rig.bus.switch(a, "trip")
    assert caught.value.data["address"] == a and caught.value.data["error"]
    assert rig.sim.meter(a).relay_closed is True


def test_a_lost_switch_answer_is_outcome_unknown(rig):
    a = rig.addr(1)
    rig.sim.add_meter(a)
    rig.sim.line.drop_next = 1
    with pytest.raises(DeviceOffline) as caught:
        rig.bus.switch(a, "trip")
    assert caught.value.data["outcome"] == "unknown"
    assert rig.bus.read_relay(a) is False  # it acted: the relay read tells


def test_reads_survive_garbage_and_one_bit_flip(rig):
    a = rig.addr(2)
    rig.sim.add_meter(a, energy_ckwh=31415)
    rig.sim.line.garbage_before_next = b"\x68\x16\xfe\x00\x91garbage"
    assert rig.bus.read_energy(a) == 31415
    rig.sim.line.flip_bits_next = 1  # the first answer is damaged; the retry is read
    assert rig.bus.read_energy(a) == 31415


def test_port_closed_is_device_offline_then_recovers(rig):
    if rig.sim.url.startswith("/dev/"):
        pytest.skip("a closed pty master does not reopen; the socket case covers reconnecting")
    a = rig.addr(3)
    rig.sim.add_meter(a, energy_ckwh=9)
    rig.sim.line.close_next = True
    with pytest.raises(DeviceOffline):
        rig.bus.read_energy(a)
    assert rig.bus.read_energy(a) == 9


def test_read_address_of_the_only_meter(rig):
    rig.sim.add_meter(rig.addr(4))
    assert rig.bus.read_address() == rig.addr(4)


def test_bad_addresses_and_actions_are_input_invalid(rig):
    with pytest.raises(InputInvalid):
        rig.bus.read_energy("12-34")
    with pytest.raises(InputInvalid):
        rig.bus.switch(rig.addr(1), "explode")  # type: ignore[arg-type]


def test_missing_port_is_device_offline():
    for protocol in ("dlt645", "modbus"):
        bus = open_meter_bus("/dev/does-not-exist-ttyUSB9", protocol, timeout=0.2)
        try:
            with pytest.raises(DeviceOffline):
                bus.read_energy("000000000001" if protocol == "dlt645" else "1")
        finally:
            bus.close()


# --- DL/T 645 only -----------------------------------------------------------------------------
@pytest.fixture(params=TRANSPORTS)
def dlt(request) -> Iterator[BusRig]:
    clock = FixedClock(START)
    sim = SimMeterBus("dlt645", transport=request.param, clock=clock)
    bus = open_driver(sim, "dlt645", clock)
    yield BusRig("dlt645", sim, bus, clock)
    bus.close()
    sim.close()


def test_dlt645_wrong_password_is_refused_with_the_unauthorised_bit(dlt):
    dlt.sim.add_meter("000000000001")
    other = open_driver(dlt.sim, "dlt645", dlt.clock, password=b"\x02\x99\x99\x99")
    try:
        with pytest.raises(MeterRefused) as caught:
            other.switch("000000000001", "trip")
        assert caught.value.data["error"] & 0x04
    finally:
        other.close()
    assert dlt.sim.meter("000000000001").relay_closed is True


def test_dlt645_switch_carries_the_operator_code(dlt):
    dlt.sim.add_meter("000000000001")
    bus = open_driver(dlt.sim, "dlt645", dlt.clock, operator=b"\x00\x00\x12\x34")
    try:
        bus.switch("000000000001", "trip")
    finally:
        bus.close()
    assert dlt.sim.meter("000000000001").commands[-1] == (0x1A, b"\x00\x00\x12\x34")


def test_dlt645_broadcast_time_reaches_every_meter(dlt):
    for n in (1, 2):
        dlt.sim.add_meter(dlt.addr(n))
    moment = datetime(2026, 12, 3, 21, 30, 15, tzinfo=BUSINESS_TZ)
    dlt.bus.set_time(moment)
    dlt.bus.read_energy(dlt.addr(1))  # a round trip: the broadcast was handled before it
    assert {dlt.sim.meter(dlt.addr(n)).clock_set_to for n in (1, 2)} == {moment}


def test_dlt645_read_address_with_several_meters_is_no_answer(dlt):
    """Every meter answers the wildcard at once: what arrives is a collision, never an address."""
    for n in (1, 2):
        dlt.sim.add_meter(dlt.addr(n))
    with pytest.raises(DeviceOffline):
        dlt.bus.read_address()


def test_sim_control_serves_meter_buses_on_its_clock(tmp_path):
    """GIVEN SimControl WHEN a meter bus is started THEN it runs on the simulator's clock and closes
    with it."""
    from hardware.sim.control import SimControl

    clock = FixedClock(START)
    with SimControl(tmp_path / "sim", mac_key=b"k" * 32, clock=clock) as control:
        sim = control.start_meter_bus("modbus", meters=["3"])
        sim.meter("3").load_w = 2000
        bus = open_meter_bus(sim.url, "modbus", timeout=0.3)
        try:
            clock.advance(hours=2)
            assert bus.read_energy("3") == 400
        finally:
            bus.close()
    assert control.meter_buses == [sim]


def test_counter_sim_commands_drive_a_meter_bus(tmp_path):
    """GIVEN counter-sim's command set WHEN a bus is started, a meter added and faulted THEN the
    driver sees exactly that."""
    from hardware.sim.cli import _commands, _run_command
    from hardware.sim.control import SimControl

    with SimControl(tmp_path / "sim", mac_key=b"k" * 32) as control:
        commands = _commands(control)
        started = _run_command(commands, "bus-start dlt645")
        assert started.startswith("bus 0 dlt645 ")
        assert _run_command(commands, "bus-meter 0 000000000042 1234") == "ok"
        bus = open_meter_bus(started.split()[-1], "dlt645", timeout=0.3, password=DEFAULT_PASSWORD)
        try:
            assert bus.read_energy("000000000042") == 1234
            assert _run_command(commands, "bus-fault 0 000000000042 mute on") == "ok"
            with pytest.raises(DeviceOffline):
                bus.read_energy("000000000042")
        finally:
            bus.close()
        assert _run_command(commands, "bus-state 0 000000000042") == "energy_ckwh=1234 relay=closed"
        assert _run_command(commands, "bus-fault 0 000000000042 sparks on").startswith("error")
