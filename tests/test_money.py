"""Rounding rules of DOMAIN.md "Money, energy, tariffs", checked against exact Fraction arithmetic."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from base import money
from base.errors import InputInvalid

fen = st.integers(min_value=0, max_value=10**10)
ckwh = st.integers(min_value=0, max_value=10**9)
price = st.integers(min_value=1, max_value=100_000)  # up to 10 yuan/kWh
resolution = st.sampled_from([1, 2, 5, 10, 100])


def kwh_exact(amount_fen: int, price_e4: int) -> Fraction:
    """Energy in 0.01 kWh that amount_fen buys, as an exact fraction."""
    return Fraction(amount_fen, 100) / Fraction(price_e4, 10_000) * 100


def fen_exact(energy_ckwh: int, price_e4: int) -> Fraction:
    return Fraction(energy_ckwh, 100) * Fraction(price_e4, 10_000) * 100


@given(fen, price, resolution)
def test_energy_for_money_rounds_down_to_the_meter_resolution(amount_fen, price_e4, res):
    energy = money.energy_for_money(amount_fen, price_e4, res)
    exact = kwh_exact(amount_fen, price_e4)
    assert energy % res == 0
    assert energy <= exact < energy + res  # never more than paid for, never a whole step less


@given(ckwh, price)
def test_money_for_energy_rounds_up_to_the_fen(energy_ckwh, price_e4):
    amount = money.money_for_energy(energy_ckwh, price_e4)
    assert amount == math.ceil(fen_exact(energy_ckwh, price_e4))


@given(fen, price)
def test_selling_by_money_never_gives_energy_worth_more_than_paid(amount_fen, price_e4):
    energy = money.energy_for_money(amount_fen, price_e4)
    assert money.money_for_energy(energy, price_e4) <= amount_fen


@given(ckwh, price)
def test_charge_half_up(energy_ckwh, price_e4):
    exact = fen_exact(energy_ckwh, price_e4)
    expected = math.floor(exact + Fraction(1, 2))
    assert money.charge_half_up(energy_ckwh, price_e4) == expected


@given(st.integers(min_value=0, max_value=10**8), st.integers(min_value=0, max_value=10**6))
def test_heating_area_charge_half_up(area_dm2, rate):
    exact = Fraction(area_dm2, 100) * rate
    assert money.area_charge_half_up(area_dm2, rate) == math.floor(exact + Fraction(1, 2))


def test_known_values():
    # 100 yuan at 0.5883 yuan/kWh = 169.98 kWh (169.9813… rounded down)
    assert money.energy_for_money(10_000, 5_883) == 16_998
    # 169.98 kWh at 0.5883 = 99.9992 yuan → 100.00 (up)
    assert money.money_for_energy(16_998, 5_883) == 10_000
    # 20 kWh × 30 days at 0.5883 = 352.98 yuan exactly
    assert money.charge_half_up(60_000, 5_883) == 35_298
    assert money.charge_half_up(1, 5_000) == 1  # 0.005 fen… is 0.5 fen → half up to 1
    assert money.charge_half_up(1, 4_999) == 0


@given(fen)
def test_yuan_round_trip(amount_fen):
    assert money.parse_yuan(money.format_yuan(amount_fen)) == amount_fen


@pytest.mark.parametrize("text", ["abc", "-1", "1.234", "1e3", "", "1.2.3", "NaN", "１２"])
def test_bad_amounts_are_refused_with_the_field_named(text):
    with pytest.raises(InputInvalid) as info:
        money.parse_yuan(text)
    assert info.value.field == "amount"
    assert "金额" in info.value.message


def test_price_with_more_than_four_decimals_is_refused_not_rounded():
    assert money.parse_price("0.5883") == 5_883
    with pytest.raises(InputInvalid):
        money.parse_price("0.58831")


@pytest.mark.parametrize("bad", [0, -1])
def test_non_positive_price_is_a_bug(bad):
    with pytest.raises(ValueError):
        money.energy_for_money(100, bad)


def test_no_float_sneaks_in():
    assert isinstance(money.energy_for_money(10_000, 5_883), int)
    assert isinstance(money.money_for_energy(16_998, 5_883), int)
