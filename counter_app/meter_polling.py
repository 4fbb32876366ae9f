"""The scheduled meter rounds of one counter (issue 17 §2; docs/hardware.md §12, docs/operations.md).

`MeterPolling` runs one `BusPoller` (hardware/bus_poller.py) per bus port named in the setting
`meter_bus.ports` that has networked accounts, reading each meter every `meter_bus.poll_minutes`
(0: no scheduled reads). Each poller's scheduler thread talks to the bus through the counter's one
driver of that port (counter_app/meter_buses.py: the same one the manual read of the 远程抄表 page
uses) and stores what it hears through `bus_rounds.Recorder`: a reading with source "scheduled",
an unanswered meter as an "unanswered" row, then the zero-balance rule (`meter_bus.auto_trip`) —
the very steps of a manual read, each in its own short transaction after the bus was talked to.

A control thread looks at the settings and the accounts every `refresh_s` (a minute) and when
asked (`refresh`): pollers start for new buses, stop for gone ones, take new meters and a new
interval; a bus on a simulator URL of a production database is refused (SIMULATION_REFUSED, as for
a manual read) and never polled. With several counter PCs, `meter_bus.poll_workstation` names the
one that runs the rounds (the one the buses are wired to); empty: any.

The workstation starts it after a login (`Session.start_meter_polling`, ui/app.py) and stops it at
logout and when the counter closes; `counter-admin meter poll` runs it without a window. Rounds run
under the login that started them (its audit entries name that person; the reading rows carry no
operator, their source is "scheduled").
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from base.errors import UserFacingError
from counter_app.context import OpContext
from counter_app.ops.area import SessionArea
from counter_app.ops.bus_rounds import (
    Recorder,
    RoundResult,
    bus_targets,
    driver_for,
    poller_for,
    read_buses_now,
)
from counter_app.ops.networked import METER_READERS
from hardware.bus_poller import BusPoller
from hardware.meter_bus import MeterBus

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PollingState:
    running: bool  # the control thread runs (rounds happen when minutes > 0 and buses exist)
    minutes: int
    buses: tuple[str, ...]  # the buses being polled now
    reason: str | None  # why nothing is polled: off, another workstation, no buses


@dataclass(frozen=True)
class RoundProgress:
    """A round a person asked for (the status screen's 立即抄表), run on a thread of its own so the
    window's worker stays free for sales while a long bus is read."""

    running: bool
    done: int
    total: int
    results: tuple[RoundResult, ...]  # of the round when it has finished
    error: BaseException | None = None  # why it could not run (a role refused, a database error)


@dataclass
class _Running:
    poller: BusPoller
    recorder: Recorder
    names: tuple[str, ...]


class MeterPolling:
    def __init__(self, *, refresh_s: float = 60.0) -> None:
        self.refresh_s = refresh_s
        self._lock = threading.Lock()
        self._reconciling = threading.Lock()
        self._ctx: OpContext | None = None
        self._owner: object = None
        self._pollers: dict[str, _Running] = {}  # by port URL: one poller per line
        self._minutes = 0
        self._reason: str | None = None
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._round: threading.Thread | None = None
        self._progress = RoundProgress(False, 0, 0, ())

    # --- start / stop ----------------------------------------------------------------------------
    def start(self, ctx: OpContext, *, owner: object = None) -> PollingState:
        """Run the scheduled rounds under `ctx` (a login holding a meter reader's role); a running
        service of an earlier login is stopped first. `owner` is who may stop it (`stop_for`)."""
        with ctx.reading() as s:
            ctx.require_role(s, *METER_READERS)
        self.stop()
        with self._lock:
            self._ctx, self._owner = ctx, owner
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, daemon=True, name="meter-polling")
            self._thread.start()
        self.refresh(wait=True)
        return self.state()

    def stop(self, timeout: float = 10.0) -> None:
        with self._lock:
            thread, self._thread = self._thread, None
            self._stop.set()
            self._wake.set()
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
        self._stop_pollers(list(self._pollers))
        with self._lock:
            self._ctx, self._owner = None, None
            round_thread = self._round
        if round_thread is not None and round_thread is not threading.current_thread():
            round_thread.join(timeout)  # a round asked for by hand ends at its next meter

    def stop_for(self, owner: object) -> None:
        """Stop when `owner` started it (a logout stops its own login's rounds, nobody else's)."""
        if self._thread is not None and self._owner is owner:
            self.stop()

    # --- a round now, in the background ---------------------------------------------------------
    def start_round(self, ctx: OpContext, *, bus: str | None = None) -> RoundProgress:
        """Read every meter of `bus` (None: all) now on a thread of its own; one round at a time (a
        second request while one runs gets the running one's progress)."""
        with ctx.reading() as s:
            ctx.require_role(s, *METER_READERS)
        with self._lock:
            if self._round is not None and self._round.is_alive():
                return self._progress
            self._progress = RoundProgress(True, 0, 0, ())
            self._round = threading.Thread(
                target=self._run_round, args=(ctx, bus), daemon=True, name="meter-round"
            )
            self._round.start()
            return self._progress

    def round_progress(self) -> RoundProgress:
        with self._lock:
            return self._progress

    def _run_round(self, ctx: OpContext, bus: str | None) -> None:
        def report(done: int, total: int) -> None:
            with self._lock:
                self._progress = RoundProgress(True, done, total, ())

        results: list[RoundResult] = []
        error: BaseException | None = None
        try:
            results = read_buses_now(ctx, bus=bus, progress=report)
        except Exception as exc:  # shown by the screen (a bug as "internal error, see log <id>")
            error = exc
        with self._lock:
            done = self._progress
            self._progress = RoundProgress(False, done.total, done.total, tuple(results), error)

    # --- what runs ---------------------------------------------------------------------------------
    def state(self) -> PollingState:
        with self._lock:
            buses = tuple(sorted(n for r in self._pollers.values() for n in r.names))
            return PollingState(self._thread is not None, self._minutes, buses, self._reason)

    def scheduled_buses(self) -> frozenset[str]:
        return frozenset(self.state().buses)

    def refresh(self, *, wait: bool = False) -> None:
        """Look at the settings and accounts now (not after the next `refresh_s`)."""
        if wait and self._thread is not None:
            self._reconcile()
        else:
            self._wake.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            if self._wake.wait(self.refresh_s):
                self._wake.clear()
            if self._stop.is_set():
                return
            try:
                self._reconcile()
            except Exception:  # a database hiccup must not end the rounds: try again next time
                log.exception("meter polling: looking at the buses failed")

    def _reconcile(self) -> None:
        with self._reconciling:  # the control thread and a `refresh(wait=True)` never overlap
            ctx = self._ctx
            if ctx is not None:
                self._reconcile_in(ctx)

    def _reconcile_in(self, ctx: OpContext) -> None:
        minutes, reason = self._settings(ctx)
        wanted: dict[str, tuple[Recorder, tuple[str, ...], MeterBus]] = {}
        if reason is None:
            for bus in bus_targets(ctx):
                driver = driver_for(ctx, bus)
                if driver is None:
                    if bus.targets:
                        log.warning("meter bus %s not polled: %s", bus.name, bus.problem)
                    continue
                running = wanted.get(driver.url)
                if running is not None:  # two names for one line: one poller reads both
                    running[0].targets.update(bus.by_address())
                    wanted[driver.url] = (running[0], (*running[1], bus.name), driver)
                else:
                    wanted[driver.url] = (Recorder(ctx, bus.by_address(), "scheduled"), (bus.name,), driver)
            reason = None if wanted else "no_buses"
        with self._lock:
            self._minutes, self._reason = minutes, reason
        self._apply(ctx, wanted, minutes)

    def _settings(self, ctx: OpContext) -> tuple[int, str | None]:
        with ctx.reading() as s:
            minutes = int(ctx.setting(s, "meter_bus.poll_minutes"))
            station = str(ctx.setting(s, "meter_bus.poll_workstation"))
        if minutes <= 0:
            return minutes, "off"
        if station and ctx.station is not None and station != ctx.station.code:
            return minutes, "another_workstation"
        return minutes, None

    def _apply(
        self, ctx: OpContext, wanted: dict[str, tuple[Recorder, tuple[str, ...], MeterBus]], minutes: int
    ) -> None:
        gone = [url for url, r in self._pollers.items()
                if url not in wanted or not ctx.devices.meter_buses.is_current(r.poller.bus)]  # fmt: skip
        self._stop_pollers(gone)
        for url, (recorder, names, driver) in wanted.items():
            running = self._pollers.get(url)
            if running is None:
                poller = poller_for(ctx, driver, recorder, interval_s=minutes * 60.0)
                with self._lock:
                    self._pollers[url] = _Running(poller, recorder, names)
                poller.start()
                log.info("meter bus %s: polled every %d min (%d meters)", "/".join(names), minutes,
                         len(recorder.targets))  # fmt: skip
                continue
            running.recorder.targets = recorder.targets  # the callbacks see the new accounts
            running.poller.set_addresses(list(recorder.targets))
            if running.poller.interval_s != minutes * 60.0:  # a new interval starts with a round now
                running.poller.interval_s = minutes * 60.0
                running.poller.request_read(None)
            with self._lock:
                running.names = names

    def _stop_pollers(self, urls: list[str]) -> None:
        for url in urls:
            with self._lock:
                running = self._pollers.pop(url, None)
            if running is not None:
                running.poller.stop()


def start_meter_polling(ctx: OpContext, polling: MeterPolling, owner: object) -> PollingState:
    """`polling.start`, with a refusal (a login without a reader's role) as a state, not an error:
    the window starts the rounds after every login."""
    try:
        return polling.start(ctx, owner=owner)
    except UserFacingError as exc:
        return PollingState(False, 0, (), exc.code)


def meter_polling_state(ctx: OpContext, polling: MeterPolling) -> PollingState:
    return polling.state()


def start_bus_round(ctx: OpContext, polling: MeterPolling, *, bus: str | None = None) -> RoundProgress:
    return polling.start_round(ctx, bus=bus)


def bus_round_progress(ctx: OpContext, polling: MeterPolling) -> RoundProgress:
    return polling.round_progress()


class MeterPollingOps(SessionArea):
    """Facade mixin (counter_app/session.py): the workstation starts the rounds after a login;
    `Session.logout` stops them."""

    def start_meter_polling(self) -> PollingState:
        return start_meter_polling(self.ctx, self.counter.meter_polling, self)

    def meter_polling_state(self) -> PollingState:
        return meter_polling_state(self.ctx, self.counter.meter_polling)

    def start_bus_round(self, *, bus: str | None = None) -> RoundProgress:
        """Every meter of `bus` (None: all) read now in the background (source "manual"); follow it
        with `bus_round_progress`."""
        return start_bus_round(self.ctx, self.counter.meter_polling, bus=bus)

    def bus_round_progress(self) -> RoundProgress:
        return bus_round_progress(self.ctx, self.counter.meter_polling)
