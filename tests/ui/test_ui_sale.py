"""The sale page, keyboard only, against the temporary fake facade."""

from __future__ import annotations

import pytest
from conftest import wait_idle
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from ui.pages.sale import SalePage

pytestmark = pytest.mark.gui


class KeyCounter:
    """Sends keys to whatever has the focus, as a cashier's keyboard does, and counts non-digits."""

    def __init__(self, qtbot) -> None:
        self.qtbot, self.non_digit = qtbot, 0

    def focus(self):
        widget = QApplication.focusWidget()
        assert widget is not None, "nothing has the keyboard focus"
        return widget

    def digits(self, text: str) -> None:
        assert text.replace(".", "").isdigit()
        self.qtbot.keyClicks(self.focus(), text)

    def key(self, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
        self.non_digit += 1
        self.qtbot.keyClick(self.focus(), key, modifier)


@pytest.fixture
def page(qtbot, ctx):
    page = SalePage(ctx)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    page.activated()
    qtbot.waitUntil(lambda: page.room.edit.hasFocus())
    return page


def test_keyboard_top_up_needs_at_most_three_keys_besides_digits(qtbot, page, counter, runner):
    counter.sim.present_card("C00001")  # 5-308, dorm, 20 kWh free owed
    keys = KeyCounter(qtbot)
    keys.key(Qt.Key.Key_Return)  # card → account
    qtbot.waitUntil(lambda: page.account is not None and page.amount.edit.hasFocus())
    assert page.panel.values["room"].text() == "5-308"
    assert "20.00" in page.panel.values["free"].text()
    keys.digits("100")
    keys.key(Qt.Key.Key_Return)  # amount → tendered
    qtbot.waitUntil(lambda: page.tendered.edit.hasFocus())
    assert page.energy.text() == "169.98"  # 100 yuan ÷ 0.5883 = 169.981…, rounded down (live quote)
    keys.key(Qt.Key.Key_Return)  # exact tender → top_up
    qtbot.waitUntil(lambda: page.last_sale is not None)
    wait_idle(qtbot, runner)
    assert keys.non_digit <= 3
    call = [kw for name, kw in counter.world.calls if name == "top_up"][-1]
    assert call["amount_fen"] == 10000 and call["tendered_fen"] == 10000 and call["tender"] == "cash"
    assert "W01-000001" in page.result_label.text()
    assert page.room.text() == "" and page.account is None and page.room.edit.hasFocus()  # ready for the next


def test_quick_amount_and_change(qtbot, page, counter, runner):
    counter.sim.present_card("C00002")
    keys = KeyCounter(qtbot)
    keys.key(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.amount.edit.hasFocus())
    keys.key(Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)  # Alt+2 = 50 yuan
    qtbot.waitUntil(lambda: page.tendered.edit.hasFocus())
    keys.digits("100")
    assert page.change_label.text() == "￥50.00"
    keys.key(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.last_sale is not None)
    assert page.last_sale.change_fen == 5000 and keys.non_digit == 3


def test_refusal_is_shown_next_to_the_field_and_the_typed_text_kept(qtbot, page, counter, runner):
    counter.sim.present_card("C00001")
    qtbot.keyClick(page.room.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.amount.edit.hasFocus())
    qtbot.keyClicks(page.amount.edit, "5")
    qtbot.keyClick(page.amount.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.tendered.edit.hasFocus())
    qtbot.keyClick(page.tendered.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.amount.error.isVisible())
    assert "低于最低充值额" in page.amount.error.text()
    assert page.amount.text() == "5"  # kept
    assert page.account is not None  # the customer's account stays on screen


def test_previous_not_loaded_says_what_to_do_next(qtbot, page, counter, runner):
    counter.world.cards["C00001"].counter = 4  # bought before, card never went into the meter
    counter.sim.present_card("C00001")
    qtbot.keyClick(page.room.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.amount.edit.hasFocus())
    assert "请先将卡插入电表" in page.panel.warning.text()
    qtbot.keyClicks(page.amount.edit, "50")
    qtbot.keyClick(page.amount.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.tendered.edit.hasFocus())
    qtbot.keyClick(page.tendered.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.room.error.isVisible())
    assert "请先将卡插入电表" in page.room.error.text()
    assert page.amount.text() == "50"
    assert not page.override_button.isHidden()


def test_typed_room_is_checked_against_the_card(qtbot, page, counter, runner):
    counter.sim.present_card("C00002")  # the card of 5-309
    page.room.set_text("5-308")
    qtbot.keyClick(page.room.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.room.error.isVisible())
    assert "卡与账户不符" in page.room.error.text()
    assert page.room.text() == "5-308" and page.account is None


def test_supervisor_override_with_reason(qtbot, page, counter, runner, monkeypatch):
    from fake_counter import Approval

    from ui.approval_dialog import ApprovalDialog

    counter.world.cards["C00001"].counter = 4
    counter.sim.present_card("C00001")
    asked = []
    monkeypatch.setattr(
        ApprovalDialog,
        "ask",
        classmethod(
            lambda cls, parent, request, factory=None, problem="": (
                asked.append(request) or Approval("li", "pw")
            )
        ),
    )
    qtbot.keyClick(page.room.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.amount.edit.hasFocus())
    page.amount.set_text("50")
    qtbot.keyClick(page.amount.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.tendered.edit.hasFocus())
    qtbot.keyClick(page.tendered.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not page.override_button.isHidden())
    page.override_reason.set_text("用户电表故障已报修")
    page.override_button.click()
    qtbot.waitUntil(lambda: page.last_sale is not None)
    assert asked[0].amount_fen == 5000 and asked[0].reason == "用户电表故障已报修"
    assert page.last_sale.carried_ckwh == 1000
