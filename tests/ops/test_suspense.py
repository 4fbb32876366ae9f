"""Suspense (DOMAIN "Counter operations" 6): an unfinished card write moved to suspense lets the
shift close with the cash held for the customer; rolled forward on a later shift, the sale is
counted once and no drawer is short or over."""

from __future__ import annotations

import pytest
from opstesting import make_world

from base.errors import UserFacingError


@pytest.fixture
def torn_sale(tmp_path):
    """A cash top-up whose card write was torn and whose customer left with the card."""
    world = make_world(tmp_path)
    s = world.login("zhang")
    s.open_shift(float_fen=0)
    serial = world.issue_card("D-5-308", s)
    world.sim.present_card(serial)
    world.sim.pull_card_at_byte(10)
    with pytest.raises(UserFacingError) as info:
        s.top_up(account_no="D-5-308", amount_fen=5_000, tendered_fen=5_000)
    world.sim.present_card(None)  # the customer is gone, with the card
    yield world, s, serial, info.value.intent_id
    world.close()


def test_suspense_lets_the_shift_close_and_the_sale_counts_once_when_rolled_forward(torn_sale):
    world, s, serial, intent_id = torn_sale
    with pytest.raises(UserFacingError) as info:
        s.close_shift(counted={10_000: 0})
    assert info.value.code == "PENDING_INTENTS"
    with pytest.raises(UserFacingError) as info:
        s.move_to_suspense(intent_id=intent_id, reason="顾客离开", approval=world.approval("zhang"))
    assert info.value.code == "SELF_APPROVAL"
    assert (
        s.move_to_suspense(intent_id=intent_id, reason="顾客离开", approval=world.approval()).state
        == "suspense"
    )
    first = s.close_shift(counted={5_000: 1})  # the 50 yuan is in the drawer, held for the customer
    assert (first.expected_fen, first.difference_fen) == (5_000, 0)

    s2 = world.login("zhang")
    s2.open_shift(float_fen=0)
    world.sim.present_card(serial)
    resolved = s2.resolve_suspense(intent_id=intent_id, action="roll_forward", approval=world.approval())
    assert resolved.state == "rolled_forward"
    world.sim.insert_into_meter(serial)
    assert world.sim.meter_state("M5308").remaining_ckwh == 8_499  # 50 yuan at 0.5883, loaded once
    second = s2.close_shift(counted={10_000: 0})
    assert (second.expected_fen, second.difference_fen) == (0, 0)  # no cash came in this shift
    assert s2.open_intents() == []


def test_a_suspense_refund_goes_to_a_form_never_to_a_drawer(torn_sale):
    world, s, serial, intent_id = torn_sale
    s.move_to_suspense(intent_id=intent_id, reason="顾客离开", approval=world.approval())
    s.close_shift(counted={5_000: 1})
    s2 = world.login("zhang")
    s2.open_shift(float_fen=0)
    assert (
        s2.resolve_suspense(intent_id=intent_id, action="refund", approval=world.approval()).state
        == "refunded"
    )
    closed = s2.close_shift(counted={10_000: 0})
    assert (closed.expected_fen, closed.difference_fen) == (0, 0)
    world.sim.present_card(serial)
    assert s2.read_card().purchase_counter == 0  # nothing was written to the card


def test_the_z_report_lists_the_suspense_and_the_reprints_and_x_reports_are_numbered(torn_sale):
    """Issue 14: the 监督人 checks the failed writes held in the drawer and every 补打 against the Z
    report; each 中途自查 says which one it is (the sheet lists them all)."""
    world, s, serial, intent_id = torn_sale
    s.move_to_suspense(intent_id=intent_id, reason="顾客离开", approval=world.approval())
    other = world.issue_card("D-5-309", s)  # D-5-308 stays held by its suspense item
    world.sim.present_card(other)
    sale = s.top_up(account_no="D-5-309", amount_fen=2_000, tendered_fen=2_000)
    s.reprint_receipt(receipt_no=sale.receipt_no)
    s.reprint_receipt(receipt_no=sale.receipt_no)
    before = len(world.sim.printed())
    s.x_report()
    s.x_report()
    first_x, second_x = world.sim.printed()[before:]
    assert "第1次" in first_x and "第2次" in second_x and "写卡失败挂账" in second_x
    s.close_shift(counted={5_000: 1, 2_000: 1})
    z = world.sim.printed()[-1]
    assert "班结" in z or "(Z)" in z
    reprint_line = next(line for line in z.splitlines() if sale.receipt_no in line and "次" in line)
    assert "2次" in reprint_line and "补打" in z and "1张" in z
    assert "写卡失败挂账" in z and "顾客离开" in z
    assert any(line.startswith("D-5-308") and "50.00" in line for line in z.splitlines())
