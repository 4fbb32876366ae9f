"""The face (issue 14): no text cut off at 1366×728, nothing left in Chinese in English mode, the
English actually loads, and a language switch leaves the keyboard working.

Every page of every role's window is walked (each tab of a page shown in turn), with the demo panel,
the lock screen, the login window and the approval dialog, in both languages at 1366×728 (a 1366×768
screen less the taskbar):

- clipped: a visible QLabel or button whose text (each line) is wider than the widget, while the
  label does not wrap (QFontMetrics.horizontalAdvance against the contents width);
- untranslated (English only): a visible label, button, check box, group box, tab, menu entry, window
  or dock title, placeholder or table header with a CJK character, except the short ALLOWED list.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from PySide6 import QtGui
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QDockWidget,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QTreeView,
    QWidget,
)
from uitesting import PASSWORD, wait_idle

from base.errors import InputInvalid, ShiftNotOpen
from counter_app.api import Approval
from ui import i18n
from ui.app import WorkstationApp
from ui.approval_dialog import ApprovalDialog, ApprovalRequest
from ui.context import Workstation
from ui.facade import login_with_roles
from ui.login import LoginWindow
from ui.main_window import MainWindow
from ui.ops import error_text, show_error

pytestmark = pytest.mark.gui

SIZE = (1366, 728)  # 1366×768 less a taskbar
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
# What may stay Chinese in English mode: data, and texts that are bilingual on purpose. Keep short.
ALLOWED = (
    re.compile(r"^中文$"),  # the language menu's own entry for Chinese
    re.compile(r"语言 / Language"),  # the language menu, findable in either language
    re.compile(r"演示 / SIMULATED"),  # the red banner says it in both languages (DOMAIN "never happen")
    re.compile(r"命令表 / commands"),  # a found reader's command set, bilingual from hardware/discovery.py
)
DATA = ("张老师", "校园超市", "主校区", "工行校内支行")  # names and places from the test world's data
ROLES = ("zhang", "li", "wang", "qian", "admin")


@pytest.fixture(params=["zh_CN", "en"])
def lang(request, qapp):
    assert i18n.install(qapp, request.param) == request.param  # the .qm builds when missing
    yield request.param
    i18n.install(qapp, "zh_CN")


@pytest.fixture
def english(qapp):
    assert i18n.install(qapp, "en") == "en"
    yield
    i18n.install(qapp, "zh_CN")


# --- walking the screens ------------------------------------------------------------------------------
def session_for(world, name: str):
    session = login_with_roles(world.counter, name, PASSWORD)
    if name == "zhang":  # one open shift per workstation: the others look without one
        session.open_shift(float_fen=50_000)
        world.issue_card("D-5-308", session)  # its card stays on the reader
    return session


def screens(qtbot, world, runner) -> Iterator[tuple[str, QWidget]]:
    """(where, top-level widget) for every screen, each shown at 1366×728 and settled."""
    login = LoginWindow(world.counter)
    qtbot.addWidget(login)
    login.resize(520, 360)
    login.show()
    settle(qtbot)
    yield "login", login
    login.steps.setCurrentIndex(1)
    settle(qtbot)
    yield "login/shift", login
    login.close()
    for name in ROLES:
        window = MainWindow(Workstation(world.counter, session_for(world, name), approval_factory=Approval))
        qtbot.addWidget(window)
        window.resize(*SIZE)
        window.show()
        qtbot.waitExposed(window)
        for key, page in window.pages.items():
            window.show_page(key)
            wait_idle(qtbot, runner)
            tabs = page.findChildren(QTabWidget)
            for tab_widget in tabs or [None]:
                for index in range(tab_widget.count()) if tab_widget else [None]:
                    if tab_widget is not None:
                        tab_widget.setCurrentIndex(index)
                    settle(qtbot)
                    yield f"{name}/{key}" + (f"/tab{index}" if tab_widget else ""), window
            if key == "sale" and name == "zhang":  # with an account and its card on the panel
                page.room.set_text("5-308")
                page.look_up()
                wait_idle(qtbot, runner)
                settle(qtbot)
                assert page.account is not None
                yield f"{name}/sale/account", window
        if name == "zhang":
            english = i18n.current_language() == "en"  # the operation's name comes translated from the page
            request = ApprovalRequest(
                "Correction" if english else "更正", "zhang", "5-308", 5000, 8499, "typo"
            )
            dialog = ApprovalDialog(window, request, Approval)
            qtbot.addWidget(dialog)
            dialog.show()
            settle(qtbot)
            yield "approval", dialog
            dialog.close()
            box = show_error(window, ShiftNotOpen())
            settle(qtbot)
            yield "error dialog", box
            box.close()
            window.lock()
            settle(qtbot)
            yield "lock", window
        window.close()


def settle(qtbot) -> None:
    """Let answers arrive, then the layouts they asked for run (a label is measured after its text)."""
    qtbot.wait(10)
    for _ in range(3):
        QApplication.processEvents()


def visible(widget: QWidget) -> bool:
    return widget.isVisible() and widget.width() > 0


def plain(text: str) -> str:
    if QtGui.Qt.mightBeRichText(text):
        doc = QTextDocument()
        doc.setHtml(text)
        return doc.toPlainText()
    return text


def clipped(widget: QWidget) -> str | None:
    """Why `widget`'s text does not fit, or None."""
    if isinstance(widget, QLabel):
        if widget.wordWrap() or not widget.text() or QtGui.Qt.mightBeRichText(widget.text()):
            return None
        room = widget.contentsRect().width() - 2 * widget.margin() - max(widget.indent(), 0)
        text = widget.text()
    elif isinstance(widget, QPushButton | QCheckBox):
        text = widget.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
        if not text:
            return None
        extra = 8 if isinstance(widget, QPushButton) else 24  # the bevel's padding, the check box's box
        room = widget.width() - extra
    else:
        return None
    metrics = widget.fontMetrics()
    widest = max(metrics.horizontalAdvance(line) for line in text.split("\n"))
    if widest > room + 1:
        return f"{type(widget).__name__} {text!r}: {widest} px in {room} px"
    return None


def texts_of(top: QWidget) -> Iterator[tuple[str, QWidget]]:
    """Every text a person can read on `top` now."""
    if top.windowTitle():
        yield top.windowTitle(), top
    for widget in [top, *top.findChildren(QWidget)]:
        if not visible(widget):
            continue
        if isinstance(widget, QLabel):
            yield plain(widget.text()), widget
        elif isinstance(widget, QAbstractButton):
            yield widget.text(), widget
        elif isinstance(widget, QGroupBox):
            yield widget.title(), widget
        elif isinstance(widget, QLineEdit):
            if not widget.text():
                yield widget.placeholderText(), widget
        elif isinstance(widget, QDockWidget):
            yield widget.windowTitle(), widget
        elif isinstance(widget, QTabWidget):
            for i in range(widget.count()):
                yield widget.tabText(i), widget
        elif isinstance(widget, QTableView | QTreeView) and widget.model() is not None:
            model = widget.model()
            for column in range(model.columnCount()):
                yield str(model.headerData(column, Qt.Orientation.Horizontal) or ""), widget
    if isinstance(top, MainWindow):
        for menu_action in top.menuBar().actions():
            yield menu_action.text(), top
            for action in menu_action.menu().actions():
                yield action.text(), top
        for row in range(top.nav.count()):
            yield top.nav.item(row).text(), top.nav


def untranslated(text: str) -> bool:
    if not CJK.search(text) or any(pattern.search(text) for pattern in ALLOWED):
        return False
    for data in DATA:
        text = text.replace(data, "")
    return bool(CJK.search(text))


# --- the guards ------------------------------------------------------------------------------------------
def test_no_text_is_cut_off_at_1366x728(qtbot, world, runner, lang):
    """GIVEN every screen in this language at 1366×728 THEN no label or button text is wider than
    its widget and the page list needs no sideways scrolling."""
    found = set()
    for where, top in screens(qtbot, world, runner):
        for widget in [top, *top.findChildren(QWidget)]:
            if visible(widget) and (why := clipped(widget)):
                found.add(f"{where}: {why}")
        if isinstance(top, MainWindow):
            nav = top.nav
            room = nav.viewport().width()
            for row in range(nav.count()):
                width = nav.fontMetrics().horizontalAdvance(nav.item(row).text()) + 8
                if width > room:
                    found.add(f"{where}: page list {nav.item(row).text()!r}: {width} px in {room} px")
    assert not sorted(found), "\n".join(sorted(found))


def test_nothing_is_left_in_chinese_in_english(qtbot, world, runner, english):
    """GIVEN the English UI THEN no visible text of any screen holds Chinese, except data and the
    short allow-list (the language menu's 中文, the bilingual 演示 / SIMULATED banner)."""
    found = set()
    for where, top in screens(qtbot, world, runner):
        for text, widget in texts_of(top):
            if untranslated(text):
                found.add(f"{where}: {type(widget).__name__} {text!r}")
    assert not sorted(found), "\n".join(sorted(found))


def test_the_guards_can_fail(qtbot, english):
    """The two checks find what they look for (a guard that cannot fail guards nothing)."""
    label = QLabel("A rather long English text that cannot fit")
    qtbot.addWidget(label)
    label.setFixedWidth(60)
    label.show()
    assert clipped(label) and untranslated("Room 房间") and not untranslated("中文")
    label.setWordWrap(True)
    assert clipped(label) is None
    button = QPushButton("Put the account's card on the reader")
    qtbot.addWidget(button)
    button.setFixedWidth(100)
    button.show()
    assert clipped(button)


# --- errors, codes, the English file --------------------------------------------------------------------
def test_errors_in_english_are_wholly_english(english):
    """GIVEN the English UI WHEN a page refuses an empty field THEN the message is English through and
    through (not "输入有误：Please fill…"), with its next step in English."""
    text = error_text(InputInvalid("Please fill in amount", field="amount_fen"))
    assert text.startswith("Invalid input: Please fill in amount") and not CJK.search(text)
    text = error_text(ShiftNotOpen())
    assert "No shift is open" in text and not CJK.search(text) and "SHIFT_NOT_OPEN" not in text


def test_no_error_code_is_shown_alone(qtbot):
    """The error dialog says what happened in words; the code only small, in brackets, after it."""
    parent = QWidget()
    qtbot.addWidget(parent)
    box = show_error(parent, ShiftNotOpen())
    assert box.text().startswith("尚未开班") and "SHIFT_NOT_OPEN" not in box.text()
    assert "(SHIFT_NOT_OPEN)" in box.informativeText() and "<small" in box.informativeText()
    assert box.informativeText().strip() != "SHIFT_NOT_OPEN"
    box.close()


def test_english_without_its_file_says_so_on_screen(qtbot, ctx, runner, monkeypatch, tmp_path):
    """GIVEN no counter_en.qm and no way to build it WHEN English is chosen in the menu THEN a message
    says so on screen, Chinese stays, and the menu still ticks 中文."""
    monkeypatch.setattr(i18n, "HERE", tmp_path)  # no .ts to compile, no .qm
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    asked = []
    window.language_change_requested.connect(asked.append)
    window.language_actions["en"].trigger()
    box = window.language_problem
    assert box.isVisible() and "counter_en.qm" in box.text() and "English" in box.text()
    assert asked == [] and window.language_actions["zh_CN"].isChecked()
    assert i18n.current_language() == "zh_CN"


def test_a_missing_qm_is_built_from_the_ts(qapp, monkeypatch, tmp_path):
    """A fresh checkout (no .qm, setup not re-run) compiles the English with PySide6's lrelease."""
    source = i18n.HERE / "counter_en.ts"
    (tmp_path / "counter_en.ts").write_bytes(source.read_bytes())
    monkeypatch.setattr(i18n, "HERE", tmp_path)
    try:
        assert i18n.install(qapp, "en") == "en" and (tmp_path / "counter_en.qm").is_file()
    finally:
        i18n.install(qapp, "zh_CN")


# --- a language switch ---------------------------------------------------------------------------------------
def test_f_keys_work_right_after_a_language_switch(qtbot, qapp, ctx, runner):
    """GIVEN the main window WHEN the language is switched (the window is rebuilt) THEN the new window
    is active with a focus, so F2 works without a click first."""
    workstation = WorkstationApp(qapp, ctx.counter, Approval)
    workstation.ctx = ctx
    workstation._show_main()
    qtbot.addWidget(workstation.window)
    qtbot.waitExposed(workstation.window)
    try:
        workstation.change_language("en")
        new = workstation.window
        qtbot.addWidget(new)
        qtbot.waitUntil(lambda: QApplication.activeWindow() is new and QApplication.focusWidget() is not None)
        assert QApplication.focusWidget().window() is new
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F2)
        assert new.current_page() is new.pages["accounts"]
        assert new.pages["accounts"].caption() == "Account"
    finally:
        workstation.change_language("zh_CN")
        qtbot.addWidget(workstation.window)
        i18n.save_language("zh_CN")


def test_the_morning_list_reads_in_english(qtbot, world, runner, english):
    li = session_for(world, "li")
    li.open_shift(float_fen=0)
    world.issue_card("D-5-308", li)
    sale = li.top_up(account_no="D-5-308", amount_fen=5_000)
    li.reprint_receipt(receipt_no=sale.receipt_no)
    window = MainWindow(Workstation(world.counter, li, approval_factory=Approval))
    qtbot.addWidget(window)
    window.show_page("exceptions")
    page = window.pages["exceptions"]
    qtbot.waitUntil(lambda: page.morning.rowCount() == 1, timeout=3000)
    row = [str(page.morning.data(page.morning.index(0, c))) for c in range(page.morning.columnCount())]
    assert row[0] == "Reprint" and row[-1].startswith(f"Reprint {sale.receipt_no} (#1)"), row
    assert not any(CJK.search(cell) for cell in row), row


# --- names people read ----------------------------------------------------------------------------------------
def test_people_read_display_names_not_login_ids(qtbot, tmp_path, runner):
    """GIVEN the demo (张敏 logs in as zhang, the head 赵刚 as zhao) WHEN windows open and a reprint
    lands on the morning list THEN the title, the sign button and the list say 张敏 / 李强 / 赵刚, never
    the login ids (issue 14 §13: 收款员 zhang vs 张敏, 主管 zhao)."""
    from counter_app.api import open_counter
    from counter_app.demo import PASSWORD as DEMO_PASSWORD
    from counter_app.demo import prepare_demo

    db_url, keystore, sim_dir = prepare_demo(tmp_path)
    counter = open_counter(db_url, workstation="W01", simulate=True, sim_dir=sim_dir, keystore=keystore)
    try:
        zhao = login_with_roles(counter, "zhao", DEMO_PASSWORD)
        assert zhao.display_name == "赵刚" and zhao.name == "zhao"
        window = MainWindow(Workstation(counter, zhao, approval_factory=Approval))
        qtbot.addWidget(window)
        assert "赵刚" in window.windowTitle() and "zhao" not in window.windowTitle()
        assert "赵刚" in window.pages["sheets"].sign_button.text()
        li = login_with_roles(counter, "li", DEMO_PASSWORD)
        li.open_shift(float_fen=0)
        serial = counter.sim.new_blank_card()
        counter.sim.present_card(serial)
        li.issue_card(account_no="D-1-101")
        sale = li.top_up(account_no="D-1-101", amount_fen=5_000, tendered_fen=5_000)
        li.reprint_receipt(receipt_no=sale.receipt_no)
        assert [item.who for item in zhao.morning_list() if item.kind == "reprint"] == ["李强"]
        window.close()
    finally:
        counter.close()


def test_every_setting_has_an_english_description(english):
    """The settings table in English: a new setting without an English description fails here."""
    from types import SimpleNamespace

    from counter_app.settings import SETTINGS
    from ui.pages.settings import description_text

    for key, spec in SETTINGS.items():
        text = description_text(SimpleNamespace(key=key, description=spec.description))
        assert not CJK.search(text), (key, text)


def test_sign_off_steps_read_in_english(english):
    """The default chain's step titles (Chinese in the setting) read in English; a made-up one stays."""
    from types import SimpleNamespace

    from ui.pages.sheets import sheet_state, step_title

    assert sheet_state(SimpleNamespace(frozen=False, next_step="主管")) == "Waiting for Head"
    assert [step_title(t) for t in ("营业员", "部门助理", "财务", "分管副校长")] == [
        "Cashier",
        "Assistant",
        "Finance",
        "分管副校长",
    ]


def test_every_queued_kind_has_a_name(english):
    """The queue list's 类别 column: words for every queueable kind, never the raw key."""
    import counter_app.api  # noqa: F401 — registers every queueable kind
    from counter_app.queueing import QUEUEABLE
    from ui.pages.exceptions import queued_kind_text

    names = {kind: queued_kind_text(kind) for kind in QUEUEABLE}
    assert all(
        name != "Other operation" and "." not in name and "_" not in name for name in names.values()
    ), names
    assert queued_kind_text("account.confirm_class") == "Confirm account class"


def test_roles_and_fees_read_as_words(english):
    from ui.pages.settings import fee_text, roles_text

    assert roles_text(("cashier", "supervisor")) == "Cashier, Supervisor"
    assert fee_text("card") == "Card replacement fee"
