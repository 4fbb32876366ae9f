"""What a room refund is worth (DOMAIN "Counter operations" 3): pure arithmetic, no database.

1. Split the remaining energy. Free energy counts as used first, so whatever the meter still holds
   is paid energy as far as paid energy went in: with R the remaining energy and P the paid energy
   that went into the meter since the last clear, refundable = min(R, P) and the rest of R is
   free energy not yet used (never refunded). Derivation: F free energy in, consumption C =
   P + F - R; free used first leaves max(0, F - C) = max(0, R - P) free.
2. Price it. The latest purchases are the unused ones: walk the purchases newest first and take
   each one's energy at its price until the refundable energy is covered. Energy no recorded
   purchase covers is valued at the oldest known price and flagged (`unpriced`).
3. Add the exact values (Decimal fen) and round DOWN once to the fen: that total is the refund.
   The lines a person reads (slip, form, screen) must add up to it, so the total is shared out over
   the lines by largest remainder: each line gets its exact value rounded down, and the fen still
   missing to reach the total (fewer than the number of lines) go one each to the lines with the
   largest dropped fractions (the first such line on a tie). Every line is then its exact value
   rounded down or up, never further than one fen from it, and the lines sum to the total exactly
   (issue 14 §12: 19.99 + 39.99 + 29.99 + 49.99 printed under a total of 139.99).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import ROUND_FLOOR, Decimal

from base.money import value_ckwh_exact


@dataclass(frozen=True)
class Purchase:
    """Paid energy of one purchase (a sale, a correction, a legacy purchase) at its price."""

    energy_ckwh: int
    price_e4: int


@dataclass(frozen=True)
class ValuationLine:
    energy_ckwh: int
    price_e4: int
    fen: int  # this line's share of the total (largest remainder): the lines sum to the refund
    exact_fen: Decimal
    unpriced: bool = False

    def as_api(self) -> tuple[int, int, int]:
        return (self.energy_ckwh, self.price_e4, self.fen)


@dataclass(frozen=True)
class Valuation:
    refundable_ckwh: int
    refund_fen: int
    exact_fen: Decimal
    lines: tuple[ValuationLine, ...]
    unpriced_ckwh: int

    @property
    def flagged(self) -> bool:
        return self.unpriced_ckwh > 0


def split_remaining(remaining_ckwh: int, paid_in_ckwh: int) -> tuple[int, int]:
    """(refundable, free energy not yet used) of the meter's remaining energy."""
    if remaining_ckwh < 0:
        raise ValueError("remaining energy cannot be negative")
    refundable = min(remaining_ckwh, max(paid_in_ckwh, 0))
    return refundable, remaining_ckwh - refundable


def value_refund(
    refundable_ckwh: int, newest_first: Iterable[Purchase], oldest_price_e4: int | None
) -> Valuation:
    """Value `refundable_ckwh` at the prices of the newest purchases (see module docstring)."""
    if refundable_ckwh < 0:
        raise ValueError("refundable energy cannot be negative")
    lines: list[ValuationLine] = []
    left = refundable_ckwh
    for purchase in newest_first:
        if left == 0:
            break
        take = min(left, purchase.energy_ckwh)
        if take > 0:
            lines.append(_line(take, purchase.price_e4))
            left -= take
    if left > 0:
        if oldest_price_e4 is None:
            raise ValueError("energy not covered by any purchase and no price known")
        lines.append(_line(left, oldest_price_e4, unpriced=True))
    exact = sum((line.exact_fen for line in lines), Decimal(0))
    total = _floor(exact)
    return Valuation(refundable_ckwh=refundable_ckwh, refund_fen=total, exact_fen=exact,
                     lines=allocate(tuple(lines), total), unpriced_ckwh=left)  # fmt: skip


def allocate(lines: tuple[ValuationLine, ...], total_fen: int) -> tuple[ValuationLine, ...]:
    """`lines` with their `fen` shared out of `total_fen` by largest remainder (module docstring 3).
    `total_fen` is the floor of the lines' exact sum, so it lies between the sum of the lines'
    floors and that sum plus len(lines) - 1."""
    floors = [_floor(line.exact_fen) for line in lines]
    missing = total_fen - sum(floors)
    if not 0 <= missing < max(len(lines), 1):
        raise ValueError("the total is not the rounded-down sum of the lines")
    by_remainder = sorted(range(len(lines)), key=lambda i: (-(lines[i].exact_fen - floors[i]), i))
    bumped = set(by_remainder[:missing])
    return tuple(replace(line, fen=floors[i] + (1 if i in bumped else 0)) for i, line in enumerate(lines))


def _line(energy_ckwh: int, price_e4: int, *, unpriced: bool = False) -> ValuationLine:
    exact = value_ckwh_exact(energy_ckwh, price_e4)
    return ValuationLine(energy_ckwh, price_e4, _floor(exact), exact, unpriced)


def _floor(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_FLOOR))
