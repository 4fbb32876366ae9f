"""Settings: every API.md key has its DOMAIN.md default; bad values are refused, nothing written."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from dbtesting import make_basics
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from base.errors import InputInvalid
from counter_app.room_codes import normalise_room_code
from counter_app.settings import SETTINGS, all_settings, get_setting, put_setting, setting
from db.models import SettingValue
from db.session import unit_of_work

API_KEYS = """min_top_up_fen min_top_up_september_fen max_top_up_fen.dorm max_top_up_fen.staff
max_top_up_fen.business meter_max_ckwh energy_resolution_ckwh quota.basis quota.ckwh_per_unit.undergrad
quota.ckwh_per_unit.master quota.ckwh_per_unit.phd quota.period quota.excluded_months term_ends
back_charge.ckwh_per_day back_charge.blocks_top_up low_balance_ckwh.dorm low_balance_ckwh.staff
low_balance_ckwh.business approval_ttl_s close_difference_fen refund_float stamped_receipt_for
confirmation_slip month_end_day single_operator_mode shifts room_code_pattern""".split()


def count_rows(engine) -> int:
    with unit_of_work(engine, read_only=True) as s:
        return s.execute(select(func.count()).select_from(SettingValue)).scalar_one()


def test_every_api_key_is_registered():
    assert set(API_KEYS) <= set(SETTINGS)


def test_defaults_are_domain_defaults(db_engine):
    with unit_of_work(db_engine, read_only=True) as s:
        values = all_settings(s)
    assert values["min_top_up_fen"] == 1000
    assert values["max_top_up_fen.business"] == 2_000_000
    assert values["quota.excluded_months"] == [2, 7, 8]
    assert values["shifts"] == [["11:30", "13:30"], ["17:00", "22:00"]]
    assert values["term_ends"] == []
    assert values["refund_float"] is False


@pytest.mark.parametrize(
    "key", ["min_top_up_fen", "max_top_up_fen.dorm", "quota.ckwh_per_unit.phd", "close_difference_fen",
            "refund_float", "back_charge.ckwh_per_day", "single_operator_mode"])  # fmt: skip
def test_controls_need_a_co_signature(key):
    assert setting(key).needs_approval


def test_latest_row_wins_and_dates_come_back_as_dates(db_engine, basics, now):
    with unit_of_work(db_engine) as s:
        put_setting(s, "min_top_up_fen", 2000, basics.cashier_id, at=now)
        put_setting(s, "min_top_up_fen", 1500, basics.cashier_id, at=now + timedelta(minutes=1))
        put_setting(s, "term_ends", ["2026-01-16", date(2025, 7, 4)], basics.cashier_id, at=now)
    with unit_of_work(db_engine, read_only=True) as s:
        assert get_setting(s, "min_top_up_fen") == 1500
        assert get_setting(s, "term_ends") == [date(2025, 7, 4), date(2026, 1, 16)]
    assert count_rows(db_engine) == 3


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("no_such_key", 1),
        ("min_top_up_fen", -100),  # negative money
        ("min_top_up_fen", 10.5),  # never float for money
        ("min_top_up_fen", "1000"),
        ("max_top_up_fen.dorm", 0),
        ("refund_float", 1),  # a bool, not a number
        ("quota.basis", "student"),
        ("quota.excluded_months", [13]),
        ("quota.excluded_months", [7, 7]),
        ("term_ends", ["2026-02-30"]),
        ("stamped_receipt_for", ["massage"]),
        ("shifts", [["22:00", "17:00"]]),
        ("shifts", [["8:00", "12:00"]]),
        ("room_code_pattern", r"^\d+$"),  # no building/room groups
        ("room_code_pattern", "(["),
        ("month_end_day", 31),
    ],
)
def test_bad_values_are_refused_with_nothing_written(sqlite_engine, now, key, value):
    # Validation happens before any SQL, so one backend is enough here (both are covered above).
    basics = make_basics(sqlite_engine, now)
    with pytest.raises(InputInvalid) as raised, unit_of_work(sqlite_engine) as s:
        put_setting(s, key, value, basics.cashier_id, at=now)
    assert raised.value.field == key and key in raised.value.message_en
    assert count_rows(sqlite_engine) == 0


def test_unknown_key_cannot_be_read(db_engine):
    with pytest.raises(InputInvalid), unit_of_work(db_engine, read_only=True) as s:
        get_setting(s, "min_topup_fen")


@settings(max_examples=50, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.integers(min_value=-(10**12), max_value=10**12))
def test_money_limits_accept_exactly_the_non_negative_integers(value):
    from counter_app.settings import validate

    if value >= 0:
        assert validate("close_difference_fen", value) == value
    else:
        with pytest.raises(InputInvalid):
            validate("close_difference_fen", value)


@pytest.mark.parametrize(
    ("typed", "stored"), [("5-308", "5-308"), ("05308", "5-308"), ("12-1101", "12-1101")]
)
def test_room_codes_are_normalised(typed, stored):
    assert normalise_room_code(typed) == stored


@pytest.mark.parametrize("typed", ["", "5-30", "abc", "5--308"])
def test_unrecognised_room_codes_are_refused(typed):
    with pytest.raises(InputInvalid):
        normalise_room_code(typed)
