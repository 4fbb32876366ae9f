"""Report rows (`counter-admin report KIND`), computed from the ledger into plain ReportTables.

    table = build_report(session, "day", ReportQuery(start=date(2025, 9, 1), end=date(2025, 9, 1)))
    data = receipts.reports.render(table, "pdf")

Every kind and its builder are listed in one table, counter_app/settlement/report_catalogue.py
(`REPORTS`, `build_report`). This module holds what builders share (`ReportQuery`, `Builder`,
`Progress`) and the period builders. A builder takes (session, query, progress) and must depend on
nothing but the database and the query (no "now"), so a past range regenerates byte-identical.

Period tables (day / week / month / year): one row per (period, class group, charge) with count
(payments), amount (net of voids, fen), energy sold, free energy delivered, refunds raised (fen)
and voids (count). Weeks are ISO weeks; months and years are accounting periods (`period_of`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from base.clock import BUSINESS_TZ
from base.errors import InputInvalid
from base.vocabulary import CLASS_GROUP_LABELS
from counter_app.settings import get_setting
from counter_app.settlement.ledger_view import (
    DRAWER_KINDS,
    PAYMENT_KINDS,
    EntryRow,
    entries_between,
    settlement_line,
)
from counter_app.settlement.months import day_bounds, period_of
from counter_app.settlement.period_sums import BucketSum, bucket_sums, kept_bucket_sums
from receipts.reports.model import HourChart, ReportTable, as_rows
from receipts.tables import Cell, Column

Progress = Callable[[int, int], None]
Builder = Callable[[Session, "ReportQuery", Progress | None], ReportTable]
GROUP_LABELS = CLASS_GROUP_LABELS
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
    return ReportQuery(start, end, get_setting(session, "month_end_day"), get_setting(session, "centre_name"),
                       get_setting(session, "report.form_no.collection"),
                       get_setting(session, "report.form_no.account_detail"))  # fmt: skip


# --- period tables -------------------------------------------------------------------------------


def entries_in(session: Session, query: ReportQuery) -> list[EntryRow]:
    return entries_between(session, *day_bounds(query.start, query.end))


def charge_of(e: EntryRow) -> str:
    return charge_of_line(e.line)


def charge_of_line(line: str) -> str:
    return "electricity" if line in GROUP_LABELS else line


def group_of(e: EntryRow) -> str:
    return group_label(e.class_group, bool(e.account_no))


def group_label(class_group: str | None, has_account: bool) -> str:
    return GROUP_LABELS.get(class_group or "", "其他") if has_account else "其他"


def period_key(kind: str, local: datetime | date, month_end_day: int) -> str:
    """The period of a business-local moment or date (aware moments are converted first)."""
    if isinstance(local, datetime):
        local = (local.astimezone(BUSINESS_TZ) if local.tzinfo else local).date()
    if kind == "day":
        return local.isoformat()
    if kind == "week":
        year, week, _ = local.isocalendar()
        return f"{year}-W{week:02d}"
    period = period_of(local, month_end_day)
    return period if kind == "month" else period[:4]


PERIOD_COLUMNS = (Column("期间"), Column("用户类别"), Column("收费项目"), Column("笔数", "int"),
                  Column("金额（元）", "yuan"), Column("售电量（kWh）", "kwh"), Column("免费电量（kWh）", "kwh"),
                  Column("退费（元）", "yuan"), Column("作废", "int"))  # fmt: skip
_CHARGE_ORDER = list(CHARGE_LABELS)


def period_rows(
    sums: Iterable[BucketSum], kind: str, month_end_day: int, fen_by_hour: list[int]
) -> list[tuple[str, str, str, *tuple[int, ...]]]:
    """Fold the database's bucket sums into (period, group, charge) rows; takings by hour alongside."""
    acc: dict[tuple[str, str, str], list[int]] = {}
    entries: dict[tuple[str, str, str], int] = {}  # a row is shown while it holds an entry
    keys: dict[tuple[object, ...], tuple[str, str, str]] = {}
    for b in sums:
        head = (b.local.date(), b.kind, b.charge, b.class_group, b.has_account)
        key = keys.get(head)
        if key is None:
            line = settlement_line(b.kind, b.charge, b.class_group)
            key = keys[head] = (period_key(kind, b.local.date(), month_end_day),
                                group_label(b.class_group, b.has_account), charge_of_line(line))  # fmt: skip
        row = acc.setdefault(key, [0, 0, 0, 0, 0, 0])
        # Kept sums may move an account's entries out of a row (negative counts, class changed).
        entries[key] = entries.get(key, 0) + b.count
        row[0] += b.count if b.kind in PAYMENT_KINDS else 0
        if b.kind in DRAWER_KINDS:
            row[1] += b.fen
            row[2] += b.energy_ckwh
            fen_by_hour[b.local.hour] += b.fen
        row[3] += b.free_ckwh
        row[4] += -b.fen if b.kind == "refund_raised" else 0
        row[5] += b.count if b.kind == "void" else 0
    order = sorted(
        (k for k in acc if entries[k]),
        key=lambda k: (k[0], k[1], _CHARGE_ORDER.index(k[2]) if k[2] in _CHARGE_ORDER else 99),
    )
    return [(p, g, CHARGE_LABELS.get(c, c), *acc[(p, g, c)]) for p, g, c in order]


def _period_builder(kind: str, title: str) -> Builder:
    def build(session: Session, query: ReportQuery, progress: Progress | None = None) -> ReportTable:
        # Summed in SQL per local hour for the day report's chart (a small range, live); the others
        # from the kept sums per local day (years of them: thousands of rows, not millions).
        if kind == "day":
            sums = bucket_sums(session, *day_bounds(query.start, query.end), "hour")
        else:
            sums = kept_bucket_sums(session, query.start, query.end)
        fen_by_hour = [0] * 24
        rows = period_rows(sums, kind, query.month_end_day, fen_by_hour)
        amounts = [r[3:] for r in rows]  # (the numeric columns: summed for the total line)
        total: tuple[Cell, ...] = ("合计", "", "", *(sum(a[i] for a in amounts) for i in range(6)))
        chart = hour_chart(fen_by_hour) if kind == "day" else None
        return ReportTable(kind, title, PERIOD_COLUMNS, as_rows(rows), total,
                           (query.centre_name, f"期间：{query.range_text}"), wide=True, chart=chart)  # fmt: skip

    return build


def hour_chart(fen_by_hour: list[int]) -> HourChart:
    """Takings by hour of day, in whole yuan (the chart only; tables keep exact fen)."""
    return HourChart("分时段收费", tuple(v // 100 for v in fen_by_hour))


day_report = _period_builder("day", "日报表")
week_report = _period_builder("week", "周报表")
month_report = _period_builder("month", "月报表")
year_report = _period_builder("year", "年报表")
