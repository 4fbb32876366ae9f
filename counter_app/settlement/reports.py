"""Report rows (`counter-admin report KIND`), computed from the ledger into plain ReportTables.

    table = build_report(session, "day", ReportQuery(start=date(2025, 9, 1), end=date(2025, 9, 1)))
    data = receipts.reports.render(table, "pdf")

`REPORTS = {kind: builder}` is the registry; other areas (quota, low-balance, reconciliation)
add theirs with `register_report`. A builder takes (session, query, progress) and must depend on
nothing but the database and the query (no "now"), so a past range regenerates byte-identical.

Period tables (day / week / month / year): one row per (period, class group, charge) with count
(payments), amount (net of voids, fen), energy sold, free energy delivered, refunds raised (fen)
and voids (count). Weeks are ISO weeks; months and years are accounting periods (`period_of`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from counter_app.clock import BUSINESS_TZ
from counter_app.errors import InputInvalid
from counter_app.settlement.ledger_view import DRAWER_KINDS, PAYMENT_KINDS, EntryRow, entries_between
from counter_app.settlement.months import day_bounds, period_of
from receipts.reports.model import HourChart, ReportTable, as_rows
from receipts.tables import Column

Progress = Callable[[int, int], None]
Builder = Callable[[Session, "ReportQuery", Progress | None], ReportTable]
GROUP_LABELS = {"dorm": "寝室用户", "owner": "业主用户"}
CHARGE_LABELS = {"electricity": "电费", "repair": "代收维修费", "utility": "代收水电费", "heating": "采暖费",
                 "back_charge": "违规用电补缴", "card_fee": "补卡费"}  # fmt: skip
MAX_DAYS = 3700  # ten years: a typo in a year is refused rather than run for minutes


@dataclass(frozen=True)
class ReportQuery:
    start: date
    end: date  # inclusive
    month_end_day: int = 25
    centre_name: str = "能源中心营业室"
    form_no_collection: str = "HNKJ/C4/1012"
    form_no_account_detail: str = "HNKJ/C4/1013"

    def __post_init__(self) -> None:
        if not isinstance(self.start, date) or not isinstance(self.end, date):
            raise InputInvalid("日期无效", detail_en="dates are needed", field="start")
        if self.end < self.start:
            raise InputInvalid(f"结束日期 {self.end} 早于开始日期 {self.start}",
                               detail_en="the range ends before it starts", field="end")  # fmt: skip
        if (self.end - self.start).days > MAX_DAYS:
            raise InputInvalid("日期范围过长", detail_en="date range too long", field="end")

    @property
    def range_text(self) -> str:
        return f"{self.start.isoformat()} 至 {self.end.isoformat()}"


def query_from_settings(session: Session, start: date, end: date) -> ReportQuery:
    from counter_app.settings import get_setting

    return ReportQuery(start, end, get_setting(session, "month_end_day"), get_setting(session, "centre_name"),
                       get_setting(session, "report.form_no.collection"),
                       get_setting(session, "report.form_no.account_detail"))  # fmt: skip


REPORTS: dict[str, Builder] = {}


def register_report(kind: str, builder: Builder) -> None:
    if kind in REPORTS:
        raise ValueError(f"report kind {kind!r} registered twice")
    REPORTS[kind] = builder


def build_report(
    session: Session, kind: str, query: ReportQuery, progress: Progress | None = None
) -> ReportTable:
    if kind not in REPORTS:
        raise InputInvalid(f"没有这种报表：{kind}", detail_en=f"unknown report kind {kind}", field="kind")
    return REPORTS[kind](session, query, progress)


# --- period tables -------------------------------------------------------------------------------


def entries_in(session: Session, query: ReportQuery) -> list[EntryRow]:
    return entries_between(session, *day_bounds(query.start, query.end))


def charge_of(e: EntryRow) -> str:
    return "electricity" if e.line in GROUP_LABELS else e.line


def group_of(e: EntryRow) -> str:
    return GROUP_LABELS.get(e.class_group or "", "其他") if e.account_no else "其他"


def period_key(kind: str, e: EntryRow, month_end_day: int) -> str:
    local = e.at.astimezone(BUSINESS_TZ)
    if kind == "day":
        return local.date().isoformat()
    if kind == "week":
        year, week, _ = local.isocalendar()
        return f"{year}-W{week:02d}"
    period = period_of(local, month_end_day)
    return period if kind == "month" else period[:4]


PERIOD_COLUMNS = (Column("期间"), Column("用户类别"), Column("收费项目"), Column("笔数", "int"),
                  Column("金额（元）", "yuan"), Column("售电量（kWh）", "kwh"), Column("免费电量（kWh）", "kwh"),
                  Column("退费（元）", "yuan"), Column("作废", "int"))  # fmt: skip
_CHARGE_ORDER = list(CHARGE_LABELS)


def period_rows(entries: list[EntryRow], kind: str, month_end_day: int) -> list[list]:
    acc: dict[tuple[str, str, str], list[int]] = {}
    for e in entries:
        key = (period_key(kind, e, month_end_day), group_of(e), charge_of(e))
        row = acc.setdefault(key, [0, 0, 0, 0, 0, 0])
        row[0] += e.kind in PAYMENT_KINDS
        if e.kind in DRAWER_KINDS:
            row[1] += e.fen
            row[2] += e.energy_ckwh
        row[3] += e.free_ckwh
        row[4] += -e.fen if e.kind == "refund_raised" else 0
        row[5] += e.kind == "void"
    order = sorted(
        acc, key=lambda k: (k[0], k[1], _CHARGE_ORDER.index(k[2]) if k[2] in _CHARGE_ORDER else 99)
    )
    return [[p, g, CHARGE_LABELS.get(c, c), *acc[(p, g, c)]] for p, g, c in order]


def _period_builder(kind: str, title: str) -> Builder:
    def build(session: Session, query: ReportQuery, progress: Progress | None = None) -> ReportTable:
        entries = entries_in(session, query)
        rows = period_rows(entries, kind, query.month_end_day)
        total = ("合计", "", "", *(sum(r[i] for r in rows) for i in range(3, 9)))
        chart = hour_chart(entries) if kind == "day" else None
        return ReportTable(kind, title, PERIOD_COLUMNS, as_rows(rows), total,
                           (query.centre_name, f"期间：{query.range_text}"), wide=True, chart=chart)  # fmt: skip

    return build


def hour_chart(entries: list[EntryRow]) -> HourChart:
    """Takings by hour of day, in whole yuan (the chart only; tables keep exact fen)."""
    fen = [0] * 24
    for e in entries:
        if e.kind in DRAWER_KINDS:
            fen[e.at.astimezone(BUSINESS_TZ).hour] += e.fen
    return HourChart("分时段收费", tuple(v // 100 for v in fen))


for _kind, _title in (("day", "日报表"), ("week", "周报表"), ("month", "月报表"), ("year", "年报表")):
    register_report(_kind, _period_builder(_kind, _title))

# The finance reports register themselves on import (kept in their own module for size).
# The quota, low-balance and reconciliation reports live with their areas (counter_app/ops).
from counter_app.ops import notice_reports, quota_report  # noqa: E402,F401
from counter_app.settlement import reports_finance  # noqa: E402,F401
