"""The newcomer's story in demo mode, on the real facade with the real SimControl behind the demo
panel: a card for the room, a keyboard sale, the card into the meter, the X report, the blind close."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from ui.main_window import MainWindow

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, ctx):
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    return win


def press(qtbot, key, text: str = "") -> None:
    widget = QApplication.focusWidget()
    assert widget is not None
    if text:
        qtbot.keyClicks(widget, text)
    qtbot.keyClick(widget, key)


def test_demo_story_sale_meter_x_report_blind_close(qtbot, window, world, runner, monkeypatch):
    banners = [w for w in window.findChildren(QLabel) if w.objectName() == "simulatedBanner"]
    assert banners and "演示 / SIMULATED" in banners[0].text()
    panel = window.demo_panel

    # 1. the demo panel makes a blank card the room's card and leaves it on the reader
    panel.room.set_text("5-308")
    panel.issue_for_room()
    qtbot.waitUntil(lambda: "已为 5-308 发卡" in panel.output.text(), timeout=5000)
    card = panel.card.text()
    assert card and panel.meter.text() == "M5308"

    # 2. the sale, keyboard only: Enter (card) · 100 Enter (amount) · Enter (exact tender)
    window.show_page("sale")
    sale = window.pages["sale"]
    qtbot.waitUntil(lambda: sale.room.edit.hasFocus())
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: sale.account is not None and sale.amount.edit.hasFocus(), timeout=5000)
    press(qtbot, Qt.Key.Key_Return, "100")
    qtbot.waitUntil(lambda: sale.tendered.edit.hasFocus(), timeout=5000)
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: sale.last_sale is not None, timeout=5000)
    assert sale.last_sale.amount_fen == 10_000 and sale.last_sale.energy_ckwh == 16_998

    # 3. into the meter through the panel's handler: the meter loads the purchase
    panel.insert()
    qtbot.waitUntil(lambda: "电表已充入本次购电" in panel.output.text(), timeout=5000)
    assert "169.98 kWh" in panel.output.text()
    assert world.sim.meter_state("M5308").remaining_ckwh == 16_998

    # 4. the mid-shift self-check, then the blind close: counted before anything expected shows
    from ui.pages import shift as shift_module

    asked: list[str] = []
    monkeypatch.setattr(shift_module, "confirm", lambda parent, text: asked.append(text) or True)
    window.show_page("shift")
    shift = window.pages["shift"]
    shift.tabs.setCurrentIndex(1)
    shift.x_report()
    qtbot.waitUntil(lambda: "100.00" in shift.x_label.text(), timeout=5000)
    assert "应有" not in shift.x_label.text()  # the X report never shows the expected drawer
    shift.tabs.setCurrentIndex(0)
    assert shift.x_label.text() == ""  # and its takings are gone when the count begins
    shift.counts[10000].setValue(6)  # float 500 + takings 100
    assert shift.counted_label.text() == "￥600.00"
    shift.declare()
    qtbot.waitUntil(lambda: shift.declared is not None, timeout=10_000)
    assert "无差额" in shift.comparison.text() and shift.reason.isHidden()
    shift.close_shift()
    qtbot.waitUntil(lambda: "交账单" in shift.result.text(), timeout=10_000)
    assert len(asked) == 2  # the count and the close, each confirmed
    assert "无差额" in shift.result.text() and "应有 ￥600.00" in shift.result.text()
    with pytest.raises(Exception) as closed:
        window.ctx.session.top_up(account_no="D-5-308", amount_fen=5_000)
    assert getattr(closed.value, "code", "") == "SHIFT_NOT_OPEN"
