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
    qtbot.waitUntil(lambda: "只有 zhang 本人可以解锁" in screen.message.text())
    assert window.locked and window.ctx.session is first_session

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


def test_the_login_and_the_lock_take_the_display_name_too(qtbot, world, runner):
    """Issue 14 item 2: the field says 工号或姓名 and means it; a name two people share asks for the
    login id without costing a try."""
    from opstesting import set_columns

    from db.models.security import Operator

    set_columns(world, Operator, Operator.name == "zhang", display_name="张敏")
    login = LoginWindow(world.counter, clock=world.clock)
    qtbot.addWidget(login)
    labels = {label.text() for label in login.findChildren(QLabel)}
    assert "工号或姓名" in labels and "姓名" not in labels
    login.name.set_text("张敏")
    login.password.edit.setText(PASSWORD)
    login.log_in()
    qtbot.waitUntil(lambda: login.steps.currentIndex() == 1)
    assert login.session.name == "zhang"

    set_columns(world, Operator, Operator.name == "wu", display_name="张敏")  # now two 张敏
    again = LoginWindow(world.counter, clock=world.clock)
    qtbot.addWidget(again)
    for _ in range(6):  # more than the lockout allows: none is counted
        again.name.set_text("张敏")
        again.password.edit.setText(PASSWORD)
        again.log_in()
        qtbot.waitUntil(lambda: again.login_button.isEnabled())
        assert "请改用工号" in again.message.text()
        assert again.password.edit.text() == PASSWORD  # kept: only the name is asked again
    again.name.set_text("wu")
    again.log_in()
    qtbot.waitUntil(lambda: again.steps.currentIndex() == 1)


def test_the_lock_screen_opens_for_the_operators_display_name(qtbot, world, window, runner):
    from opstesting import set_columns

    from db.models.security import Operator

    set_columns(world, Operator, Operator.name == "zhang", display_name="张敏")
    window.lock()
    type_password(window.lock_screen, "张敏", PASSWORD)
    window.lock_screen.unlock()
    qtbot.waitUntil(lambda: not window.locked)
    assert window.ctx.operator == "zhang"


LONG = (
    "账号已锁定，还需等待 15 分 0 秒（至 09:15:00）\n只有 zhang 本人可以解锁；其他人请等 zhang 交班后登录，"
    "或由监督人解锁结班。Only zhang can unlock; others log in after zhang hands over, or a supervisor unlocks."
)


def shown_whole(qtbot, label, *fields) -> None:
    qtbot.waitUntil(lambda: label.height() >= label.heightForWidth(label.width()))
    assert label.heightForWidth(label.width()) > 3 * label.fontMetrics().height()  # it does wrap
    for field in fields:  # and nothing above it was squeezed to make room
        assert field.height() >= field.sizeHint().height()


def test_a_long_message_is_shown_whole_on_the_lock_and_login_screens(qtbot, window, world):
    """Issue 14 item 8: the lockout message was cut to half its height."""
    window.lock()
    screen = window.lock_screen
    screen.message.setText(LONG)
    shown_whole(qtbot, screen.message, screen.name.edit, screen.password.edit)
    login = LoginWindow(world.counter, clock=world.clock)
    qtbot.addWidget(login)
    login.resize(520, 360)  # as ui/app.py opens it
    login.show()
    qtbot.waitExposed(login)
    login.message.setText(LONG)
    shown_whole(qtbot, login.message, login.name.edit, login.password.edit)
