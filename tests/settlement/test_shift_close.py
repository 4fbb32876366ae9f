"""Blind close, differences, open intents, the lock, X and Z reports."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select, text

from base.errors import ApprovalRequired, InputInvalid, PendingIntents, ShiftClosed, UserFacingError
from counter_app import queueing
from counter_app.approvals import Approval
from counter_app.queueing import Queueable
from counter_app.settings import put_setting
from counter_app.settlement import closing, printouts, shift_close
from db.models import CardWriteIntent, IntentEvent, ShiftClosure
from db.models.settlement import SettlementSheet, ZReport
from settlement.conftest import EXPECTED_CASH, PASSWORD, standard_shift, work


def _declare(w, shift_id, counted):
    with work(w.engine, w.keys) as s:
        return shift_close.declare_count(w.ctx(w.people.cashier), s, shift_id=shift_id, counted=counted)


def _close(w, shift_id, **kw):
    with work(w.engine, w.keys) as s:
        return closing.close_shift(w.ctx(w.people.cashier), s, shift_id=shift_id, **kw)


EXACT = {10000: 2, 5000: 1, 2000: 2, 500: 1, 100: 3}  # 29800 fen


def test_expected_cash_matches_independent_sql(world):
    shift_id = standard_shift(world)
    with world.engine.connect() as c:
        sql = text("""SELECT s.float_fen + COALESCE((SELECT SUM(fen) FROM ledger_entries WHERE shift_id = s.id
                      AND tender = 'cash' AND kind IN ('sale','correction','bill_payment','fee_payment',
                      'back_charge_payment','void','suspense','suspense_resolved')), 0) FROM shifts s WHERE s.id = :id""")
        assert c.execute(sql, {"id": shift_id}).scalar_one() == EXPECTED_CASH
    _declare(world, shift_id, EXACT)
    info = _close(world, shift_id)
    assert (info.expected_fen, info.counted_fen, info.difference_fen) == (EXPECTED_CASH, 29800, 0)


def test_close_before_count_is_refused_and_count_reveals_nothing(world):
    shift_id = standard_shift(world)
    with pytest.raises(InputInvalid) as refused:
        _close(world, shift_id)
    assert refused.value.field == "counted"
    assert _declare(world, shift_id, EXACT) == 29800  # the counted total, nothing about expected
    assert _declare(world, shift_id, EXACT) == 29800  # the same count again is harmless
    with pytest.raises(InputInvalid):  # a recount after the fact is not
        _declare(world, shift_id, {10000: 3})


@pytest.mark.parametrize(
    "counted",
    [{"1OO": 1}, {10000: -1}, {10000: "x"}, {300: 1}, {10000: 1.5}, {"abc": "1"}, {}, {10000: True}],
)
def test_a_count_with_letters_negatives_or_unknown_notes_is_refused(counted):
    with pytest.raises(InputInvalid):
        shift_close.parse_counted(counted)


def test_count_as_typed_text_is_accepted():
    assert shift_close.parse_counted({"10000": "2", "100": 3}) == {10000: 2, 100: 3}


def test_difference_needs_reason_and_above_limit_approval(world):
    shift_id = standard_shift(world)
    _declare(world, shift_id, {10000: 2, 5000: 1, 2000: 1, 500: 1, 100: 3})  # 27800: short 2000
    with pytest.raises(InputInvalid) as no_reason:
        _close(world, shift_id)
    assert no_reason.value.field == "difference_reason"
    with pytest.raises(ApprovalRequired):
        _close(world, shift_id, difference_reason="找零错误")
    info = _close(world, shift_id, difference_reason="找零错误", approval=Approval("li", PASSWORD))
    assert info.difference_fen == -2000
    with world.engine.connect() as c:
        row = c.execute(text("SELECT difference_fen, approval_id FROM shift_closures WHERE shift_id = :i"),
                        {"i": shift_id}).one()  # fmt: skip
    assert row.difference_fen == -2000 and row.approval_id is not None


def test_small_difference_needs_no_approval(world):
    shift_id = standard_shift(world)
    _declare(world, shift_id, {10000: 2, 5000: 1, 2000: 2, 500: 1, 100: 3, 50: 1})  # over by 50 fen
    assert _close(world, shift_id, difference_reason="多收").difference_fen == 50


def test_close_refused_while_card_writes_are_open_naming_them(world):
    shift_id = standard_shift(world)
    open_id, done_id = str(uuid.uuid4()), str(uuid.uuid4())
    with work(world.engine, world.keys) as s:
        for intent_id in (open_id, done_id):
            s.add(CardWriteIntent(intent_id=intent_id, account_id=world.dorm_account, card_serial="C1",
                                  purchase_counter=3, amount_fen=1000, energy_ckwh=2000, shift_id=shift_id,
                                  operator_id=world.people.cashier, workstation_id=world.workstation_id,
                                  created_at=world.clock(), payload={}))  # fmt: skip
        s.flush()
        s.add(IntentEvent(intent_id=done_id, state="committed", at=world.clock()))
    _declare(world, shift_id, EXACT)
    with pytest.raises(PendingIntents) as refused:
        _close(world, shift_id)
    assert [i["intent_id"] for i in refused.value.data["intents"]] == [open_id]
    with work(world.engine, world.keys) as s:
        s.add(IntentEvent(intent_id=open_id, state="suspense", at=world.clock()))  # moved to suspense
    assert _close(world, shift_id).difference_fen == 0


def test_shift_is_locked_after_close(world):
    shift_id = standard_shift(world)
    with work(world.engine, world.keys) as s:
        shift_close.require_open_shift(s, shift_id)
    _declare(world, shift_id, EXACT)
    _close(world, shift_id)
    with work(world.engine, world.keys) as s, pytest.raises(ShiftClosed):
        shift_close.require_open_shift(s, shift_id)
    with pytest.raises(ShiftClosed):
        _close(world, shift_id)


def test_x_report_totals_logged_and_blind(world):
    shift_id = standard_shift(world)
    with work(world.engine, world.keys) as s:
        totals = shift_close.x_report(world.ctx(world.people.cashier), s, shift_id=shift_id)
        data = printouts.x_printout(
            s, shift_id=shift_id, totals=totals, at=world.clock(), centre_name="能源中心"
        )
    assert totals.by_tender == {"cash": 9800, "wechat": 10000}
    assert totals.by_charge == {"dorm": 5000, "owner": 10800, "repair": 3000, "card_fee": 1000}
    assert totals.voids == 1 and totals.free_ckwh == 1000
    text_out = data.decode("gb18030", errors="replace")
    assert "应有" not in text_out and "长短款" not in text_out
    with world.engine.connect() as c:
        assert (
            c.execute(text("SELECT COUNT(*) FROM x_report_log WHERE shift_id = :i"), {"i": shift_id}).scalar()
            == 1
        )


def test_z_report_is_numbered_and_carries_the_audit_head(world):
    shift_id = standard_shift(world)
    _declare(world, shift_id, EXACT)
    info = _close(world, shift_id)
    with work(world.engine, world.keys) as s:
        z = s.scalar(select(ZReport).where(ZReport.shift_id == shift_id))
        sheet = s.scalar(select(SettlementSheet).where(SettlementSheet.shift_id == shift_id))
        closure = s.scalar(select(ShiftClosure).where(ShiftClosure.shift_id == shift_id))
        first = printouts.z_printout(s, shift_id=shift_id)
        again = printouts.z_printout(s, shift_id=shift_id)
    assert z.z_no == "W01-Z-00000001" and sheet.sheet_no == info.sheet_no == "W01-SHEET-00000001"
    assert sheet.content["audit_head"] == z.audit_head and closure.expected_fen == EXPECTED_CASH
    assert z.audit_head[:24].encode() in first and first == again  # the head wraps at 32 columns


def test_the_close_difference_is_approved_through_ctx_approve_and_its_queue_hook(world, monkeypatch):
    """No path of the close calls approvals.approve past the single-operator hook: were the kind
    queueable, the close would be queued whatever approval it brought."""
    shift_id = standard_shift(world)
    with work(world.engine, world.keys) as s:
        put_setting(s, "single_operator_mode", True, set_by=world.people.admin)
    _declare(world, shift_id, {10000: 2, 5000: 1, 2000: 1, 500: 1, 100: 3})  # 27800: short 2000
    queueable = Queueable(closing.CLOSE_APPROVAL_KIND, lambda ctx, payload, approval: None, lambda p: "结账")
    monkeypatch.setitem(queueing.QUEUEABLE, closing.CLOSE_APPROVAL_KIND, queueable)
    with pytest.raises(UserFacingError) as queued:
        _close(world, shift_id, difference_reason="找零错误", approval=Approval("li", PASSWORD))
    assert queued.value.code == "QUEUED"
    monkeypatch.delitem(queueing.QUEUEABLE, closing.CLOSE_APPROVAL_KIND)  # as shipped: not queueable
    with pytest.raises(ApprovalRequired):
        _close(world, shift_id, difference_reason="找零错误")
    info = _close(world, shift_id, difference_reason="找零错误", approval=Approval("li", PASSWORD))
    assert info.difference_fen == -2000
