"""The refund valuation (DOMAIN "Counter operations" 3): free energy used first, the newest
purchases are the unused ones, uncovered energy at the oldest known price and flagged, the exact
sum rounded down once."""

from __future__ import annotations

import re
import sys
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from counter_app.ops.refund_valuation import Purchase, split_remaining, value_refund
from receipts.data import RefundLine
from receipts.thermal import ReceiptBuilder

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "receipts"))
import receipt_samples  # noqa: E402


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
    # 0.7 fen + 0.7 fen: the exact total 1.4 gives 1 fen; the lines read 1 + 0 so they add up to it.
    v = value_refund(2, [Purchase(1, 7_000), Purchase(1, 7_000)], oldest_price_e4=None)
    assert [ln.fen for ln in v.lines] == [1, 0] and v.refund_fen == 1 and not v.flagged


def test_the_printed_lines_add_up_to_the_printed_total():
    """Issue 14 §12: four lines each worth x.999 yuan exactly (at 0.1 yuan/kWh, 199.99 kWh is 19.999
    yuan): truncated one by one they read 19.99 + 39.99 + 29.99 + 49.99 = 139.96 under a total of
    139.99 (139.996 rounded down once). Shared out by largest remainder they add up to 139.99."""
    purchases = [Purchase(energy, 1_000) for energy in (19_999, 39_999, 29_999, 49_999)]
    v = value_refund(139_996, purchases, oldest_price_e4=None)
    assert v.refund_fen == 13_999
    assert sum(ln.fen for ln in v.lines) == v.refund_fen
    assert [ln.fen for ln in v.lines] == [2_000, 4_000, 3_000, 4_999]  # equal fractions: the first three


def _exact(lines) -> Fraction:
    return sum((Fraction(e * p, 10_000) for e, p in lines), Fraction(0))


purchases_st = st.lists(st.builds(Purchase, st.integers(0, 200_000), st.integers(1, 20_000)), max_size=8)


@given(purchases=purchases_st, refundable=st.integers(0, 2_000_000), oldest=st.integers(1, 20_000))
def test_property_exact_to_the_fen_and_never_more_than_paid(purchases, refundable, oldest):
    v = value_refund(refundable, purchases, oldest)
    assert sum(ln.energy_ckwh for ln in v.lines) == refundable
    exact = _exact([(ln.energy_ckwh, ln.price_e4) for ln in v.lines])
    assert v.refund_fen == int(exact // 1)  # floor of the exact sum, once
    # what is printed adds up: the lines sum to the total, each within one fen of its exact value
    assert sum(ln.fen for ln in v.lines) == v.refund_fen
    for ln in v.lines:
        assert abs(Fraction(ln.fen) - Fraction(ln.energy_ckwh * ln.price_e4, 10_000)) < 1
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


@settings(max_examples=60, deadline=None)
@given(purchases=purchases_st.filter(lambda ps: sum(p.energy_ckwh for p in ps) > 0), data=st.data())
def test_property_the_printed_slip_lines_add_up_to_its_printed_total(purchases, data):
    """What the customer reads: the yuan amounts printed on the refund slip's lines, added up, are
    the 退款金额 printed under them (the slip's own bytes decoded to text, not the dataclass)."""
    covered = sum(p.energy_ckwh for p in purchases)
    v = value_refund(data.draw(st.integers(1, covered)), purchases, oldest_price_e4=None)
    slip = replace(
        receipt_samples.refund(), refund_fen=v.refund_fen, refundable_ckwh=v.refundable_ckwh,
        lines=tuple(RefundLine(ln.energy_ckwh, ln.price_e4, ln.fen) for ln in v.lines),
    )  # fmt: skip
    customer_copy = ReceiptBuilder(columns=32).refund(slip).text.split("存根联")[0]
    printed = [_fen(m) for m in re.findall(r"^[\d.]+×[\d.]+\s+￥([\d,.]+)$", customer_copy, re.M)]
    (total,) = re.findall(r"^退款金额\s+￥([\d,.]+)$", customer_copy, re.M)
    assert len(printed) == len(v.lines)
    assert sum(printed) == _fen(total) == v.refund_fen


def _fen(yuan_text: str) -> int:
    whole, cents = yuan_text.replace(",", "").split(".")
    return int(whole) * 100 + int(cents)
