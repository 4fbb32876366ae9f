"""Issue 12 §6 at the counter: every facade door refuses money and text it cannot hold, with
INPUT_INVALID naming the field, before anything is written or printed."""

from __future__ import annotations

import inspect
from datetime import date

import pytest
from opstesting import make_world
from sqlalchemy import func, select

from base.errors import UserFacingError
from base.validation import FLOAT_MAX_FEN, LARGEST_NOTE_FEN
from counter_app.session import Session
from db.models import LedgerEntry, Shift
from db.session import unit_of_work


@pytest.fixture
def world(tmp_path):
    w = make_world(tmp_path)
    yield w
    w.close()


def _refused(call, field: str | None = None) -> UserFacingError:
    with pytest.raises(UserFacingError) as refused:
        call()
    assert refused.value.code == "INPUT_INVALID", refused.value
    if field is not None:
        assert refused.value.field == field
    return refused.value


def _count(world, model) -> int:
    with unit_of_work(world.counter.engine, read_only=True) as s:
        return s.scalar(select(func.count()).select_from(model))


def test_every_public_facade_method_is_guarded_at_the_door():
    for name, member in inspect.getmembers(Session, inspect.isfunction):
        if not name.startswith("_"):
            assert getattr(member, "door_guarded", False), name


def test_tendered_is_bounded_by_the_amount_due_plus_the_largest_notes(world):
    s = world.login("zhang")
    s.open_shift(float_fen=50_000)
    serial = world.issue_card("D-5-308", s)
    world.sim.present_card(serial)
    _refused(lambda: s.top_up(account_no="D-5-308", amount_fen=10_000, tendered_fen=10**20), "tendered_fen")
    too_much = 10_000 + 5 * LARGEST_NOTE_FEN + 1  # tendered_max_notes = 5
    _refused(lambda: s.top_up(account_no="D-5-308", amount_fen=10_000, tendered_fen=too_much), "tendered_fen")
    _refused(lambda: s.top_up(account_no="D-5-308", amount_fen=10_000, tendered_fen=20_000.0), "tendered_fen")
    assert _count(world, LedgerEntry) == 0 and not world.sim.printed()
    done = s.top_up(account_no="D-5-308", amount_fen=10_000, tendered_fen=too_much - 1)
    assert done.change_fen == 5 * LARGEST_NOTE_FEN


@pytest.mark.parametrize("float_fen", [2**63, FLOAT_MAX_FEN + 1, -1, True, 500.0])
def test_a_float_out_of_bounds_is_refused(world, float_fen):
    s = world.login("zhang")
    _refused(lambda: s.open_shift(float_fen=float_fen), "float_fen")
    assert _count(world, Shift) == 0
    assert s.open_shift(float_fen=FLOAT_MAX_FEN).float_fen == FLOAT_MAX_FEN


def test_notice_amounts_and_payers_are_bounded(world):
    s = world.login("zhang")
    s.open_shift(float_fen=0)
    _refused(lambda: s.create_notice(kind="utility", payer="房产科", amount_fen=10**30), "amount_fen")
    _refused(lambda: s.create_notice(kind="utility", payer="王" * 100_000, amount_fen=100), "payer")
    _refused(lambda: s.create_notice(kind="utility", payer="王\udc80", amount_fen=100), "payer")
    _refused(lambda: s.create_notice(kind="utility", payer="王\x00", amount_fen=100), "payer")
    assert s.create_notice(kind="utility", payer="房产科", amount_fen=100).amount_fen == 100


def test_search_and_lookup_refuse_a_lone_surrogate_and_conflicting_keys(world):
    s = world.login("zhang")
    _refused(lambda: s.search_accounts("5-3\udc80"), "text")
    _refused(lambda: s.find_account(room_code="5-308", account_no="D-5-309"))
    _refused(lambda: s.find_account(account_no="D-5-308", meter_no="M5309"))
    assert s.find_account(room_code="5-308", account_no="D-5-308", meter_no="M5308").account_no == "D-5-308"


def test_opening_an_account_holds_meter_phone_and_holder_to_the_import_rules(world):
    s = world.login("zhang")
    base = {"room_code": "07701", "cls": "staff", "meter_no": "M701", "holder": "王老师", "phone": None}
    for field, value in (("meter_no", "M7\x0001"), ("meter_no", "M 701"), ("phone", "any text at all"),
                         ("holder", "王" * 101), ("holder", "王\n老师")):  # fmt: skip
        _refused(lambda field=field, value=value: s.open_account(**{**base, field: value}), field)
    assert s.open_account(**base).meter_no == "M701"


def test_receipt_book_ranges_and_pages_are_bounded(world):
    wang = world.login("wang")
    _refused(lambda: wang.issue_receipt_book(cashier="zhang", first_no=1, last_no=10**9))
    _refused(lambda: wang.issue_receipt_book(cashier="zhang", first_no=2**62, last_no=2**62 + 5))
    assert wang.issue_receipt_book(cashier="zhang", first_no=1, last_no=100).first_no == 1
    zhang = world.login("zhang")
    _refused(lambda: zhang.void_receipt_page(page_no=2**63, reason="印错"), "page_no")


def test_back_charge_and_deposit_text_follow_the_same_rule(world):
    s = world.login("zhang")
    for field, value in (("electrician", "王\n师傅"), ("evidence", "照片\x07")):
        kwargs = {"electrician": "王师傅", "evidence": "照片", field: value}
        _refused(lambda kwargs=kwargs: s.back_charge(account_no="D-5-308", discovered_on=date(2026, 11, 1),
                                                     approval=world.approval("li"), **kwargs), field)  # fmt: skip
    wang = world.login("wang")
    _refused(lambda: wang.record_deposit(slip_no="S\x001", kind="cash_slip", bank="工行", stamped_on=date(2026, 11, 23),
                                         amount_fen=100, shift_ids=[1]), "slip_no")  # fmt: skip


def test_an_absurd_amount_is_refused_at_the_door_in_yuan_and_kwh_not_in_raw_units():
    from counter_app.ops.door import check_door_argument

    with pytest.raises(UserFacingError) as money:
        check_door_argument("amount_fen", 9_999_999_900)  # ￥99,999,999 typed on the sale page
    assert money.value.field == "amount_fen" and "10000000.00 元" in str(money.value)
    with pytest.raises(UserFacingError) as energy:
        check_door_argument("energy_ckwh", -1_000_000_001)
    assert energy.value.field == "energy_ckwh" and "kWh" in str(energy.value)
    check_door_argument("amount_fen", 1_000_000_000)  # the bound itself passes
