"""Theft back-charge (DOMAIN "Counter operations" 8): days end-exclusive from the last top-up (or
the opening date), priced at discovery, half-up, co-signed, blocks top-ups until paid."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from opstesting import make_world
from quotatesting import add_price_row, audit_ok, count, needs_sales, set_setting

from base.clock import BUSINESS_TZ
from base.errors import UserFacingError
from db.models import LedgerEntry, Tariff
from db.models.notices import Notice


@pytest.fixture
def world(tmp_path):
    w = make_world(tmp_path)
    set_setting(w, "stamped_receipt_for", [])
    yield w
    w.close()


def _charge(world, s, account_no="S-12-101", discovered_on=date(2026, 11, 20), approval="li"):
    return s.back_charge(account_no=account_no, discovered_on=discovered_on, electrician="刘电工",
                         evidence="表前私接线，照片 3 张", approval=world.approval(approval) if approval else None)  # fmt: skip


def test_never_bought_counts_from_the_opening_date_end_exclusive(world):
    zhang = world.login("zhang")
    result = _charge(world, zhang)
    days = (date(2026, 11, 20) - date(2025, 9, 1)).days  # 445: the discovery day itself is not counted
    assert (result.days, result.energy_ckwh, result.price_e4) == (days, 2_000 * days, 5_383)
    assert result.amount_fen == 479_087  # 8 900 kWh × 0.5383 = 4790.87 yuan
    text = zhang.back_charge_calculation(notice_no=result.notice_no)
    assert "违规用电补缴电费" in text and "罚" not in text and "445" in text


def test_the_price_is_the_one_in_force_at_discovery_and_zero_days_are_refused(world):
    add_price_row(
        world, Tariff, effective=datetime(2026, 11, 22, tzinfo=BUSINESS_TZ), cls="staff", price_e4=6_001
    )
    zhang = world.login("zhang")
    set_setting(world, "back_charge.ckwh_per_day", 2_000)
    with pytest.raises(UserFacingError):  # opened 2025-09-01: use a recent opening to get one day
        _charge(world, zhang, discovered_on=date(2025, 9, 1))
    early = _charge(world, zhang, discovered_on=date(2026, 11, 21))
    assert early.price_e4 == 5_383
    late = _charge(world, zhang, discovered_on=date(2026, 11, 23))
    assert late.price_e4 == 6_001 and late.amount_fen == (late.energy_ckwh * 6_001 * 2 + 10_000) // 20_000


def test_a_back_charge_is_co_signed_and_nothing_is_written_without_it(world):
    zhang = world.login("zhang")
    for approver, code in ((None, "APPROVAL_REQUIRED"), ("zhang", "SELF_APPROVAL")):
        with pytest.raises(UserFacingError) as err:
            _charge(world, zhang, approval=approver)
        assert err.value.code == code
    assert count(world, Notice) == 0


def test_future_discovery_and_missing_evidence_are_refused(world):
    zhang = world.login("zhang")
    with pytest.raises(UserFacingError):
        _charge(world, zhang, discovered_on=date(2026, 11, 24))
    with pytest.raises(UserFacingError) as err:
        zhang.back_charge(account_no="S-12-101", discovered_on=date(2026, 11, 20), electrician="刘电工", evidence=" ",
                          approval=world.approval())  # fmt: skip
    assert err.value.field == "evidence"


@needs_sales
def test_days_count_from_the_last_top_up_and_an_unpaid_charge_blocks_top_ups(world):
    zhang = world.login("zhang")
    zhang.open_shift(float_fen=0)
    serial = world.issue_card("D-5-308", zhang)
    zhang.top_up(account_no="D-5-308", amount_fen=1_000)
    world.sim.insert_into_meter(serial)
    world.sim.present_card(serial)
    world.clock.set(datetime(2026, 11, 26, 10, 0, tzinfo=BUSINESS_TZ))
    # made out by the 监督人 (co-signed by the assistant): the cashier may then collect it (001:28)
    charge = _charge(world, world.login("li"), account_no="D-5-308", discovered_on=date(2026, 11, 26),
                     approval="wang")  # fmt: skip
    assert (charge.days, charge.amount_fen) == (3, 3_530)  # 60 kWh × 0.5883 = 35.298 → 35.30 yuan
    with pytest.raises(UserFacingError) as err:
        zhang.top_up(account_no="D-5-308", amount_fen=1_000)
    assert err.value.code == "UNPAID_BACK_CHARGE"
    assert zhang.clearance(account_no="D-5-308").cleared is False
    zhang.pay_notice(notice_no=charge.notice_no, amount_fen=3_530, amount_fen_again=3_530)
    assert (
        count(
            world, LedgerEntry, LedgerEntry.kind == "back_charge_payment", LedgerEntry.charge == "back_charge"
        )
        == 1
    )
    assert zhang.top_up(account_no="D-5-308", amount_fen=1_000).purchase_counter == 2  # unblocked once paid
    assert audit_ok(world)
