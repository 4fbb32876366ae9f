"""The frame: every page builds, F-keys switch pages, the 演示 banner, languages."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel
from uitesting import PASSWORD

from counter_app.api import Approval, UserFacingError
from ui import i18n
from ui.context import Workstation
from ui.facade import login_with_roles
from ui.main_window import MainWindow, shortcut_for, visible_keys
from ui.pages.form import ActionForm

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, ctx):
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_f_keys_switch_pages(qtbot, window):
    for key, page in window.pages.items():
        ctrl, _, fkey = page.shortcut.rpartition("+")
        modifier = Qt.KeyboardModifier.ControlModifier if ctrl else Qt.KeyboardModifier.NoModifier
        qtbot.keyClick(window, getattr(Qt.Key, f"Key_{fkey}"), modifier)
        assert window.current_page() is page, key


def test_pages_follow_the_role():
    assert visible_keys("finance") == [
        "reports", "sheets", "deposits", "books", "month", "verify", "duties", "tenders", "monthly",
    ]  # fmt: skip
    assert "tenders" in visible_keys("assistant") and "tenders" not in visible_keys("cashier")  # 对账
    assert "sale" not in visible_keys("assistant") and "sheets" in visible_keys("assistant")
    cashier = visible_keys("cashier")
    assert cashier[0] == "sale" and "settings" not in cashier and "month" not in cashier
    assert shortcut_for(0) == "F1" and shortcut_for(11) == "F12" and shortcut_for(12) == "Ctrl+F1"
    # the assistant and head open no shift: no 结班 form that could only refuse them (issue 14 §13)
    assert "shift" not in visible_keys("assistant") and "shift" not in visible_keys("head")


@pytest.mark.parametrize("role", ["cashier", "supervisor", "assistant", "head", "finance", "admin"])
def test_one_key_map_for_every_role(role):
    """GIVEN any role WHEN its pages get their keys THEN each key means the same page as for every
    other role (F3 is 定额送电 or nothing, never 交账单), and a cashier's keys are F1…F12 + Ctrl+F1 (diagnostics) + Ctrl+F4 (验票) + Ctrl+F5 (部门事务) + Ctrl+F11 (远程抄表) + Ctrl+F12 (总线状态)."""
    fixed = {key: shortcut_for(key)
             for key in visible_keys("cashier") + visible_keys("admin") + ["month", "tenders", "monthly"]}  # fmt: skip
    assert len(set(fixed.values())) == len(fixed)  # no key for two pages
    assert all(shortcut_for(key) == fixed[key] for key in visible_keys(role))
    assert shortcut_for("sale") == "F1" and shortcut_for("quota") == "F3" and shortcut_for("sheets") == "F9"
    assert [shortcut_for(k) for k in visible_keys("cashier")] == [f"F{n}" for n in range(1, 13)] + [
        "Ctrl+F1",
        "Ctrl+F4",
        "Ctrl+F5",
        "Ctrl+F11",  # 远程抄表 (issue 17)
        "Ctrl+F12",  # 总线状态 (issue 17)
    ]


def test_a_head_lands_on_a_page_it_can_use_and_f_keys_keep_their_meaning(qtbot, world, runner):
    zhao = login_with_roles(world.counter, "zhao", PASSWORD)
    win = MainWindow(Workstation(world.counter, zhao, approval_factory=Approval))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
    assert win.current_page() is win.pages["duties"] and "shift" not in win.pages  # the open visitor items
    qtbot.keyClick(win, Qt.Key.Key_F9)
    assert win.current_page() is win.pages["sheets"]
    qtbot.keyClick(win, Qt.Key.Key_F3)  # 定额送电 for a cashier: nothing for the head
    assert win.current_page() is win.pages["sheets"]
    assert [win.nav.item(i).text().split()[0] for i in range(win.nav.count())] == [
        "F8",
        "F9",
        "F10",
        "F11",
        "F12",
        "Ctrl+F1",
        "Ctrl+F4",
        "Ctrl+F5",  # 部门事务 (duties: the cashier logs calls too)
        "Ctrl+F6",  # 对账 (tenders)
        "Ctrl+F7",  # 月度检查
        "Ctrl+F8",  # 人员 (appoint a 监督人), 电价与收费, 窗口与密钥 (issue 14)
        "Ctrl+F9",
        "Ctrl+F10",
        "Ctrl+F11",  # 远程抄表 (issue 17)
        "Ctrl+F12",  # 总线状态 (issue 17)
    ]


def test_simulated_counter_shows_the_banner(window):
    banners = [w for w in window.findChildren(QLabel) if w.objectName() == "simulatedBanner"]
    assert banners and "演示 / SIMULATED" in banners[0].text() and banners[0].isVisible()


def test_status_bar_shows_devices(qtbot, window, world):
    bar = window.statusBar()
    qtbot.waitUntil(lambda: "读卡器：正常" in bar.labels["reader"].text(), timeout=3000)
    assert "打印机：正常" in bar.labels["printer"].text() and "模拟" in bar.labels["port"].text()
    world.sim.printer(paper_out=True)
    bar.refresh()
    qtbot.waitUntil(lambda: "缺纸" in bar.labels["paper"].text(), timeout=3000)


def test_paper_out_during_a_sale_is_a_banner_until_the_receipts_are_printed(qtbot, window, world, runner):
    """GIVEN the workstation printing in the background and the paper out WHEN a sale is made on the
    sale page THEN a red banner above the page says the paper is out and 2 receipts (the receipt
    and its 确认单) wait, without the cashier asking; WHEN the paper is back THEN they print by
    themselves and the banner goes (issue 14 §3)."""
    world.counter.devices.print_retry_s = 0.1
    world.counter.print_in_background(True)
    world.issue_card("D-5-308", window.ctx.session)
    world.counter.wait_for_printing()
    printed = len(world.sim.printed())
    window.demo_panel.paper_out.setChecked(True)  # the demo panel's 打印机缺纸
    qtbot.waitUntil(lambda: window.demo_panel.output.text() == "打印机缺纸")
    banner = window.printer_banner
    assert banner.isHidden()
    page = window.pages["sale"]
    window.show_page("sale")
    qtbot.keyClick(page.room.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.account is not None and page.amount.edit.hasFocus())
    qtbot.keyClicks(page.amount.edit, "50")
    qtbot.keyClick(page.amount.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.tendered.edit.hasFocus())
    qtbot.keyClick(page.tendered.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.last_sale is not None, timeout=5000)
    qtbot.waitUntil(lambda: banner.isVisible(), timeout=3000)  # no manual refresh: after the sale
    assert "打印机缺纸" in banner.text() and "2 张凭条未打印" in banner.text() and banner.level == "error"
    assert "2 张凭条待打印（缺纸）" in window.statusBar().labels["queue"].text()
    assert banner.height() >= 30 and banner.width() > window.pages["sale"].width() // 2
    assert len(world.sim.printed()) == printed

    window.demo_panel.paper_out.setChecked(False)  # paper back; the cashier does nothing
    qtbot.waitUntil(lambda: window.demo_panel.output.text().startswith("打印机已装纸"))
    assert "已补打" not in window.demo_panel.output.text()  # it says nothing printed that was not
    qtbot.waitUntil(lambda: banner.isHidden(), timeout=6000)
    assert window.statusBar().labels["queue"].text() == ""
    receipt_no = page.last_sale.receipt_no
    assert sum(receipt_no in text for text in world.sim.printed()) == 4  # receipt and 确认单, 2 copies each


def test_banner_and_queue_texts_say_what_is_true():
    from ui.facade import DeviceState, DeviceStatus
    from ui.status import banner_text, queue_text

    def status(queued, **printer):
        state = DeviceState(
            "printer", configured=True, answered=True, **({"online": True, "paper": "ok"} | printer)
        )
        return DeviceStatus(DeviceState("reader", configured=True), state, queued, True)

    assert banner_text(status(0)) is None
    assert banner_text(status(0, cover_open=True))[1] == "error"
    assert queue_text(status(1)) == "1 张凭条待打印（正在打印）"
    assert "已补打" not in queue_text(status(3, paper="out")) and "（缺纸）" in queue_text(
        status(3, paper="out")
    )
    assert banner_text(status(2))[1] == "working"  # printer fine, the queue still printing
    assert (
        banner_text(
            DeviceStatus(
                DeviceState("reader", configured=True), DeviceState("printer", configured=False), 0, True
            )
        )
        is None
    )


def test_administrator_sees_no_sale_page():
    assert visible_keys("admin") == ["diagnostics", "settings", "verify", "people", "prices", "stations"]


def test_an_action_form_routes_a_refusal_to_its_field(qtbot, window, runner):
    form: ActionForm = window.pages["cards"].lost
    form.fields["account_no"].set_text("D-9-999")
    form.submit()
    field = form.fields["account_no"]
    qtbot.waitUntil(lambda: not field.error.isHidden())
    assert "账户不存在" in field.error.text() and field.text() == "D-9-999"
    assert "到“账户”页" in field.error.text()  # and where to look next


def test_exceptions_page_lists_open_writes(qtbot, window, world, runner):
    session = window.ctx.session
    world.issue_card("D-5-308", session)
    world.sim.pull_card_at_byte(6)  # the customer pulls the card half-way through the write
    with pytest.raises(UserFacingError) as torn:
        session.top_up(account_no="D-5-308", amount_fen=5_000)
    window.show_page("exceptions")
    page = window.pages["exceptions"]
    qtbot.waitUntil(lambda: page.intents.rowCount() == 1)
    assert page.intents.row(0).intent_id == torn.value.intent_id
    assert page.morning_view.isHidden() and "仅监督人" in page.morning_note.text()  # a cashier


def test_supervisor_sees_the_morning_list(qtbot, world, runner):
    li = login_with_roles(world.counter, "li", PASSWORD)
    li.open_shift(float_fen=0)
    world.issue_card("D-5-308", li)
    sale = li.top_up(account_no="D-5-308", amount_fen=5_000)
    li.reprint_receipt(receipt_no=sale.receipt_no)
    win = MainWindow(Workstation(world.counter, li, approval_factory=Approval))
    qtbot.addWidget(win)
    win.show_page("exceptions")
    page = win.pages["exceptions"]
    qtbot.waitUntil(lambda: page.morning.rowCount() == 1, timeout=3000)
    assert page.morning.data(page.morning.index(0, 0)) == "补打"
    assert not page.morning_view.isHidden()


def test_accounts_page_tree_and_search_by_holder(qtbot, window, runner):
    window.show_page("accounts")
    page = window.pages["accounts"]
    qtbot.waitUntil(lambda: page.tree.model() is not None and page.tree.model().rowCount() == 1)
    assert "共 4 间房" in page.tree_note.text()
    page.query.set_text("张老师")
    page.run_search()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert page.model.row(0).account_no == "S-12-101"


def test_english_falls_back_to_chinese_without_the_qm(qapp, monkeypatch, tmp_path):
    monkeypatch.setattr(i18n, "HERE", tmp_path)
    assert i18n.install(qapp, "en") == "zh_CN"
    assert i18n.current_language() == "zh_CN"


def test_english_translation_compiles_and_loads(qapp, monkeypatch, tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    from PySide6.QtCore import QCoreApplication

    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    ts = Path(i18n.__file__).with_name("counter_en.ts")
    subprocess.run(
        [str(lrelease), str(ts), "-qm", str(tmp_path / "counter_en.qm")], check=True, capture_output=True
    )
    monkeypatch.setattr(i18n, "HERE", tmp_path)
    try:
        assert i18n.install(qapp, "en") == "en"
        assert QCoreApplication.translate("Sale", "售电") == "Sale"
    finally:
        i18n.install(qapp, "zh_CN")
    assert QCoreApplication.translate("Sale", "售电") == "售电"


def test_accounts_search_is_debounced_and_never_queued(qtbot, window, runner, monkeypatch):
    """Fast typing: one search per pause, and none submitted while one is on the worker."""
    from ui.pages import accounts

    window.show_page("accounts")
    page = window.pages["accounts"]
    texts: list[str] = []
    real = accounts.search
    monkeypatch.setattr(accounts, "search", lambda session, text: texts.append(text) or real(session, text))
    for typed in ("张", "张老", "张老师"):  # keystrokes closer together than the debounce
        page.query.set_text(typed)
        page.query.edit.textEdited.emit(typed)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert texts == ["张老师"] and page._timer.interval() == accounts.SEARCH_DEBOUNCE_MS
    page._searching = True  # one on the worker: the next one waits for it, then runs the newest text
    page.query.set_text("校园")
    page.run_search()
    assert texts == ["张老师"]
    page._found([])  # the stale answer returns: dropped, and the newest text is searched
    qtbot.waitUntil(lambda: page.model.rowCount() == 1 and page.model.row(0).account_no == "B-1-001")
    assert texts == ["张老师", "校园"]
