"""The quota policy (DOMAIN "Counter operations" 2) as pure functions over a settings snapshot.

Decisions where DOMAIN/API are silent (docs/api.md):
- `quota.ckwh_per_unit.{category}` is the energy per unit per *policy period* (a month by default).
  Basis `occupant`: Σ occupants of each category × that category's amount. Basis `bed` and
  `room`: one amount per bed / per room at the `undergrad` rate (a bed or a room has no category).
- A batch's period "YYYY-MM" is the first month it covers: `month` covers that month; `semester`
  covers it up to the month of its term end (6 months when no term end is set); `year` 12 months;
  excluded months are never covered (so they never overlap). A monthly batch for an excluded month
  is refused.
- The term of a period is the first `term_ends` date on or after the period's first day;
  entitlement is collectable from the period's first day to that date inclusive and lapses after
  it. With no term end set, entitlement does not lapse.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy.orm import Session as DbSession

from base.errors import InputInvalid
from counter_app.settings import OCCUPANT_CATEGORIES, get_setting

_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def snapshot(s: DbSession) -> dict[str, Any]:
    """The quota.* settings now, as stored in a batch (so later changes never alter it)."""
    return {
        "basis": get_setting(s, "quota.basis"),
        "ckwh_per_unit": {cat: get_setting(s, f"quota.ckwh_per_unit.{cat}") for cat in OCCUPANT_CATEGORIES},
        "period": get_setting(s, "quota.period"),
        "excluded_months": list(get_setting(s, "quota.excluded_months")),
    }


def parse_period(period: Any) -> tuple[int, int]:
    match = _PERIOD.match(period) if isinstance(period, str) else None
    if match is None:
        raise InputInvalid(f"期间格式应为 YYYY-MM：{period!r}", detail_en=f"period must be YYYY-MM: {period!r}",
                           field="period")  # fmt: skip
    return int(match.group(1)), int(match.group(2))


def entitlement_ckwh(policy: Mapping[str, Any], *, beds: int, occupants: Mapping[str, int]) -> int:
    rates: Mapping[str, int] = policy["ckwh_per_unit"]  # (the policy is a JSON document: the edge)
    if policy["basis"] == "occupant":
        return sum(occupants.get(cat, 0) * rates[cat] for cat in OCCUPANT_CATEGORIES)
    if policy["basis"] == "bed":
        return beds * rates["undergrad"]
    return rates["undergrad"]  # room


def term_end_for(first_day: date, term_ends: list[date]) -> date | None:
    return next((d for d in sorted(term_ends) if d >= first_day), None)


def covered_months(policy: Mapping[str, Any], year: int, month: int, term_end: date | None) -> list[str]:
    if policy["period"] == "month":
        count = 1
    elif policy["period"] == "year":
        count = 12
    else:
        count = (term_end.year - year) * 12 + term_end.month - month + 1 if term_end else 6
    excluded = set(policy["excluded_months"])
    months = []
    for i in range(max(count, 1)):
        y, m = divmod(month - 1 + i, 12)
        if m + 1 not in excluded:
            months.append(f"{year + y:04d}-{m + 1:02d}")
    return months


def refuse_excluded(policy: Mapping[str, Any], month: int, period: str) -> None:
    if policy["period"] == "month" and month in policy["excluded_months"]:
        raise InputInvalid(
            f"{month}月不送定额电（不送电月份：{'、'.join(map(str, policy['excluded_months']))}），期间 {period}",
            detail_en=f"month {month} is excluded from the free quota ({period})", field="period",
            data={"month": month},
        )  # fmt: skip
