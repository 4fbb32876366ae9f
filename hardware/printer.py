"""ESC/POS printer driver: send bytes, read real-time status. Builds no receipts (receipts/ does).

Status follows notes/libraries.md §1: `reset_input_buffer()` before each DLE EOT query (printers
answer DLE EOT found anywhere in the stream, so stray status bytes arrive after image data),
`read(1)`, validate the fixed bits `0xx1xx10`. No answer is *unknown*, never "paper OK" (the bug
of python-escpos 3.1's `paper_status()`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import NoReturn

import serial

from base.errors import DeviceOffline, PrinterPaperOut, UserFacingError
from hardware.card_reader import DeviceDiagnostics
from hardware.device_thread import DeviceThread, runs_in_device_thread
from hardware.ports import open_port

log = logging.getLogger(__name__)

DLE_EOT = b"\x10\x04"
_FIXED_MASK = 0b1001_0011
_FIXED_BITS = 0b0001_0010


def status_byte_valid(raw: int) -> bool:
    return raw & _FIXED_MASK == _FIXED_BITS


@dataclass(frozen=True)
class PrinterStatus:
    """`known` False: the printer did not answer (or answered nonsense); every field is None/unknown."""

    known: bool
    online: bool | None = None
    cover_open: bool | None = None
    paper: str = "unknown"  # ok | near_end | out | unknown
    error: bool | None = None

    @property
    def ready(self) -> bool:
        return self.known and bool(self.online) and not self.cover_open and self.paper in ("ok", "near_end")

    def raise_for_fault(self) -> None:
        """PrinterPaperOut for paper end; DeviceOffline for no answer, offline, cover open, error."""
        if self.paper == "out":
            raise PrinterPaperOut(data={"status": self})
        if not self.known:
            raise DeviceOffline("打印机无响应", detail_en="printer not answering", data={"status": self})
        if self.cover_open:
            raise DeviceOffline("打印机盖未关", detail_en="printer cover open", data={"status": self})
        if not self.online or self.error:
            raise DeviceOffline("打印机脱机", detail_en="printer offline", data={"status": self})


UNKNOWN = PrinterStatus(known=False)


def decode_status(raw_printer: int, raw_offline: int, raw_paper: int) -> PrinterStatus:
    """From the answers to DLE EOT 1, 2 and 4 (already validated)."""
    paper = "ok"
    if raw_paper & 0x60 == 0x60 or raw_offline & 0x20:
        paper = "out"
    elif raw_paper & 0x0C == 0x0C:
        paper = "near_end"
    return PrinterStatus(
        known=True,
        online=not raw_printer & 0x08,
        cover_open=bool(raw_offline & 0x04),
        paper=paper,
        error=bool(raw_offline & 0x40),
    )


class SerialPrinter:
    """An ESC/POS printer on a pyserial URL. Every call is bounded by `timeout`/`write_timeout`."""

    def __init__(
        self, url: str, *, baudrate: int = 9600, timeout: float = 0.5, write_timeout: float = 5.0
    ) -> None:
        self.url = url
        self.baudrate = baudrate
        self.timeout = timeout
        self.write_timeout = write_timeout
        self._thread = DeviceThread(f"printer:{url}")
        self._port: serial.Serial | None = None  # what serial_for_url returns (any URL scheme)
        self._last_status: PrinterStatus = UNKNOWN
        self._version: str | None = None
        self._last_error: str | None = None

    @runs_in_device_thread
    def status(self) -> PrinterStatus:
        """Query DLE EOT 1, 2, 4. Never raises for a silent printer: that is `known=False`."""
        try:
            answers = [self._query(n) for n in (1, 2, 4)]
        except DeviceOffline as exc:
            self._last_error = exc.message_en
            answers = [None]
        if any(a is None for a in answers):
            self._last_status = UNKNOWN
        else:
            self._last_status = decode_status(*answers)  # type: ignore[arg-type]
        return self._last_status

    @runs_in_device_thread
    def version(self) -> str | None:
        """The model name by GS I 67 ("_" + text + NUL), or None when the model does not answer it.
        A simulator's starts with "SIM"."""
        port = self._open()
        try:
            port.reset_input_buffer()
            port.write(b"\x1dI\x43")
            raw = port.read_until(b"\0", 81)
        except (serial.SerialException, OSError) as exc:
            self._fail(exc)
        if len(raw) >= 2 and raw[:1] == b"_" and raw[-1:] == b"\0":
            self._version = raw[1:-1].decode("ascii", errors="replace")
        return self._version

    @runs_in_device_thread
    def send(self, data: bytes) -> None:
        """Write raw bytes (a receipt from receipts/). DeviceOffline on a write timeout or lost port."""
        port = self._open()
        try:
            port.write(data)
            port.flush()
        except (serial.SerialException, OSError) as exc:
            self._fail(exc)

    @runs_in_device_thread
    def print_job(self, data: bytes) -> PrinterStatus:
        """Check status, send, check again. Raises PrinterPaperOut / DeviceOffline on a fault, so a
        receipt is never assumed printed by a printer that cannot print it."""
        try:
            self.status().raise_for_fault()
            self.send(data)
            after = self.status()
            after.raise_for_fault()
        except UserFacingError as exc:
            self._last_error = f"{exc.code}: {exc.message_en}"
            raise
        return after

    def diagnostics(self) -> DeviceDiagnostics:
        return DeviceDiagnostics(
            port=self.url,
            version=self._version,  # from version(); GS I is common but not universal
            simulated=bool(self._version and self._version.startswith("SIM")),
            connected=self._port is not None,
            card_present=None,
            last_error=self._last_error,
        )

    def close(self) -> None:
        self._thread.call(self._close_port)
        self._thread.shutdown()

    # --- the line ----------------------------------------------------------------------------
    def _query(self, n: int) -> int | None:
        self._thread.assert_on_thread()
        port = self._open()
        try:
            port.reset_input_buffer()
            port.write(DLE_EOT + bytes([n]))
            raw = port.read(1)
        except (serial.SerialException, OSError) as exc:
            self._fail(exc)
        if len(raw) != 1 or not status_byte_valid(raw[0]):
            log.warning("printer %s: DLE EOT %d answered %r", self.url, n, raw)
            return None
        return raw[0]

    def _open(self) -> serial.Serial:
        if self._port is None:
            try:
                self._port = open_port(
                    self.url, baudrate=self.baudrate, timeout=self.timeout, write_timeout=self.write_timeout
                )
            except (serial.SerialException, OSError, ValueError) as exc:
                raise DeviceOffline(
                    f"打印机端口 {self.url} 无法打开", detail_en=f"cannot open printer port {self.url}: {exc}"
                ) from exc
        return self._port

    def _fail(self, exc: Exception) -> NoReturn:
        self._close_port()
        raise DeviceOffline("打印机连接中断", detail_en=f"printer line failed: {exc}") from exc

    def _close_port(self) -> None:
        if self._port is not None:
            try:
                self._port.close()
            except (serial.SerialException, OSError):
                log.debug("closing %s failed", self.url, exc_info=True)
            self._port = None
