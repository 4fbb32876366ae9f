"""The composition root of the counter: `open_counter` builds one workstation from its parts and
is the door through which every caller (UI, CLI, tests, the acceptance suite) reaches the
operations. (`counter-admin` opens the database for its own commands: counter_app/admin_*.py.)

What it wires (API.md "Opening a counter"), in order:
1. the engine (SQLite pragmas verified; PostgreSQL reachable) and the schema (SQLite: backed up and
   upgraded; PostgreSQL: must already match, `counter-admin db upgrade` migrates it);
2. the installation row and the keys, each checked against its fingerprint (KEY_MISSING names one);
3. the gates: simulated devices and COUNTER_CLOCK only on a development database;
   on PostgreSQL this PC's clock must agree with the server's (CLOCK_SKEW);
4. the workstation (registered to a campus);
5. the devices (`open_devices`): the in-process simulators when asked, then the card reader/writer
   (a pyserial URL, or `pcsc://…` for a PC/SC reader: hardware.readers) and the receipt printer on
   its pyserial URL, collected in a `counter_app.devices.Devices`;
6. the `Counter` holding all of it, which hands each operation an `OpContext` and each login a
   `counter_app.session.Session` — `open_for_login` stops here: every check a login depends on has
   passed;
7. `Counter.finish_open`: the workstation's high-water mark (counter_app/high_water.py: a database
   behind what this PC issued is advanced and flagged), recovery of open card writes, the receipts a
   crash left in the print queue, and the day's first backup. None of them is a check of the login,
   but all must precede the first sale, so `Counter.login` refuses until it has run. `open_counter`
   runs both; the Qt workstation runs the second behind its enabled login button, on the worker that
   every login goes through, ahead of any login (counter_app/main.py, issue 16).

The Qt workstation's own composition root is counter_app/main.py (the screens on top of this).
"""

from __future__ import annotations

import logging
import os
from datetime import timedelta
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs
from sqlalchemy import Engine, func, select

from base import crashpoints
from base.clock import Clock, clock_from_env, system_clock
from base.errors import ClockSkew, InputInvalid, SimulationRefused
from counter_app import device_setup, device_status, settings
from counter_app.auth import AuthenticatedOperator
from counter_app.context import OpContext, WorkstationRef
from counter_app.device_setup import PrinterCheck, ReaderCheck
from counter_app.device_status import DeviceProber, DeviceState, DeviceStatus
from counter_app.devices import Devices
from counter_app.high_water import HighWater, open_high_water
from counter_app.installation import InstallationInfo, load_keys
from counter_app.keystore import Keys
from counter_app.local_config import DeviceChoice
from db.engine import is_postgresql, make_engine, sqlite_file_of
from db.errors import translated_db_errors
from db.migrate import prepare_schema
from db.models import Workstation
from db.session import unit_of_work
from hardware.card_service import CardService
from hardware.discovery import Found
from hardware.printer import SerialPrinter
from hardware.profiles import known_profiles
from hardware.readers import open_card_reader

if TYPE_CHECKING:
    import argon2  # annotations only: argon2 loads when a password is hashed or checked (auth.py)

    from counter_app import backups
    from counter_app.keystore import Keystore
    from counter_app.meter_polling import MeterPolling
    from counter_app.results import RecoveryResult
    from counter_app.session import Session
    from hardware.sim.control import SimControl

log = logging.getLogger(__name__)


class Counter:
    """One open workstation. Not for concurrent use from several threads: the UI serialises its
    calls on one worker thread (ui/ops.py)."""

    def __init__(
        self, *, engine: Engine, keys: Keys, info: InstallationInfo, clock: Clock,
        workstation: WorkstationRef, devices: Devices, hasher: argon2.PasswordHasher | None = None,
        keystore: Keystore, reports_dir: Path | None = None,
    ) -> None:  # fmt: skip
        self.engine = engine
        self.keys = keys
        self.installation = info
        self.clock = clock
        self.workstation = workstation
        self.devices = devices
        self.hasher = hasher
        # Where settlement sheets (and other generated papers) are written; docs/api.md.
        self.reports_dir = reports_dir if reports_dir is not None else _default_reports_dir(engine)
        self._prober: DeviceProber | None = None  # made on the first poll
        self.high_water: HighWater | None = None  # set by finish_open (counter_app/high_water.py)
        self._keystore = keystore  # where the high-water mark is kept (finish_open)
        self.open_finished = False  # finish_open has run: a login is allowed

    @cached_property
    def meter_polling(self) -> MeterPolling:
        """The scheduled meter bus rounds, started by a login (counter_app/meter_polling.py). Made on
        first use: its module brings the bus operations, which the open does not need (issue 16)."""
        from counter_app.meter_polling import MeterPolling  # not a cycle: kept off the open (property doc)

        return MeterPolling()

    def context(self, operator: AuthenticatedOperator | None = None) -> OpContext:
        return OpContext(
            engine=self.engine, keys=self.keys, clock=self.clock, station=self.workstation,
            devices=self.devices, dev_database=self.installation.dev, operator=operator, hasher=self.hasher,
            high_water=self.high_water,
        )  # fmt: skip

    @property
    def sim(self) -> SimControl:
        """The simulator control (API.md "Simulator control"); AttributeError without simulate=True."""
        if self.devices.sim is None:
            raise AttributeError(
                "sim: this counter runs real devices (open_counter(simulate=True) for simulators)"
            )
        return self.devices.sim

    @property
    def simulated(self) -> bool:
        return self.devices.simulated

    def print_in_background(self, on: bool = True) -> None:
        """Print receipts on a thread of their own (the workstation UI turns this on): a sale then
        returns as soon as it is committed, whatever the printer does (docs/api.md). Turned on, it
        takes over the receipts already waiting: printed now, or as soon as the printer is ready."""
        self.devices.background_printing = on
        if on:
            from counter_app.printing import drain_quietly  # (recover's comment)

            drain_quietly(self.context())

    def wait_for_printing(self) -> None:
        self.devices.wait_for_printing()

    def login(self, name: str, password: str) -> Session:
        if not self.open_finished:  # the workstation queues finish_open ahead of any login (module doc)
            raise RuntimeError("the counter's open has not finished (Counter.finish_open)")
        # The session and its ~25 operation areas load with the first login, not with the open:
        # the window's login is possible sooner (issue 16; docs/architecture.md "The start").
        from counter_app.session import login

        return login(self, name=name, password=password)

    def recover(self) -> list[RecoveryResult]:
        # Recovery, the print queue and the backups load with finish_open, after the login's checks
        # (issue 16; docs/architecture.md "The start").
        from counter_app.ops.recovery import recover_workstation

        return recover_workstation(self.context())

    def finish_open(self) -> None:
        """What the open does after the checks a login depends on (module doc, step 7); a login is
        allowed once it has passed. A failure here fails the open: close the counter."""
        from counter_app import backups  # (recover's comment)
        from counter_app.printing import drain_quietly

        with translated_db_errors(url=self.engine.url, path=sqlite_file_of(self.engine)):
            # Before anything numbers a receipt or writes a card (recovery may do both): the database
            # must be at or past what this PC issued (a restore never re-issues).
            self.high_water = open_high_water(
                self.engine, self.keys, self._keystore, instance_id=self.installation.instance_id,
                workstation=self.workstation.code, workstation_id=self.workstation.id, clock=self.clock,
            )  # fmt: skip
            self.recover()
            drain_quietly(self.context())  # receipts interrupted by a crash or a printer fault
            backups.daily_backup_quietly(self.backup_backend())  # first start of the day; never fails
        self.open_finished = True

    # --- devices (docs/api.md "Devices") -----------------------------------------------------------
    def device_status(self) -> DeviceStatus:
        """`DeviceStatus` of the reader and printer, answered within ~1 s whatever the devices do."""
        prober: DeviceProber | None = getattr(self, "_prober", None)
        if prober is None:
            prober = self._prober = device_status.DeviceProber(self.devices)
        return prober.status(device_status.queued_receipts(self.context()))

    # (The method `device_status` hides the module of that name in the class body: the annotations
    # name the classes directly.)
    def test_print(self) -> DeviceState:
        """A short test slip straight to the printer; the printer's state after it."""
        return device_status.test_print(self.context())

    # --- setting up this PC's devices (docs/api.md "Devices"; counter_app/device_setup.py) ------------
    def list_devices(self) -> list[Found]:
        """Serial ports, PC/SC readers and a card host on this PC, each with the URL to use."""
        return device_setup.list_devices()

    def test_read_card(self, url: str) -> ReaderCheck:
        """Read only: the reader at `url` (its name and command family), a card in it, its kind."""
        return device_setup.test_read_card(self.context(), url)

    def print_test_slip(self, url: str) -> PrinterCheck:
        """The test slip on the printer at `url`, which need not be the one the counter runs."""
        return device_setup.print_test_slip(self.context(), url)

    def saved_device_choice(self) -> DeviceChoice:
        return device_setup.saved_device_choice()

    def save_device_choice(self, *, reader_url: str | None, printer_url: str | None) -> str:
        """This PC's reader and printer from the next start (a local file, never the database);
        the path written."""
        return str(device_setup.save_choice(reader_url, printer_url))

    # --- backups (docs/api.md "Backups") -------------------------------------------------------------
    def backup_status(self) -> backups.BackupStatus:
        """`BackupStatus`: the last good automatic backup, a warning flag (`stale`) when it is more
        than a day old or missing, and the last failure since (counter_app.backups)."""
        from counter_app import backups  # (recover's comment)

        return backups.backup_status(self.backup_backend())

    def backup_backend(self) -> backups.Backend:
        from counter_app import backups  # (recover's comment)

        return backups.Backend(self.engine, self.keys, self.clock, self.workstation.code, self.high_water)

    def close(self) -> None:
        prober: DeviceProber | None = getattr(self, "_prober", None)
        if prober is not None:
            prober.close()
        polling: MeterPolling | None = self.__dict__.get("meter_polling")  # made on first use
        if polling is not None:
            polling.stop()  # before the bus ports close under the pollers
        self.devices.close()
        if self.high_water is not None:
            self.high_water.close()  # the last mark on disk
        self.engine.dispose()


def open_counter(
    db_url: str | None = None,
    workstation: str = "W01",
    reader_url: str | None = None,
    printer_url: str | None = None,
    simulate: bool = False,
    sim_dir: str | os.PathLike[str] | None = None,
    clock: Clock | None = None,
    keystore: str | None = None,
    *,
    hasher: argon2.PasswordHasher | None = None,
    reports_dir: str | os.PathLike[str] | None = None,
) -> Counter:
    """The counter, opened (module doc: every step). Every door opens here; the Qt workstation runs
    the two halves apart, with its login button turned on between them (counter_app/main.py)."""
    counter = open_for_login(db_url, workstation, reader_url, printer_url, simulate, sim_dir, clock, keystore,
                             hasher=hasher, reports_dir=reports_dir)  # fmt: skip
    try:
        counter.finish_open()
    except BaseException:
        counter.close()
        raise
    return counter


def open_for_login(
    db_url: str | None = None,
    workstation: str = "W01",
    reader_url: str | None = None,
    printer_url: str | None = None,
    simulate: bool = False,
    sim_dir: str | os.PathLike[str] | None = None,
    clock: Clock | None = None,
    keystore: str | None = None,
    *,
    hasher: argon2.PasswordHasher | None = None,
    reports_dir: str | os.PathLike[str] | None = None,
) -> Counter:
    """Steps 1–6 of the module doc: the counter, with every check a login depends on passed; the
    caller runs `Counter.finish_open` before any login (`open_counter` does both)."""
    engine = make_engine(db_url)
    try:
        # A broken database met while opening (corrupt, read-only, full disk) is its coded error.
        with translated_db_errors(url=engine.url, path=sqlite_file_of(engine)):
            counter = _open(
                engine, workstation, reader_url, printer_url, simulate, sim_dir, clock, keystore, hasher
            )
        if reports_dir is not None:
            counter.reports_dir = Path(reports_dir)
        return counter
    except BaseException:
        engine.dispose()
        raise


def _open(
    engine: Engine, workstation: str, reader_url: str | None, printer_url: str | None, simulate: bool,
    sim_dir: str | os.PathLike[str] | None, clock: Clock | None, keystore: str | None,
    hasher: argon2.PasswordHasher | None,
) -> Counter:  # fmt: skip
    prepare_schema(engine)
    keys, info, store = load_keys(engine, keystore)
    injected = clock is not None
    clock = _choose_clock(clock, info)
    if simulate and not info.dev:
        raise SimulationRefused(
            "请使用演示模式或开发数据库", detail_en="use demo mode or a development database"
        )
    if crashpoints.armed_point() and not info.dev:
        raise SimulationRefused(
            "崩溃测试点只能用于开发数据库", detail_en="crash points need a development database"
        )
    if not (info.dev and (injected or clock is not system_clock)):
        _check_clock_skew(engine, clock)  # a development database may run on a test or COUNTER_CLOCK time
    station = _workstation(engine, workstation)
    if simulate and not station.simulated:
        station = WorkstationRef(station.id, station.code, station.campus_id, True)
    sim_path = Path(sim_dir) if sim_dir else _default_sim_dir(engine)
    devices = open_devices(reader_url=reader_url, printer_url=printer_url, simulate=simulate,
                           sim_dir=sim_path, keys=keys, clock=clock)  # fmt: skip
    return Counter(engine=engine, keys=keys, info=info, clock=clock, workstation=station, devices=devices,
                   hasher=hasher, keystore=store)  # fmt: skip


def open_devices(
    *,
    reader_url: str | None,
    printer_url: str | None,
    simulate: bool,
    sim_dir: Path | None,
    keys: Keys,
    clock: Clock,
) -> Devices:
    """Start the simulators when asked, then open the drivers on their URLs."""
    devices = Devices()
    if simulate:
        # Only here: a counter on real devices never loads the simulators (issue 16).
        from hardware.sim.control import SimControl

        if sim_dir is None:
            raise ValueError("simulate=True needs a sim_dir")
        devices.sim = SimControl(sim_dir, mac_key=keys.card_mac, clock=clock)
        devices.closers.append(devices.sim.close)
        reader_url = reader_url or devices.sim.reader_url
        printer_url = printer_url or devices.sim.printer_url
    if reader_url:
        reader = open_card_reader(reader_url)
        devices.closers.append(reader.close)
        # Every installed meter profile: each operation binds the account's meter model (for_model).
        devices.card = CardService(reader, mac_key=keys.card_mac, psc_master_key=keys.psc_master,
                                   profiles=known_profiles(), clock=clock)  # fmt: skip
    if printer_url:
        devices.printer = SerialPrinter(printer_url)
        devices.closers.append(devices.printer.close)
    return devices


def _choose_clock(clock: Clock | None, info: InstallationInfo) -> Clock:
    if clock is not None:
        return clock
    from_env = clock_from_env()
    if from_env is not None and info.dev:
        return from_env
    if from_env is not None:
        log.warning("COUNTER_CLOCK ignored: not a development database")
    return system_clock


def _check_clock_skew(engine: Engine, clock: Clock) -> None:
    """PostgreSQL: refuse to start when this PC's clock and the server's differ by more than the
    setting (receipts and the audit chain are ordered by this clock)."""
    if not is_postgresql(engine):
        return
    with unit_of_work(engine, read_only=True) as session:
        server_now = session.execute(select(func.now())).scalar_one()
        limit = settings.get_setting(session, "clock_skew_max_s")
    skew = abs(clock() - server_now)
    if skew > timedelta(seconds=limit):
        raise ClockSkew(
            f"相差 {int(skew.total_seconds())} 秒", detail_en=f"{int(skew.total_seconds())} s apart"
        )


def _workstation(engine: Engine, code: str) -> WorkstationRef:
    with unit_of_work(engine, read_only=True) as session:
        row = session.execute(select(Workstation).where(Workstation.code == code)).scalar_one_or_none()
        if row is None:
            raise InputInvalid(
                f"窗口 {code} 未登记，请管理员运行 counter-admin workstation add",
                detail_en=f"workstation {code} is not registered (counter-admin workstation add)",
            )
        return WorkstationRef(row.id, row.code, row.campus_id, row.simulated)


def _default_sim_dir(engine: Engine) -> Path:
    path = sqlite_file_of(engine)
    if path:
        return Path(path).with_suffix(".sim")
    return Path(platformdirs.user_data_dir("counter", appauthor=False)) / "sim"


def _default_reports_dir(engine: Engine) -> Path:
    """Beside the SQLite file (`counter.db` → `counter.reports/`); on PostgreSQL, this PC's data
    folder. Created when the first paper is written, not here."""
    path = sqlite_file_of(engine)  # None on PostgreSQL, whose URL's database part is a NAME
    if path:
        return Path(path).with_suffix(".reports")
    return Path(platformdirs.user_data_dir("counter", appauthor=False)) / "reports"
