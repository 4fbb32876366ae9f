"""Fixtures for the devices layer: simulators reached through pyserial like real devices, and (rig
"pcsc") the SLE4442 card simulator in vpcd's virtual reader, reached through pyscard and pcscd.

The "pcsc" variant runs the reader contract (test_reader_contract.py), PSC safety and torn writes
unchanged against PcscCardReader: `rig` gets a third param, and `sim` is parametrised for those
modules. It needs pcscd with vsmartcard-vpcd running (scripts/start-pcscd.sh) and pyscard; without
them it skips, except in CI (CI=true), where it fails: a CI run must prove the PC/SC path.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from cardhost_rig import CARDHOST_MODULES, cardhost_control
from hw_helpers import FAST, MAC_KEY, PSC_KEY
from pcsc_rig import require_pcsc

from hardware.card_reader import CardReader
from hardware.card_service import CardService
from hardware.readers import open_card_reader
from hardware.sim.control import SimControl

PCSC_MODULES = {"test_reader_contract", "test_psc_safety", "test_torn_write"}
# Faults of a serial line that have no PC/SC counterpart: USB checks its own transfers (no garbage or
# bit flips reach PC/SC), and pcscd, not we, owns the reader's port.
SERIAL_LINE_ONLY = {
    "test_garbage_and_bit_flips_on_the_line_are_survived": "garbage/bit flips: USB's CRC, not ours",
    "test_port_closed_is_device_offline_then_recovers": "a closed serial port: pcscd owns the reader",
}


@dataclass
class Rig:
    """A reader URL plus, for simulators, the SimControl behind it (None for real hardware)."""

    name: str
    reader_url: str
    sim: SimControl | None

    def need_sim(self) -> SimControl:
        if self.sim is None:
            pytest.skip("needs the simulator's fault injection / card handling")
        return self.sim


def _sim_control(tmp_path, transport: str) -> SimControl:
    if transport == "pcsc":
        require_pcsc()
        return SimControl(tmp_path / "sim", mac_key=MAC_KEY, transport="vpcd")
    return SimControl(tmp_path / "sim", mac_key=MAC_KEY, transport=transport)


_PCSC = pytest.param("pcsc", marks=pytest.mark.pcsc)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """`sim` runs in the reader modules against the reference simulator, the card behind PC/SC and
    (where the module is listed) serial driver → card host → C stand-in library."""
    if "sim" not in metafunc.fixturenames:
        return
    module = metafunc.module.__name__.rsplit(".", 1)[-1]
    params: list = []
    if module in PCSC_MODULES:
        params = ["socket", _PCSC]
    if metafunc.definition.path.name in CARDHOST_MODULES:
        params = (params or ["socket"]) + ["cardhost"]
    if params:
        metafunc.parametrize("sim", params, indirect=True)


@pytest.fixture
def sim(request, tmp_path) -> Iterator[SimControl]:
    transport = getattr(request, "param", "socket")
    if transport == "cardhost":
        with cardhost_control(tmp_path, mac_key=MAC_KEY) as host:
            yield host
        return
    repetition = getattr(request.node, "callspec", None) and request.node.callspec.params.get("repetition")
    if transport == "pcsc" and repetition and not os.environ.get("COUNTER_TEST_PCSC_FULL"):
        # Each card change waits for pcscd's 0.4 s presence poll: one sweep of 65 torn writes takes
        # ~100 s through PC/SC, and the repetitions take the same path (COUNTER_TEST_PCSC_FULL=1).
        pytest.skip("one torn-write sweep through PC/SC (COUNTER_TEST_PCSC_FULL=1 runs all three)")
    control = _sim_control(tmp_path, transport)
    yield control
    control.close()


def _rig_params() -> list:
    params: list = ["socket"]
    if os.name == "posix":
        params.append("pty")
    params.append("cardhost")
    params.append(_PCSC)
    if os.environ.get("COUNTER_TEST_READER_URL"):
        params.append("real")
    return params


@pytest.fixture(params=_rig_params())
def rig(request, tmp_path) -> Iterator[Rig]:
    if request.param == "real":
        yield Rig("real", os.environ["COUNTER_TEST_READER_URL"], None)
        return
    if request.param == "cardhost":
        with cardhost_control(tmp_path, mac_key=MAC_KEY) as host:
            yield Rig("cardhost", host.reader_url, host)
        return
    if request.param == "pcsc" and request.node.originalname in SERIAL_LINE_ONLY:
        pytest.skip(f"no PC/SC counterpart: {SERIAL_LINE_ONLY[request.node.originalname]}")
    control = _sim_control(tmp_path, request.param)
    yield Rig(request.param, control.reader_url, control)
    control.close()


@pytest.fixture
def make_reader():
    readers: list[CardReader] = []

    def make(url: str, **kwargs) -> CardReader:
        reader = open_card_reader(url, **{**FAST, **kwargs})
        readers.append(reader)
        return reader

    yield make
    for reader in readers:
        reader.close()


@pytest.fixture
def service(sim, make_reader) -> CardService:
    return CardService(make_reader(sim.reader_url), mac_key=MAC_KEY, psc_master_key=PSC_KEY)
