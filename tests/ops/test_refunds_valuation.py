"""The refund valuation (DOMAIN "Counter operations" 3): free energy used first, the newest
purchases are the unused ones, uncovered energy at the oldest known price and flagged, the exact
sum rounded down once."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from counter_app.ops.refund_valuation import Purchase, split_remaining, value_refund


def test_free_energy_counts_as_used_first():
    # 200 kWh paid + 40 kWh free went in; 20 kWh used: all of it free, so 20 kWh free are left.
    assert split_remaining(remaining_ckwh=22_000, paid_in_ckwh=20_000) == (20_000, 2_000)
    # 50 kWh used: the free energy is gone, the rest is paid energy.
    assert split_remaining(remaining_ckwh=19_000, paid_in_ckwh=20_000) == (19_000, 0)


def test_newest_purchases_first_then_the_oldest_price_flagged():
    purchases = [Purchase(8_333, 6_000), Purchase(16_998, 5_883)]  # newest first
    v = value_refund(30_000, purchases, oldest_price_e4=5_000)
    assert [(ln.energy_ckwh, ln.price_e4, ln.unpriced) for ln in v.lines] == [
        (8_333, 6_000, False), (16_998, 5_883, False), (4_669, 5_000, True)]  # fmt: skip
    assert v.unpriced_ckwh == 4_669 and v.flagged


def test_the_total_is_rounded_down_once_not_line_by_line():
    # 0.7 fen + 0.7 fen: lines truncate to 0 each, the exact total 1.4 gives 1 fen.
    v = value_refund(2, [Purchase(1, 7_000), Purchase(1, 7_000)], oldest_price_e4=None)
    assert [ln.fen for ln in v.lines] == [0, 0] and v.refund_fen == 1 and not v.flagged


def _exact(lines) -> Fraction:
    return sum((Fraction(e * p, 10_000) for e, p in lines), Fraction(0))


purchases_st = st.lists(st.builds(Purchase, st.integers(0, 200_000), st.integers(1, 20_000)), max_size=8)


@given(purchases=purchases_st, refundable=st.integers(0, 2_000_000), oldest=st.integers(1, 20_000))
def test_property_exact_to_the_fen_and_never_more_than_paid(purchases, refundable, oldest):
    v = value_refund(refundable, purchases, oldest)
    assert sum(ln.energy_ckwh for ln in v.lines) == refundable
    exact = _exact([(ln.energy_ckwh, ln.price_e4) for ln in v.lines])
    assert v.refund_fen == int(exact // 1)  # floor of the exact sum, once
    covered = sum(p.energy_ckwh for p in purchases)
    if refundable <= covered:  # never more than was paid for the unused energy
        assert not v.flagged
        assert v.refund_fen <= int(_exact([(p.energy_ckwh, p.price_e4) for p in purchases]) // 1)


@given(
    purchases=purchases_st,
    a=st.integers(0, 1_000_000),
    b=st.integers(0, 1_000_000),
    oldest=st.integers(1, 20_000),
)
def test_property_monotone_in_refundable_energy(purchases, a, b, oldest):
    low, high = sorted((a, b))
    assert value_refund(low, purchases, oldest).refund_fen <= value_refund(high, purchases, oldest).refund_fen
