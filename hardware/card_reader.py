"""The card reader contract and its first implementation over a pyserial URL.

`CardReader` is what the card service talks to; a vendor DLL reader can implement it later.
`SerialCardReader` speaks the reference protocol (docs/hardware.md §1) on its own device thread.
"""

from __future__ import annotations

import logging
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import serial

from base.errors import (
    CardAbsent,
    CardLocked,
    CardMac,
    CardPscWrong,
    CardRemoved,
    DeviceOffline,
    UserFacingError,
)
from hardware.device_thread import DeviceThread, runs_in_device_thread
from hardware.frames import Frame, FrameParser, encode_frame
from hardware.ports import open_port
from hardware.protocol import IDEMPOTENT, Cmd, Status, attempts_left

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class CardStatus:
    present: bool
    atr: bytes | None = None


@dataclass(frozen=True)
class DeviceDiagnostics:
    """For the device page and the self-test. `simulated` comes from the device's own version."""

    port: str
    version: str | None
    simulated: bool
    connected: bool
    card_present: bool | None
    last_error: str | None


# A command frame is a few hundred bytes at most, which the OS takes at once: a write that blocks
# means a hung adapter. Not 1 s: pyserial raises its write timeout AFTER a send that went through
# whenever its thread got the CPU back later than that (a long garbage collection, a loaded PC),
# which turned a sent command into DEVICE_OFFLINE with its outcome unknown (seen once in a full
# test run, 2026-12-04). As the printer's.
WRITE_TIMEOUT_S = 5.0


class ReaderProtocolError(RuntimeError):
    """The reader refused a command our driver should never send: a bug, not a person's problem."""


class CardReader(ABC):
    """SLE4442 reader operations. All raise `UserFacingError`s from base.errors (CardAbsent,
    CardRemoved, CardPscWrong, CardLocked, DeviceOffline) or ReaderProtocolError (a bug)."""

    url: str

    def exclusive(self, fn: Callable[[], T]) -> T:
        """Run a multi-command operation with no other caller's command in between (a card
        session: power on, verify, write, read back). Implementations with an owner thread run
        `fn` there; the default just calls it."""
        return fn()

    @abstractmethod
    def version(self) -> str: ...

    @abstractmethod
    def status(self) -> CardStatus: ...

    @abstractmethod
    def power_on(self) -> bytes:
        """Start a card session (ATR). Card commands fail with CardRemoved once the card leaves."""

    @abstractmethod
    def read_main(self, *, address: int, length: int) -> bytes: ...

    @abstractmethod
    def read_protection(self) -> bytes: ...

    @abstractmethod
    def read_attempts_left(self) -> int:
        """PSC attempts left (SLE4442 error counter): 3 … 0 (0 = locked)."""

    @abstractmethod
    def verify_psc(self, *, psc: bytes) -> None: ...

    @abstractmethod
    def write_main(self, *, address: int, data: bytes) -> None: ...

    @abstractmethod
    def change_psc(self, *, new_psc: bytes) -> None: ...

    @abstractmethod
    def beep(self, *, duration_ms: int = 100) -> None: ...

    @abstractmethod
    def diagnostics(self) -> DeviceDiagnostics: ...

    @abstractmethod
    def close(self) -> None: ...


class _NoAnswer(Exception):
    pass


def _status_error(status: int, payload: bytes) -> Exception:
    if status == Status.NO_CARD:
        return CardAbsent()
    if status in (Status.CARD_REMOVED, Status.NOT_POWERED):
        return CardRemoved()
    if status == Status.PSC_WRONG:
        left = payload[0] if payload else 0
        return CardPscWrong(
            f"剩余 {left} 次", detail_en=f"{left} attempts left", data={"attempts_left": left}
        )
    if status == Status.CARD_LOCKED:
        return CardLocked()
    if status == Status.CARD_ERROR:
        return CardMac("不是 SLE4442 卡", detail_en="not an SLE4442 card")
    return ReaderProtocolError(f"reader refused the command: status 0x{status:02x}")


class SerialCardReader(CardReader):
    """The reference reader on `url` (COM3, /dev/ttyUSB0, socket://host:port, a pty path).

    `timeout` bounds each answer; idempotent reads are retried `read_retries` times; commands that
    change the card are sent once (after a timeout their outcome is unknown).
    """

    def __init__(
        self,
        url: str,
        *,
        baudrate: int = 9600,
        timeout: float = 1.0,
        write_timeout: float = WRITE_TIMEOUT_S,
        read_retries: int = 2,
    ) -> None:
        self.url = url
        self.baudrate = baudrate
        self.timeout = timeout
        self.write_timeout = write_timeout
        self.read_retries = read_retries
        self._thread = DeviceThread(f"reader:{url}")
        self._port: serial.Serial | None = None  # what serial_for_url returns (any URL scheme)
        self._parser = FrameParser()
        self._seq = 0
        self._version: str | None = None
        self._card_present: bool | None = None
        self._last_error: str | None = None

    # --- operations --------------------------------------------------------------------------
    def exclusive(self, fn: Callable[[], T]) -> T:
        return self._thread.call(fn)

    @runs_in_device_thread
    def version(self) -> str:
        self._version = self._transact(Cmd.IDENTIFY).decode("ascii", errors="replace")
        return self._version

    @runs_in_device_thread
    def status(self) -> CardStatus:
        raw = self._transact(Cmd.STATUS)
        present = bool(raw[:1] == b"\x01")
        self._card_present = present
        return CardStatus(present=present, atr=bytes(raw[1:5]) if present else None)

    @runs_in_device_thread
    def power_on(self) -> bytes:
        return self._transact(Cmd.POWER_ON)

    @runs_in_device_thread
    def read_main(self, *, address: int, length: int) -> bytes:
        if not (0 <= address < 256 and 1 <= length <= 256 - address):
            raise ValueError("read outside the 256-byte main memory")
        data = self._transact(Cmd.READ_MAIN, bytes([address]) + length.to_bytes(2, "big"))
        if len(data) != length:
            raise ReaderProtocolError(f"asked for {length} bytes, got {len(data)}")
        return data

    @runs_in_device_thread
    def read_protection(self) -> bytes:
        return self._transact(Cmd.READ_PROTECTION)

    @runs_in_device_thread
    def read_attempts_left(self) -> int:
        raw_ec = self._transact(Cmd.READ_SECURITY)
        return attempts_left(raw_ec[0]) if raw_ec else 0

    @runs_in_device_thread
    def verify_psc(self, *, psc: bytes) -> None:
        self._transact(Cmd.VERIFY_PSC, _three(psc))

    @runs_in_device_thread
    def write_main(self, *, address: int, data: bytes) -> None:
        if not (0 <= address < 256 and 1 <= len(data) <= 256 - address):
            raise ValueError("write outside the 256-byte main memory")
        self._transact(Cmd.WRITE_MAIN, bytes([address]) + bytes(data))

    @runs_in_device_thread
    def change_psc(self, *, new_psc: bytes) -> None:
        self._transact(Cmd.CHANGE_PSC, _three(new_psc))

    @runs_in_device_thread
    def beep(self, *, duration_ms: int = 100) -> None:
        self._transact(Cmd.BEEP, bytes([max(1, min(255, duration_ms // 10))]))

    def diagnostics(self) -> DeviceDiagnostics:
        return DeviceDiagnostics(
            port=self.url,
            version=self._version,
            simulated=bool(self._version and self._version.startswith("SIM")),
            connected=self._port is not None,
            card_present=self._card_present,
            last_error=self._last_error,
        )

    def close(self) -> None:
        self._thread.call(self._close_port)
        self._thread.shutdown()

    # --- the line ----------------------------------------------------------------------------
    def _transact(self, cmd: Cmd, data: bytes = b"") -> bytes:
        self._thread.assert_on_thread()
        tries = 1 + (self.read_retries if cmd in IDEMPOTENT else 0)
        try:
            for attempt in range(tries):
                try:
                    return self._checked(self._exchange(cmd, data))
                except _NoAnswer:
                    log.warning(
                        "reader %s: no answer to %s (try %d/%d)", self.url, cmd.name, attempt + 1, tries
                    )
            outcome = "none" if cmd in IDEMPOTENT else "unknown"
            raise DeviceOffline(
                "读卡器无响应", detail_en="card reader not answering", data={"outcome": outcome}
            )
        except UserFacingError as exc:
            self._last_error = f"{exc.code}: {exc.message_en}"
            raise

    def _checked(self, frame: Frame) -> bytes:
        if not frame.data:
            raise ReaderProtocolError("answer without a status byte")
        status, payload = frame.data[0], frame.data[1:]
        if status == Status.OK:
            return payload
        if status == Status.NO_CARD:
            self._card_present = False
        raise _status_error(status, payload)

    def _exchange(self, cmd: Cmd, data: bytes) -> Frame:
        port = self._open()
        self._seq = (self._seq + 1) % 256
        try:
            # Stale bytes (a late answer to a timed-out request) must not be read as this answer.
            port.reset_input_buffer()
            self._parser.reset()
            port.write(encode_frame(self._seq, cmd, data))
            return self._await(port, self._seq, cmd)
        except (serial.SerialException, OSError) as exc:
            self._close_port()
            raise DeviceOffline("读卡器连接中断", detail_en=f"card reader line failed: {exc}") from exc

    def _await(self, port: serial.Serial, seq: int, cmd: Cmd) -> Frame:
        deadline = time.monotonic() + self.timeout
        while True:
            expired = time.monotonic() >= deadline
            # What completes the frame begun (or a whole short frame): one wake-up per frame, not
            # per byte; more when more already waits.
            chunk = b"" if expired else port.read(max(self._parser.wanted(), port.in_waiting))
            # A gap in the answer means whatever is half-received is garbage (resync).
            frames = self._parser.feed(chunk) if chunk else self._parser.expire()
            for frame in frames:
                if frame.seq == seq and frame.cmd == cmd:
                    return frame
                log.info("reader %s: dropped a stale or foreign frame", self.url)
            if expired:
                raise _NoAnswer

    def _open(self) -> serial.Serial:
        if self._port is None:
            try:
                self._port = open_port(
                    self.url,
                    baudrate=self.baudrate,
                    timeout=min(0.05, self.timeout),
                    write_timeout=self.write_timeout,
                )
            except (serial.SerialException, OSError, ValueError) as exc:
                raise DeviceOffline(
                    f"读卡器端口 {self.url} 无法打开", detail_en=f"cannot open reader port {self.url}: {exc}"
                ) from exc
        return self._port

    def _close_port(self) -> None:
        if self._port is not None:
            try:
                self._port.close()
            except (serial.SerialException, OSError):
                log.debug("closing %s failed", self.url, exc_info=True)
            self._port = None


def _three(psc: bytes) -> bytes:
    if len(psc) != 3:
        raise ValueError("a PSC is 3 bytes")
    return bytes(psc)
