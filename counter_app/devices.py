"""The counter's devices as the operations see them: a card reader/writer and a receipt printer,
real or simulated, and the print queue's thread.

They are opened by the composition root (`counter_app.counter.open_devices`) from pyserial URLs, so
a simulator and a real device take the same code path (docs/hardware.md). Each driver owns one
device thread (hardware.device_thread): every port I/O of a device runs there, whoever calls.
Simulators run only on development databases; the gate is in `counter_app.counter.open_counter`,
the flag here only says what is attached.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from base.errors import DeviceOffline
from counter_app.meter_buses import MeterBuses
from counter_app.print_queue import QueueCursor
from hardware.card_service import CardService
from hardware.printer import SerialPrinter

if TYPE_CHECKING:  # the simulators load only when asked for (counter_app.counter.open_devices)
    from hardware.sim.control import SimControl

log = logging.getLogger(__name__)


@dataclass
class Devices:
    card: CardService | None = None
    printer: SerialPrinter | None = None
    sim: SimControl | None = None
    closers: list[Callable[[], object]] = field(default_factory=list)
    # The networked meters' bus ports, opened once each and shared by every caller (meter_buses.py).
    meter_buses: MeterBuses = field(default_factory=MeterBuses)
    # Print the queue on a thread of its own, so a sale returns as soon as it is committed and the
    # next customer is never kept waiting by a slow or faulty printer (the UI turns this on; API
    # callers and tests keep the default: the receipt is printed before the call returns).
    background_printing: bool = False
    # While receipts wait on a faulty printer (paper out, cover open, offline), the print thread asks
    # the printer every `print_retry_s` seconds and prints them as soon as it is ready again: a
    # receipt never waits for the next customer's sale (counter_app.printing.watch).
    print_retry_s: float = 2.0
    # Through which job the workstation's print queue is known printed (counter_app/print_queue.py).
    print_queue: QueueCursor = field(default_factory=QueueCursor)
    _print_worker: ThreadPoolExecutor | None = None
    _retry_timer: threading.Timer | None = field(default=None, repr=False)
    _retry_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _closing: bool = False

    def submit_print(self, job: Callable[[], object]) -> None:
        if self._print_worker is None:
            self._print_worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="print-queue")
        self._print_worker.submit(job)

    def retry_print_later(self, job: Callable[[], object]) -> None:
        """Run `job` on the print thread in `print_retry_s` seconds; at most one retry is pending
        (a second request while one waits is the same retry)."""
        with self._retry_lock:
            if self._closing or self._retry_timer is not None:
                return
            timer = threading.Timer(self.print_retry_s, self._retry_due, args=(job,))
            timer.daemon = True
            timer.name = "print-retry"
            self._retry_timer = timer
            timer.start()

    @property
    def print_retry_pending(self) -> bool:
        with self._retry_lock:
            return self._retry_timer is not None

    def _retry_due(self, job: Callable[[], object]) -> None:
        with self._retry_lock:
            self._retry_timer = None
            if self._closing:
                return
            self.submit_print(job)

    def wait_for_printing(self) -> None:
        """Until every print already submitted has been tried (for a clean close and for tests)."""
        if self._print_worker is not None:
            self._print_worker.submit(lambda: None).result()

    @property
    def simulated(self) -> bool:
        return self.sim is not None

    def require_card(self) -> CardService:
        if self.card is None:
            raise DeviceOffline("未配置读卡器", detail_en="no card reader configured")
        return self.card

    def close(self) -> None:
        with self._retry_lock:
            self._closing = True
            if self._retry_timer is not None:
                self._retry_timer.cancel()
                self._retry_timer = None
        if self._print_worker is not None:
            self._print_worker.shutdown(wait=True)
            self._print_worker = None
        self.meter_buses.close()
        for close in reversed(self.closers):
            try:
                close()
            except Exception:  # closing must go on for the other devices
                log.exception("closing a device failed")
        self.closers.clear()
