"""The period reports sum in SQL per local day/hour: they must equal a fold of every entry, with the
business date (Asia/Shanghai) and the accounting month, on both backends."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import insert

from base.clock import BUSINESS_TZ
from counter_app.settlement.ledger_view import DRAWER_KINDS, PAYMENT_KINDS, entries_between
from counter_app.settlement.months import day_bounds, period_of
from counter_app.settlement.report_catalogue import build_report
from counter_app.settlement.reports import CHARGE_LABELS, GROUP_LABELS, ReportQuery
from db.models import LedgerEntry
from receipts.reports import render
from settlement.conftest import work

KINDS = ("sale", "free", "bill_payment", "fee_payment", "back_charge_payment", "refund_raised", "suspense",
         "suspense_resolved", "carried", "cleared", "legacy_purchase", "correction", "void")  # fmt: skip
CHARGES = (
    None,
    "electricity",
    "repair",
    "utility",
    "heating",
    "card",
    "fee",
    "card_fee",
    "back_charge",
    "odd",
)


def _populate(w, n: int = 600) -> None:
    rng = random.Random(7)
    base = datetime(2024, 12, 20, tzinfo=UTC)
    rows = []
    for _ in range(n):
        kind = rng.choice(KINDS)
        # Many entries right at a UTC 16:00 (local midnight) or the 25th/26th: the boundaries that matter.
        at = base + timedelta(days=rng.randrange(420), hours=rng.choice((15, 16, rng.randrange(24))),
                              minutes=rng.choice((0, 59)), seconds=rng.choice((0, 59)))  # fmt: skip
        fen = (
            0
            if kind == "free"
            else rng.randrange(1, 9_000) * (-1 if kind in ("void", "refund_raised") else 1)
        )
        rows.append({"kind": kind, "charge": rng.choice(CHARGES), "at": at, "fen": fen,
                     "account_id": rng.choice((None, w.dorm_account, w.staff_account)),
                     "energy_ckwh": 0 if kind == "free" else abs(fen) // 2, "free_ckwh": rng.randrange(0, 300),
                     "price_e4": 5883, "tender": "cash", "operator_id": w.people.cashier,
                     "corrects_entry_id": 1 if kind == "correction" else None, "data": {}})  # fmt: skip
    with work(w.engine, w.keys) as s:
        s.execute(
            insert(LedgerEntry), [rows[0] | {"kind": "sale", "charge": None, "fen": 500, "energy_ckwh": 250}]
        )
        s.execute(insert(LedgerEntry), [r for r in rows[1:] if r["kind"] != "void"])
        voided = [r for r in rows[1:] if r["kind"] == "void"]
        for i, r in enumerate(voided):  # a void names the entry it voids, each at most once
            s.execute(insert(LedgerEntry), [r | {"corrects_entry_id": i + 2}])


def _fold_each_entry(s, kind: str, q: ReportQuery):
    """The reference: every entry read and added up in Python (the implementation before SQL sums)."""
    acc, hours = {}, [0] * 24
    for e in entries_between(s, *day_bounds(q.start, q.end)):
        local = e.at.astimezone(BUSINESS_TZ)
        if kind == "day":
            p = local.date().isoformat()
        elif kind == "week":
            p = "{}-W{:02d}".format(*local.isocalendar()[:2])
        else:
            p = period_of(local, q.month_end_day)[: 7 if kind == "month" else 4]
        group = GROUP_LABELS.get(e.class_group or "", "其他") if e.account_no else "其他"
        charge = "electricity" if e.line in GROUP_LABELS else e.line
        row = acc.setdefault((p, group, charge), [0] * 6)
        row[0] += e.kind in PAYMENT_KINDS
        if e.kind in DRAWER_KINDS:
            row[1] += e.fen
            row[2] += e.energy_ckwh
            hours[local.hour] += e.fen
        row[3] += e.free_ckwh
        row[4] += -e.fen if e.kind == "refund_raised" else 0
        row[5] += e.kind == "void"
    order = list(CHARGE_LABELS)
    keys = sorted(acc, key=lambda k: (k[0], k[1], order.index(k[2]) if k[2] in order else 99))
    return [(p, g, CHARGE_LABELS.get(c, c), *acc[(p, g, c)]) for p, g, c in keys], [v // 100 for v in hours]


@pytest.mark.parametrize("kind", ["day", "week", "month", "year"])
def test_period_tables_equal_a_fold_of_every_entry(world, kind):
    _populate(world)
    queries = [ReportQuery(date(2024, 12, 21), date(2026, 2, 10), month_end_day=med) for med in (25, 31, 1)]
    queries += [
        ReportQuery(date(2025, 3, 26), date(2025, 3, 26)),
        ReportQuery(date(2025, 1, 1), date(2025, 1, 7)),
    ]
    for q in queries:
        with work(world.engine, world.keys) as s:
            table = build_report(s, kind, q)
            rows, hours = _fold_each_entry(s, kind, q)
        assert [tuple(r) for r in table.rows] == rows
        assert all(type(v) is int for r in table.rows for v in r[3:])  # not Decimal (PostgreSQL SUM)
        assert list(table.chart.values) == hours if kind == "day" else table.chart is None
        assert render(table, "csv") == render(table, "csv")
