"""挂失 and 补卡 through the facade: the lost card is refused for sale; the replacement continues
the counter, carries an unloaded purchase (the meter loads it exactly once) and charges the fee."""

from __future__ import annotations

from datetime import datetime

import pytest
from cardops_testing import audit_ok, rows, sell
from opstesting import START, make_world

from base.errors import UserFacingError
from counter_app.ops.common import add_audited
from db.models import AccountEvent, Card, CardEvent, Fee, LedgerEntry, Receipt


@pytest.fixture
def world(tmp_path):
    w = make_world(tmp_path)
    yield w
    w.close()


def set_card_fee(world, fen: int) -> None:
    ctx = world.login("admin").ctx
    with ctx.uow() as s:
        fee = Fee(kind="card", fen=fen, effective_from=datetime(2026, 1, 1, tzinfo=START.tzinfo), basis="校发〔2026〕2号",
                  set_by=ctx.operator_id, created_at=ctx.now())  # fmt: skip
        add_audited(ctx, s, fee, "fee.set", fee_kind="card", fen=fen)


def card_status(world, serial):
    return rows(world, Card, Card.serial == serial)[0].status


def test_lost_card_is_blacklisted_at_once_and_refused_for_sale(world):
    s = world.login("zhang")
    s.open_shift(float_fen=50_000)
    lost = world.issue_card("D-5-308", session=s)
    info = s.report_lost_card(account_no="D-5-308")
    assert info.card_serial == lost and card_status(world, lost) == "lost"
    with pytest.raises(UserFacingError) as err:
        sell(world, s, "D-5-308", lost)
    assert err.value.code == "CARD_BLACKLISTED"
    assert rows(world, LedgerEntry) == []
    s.report_lost_card(account_no="D-5-308")  # a second report changes nothing
    (card,) = rows(world, Card, Card.serial == lost)
    assert [e.kind for e in rows(world, CardEvent, CardEvent.card_id == card.id)] == [
        "received",
        "issued",
        "reported_lost",
    ]


def test_replacement_continues_the_counter_and_carries_the_unloaded_purchase(world):
    s = world.login("zhang")
    s.open_shift(float_fen=50_000)
    lost = world.issue_card("D-5-308", session=s)
    first = sell(world, s, "D-5-308", lost)
    world.sim.insert_into_meter(lost)
    second = sell(world, s, "D-5-308", lost, amount_fen=5_883)  # not loaded when the card is lost
    assert second.purchase_counter == 2
    s.report_lost_card(account_no="D-5-308")

    new = world.sim.new_blank_card()
    world.sim.present_card(new)
    info = s.replace_card(account_no="D-5-308")
    assert (info.card_serial, info.purchase_counter, info.loaded, info.receipt_no) == (new, 2, False, None)
    read = s.read_card()
    assert (read.account_no, read.purchase_counter, read.loaded) == ("D-5-308", 2, False)
    assert s.find_account(account_no="D-5-308").card_serial == new

    world.sim.insert_into_meter(new)
    loaded = world.sim.meter_state("M5308")
    assert (loaded.counter, loaded.remaining_ckwh) == (2, first.energy_ckwh + second.energy_ckwh)
    world.sim.insert_into_meter(new)  # again, and the found lost card: nothing more loads
    world.sim.insert_into_meter(lost)
    assert world.sim.meter_state("M5308").remaining_ckwh == loaded.remaining_ckwh

    third = sell(world, s, "D-5-308", new)
    assert third.purchase_counter == 3
    assert card_status(world, lost) == "lost" and card_status(world, new) == "issued"
    (acc_event,) = rows(world, AccountEvent, AccountEvent.kind == "card_replaced")
    assert acc_event.data["carried_ckwh"] == second.energy_ckwh and acc_event.data["lost_serial"] == lost
    assert audit_ok(world)


def test_a_purchase_already_loaded_is_not_loaded_twice(world):
    s = world.login("zhang")
    s.open_shift(float_fen=50_000)
    lost = world.issue_card("D-5-308", session=s)
    sale = sell(world, s, "D-5-308", lost)
    world.sim.insert_into_meter(lost)  # loaded, but the counter has not seen the write-back
    s.report_lost_card(account_no="D-5-308")
    new = world.sim.new_blank_card()
    world.sim.present_card(new)
    s.replace_card(account_no="D-5-308")
    world.sim.insert_into_meter(new)
    assert world.sim.meter_state("M5308").remaining_ckwh == sale.energy_ckwh
    assert sell(world, s, "D-5-308", new).purchase_counter == 2


def test_replacement_fee_is_charged_with_a_receipt(world):
    set_card_fee(world, 1_000)
    s = world.login("zhang")
    lost = world.issue_card("S-12-101", session=s)
    new = world.sim.new_blank_card()
    world.sim.present_card(new)
    with pytest.raises(UserFacingError) as err:
        s.replace_card(account_no="S-12-101")  # a fee needs an open shift
    assert err.value.code == "SHIFT_NOT_OPEN"
    s.open_shift(float_fen=50_000)
    with pytest.raises(UserFacingError) as err:
        s.replace_card(account_no="S-12-101", tender="wechat")
    assert err.value.code == "INPUT_INVALID"
    info = s.replace_card(account_no="S-12-101", tender="wechat", reference="WX123")
    assert info.receipt_no and info.purchase_counter == 0 and info.card_serial == new
    (entry,) = rows(world, LedgerEntry, LedgerEntry.kind == "fee_payment")
    assert (entry.fen, entry.charge, entry.tender, entry.reference) == (1_000, "card", "wechat", "WX123")
    (receipt,) = rows(world, Receipt, Receipt.receipt_no == info.receipt_no)
    assert (receipt.kind, receipt.amount_fen, receipt.id) == ("fee", 1_000, entry.receipt_id)
    assert any("补卡费" in text for text in world.sim.printed())
    assert card_status(world, lost) == "lost"  # replaced without 挂失: blacklisted by the replacement
    assert audit_ok(world)


def test_replace_card_refusals(world):
    s = world.login("zhang")
    world.sim.present_card(world.sim.new_blank_card())
    with pytest.raises(UserFacingError) as err:
        s.replace_card(account_no="D-5-309")  # no card yet: issue_card
    assert err.value.code == "INPUT_INVALID"
    lost = world.issue_card("D-5-309", session=s)
    s.report_lost_card(account_no="D-5-309")
    world.sim.present_card(lost)
    with pytest.raises(UserFacingError) as err:
        s.replace_card(account_no="D-5-309")
    assert err.value.code in ("CARD_BLACKLISTED", "INPUT_INVALID")
    other = world.issue_card("D-5-308", session=s)
    world.sim.present_card(other)
    with pytest.raises(UserFacingError) as err:
        s.replace_card(account_no="D-5-309")
    assert err.value.code == "INPUT_INVALID"
    assert rows(world, AccountEvent, AccountEvent.kind == "card_replaced") == []
