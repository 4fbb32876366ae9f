"""Money, energy and prices as exact integers, with the counter's rounding rules.

Units (../shared/API.md "Units and types"): money in fen, energy in 0.01 kWh ("ckwh"), prices in
0.0001 yuan/kWh ("price_e4"). Never float: a float cannot hold 0.1 yuan exactly, and finance signs
these figures to the fen.

Rounding (DOMAIN.md "Money, energy, tariffs"):
- energy for money: amount ÷ price, rounded DOWN to the meter's resolution (the customer never gets
  energy they did not pay for);
- money for energy (selling by kWh): kWh × price, rounded UP to the fen (the counter never sells
  below price);
- charges that are not energy sales (back-charges, fees): half-up to the fen.

Derivation: energy_kwh = (fen / 100) / (price_e4 / 10_000) = fen × 100 / price_e4, so
ckwh = fen × 10_000 / price_e4; and fen = ckwh / 100 × price_e4 / 10_000 × 100 = ckwh × price_e4 / 10_000.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import NewType

from base.errors import InputInvalid

Fen = NewType("Fen", int)
CKwh = NewType("CKwh", int)
PriceE4 = NewType("PriceE4", int)

# fen × price_e4 products are scaled by this to give fen from ckwh (see module docstring).
_SCALE = 10_000


def energy_for_money(amount_fen: int, price_e4: int, resolution_ckwh: int = 1) -> int:
    """Energy (ckwh) that `amount_fen` buys at `price_e4`, rounded down to `resolution_ckwh`."""
    _require_positive_price(price_e4)
    if amount_fen < 0 or resolution_ckwh <= 0:
        raise ValueError("amount must be >= 0 and resolution > 0")
    exact_units = (amount_fen * _SCALE) // (price_e4 * resolution_ckwh)
    return exact_units * resolution_ckwh


def money_for_energy(energy_ckwh: int, price_e4: int) -> int:
    """Price in fen of `energy_ckwh` sold by kWh, rounded up to the fen."""
    _require_positive_price(price_e4)
    if energy_ckwh < 0:
        raise ValueError("energy must be >= 0")
    return -((-energy_ckwh * price_e4) // _SCALE)


def charge_half_up(energy_ckwh: int, price_e4: int) -> int:
    """A charge that is not an energy sale (back-charge): ckwh × price, half-up to the fen."""
    _require_positive_price(price_e4)
    if energy_ckwh < 0:
        raise ValueError("energy must be >= 0")
    return (energy_ckwh * price_e4 * 2 + _SCALE) // (2 * _SCALE)


def value_ckwh_exact(energy_ckwh: int, price_e4: int) -> Decimal:
    """The exact value in fen (a Decimal, no rounding) of energy at a price: for refunds, which
    add exact values first and round down once."""
    return Decimal(energy_ckwh * price_e4) / _SCALE


def area_charge_half_up(area_dm2: int, rate_fen_per_m2: int) -> int:
    """Heating fee: heated area (dm², i.e. 0.01 m²) × season rate (fen per m²), half-up to the fen."""
    if area_dm2 < 0 or rate_fen_per_m2 < 0:
        raise ValueError("area and rate must be >= 0")
    return (area_dm2 * rate_fen_per_m2 * 2 + 100) // 200


def _require_positive_price(price_e4: int) -> None:
    if price_e4 <= 0:
        raise ValueError("price must be > 0")


# --- parsing and formatting at the edges (what a person types and reads) ------------------------

_DECIMAL_RE = re.compile(r"^\s*([0-9]+)(?:\.([0-9]*))?\s*$|^\s*\.([0-9]+)\s*$")


def _parse_scaled(text: str, decimals: int, field: str, field_en: str) -> int:
    """Parse a non-negative decimal with at most `decimals` places into an integer × 10**decimals."""
    raw = str(text).replace("，", "").replace(",", "").replace("￥", "").replace("¥", "").strip()
    m = _DECIMAL_RE.match(raw)
    if not m:
        raise InputInvalid(f"{field}不是有效数字：{text!r}", detail_en=f"{field_en} is not a number: {text!r}",
                           field=field_en)
    whole: str
    frac: str
    whole, frac = (m.group(1), m.group(2) or "") if m.group(1) is not None else ("0", m.group(3))
    if len(frac) > decimals:
        raise InputInvalid(f"{field}最多 {decimals} 位小数：{text!r}",
                           detail_en=f"{field_en} has more than {decimals} decimals: {text!r}", field=field_en)
    scale: int = 10**decimals  # int ** int is typed Any (a negative power gives a float)
    return int(whole) * scale + int((frac + "0" * decimals)[:decimals] or 0)


def parse_yuan(text: str, field: str = "金额", field_en: str = "amount") -> int:
    """'12.3' → 1230 fen. Refuses letters, negatives and more than 2 decimals."""
    return _parse_scaled(text, 2, field, field_en)


def parse_kwh(text: str, field: str = "电量", field_en: str = "energy") -> int:
    """'12.34' kWh → 1234 ckwh."""
    return _parse_scaled(text, 2, field, field_en)


def parse_price(text: str, field: str = "电价", field_en: str = "price") -> int:
    """'0.5883' yuan/kWh → 5883 price_e4. More than 4 decimals is refused, not rounded."""
    return _parse_scaled(text, 4, field, field_en)


def format_yuan(fen: int, symbol: str = "") -> str:
    """1230 → '12.30' (with `symbol`, e.g. '￥12.30'). Negative amounts keep their sign."""
    sign = "-" if fen < 0 else ""
    q, r = divmod(abs(int(fen)), 100)
    return f"{sign}{symbol}{q}.{r:02d}"


def format_kwh(ckwh: int) -> str:
    """1234 → '12.34'."""
    sign = "-" if ckwh < 0 else ""
    q, r = divmod(abs(int(ckwh)), 100)
    return f"{sign}{q}.{r:02d}"


def format_price(price_e4: int) -> str:
    """5883 → '0.5883'."""
    q, r = divmod(int(price_e4), 10_000)
    return f"{q}.{r:04d}"


def to_decimal_yuan(fen: int) -> Decimal:
    return Decimal(int(fen)) / 100


def from_decimal_yuan(value: Decimal | str) -> int:
    """An exact Decimal yuan amount (≤ 2 places) to fen; anything finer is refused, not rounded."""
    try:
        d = Decimal(str(value))
    except InvalidOperation as exc:
        raise InputInvalid(f"金额无效：{value!r}", detail_en=f"invalid amount: {value!r}") from exc
    fen = d * 100
    if fen != fen.to_integral_value():
        raise InputInvalid(f"金额最多两位小数：{value!r}", detail_en=f"amount has more than 2 decimals: {value!r}")
    return int(fen)
