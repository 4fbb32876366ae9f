"""A simulated SLE4442 card in an ACS reader, behind vsmartcard's virtual reader driver (vpcd), so the
PC/SC reader (hardware/pcsc_reader.py) is tested through the real stack:
pyscard -> pcscd -> vpcd -> this simulator (docs/hardware.md "PC/SC readers").

vpcd listens (127.0.0.1:35963 for reader "Virtual PCD 00 00", /etc/reader.conf.d/vpcd); the virtual
card connects to it. Every message either way is a 2-byte big-endian length and a body; a 1-byte body
from vpcd is a control message (0 power off, 1 power on, 2 reset, 4 "send the ATR"), anything longer
a command APDU, answered with the response APDU. A connected socket is a card in the reader: the card
is pulled by closing it. vpcd asks for the ATR on every presence poll of pcscd (every 0.4 s), and
pcscd keeps a card's state until such a poll fails, so changing the card waits for pcscd to see it.

The card model is hardware/sim/card.py; the pseudo-APDUs are answered as ACS firmware documents them
(hardware/pcsc_commands.py). The fault controls mirror SimReader's: present(None | serial),
pull_at_byte, pull_on, lose_answer_to (the card acts, the host gets no valid answer), commands_seen (as the
reference protocol's Cmd names), and `line` for the faults that exist on a USB link (mute, dropped
answers, delay; garbage and bit flips are caught by USB's own CRC and do not reach PC/SC).
"""

from __future__ import annotations

import logging
import socket
import struct
import threading
import time
from urllib.parse import quote

from hardware.pcsc_commands import (
    ACS,
    SW_INS_NOT_SUPPORTED,
    SW_OK,
    SW_SECURITY_NOT_SATISFIED,
    SW_WRONG_DATA,
    SW_WRONG_LENGTH,
)
from hardware.protocol import PROTECTED_AREA, SLE4442_ATR, Cmd
from hardware.sim.card import CardStore, VirtualCard
from hardware.sim.transport import LineFaults

log = logging.getLogger(__name__)

VPCD_PORT = 35963  # slot 0 of /etc/reader.conf.d/vpcd (CHANNELID 0x8C7B)
VPCD_READER = "Virtual PCD 00 00"
# How ACS firmware reports an SLE4442 to PC/SC: its 4 ATR bytes behind TS=3B, T0=04 (4 historical
# bytes). pcscd refuses the bare A2 13 10 91.
PCSC_ATR = b"\x3b\x04" + SLE4442_ATR
_CTRL_OFF, _CTRL_ON, _CTRL_RESET, _CTRL_ATR = 0, 1, 2, 4
_SETTLE_S = 5.0  # pcscd notices a change within one 0.4 s poll; this only bounds a broken setup

_INS_TO_CMD = {
    0xA4: Cmd.POWER_ON,
    0xB0: Cmd.READ_MAIN,
    0xB1: Cmd.READ_SECURITY,
    0xB2: Cmd.READ_PROTECTION,
    0x20: Cmd.VERIFY_PSC,
    0xD0: Cmd.WRITE_MAIN,
    0xD1: Cmd.WRITE_PROTECTION,
    0xD2: Cmd.CHANGE_PSC,
}


def _sw(code: int) -> bytes:
    return code.to_bytes(2, "big")


class VpcdCard:
    """The card slot of one vpcd reader. Control methods run on the test's thread; the socket is
    served on a thread of its own; card state changes under the simulator's one lock."""

    def __init__(
        self,
        store: CardStore,
        lock: threading.RLock,
        *,
        host: str = "127.0.0.1",
        port: int = VPCD_PORT,
        reader_name: str = VPCD_READER,
    ) -> None:
        self.store = store
        self.lock = lock
        self.host, self.port, self.reader_name = host, port, reader_name
        self.card_serial: str | None = None
        self.powered = False
        self.pull_at_byte: int | None = None
        self.pull_on: Cmd | None = None  # the card leaves as this command arrives next
        self.commands_seen: list[Cmd] = []
        self.lose_answer_to: set[int] = set()
        self.line = LineFaults()
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """What PcscCardReader opens to reach this card's reader."""
        return "pcsc://" + quote(self.reader_name)

    # --- control -----------------------------------------------------------------------------
    def present(self, card_serial: str | None) -> None:
        """Put `card_serial` in the reader (None: take the card out); returns once pcscd saw it."""
        if card_serial is not None:
            self.store.get(card_serial)  # KeyError for an unknown card
        if card_serial == self.card_serial and (card_serial is None or self._sock is not None):
            return
        if self._sock is not None:
            self._pull()
        self.card_serial = card_serial
        if card_serial is not None:
            self._insert()

    def close(self) -> None:
        if self._sock is not None:
            self._pull()
        self.card_serial = None

    def _insert(self) -> None:
        self._wait_for_pcscd(present=False)  # a card pulled mid-write: pcscd must have seen it go
        sock = socket.create_connection((self.host, self.port), timeout=_SETTLE_S)
        sock.settimeout(None)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._sock = sock
        self._thread = threading.Thread(target=self._serve, args=(sock,), daemon=True, name="sim-vpcd-card")
        self._thread.start()
        self._wait_for_pcscd(present=True)

    def _pull(self) -> None:
        self._hang_up()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=_SETTLE_S)
        self._wait_for_pcscd(present=False)

    def _hang_up(self) -> None:
        sock, self._sock = self._sock, None
        with self.lock:
            self._end_session()
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    def _end_session(self) -> None:
        if self.card_serial is not None:
            self.store.get(self.card_serial).verified = False
        self.powered = False

    def _wait_for_pcscd(self, *, present: bool) -> None:
        """Until pcscd reports the reader with (or without) a card, so the host's next command sees
        the new state: pcscd keeps a card's state and ATR until its poll finds the card gone."""
        try:
            from smartcard import scard  # the test side has pyscard; without it, wait out two polls
        except ImportError:
            time.sleep(1.0)
            return
        hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
        if hresult != scard.SCARD_S_SUCCESS:
            time.sleep(1.0)
            return
        try:
            deadline = time.monotonic() + _SETTLE_S
            known = scard.SCARD_STATE_UNAWARE
            while time.monotonic() < deadline:
                wait_ms = int((deadline - time.monotonic()) * 1000)
                hresult, states = scard.SCardGetStatusChange(context, wait_ms, [(self.reader_name, known)])
                if hresult != scard.SCARD_S_SUCCESS:
                    break
                event = int(states[0][1])
                if bool(event & scard.SCARD_STATE_PRESENT) == present and not event & scard.SCARD_STATE_MUTE:
                    return
                known = event & ~scard.SCARD_STATE_CHANGED
            log.warning("vpcd card: pcscd did not report the card %s", "in" if present else "out")
        finally:
            scard.SCardReleaseContext(context)

    # --- the socket --------------------------------------------------------------------------
    def _serve(self, sock: socket.socket) -> None:
        try:
            while True:
                body = _receive(sock)
                if body is None:
                    return
                answer = self._answer(body)
                if answer is None:  # pulled mid-command, or the reader "unplugged": close
                    self._hang_up()
                    return
                if answer:
                    sock.sendall(struct.pack(">H", len(answer)) + answer)
        except OSError:
            return

    def _answer(self, body: bytes) -> bytes | None:
        """What goes back to vpcd: b"" for nothing (control messages without answer), None to hang
        up (the card left the reader)."""
        if len(body) == 1:
            if body[0] == _CTRL_ATR:
                return PCSC_ATR
            if body[0] in (_CTRL_OFF, _CTRL_ON, _CTRL_RESET):
                # A power cycle: the chip forgets a verified PSC. Not under the lock: a test thread
                # holding it while it waits for pcscd must not stall pcscd's own power commands.
                self._end_session()
            return b""
        with self.lock:
            if self.line.close_next:
                self.line.close_next = False
                return None
            answer = self._apdu(body)
            if answer is None:
                return None
            cmd = _INS_TO_CMD.get(body[1]) if len(body) > 1 else None
            lost = (
                self.line.mute or self.line.drop_next > 0 or (cmd is not None and cmd in self.lose_answer_to)
            )
            if cmd is not None and cmd in self.lose_answer_to:
                self.lose_answer_to.discard(cmd)
            elif self.line.drop_next > 0:
                self.line.drop_next -= 1
        if self.line.delay_s:
            time.sleep(self.line.delay_s)
        # A lost answer: the card acted, the host gets a response without a status word.
        return b"\x6f" if lost else answer

    def _apdu(self, apdu: bytes) -> bytes | None:
        if len(apdu) < 4 or apdu[0] != 0xFF:
            return _sw(0x6E00)
        ins = apdu[1]
        cmd = _INS_TO_CMD.get(ins)
        if cmd is None:
            return _sw(SW_INS_NOT_SUPPORTED)
        self.commands_seen.append(cmd)
        if self.card_serial is None:
            return _sw(0x6A82)
        card = self.store.get(self.card_serial)
        if cmd == Cmd.POWER_ON:
            if apdu != ACS.select_card:
                return _sw(0x6A86)
            self.powered, card.verified = True, False  # SELECT_CARD_TYPE resets the card
            return _sw(SW_OK)
        return self._card_command(cmd, card, apdu)

    def _card_command(self, cmd: Cmd, card: VirtualCard, apdu: bytes) -> bytes | None:
        if cmd == self.pull_on:  # as pulled at a byte: the card is gone, no answer
            log.info("sim vpcd card: card %s pulled during %s", card.serial, cmd.name)
            self.pull_on = None
            self._end_session()
            self.card_serial = None
            return None
        address = apdu[3]
        body = apdu[5:] if len(apdu) > 5 else b""
        if cmd == Cmd.READ_MAIN:
            length = apdu[4] if len(apdu) == 5 else -1
            if not 1 <= length <= 256 - address:
                return _sw(SW_WRONG_LENGTH)
            return bytes(card.memory[address : address + length]) + _sw(SW_OK)
        if cmd == Cmd.READ_SECURITY:
            return bytes([card.error_counter, 0, 0, 0]) + _sw(SW_OK)
        if cmd == Cmd.READ_PROTECTION:
            return card.protection.to_bytes(4, "little") + _sw(SW_OK)
        if len(apdu) < 5 or len(body) != apdu[4]:
            return _sw(SW_WRONG_LENGTH)
        if cmd == Cmd.VERIFY_PSC:
            if len(body) != 3:
                return _sw(SW_WRONG_LENGTH)
            if card.locked:
                return _sw(0x6300)
            card.verify(bytes(body))
            self.store.save(card)
            return bytes([0x90, card.error_counter & 0b111])
        if not card.verified:
            return _sw(SW_SECURITY_NOT_SATISFIED)
        if cmd == Cmd.WRITE_MAIN:
            return self._write_main(card, address, body)
        if cmd == Cmd.CHANGE_PSC:
            card.psc = bytes(body)
            self.store.save(card)
            return _sw(SW_OK)
        # WRITE_PROTECTION: protects a byte only where the given value matches (SLE4442).
        if address + len(body) > PROTECTED_AREA:
            return _sw(SW_WRONG_DATA)
        for offset, value in enumerate(body):
            if card.memory[address + offset] == value:
                card.protection &= ~(1 << (address + offset))
        self.store.save(card)
        return _sw(SW_OK)

    def _write_main(self, card: VirtualCard, address: int, data: bytes) -> bytes | None:
        if not all(card.writable(a) for a in range(address, address + len(data))):
            return _sw(SW_WRONG_DATA)
        limit = len(data) if self.pull_at_byte is None else min(self.pull_at_byte, len(data))
        card.memory[address : address + limit] = data[:limit]
        self.store.save(card)
        if self.pull_at_byte is not None:
            log.info("sim vpcd card: card %s pulled after %d bytes", card.serial, limit)
            self.pull_at_byte = None
            self._end_session()
            self.card_serial = None
            return None
        return _sw(SW_OK)


def _quick_ack(sock: socket.socket) -> None:
    """Acknowledge at once (Linux): vpcd writes its length prefix and body, or a control message and
    the next one, as separate small sends, and Nagle on its side waits for our ACK, which delayed
    ACK holds back 40 ms: every APDU would take 40 ms instead of well under 1."""
    quickack = getattr(socket, "TCP_QUICKACK", None)
    if quickack is not None:
        try:
            sock.setsockopt(socket.IPPROTO_TCP, quickack, 1)
        except OSError:
            pass


def _receive(sock: socket.socket) -> bytes | None:
    header = _exactly(sock, 2)
    if header is None:
        return None
    return _exactly(sock, struct.unpack(">H", header)[0])


def _exactly(sock: socket.socket, n: int) -> bytes | None:
    out = b""
    while len(out) < n:
        _quick_ack(sock)
        chunk = sock.recv(n - len(out))
        if not chunk:
            return None
        out += chunk
    return out
