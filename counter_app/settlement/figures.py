"""Figures the procedures ask for (issue 15 item 8), each a report kind of the catalogue:

- `weekly-figures` (周例会数据, seed 003 §4.2.6): takings, energy sold and free, consumption and
  balance by class group; the school's own charges, then 代收代付 (repair fees and metered water
  and electricity collected for others) apart, with their own subtotal: they are not revenue;
- `power-company` (供电局电费结算, 003 §4.1.9): energy sold and free per accounting month (closing
  on the 25th) with the electricity takings, for paying the power company;
- `monthly-trend`: takings and energy of the twelve accounting months ending with the range's end,
  with a bar chart beside the day report's hourly one.

Consumption and balance come from what the counter knows: the meters' write-backs that cards
brought back (consumed = the last consumed reading before the end less the last one before the
start, for accounts read both times) and the low-balance estimate (last write-back plus energy
sold since). Both are labelled as such.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app.ops.low_balance import estimate_remaining
from counter_app.settlement.ledger_view import DRAWER_KINDS, LINE_LABELS, PAYMENT_KINDS, settlement_line
from counter_app.settlement.months import day_bounds, period_days, period_of
from counter_app.settlement.period_sums import bucket_sums
from counter_app.settlement.reports import Progress, ReportQuery, entries_in, period_key
from db.models import Account, CardClass
from db.queries.accounts import last_write_back_event
from receipts.reports.model import HourChart, ReportTable, as_rows
from receipts.tables import Cell, Column

GROUPS = ("dorm", "owner")  # electricity lines, by class group
OWN_CHARGES = ("heating", "back_charge", "card_fee")  # the school's own revenue besides electricity
PASS_THROUGH = ("repair", "utility")  # 代收代付: collected for others, not revenue
WEEKLY_COLUMNS = (
    Column("类别"), Column("项目"), Column("笔数", "int"), Column("收款（元）", "yuan"),
    Column("售电量（kWh）", "kwh"), Column("免费电量（kWh）", "kwh"), Column("耗电量（据返写，kWh）", "kwh"),
    Column("期末结余估算（kWh）", "kwh"),
)  # fmt: skip



def _total(rows: Sequence[Sequence[object]], i: int) -> int:
    """The sum of column `i` (integer fen or 0.01 kWh; blank cells count 0)."""
    return sum(int(cast(Any, r[i]) or 0) for r in rows)

def weekly_figures(session: Session, query: ReportQuery, progress: Progress | None = None) -> ReportTable:
    sums = {line: [0, 0, 0, 0] for line in (*GROUPS, *OWN_CHARGES, *PASS_THROUGH)}
    for e in entries_in(session, query):
        if e.kind not in DRAWER_KINDS and not e.free_ckwh:
            continue
        row = sums.setdefault(e.line, [0, 0, 0, 0])
        row[0] += e.kind in PAYMENT_KINDS
        if e.kind in DRAWER_KINDS:
            row[1] += e.fen
            row[2] += e.energy_ckwh
        row[3] += e.free_ckwh
    meters = _meter_figures(session, query, progress)
    rows: list[tuple[Cell, ...]] = []
    for group in GROUPS:
        consumed, balance = meters.get(group, (0, 0))
        rows.append(("电费", LINE_LABELS[group], *sums[group], consumed, balance))
    for line in OWN_CHARGES:
        rows.append(("其他收费", LINE_LABELS[line], *sums[line], None, None))
    own = [sums[k] for k in (*GROUPS, *OWN_CHARGES)]
    rows.append(("本校收入小计", "", *_added(own), None, None))
    for line in PASS_THROUGH:
        rows.append(("代收代付", LINE_LABELS[line], *sums[line], None, None))
    passed = [sums[k] for k in PASS_THROUGH]
    rows.append(("代收代付小计", "", *_added(passed), None, None))
    other_lines = [k for k in sums if k not in (*GROUPS, *OWN_CHARGES, *PASS_THROUGH)]
    for line in other_lines:
        rows.append(("其他", LINE_LABELS.get(line, line), *sums[line], None, None))
    others = [sums[k] for k in other_lines]
    total: tuple[Cell, ...] = ("合计（收款）", "", *_added([*own, *passed, *others]),
                               sum(c for c, _ in meters.values()), sum(b for _, b in meters.values()))  # fmt: skip
    return ReportTable("weekly-figures", "周例会数据", WEEKLY_COLUMNS, as_rows(rows), total,
                       (query.centre_name, f"期间：{query.range_text}"), wide=True,
                       notes=("代收代付（维修费、水电费）为代收款项，不计入本校收入。",
                              "耗电量据售电时读到的电表返写计算（期初、期末均有返写的账户）；结余为估算：最后返写余量加其后售出、赠送电量。"))  # fmt: skip


def _added(rows: list[list[int]]) -> tuple[int, ...]:
    return tuple(sum(r[i] for r in rows) for i in range(4))


def _meter_figures(
    session: Session, query: ReportQuery, progress: Progress | None
) -> dict[str, tuple[int, int]]:
    """class group → (consumed over the range per write-backs, estimated balance at its end)."""
    start, end = day_bounds(query.start, query.end)
    accounts = list(session.execute(
        select(Account, CardClass.class_group).join(CardClass, CardClass.code == Account.cls)
        .where(Account.opened_on <= query.end).order_by(Account.id)
    ).tuples())  # fmt: skip
    out: dict[str, tuple[int, int]] = {}
    for done, (account, group) in enumerate(accounts, start=1):
        consumed, balance = out.get(group, (0, 0))
        estimate = estimate_remaining(session, account, end)
        out[group] = (
            consumed + _consumed(session, account.id, start, end),
            balance + (estimate[0] if estimate else 0),
        )
        if progress is not None:
            progress(done, len(accounts))
    return out


def _consumed(session: Session, account_id: int, start: datetime, end: datetime) -> int:
    first = last_write_back_event(session, account_id, before=start)
    last = last_write_back_event(session, account_id, before=end)
    if first is None or last is None or first.id == last.id or not first.data or not last.data:
        return 0
    return max(0, int(last.data.get("consumed_ckwh", 0)) - int(first.data.get("consumed_ckwh", 0)))


# --- by accounting month ---------------------------------------------------------------------------------


def _month_sums(session: Session, first: date, last: date, month_end_day: int) -> dict[str, list[int]]:
    """period → [electricity takings fen, energy sold, free energy, all takings fen], summed in SQL."""
    out: dict[str, list[int]] = {}
    for b in bucket_sums(session, *day_bounds(first, last), "day"):
        row = out.setdefault(period_key("month", b.local.date(), month_end_day), [0, 0, 0, 0])
        electricity = settlement_line(b.kind, b.charge, b.class_group) in GROUPS
        if b.kind in DRAWER_KINDS:
            row[0] += b.fen if electricity else 0
            row[1] += b.energy_ckwh if electricity else 0
            row[3] += b.fen
        row[2] += b.free_ckwh
    return out


def _periods(first: str, last: str) -> list[str]:
    out, year, month = [], int(first[:4]), int(first[5:7])
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def power_company(session: Session, query: ReportQuery, progress: Progress | None = None) -> ReportTable:
    """Energy the counter sold and gave per accounting month: what the power company is paid for."""
    first, last = period_of(query.start, query.month_end_day), period_of(query.end, query.month_end_day)
    periods = _periods(first, last)
    sums = _month_sums(session, period_days(first, query.month_end_day)[0], period_days(last, query.month_end_day)[1],
                       query.month_end_day)  # fmt: skip
    rows = []
    for p in periods:
        fen, sold, free, _all = sums.get(p, [0, 0, 0, 0])
        start, end = period_days(p, query.month_end_day)
        rows.append((p, f"{start.isoformat()} 至 {end.isoformat()}", sold, free, sold + free, fen))
    columns = (Column("会计月"), Column("起止日期"), Column("售电量（kWh）", "kwh"), Column("免费电量（kWh）", "kwh"),
               Column("电量合计（kWh）", "kwh"), Column("电费收款（元）", "yuan"))  # fmt: skip
    total: tuple[Cell, ...] = ("合计", "", *(_total(rows, i) for i in range(2, 6)))
    return ReportTable("power-company", "供电局电费结算统计", columns, as_rows(rows), total,
                       (query.centre_name, f"会计月：{first} 至 {last}（每月截至 {query.month_end_day} 日）"),
                       notes=("售电量为实收（已冲回作废）；免费电量为定额送电实际领取量。",),
                       sign_labels=("制表", "复核", "财务"))  # fmt: skip


def monthly_trend(session: Session, query: ReportQuery, progress: Progress | None = None) -> ReportTable:
    """The twelve accounting months ending with the one holding query.end."""
    last = period_of(query.end, query.month_end_day)
    year, month = int(last[:4]), int(last[5:7])
    first = f"{year:04d}-01" if month == 12 else f"{year - 1:04d}-{month + 1:02d}"
    periods = _periods(first, last)
    sums = _month_sums(session, period_days(first, query.month_end_day)[0], period_days(last, query.month_end_day)[1],
                       query.month_end_day)  # fmt: skip
    rows = [(p, sums.get(p, [0, 0, 0, 0])[3], sums.get(p, [0, 0, 0, 0])[1], sums.get(p, [0, 0, 0, 0])[2])
            for p in periods]  # fmt: skip
    columns = (Column("会计月"), Column("收款（元）", "yuan"), Column("售电量（kWh）", "kwh"),
               Column("免费电量（kWh）", "kwh"))  # fmt: skip
    total: tuple[Cell, ...] = ("合计", *(_total(rows, i) for i in range(1, 4)))
    chart = HourChart(
        "月度收款趋势", tuple(int(r[1]) // 100 for r in rows), labels=tuple(p[2:] for p in periods)
    )
    return ReportTable("monthly-trend", "月度趋势", columns, as_rows(rows), total,
                       (query.centre_name, f"会计月：{first} 至 {last}"), chart=chart)  # fmt: skip
