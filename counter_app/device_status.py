"""What the status bar and the device page show: each device's state, asked of the device itself,
and a test slip (docs/api.md "Devices").

    counter.device_status() -> DeviceStatus(reader=DeviceState, printer=DeviceState, queued_receipts)
    counter.test_print()    -> PrinterState of the printer after the slip

The device I/O runs on the device's own thread (hardware.device_thread), like every other call. A
status poll must never hold up the cashier: the probe runs on a helper thread and is waited for at
most `deadline_s`; a device that has not answered by then (hung line, card write under way) is
reported from what is already known, with `answered=False`. Only one probe per device is ever in
flight, so a hung device does not pile up probes.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any

from base.errors import DeviceOffline, UserFacingError
from counter_app import print_queue
from counter_app.context import OpContext
from counter_app.devices import Devices
from receipts.printer_test_slip import printer_test_slip

log = logging.getLogger(__name__)

DEADLINE_S = 0.8  # a status poll is answered within this, whatever the devices do


@dataclass(frozen=True)
class DeviceState:
    """One device. `configured` False: no such device on this workstation (every other field empty).
    Printer only: `online`, `paper` (ok | near_end | out | unknown), `cover_open`. Reader only:
    `card_present`. `answered` False: the device did not answer this poll in time (shown as stale)."""

    device: str  # reader | printer
    configured: bool
    port: str | None = None
    connected: bool = False
    simulated: bool = False
    version: str | None = None
    answered: bool = False
    online: bool | None = None
    paper: str = "unknown"
    cover_open: bool | None = None
    card_present: bool | None = None
    last_error: str | None = None

    @property
    def ok(self) -> bool:
        if not (self.configured and self.answered):
            return False
        if self.device == "printer":
            return bool(self.online) and not self.cover_open and self.paper in ("ok", "near_end")
        return True


@dataclass(frozen=True)
class DeviceStatus:
    reader: DeviceState
    printer: DeviceState
    queued_receipts: int  # receipts committed but not yet printed (paper out, printer off)
    simulated: bool  # the counter runs simulators (the 演示 banner)


class DeviceProber:
    """Bounded, non-piling status probes for one counter's devices."""

    def __init__(self, devices: Devices, deadline_s: float = DEADLINE_S) -> None:
        self.devices = devices
        self.deadline_s = deadline_s
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="device-status")
        self._lock = threading.Lock()
        self._inflight: dict[str, Future[DeviceState]] = {}
        self._last: dict[str, DeviceState] = {}

    def status(self, queued_receipts: int) -> DeviceStatus:
        futures = {name: self._probe(name) for name in ("reader", "printer")}
        states = {name: self._wait(name, future) for name, future in futures.items()}
        return DeviceStatus(states["reader"], states["printer"], queued_receipts, self.devices.simulated)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _probe(self, name: str) -> Future[DeviceState]:
        with self._lock:
            running = self._inflight.get(name)
            if running is not None and not running.done():
                return running  # the previous probe still waits on the device: do not pile up
            probe = _probe_reader if name == "reader" else _probe_printer
            future = self._pool.submit(probe, self.devices)
            self._inflight[name] = future
            return future

    def _wait(self, name: str, future: Future[DeviceState]) -> DeviceState:
        try:
            state = future.result(timeout=self.deadline_s)
        except FutureTimeout:
            stale = self._last.get(name) or DeviceState(name, configured=True)
            return _replace(stale, answered=False)
        except Exception as exc:  # noqa: BLE001 — a probe's bug must not break the status bar
            log.exception("device status probe failed")
            return DeviceState(name, configured=True, last_error=str(exc))
        self._last[name] = state
        return state


def _replace(state: DeviceState, **changes: Any) -> DeviceState:
    from dataclasses import replace

    return replace(state, **changes)


def _probe_reader(devices: Devices) -> DeviceState:
    card = devices.card
    if card is None:
        return DeviceState("reader", configured=False)
    reader = card.reader
    answered, present = True, None
    try:
        if reader.diagnostics().version is None:
            reader.version()  # once: the firmware does not change while the counter runs
        present = reader.status().present
    except UserFacingError as exc:
        answered = False
        log.info("reader status: %s", exc.message_en)
    diag = reader.diagnostics()
    return DeviceState(
        "reader", configured=True, port=diag.port, connected=diag.connected, simulated=diag.simulated,
        version=diag.version, answered=answered, card_present=present, last_error=diag.last_error,
    )  # fmt: skip


def _probe_printer(devices: Devices) -> DeviceState:
    printer = devices.printer
    if printer is None:
        return DeviceState("printer", configured=False)
    try:
        if printer.diagnostics().version is None:
            printer.version()
    except UserFacingError as exc:
        log.info("printer version: %s", exc.message_en)
    status = printer.status()  # never raises: a silent printer is `known=False`
    diag = printer.diagnostics()
    return DeviceState(
        "printer", configured=True, port=diag.port, connected=diag.connected, simulated=diag.simulated,
        version=diag.version, answered=status.known, online=status.online, paper=status.paper,
        cover_open=status.cover_open, last_error=diag.last_error,
    )  # fmt: skip


def queued_receipts(ctx: OpContext) -> int:
    """Print jobs of this workstation not yet printed (or cancelled)."""
    with ctx.reading() as s:
        return print_queue.count_waiting(ctx, s)


def test_print(ctx: OpContext) -> DeviceState:
    """A short test slip straight to the printer (not through the receipt queue: it is no receipt
    and must not print twice after a fault). PrinterPaperOut / DeviceOffline when it cannot print."""
    printer = ctx.devices.printer
    if printer is None:
        raise DeviceOffline("未配置打印机", detail_en="no printer configured")
    stamp = ctx.now().strftime("%Y-%m-%d %H:%M:%S")
    status = printer.print_job(printer_test_slip(ctx.workstation.code, stamp))
    diag = printer.diagnostics()
    return DeviceState(
        "printer", configured=True, port=diag.port, connected=diag.connected, simulated=diag.simulated,
        version=diag.version, answered=status.known, online=status.online, paper=status.paper,
        cover_open=status.cover_open, last_error=diag.last_error,
    )  # fmt: skip
