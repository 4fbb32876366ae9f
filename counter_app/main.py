"""The Qt workstation's composition root: `counter-app [--db URL] [--workstation CODE] [--demo] [--self-test [--production]]
[--reader URL] [--printer URL]`.

The only module of counter_app/ allowed to import Qt and ui/ (tests/test_import_rules.py). It wires
the facade to the screens: builds the QApplication, installs translators, shows the login window,
then opens the counter (through the core's composition root, counter_app/counter.py) behind it. Qt and
ui/ are imported inside `run_gui` only, so `--help` and `--self-test` run where Qt cannot load.

The one deliberate exception to "imports at module top" (docs/architecture.md "The start", issue 16):
this module imports the core — `counter_app.counter`, the demo, the self-test, and with them
SQLAlchemy, the models and cryptography — and `ui.app` (the main window and its pages) inside
functions, AFTER the login window has painted: the core on the worker that opens the counter, `ui.app`
on the GUI thread once the counter has passed the checks a login depends on (`open_for_login`) and
the login button turns on. Then, on the same worker and ahead of any login, while the person types:
the rest of the open (`Counter.finish_open`: high-water mark, recovery, the print queue, the day's
backup, with the modules they need; a login is refused until it has passed) and the rest of the facade
(`counter_app.api`: the session and its operation areas, the administrator's door; `warm_up`). At
module top it imports only what the first paint needs.
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

from counter_app.logs import explain, setup_logging

if TYPE_CHECKING:
    from counter_app.api import Counter
    from ui.app import WorkstationApp

log = logging.getLogger(__name__)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="counter-app", description="售电收费工作站 / cashier workstation")
    parser.add_argument("--db", default=os.environ.get("COUNTER_DB_URL"), help="SQLAlchemy URL")
    parser.add_argument("--workstation", default=os.environ.get("COUNTER_WORKSTATION", "W01"))
    parser.add_argument("--demo", action="store_true", help="demo database with simulated devices")
    parser.add_argument("--self-test", action="store_true", help="print a readable report and exit")
    parser.add_argument("--production", action="store_true", help="with --self-test: production rules")
    parser.add_argument("--keystore", default=os.environ.get("COUNTER_KEYSTORE"))
    # This PC's devices (docs/operations.md "Devices"): pyserial URLs, or the environment.
    parser.add_argument("--reader", default=os.environ.get("COUNTER_READER_URL"), help="card reader URL")
    parser.add_argument("--printer", default=os.environ.get("COUNTER_PRINTER_URL"), help="printer URL")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.self_test:
        from counter_app import selftest  # not a cycle: the core loads after the first paint (module doc)

        return int(selftest.main(args) or 0)
    # No cyclic garbage collection while the workstation starts: the start builds hundreds of
    # thousands of long-lived objects (Qt's wrappers, the models, SQLAlchemy's mappers) and the
    # collector kept walking them all, ~10% of the CPU of importing the core (issue 16). run_gui
    # switches it back on once the counter is open or could not be opened.
    gc.disable()
    try:
        setup_logging(log_dir())
        return run_gui(args)
    finally:
        gc.enable()


def _collect_from_now_on() -> None:
    """The start's objects (modules, mappers, Qt wrappers: nearly all of them live for the whole
    day) are moved out of the collector's sight (`gc.freeze`), so its full passes during a day of
    sales walk only what the day made; then collection resumes."""
    gc.freeze()
    gc.enable()


def log_dir() -> Path:
    """COUNTER_LOG_DIR, else beside the database in the machine's data folder (Windows:
    %ProgramData%\\counter\\logs, created writable by the installer), else this user's log folder."""
    if os.environ.get("COUNTER_LOG_DIR"):
        return Path(os.environ["COUNTER_LOG_DIR"])
    machine = Path(platformdirs.site_data_dir("counter", appauthor=False)) / "logs"
    if machine.is_dir() and os.access(machine, os.W_OK):
        return machine
    return platformdirs.user_log_path("counter", appauthor=False)


def open_from_args(args: argparse.Namespace) -> Counter:
    """The counter for these arguments, opened as far as the checks a login depends on
    (`open_for_login`; `finish_workstation` does the rest); --demo prepares (or reuses) the demo
    database and sim dir. Runs on the worker behind the login window: the core is imported here
    (module doc). The counter's own module, not the whole facade: the session and its operations are
    not needed to open (warm_up)."""
    from counter_app.counter import open_for_login

    if args.demo:
        from counter_app.demo import prepare_demo

        db_url, keystore, sim_dir = prepare_demo()
        return open_for_login(
            db_url, workstation=args.workstation, simulate=True, sim_dir=sim_dir, keystore=keystore
        )
    from counter_app import selftest

    reader_url, printer_url = selftest.device_urls(args)  # flags, environment, this PC's saved choice
    return open_for_login(args.db, workstation=args.workstation, keystore=args.keystore,
                          reader_url=reader_url, printer_url=printer_url)  # fmt: skip


def finish_workstation(counter: Counter) -> None:
    """The rest of the open (`Counter.finish_open`: the high-water mark, recovery, the print queue,
    the day's backup; a login is refused until it has passed), then the facade as the workstation
    window uses it: receipts print in the background, so the next customer is never kept waiting by
    the printer."""
    counter.finish_open()
    counter.print_in_background(True)


def run_gui(args: argparse.Namespace) -> int:
    # Not a cycle: Qt and ui/ load only when the GUI runs, so --self-test works where Qt cannot load.
    # Only what the login window needs is imported before it paints (module doc, issue 16).
    from PySide6.QtWidgets import QApplication, QMessageBox

    quicker_pyside_import_check()  # before ui/ is imported: the login window's modules pay it too

    from ui import i18n
    from ui.login import show_first
    from ui.ops import FacadeOp, runner

    app = QApplication(sys.argv[:1])
    app.setApplicationName("counter")
    if i18n.install(app, i18n.saved_language()) != i18n.saved_language():
        QMessageBox.warning(None, "语言 / Language", i18n.missing_text())  # English chosen, not loadable
    # The login window shows at once; the counter (schema check and upgrade, keys against their
    # fingerprints, clock, workstation, devices) opens on the worker thread behind it, and nobody
    # can log in before that has passed (ui/login.py `counter_ready`); the rest of the open follows
    # on the same worker, ahead of any login (`ready`).
    login = show_first(app)
    opened: list[Counter] = []
    finished: list[bool] = []  # the open has ended, either way: no job of it is left on the worker
    workstation: list[WorkstationApp] = []  # kept alive for the event loop

    def open_in_background() -> Counter:
        try:
            counter = open_from_args(args)  # imports the core, on the worker (module doc)
        except BaseException:
            finished.append(True)
            raise
        opened.append(counter)  # here, not in the success callback: closed even if the window is gone
        return counter

    def finish_in_background(counter: Counter) -> None:
        try:
            finish_workstation(counter)
        finally:
            finished.append(True)

    def ready(counter: Counter) -> None:
        # Queued on the same worker as every facade call BEFORE the button turns on, so a login
        # pressed at any moment waits for it there: the rest of the open (its failure fails the
        # start as the open's does; Counter.login refuses until it has passed).
        FacadeOp(login, lambda: finish_in_background(counter)).failure(failed).run()
        # After the first paint: the main window and its pages (the core is loaded by now).
        from ui.app import WorkstationApp

        workstation.append(WorkstationApp(app, counter))
        workstation[0].take_over(login)
        # Then the rest of the facade (a login pressed sooner imports what it needs itself). The
        # start is over when it is loaded (main: the GC back on).
        FacadeOp(login, warm_up).success(lambda _done: _collect_from_now_on()).failure(warm_up_failed).run()

    def warm_up_failed(exc: BaseException) -> None:
        gc.enable()
        # Not shown: the first login imports the same modules and shows the same error then.
        log.warning("loading the operations after the open failed", exc_info=exc)

    def failed(exc: BaseException) -> None:
        gc.enable()
        login.counter_failed(exc)
        shown = explain(exc)
        QMessageBox.critical(None, "售电收费工作站", f"{shown.message}\n{shown.message_en}")
        app.exit(2)

    FacadeOp(login, open_in_background).success(ready).failure(failed).run()
    try:
        return app.exec()
    finally:
        # A window closed while the counter was still opening: let the opening finish, then close it.
        runner().shutdown(wait_ms=2000 if finished else 60_000)
        for counter in opened:
            counter.close()


def warm_up() -> None:
    """The rest of the facade — the session with its ~25 operation areas, the results, the
    administrator's door — imported on the worker once the counter is open (~0.2 s of CPU): the
    login button is enabled without waiting for them, and the first login and the first sale do not
    pay for them either, since a person takes longer than that to type a name and password."""
    import counter_app.api  # noqa: F401  (not a cycle: the core loads after the first paint, module doc)


def quicker_pyside_import_check() -> None:
    """Once PySide6 is imported, its import hook asks of EVERY module imported afterwards whether it
    uses PySide (for `from __feature__ import ...`), with `inspect.getsource` — the core imported
    behind the login window (~700 modules) paid ~15% more CPU for it (issue 16). Same question,
    same answer (does the module's source mention "PySide6"?), without the inspect machinery:
    a plain read of the module's file. PySide's private helper: left alone if a version lacks it
    (tests/ui/test_ui_startup.py compares the two answers)."""
    feature = sys.modules.get("shibokensupport.feature")
    if feature is None or not callable(getattr(feature, "_mod_uses_pyside", None)):
        return
    feature._mod_uses_pyside = mentions_pyside  # type: ignore[attr-defined]  # PySide private


def mentions_pyside(module: object) -> bool:
    spec = getattr(module, "__spec__", None)
    origin = getattr(spec, "origin", None)
    if not isinstance(origin, str) or not origin.endswith(".py"):
        return False  # built-in, extension or frozen: inspect.getsource has no source either
    try:
        with open(origin, "rb") as source:
            return b"PySide6" in source.read()
    except OSError:
        return False


if __name__ == "__main__":
    sys.exit(main())
