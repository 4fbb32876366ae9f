"""Same-day corrections (更正，作废重开, DOMAIN "Counter operations" 5) through the facade."""

from __future__ import annotations

import pytest
from opstesting import make_world
from refundtesting import audit_ok, count, rows

from base.errors import UserFacingError
from counter_app.prompts import ScriptedPrompts
from db.models import LedgerEntry, ReceiptEvent


@pytest.fixture
def world(tmp_path):
    w = make_world(tmp_path)
    yield w
    w.close()


@pytest.fixture
def sold(world):
    s = world.login("zhang")
    s.open_shift(float_fen=50_000)
    serial = world.issue_card("D-5-308", s)
    sale = s.top_up(account_no="D-5-308", amount_fen=10_000, tendered_fen=10_000)
    return world, s, serial, sale


def _refused(call, **kwargs) -> str:
    with pytest.raises(UserFacingError) as refused:
        call(**kwargs)
    return refused.value.code


def test_an_unloaded_purchase_is_rewritten_under_the_same_counter(sold):
    world, s, serial, sale = sold
    new = s.correct(
        receipt_no=sale.receipt_no, reason="金额输错", approval=world.approval("li"), amount_fen=5_000
    )
    assert (new.amount_fen, new.energy_ckwh, new.purchase_counter) == (5_000, 8_499, 1)
    assert new.receipt_no == "W01-00000002" and new.change_fen == 5_000
    world.sim.insert_into_meter(serial)
    assert world.sim.meter_state("M5308").remaining_ckwh == 8_499  # only the corrected energy
    entries = rows(world, LedgerEntry, LedgerEntry.kind.in_(("sale", "void", "correction")))
    assert [(e.kind, e.fen, e.energy_ckwh) for e in entries] == [
        ("sale", 10_000, 16_998), ("void", -10_000, -16_998), ("correction", 5_000, 8_499)]  # fmt: skip
    assert entries[1].corrects_entry_id == entries[0].id == entries[2].corrects_entry_id
    assert entries[1].charge == entries[0].charge
    assert count(world, ReceiptEvent, ReceiptEvent.kind == "voided") == 1
    printed = "\n".join(world.sim.printed())
    assert "作废" in printed and "W01-00000002" in printed
    assert _refused(s.correct, receipt_no=sale.receipt_no, reason="再改", approval=world.approval("li"),
                    amount_fen=3_000) == "INPUT_INVALID"  # fmt: skip
    assert audit_ok(world)


def test_a_loaded_purchase_cannot_be_voided(sold):
    world, s, serial, sale = sold
    world.sim.insert_into_meter(serial)
    world.sim.present_card(serial)
    assert _refused(s.correct, receipt_no=sale.receipt_no, reason="金额输错", approval=world.approval("li"),
                    amount_fen=5_000) == "ALREADY_LOADED"  # fmt: skip
    assert count(world, LedgerEntry, LedgerEntry.kind == "void") == 0


def test_the_next_day_and_self_approval_are_refused(sold):
    world, s, _, sale = sold
    ask = dict(receipt_no=sale.receipt_no, reason="金额输错", amount_fen=5_000)
    assert _refused(s.correct, **ask, approval=world.approval("zhang")) == "SELF_APPROVAL"
    assert _refused(s.correct, **ask, approval=None) == "APPROVAL_REQUIRED"
    world.clock.advance(days=1)
    assert _refused(s.correct, **ask, approval=world.approval("li")) == "CORRECTION_NOT_SAME_DAY"
    assert count(world, LedgerEntry, LedgerEntry.kind == "void") == 0


def test_a_wrong_room_is_voided_on_its_card_and_sold_on_the_right_one(world):
    s = world.login("zhang")
    s.open_shift(float_fen=50_000)
    right = world.issue_card("D-5-308", s)
    wrong = world.issue_card("D-5-309", s)
    sale = s.top_up(account_no="D-5-309", amount_fen=10_000)
    prompts = ScriptedPrompts(yes_no=[True], on_message=lambda text: world.sim.present_card(right))
    new = s.correct(receipt_no=sale.receipt_no, reason="房间号错", approval=world.approval("li"),
                    account_no="D-5-308", prompts=prompts)  # fmt: skip
    assert (new.amount_fen, new.energy_ckwh, new.purchase_counter) == (10_000, 16_998, 1)
    world.sim.insert_into_meter(wrong)
    world.sim.insert_into_meter(right)
    assert world.sim.meter_state("M5309").remaining_ckwh == 0
    assert world.sim.meter_state("M5308").remaining_ckwh == 16_998
    entries = rows(world, LedgerEntry, LedgerEntry.kind.in_(("sale", "void", "correction")))
    assert [(e.kind, e.fen) for e in entries] == [("sale", 10_000), ("void", -10_000), ("correction", 10_000)]
    assert entries[1].account_id == entries[0].account_id != entries[2].account_id
    assert audit_ok(world)


def test_a_wrong_room_without_prompts_resumes_with_the_right_card(world):
    s = world.login("zhang")
    s.open_shift(float_fen=50_000)
    right = world.issue_card("D-5-308", s)
    world.issue_card("D-5-309", s)
    sale = s.top_up(account_no="D-5-309", amount_fen=10_000)
    ask = dict(receipt_no=sale.receipt_no, reason="房间号错", account_no="D-5-308")
    with pytest.raises(UserFacingError) as stopped:
        s.correct(**ask, approval=world.approval("li"))
    assert stopped.value.code == "CARD_MISMATCH" and stopped.value.data["resume"]
    world.sim.present_card(right)
    assert s.correct(**ask, approval=world.approval("li")).energy_ckwh == 16_998
    assert count(world, LedgerEntry, LedgerEntry.kind == "correction") == 1
