"""The bus poller: reads every meter on one RS-485 bus on a schedule and on demand, and switches
them, reporting through callbacks (docs/hardware.md §9).

Threads: the bus driver owns the port on its own device thread (hardware/device_thread.py), so a
read on demand from the UI's worker and the scheduled round never interleave on the line; this
module adds one scheduler thread per bus that decides what to read next. Storage is the caller's:
hardware imports no db. Callbacks run on the scheduler thread (scheduled reads) or the caller's
thread (on-demand calls); an exception in a callback is logged, never stops the poller.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, TypeVar

from base.clock import Clock, system_clock
from base.errors import DeviceOffline, MeterRefused, UserFacingError
from hardware.meter_bus import MeterBus, SwitchAction

log = logging.getLogger(__name__)
E = TypeVar("E")


@dataclass(frozen=True)
class MeterReading:
    bus: str
    address: str
    energy_ckwh: int
    relay_closed: bool | None  # None: the relay read failed after the energy read succeeded
    read_at: datetime
    on_demand: bool


@dataclass(frozen=True)
class MeterUnanswered:
    bus: str
    address: str
    at: datetime
    code: str  # the error family's code: DEVICE_OFFLINE, METER_REFUSED, INPUT_INVALID
    reason: str  # no_answer, foreign, bad_answer, port, refused, invalid
    detail: str
    failures_in_a_row: int
    on_demand: bool


SwitchOutcomeKind = Literal["done", "refused", "unknown"]


@dataclass(frozen=True)
class SwitchOutcome:
    """Every switch command and its answer, for the caller to record and audit."""

    bus: str
    address: str
    action: SwitchAction
    sent_at: datetime
    answered_at: datetime
    outcome: SwitchOutcomeKind  # unknown: no answer, and the relay read could not tell
    relay_closed: bool | None  # read back after the command (None: not answered)
    code: str | None  # the error's code when not done
    detail: str | None


@dataclass(frozen=True)
class MeterStatus:
    address: str
    last_reading: MeterReading | None
    last_failure: MeterUnanswered | None
    failures_in_a_row: int

    @property
    def answering(self) -> bool:
        return self.failures_in_a_row == 0 and self.last_reading is not None


def _reason(exc: UserFacingError) -> str:
    if isinstance(exc, MeterRefused):
        return "refused"
    if isinstance(exc, DeviceOffline):
        return str(exc.data.get("reason", "no_answer"))
    return "invalid"


class BusPoller:
    """`interval_s` between two scheduled reads of one meter; `read_relay` also reads each relay."""

    def __init__(
        self,
        bus: MeterBus,
        addresses: Iterable[str] = (),
        *,
        interval_s: float = 900.0,
        on_reading: Callable[[MeterReading], object] | None = None,
        on_unanswered: Callable[[MeterUnanswered], object] | None = None,
        on_switch: Callable[[SwitchOutcome], object] | None = None,
        read_relay: bool = True,
        clock: Clock | None = None,
    ) -> None:
        self.bus = bus
        self.interval_s = interval_s
        self.on_reading, self.on_unanswered, self.on_switch = on_reading, on_unanswered, on_switch
        self.read_relay = read_relay
        self.clock = clock or system_clock
        self._lock = threading.Lock()
        self._due: dict[str, float] = {}  # address -> monotonic time of its next scheduled read
        self._status: dict[str, MeterStatus] = {}
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.set_addresses(addresses)

    # --- the meters --------------------------------------------------------------------------
    def set_addresses(self, addresses: Iterable[str]) -> None:
        """The meters to poll; new ones are read at the next round, gone ones are forgotten."""
        wanted = list(dict.fromkeys(addresses))
        with self._lock:
            self._due = {a: self._due.get(a, 0.0) for a in wanted}
            self._status = {a: self._status.get(a, MeterStatus(a, None, None, 0)) for a in wanted}
        self._wake.set()

    def status(self) -> list[MeterStatus]:
        with self._lock:
            return list(self._status.values())

    # --- scheduling --------------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, daemon=True, name=f"bus-poller:{self.bus.url}")
            self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def request_read(self, address: str | None = None) -> None:
        """Read `address` (None: every meter) at once on the scheduler thread; results arrive via
        the callbacks."""
        with self._lock:
            for a in [address] if address is not None else list(self._due):
                if a in self._due:
                    self._due[a] = 0.0
        self._wake.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            address, wait = self._next_due()
            if address is None:
                self._wake.wait(wait)
                self._wake.clear()
                continue
            try:
                self.read_now(address, on_demand=False)
            except Exception:  # a bug in one read must not end every later round: log, go on
                log.exception("meter bus %s: scheduled read of %s failed", self.bus.url, address)

    def _next_due(self) -> tuple[str | None, float]:
        now = time.monotonic()
        with self._lock:
            if not self._due:
                return None, 60.0
            address, due = min(self._due.items(), key=lambda item: item[1])
            if due > now:
                return None, due - now
            self._due[address] = now + self.interval_s
            return address, 0.0

    # --- operations (any thread; the driver serialises the line) ----------------------------
    def read_now(self, address: str, *, on_demand: bool = True) -> MeterReading | MeterUnanswered:
        try:
            energy = self.bus.read_energy(address)
        except UserFacingError as exc:
            return self._failed(address, exc, on_demand)
        relay: bool | None = None
        if self.read_relay:
            try:
                relay = self.bus.read_relay(address)
            except UserFacingError as exc:
                log.warning("meter %s: relay not read: %s", address, exc)
        reading = MeterReading(self.bus.url, address, energy, relay, self.clock(), on_demand)
        with self._lock:
            if address in self._status:
                self._status[address] = MeterStatus(address, reading, self._status[address].last_failure, 0)
        self._report(self.on_reading, reading)
        return reading

    def switch(self, address: str, action: SwitchAction) -> SwitchOutcome:
        """Send the command once; confirm by reading the relay. The outcome is reported through
        `on_switch` and returned, whatever it is."""
        sent_at = self.clock()
        code: str | None = None
        detail: str | None = None
        try:
            self.bus.switch(address, action)
            outcome: SwitchOutcomeKind = "done"
        except MeterRefused as exc:
            outcome, code, detail = "refused", exc.code, exc.message_en
        except UserFacingError as exc:
            outcome, code, detail = "unknown", exc.code, exc.message_en
        relay: bool | None = None
        try:
            relay = self.bus.read_relay(address)
        except UserFacingError as exc:
            log.warning("meter %s: relay not read after %s: %s", address, action, exc)
        if outcome == "unknown" and relay is not None and relay == (action == "close"):
            outcome = "done"  # the answer was lost, but the relay shows the command took effect
        result = SwitchOutcome(
            self.bus.url, address, action, sent_at, self.clock(), outcome, relay, code, detail
        )
        self._report(self.on_switch, result)
        return result

    def _failed(self, address: str, exc: UserFacingError, on_demand: bool) -> MeterUnanswered:
        with self._lock:
            previous = self._status.get(address)
            failures = (previous.failures_in_a_row if previous else 0) + 1
            failure = MeterUnanswered(
                self.bus.url,
                address,
                self.clock(),
                exc.code,
                _reason(exc),
                exc.message_en,
                failures,
                on_demand,
            )
            if previous is not None:
                self._status[address] = MeterStatus(address, previous.last_reading, failure, failures)
        self._report(self.on_unanswered, failure)
        return failure

    @staticmethod
    def _report(callback: Callable[[E], object] | None, event: E) -> None:
        if callback is None:
            return
        try:
            callback(event)
        except Exception:  # a storage hiccup must not stop the bus: log it, go on
            log.exception("meter bus callback failed for %r", event)
