"""Settings in people's units (issue 14): the administrator reads and types 10.00 元, 9,999.99 kWh,
15 分钟, 5 次 — never `min_top_up_fen 1000`.

The registry (counter_app/settings.py) stores integers in the house units (fen, 0.01 kWh, seconds,
minutes, days, counts). `unit_of(key)` names the unit a person reads for a key; `shown_value`
turns a stored value into that text and `parsed_value` turns typed text back into the stored value
(exactly: base.money's Decimal parsers, never float; more decimals than the unit has are refused,
not rounded). Keys without a unit of their own (lists, patterns, texts) travel as JSON text, as
before. The approval summary of `setting.set` and the settings page both use these words, so the
supervisor signs the value as the administrator typed it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from base.errors import InputInvalid, UserFacingError
from base.money import format_kwh, format_yuan, parse_kwh, parse_yuan


@dataclass(frozen=True)
class Unit:
    kind: str  # yuan | kwh | count | bool | json
    zh: str  # what follows the number ("元"); "" for none
    en: str


YUAN = Unit("yuan", "元", "yuan")
KWH = Unit("kwh", "kWh", "kWh")
BOOL = Unit("bool", "", "")
JSON = Unit("json", "", "")

# Whole-number settings and the word after their number. Keys absent here and not ending in _fen /
# _ckwh are JSON (lists, choices, patterns, texts).
_COUNTS: dict[str, Unit] = {
    "approval_ttl_s": Unit("count", "秒", "seconds"),
    "clock_skew_max_s": Unit("count", "秒", "seconds"),
    "login.lockout_minutes": Unit("count", "分钟", "minutes"),
    "idle_lock_minutes": Unit("count", "分钟", "minutes"),
    "backup.warn_after_days": Unit("count", "天", "days"),
    "login.max_failures": Unit("count", "次", "times"),
    "tendered_max_notes": Unit("count", "张", "notes"),
    "backup.generations": Unit("count", "份", "copies"),
    "month_end_day": Unit("count", "日", "(day of month)"),
    "meter_bus.poll_minutes": Unit("count", "分钟", "minutes"),
}
_TRUE = {"是", "true", "yes", "y", "1", "开", "on"}
_FALSE = {"否", "false", "no", "n", "0", "关", "off"}


def unit_of(key: str, value: Any = None) -> Unit:
    """The unit a person reads `key` in (`value`, the current value, tells a boolean apart)."""
    if "_fen" in key:  # min_top_up_fen, max_top_up_fen.dorm, close_difference_fen
        return YUAN
    if "ckwh" in key:  # meter_max_ckwh, quota.ckwh_per_unit.phd, low_balance_ckwh.dorm
        return KWH
    if key in _COUNTS:
        return _COUNTS[key]
    if isinstance(value, bool):
        return BOOL
    return JSON


def shown_value(key: str, value: Any, lang: str = "zh") -> str:
    """The stored `value` of `key` as a person reads it, without the unit: 1000 fen → "10.00",
    150000 ckwh → "1500.00", True → "是", a list → its JSON."""
    unit = unit_of(key, value)
    if unit is YUAN and _is_int(value):
        return format_yuan(value)
    if unit is KWH and _is_int(value):
        return format_kwh(value)
    if unit.kind == "count" and _is_int(value):
        return str(value)
    if isinstance(value, bool):
        return ("yes" if value else "no") if lang == "en" else ("是" if value else "否")
    if isinstance(value, str):  # a name, a pattern, a time: as it reads, without JSON's quotes
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def shown_with_unit(key: str, value: Any, lang: str = "zh") -> str:
    """`shown_value` followed by its unit: "10.00 元", "15 分钟", "是"."""
    unit = unit_of(key, value)
    text = shown_value(key, value, lang)
    word = unit.en if lang == "en" else unit.zh
    return f"{text} {word}" if word else text


def parsed_value(key: str, text: str, current: Any = None) -> Any:
    """What the person typed for `key`, in the stored unit: "10" or "10.00" yuan → 1000 fen,
    "15.5" kWh → 1550 ckwh, "是"/"true" → True; JSON for the rest (plain text when not JSON).
    INPUT_INVALID naming the key for a number the unit cannot hold (a third decimal, letters)."""
    raw = text.strip()
    unit = unit_of(key, current)
    try:
        if unit is YUAN:
            return parse_yuan(raw.replace(",", ""), key, key)
        if unit is KWH:
            return parse_kwh(raw.replace(",", ""), key, key)
        if unit.kind == "count":
            if not raw.isdigit() or not raw.isascii():
                raise ValueError(raw)
            return int(raw)
    except (ValueError, UserFacingError) as exc:
        raise InputInvalid(f"{key} 的值无效：{text}（单位：{unit.zh}）",
                           detail_en=f"invalid value for {key}: {text} (unit: {unit.en})", field=key) from exc  # fmt: skip
    if unit is BOOL:
        lowered = raw.lower()
        if lowered in _TRUE or lowered in _FALSE:
            return lowered in _TRUE
        raise InputInvalid(f"{key} 请填“是”或“否”", detail_en=f"{key}: yes or no", field=key)
    if isinstance(current, str):  # text stays text ("2026" as a form number is not a number)
        return raw
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
