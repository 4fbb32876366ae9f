"""The "cardhost" rig: serial driver → card host (hardware/cardhost) → the C stand-in library
(tests/hardware/mwic_standin/mwic_standin.c, compiled here with `cc`).

The host runs on a thread of the test process with the stand-in loaded there, so the stand-in's
fault controls (extra exports) are reachable through ctypes. `CardHostControl` offers the methods
of `SimControl` that the reader tests use (cards, meters, pulled cards, line faults, lost answers),
so test_reader_contract.py, test_psc_safety.py and test_torn_write.py run unchanged against it.
Cards live in a `CardStore` like the simulator's; the card on the reader lives in the stand-in's
memory and is copied back to the store before anyone looks at it.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from base.clock import system_clock
from hardware.cardhost.library import MwicLibrary
from hardware.cardhost.reader import HostedReader
from hardware.cardhost.server import CardHostServer
from hardware.frames import Frame
from hardware.profile import ReferenceProfile
from hardware.protocol import Cmd, attempts_left
from hardware.sim.card import CardStore, VirtualCard
from hardware.sim.meter import MeterBank, MeterState
from hardware.sim.transport import LineFaults

# Test modules whose `sim` fixture also runs against the card host (conftest.pytest_generate_tests).
CARDHOST_MODULES = frozenset({"test_reader_contract.py", "test_psc_safety.py", "test_torn_write.py"})
STANDIN_SOURCE = Path(__file__).parent / "mwic_standin" / "mwic_standin.c"


def build_standin(directory: Path) -> Path:
    """Compile the stand-in into `directory`; skip without a C compiler (fail on CI)."""
    if os.name != "posix":
        pytest.skip("the stand-in library is built for POSIX (pthreads, a .so loaded with CDLL)")
    cc = shutil.which(os.environ.get("CC", "cc"))
    if cc is None:
        if os.environ.get("CI") == "true":
            pytest.fail("the card host tests need a C compiler (cc) on CI")
        pytest.skip("no C compiler (cc): the card host's stand-in library cannot be built")
    target = directory / "libmwic_standin.so"
    if not target.exists():
        directory.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [cc, "-shared", "-fPIC", "-O1", "-o", str(target), str(STANDIN_SOURCE), "-lpthread"], check=True
        )
    return target


class Standin:
    """The stand-in's fault controls (ctypes, in this process)."""

    def __init__(self, path: Path) -> None:
        self.dll = ctypes.CDLL(str(path))  # the same handle the host's MwicLibrary gets
        u8p = ctypes.c_char_p
        self.dll.standin_load.argtypes = [u8p, ctypes.c_uint32, u8p, ctypes.c_int, ctypes.c_int]
        self.dll.standin_image.argtypes = [
            u8p,
            ctypes.POINTER(ctypes.c_uint32),
            u8p,
            ctypes.POINTER(ctypes.c_int),
        ]
        for name in ("standin_pull_after", "standin_fail_comm", "standin_not_4442"):
            getattr(self.dll, name).argtypes = [ctypes.c_int]
        self.dll.standin_reset()

    def load(self, card: VirtualCard, *, insert: bool) -> None:
        self.dll.standin_load(
            bytes(card.memory), card.protection, bytes(card.psc), card.error_counter, int(insert)
        )

    def copy_into(self, card: VirtualCard) -> bool:
        """The stand-in's card image into `card`; True if it is still in the slot."""
        memory, psc = ctypes.create_string_buffer(256), ctypes.create_string_buffer(3)
        protection, ec = ctypes.c_uint32(), ctypes.c_int()
        present = self.dll.standin_image(memory, ctypes.byref(protection), psc, ctypes.byref(ec))
        card.memory[:] = memory.raw
        card.protection, card.psc, card.error_counter = protection.value, psc.raw, ec.value
        return bool(present)


class _Cards:
    """`sim.cards` for the tests: a card read or saved here is the card in the stand-in too."""

    def __init__(self, control: CardHostControl) -> None:
        self._control = control

    def get(self, serial: str) -> VirtualCard:
        self._control.sync()
        return self._control.store.get(serial)

    def save(self, card: VirtualCard) -> None:
        self._control.store.save(card)
        if card.serial == self._control.loaded_serial:
            self._control.standin.load(card, insert=False)


class _Commands:
    """`sim.reader` as far as the tests look at it: the commands the host received."""

    def __init__(self) -> None:
        self.commands_seen: list[Cmd] = []


class CardHostControl:
    simulated = True

    def __init__(self, directory: Path, standin_path: Path, *, mac_key: bytes) -> None:
        self.lock = threading.RLock()
        self.store = CardStore(directory / "cards", self.lock)
        self.meters = MeterBank(
            directory / "meters", self.lock, profile=ReferenceProfile(), mac_key=mac_key, clock=system_clock
        )
        self.standin = Standin(standin_path)
        self.cards = _Cards(self)
        self.reader = _Commands()
        self.reader_line = LineFaults()
        self.loaded_serial: str | None = None  # whose image the stand-in holds (in the slot or pulled)
        self._lose: set[int] = set()
        library = MwicLibrary(standin_path, port=0, baud=9600)
        self.host = CardHostServer(HostedReader(library), answer_hook=self._on_answer)
        self.host.start()
        self.reader_url = self.host.url

    # --- SimControl's methods used by the reader tests ------------------------------------------
    def new_blank_card(self) -> str:
        return self.store.new_blank().serial

    def present_card(self, card_serial: str | None) -> None:
        with self.lock:
            self.sync()
            self.standin.dll.standin_remove()
            self.loaded_serial = None
            if card_serial is not None:
                self.standin.load(self.store.get(card_serial), insert=True)
                self.loaded_serial = card_serial

    def pull_card_at_byte(self, n: int | None) -> None:
        self.standin.dll.standin_pull_after(-1 if n is None else n)

    def card_attempts_left(self, card_serial: str) -> int:
        return attempts_left(self.cards.get(card_serial).error_counter)

    def card_image(self, card_serial: str) -> bytes:
        return bytes(self.cards.get(card_serial).memory)

    def lose_reader_answer(self, command: str) -> None:
        with self.lock:
            self._lose.add(Cmd[command])

    def install_meter(self, meter_no: str, *, counter: int = 0, remaining_ckwh: int = 0) -> MeterState:
        return self.meters.install(meter_no, counter=counter, remaining_ckwh=remaining_ckwh)

    def meter_state(self, meter_no: str) -> MeterState:
        return self.meters.state(meter_no)

    def insert_into_meter(self, card_serial: str, *, meter_no: str | None = None) -> str | None:
        with self.lock:
            if self.loaded_serial == card_serial:
                self.present_card(None)
            card = self.store.get(card_serial)
            target = meter_no or self.meters.meter_for(card)
            if not target:
                raise ValueError(f"card {card_serial} names no meter; pass meter_no")
            event = self.meters.insert(card, target)
            self.store.save(card)
            return event

    def close(self) -> None:
        self.host.close()

    # --- the stand-in's card and the store -------------------------------------------------------
    def sync(self) -> None:
        """Copy the card the stand-in holds back into the store (it may have been written)."""
        with self.lock:
            if self.loaded_serial is not None:
                card = self.store.get(self.loaded_serial)
                self.standin.copy_into(card)
                self.store.save(card)

    def _on_answer(self, request: Frame, answer: bytes) -> bytes | None:
        with self.lock:
            try:
                self.reader.commands_seen.append(Cmd(request.cmd))
            except ValueError:
                pass
            if request.cmd in self._lose:
                self._lose.discard(request.cmd)
                return b""
            return self.reader_line.shape(answer)


@contextmanager
def cardhost_control(directory: Path, *, mac_key: bytes) -> Iterator[CardHostControl]:
    standin = build_standin(directory.parent / "mwic-standin-build")
    control = CardHostControl(directory / "cardhost", standin, mac_key=mac_key)
    try:
        yield control
    finally:
        control.close()
