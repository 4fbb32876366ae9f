"""Single-operator holiday mode (DOMAIN "Holidays"): a co-signed operation is queued, approved on
a staffed day it re-runs exactly the stored operation, and the maker cannot approve it."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from opstesting import make_world
from quotatesting import add_price_row, audit_ok, count, set_setting

from base.clock import BUSINESS_TZ
from base.errors import ApprovalRequired, UserFacingError
from counter_app.queueing import QUEUEABLE, queue_empty
from counter_app.settlement.closing import CLOSE_APPROVAL_KIND
from db.models import ShiftClosure, Tariff
from db.models.notices import Notice
from db.models.queue import QueuedOperation
from db.models.quota import QuotaBatchApproval
from db.models.security import Approval as ApprovalRow
from db.session import unit_of_work


@pytest.fixture
def world(tmp_path):
    w = make_world(tmp_path)
    set_setting(w, "single_operator_mode", True)
    yield w
    w.close()


def _queue_empty(world, on) -> bool:
    with unit_of_work(world.counter.engine, read_only=True) as s:
        return queue_empty(s, on)


def test_a_co_signed_operation_is_queued_then_approved_later_exactly_as_stored(world):
    zhang = world.login("zhang")
    draft = zhang.prepare_quota_batch(period="2026-11", buildings=["5"])
    approvals_before = count(world, ApprovalRow)
    with pytest.raises(UserFacingError) as err:
        zhang.approve_quota_batch(batch_id=draft.batch_id)
    assert err.value.code == "QUEUED" and err.value.queue_id is not None
    assert count(world, QuotaBatchApproval) == 0 and count(world, ApprovalRow) == approvals_before
    (queued,) = zhang.queued_operations()
    assert (queued.queue_id, queued.kind, queued.maker) == (
        err.value.queue_id,
        "quota.approve_batch",
        "zhang",
    )
    assert not _queue_empty(world, date(2026, 11, 23))

    world.clock.set(datetime(2026, 11, 24, 9, 0, tzinfo=BUSINESS_TZ))  # the next staffed day
    set_setting(world, "single_operator_mode", False)
    li = world.login("li")
    with pytest.raises(UserFacingError) as self_err:  # the maker cannot approve their own operation
        li.approve_queued(queue_id=queued.queue_id, approval=world.approval("zhang"))
    assert self_err.value.code == "SELF_APPROVAL"
    info = li.approve_queued(queue_id=queued.queue_id, approval=world.approval("li"))
    assert (info.batch_id, info.maker, info.checker) == (draft.batch_id, "zhang", "li")
    assert li.queued_operations() == [] and _queue_empty(world, date(2026, 11, 23))
    with pytest.raises(UserFacingError) as again:
        li.approve_queued(queue_id=queued.queue_id, approval=world.approval("li"))
    assert again.value.code == "INPUT_INVALID"
    assert audit_ok(world)


def test_top_ups_and_bill_payments_still_proceed_but_a_back_charge_queues(world):
    set_setting(world, "stamped_receipt_for", [])
    zhang = world.login("zhang")
    zhang.open_shift(float_fen=0)
    notice = world.login("wu").create_notice(kind="utility", payer="校园超市", amount_fen=500)
    assert (
        zhang.pay_notice(notice_no=notice.notice_no, amount_fen=500, amount_fen_again=500).amount_fen == 500
    )
    with pytest.raises(UserFacingError) as err:
        zhang.back_charge(account_no="S-12-101", discovered_on=date(2026, 11, 20), electrician="刘电工",
                          evidence="私接", approval=world.approval("li"))  # fmt: skip
    assert err.value.code == "QUEUED" and count(world, Notice, Notice.kind == "back_charge") == 0
    result = world.login("li").approve_queued(queue_id=err.value.queue_id, approval=world.approval("wang"))
    assert result.days == 445 and count(world, Notice, Notice.kind == "back_charge") == 1


def test_an_operation_that_changed_since_it_was_queued_is_refused(world):
    zhang = world.login("zhang")
    with pytest.raises(UserFacingError) as err:
        zhang.back_charge(account_no="S-12-101", discovered_on=date(2026, 11, 20), electrician="刘电工",
                          evidence="私接", approval=None)  # fmt: skip
    add_price_row(
        world, Tariff, effective=datetime(2026, 11, 1, tzinfo=BUSINESS_TZ), cls="staff", price_e4=6_000
    )
    with pytest.raises(UserFacingError) as changed:
        world.login("li").approve_queued(queue_id=err.value.queue_id, approval=world.approval("li"))
    assert changed.value.code == "APPROVAL_INVALID"
    assert count(world, Notice) == 0 and len(zhang.queued_operations()) == 1


@pytest.mark.pg
def test_on_postgresql_overlap_queue_and_payment_hold(tmp_path, pg_url):
    """The savepoints (overlap race guard, notice paid once) and JSONB payloads on PostgreSQL."""
    world = make_world(tmp_path, db_url=pg_url)
    try:
        set_setting(world, "stamped_receipt_for", [])
        zhang = world.login("zhang")
        zhang.open_shift(float_fen=0)
        first = zhang.prepare_quota_batch(period="2026-11", buildings=["5"])
        second = zhang.prepare_quota_batch(period="2026-11", buildings=["5"])
        zhang.approve_quota_batch(batch_id=first.batch_id, approval=world.approval("li"))
        with pytest.raises(UserFacingError) as err:
            zhang.approve_quota_batch(batch_id=second.batch_id, approval=world.approval("li"))
        assert err.value.code == "QUOTA_OVERLAP"
        notice = world.login("wu").create_notice(kind="utility", payer="校园超市", amount_fen=500)
        zhang.pay_notice(notice_no=notice.notice_no, amount_fen=500, amount_fen_again=500)
        set_setting(world, "single_operator_mode", True)
        with pytest.raises(UserFacingError) as queued:
            zhang.back_charge(account_no="S-12-101", discovered_on=date(2026, 11, 20), electrician="刘电工",
                              evidence="私接", approval=None)  # fmt: skip
        set_setting(world, "single_operator_mode", False)
        assert (
            world.login("li")
            .approve_queued(queue_id=queued.value.queue_id, approval=world.approval("li"))
            .days
            == 445
        )
    finally:
        world.close()


def test_a_shift_close_difference_is_co_signed_at_once_in_single_operator_mode(world):
    """The close's co-signature goes through ctx.approve like every co-signed step; its kind is not
    queueable (counter_app/queueing.py), so, as for `setting.set`, the approval is asked now and
    nothing is queued: a shift cannot stay half-closed until a staffed day."""
    assert CLOSE_APPROVAL_KIND not in QUEUEABLE
    zhang = world.login("zhang")
    zhang.open_shift(float_fen=50_000)
    short = {10_000: 4}  # 100 yuan short of the float: above close_difference_fen
    with pytest.raises(ApprovalRequired):
        zhang.close_shift(counted=short, difference_reason="找零多找")
    assert count(world, QueuedOperation) == 0 and count(world, ShiftClosure) == 0
    info = zhang.close_shift(counted=short, difference_reason="找零多找", approval=world.approval("li"))
    assert info.difference_fen == -10_000 and count(world, QueuedOperation) == 0
    assert audit_ok(world)
