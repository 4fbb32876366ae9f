"""Half-month 收账检查 and spot checks (抽查) by the assistant (DOMAIN "Deposits"; seed 001:1618,
1643: "营业室负责人不定时抽查现金缴款单，每半月收账时……对日常工作进行详细检查").

A check is recorded once (the sealed `collection_checks` row) and chained in the audit log
(`collection_check.recorded`), so the list of checks done cannot be thinned or padded unseen.

Half-months are calendar halves: the 1st–15th and the 16th–month end (the procedure says "every
half month" and names no other cut). A half is checked when the half-month checks recorded for it
cover every one of its days; spot checks are counted beside it and never stand in for it.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session as DbSession

from base.errors import InputInvalid
from base.validation import checked_fen, checked_text
from counter_app.context import OpContext
from counter_app.ops.receivables import ReceivablesOps
from counter_app.ops.rotation import RotationOps
from counter_app.ops.visitor_log import VisitorLogOps
from counter_app.settlement import deposits
from db.models import Shift
from db.queries.duties import checks_overlapping

CHECKER_ROLES = ("assistant", "head")  # DOMAIN: the assistant's duty; the head may do all the assistant does
READER_ROLES = ("assistant", "head", "finance")
FINDINGS_MAX_LEN = 500
MAX_SPAN_DAYS = 400


@dataclass(frozen=True)
class CheckRow:
    check_id: int
    kind: str  # half_month | spot
    covers_from: date
    covers_to: date
    shift_id: int | None
    counted_fen: int | None
    findings: str
    checked_by: str
    at: datetime


@dataclass(frozen=True)
class HalfMonth:
    first: date
    last: date
    checked: bool  # the half-month checks cover every day of it
    checks: tuple[CheckRow, ...]  # half-month checks meeting it
    spot_checks: tuple[CheckRow, ...]  # spot checks meeting it

    @property
    def label(self) -> str:
        return f"{self.first.isoformat()} 至 {self.last.isoformat()}"


def half_months(start: date, end: date) -> Iterator[tuple[date, date]]:
    """The calendar halves (1–15, 16–end) that meet [start, end], in order."""
    day = start.replace(day=1) if start.day <= 15 else start.replace(day=16)
    while day <= end:
        if day.day == 1:
            last = day.replace(day=15)
        else:
            last = day.replace(day=calendar.monthrange(day.year, day.month)[1])
        yield day, last
        day = last + timedelta(days=1)


def check_rows(session: DbSession, start: date, end: date) -> list[CheckRow]:
    return [
        CheckRow(c.id, c.kind, c.covers_from, c.covers_to, c.shift_id, c.counted_fen, c.findings, name, c.at)
        for c, name in checks_overlapping(session, start, end)
    ]


def half_month_status(session: DbSession, start: date, end: date) -> list[HalfMonth]:
    halves = list(half_months(start, end))
    if not halves:
        return []
    rows = check_rows(session, halves[0][0], halves[-1][1])
    out = []
    for first, last in halves:
        meeting = [r for r in rows if r.covers_to >= first and r.covers_from <= last]
        full = [r for r in meeting if r.kind == "half_month"]
        covered = {
            first + timedelta(days=i)
            for r in full
            for i in range((last - first).days + 1)
            if r.covers_from <= first + timedelta(days=i) <= r.covers_to
        }
        out.append(HalfMonth(first, last, len(covered) == (last - first).days + 1, tuple(full),
                             tuple(r for r in meeting if r.kind == "spot")))  # fmt: skip
    return out


# --- the facade's services ----------------------------------------------------------------------------


def record_collection_check(
    ctx: OpContext, *, kind: str, covers_from: date, covers_to: date, findings: str,
    shift_id: int | None = None, counted_fen: int | None = None,
) -> CheckRow:  # fmt: skip
    findings = checked_text(findings, field="findings", label="检查结果", max_len=FINDINGS_MAX_LEN)
    _check_dates(covers_from, covers_to)
    if counted_fen is not None:
        counted_fen = checked_fen(counted_fen, field="counted_fen", label="清点金额", minimum=0)
    with ctx.uow() as s:
        ctx.require_role(s, *CHECKER_ROLES)
        if shift_id is not None and (isinstance(shift_id, bool) or not isinstance(shift_id, int)
                                     or s.get(Shift, shift_id) is None):  # fmt: skip
            raise InputInvalid(f"没有班次 {shift_id}", detail_en=f"no shift {shift_id}", field="shift_id")
        if covers_to > ctx.today():
            raise InputInvalid(
                "不能检查尚未到来的日子", detail_en="the range ends in the future", field="covers_to"
            )
        check_id = deposits.record_collection_check(ctx, s, kind=kind, covers_from=covers_from, covers_to=covers_to,
                                                    findings=findings, shift_id=shift_id, counted_fen=counted_fen)  # fmt: skip
        ctx.audit(s, "collection_check.recorded", check_id=check_id, check_kind=kind,
                  covers_from=covers_from.isoformat(), covers_to=covers_to.isoformat(), shift_id=shift_id,
                  counted_fen=counted_fen, findings=findings)  # fmt: skip
        (row,) = [r for r in check_rows(s, covers_from, covers_to) if r.check_id == check_id]
        return row


def _check_dates(covers_from: object, covers_to: object) -> None:
    for name, value in (("covers_from", covers_from), ("covers_to", covers_to)):
        if isinstance(value, datetime) or not isinstance(value, date):
            raise InputInvalid("日期无效", detail_en=f"{name} must be a date", field=name)
    assert isinstance(covers_from, date) and isinstance(covers_to, date)
    if covers_to < covers_from:
        raise InputInvalid(
            "结束日期早于开始日期", detail_en="the range ends before it starts", field="covers_to"
        )
    if (covers_to - covers_from).days > MAX_SPAN_DAYS:
        raise InputInvalid("日期范围过长", detail_en="date range too long", field="covers_to")


def collection_checks(ctx: OpContext, *, start: date, end: date) -> list[HalfMonth]:
    _check_dates(start, end)
    with ctx.reading() as s:
        ctx.require_role(s, *READER_ROLES)
        return half_month_status(s, start, end)


class DutiesOps(ReceivablesOps, VisitorLogOps, RotationOps):
    """Facade methods (docs/api.md "Department duties")."""

    def record_collection_check(
        self, *, kind: str, covers_from: date, covers_to: date, findings: str, shift_id: int | None = None,
        counted_fen: int | None = None,
    ) -> CheckRow:  # fmt: skip
        """Addition (docs/api.md): a half-month 收账检查 or a spot check (抽查), audited."""
        return record_collection_check(self.ctx, kind=kind, covers_from=covers_from, covers_to=covers_to,
                                       findings=findings, shift_id=shift_id, counted_fen=counted_fen)  # fmt: skip

    def collection_checks(self, *, start: date, end: date) -> list[HalfMonth]:
        """Addition (docs/api.md): each calendar half-month meeting start..end, checked or not."""
        return collection_checks(self.ctx, start=start, end=end)
