"""Benchmark 4a: cold start to the login window, against a bare PySide6 window in the same run.

    .venv/bin/python -m bench.startup [--quick]

Each start is a new process (QT_QPA_PLATFORM=offscreen), timed from spawn until the first paint of
the login window of `counter-app --demo`, until that window is ready for a login (the counter opens
behind it: database, keys, devices; issue 16), and until the rest of the facade (the session and its
operations, loaded on the worker once a login is possible) has loaded. The demo database and
simulators live under a scratch XDG_DATA_HOME; the first start builds it and is reported apart, the
others reuse it as a morning start does. Floor: a new process that shows and paints a bare QWidget.
Each start also reports its process's CPU time (all threads) at the paint and when a login is
possible, against the bare window's at its paint: on a shared machine the wall clock is mostly the
scheduler, the CPU figures compare trees run minutes apart.
Median of 5 starts (1 in --quick). Resident memory after 1,000 sales is measured by
bench.shift_close.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from typing import NamedTuple

from bench.common import ROOT, Results, median, ms, parser, scratch

# The marker is printed on the first paint of the watched window, then the app quits.
_PAINT_WATCH = """
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
class Watch(QObject):
    def __init__(self, app, wanted):
        super().__init__(); self.app, self.wanted, self.done = app, wanted, False
    def eventFilter(self, obj, event):
        if not self.done and event.type() == QEvent.Paint and type(obj).__name__ == self.wanted:
            self.done = True
            print("PAINTED", time.process_time(), flush=True)
            if getattr(self.app, "_quit_on_paint", True):
                QTimer.singleShot(0, self.app.quit)
        return False
"""

BARE = (
    _PAINT_WATCH
    + """
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication(sys.argv[:1])
watch = Watch(app, "QWidget"); app.installEventFilter(watch)
w = QWidget(); w.resize(800, 600); w.setWindowTitle("bare"); w.show()
app.exec()
"""
)

# The entry point's own import comes first, as in the `counter-app` script: modules imported after
# PySide6 pay its import hook (shibokensupport's feature check reads each module's source).
APP = (
    "from counter_app.main import main\n"
    + _PAINT_WATCH
    + """
import ui.login
import counter_app.main
from PySide6.QtWidgets import QApplication
if hasattr(counter_app.main, "warm_up"):  # the rest of the facade loads behind the ready window
    _warm_up = counter_app.main.warm_up
    def warm_up():
        _warm_up()
        print("WARM", time.process_time(), flush=True)
    counter_app.main.warm_up = warm_up
if hasattr(ui.login.LoginWindow, "counter_ready"):
    _ready = ui.login.LoginWindow.counter_ready
    def counter_ready(self, counter):
        _ready(self, counter)
        print("READY", time.process_time(), flush=True)
        QTimer.singleShot(0, QApplication.instance().quit)
    ui.login.LoginWindow.counter_ready = counter_ready
def watch(app):
    app._bench_watch = Watch(app, "LoginWindow"); app.installEventFilter(app._bench_watch)
    app._quit_on_paint = not hasattr(ui.login.LoginWindow, "counter_ready")  # else on READY
if hasattr(ui.login, "show_first"):  # the core and ui.app imported after the first paint (issue 16)
    _show_first = ui.login.show_first
    def show_first(app):
        watch(app)
        return _show_first(app)
    ui.login.show_first = show_first
else:  # older trees: ui.app.run / run_opening show the login window
    import ui.app
    def watched(inner):
        def run(app, *a, **k):
            watch(app)
            return inner(app, *a, **k)
        return run
    ui.app.run = watched(ui.app.run)
    if hasattr(ui.app, "run_opening"):  # the counter opened behind the login window
        ui.app.run_opening = watched(ui.app.run_opening)
sys.exit(main(["--demo"]))
"""
)


class Start(NamedTuple):
    """One start: wall seconds from spawn to the first paint, until a login is possible (the same
    before issue 16, when the window showed only once the counter was open) and until the rest of
    the facade — the session and its operations — has loaded behind the ready window (the same as
    "possible" in trees that load it before); and the process's CPU seconds (all threads) at the
    paint and when a login is possible. The CPU figures are the steadier ones on a shared machine:
    the wall clock there is mostly the scheduler."""

    painted: float
    ready: float
    warm: float
    painted_cpu: float
    ready_cpu: float


def start_once(code: str, env: dict[str, str]) -> Start:
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)  # fmt: skip
    painted = ready = warm = None
    cpu: dict[str, float] = {}
    try:
        for line in child.stdout:
            mark, _, at = line.strip().partition(" ")
            if mark in ("PAINTED", "READY", "WARM") and at:
                cpu.setdefault(mark, float(at))
            if mark == "PAINTED":
                painted = time.perf_counter() - started
            elif mark == "READY":
                ready = time.perf_counter() - started
            elif mark == "WARM":
                warm = time.perf_counter() - started
        if painted is None:
            raise RuntimeError(f"no first paint: {child.stderr.read()[-2000:]}")
        child.wait(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    ready = ready if ready is not None else painted
    return Start(painted, ready, warm if warm is not None else ready, cpu["PAINTED"],
                 cpu.get("READY", cpu["PAINTED"]))  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    args = parser(__doc__.splitlines()[0]).parse_args(argv)
    results = Results("cold start", args)
    results.header()
    runs = 1 if args.quick else 5
    with scratch("startup") as tmp:
        # Compiled bytecode as an installed program has it (pip and the frozen bundle ship .pyc):
        # PYTHONDONTWRITEBYTECODE would recompile every module on every start. The first start
        # fills a scratch cache, so the sources here are not touched.
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_DATA_HOME": str(tmp / "data"),
               "XDG_CONFIG_HOME": str(tmp / "config"), "XDG_STATE_HOME": str(tmp / "state"),
               "HOME": str(tmp), "PYTHONPYCACHEPREFIX": str(tmp / "pycache")}  # fmt: skip
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        first = start_once(APP, env)
        # Interleaved, a bare window then the app: on a shared machine the load swings within a run,
        # and a floor measured in a quiet minute against starts in a busy one gives any ratio.
        bare_starts: list[Start] = []
        app: list[Start] = []
        for _ in range(runs):
            bare_starts.append(start_once(BARE, env))
            app.append(start_once(APP, env))
    bare = [b.painted for b in bare_starts]
    paint, ready, warm = [a.painted for a in app], [a.ready for a in app], [a.warm for a in app]
    results.add("bare PySide6 window, first paint (median)", ms(median(bare)), "ms")
    results.add("counter-app --demo to login window, first paint (median)", ms(median(paint)), "ms",
                ms(median(bare)), "bare PySide6 window")  # fmt: skip
    results.add("counter-app --demo until a login is possible (median)", ms(median(ready)), "ms",
                ms(median(bare)), "bare PySide6 window")  # fmt: skip
    results.add("counter-app --demo until the whole facade is loaded behind it (median)", ms(median(warm)), "ms",
                ms(median(bare)), "bare PySide6 window")  # fmt: skip
    bare_cpu = ms(median([b.painted_cpu for b in bare_starts]))
    results.add("CPU of the process at the first paint (median)", ms(median([a.painted_cpu for a in app])), "ms",
                bare_cpu, "bare PySide6 window's CPU at its paint")  # fmt: skip
    results.add("CPU of the process when a login is possible (median)", ms(median([a.ready_cpu for a in app])),
                "ms", bare_cpu, "bare PySide6 window's CPU at its paint")  # fmt: skip
    results.add("first ever start (builds the demo database), first paint", ms(first.painted), "ms",
                ms(median(bare)), "bare PySide6 window")  # fmt: skip
    results.add("first ever start (builds the demo database), login possible", ms(first.ready), "ms",
                ms(median(bare)), "bare PySide6 window")  # fmt: skip
    return results.finish()


if __name__ == "__main__":
    raise SystemExit(main())
