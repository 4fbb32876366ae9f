"""Background facade calls: one worker, a responsive window, the busy indicator after 600 ms."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLineEdit, QMessageBox

from base.errors import CardAbsent
from ui.ops import BUSY_DELAY_MS, FacadeOp, error_text
from ui.status import BusyIndicator

pytestmark = pytest.mark.gui


def test_window_stays_responsive_while_the_reader_hangs(qtbot, world, ctx, runner):
    """GIVEN the reader stops answering (the simulator's line is muted) WHEN the cashier presses Enter
    to read the card THEN the GUI keeps processing events, the busy indicator appears after ~600 ms,
    and the refusal (DEVICE_OFFLINE, with what to do) lands next to the field once the driver's
    timeouts run out; with the line back, the same Enter finds the account."""
    from PySide6.QtCore import Qt

    from ui.pages.sale import SalePage

    world.issue_card("D-5-308", ctx.session)
    page = SalePage(ctx)
    qtbot.addWidget(page)
    indicator = BusyIndicator(runner)
    qtbot.addWidget(indicator)
    world.sim.reader_line.mute = True
    ticks = []
    timer = QTimer(interval=50)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    started = time.monotonic()
    with qtbot.waitSignal(runner.busy_changed, timeout=3000) as busy:
        qtbot.keyClick(page.room.edit, Qt.Key.Key_Return)
    assert busy.args == [True]
    assert time.monotonic() - started >= (BUSY_DELAY_MS - 50) / 1000
    assert not indicator.isHidden() and len(ticks) >= 5  # the event loop kept running
    page.amount.edit.setText("still typing")  # the GUI answers while the worker waits on the line
    assert page.amount.edit.text() == "still typing" and page.account is None

    qtbot.waitUntil(lambda: not page.room.error.isHidden(), timeout=10_000)
    assert "设备未连接或无响应" in page.room.error.text() and "检查读卡器" in page.room.error.text()
    qtbot.waitUntil(lambda: indicator.isHidden())
    world.sim.reader_line.mute = False
    qtbot.keyClick(page.room.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.account is not None, timeout=5000)
    assert page.account.account_no == "D-5-308"
    timer.stop()


def test_no_busy_indicator_for_a_fast_call(qtbot, runner):
    seen = []
    runner.busy_changed.connect(seen.append)
    with qtbot.waitSignal(runner.job_finished, timeout=2000):
        FacadeOp(None, lambda: 42).success(seen.append).run()
    assert seen == [42]


def test_calls_run_one_at_a_time_in_order(qtbot, runner):
    active, overlap, order = [0], [], []
    lock = threading.Lock()

    def job(n):
        with lock:
            active[0] += 1
            overlap.append(active[0])
        time.sleep(0.01)  # on the worker thread, not the GUI: widens any overlap window
        with lock:
            active[0] -= 1
        return n

    for n in range(5):
        FacadeOp(None, lambda n=n: job(n)).success(order.append).run()
    qtbot.waitUntil(lambda: len(order) == 5, timeout=3000)
    assert order == [0, 1, 2, 3, 4] and max(overlap) == 1


def test_default_error_dialog_shows_the_chinese_message(qtbot, runner):
    parent = QLineEdit()
    qtbot.addWidget(parent)
    with qtbot.waitSignal(runner.job_finished):
        FacadeOp(parent, lambda: (_ for _ in ()).throw(CardAbsent())).run()
    boxes = [w for w in parent.findChildren(QMessageBox)]
    assert boxes and "读卡器上没有卡，请放卡" in boxes[0].text()


def test_internal_errors_show_only_a_log_id(qtbot, runner):
    assert error_text(ValueError("secret internals")).startswith("内部错误，请查看日志 ")
    failures = []
    with qtbot.waitSignal(runner.job_finished):
        FacadeOp(None, lambda: 1 / 0).failure(failures.append).run()
    assert isinstance(failures[0], ZeroDivisionError)
