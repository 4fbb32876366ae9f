"""The simulated reference reader: frames in, frames out (docs/hardware.md §1).

Runs on a transport thread; SimControl changes its state from the test's thread, so everything
happens under the simulator's one lock.
"""

from __future__ import annotations

import logging
import threading

from hardware.frames import Frame, FrameParser
from hardware.protocol import PROTECTED_AREA, SLE4442_ATR, Cmd, Status, attempts_left
from hardware.sim.card import CardStore, VirtualCard

log = logging.getLogger(__name__)

SIM_READER_VERSION = "SIM-R310 reference reader simulator 1.0"


class SimReader:
    def __init__(self, store: CardStore, lock: threading.RLock) -> None:
        self.store = store
        self.lock = lock
        self.card_serial: str | None = None
        self.powered = False
        self.pull_at_byte: int | None = None
        self.pull_on: Cmd | None = None  # the card is pulled as the reader runs this command next
        self.commands_seen: list[Cmd] = []
        self.lose_answer_to: set[int] = set()  # the card acts, the answer never reaches the host
        self._parser = FrameParser()

    # --- control (from SimControl) -----------------------------------------------------------
    def present(self, card_serial: str | None) -> None:
        with self.lock:
            if card_serial is not None:
                self.store.get(card_serial)  # KeyError for an unknown card
            if card_serial != self.card_serial:
                self._end_session()
            self.card_serial = card_serial

    def _end_session(self) -> None:
        if self.card_serial is not None:
            self.store.get(self.card_serial).verified = False
        self.powered = False

    # --- the line ----------------------------------------------------------------------------
    def receive(self, data: bytes) -> bytes:
        out = b""
        for frame in self._parser.feed(data):
            with self.lock:
                status, payload = self._handle(frame)
                if frame.cmd in self.lose_answer_to:
                    self.lose_answer_to.discard(frame.cmd)
                    continue
            out += Frame(frame.seq, frame.cmd, bytes([status]) + payload).encode()
        return out

    def _handle(self, frame: Frame) -> tuple[int, bytes]:
        try:
            cmd = Cmd(frame.cmd)
        except ValueError:
            return Status.BAD_COMMAND, b""
        self.commands_seen.append(cmd)
        if cmd == Cmd.IDENTIFY:
            return Status.OK, SIM_READER_VERSION.encode("ascii")
        if cmd == Cmd.STATUS:
            return Status.OK, (b"\x01" + SLE4442_ATR) if self.card_serial else b"\x00"
        if cmd == Cmd.BEEP:
            return Status.OK, b""
        if self.card_serial is None:
            return Status.NO_CARD, b""
        card = self.store.get(self.card_serial)
        if cmd == Cmd.POWER_ON:
            self.powered, card.verified = True, False
            return Status.OK, SLE4442_ATR
        if not self.powered:
            return Status.NOT_POWERED, b""
        if cmd == self.pull_on:
            log.info("sim reader: card %s pulled during %s", card.serial, cmd.name)
            self.pull_on = None
            self._end_session()
            self.card_serial = None
            return Status.CARD_REMOVED, b""
        return _CARD_COMMANDS[cmd](self, card, frame.data)

    def _read_main(self, card: VirtualCard, data: bytes) -> tuple[int, bytes]:
        if len(data) != 3:
            return Status.BAD_PARAM, b""
        address, count = data[0], int.from_bytes(data[1:3], "big")
        if not 1 <= count <= 256 - address:
            return Status.BAD_PARAM, b""
        return Status.OK, bytes(card.memory[address : address + count])

    def _read_protection(self, card: VirtualCard, data: bytes) -> tuple[int, bytes]:
        return Status.OK, card.protection.to_bytes(4, "little")

    def _read_security(self, card: VirtualCard, data: bytes) -> tuple[int, bytes]:
        return Status.OK, bytes([card.error_counter])

    def _verify(self, card: VirtualCard, data: bytes) -> tuple[int, bytes]:
        if len(data) != 3:
            return Status.BAD_PARAM, b""
        if card.locked:
            return Status.CARD_LOCKED, b""
        ok = card.verify(bytes(data))
        self.store.save(card)
        if ok:
            return Status.OK, b""
        if card.locked:
            return Status.CARD_LOCKED, b""
        return Status.PSC_WRONG, bytes([attempts_left(card.error_counter)])

    def _write_main(self, card: VirtualCard, data: bytes) -> tuple[int, bytes]:
        if len(data) < 2 or len(data) - 1 > 256 - data[0]:
            return Status.BAD_PARAM, b""
        if not card.verified:
            return Status.NOT_VERIFIED, b""
        address, payload = data[0], data[1:]
        if not all(card.writable(a) for a in range(address, address + len(payload))):
            return Status.PROTECTED, b""
        limit = len(payload) if self.pull_at_byte is None else min(self.pull_at_byte, len(payload))
        card.memory[address : address + limit] = payload[:limit]
        self.store.save(card)
        if self.pull_at_byte is not None:
            log.info("sim reader: card %s pulled after %d bytes", card.serial, limit)
            self.pull_at_byte = None
            self._end_session()
            self.card_serial = None
            return Status.CARD_REMOVED, b""
        return Status.OK, b""

    def _write_protection(self, card: VirtualCard, data: bytes) -> tuple[int, bytes]:
        if len(data) < 2 or data[0] + len(data) - 1 > PROTECTED_AREA:
            return Status.BAD_PARAM, b""
        if not card.verified:
            return Status.NOT_VERIFIED, b""
        for offset, value in enumerate(data[1:]):
            address = data[0] + offset
            if card.memory[address] == value:  # SLE4442: protects only on a matching compare
                card.protection &= ~(1 << address)
        self.store.save(card)
        return Status.OK, b""

    def _change_psc(self, card: VirtualCard, data: bytes) -> tuple[int, bytes]:
        if len(data) != 3:
            return Status.BAD_PARAM, b""
        if not card.verified:
            return Status.NOT_VERIFIED, b""
        card.psc = bytes(data)
        self.store.save(card)
        return Status.OK, b""


_CARD_COMMANDS = {
    Cmd.READ_MAIN: SimReader._read_main,
    Cmd.READ_PROTECTION: SimReader._read_protection,
    Cmd.READ_SECURITY: SimReader._read_security,
    Cmd.VERIFY_PSC: SimReader._verify,
    Cmd.WRITE_MAIN: SimReader._write_main,
    Cmd.WRITE_PROTECTION: SimReader._write_protection,
    Cmd.CHANGE_PSC: SimReader._change_psc,
}
