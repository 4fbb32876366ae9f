"""The sale page, keyboard only, on the real facade with simulated reader, meters and printer."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from uitesting import wait_idle

from counter_app.api import Approval
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


@pytest.fixture
def card(world, ctx):
    """D-5-308's card (4 occupants) on the reader."""
    return world.issue_card("D-5-308", ctx.session)


def free_quota(world) -> None:
    """November's free energy for building 5: 4 occupants × 10 kWh = 40 kWh owed to 5-308."""
    draft = world.login("zhang").prepare_quota_batch(period="2026-11", buildings=["5"])
    world.login("li").approve_quota_batch(batch_id=draft.batch_id, approval=world.approval("wang"))


def sell(qtbot, page, amount: str = "50") -> None:
    qtbot.keyClick(page.room.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.account is not None and page.amount.edit.hasFocus())
    qtbot.keyClicks(page.amount.edit, amount)
    qtbot.keyClick(page.amount.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.tendered.edit.hasFocus())
    qtbot.keyClick(page.tendered.edit, Qt.Key.Key_Return)


def test_keyboard_top_up_needs_at_most_three_keys_besides_digits(qtbot, page, world, card, runner):
    free_quota(world)
    keys = KeyCounter(qtbot)
    keys.key(Qt.Key.Key_Return)  # card → account
    qtbot.waitUntil(lambda: page.account is not None and page.amount.edit.hasFocus())
    assert page.panel.values["room"].text() == "5-308"
    assert "40.00 kWh" in page.panel.values["free"].text()
    assert "0.5883" in page.panel.values["price"].text()
    keys.digits("100")
    keys.key(Qt.Key.Key_Return)  # amount → tendered
    qtbot.waitUntil(lambda: page.tendered.edit.hasFocus())
    assert page.energy.text() == "169.98"  # 100 yuan ÷ 0.5883 = 169.981…, rounded down
    assert "40.00" in page.due_label.text()  # the free energy goes onto the card with it
    keys.key(Qt.Key.Key_Return)  # exact tender → top_up
    qtbot.waitUntil(lambda: page.last_sale is not None, timeout=5000)
    wait_idle(qtbot, runner)
    assert keys.non_digit <= 3
    sale = page.last_sale
    assert (sale.receipt_no, sale.amount_fen, sale.energy_ckwh) == ("W01-00000001", 10_000, 16_998)
    assert (sale.free_ckwh, sale.change_fen, sale.purchase_counter) == (4_000, 0, 1)
    assert "W01-00000001" in page.result_label.text() and "免费电 40.00 kWh" in page.result_label.text()
    assert page.room.text() == "" and page.account is None and page.room.edit.hasFocus()  # next customer
    assert any("W01-00000001" in text for text in world.sim.printed())
    world.sim.insert_into_meter(card)
    assert world.sim.meter_state("M5308").remaining_ckwh == 16_998 + 4_000


def test_quick_amount_and_change_shown_large(qtbot, page, world, card, runner):
    keys = KeyCounter(qtbot)
    keys.key(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.amount.edit.hasFocus())
    keys.key(Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)  # Alt+2 = 50 yuan
    qtbot.waitUntil(lambda: page.tendered.edit.hasFocus())
    keys.digits("100")
    assert page.change_label.text() == "￥50.00"
    assert page.change_label.font().pointSize() >= 20 or "font-size" in page.change_label.styleSheet()
    keys.key(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.last_sale is not None, timeout=5000)
    assert page.last_sale.change_fen == 5000 and keys.non_digit == 3
    assert "找零 ￥50.00" in page.result_label.text()


def test_refusal_is_shown_next_to_the_field_and_the_typed_text_kept(qtbot, page, card, runner):
    qtbot.keyClick(page.room.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.account is not None and page.amount.edit.hasFocus())
    qtbot.keyClicks(page.amount.edit, "5")
    qtbot.keyClick(page.amount.edit, Qt.Key.Key_Return)  # refused at the amount, before any tender
    qtbot.waitUntil(lambda: page.amount.error.isVisible(), timeout=5000)
    assert "低于最低充值额" in page.amount.error.text()
    assert "请输入不低于最低充值额的金额" in page.amount.error.text()  # and what to do next
    assert page.amount.text() == "5"  # kept
    assert page.account is not None  # the customer's account stays on screen
    assert page.last_sale is None


def test_previous_not_loaded_then_the_supervisors_override(qtbot, page, world, card, runner, monkeypatch):
    """GIVEN a purchase still on the card (not yet in the meter) WHEN the customer buys again THEN the
    page says to insert the card first; a 监督人 may let it through once, with a reason."""
    from ui.approval_dialog import ApprovalDialog

    ctx_session = page.ctx.session
    ctx_session.top_up(account_no="D-5-308", amount_fen=3_000)
    sell(qtbot, page)
    qtbot.waitUntil(lambda: page.room.error.isVisible(), timeout=5000)
    assert "请先将卡插入电表" in page.panel.warning.text()
    assert "请先将卡插入电表" in page.room.error.text()
    assert page.amount.text() == "50" and not page.override_button.isHidden()

    asked = []
    monkeypatch.setattr(
        ApprovalDialog,
        "ask",
        classmethod(lambda cls, parent, request, factory=None, problem="": asked.append(request)
                    or Approval(name="li", password=world.approval().password)),
    )  # fmt: skip
    page.override_reason.set_text("用户电表故障已报修")
    page.override_button.click()
    qtbot.waitUntil(lambda: page.last_sale is not None, timeout=5000)
    rows = dict(asked[0].rows())  # the core's words for exactly what the override binds
    assert rows["金额"] == "￥50.00" and rows["原因"] == "用户电表故障已报修" and rows["账户"] == "D-5-308"
    assert rows["并入的未入表电量"] == "50.99 kWh" and asked[0].summary is not None
    assert page.last_sale.carried_ckwh == 5_099  # 30 yuan's energy rides along under the new counter
    world.sim.insert_into_meter(card)
    assert world.sim.meter_state("M5308").remaining_ckwh == 5_099 + 8_499


def test_the_last_write_back_is_shown_with_its_date(qtbot, page, world, card, runner):
    page.ctx.session.top_up(account_no="D-5-308", amount_fen=5_000)
    world.sim.insert_into_meter(card)
    world.sim.consume("M5308", 1_000)
    world.sim.insert_into_meter(card)  # a second visit to the meter writes back the consumption
    world.sim.present_card(card)
    qtbot.keyClick(page.room.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.account is not None)
    shown = page.panel.values["write_back"].text()
    assert "剩余 74.99 kWh" in shown and "累计 10.00 kWh" in shown and "2026-11-23" in shown
    assert "已入表" in page.panel.values["card"].text()


def test_a_new_card_is_not_said_to_hold_an_unloaded_purchase(qtbot, page, world, card, runner):
    """GIVEN a card just issued (purchase counter 0, never bought) WHEN it is read THEN the page says
    it is new, with no "上次购电未入表" warning; after a first purchase the warning is right again."""
    qtbot.keyClick(page.room.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.account is not None)
    assert "新卡" in page.panel.values["card"].text()
    assert (
        "未入表" not in page.panel.values["card"].text() and "第 0 次" not in page.panel.values["card"].text()
    )
    assert page.panel.warning.text() == ""
    page.ctx.session.top_up(account_no="D-5-308", amount_fen=3_000)
    page.account = None
    qtbot.keyClick(page.room.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.account is not None)
    assert (
        "第 1 次购电" in page.panel.values["card"].text()
        and "上次购电未入表" in page.panel.values["card"].text()
    )
    assert "请先将卡插入电表" in page.panel.warning.text()


def test_after_a_refund_the_sale_page_shows_the_emptied_meter(qtbot, page, world, card, runner):
    """GIVEN 5-308 on the sale page with 84.99 kWh left in the meter WHEN the room is cleared and
    refunded on the refund page and the cashier comes back to the sale page THEN it shows the meter
    emptied, not the old remaining energy; reading the card again says the same."""
    s = page.ctx.session
    s.top_up(account_no="D-5-308", amount_fen=5_000)
    world.sim.insert_into_meter(card)
    world.clock.advance(minutes=5)
    world.sim.present_card(card)
    qtbot.keyClick(page.room.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.account is not None)
    assert "剩余 84.99 kWh" in page.panel.values["write_back"].text()

    s.issue_clear_card(account_no="D-5-308", reason="毕业离校", approval=world.approval("li"))
    world.sim.insert_into_meter(card)
    world.sim.present_card(card)
    s.complete_clear(account_no="D-5-308")
    s.refund_room(
        account_no="D-5-308", payee_name="王同学", payee_id="2022001", approval=world.approval("li")
    )
    page.activated()  # back on the sale page (F1)
    qtbot.waitUntil(lambda: "剩余 0.00 kWh" in page.panel.values["write_back"].text(), timeout=5000)
    page.reset()
    qtbot.keyClick(page.room.edit, Qt.Key.Key_Return)  # the card read again
    qtbot.waitUntil(lambda: page.account is not None)
    assert "剩余 0.00 kWh" in page.panel.values["write_back"].text()


def test_typed_room_is_checked_against_the_card(qtbot, page, world, ctx, runner):
    world.issue_card("D-5-309", ctx.session)  # the card of 5-309 on the reader
    page.room.set_text("5-308")
    qtbot.keyClick(page.room.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.room.error.isVisible())
    assert "卡与账户不符" in page.room.error.text() and "请放该账户的卡" in page.room.error.text()
    assert page.room.text() == "5-308" and page.account is None


def test_a_sale_not_recorded_tells_the_cashier_not_to_refund(qtbot, page, world, card, runner, monkeypatch):
    """GIVEN the card written and the commit failing (any database fault) WHEN the sale returns THEN
    the page says the card holds the energy, not to refund, with the write's number; the next card
    read records it."""
    from counter_app.ops import intent_kinds

    real = intent_kinds.committer_for

    def failing(kind):
        def commit(*args):
            raise RuntimeError("the disk went away")

        return commit

    monkeypatch.setattr(intent_kinds, "committer_for", failing)
    sell(qtbot, page)
    qtbot.waitUntil(lambda: "请勿退款" in page.message.text(), timeout=5000)
    intent_id = page.ctx.session.open_intents()[0].intent_id
    assert intent_id in page.message.text() and page.last_sale is None
    monkeypatch.setattr(intent_kinds, "committer_for", real)
    page.ctx.session.read_card()
    assert page.ctx.session.open_intents() == []


def test_reprint_says_已补打_only_when_the_copy_is_on_paper(qtbot, page, world, card, runner):
    """Issue 14 §3: with the paper out, Ctrl+P says the copy waits and why, not 已补打; with paper,
    已补打 — as the printer decoded it."""
    world.counter.devices.print_retry_s = 0.1
    world.counter.print_in_background(True)
    sell(qtbot, page)
    qtbot.waitUntil(lambda: page.last_sale is not None, timeout=5000)
    world.counter.wait_for_printing()
    receipt_no = page.last_sale.receipt_no
    world.sim.printer(paper_out=True)
    page.reprint()
    qtbot.waitUntil(lambda: receipt_no in page.message.text(), timeout=5000)
    assert "尚未打出" in page.message.text() and "（缺纸）" in page.message.text()
    assert "已补打" not in page.message.text()
    assert not any("补打" in text for text in world.sim.printed())
    world.sim.printer()
    qtbot.waitUntil(lambda: any("补打" in text for text in world.sim.printed()), timeout=5000)  # by itself
    page.reprint()
    qtbot.waitUntil(lambda: "已补打" in page.message.text(), timeout=5000)
    assert "第 2 次" in page.message.text()


def test_limits_are_checked_as_the_amount_is_typed(qtbot, page, world, card, runner):
    """GIVEN an account on screen WHEN a figure above the class maximum is typed (no Enter) THEN it is
    never quoted: the maximum is said next to the field, no energy, due or change is shown and the
    tender step is closed; a figure within the limits opens it again."""
    qtbot.keyClick(page.room.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.account is not None and page.amount.edit.hasFocus())
    qtbot.keyClicks(page.amount.edit, "99999999")
    qtbot.waitUntil(lambda: page.amount.error.isVisible(), timeout=5000)
    wait_idle(qtbot, runner)
    assert "上限 10000000.00 元" in page.amount.error.text()  # in yuan, not a raw field name in fen
    assert page.quote is None and page.energy.text() == ""
    assert page.due_label.text() == "—" and page.change_label.text() == "—"
    assert not page.tendered.isEnabled()
    assert page.amount.text() == "99999999" and page.amount.edit.hasFocus()  # kept, still typing there

    page.amount.edit.clear()
    qtbot.keyClicks(page.amount.edit, "2000.01")  # above the dorm maximum (setting max_top_up_fen.dorm)
    qtbot.waitUntil(lambda: "最高 2000.00 元" in page.amount.error.text(), timeout=5000)
    assert not page.tendered.isEnabled() and page.energy.text() == ""

    page.amount.edit.clear()
    qtbot.keyClicks(page.amount.edit, "5")  # below the minimum, also said at once
    qtbot.waitUntil(lambda: "最低" in page.amount.error.text(), timeout=5000)
    assert not page.tendered.isEnabled()

    page.amount.edit.clear()
    qtbot.keyClicks(page.amount.edit, "50")
    qtbot.waitUntil(lambda: page.quote is not None, timeout=5000)
    assert page.tendered.isEnabled() and not page.amount.error.isVisible()
    assert page.energy.text() == "84.99" and "50.00" in page.due_label.text()
    assert page.last_sale is None  # nothing sold by typing
