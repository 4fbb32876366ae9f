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
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from base.errors import DeviceOffline
from hardware.card_service import CardService
from hardware.printer import SerialPrinter
from hardware.sim.control import SimControl

log = logging.getLogger(__name__)


@dataclass
class Devices:
    card: CardService | None = None
    printer: SerialPrinter | None = None
    sim: SimControl | None = None
    closers: list[Callable[[], object]] = field(default_factory=list)
    # Print the queue on a thread of its own, so a sale returns as soon as it is committed and the
    # next customer is never kept waiting by a slow or faulty printer (the UI turns this on; API
    # callers and tests keep the default: the receipt is printed before the call returns).
    background_printing: bool = False
    _print_worker: ThreadPoolExecutor | None = None

    def submit_print(self, job: Callable[[], object]) -> None:
        if self._print_worker is None:
            self._print_worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="print-queue")
        self._print_worker.submit(job)

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
        if self._print_worker is not None:
            self._print_worker.shutdown(wait=True)
            self._print_worker = None
        for close in reversed(self.closers):
            try:
                close()
            except Exception:  # closing must go on for the other devices
                log.exception("closing a device failed")
        self.closers.clear()
