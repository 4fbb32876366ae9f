"""Benchmark 4a: cold start to the login window, against a bare PySide6 window in the same run.

    .venv/bin/python -m bench.startup [--quick]

Each start is a new process (QT_QPA_PLATFORM=offscreen), timed from spawn until the first paint of
the login window of `counter-app --demo` (the demo database and simulators under a scratch
XDG_DATA_HOME; the first start builds it and is reported apart, the others reuse it as a morning
start does). Floor: a new process that shows and paints a bare QWidget. Median of 5 starts (3 in
--quick). Resident memory after 1,000 sales is measured by bench.shift_close.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

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
            print("PAINTED", flush=True)
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

APP = (
    _PAINT_WATCH
    + """
import ui.app
inner = ui.app.run
def run(app, counter, *a, **k):
    watch = Watch(app, "LoginWindow"); app.installEventFilter(watch)
    app._bench_watch = watch
    return inner(app, counter, *a, **k)
ui.app.run = run
from counter_app.main import main
sys.exit(main(["--demo"]))
"""
)


def start_once(code: str, env: dict[str, str]) -> float:
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        for line in child.stdout:
            if line.startswith("PAINTED"):
                elapsed = time.perf_counter() - started
                break
        else:
            raise RuntimeError(f"no first paint: {child.stderr.read()[-2000:]}")
        child.wait(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    return elapsed


def main(argv: list[str] | None = None) -> int:
    args = parser(__doc__.splitlines()[0]).parse_args(argv)
    results = Results("cold start", args)
    results.header()
    runs = 1 if args.quick else 5
    with scratch("startup") as tmp:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_DATA_HOME": str(tmp / "data"),
               "XDG_CONFIG_HOME": str(tmp / "config"), "XDG_STATE_HOME": str(tmp / "state"),
               "HOME": str(tmp)}  # fmt: skip
        first = start_once(APP, env)
        bare = [start_once(BARE, env) for _ in range(runs)]
        app = [start_once(APP, env) for _ in range(runs)]
    results.add("bare PySide6 window, first paint (median)", ms(median(bare)), "ms")
    results.add("counter-app --demo to login window, first paint (median)", ms(median(app)), "ms",
                ms(median(bare)), "bare PySide6 window")  # fmt: skip
    results.add("first ever start (builds the demo database)", ms(first), "ms", ms(median(bare)),
                "bare PySide6 window")  # fmt: skip
    return results.finish()


if __name__ == "__main__":
    raise SystemExit(main())
