"""The workstation's start (issue 16): the login window shows before the heavy libraries load and
before the counter is open, and nobody can log in until the database and keys are checked.

Each start runs `counter-app --demo` in a fresh process (as a cashier starts it) under a scratch
data folder, offscreen, and reports from inside the process at the moment the login window is
shown, then when the counter is ready.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Imported only when first used (their modules say why): none may be loaded when the window shows.
DEFERRED = (
    "alembic",
    "argon2",
    "mako",
    "pygments",
    "xlsxwriter",
    "openpyxl",
    "keyring",
    "qrcode",
    "PIL",
    "reportlab.platypus",
    "reportlab.pdfgen",
    "reportlab.pdfbase",
    "reportlab.graphics",
    "reportlab.rl_config",
    # The core and what it brings: imported after the first paint, on the worker that opens the
    # counter (counter_app/main.py's module doc; docs/architecture.md "The start").
    "sqlalchemy",
    "db.models",
    "db.engine",
    "cryptography",
    "counter_app.api",
    "counter_app.counter",
    "counter_app.session",
    "counter_app.selftest",
    "counter_app.demo",
    "hardware.sim",
    "pymodbus",
    "serial",
    "ui.app",
    "ui.main_window",
)

# Not needed to open the counter, so loaded only after a login is possible: on the worker right after
# the open (counter_app/main.py `warm_up`), or by the first login if it comes sooner (issue 16).
AFTER_READY = (
    "counter_app.api",
    "counter_app.session",
    "counter_app.admin.door",
    "counter_app.meter_polling",
    "counter_app.ops.sales",
    "counter_app.ops.intent_kinds",
    "counter_app.ops.bus_rounds",
)

_PROBE = """
import json, sys
from counter_app.main import main  # the entry point's own import, first, as `counter-app` does
import ui.login
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

seen = {}
shown = ui.login.LoginWindow.showEvent
ready = ui.login.LoginWindow.counter_ready

def on_show(self, event):
    if "shown" not in seen:
        seen["shown"] = {"loaded": sorted(m for m in DEFERRED if m in sys.modules),
                         "button": self.login_button.isEnabled(), "counter": self.counter is not None,
                         "status": self.check_status.text()}
        self.name.set_text("zhang"); self.password.set_text("demo1234")
        self.log_in()  # too early: must do nothing
        seen["shown"]["login_tried"] = self.session is not None
    return shown(self, event)

def on_ready(self, counter):
    ready(self, counter)
    seen["ready"] = {"button": self.login_button.isEnabled(), "status": self.check_status.text()}
    seen["loaded_at_ready"] = sorted(m for m in AFTER_READY if m in sys.modules)
    # The person presses 登录 the moment the button turns on: the session's modules are not loaded yet.
    self.name.set_text("zhang"); self.password.set_text("demo1234")
    self.log_in()

def on_logged_in(self, session):
    logged_in(self, session)
    seen["logged_in"] = {"session": self.session is not None, "step": self.steps.currentIndex()}
    QTimer.singleShot(0, QApplication.instance().quit)

def on_login_failed(self, exc):
    seen["login_failed"] = repr(exc)
    QTimer.singleShot(0, QApplication.instance().quit)

logged_in = ui.login.LoginWindow._logged_in
ui.login.LoginWindow.showEvent = on_show
ui.login.LoginWindow.counter_ready = on_ready
ui.login.LoginWindow._logged_in = on_logged_in
ui.login.LoginWindow._login_failed = on_login_failed
seen["rc"] = main(["--demo"])
print("SEEN " + json.dumps(seen, ensure_ascii=False))
"""


def _start(tmp_path: Path) -> dict:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT),
           "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "XDG_STATE_HOME": str(tmp_path / "state"), "HOME": str(tmp_path),
           "COUNTER_LOG_DIR": str(tmp_path / "logs")}  # fmt: skip
    code = f"DEFERRED = {DEFERRED!r}\nAFTER_READY = {AFTER_READY!r}\n" + _PROBE
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)  # fmt: skip
    lines = [line for line in done.stdout.splitlines() if line.startswith("SEEN ")]
    assert lines, f"no report from the start (rc {done.returncode}):\n{done.stderr[-3000:]}"
    return json.loads(lines[-1][5:])


@pytest.mark.gui
def test_the_login_window_shows_before_the_heavy_imports_and_waits_for_the_checks(tmp_path: Path) -> None:
    seen = _start(tmp_path)
    assert seen["rc"] == 0
    shown = seen["shown"]
    # None of the deferred libraries is loaded yet (a new top-level import brings one back: fix it there).
    assert shown["loaded"] == []
    # The counter is not open yet, the button is grey, the check is shown, and a login is refused.
    assert shown["counter"] is False
    assert shown["button"] is False
    assert shown["status"].startswith("正在检查数据库和密钥")
    assert shown["login_tried"] is False
    # Once the database and keys are checked, the result is shown and logging in is possible.
    assert seen["ready"] == {"button": True, "status": "数据库和密钥检查通过"}
    # The open did not need the session and its operations (they load behind it) ...
    assert seen["loaded_at_ready"] == []
    # ... and a login pressed at once still works: the cashier goes on to open the shift.
    assert "login_failed" not in seen
    assert seen["logged_in"] == {"session": True, "step": 1}


def test_the_quicker_pyside_import_check_gives_pysides_answers() -> None:
    """counter_app.main replaces PySide's per-import "does this module use PySide?" helper by a plain
    file read (issue 16): for every kind of module it must answer as PySide's own does."""
    import importlib

    import PySide6.QtCore  # noqa: F401  (installs shibokensupport.feature)

    from counter_app.main import mentions_pyside

    feature = sys.modules["shibokensupport.feature"]
    original = feature._mod_uses_pyside
    if original is mentions_pyside:  # pragma: no cover - a test in this process ran run_gui
        pytest.skip("already replaced in this process")
    names = ["ui.login", "ui.ops", "counter_app.main", "ui.facade", "base.money", "sqlalchemy.orm", "json",
             "sys", "_sqlite3", "PySide6.QtCore", "shiboken6"]  # fmt: skip
    for name in names:
        module = importlib.import_module(name)
        assert mentions_pyside(module) == bool(original(module)), name
    assert mentions_pyside(sys.modules["ui.login"]) is True
    assert mentions_pyside(sys.modules["sqlalchemy.orm"]) is False


_FAILING_PROBE = """
import gc, json, sys
from counter_app.main import main
import ui.login
from PySide6.QtWidgets import QMessageBox

seen = {}
failed = ui.login.LoginWindow.counter_failed

def on_failed(self, exc):
    failed(self, exc)
    seen["window"] = {"button": self.login_button.isEnabled(), "status": self.check_status.text()}

def critical(parent, title, text, *args, **kwargs):  # the real one is modal: record it instead
    seen["box"] = text
    return QMessageBox.StandardButton.Ok

ui.login.LoginWindow.counter_failed = on_failed
QMessageBox.critical = staticmethod(critical)
seen["rc"] = main(["--db", sys.argv[1]])
seen["gc"] = gc.isenabled()
print("SEEN " + json.dumps(seen, ensure_ascii=False))
"""


@pytest.mark.gui
def test_a_counter_that_cannot_open_says_why_and_exits_2(tmp_path: Path) -> None:
    """The open fails behind the login window (here: a file that is not a database): the reason stays
    under the grey button, the message box shows it, the program exits 2 with the GC back on."""
    bad = tmp_path / "not-a-database.db"
    bad.write_bytes(b"this is not an SQLite file" * 100)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT),
           "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "XDG_STATE_HOME": str(tmp_path / "state"), "HOME": str(tmp_path),
           "COUNTER_LOG_DIR": str(tmp_path / "logs")}  # fmt: skip
    done = subprocess.run([sys.executable, "-c", _FAILING_PROBE, f"sqlite:///{bad}"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    lines = [line for line in done.stdout.splitlines() if line.startswith("SEEN ")]
    assert lines, f"no report (rc {done.returncode}):\n{done.stderr[-3000:]}"
    seen = json.loads(lines[-1][5:])
    assert seen["rc"] == 2
    assert seen["gc"] is True
    assert seen["window"]["button"] is False
    assert seen["window"]["status"].startswith("无法打开：")
    assert seen["box"]


_FINISH_FAILING_PROBE = """
import gc, json, sys
from counter_app.main import main
import ui.login
from PySide6.QtWidgets import QMessageBox
import counter_app.counter
from base.errors import UserFacingError

seen = {}
failed = ui.login.LoginWindow.counter_failed
ready = ui.login.LoginWindow.counter_ready
logged_in = ui.login.LoginWindow._logged_in

def finish_open(self):  # the rest of the open fails (a recovery that cannot run, say)
    raise UserFacingError.for_code("TAMPERED")

def on_ready(self, counter):
    ready(self, counter)
    seen["button_at_ready"] = self.login_button.isEnabled()
    self.name.set_text("zhang"); self.password.set_text("demo1234")
    self.log_in()  # pressed at once: queued behind the rest of the open, which fails

def on_failed(self, exc):
    failed(self, exc)
    seen["window"] = {"button": self.login_button.isEnabled(), "status": self.check_status.text()}

def on_logged_in(self, session):
    seen["logged_in"] = True
    logged_in(self, session)

def critical(parent, title, text, *args, **kwargs):
    seen["box"] = text
    return QMessageBox.StandardButton.Ok

counter_app.counter.Counter.finish_open = finish_open
ui.login.LoginWindow.counter_ready = on_ready
ui.login.LoginWindow.counter_failed = on_failed
ui.login.LoginWindow._logged_in = on_logged_in
QMessageBox.critical = staticmethod(critical)
seen["rc"] = main(["--demo"])
seen["gc"] = gc.isenabled()
print("SEEN " + json.dumps(seen, ensure_ascii=False))
"""


@pytest.mark.gui
def test_the_rest_of_the_open_failing_fails_the_start(tmp_path: Path) -> None:
    """The button turns on once the login's checks pass; the rest of the open (high-water mark,
    recovery, print queue, backup) runs behind it, ahead of any login. If it fails, the start fails
    as an open that fails does (a login pressed meanwhile is refused by Counter.login itself:
    tests/ops/test_open_halves.py)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT),
           "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "XDG_STATE_HOME": str(tmp_path / "state"), "HOME": str(tmp_path),
           "COUNTER_LOG_DIR": str(tmp_path / "logs")}  # fmt: skip
    done = subprocess.run([sys.executable, "-c", _FINISH_FAILING_PROBE], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    lines = [line for line in done.stdout.splitlines() if line.startswith("SEEN ")]
    assert lines, f"no report (rc {done.returncode}):\n{done.stderr[-3000:]}"
    seen = json.loads(lines[-1][5:])
    assert seen["button_at_ready"] is True
    assert seen["rc"] == 2 and seen["gc"] is True
    assert seen["window"]["button"] is False
    assert seen["window"]["status"].startswith("无法打开：")
    assert seen["box"]
    assert "logged_in" not in seen
