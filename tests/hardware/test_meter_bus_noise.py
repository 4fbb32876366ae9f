"""Whatever comes back on the line, a meter-bus driver raises only the hardware error family, and
the simulated meters never crash on what they hear."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from base.errors import DeviceOffline, MeterRefused
from hardware import dlt645
from hardware.meter_bus import open_meter_bus
from hardware.sim.meter_bus import Dlt645Device, MeterBusSim, ModbusDevice
from hardware.sim.transport import LineFaults, SocketServer


class Scripted:
    """A 'device' answering every request with the next scripted bytes."""

    def __init__(self) -> None:
        self.answers: list[bytes] = []

    def receive(self, data: bytes) -> bytes:
        return self.answers.pop(0) if self.answers else b""


def _valid_dlt_answer(address: str, energy: int) -> bytes:
    request = dlt645.read_request(address, dlt645.DataId.COMBINED_ACTIVE_TOTAL)
    return dlt645.normal_reply(request, request.data + dlt645.bcd_encode(energy, 4)).encode()


noise = st.lists(st.binary(max_size=80), min_size=1, max_size=3)


def _run(protocol: str, address: str, answers: list[bytes]) -> None:
    device = Scripted()
    server = SocketServer(device, LineFaults())
    bus = open_meter_bus(server.url, protocol, timeout=0.05, read_retries=1)
    try:
        for call in ("read_energy", "read_relay", "switch"):
            device.answers = list(answers)
            try:
                if call == "switch":
                    bus.switch(address, "trip")
                else:
                    result = getattr(bus, call)(address)
                    assert isinstance(result, bool | int)
            except (DeviceOffline, MeterRefused):
                pass
    finally:
        bus.close()
        server.close()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(noise, st.integers(0, 99_999_999), st.booleans())
def test_dlt645_driver_raises_only_the_family(answers, energy, append_valid):
    if append_valid:
        answers = [a + _valid_dlt_answer("000000000001", energy) for a in answers]
    _run("dlt645", "000000000001", answers)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(noise)
def test_modbus_driver_raises_only_the_family(answers):
    _run("modbus", "1", answers)


@given(st.lists(st.binary(max_size=300), max_size=8))
def test_simulated_meters_never_crash_on_noise(chunks):
    bus = MeterBusSim()
    bus.add("000000000001")
    bus.add("1")
    dlt, modbus = Dlt645Device(bus), ModbusDevice(bus)
    for chunk in chunks:
        dlt.receive(chunk)
        modbus.receive(chunk)
