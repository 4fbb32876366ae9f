"""Room refund through the facade and the simulator (DOMAIN "Counter operations" 3 and 4):
the two visits of a clear, the refund valued independently here, WRITE_BACK_STALE, the manual
reading of a broken meter with two supervisors, closing a staff account."""

from __future__ import annotations

from fractions import Fraction

import pytest
from opstesting import make_world, set_columns
from refundtesting import audit_ok, count, rows, set_price

from base.errors import UserFacingError
from counter_app.ops import quota_owed
from db.models import Account, AccountEvent, LedgerEntry, LedgerMark
from db.models.refunds import RefundForm


@pytest.fixture
def world(tmp_path):
    w = make_world(tmp_path)
    yield w
    w.close()


def _selling(world, account_no="D-5-308"):
    s = world.login("zhang")
    s.open_shift(float_fen=50_000)
    return s, world.issue_card(account_no, s)


def _sell_and_load(world, s, serial, account_no, amount_fen):
    world.sim.present_card(serial)
    result = s.top_up(account_no=account_no, amount_fen=amount_fen)
    world.sim.insert_into_meter(serial)
    world.sim.present_card(serial)  # back on the reader
    world.clock.advance(minutes=5)
    return result


def _clear(world, s, serial, account_no):
    world.sim.present_card(serial)
    s.issue_clear_card(account_no=account_no, reason="毕业离校", approval=world.approval("li"))
    world.sim.insert_into_meter(serial)
    world.sim.present_card(serial)
    return s.complete_clear(account_no=account_no)


def _value(lines) -> int:
    return int(sum((Fraction(e * p, 10_000) for e, p in lines), Fraction(0)) // 1)


def test_two_visits_then_a_refund_valued_at_the_newest_prices(world):
    s, serial = _selling(world)
    first = _sell_and_load(world, s, serial, "D-5-308", 10_000)  # 169.98 kWh at 0.5883
    set_price(world, "dorm", 6_000)
    world.clock.advance(minutes=1)
    second = _sell_and_load(world, s, serial, "D-5-308", 5_000)  # 83.33 kWh at 0.6000
    world.sim.consume("M5308", 10_000)
    remaining = first.energy_ckwh + second.energy_ckwh - 10_000

    cleared = _clear(world, s, serial, "D-5-308")
    assert cleared.cleared_ckwh == remaining
    assert world.sim.meter_state("M5308").remaining_ckwh == 0
    card = s.read_card()
    assert card.kind == "user" and card.purchase_counter == 2  # the room goes on

    refund = s.refund_room(account_no="D-5-308", payee_name="王同学", payee_id="2022001",
                           approval=world.approval("li"))  # fmt: skip
    expected_lines = [(second.energy_ckwh, 6_000), (remaining - second.energy_ckwh, 5_883)]
    assert [(e, p) for e, p, _ in refund.lines] == expected_lines
    assert refund.refund_fen == _value(expected_lines) == 9_116
    assert (refund.refundable_ckwh, refund.free_left_ckwh, refund.flagged) == (remaining, 0, False)
    assert refund.form_no == "W01-REFUND-00000001"
    form = s.get_refund_form(form_no=refund.form_no)
    assert (form.maker, form.checker, form.refund_fen, form.payee_id) == ("zhang", "li", 9_116, "2022001")
    raised = rows(world, LedgerEntry, LedgerEntry.kind == "refund_raised")
    assert [(e.fen, e.tender, e.reference) for e in raised] == [(-9_116, None, refund.form_no)]
    assert "退款" in "\n".join(world.sim.printed())
    assert s.refund_form_pdf(form_no=refund.form_no).startswith(b"%PDF")
    # Selling goes on after the clear, and the same clear is never refunded twice.
    _sell_and_load(world, s, serial, "D-5-308", 2_000)
    with pytest.raises(UserFacingError) as refused:
        s.refund_room(
            account_no="D-5-308", payee_name="王同学", payee_id="2022001", approval=world.approval("li")
        )
    assert refused.value.code == "WRITE_BACK_STALE"
    assert audit_ok(world)


def test_free_energy_counts_as_used_first_and_is_never_refunded(world, monkeypatch):
    monkeypatch.setattr(
        quota_owed, "owed_allocations", lambda ctx, s, account: [quota_owed.Allocation(1, 4_000)]
    )
    monkeypatch.setattr(quota_owed, "record_free_delivery", lambda *a, **k: None)
    s, serial = _selling(world)
    sale = _sell_and_load(world, s, serial, "D-5-308", 10_000)
    assert sale.free_ckwh == 4_000
    world.sim.consume("M5308", 1_500)  # all from the free energy
    monkeypatch.setattr(quota_owed, "owed_allocations", lambda ctx, s, account: [])
    _clear(world, s, serial, "D-5-308")
    refund = s.refund_room(account_no="D-5-308", payee_name="王同学", payee_id="2022001",
                           approval=world.approval("li"))  # fmt: skip
    assert (refund.refundable_ckwh, refund.free_left_ckwh) == (sale.energy_ckwh, 2_500)
    assert refund.refund_fen == _value([(sale.energy_ckwh, 5_883)])


def test_complete_clear_before_the_meter_saw_the_card_is_stale(world):
    s, serial = _selling(world)
    _sell_and_load(world, s, serial, "D-5-308", 10_000)
    with pytest.raises(UserFacingError) as no_clear:
        s.refund_room(account_no="D-5-308", payee_name="王", payee_id="1", approval=world.approval("li"))
    assert no_clear.value.code == "WRITE_BACK_STALE"
    with pytest.raises(UserFacingError) as no_reason:
        s.issue_clear_card(account_no="D-5-308", reason=" ", approval=world.approval("li"))
    assert no_reason.value.code == "INPUT_INVALID"
    with pytest.raises(UserFacingError) as self_approved:
        s.issue_clear_card(account_no="D-5-308", reason="换表", approval=world.approval("zhang"))
    assert self_approved.value.code == "SELF_APPROVAL"
    info = s.issue_clear_card(account_no="D-5-308", reason="换表", approval=world.approval("li"))
    assert (info.account_no, info.card_serial) == ("D-5-308", serial)
    with pytest.raises(UserFacingError) as stale:
        s.complete_clear(account_no="D-5-308")
    assert stale.value.code == "WRITE_BACK_STALE"
    world.sim.insert_into_meter(serial)
    world.sim.present_card(serial)
    assert s.complete_clear(account_no="D-5-308").cleared_ckwh == 16_998
    assert count(world, AccountEvent, AccountEvent.kind == "cleared") == 1


def test_a_broken_meter_needs_two_different_supervisors_and_flags_unpriced_energy(world):
    # taken over from the old system with 50 kWh
    set_columns(world, Account, Account.account_no == "S-12-101", legacy_balance_ckwh=5_000)
    s, serial = _selling(world, "S-12-101")
    first = _sell_and_load(world, s, serial, "S-12-101", 10_000)  # at 0.5383
    set_price(world, "staff", 6_000)
    world.clock.advance(minutes=1)
    second = _sell_and_load(world, s, serial, "S-12-101", 5_000)
    world.sim.break_meter("M12101")
    reading = first.energy_ckwh + second.energy_ckwh + 1_000
    ask = dict(account_no="S-12-101", payee_name="张老师", payee_id="T001", payee_account="6222000011112222",
               manual_reading_ckwh=reading, reason="电表损坏，人工抄表", approval=world.approval("li"))  # fmt: skip
    with pytest.raises(UserFacingError) as one:
        s.refund_room(**ask)
    assert one.value.code == "APPROVAL_REQUIRED"
    with pytest.raises(UserFacingError) as same:
        s.refund_room(**ask, second_approval=world.approval("li"))
    assert same.value.code == "APPROVAL_INVALID"
    assert count(world, RefundForm) == 0 and count(world, LedgerEntry, LedgerEntry.kind == "cleared") == 0
    refund = s.refund_room(**ask, second_approval=world.approval("wang"))
    expected = [(second.energy_ckwh, 6_000), (first.energy_ckwh, 5_383), (1_000, 5_383)]
    assert [(e, p) for e, p, _ in refund.lines] == expected and refund.flagged
    assert refund.refund_fen == _value(expected)
    assert count(world, LedgerMark, LedgerMark.kind == "unpriced_energy") == 1
    form = s.get_refund_form(form_no=refund.form_no)
    assert (form.checker, form.second_checker, form.payee_account) == ("li", "wang", "6222000011112222")
    assert audit_ok(world)


def test_closing_a_staff_account_needs_the_clear_and_the_refund(world):
    s, serial = _selling(world, "S-12-101")
    _sell_and_load(world, s, serial, "S-12-101", 10_000)

    def close():
        with pytest.raises(UserFacingError) as refused:
            s.close_account(account_no="S-12-101", approval=world.approval("li"))
        return refused.value.code

    assert close() == "NOT_CLEARED"
    _clear(world, s, serial, "S-12-101")
    assert close() == "NOT_CLEARED"
    s.refund_room(account_no="S-12-101", payee_name="张老师", payee_id="T001", approval=world.approval("li"))
    info = s.close_account(account_no="S-12-101", approval=world.approval("li"))
    assert info.status == "closed"
    assert count(world, AccountEvent, AccountEvent.kind == "closed") == 1
    with pytest.raises(UserFacingError) as dorm:
        s.close_account(account_no="D-5-308", approval=world.approval("li"))
    assert dorm.value.code == "INPUT_INVALID"
    assert audit_ok(world)


def test_a_clear_in_the_same_second_as_the_load_is_genuine_and_an_unseen_one_stays_stale(world):
    """Issue 12: nothing used between the load and the clear and both write-backs stamped in the same
    second: the figures and the time are equal, but the event ("loaded" → "cleared") differs, so the
    clear is accepted. A clear card the meter has not seen is still refused."""
    s, serial = _selling(world)
    world.sim.present_card(serial)
    sale = s.top_up(account_no="D-5-308", amount_fen=10_000)
    world.sim.insert_into_meter(serial)  # loaded at T
    world.sim.present_card(serial)
    s.issue_clear_card(account_no="D-5-308", reason="毕业离校", approval=world.approval("li"))
    with pytest.raises(UserFacingError) as stale:
        s.complete_clear(account_no="D-5-308")  # the card still carries the "loaded" write-back
    assert stale.value.code == "WRITE_BACK_STALE"
    world.sim.insert_into_meter(serial)  # cleared at the same T, nothing used
    world.sim.present_card(serial)
    assert s.complete_clear(account_no="D-5-308").cleared_ckwh == sale.energy_ckwh
    assert count(world, AccountEvent, AccountEvent.kind == "cleared") == 1
