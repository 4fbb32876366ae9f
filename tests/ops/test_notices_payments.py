"""Bills and fees through the facade (DOMAIN "Counter operations" 7): notices paid once and in
full, typed twice, heating area × rate half-up, late repair money flagged, stamped pages."""

from __future__ import annotations

from datetime import date

import pytest
from opstesting import make_world
from quotatesting import audit_ok, count, heating_rate, rows, set_setting

from base.errors import UserFacingError
from counter_app.settlement.report_catalogue import build_report
from counter_app.settlement.reports import ReportQuery
from db.models import LedgerEntry, LedgerMark, PrintJob
from db.models.notices import NoticePayment
from db.models.settlement import ReceiptPage
from db.session import unit_of_work

TODAY = date(2026, 11, 23)


@pytest.fixture
def world(tmp_path):
    w = make_world(tmp_path)
    yield w
    w.close()


@pytest.fixture
def cashier(world):
    set_setting(world, "stamped_receipt_for", [])
    s = world.login("zhang")
    s.open_shift(float_fen=10_000)
    return s


@pytest.fixture
def maker(world):
    """Another cashier makes out the notices the `cashier` collects (查表制单收费不相容)."""
    return world.login("wu")


def _repair(s, **kw):
    args = {"kind": "repair", "payer": "5-308 寝室", "amount_fen": 3_550, "repair_date": TODAY,
            "repairman": "王师傅", "department": "后勤维修中心"}  # fmt: skip
    return s.create_notice(**{**args, **kw})


def test_a_notice_is_paid_once_in_full_with_a_receipt_and_a_ledger_entry(world, cashier, maker):
    notice = _repair(maker)
    assert notice.notice_no == "W01-NOTICE-00000001" and notice.amount_fen == 3_550
    paid = cashier.pay_notice(notice_no=notice.notice_no, amount_fen=3_550, amount_fen_again=3_550,
                              tendered_fen=5_000)  # fmt: skip
    assert (paid.amount_fen, paid.change_fen, paid.late_hand_in) == (3_550, 1_450, False)
    (entry,) = rows(world, LedgerEntry, LedgerEntry.kind == "bill_payment")
    assert (entry.charge, entry.fen, entry.tender) == ("repair", 3_550, "cash")
    assert count(world, PrintJob) == 1 and paid.receipt_no.startswith("W01-")
    with pytest.raises(UserFacingError) as err:
        cashier.pay_notice(notice_no=notice.notice_no, amount_fen=3_550, amount_fen_again=3_550)
    assert err.value.code == "NOTICE_PAID"
    assert count(world, NoticePayment) == 1
    assert audit_ok(world)


@pytest.mark.parametrize(("amounts", "code"), [((3_550, 3_505), "AMOUNTS_DIFFER"), ((3_000, 3_000), "INPUT_INVALID"),
                                               ((4_000, 4_000), "INPUT_INVALID")])  # fmt: skip
def test_amounts_typed_twice_and_equal_to_the_notice(world, cashier, maker, amounts, code):
    notice = _repair(maker)
    with pytest.raises(UserFacingError) as err:
        cashier.pay_notice(notice_no=notice.notice_no, amount_fen=amounts[0], amount_fen_again=amounts[1])
    assert err.value.code == code
    assert count(world, LedgerEntry) == 0 and count(world, NoticePayment) == 0


def test_tenders_other_than_cash_need_a_reference_and_a_shift_must_be_open(world, cashier, maker):
    notice = _repair(maker)
    with pytest.raises(UserFacingError) as err:
        cashier.pay_notice(
            notice_no=notice.notice_no, amount_fen=3_550, amount_fen_again=3_550, tender="wechat"
        )
    assert err.value.code == "INPUT_INVALID" and err.value.field == "reference"
    paid = cashier.pay_notice(notice_no=notice.notice_no, amount_fen=3_550, amount_fen_again=3_550, tender="wechat",
                              reference="4200001234")  # fmt: skip
    assert paid.change_fen == 0


def test_paying_needs_an_open_shift(world):
    set_setting(world, "stamped_receipt_for", [])
    wu = world.login("wu")
    notice = _repair(wu)
    with pytest.raises(UserFacingError) as err:
        wu.pay_notice(notice_no=notice.notice_no, amount_fen=3_550, amount_fen_again=3_550)
    assert err.value.code == "SHIFT_NOT_OPEN" and count(world, LedgerEntry) == 0


def test_heating_fee_is_area_times_season_rate_half_up(world, cashier):
    heating_rate(world, 2_550)  # 25.50 yuan per m²
    notice = cashier.create_notice(kind="heating", payer="张老师", area_dm2=8_537, department="房产科")
    assert notice.amount_fen == 217_694  # 85.37 m² × 25.50 = 2176.935 yuan → 2176.94
    with pytest.raises(UserFacingError) as err:
        cashier.create_notice(kind="heating", payer="张老师", area_dm2=8_537, amount_fen=217_693)
    assert err.value.code == "INPUT_INVALID" and err.value.data["amount_fen"] == 217_694


def test_heating_without_a_rate_in_the_fee_table_is_refused(cashier):
    with pytest.raises(UserFacingError) as err:
        cashier.create_notice(kind="heating", payer="张老师", area_dm2=8_537)
    assert err.value.code == "INPUT_INVALID"


def test_repair_money_handed_in_after_the_repair_day_is_flagged(world, cashier, maker):
    notice = _repair(maker, repair_date=date(2026, 11, 20))
    paid = cashier.pay_notice(notice_no=notice.notice_no, amount_fen=3_550, amount_fen_again=3_550)
    assert paid.late_hand_in is True
    (mark,) = rows(world, LedgerMark)
    assert mark.kind == "late_hand_in" and "2026-11-20" in mark.reason


def test_a_repair_notice_needs_its_repairman_and_date(cashier):
    with pytest.raises(UserFacingError) as err:
        cashier.create_notice(kind="repair", payer="x", amount_fen=100, repairman="王师傅")
    assert err.value.field == "repair_date"


def test_the_stamped_receipt_page_is_required_and_recorded(world):
    zhang = world.login("zhang")
    zhang.open_shift(float_fen=0)
    world.login("wang").issue_receipt_book(cashier="zhang", first_no=1001, last_no=1050)
    notice = world.login("wu").create_notice(kind="utility", payer="校园超市", amount_fen=12_345,
                                             department="动力科")  # fmt: skip
    with pytest.raises(UserFacingError) as err:
        zhang.pay_notice(notice_no=notice.notice_no, amount_fen=12_345, amount_fen_again=12_345)
    assert err.value.field == "paper_receipt_no" and count(world, LedgerEntry) == 0
    zhang.pay_notice(
        notice_no=notice.notice_no, amount_fen=12_345, amount_fen_again=12_345, paper_receipt_no="1001"
    )
    (page,) = rows(world, ReceiptPage)
    assert (page.page_no, page.state) == (1001, "used") and page.ledger_entry_id is not None


def test_the_reconciliation_list_goes_per_issuing_department(world, cashier, maker):
    a = _repair(maker)
    _repair(maker, department="学生公寓管理科", amount_fen=800)
    cashier.pay_notice(notice_no=a.notice_no, amount_fen=3_550, amount_fen_again=3_550)
    with unit_of_work(world.counter.engine, read_only=True) as s:
        table = build_report(s, "reconciliation", ReportQuery(date(2026, 11, 16), date(2026, 11, 30)))
    assert [(r[0], r[4], r[5]) for r in table.rows] == [
        ("后勤维修中心", 3_550, "已缴"),
        ("后勤维修中心 小计", 3_550, "已缴"),
        ("学生公寓管理科", 800, "未缴"),
        ("学生公寓管理科 小计", 0, "已缴"),
    ]
    assert table.total[4] == 3_550


def test_whoever_made_out_a_notice_never_collects_it(world, cashier):
    """查表制单收费不相容 (seed 001:28): refused before anything is written; another cashier takes it."""
    own = _repair(cashier)
    with pytest.raises(UserFacingError) as err:
        cashier.pay_notice(notice_no=own.notice_no, amount_fen=3_550, amount_fen_again=3_550)
    assert err.value.code == "ROLE_FORBIDDEN" and err.value.field == "notice_no"
    assert "查表制单与收费不相容" in err.value.message and own.notice_no in err.value.message
    assert count(world, LedgerEntry) == 0 and count(world, NoticePayment) == 0 and count(world, PrintJob) == 0
