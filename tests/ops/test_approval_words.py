"""What a 监督人 signs, in words (issue 14 items 4 and 5; counter_app/approval_summary.py).

The core summarises exactly the payload an approval binds; `approval_preview` runs every check of an
operation before anyone is asked to co-sign and writes nothing; the approval row records the summary
and whether it was shown; an approval given for other words than the operation's is refused. Clears,
refunds and corrections take a room code as well as an account number."""

from __future__ import annotations

import dataclasses
from datetime import datetime

import pytest
from opstesting import make_world
from refundtesting import count, rows

from base.clock import BUSINESS_TZ, FixedClock
from base.errors import AboveMaximum, ApprovalInvalid, BelowMinimum, CardMismatch
from counter_app import approvals
from counter_app.approval_summary import summarise
from db.models import AccountEvent, CardWriteIntent, LedgerEntry
from db.models.quota import QuotaBatchApproval
from db.models.security import Approval as ApprovalRow
from db.models.security import AuditEntry


@pytest.fixture
def world(tmp_path):
    w = make_world(tmp_path)
    yield w
    w.close()


def _shown(world, preview, name="li"):
    return dataclasses.replace(world.approval(name), shown_sha256=preview.summary.sha256)


def _written(world) -> tuple[int, ...]:
    return tuple(count(world, model) for model in (ApprovalRow, AuditEntry, CardWriteIntent, LedgerEntry,
                                                   QuotaBatchApproval, AccountEvent))  # fmt: skip


# --- the words of the bound payload -----------------------------------------------------------------


REFUND = {"account_no": "D-5-308", "payee_name": "王同学", "payee_id": "2022001", "payee_account": "6222001",
          "manual_reading_ckwh": None, "reason": None, "refund_fen": 12_345, "refundable_ckwh": 20_000,
          "clear_entry_id": 7}  # fmt: skip


def test_a_refund_is_summarised_with_its_amount_energy_payee_and_card_in_both_languages():
    words = summarise("refund_room", REFUND)
    zh, en = words.text("zh"), words.text("en")
    for text in (zh, en):
        assert "￥123.45" in text and "200.00 kWh" in text and "D-5-308" in text and "6222001" in text
    assert "退款金额" in zh and "Refund amount" in en and "王同学" in zh


def test_the_words_and_their_digest_change_with_the_payload():
    words = summarise("refund_room", REFUND)
    more = summarise("refund_room", {**REFUND, "refund_fen": 12_346})
    assert "￥123.46" in more.text() and "￥123.45" not in more.text()
    assert more.sha256 != words.sha256
    assert summarise("refund_room", dict(REFUND)).sha256 == words.sha256  # the same payload, the same words


def test_a_kind_without_its_own_words_lists_every_field_with_money_in_yuan():
    words = summarise("back_charge", {"account_no": "D-5-308", "amount_fen": 150_000, "energy_ckwh": 300_000})
    assert "￥1,500.00" in words.text() and "3,000.00 kWh" in words.text() and "D-5-308" in words.text()


# --- preview: validate first, co-sign last ---------------------------------------------------------------


def test_a_quota_batch_preview_names_period_buildings_rooms_and_energy_and_the_row_records_it(world):
    zhang = world.login("zhang")
    draft = zhang.prepare_quota_batch(period="2026-11", buildings=["5"])
    before = _written(world)
    preview = zhang.approval_preview("approve_quota_batch", batch_id=draft.batch_id)
    assert _written(world) == before  # nothing written by a preview
    assert preview.needed and not preview.queued and preview.kind == "quota.approve_batch"
    text = preview.summary.text("zh")
    assert "2026-11" in text and "楼栋：5" in text and f"{draft.rooms} 间" in text
    assert f"{draft.total_ckwh // 100:,}.{draft.total_ckwh % 100:02d} kWh" in text
    assert f"{draft.rooms} rooms" in preview.summary.text("en")

    zhang.approve_quota_batch(batch_id=draft.batch_id, approval=_shown(world, preview))
    (row,) = rows(world, ApprovalRow, ApprovalRow.kind == "quota.approve_batch")
    recorded = approvals.read_summary(row.summary)
    assert recorded == {**preview.summary.to_json(), "shown": True}


def test_words_shown_for_one_batch_cannot_sign_another(world):
    zhang = world.login("zhang")
    november = zhang.prepare_quota_batch(period="2026-11", buildings=["5"])
    december = zhang.prepare_quota_batch(period="2026-12", buildings=["5"])
    shown = zhang.approval_preview("approve_quota_batch", batch_id=november.batch_id)
    other = zhang.approval_preview("approve_quota_batch", batch_id=december.batch_id)
    assert other.summary.sha256 != shown.summary.sha256 and "2026-12" in other.summary.text()
    with pytest.raises(ApprovalInvalid):
        zhang.approve_quota_batch(batch_id=december.batch_id, approval=_shown(world, shown))
    assert count(world, QuotaBatchApproval) == 0 and count(world, ApprovalRow) == 0
    zhang.approve_quota_batch(batch_id=december.batch_id, approval=_shown(world, other))
    assert count(world, QuotaBatchApproval) == 1


def test_an_approval_given_without_a_dialog_records_the_words_as_not_shown(world):
    zhang = world.login("zhang")
    draft = zhang.prepare_quota_batch(period="2026-11", buildings=["5"])
    zhang.approve_quota_batch(batch_id=draft.batch_id, approval=world.approval("li"))
    (row,) = rows(world, ApprovalRow)
    recorded = approvals.read_summary(row.summary)
    assert recorded["shown"] is False and "2026-11" in str(recorded["lines"])


def _selling(world, account_no="D-5-308"):
    s = world.login("zhang")
    s.open_shift(float_fen=50_000)
    return s, world.issue_card(account_no, s)


def test_a_clear_with_another_rooms_card_is_refused_before_any_co_signature(world):
    s, serial = _selling(world, "D-5-308")  # 5-308's card on the reader
    before = _written(world)
    with pytest.raises(CardMismatch):
        s.approval_preview("issue_clear_card", account_no="D-5-309", reason="毕业离校")
    assert _written(world) == before


def test_a_clear_takes_the_room_code_and_the_preview_names_the_account_and_card(world):
    s, serial = _selling(world, "D-5-308")
    world.sim.present_card(serial)
    preview = s.approval_preview("issue_clear_card", account_no="5-308", reason="毕业离校")
    text = preview.summary.text()
    assert preview.kind == "clear.issue" and "D-5-308" in text and serial in text and "毕业离校" in text
    made = s.issue_clear_card(account_no="5-308", reason="毕业离校", approval=_shown(world, preview))
    assert made.account_no == "D-5-308"


def test_a_refund_preview_names_amount_and_energy_and_takes_the_room_code(world):
    s, serial = _selling(world, "D-5-308")
    world.sim.present_card(serial)
    sale = s.top_up(account_no="D-5-308", amount_fen=10_000)
    world.sim.insert_into_meter(serial)
    world.sim.present_card(serial)
    world.clock.advance(minutes=5)
    s.issue_clear_card(account_no="D-5-308", reason="毕业离校", approval=world.approval("li"))
    world.sim.insert_into_meter(serial)
    world.sim.present_card(serial)
    s.complete_clear(account_no="D-5-308")
    kwargs = {
        "account_no": "5-308",
        "payee_name": "王同学",
        "payee_id": "2022001",
        "payee_account": "6222001",
    }
    preview = s.approval_preview("refund_room", **kwargs)
    refund = s.refund_room(**kwargs, approval=_shown(world, preview))
    text = preview.summary.text()
    assert refund.refundable_ckwh == sale.energy_ckwh
    assert f"￥{refund.refund_fen // 100}.{refund.refund_fen % 100:02d}" in text
    assert f"{sale.energy_ckwh // 100}.{sale.energy_ckwh % 100:02d} kWh" in text
    assert "王同学" in text and "6222001" in text and "D-5-308" in text


def test_a_correction_preview_names_the_original_and_the_corrected_amount(world):
    s, serial = _selling(world, "D-5-308")
    world.sim.present_card(serial)
    sale = s.top_up(account_no="D-5-308", amount_fen=10_000)
    world.sim.present_card(serial)
    preview = s.approval_preview("correct", receipt_no=sale.receipt_no, reason="多输了", amount_fen=5_000)
    text = preview.summary.text()
    assert "￥100.00" in text and "更正为：￥50.00" in text and sale.receipt_no in text
    fixed = s.correct(
        receipt_no=sale.receipt_no, reason="多输了", amount_fen=5_000, approval=_shown(world, preview)
    )
    assert fixed.amount_fen == 5_000


def test_a_correction_above_the_maximum_is_refused_before_any_co_signature(world):
    s, serial = _selling(world, "D-5-308")
    world.sim.present_card(serial)
    sale = s.top_up(account_no="D-5-308", amount_fen=10_000)
    world.sim.present_card(serial)
    before = _written(world)
    with pytest.raises(AboveMaximum):
        s.approval_preview("correct", receipt_no=sale.receipt_no, reason="多输了", amount_fen=900_000_000)
    assert _written(world) == before


def test_an_operation_without_a_co_signature_cannot_be_previewed(world):
    with pytest.raises(Exception, match="approval"):
        world.login("zhang").approval_preview("find_account", account_no="D-5-308")


# --- the sale's limits as the amount is typed ---------------------------------------------------------------


def test_check_top_up_applies_the_minimum_and_the_class_maximum(world):
    s = world.login("zhang")
    assert s.check_top_up(account_no="D-5-308", amount_fen=1_000).amount_fen == 1_000
    with pytest.raises(BelowMinimum):
        s.check_top_up(account_no="D-5-308", amount_fen=999)
    with pytest.raises(AboveMaximum) as refused:
        s.check_top_up(account_no="D-5-308", amount_fen=999_999_900)
    assert refused.value.field == "amount_fen"
    with pytest.raises(AboveMaximum) as by_energy:
        s.check_top_up(account_no="D-5-308", energy_ckwh=99_999_900)
    assert by_energy.value.field == "energy_ckwh"


def test_check_top_up_applies_the_september_minimum(tmp_path):
    w = make_world(tmp_path, clock=FixedClock(datetime(2026, 9, 7, 10, 0, tzinfo=BUSINESS_TZ)))
    try:
        s = w.login("zhang")
        with pytest.raises(BelowMinimum):
            s.check_top_up(account_no="D-5-308", amount_fen=2_000)  # fine in November, not in September
        assert s.check_top_up(account_no="D-5-308", amount_fen=3_000).amount_fen == 3_000
    finally:
        w.close()


def test_a_shift_close_difference_is_worded_with_the_counted_expected_and_difference(world):
    s = world.login("zhang")
    s.open_shift(float_fen=50_000)
    s.close_shift(counted={10_000: 4}, difference_reason="找错钱", approval=world.approval("li"))
    (row,) = rows(world, ApprovalRow, ApprovalRow.kind == "shift.close_difference")
    lines = {zh: value for zh, _en, value, _value_en in approvals.read_summary(row.summary)["lines"]}
    assert lines["实点现金"] == "￥400.00" and lines["应有现金"] == "￥500.00"
    assert lines["差额"] == "￥100.00 短款" and lines["原因"] == "找错钱"


def test_a_queued_correction_is_listed_with_its_amounts_and_the_preview_says_it_will_queue(world):
    from quotatesting import set_setting

    s, serial = _selling(world, "D-5-308")
    world.sim.present_card(serial)
    sale = s.top_up(account_no="D-5-308", amount_fen=10_000)
    world.sim.present_card(serial)
    set_setting(world, "single_operator_mode", True)
    preview = s.approval_preview("correct", receipt_no=sale.receipt_no, reason="多输了", amount_fen=5_000)
    assert preview.needed and preview.queued  # the page skips the dialog: nobody is there to sign
    with pytest.raises(Exception, match="QUEUED"):
        s.correct(receipt_no=sale.receipt_no, reason="多输了", amount_fen=5_000, approval=None)
    (entry,) = world.login("li").queued_operations()
    assert (
        "￥100.00" in entry.summary
        and "更正为：￥50.00" in entry.summary
        and sale.receipt_no in entry.summary
    )
