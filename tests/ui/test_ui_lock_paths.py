"""No way around the lock (issue 14 item 1): every menu action, every shortcut, the language switch
(which rebuilds the window), the demo panel, open dialogs and logging out, with the lock shown and
with the operator in a lockout. Only the operator's password (or a 监督人's, for the shift alone)
leaves the lock screen. On the real facade; the session is wrapped so every call it gets is seen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QDialog, QPushButton
from uitesting import PASSWORD, wait_idle

from counter_app.api import Approval
from ui import i18n
from ui.app import WorkstationApp
from ui.approval_dialog import ApprovalDialog, ApprovalRequest
from ui.demo_panel import DemoPanel
from ui.main_window import MainWindow

pytestmark = pytest.mark.gui


class Spy:
    """The session, recording every method the UI calls on it (reads included)."""

    def __init__(self, session) -> None:
        self._session = session
        self.calls: list[str] = []

    def __getattr__(self, name):
        value = getattr(self._session, name)
        if callable(value):

            def call(*args, **kwargs):
                self.calls.append(name)
                return value(*args, **kwargs)

            return call
        return value


@pytest.fixture
def spy(ctx):
    ctx.session = Spy(ctx.session)
    return ctx.session


@pytest.fixture
def window(qtbot, ctx, spy):
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    quiet(win)


def quiet(win) -> None:
    """Before this test's worker goes: a status-bar poll fired during pytest-qt's own teardown
    would start a worker thread of its own that nobody stops."""
    win.statusBar()._timer.stop()
    win.idle.stop()


@pytest.fixture
def app(qtbot, ctx, spy, monkeypatch):
    """A WorkstationApp past the login (its ctx is the logged-in cashier's), as `_open_main` leaves it."""
    monkeypatch.setattr(i18n, "save_language", lambda lang: None)  # not the tester's own QSettings
    workstation = WorkstationApp(QApplication.instance(), ctx.counter, Approval)
    workstation.ctx = ctx
    workstation._show_main()
    yield workstation
    i18n.install(QApplication.instance(), "zh_CN")
    if workstation.window is not None:
        quiet(workstation.window)
        workstation.window.close()
        workstation.window.deleteLater()
    # The windows the language switch replaced and this one go now, while this test's worker is
    # still the one their status bars would poll through.
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def assert_locked(window) -> None:
    assert window.ctx.locked and window.locked
    assert window.screens.currentWidget() is window.lock_screen and window.lock_screen.isVisible()
    assert not window.work_area.isEnabled()
    if getattr(window, "demo_dock", None) is not None:
        assert not window.demo_dock.isVisible() and not window.demo_panel.isEnabled()


def all_actions(window) -> list[QAction]:
    actions = []
    for top in window.menuBar().actions():
        actions += [a for a in top.menu().actions() if not a.isSeparator()]
    return actions


def nothing_sold(ctx) -> bool:
    return ctx.session.x_report().by_tender == {}


def test_every_menu_action_leaves_the_window_locked(qtbot, window, spy, runner):
    window.lock()
    assert_locked(window)
    emitted = []
    window.logged_out.connect(lambda: emitted.append("logout"))
    window.language_change_requested.connect(lambda lang: emitted.append(lang))
    triggered = []
    for action in all_actions(window):
        action.trigger()  # as a click would, whether the action is enabled or not
        triggered.append(action.text())
        assert_locked(window)
    assert {"锁屏", "退出登录", "中文", "English"} <= set(triggered)
    assert not window.logout_action.isEnabled()
    assert "logout" not in emitted  # 退出登录 never leaves the lock screen
    assert emitted == ["en"]  # the current language is no change; the app rebuilds the window locked (see below)
    wait_idle(qtbot, runner)
    assert spy.calls == []


def test_every_shortcut_and_f_key_leaves_the_window_locked(qtbot, window, spy, runner):
    # Control: the F-keys do switch pages while unlocked (so the keys below really arrive).
    qtbot.keyClick(window, Qt.Key.Key_F2)
    assert window.current_page() is list(window.pages.values())[1]
    qtbot.keyClick(window, Qt.Key.Key_F1)
    wait_idle(qtbot, runner)
    spy.calls.clear()

    window.lock()
    screen_focus = window.lock_screen.password.edit
    shortcuts = window.findChildren(QShortcut)
    assert len(shortcuts) >= len(window.pages)
    keys = {s.key().toString() for s in shortcuts} | {"Ctrl+L", "Escape", "Return", "Alt+F4", "Ctrl+Q"}
    for keys_text in sorted(keys):
        sequence = QKeySequence(keys_text)
        combo = sequence[0]
        qtbot.keyClick(screen_focus, combo.key(), combo.keyboardModifiers())
        assert_locked(window)
    for shortcut in shortcuts:  # and fired directly, past Qt's own check of the context
        if shortcut.parent() is window:
            shortcut.activated.emit()
            assert_locked(window)
    wait_idle(qtbot, runner)
    assert [c for c in spy.calls if c not in {"get_setting"}] == []
    assert nothing_sold(window.ctx)


def test_the_language_switch_rebuilds_the_window_locked(qtbot, app, spy, runner):
    first = app.window
    first.lock()
    spy.calls.clear()
    first.language_actions["en"].trigger()  # the menu entry that unlocked the window before
    second = app.window
    assert second is not first and app.locked
    assert_locked(second)
    second.language_actions["zh_CN"].trigger()
    third = app.window
    assert_locked(third)
    for key in (Qt.Key.Key_F1, Qt.Key.Key_F2, Qt.Key.Key_Escape):
        qtbot.keyClick(third.lock_screen.password.edit, key)
        assert_locked(third)
    third.logout_action.trigger()
    app.log_out()  # even if something called it: refused while locked
    assert app.window is third and app.ctx is not None
    assert_locked(third)
    wait_idle(qtbot, runner)
    assert spy.calls == [] and nothing_sold(app.ctx)

    screen = third.lock_screen  # the password is the way out, in the rebuilt window
    screen.password.edit.setText(PASSWORD)
    screen.unlock()
    qtbot.waitUntil(lambda: not app.locked)
    assert third.screens.currentIndex() == 0 and third.work_area.isEnabled()


def test_a_lock_during_a_lockout_survives_the_language_switch(qtbot, app, runner):
    window = app.window
    window.lock()
    screen = window.lock_screen
    for _ in range(8):  # wrong passwords at the lock screen until the facade locks zhang out
        screen.password.edit.setText("wrong-password")
        screen.unlock()
        wait_idle(qtbot, runner)
        if "账号已锁定" in screen.message.text():
            break
    assert "账号已锁定" in screen.message.text()
    window.language_actions["en"].trigger()
    window = app.window
    assert_locked(window)
    for action in all_actions(window):
        if action.text() not in {"中文", "English"}:
            action.trigger()
            assert_locked(window)
    window.lock_screen.password.edit.setText(PASSWORD)  # the right password, still in the lockout
    window.lock_screen.unlock()
    message = window.lock_screen.message  # the window is in English now when counter_en.qm is built
    qtbot.waitUntil(lambda: "账号已锁定" in message.text() or "Account locked" in message.text())
    assert_locked(window)
    assert nothing_sold(app.ctx)


def test_the_idle_lock_survives_a_rebuild_and_its_timer_does_not_run_behind_it(qtbot, app, runner):
    app.window.idle.set_interval_ms(50)
    qtbot.waitUntil(lambda: app.locked, timeout=2000)
    app.change_language("zh_CN")
    assert_locked(app.window)
    assert not app.window.idle._timer.isActive()


def test_open_dialogs_are_cancelled_by_the_lock(qtbot, window, spy):
    dialog = ApprovalDialog(window, ApprovalRequest("更正", maker="zhang"), Approval)
    dialog.name_edit.setText("li")
    dialog.open()  # window-modal, as a co-sign waits for the supervisor
    qtbot.waitExposed(dialog)
    window.lock()
    assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Rejected
    assert dialog.approval is None


def test_the_demo_panel_is_closed_while_locked(qtbot, window, spy, runner, monkeypatch):
    """Its buttons drive the simulated reader and issue cards on the operator's session."""
    sim = Spy(window.ctx.counter.sim)
    monkeypatch.setattr(DemoPanel, "sim", property(lambda _self: sim))
    assert window.demo_dock.isVisible() and window.demo_panel.isEnabled()
    window.lock()
    panel = window.demo_panel
    panel.room.set_text("5-308")
    panel.card.set_text("C1")
    buttons = panel.findChildren(QPushButton)
    assert len(buttons) >= 10
    for button in buttons:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        button.click()
    qtbot.mouseClick(panel.paper_out, Qt.MouseButton.LeftButton)
    assert_locked(window)
    wait_idle(qtbot, runner)
    assert spy.calls == [] and sim.calls == []


def test_a_supervisor_opened_window_stays_on_the_shift_page_after_a_rebuild(qtbot, app, runner):
    window = app.window
    window.lock()
    window.lock_screen.name.set_text("li")
    window.lock_screen.password.edit.setText(PASSWORD)
    window.lock_screen.unlock_as_supervisor()
    qtbot.waitUntil(lambda: not app.locked)
    app.change_language("zh_CN")
    window = app.window
    assert app.ctx.restricted and not app.locked
    assert window.current_page() is window.pages["shift"]
    qtbot.keyClick(window, Qt.Key.Key_F1)
    window.show_page("sale")
    assert window.current_page() is window.pages["shift"]
    assert not window.demo_dock.isVisible()


def test_another_persons_password_does_not_open_the_lock(qtbot, window, runner):
    screen = window.lock_screen
    window.lock()
    screen.name.set_text("wu")  # another cashier, her own right password
    screen.password.edit.setText(PASSWORD)
    screen.unlock()
    qtbot.waitUntil(lambda: "只有 zhang 本人可以解锁" in screen.message.text())
    assert_locked(window)
    window.unlock(window.ctx.counter.login("wu", PASSWORD))  # even if a session of hers got through
    assert_locked(window)


def test_no_co_sign_is_asked_behind_the_lock(qtbot, window, monkeypatch):
    """A slow call's refusal arriving after the idle lock re-asks for a 监督人 (sale override, forms,
    settings): the dialog is not opened over the lock screen, the operation is not done."""
    opened = []

    def exec_(dialog):  # a supervisor standing by signs whatever is shown
        opened.append(dialog)
        dialog.name_edit.setText("li")
        dialog.password_edit.setText(PASSWORD)
        dialog.try_accept()
        return dialog.result()

    monkeypatch.setattr(ApprovalDialog, "exec", exec_)
    page = window.pages["sale"]
    assert ApprovalDialog.ask(page, ApprovalRequest("放行", maker="zhang")) is not None  # control
    window.lock()
    opened.clear()
    assert ApprovalDialog.ask(page, ApprovalRequest("放行", maker="zhang"), problem="x") is None
    assert opened == []
