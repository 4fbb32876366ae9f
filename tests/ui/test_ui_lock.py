"""Login, lockout, the idle lock screen: only the same operator unlocks; a 监督人 only for the shift.
On the real facade (people of tests/opstesting.py, all with `PASSWORD`)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from opstesting import START as NOW
from PySide6.QtWidgets import QLabel
from uitesting import PASSWORD

from base.errors import Locked
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


def test_idle_locks_and_only_the_same_operator_unlocks(qtbot, window, runner):
    window.idle.set_interval_ms(100)
    qtbot.waitUntil(lambda: window.locked, timeout=2000)
    screen = window.lock_screen
    first_session = window.ctx.session

    type_password(screen, "wu", PASSWORD)  # another cashier, correct password of their own
    screen.unlock()
    assert window.locked and "只有 zhang 本人可以解锁" in screen.message.text()

    type_password(screen, "zhang", "wrong")
    screen.unlock()
    qtbot.waitUntil(lambda: "用户名或密码错误" in screen.message.text())
    assert window.locked

    type_password(screen, "zhang", PASSWORD)
    screen.unlock()
    qtbot.waitUntil(lambda: not window.locked)
    assert window.ctx.operator == "zhang" and not window.ctx.restricted
    assert window.ctx.session is not first_session  # a fresh session; the old one is logged out


def test_supervisor_unlocks_only_for_the_shift(qtbot, window, runner):
    window.lock()
    screen = window.lock_screen
    type_password(screen, "wu", PASSWORD)  # a cashier is not a supervisor
    screen.unlock_as_supervisor()
    qtbot.waitUntil(lambda: "不是监督人" in screen.message.text())
    type_password(screen, "li", PASSWORD)  # a cashier appointed 监督人 for this year
    screen.unlock_as_supervisor()
    qtbot.waitUntil(lambda: not window.locked)
    assert window.ctx.restricted and window.current_page() is window.pages["shift"]
    window.show_page("sale")
    assert window.current_page() is window.pages["shift"]  # other pages stay closed
    assert window.ctx.operator == "zhang"  # still the cashier's shift being closed


def test_lockout_shows_the_time_left():
    exc = Locked(data={"until": NOW + timedelta(minutes=4, seconds=30)})
    assert "还需等待 4 分 30 秒" in locked_text(exc, now=NOW)


def test_login_lockout_then_shift_opens_with_a_float(qtbot, world, runner):
    login = LoginWindow(world.counter, clock=world.clock)
    qtbot.addWidget(login)
    assert login.findChild(QLabel, "simulatedBanner") is not None  # 演示 on the login screen too
    for _ in range(8):  # wrong passwords until the facade locks the name
        login.name.set_text("wu")
        login.password.edit.setText("wrong")
        login.log_in()
        qtbot.waitUntil(lambda: login.login_button.isEnabled())
        if "账号已锁定" in login.message.text():
            break
    assert "账号已锁定" in login.message.text() and "还需等待 15 分" in login.message.text()

    login.name.set_text("zhang")
    login.password.edit.setText(PASSWORD)
    login.log_in()
    qtbot.waitUntil(lambda: login.steps.currentIndex() == 1)
    login.float_field.set_text("500")
    with qtbot.waitSignal(login.logged_in, timeout=3000) as done:
        login.open_shift()
    session = done.args[0]
    assert session.name == "zhang"
    assert session.x_report().by_tender == {}  # the shift is open on the real facade (no SHIFT_NOT_OPEN)
