"""Settings in people's units (counter_app/setting_units.py): yuan for *_fen, kWh for *_ckwh,
minutes/days/times for counts; exact (Decimal parsers, never float), round trips for every key."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from base.errors import InputInvalid
from counter_app import settings
from counter_app.setting_units import parsed_value, shown_value, shown_with_unit, unit_of


@pytest.mark.parametrize(
    ("key", "kind", "word"),
    [("min_top_up_fen", "yuan", "元"), ("max_top_up_fen.dorm", "yuan", "元"), ("close_difference_fen", "yuan", "元"),
     ("meter_max_ckwh", "kwh", "kWh"), ("quota.ckwh_per_unit.phd", "kwh", "kWh"), ("low_balance_ckwh.dorm", "kwh", "kWh"),
     ("back_charge.ckwh_per_day", "kwh", "kWh"), ("login.lockout_minutes", "count", "分钟"),
     ("backup.warn_after_days", "count", "天"), ("login.max_failures", "count", "次"), ("shifts", "json", "")],
)  # fmt: skip
def test_each_key_is_read_in_its_unit(key, kind, word) -> None:
    unit = unit_of(key)
    assert (unit.kind, unit.zh) == (kind, word)


def test_what_a_person_reads_and_types() -> None:
    assert shown_with_unit("min_top_up_fen", 1000) == "10.00 元"
    assert shown_with_unit("min_top_up_fen", 1000, "en") == "10.00 yuan"
    assert shown_with_unit("meter_max_ckwh", 999_999) == "9999.99 kWh"
    assert shown_with_unit("login.lockout_minutes", 15) == "15 分钟"
    assert shown_with_unit("refund_float", False) == "否"
    assert parsed_value("min_top_up_fen", "10") == 1000
    assert parsed_value("min_top_up_fen", "1,234.5") == 123_450
    assert parsed_value("meter_max_ckwh", "9999.99") == 999_999
    assert parsed_value("refund_float", "是", current=False) is True
    assert parsed_value("refund_float", "false", current=True) is False
    assert parsed_value("quota.excluded_months", "[7, 8]") == [7, 8]
    assert parsed_value("centre_name", "能源中心") == "能源中心"


@pytest.mark.parametrize(("key", "text"), [("min_top_up_fen", "10.001"), ("min_top_up_fen", "ten"),
                                           ("meter_max_ckwh", "-1"), ("login.max_failures", "5.5"),
                                           ("login.max_failures", "５"), ("refund_float", "maybe")])  # fmt: skip
def test_what_the_unit_cannot_hold_is_refused_not_rounded(key, text) -> None:
    with pytest.raises(InputInvalid) as refused:
        parsed_value(key, text, current=False)
    assert refused.value.field == key


@given(st.sampled_from(sorted(k for k in settings.SETTINGS if unit_of(k).kind in ("yuan", "kwh", "count"))),
       st.integers(min_value=0, max_value=10**11))  # fmt: skip
def test_every_number_round_trips_exactly(key, stored) -> None:
    assert parsed_value(key, shown_value(key, stored)) == stored


def test_every_default_round_trips() -> None:
    for key, spec in settings.SETTINGS.items():
        value = spec.check(spec.default)
        assert settings.validate(key, parsed_value(key, shown_value(key, value), current=value)) == value, key
