"""Fixtures for the devices layer: simulators reached through pyserial like real devices."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from cardhost_rig import CARDHOST_MODULES, cardhost_control
from hw_helpers import FAST, MAC_KEY, PSC_KEY

from hardware.card_reader import SerialCardReader
from hardware.card_service import CardService
from hardware.sim.control import SimControl


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


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    # The reader tests' `sim` also runs as serial driver → card host → C stand-in library.
    if "sim" in metafunc.fixturenames and metafunc.definition.path.name in CARDHOST_MODULES:
        metafunc.parametrize("sim", ["socket", "cardhost"], indirect=True)


@pytest.fixture
def sim(request, tmp_path) -> Iterator[SimControl]:
    if getattr(request, "param", "socket") == "cardhost":
        with cardhost_control(tmp_path, mac_key=MAC_KEY) as host:
            yield host
        return
    control = SimControl(tmp_path / "sim", mac_key=MAC_KEY)
    yield control
    control.close()


def _rig_params() -> list[str]:
    params = ["socket"]
    if os.name == "posix":
        params.append("pty")
    params.append("cardhost")
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
    control = SimControl(tmp_path / "sim", mac_key=MAC_KEY, transport=request.param)
    yield Rig(request.param, control.reader_url, control)
    control.close()


@pytest.fixture
def make_reader():
    readers: list[SerialCardReader] = []

    def make(url: str, **kwargs) -> SerialCardReader:
        reader = SerialCardReader(url, **{**FAST, **kwargs})
        readers.append(reader)
        return reader

    yield make
    for reader in readers:
        reader.close()


@pytest.fixture
def service(sim, make_reader) -> CardService:
    return CardService(make_reader(sim.reader_url), mac_key=MAC_KEY, psc_master_key=PSC_KEY)
