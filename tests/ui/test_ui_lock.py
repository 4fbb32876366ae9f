"""Login, lockout, the idle lock screen: only the same operator unlocks; a 监督人 only for the shift."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fake_counter import NOW

from counter_app.errors import Locked
from ui.login import LoginWindow, locked_text
from ui.main_window import MainWindow

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, ctx):
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def type_password(screen, name, password):
    screen.name.set_text(name)
    screen.password.edit.setText(password)


def test_idle_locks_and_only_the_same_operator_unlocks(qtbot, window, counter, runner):
    window.idle.set_interval_ms(100)
    qtbot.waitUntil(lambda: window.locked, timeout=2000)
    screen = window.lock_screen

    type_password(screen, "zhao", "pw")  # another cashier, correct password of their own
    screen.unlock()
    assert window.locked and "只有 wang 本人可以解锁" in screen.message.text()
    assert ("logout", {}) not in counter.world.calls

    type_password(screen, "wang", "wrong")
    screen.unlock()
    qtbot.waitUntil(lambda: "用户名或密码错误" in screen.message.text())
    assert window.locked

    type_password(screen, "wang", "pw")
    screen.unlock()
    qtbot.waitUntil(lambda: not window.locked)
    assert window.ctx.operator == "wang" and not window.ctx.restricted


def test_supervisor_unlocks_only_for_the_shift(qtbot, window, counter, runner):
    window.lock()
    screen = window.lock_screen
    type_password(screen, "zhao", "pw")  # a cashier is not a supervisor
    screen.unlock_as_supervisor()
    qtbot.waitUntil(lambda: "不是监督人" in screen.message.text())
    type_password(screen, "li", "pw")
    screen.unlock_as_supervisor()
    qtbot.waitUntil(lambda: not window.locked)
    assert window.ctx.restricted and window.current_page() is window.pages["shift"]
    window.show_page("sale")
    assert window.current_page() is window.pages["shift"]  # other pages stay closed
    assert window.ctx.operator == "wang"  # still the cashier's shift being closed


def test_lockout_shows_the_time_left():
    exc = Locked(data={"until": NOW + timedelta(minutes=4, seconds=30)})
    assert "还需等待 4 分 30 秒" in locked_text(exc, now=NOW)


def test_login_then_shift_opens_with_a_float(qtbot, counter, runner):
    login = LoginWindow(counter)
    qtbot.addWidget(login)
    counter.world.failures["wang"] = 3
    login.name.set_text("wang")
    login.password.edit.setText("pw")
    login.log_in()
    qtbot.waitUntil(lambda: "账号已锁定" in login.message.text())
    counter.world.failures["wang"] = 0
    login.password.edit.setText("pw")
    login.log_in()
    qtbot.waitUntil(lambda: login.steps.currentIndex() == 1)
    login.float_field.set_text("500")
    with qtbot.waitSignal(login.logged_in, timeout=2000) as done:
        login.open_shift()
    assert done.args[0].name == "wang"
    assert ("open_shift", {"float_fen": 50000, "supervisor": None}) in counter.world.calls
