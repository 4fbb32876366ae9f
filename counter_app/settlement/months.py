"""The accounting month (会计月), closing on the 25th (setting `month_end_day`, 003:42).

A moment belongs to the period of the month in which its business date falls, unless that date is
after the month-end day: then to the next month. With 25: 2025-09-25 → "2025-09", 2025-09-26 →
"2025-10", 2025-12-26 → "2026-01". A co-signed month close freezes the period: any write dated
in it is refused with PERIOD_FROZEN (`require_period_open`, called by every writing service).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from base.clock import BUSINESS_TZ, business_date
from base.errors import InputInvalid, PeriodFrozen, RoleForbidden
from counter_app.approvals import Approval
from counter_app.auth import has_role
from counter_app.context import OpContext
from counter_app.results import MonthInfo
from counter_app.settlement.sheet_content import name_of
from db.models import Shift, ShiftClosure
from db.models.security import Approval as ApprovalRow
from db.models.settlement import MonthClose, SettlementSheet, SheetFreeze

_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
CLOSE_KIND = "month.close"


def period_of(moment: datetime | date, month_end_day: int = 25) -> str:
    day = business_date(moment) if isinstance(moment, datetime) else moment
    year, month = day.year, day.month
    if day.day > month_end_day:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return f"{year:04d}-{month:02d}"


def parse_period(period: str) -> tuple[int, int]:
    match = _PERIOD.match(period or "") if isinstance(period, str) else None
    if match is None:
        raise InputInvalid(
            f"会计期间格式应为 YYYY-MM：{period!r}", detail_en="period is YYYY-MM", field="period"
        )
    return int(match.group(1)), int(match.group(2))


def period_days(period: str, month_end_day: int = 25) -> tuple[date, date]:
    """First and last business date (inclusive) of the period."""
    year, month = parse_period(period)
    prev_year, prev_month = (year - 1, 12) if month == 1 else (year, month - 1)
    return date(prev_year, prev_month, month_end_day) + timedelta(days=1), date(year, month, month_end_day)


def day_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """[start, end) as aware moments covering business dates first..last."""
    start = datetime(first.year, first.month, first.day, tzinfo=BUSINESS_TZ)
    end = datetime(last.year, last.month, last.day, tzinfo=BUSINESS_TZ) + timedelta(days=1)
    return start, end


def is_frozen(session: Session, period: str) -> bool:
    return session.scalar(select(MonthClose.id).where(MonthClose.period == period)) is not None


def require_period_open(session: Session, moment: datetime | date, month_end_day: int = 25) -> None:
    """PERIOD_FROZEN when the write dated `moment` falls into a closed accounting month."""
    period = period_of(moment, month_end_day)
    if is_frozen(session, period):
        raise PeriodFrozen(period, data={"period": period})


def close_month(
    ctx: OpContext,
    session: Session,
    *,
    period: str,
    approval: Approval | None,
    month_end_day: int | None = None,
) -> MonthInfo:
    """Finance (`ctx`'s operator) closes the period, co-signed through `ctx.approve`; refused
    before its last day is over, when it is already closed, or while a shift of the period is open
    or its sheet not yet signed for. `month_end_day` defaults to the setting."""
    if month_end_day is None:
        month_end_day = ctx.setting(session, "month_end_day")
    maker_id = ctx.operator_id
    first, last = period_days(period, month_end_day)
    now = ctx.now()
    if not has_role(session, maker_id, "finance", on=business_date(now)):
        raise RoleForbidden("月结须由财务操作", detail_en="finance closes the month")
    if business_date(now) <= last:
        raise InputInvalid(
            f"{period} 尚未结束（{last} 为月结日）", detail_en="the period has not ended", field="period"
        )
    if is_frozen(session, period):
        raise PeriodFrozen(period, data={"period": period})
    _require_shifts_handed_over(session, first, last)
    approval_id = ctx.approve(session, approval, kind=CLOSE_KIND, payload={"period": period})
    row = MonthClose(period=period, closed_at=now, maker_id=maker_id, approval_id=approval_id)
    session.add(row)
    session.flush()
    ctx.audit(session, "month.closed", subject=row, period=period)
    checker_id = session.scalar(select(ApprovalRow.checker_id).where(ApprovalRow.id == approval_id))
    return MonthInfo(period, now, name_of(session, maker_id) or "", name_of(session, checker_id) or "")


def _require_shifts_handed_over(session: Session, first: date, last: date) -> None:
    start, end = day_bounds(first, last)
    frozen = select(SettlementSheet.shift_id).join(SheetFreeze, SheetFreeze.sheet_id == SettlementSheet.id)
    stmt = (
        select(Shift.id)
        .outerjoin(ShiftClosure, ShiftClosure.shift_id == Shift.id)
        .where(Shift.opened_at >= start, Shift.opened_at < end, Shift.id.not_in(frozen))
        .order_by(Shift.id)
    )
    pending = list(session.scalars(stmt))
    if pending:
        raise InputInvalid(f"以下班次的交账单尚未签收：{pending}", detail_en=f"sheets not signed for: {pending}",
                           field="period", data={"shift_ids": pending})  # fmt: skip
