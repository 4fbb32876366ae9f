"""Single-operator mode across the operations (DOMAIN "Holidays"; counter_app/ops/holiday.py):
every co-signed operation registered there queues, re-runs exactly once with the approval given on
the staffed day, and writes nothing while queued; operations that need no co-signature but are
neither top-ups nor bill payments are refused; top-ups still go through."""

from __future__ import annotations

import pytest
from cardops_testing import audit_ok, sell
from opstesting import make_world
from quotatesting import count, set_setting

from base.errors import UserFacingError
from db.models import Account, AccountEvent, Card, LedgerEntry
from db.models.queue import QueueResolution
from db.models.refunds import RefundForm


@pytest.fixture
def world(tmp_path):
    w = make_world(tmp_path)
    yield w
    w.close()


@pytest.fixture
def shift(world):
    """zhang's shift with the two dorm cards issued (issuing is refused once alone)."""
    s = world.login("zhang")
    s.open_shift(float_fen=50_000)
    serials = {no: world.issue_card(no, s) for no in ("D-5-308", "D-5-309")}
    return s, serials


def alone(world) -> None:
    set_setting(world, "single_operator_mode", True)


def queued(call, **kwargs) -> int:
    with pytest.raises(UserFacingError) as err:
        call(**kwargs)
    assert err.value.code == "QUEUED", err.value
    return err.value.queue_id


def run_once(world, queue_id):
    """The staffed day: li approves; a second run of the same entry is refused."""
    li = world.login("li")
    result = li.approve_queued(queue_id=queue_id, approval=world.approval("li"))
    with pytest.raises(UserFacingError) as again:
        li.approve_queued(queue_id=queue_id, approval=world.approval("li"))
    assert again.value.code == "INPUT_INVALID"
    assert count(world, QueueResolution, QueueResolution.queue_id == queue_id) == 1
    return result


def refused(code, call, **kwargs):
    with pytest.raises(UserFacingError) as err:
        call(**kwargs)
    assert err.value.code == code, err.value
    return err.value


def test_confirm_class_queues_and_runs_once(world, shift):
    s, _ = shift
    alone(world)
    qid = queued(s.confirm_class, account_no="S-12-101", cls="business")
    assert s.find_account(account_no="S-12-101").cls == "staff"
    assert run_once(world, qid).cls == "business"
    assert count(world, AccountEvent, AccountEvent.kind == "class_changed") == 1
    assert audit_ok(world)


def test_tool_card_and_meter_replacement_queue_with_the_card_on_the_reader(world, shift):
    s, _ = shift
    alone(world)
    tool = world.sim.new_blank_card()
    world.sim.present_card(tool)
    qid = queued(s.issue_tool_card, kind="check", meter_no="M5308")
    assert count(world, Card, Card.serial == tool) == 0
    assert run_once(world, qid).card_serial == tool

    blank = world.sim.new_blank_card()
    world.sim.present_card(blank)
    qid = queued(s.replace_meter, account_no="D-5-308", new_meter_no="M5308B", carried_ckwh=1_000)
    assert s.find_account(account_no="D-5-308").meter_no == "M5308"
    assert run_once(world, qid).parameter_card_serial == blank
    assert s.find_account(account_no="D-5-308").meter_no == "M5308B"
    assert count(world, LedgerEntry, LedgerEntry.kind == "carried") == 1
    assert audit_ok(world)


def test_clear_refund_and_close_queue_and_a_manual_reading_refund_does_not(world):
    s = world.login("zhang")
    s.open_shift(float_fen=50_000)
    serial = world.issue_card("S-12-101", s)
    sell(world, s, "S-12-101", serial)
    world.sim.insert_into_meter(serial)
    world.clock.advance(minutes=5)
    alone(world)

    world.sim.present_card(serial)
    qid = queued(s.issue_clear_card, account_no="S-12-101", reason="调离")
    assert run_once(world, qid).card_serial == serial  # the card stayed on the reader
    world.sim.insert_into_meter(serial)
    world.sim.present_card(serial)
    s.complete_clear(account_no="S-12-101")  # the second visit of an approved clear: allowed

    manual = refused("APPROVAL_REQUIRED", s.refund_room, account_no="S-12-101", payee_name="张老师",
                     payee_id="T001", manual_reading_ckwh=100, reason="表坏")  # fmt: skip
    assert manual.queue_id is None  # two supervisors needed: never queued
    qid = queued(s.refund_room, account_no="S-12-101", payee_name="张老师", payee_id="T001")
    assert count(world, RefundForm) == 0
    assert run_once(world, qid).refund_fen > 0
    assert count(world, RefundForm) == 1

    qid = queued(s.close_account, account_no="S-12-101")
    assert run_once(world, qid).status == "closed"
    assert audit_ok(world)


def test_a_correction_queues_and_the_same_day_rule_holds_at_the_re_run(world, shift):
    s, serials = shift
    first = sell(world, s, "D-5-308", serials["D-5-308"], amount_fen=10_000)
    second = sell(world, s, "D-5-309", serials["D-5-309"], amount_fen=10_000)
    alone(world)

    world.sim.present_card(serials["D-5-308"])
    qid = queued(s.correct, receipt_no=first.receipt_no, reason="多输了", amount_fen=5_000)
    result = run_once(world, qid)
    assert result.amount_fen == 5_000 and result.change_fen == 5_000
    assert count(world, LedgerEntry, LedgerEntry.kind == "void") == 1

    world.sim.present_card(serials["D-5-309"])
    late = queued(s.correct, receipt_no=second.receipt_no, reason="多输了", amount_fen=5_000)
    world.clock.advance(days=1)  # the next staffed day: too late for a same-day correction
    with pytest.raises(UserFacingError) as err:
        world.login("li").approve_queued(queue_id=late, approval=world.approval("li"))
    assert err.value.code == "CORRECTION_NOT_SAME_DAY"
    assert count(world, QueueResolution, QueueResolution.queue_id == late) == 0
    assert count(world, LedgerEntry, LedgerEntry.kind == "void") == 1
    assert audit_ok(world)


def test_suspense_and_its_resolution_queue(world, shift, monkeypatch):
    s, serials = shift
    from counter_app.ops import card_writes

    def lose_commit(ctx, intent_id, *, recovered):
        raise RuntimeError("power cut")

    world.sim.present_card(serials["D-5-308"])
    monkeypatch.setattr(card_writes, "commit_intent", lose_commit)
    with pytest.raises(RuntimeError):
        s.top_up(account_no="D-5-308", amount_fen=2_000)
    monkeypatch.undo()
    world.sim.present_card(None)  # the customer left with the card
    (open_one,) = s.open_intents()
    alone(world)

    qid = queued(s.move_to_suspense, intent_id=open_one.intent_id, reason="顾客已离开")
    assert s.open_intents()[0].state == open_one.state
    assert run_once(world, qid).state == "suspense"
    assert count(world, LedgerEntry, LedgerEntry.kind == "suspense") == 1

    qid = queued(s.resolve_suspense, intent_id=open_one.intent_id, action="refund")
    run_once(world, qid)
    assert s.open_intents() == []
    assert audit_ok(world)


def test_alone_only_top_ups_and_bill_payments_run_without_a_co_signature(world, shift):
    s, serials = shift
    alone(world)
    blank = world.sim.new_blank_card()
    world.sim.present_card(blank)
    before = (count(world, Card), count(world, AccountEvent))
    for call, kwargs in (
        (s.issue_card, {"account_no": "S-12-101"}),
        (s.replace_card, {"account_no": "D-5-309"}),
        (s.change_holder, {"account_no": "S-12-101", "holder": "王老师", "phone": None, "handover_ckwh": 0}),
        (s.open_account, {"room_code": "12-102", "cls": "staff", "meter_no": "M12102", "holder": "赵老师"}),
    ):
        error = refused("ROLE_FORBIDDEN", call, **kwargs)
        assert error.data["single_operator_mode"] is True
    assert (count(world, Card), count(world, AccountEvent)) == before
    assert count(world, Account, Account.status == "closed") == 0
    sale = sell(world, s, "D-5-308", serials["D-5-308"])  # a top-up goes through
    assert s.report_lost_card(account_no="D-5-309").account_no == "D-5-309"  # 挂失 protects at once
    assert sale.receipt_no == "W01-00000001"
