"""The kept sums (counter_app/settlement/kept_sums.py): the week / month / year reports read them and
must still equal a fold of every entry, on both backends, whatever was refreshed or not: partial
refreshes, entries with old dates after a batch, accounts that changed class, class groups changed.
A summary row changed behind the software's back is refused (TAMPERED) where it is read, and `audit
verify` recomputes the sums from the ledger. On PostgreSQL a batch never covers an id that an open
transaction may still commit."""

from __future__ import annotations

import random
import sqlite3
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, insert, select, text

from base.errors import UserFacingError
from counter_app.settlement import kept_sums
from counter_app.settlement.report_catalogue import build_report
from counter_app.settlement.reports import ReportQuery
from db.models import Account, CardClass, LedgerEntry
from db.models.kept_sums import SumBatch, SumClass
from settlement.conftest import work
from settlement.test_period_sums import CHARGES, _fold_each_entry, _populate

PLAIN_KINDS = ("sale", "free", "bill_payment", "fee_payment", "refund_raised", "suspense", "carried",
               "cleared", "legacy_purchase")  # fmt: skip
QUERIES = [
    ReportQuery(date(2024, 12, 21), date(2026, 2, 10), month_end_day=25),
    ReportQuery(date(2024, 12, 21), date(2026, 2, 10), month_end_day=31),
    ReportQuery(date(2025, 3, 26), date(2025, 4, 30), month_end_day=1),
    ReportQuery(date(2025, 1, 1), date(2025, 1, 7)),
]


def refresh(w, **kwargs) -> kept_sums.Refreshed:
    return kept_sums.refresh_sums(w.engine, w.keys, w.clock, **kwargs)


def assert_reports_are_the_scan(w, kinds=("week", "month", "year"), queries=QUERIES) -> None:
    for kind in kinds:
        for q in queries:
            with work(w.engine, w.keys) as s:
                table = build_report(s, kind, q)
                rows, _ = _fold_each_entry(s, kind, q)
            assert [tuple(r) for r in table.rows] == rows, (kind, q)
            assert all(type(v) is int for r in table.rows for v in r[3:])


def add_entries(w, n: int, seed: int, *, days: int = 420) -> None:
    """`n` entries of kinds that name no other entry, dated anywhere in the populated range (a
    legacy import's old dates among them)."""
    rng = random.Random(seed)
    base = datetime(2024, 12, 20, tzinfo=UTC)
    rows = []
    for _ in range(n):
        kind = rng.choice(PLAIN_KINDS)
        fen = 0 if kind == "free" else rng.randrange(1, 9_000) * (-1 if kind == "refund_raised" else 1)
        rows.append({"kind": kind, "charge": rng.choice(CHARGES), "fen": fen,
                     "at": base + timedelta(days=rng.randrange(days), hours=rng.choice((15, 16, rng.randrange(24)))),
                     "account_id": rng.choice((None, w.dorm_account, w.staff_account)),
                     "energy_ckwh": 0 if kind == "free" else abs(fen) // 2, "free_ckwh": rng.randrange(0, 300),
                     "price_e4": 5883, "tender": "cash", "operator_id": w.people.cashier, "data": {}})  # fmt: skip
    with work(w.engine, w.keys) as s:
        s.execute(insert(LedgerEntry), rows)


def set_class(w, account_id: int, cls: str) -> None:
    """As confirm_class does: an ORM update of the sealed account row (re-sealed)."""
    with work(w.engine, w.keys) as s:
        s.get(Account, account_id).cls = cls


def max_id(w) -> int:
    with work(w.engine, w.keys) as s:
        return s.scalar(select(func.max(LedgerEntry.id)))


def verify(w) -> list[str]:
    with work(w.engine, w.keys) as s:
        return kept_sums.verify_sums(s)


def insider(w, statement: str) -> None:
    """Plain SQL with the database role (no keys); on the SQLite file with foreign keys off."""
    if w.engine.dialect.name == "sqlite":
        conn = sqlite3.connect(w.engine.url.database)
        try:
            conn.execute("PRAGMA foreign_keys = OFF")
            conn.execute(statement)
            conn.commit()
        finally:
            conn.close()
        return
    with w.engine.begin() as conn:
        conn.execute(text(statement))


def test_partial_refreshes_and_later_old_dated_entries_give_the_scan(world, monkeypatch):
    _populate(world)
    monkeypatch.setattr(kept_sums, "FIRST_CHUNK", 97)
    monkeypatch.setattr(kept_sums, "MAX_CHUNK", 150)
    done = refresh(world, max_batches=2)
    assert done.batches == 2 and not done.deferred
    assert 0 < done.hi < max_id(world)  # a live tail remains
    assert_reports_are_the_scan(world)
    done = refresh(world)
    assert done.hi == max_id(world) and done.batches >= 3
    with work(world.engine, world.keys) as s:
        assert s.scalar(select(func.sum(SumBatch.entries))) == s.scalar(select(func.count(LedgerEntry.id)))
    assert_reports_are_the_scan(world)
    add_entries(world, 150, seed=3)  # old dates after the last batch: just a longer live tail
    assert_reports_are_the_scan(world)
    assert refresh(world).batches >= 1
    assert_reports_are_the_scan(world)
    assert refresh(world).batches == 0  # nothing due
    before = max_id(world)
    sale = {"kind": "sale", "charge": "electricity", "fen": 1000, "energy_ckwh": 500, "free_ckwh": 0,
            "price_e4": 5883, "tender": "cash", "operator_id": world.people.cashier, "data": {},
            "account_id": world.dorm_account}  # fmt: skip
    with work(world.engine, world.keys) as s:  # a busy day: 300 sales, one (day, kind, charge, class)
        s.execute(
            insert(LedgerEntry),
            [sale | {"at": datetime(2025, 5, 6, 2, i % 60, tzinfo=UTC)} for i in range(300)],
        )
    refresh(world)
    with work(world.engine, world.keys) as s:
        new = s.scalars(select(SumBatch).where(SumBatch.lo >= before)).all()
        assert sum(b.entries for b in new) == 300 and sum(b.sum_rows for b in new) == len(new)  # one row each
    assert_reports_are_the_scan(world)
    assert verify(world) == []


def test_no_batches_at_all_is_the_scan(world, monkeypatch):
    _populate(world)
    assert refresh(world, budget_s=0).batches == 0  # a close's time budget spent: nothing written
    assert_reports_are_the_scan(world)
    monkeypatch.setattr(kept_sums, "FIRST_CHUNK", 50)
    monkeypatch.setattr(kept_sums, "MAX_CHUNK", 50)
    assert refresh(world, budget_s=60).hi == max_id(world)  # within budget: all of it


def test_accounts_that_changed_class_and_a_regrouped_class(world):
    _populate(world)
    refresh(world)
    set_class(world, world.staff_account, "dorm")  # owner → dorm, after its entries were kept
    assert_reports_are_the_scan(world)  # moved on the fly
    done = refresh(world)
    assert done.batches == 1 and done.entries == 0  # the move, written
    with work(world.engine, world.keys) as s:
        latest = s.scalars(select(SumClass.cls).where(SumClass.account_id == world.staff_account)
                           .order_by(SumClass.id)).all()  # fmt: skip
        assert latest[-1] == "dorm"
    assert_reports_are_the_scan(world)
    set_class(world, world.dorm_account, "business")
    set_class(world, world.staff_account, "staff")
    add_entries(world, 40, seed=5)
    assert_reports_are_the_scan(world)
    with work(world.engine, world.keys) as s:  # the group of a class is folded in when read
        s.get(CardClass, "business").class_group = "dorm"
    assert_reports_are_the_scan(world)
    refresh(world)
    assert_reports_are_the_scan(world)
    assert verify(world) == []


TAMPERING = {
    "a sum edited": (
        "UPDATE day_sums SET fen = fen + 100 WHERE id = (SELECT min(id) FROM day_sums)",
        "day_sums",
    ),
    "a sum deleted": ("DELETE FROM day_sums WHERE id = (SELECT max(id) FROM day_sums)", "day_sums"),
    "a sum added": (
        "INSERT INTO day_sums (batch_id, day, kind, charge, cls, has_account, count, fen, energy_ckwh, free_ckwh) "
        "SELECT batch_id, day, kind, charge, cls, has_account, count, fen, energy_ckwh, free_ckwh FROM day_sums "
        "WHERE id = (SELECT min(id) FROM day_sums)",
        "day_sums",
    ),
    "a kept class edited": ("UPDATE sum_classes SET cls = 'business'", "sum_classes"),
    "a batch's range moved": ("UPDATE sum_batches SET hi = hi - 5 WHERE seq = 1", "sum_batches"),
    "the last batch deleted": (
        "DELETE FROM sum_batches WHERE seq = (SELECT max(seq) FROM sum_batches)",
        "row_census",
    ),
}


@pytest.mark.parametrize("how", list(TAMPERING))
def test_summary_rows_changed_behind_the_software_are_refused_where_read(world, monkeypatch, how):
    _populate(world)
    monkeypatch.setattr(kept_sums, "FIRST_CHUNK", 200)
    monkeypatch.setattr(kept_sums, "MAX_CHUNK", 250)
    refresh(world)
    statement, table = TAMPERING[how]
    if how == "the last batch deleted":  # with its rows: a consistent deletion
        insider(world, "DELETE FROM day_sums WHERE batch_id = (SELECT max(id) FROM sum_batches)")
        insider(world, "DELETE FROM sum_classes WHERE batch_id = (SELECT max(id) FROM sum_batches)")
    insider(world, statement)
    with pytest.raises(UserFacingError) as err, work(world.engine, world.keys) as s:
        build_report(s, "month", QUERIES[0])
    assert err.value.code == "TAMPERED" and err.value.data["table"] == table
    assert verify(world)  # and `audit verify` names it
    if table != "day_sums":  # what a batch builds on (the chain, the kept classes): no batch on top
        add_entries(world, 5, seed=9)
        with pytest.raises(UserFacingError):
            refresh(world)


def test_verify_recomputes_the_sums_from_the_ledger(world):
    _populate(world)
    refresh(world)
    assert verify(world) == []
    insider(world, "UPDATE ledger_entries SET fen = fen + 1 WHERE id = 3")  # the audit chain names it too
    problems = verify(world)
    assert len(problems) == 1 and "不符" in problems[0]


def test_the_day_report_stays_live(world):
    _populate(world)
    refresh(world)
    insider(world, "UPDATE day_sums SET fen = fen + 100")  # the hour chart reads the ledger itself
    with work(world.engine, world.keys) as s:
        table = build_report(s, "day", ReportQuery(date(2025, 3, 26), date(2025, 3, 27)))
        rows, hours = _fold_each_entry(s, "day", ReportQuery(date(2025, 3, 26), date(2025, 3, 27)))
    assert [tuple(r) for r in table.rows] == rows and list(table.chart.values) == hours


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.sampled_from(("add", "refresh", "reclass")), st.integers(1, 60)),
                      min_size=1, max_size=6))  # fmt: skip
def test_any_order_of_entries_refreshes_and_class_changes_gives_the_scan(world, steps):
    """Property: whatever happened in whatever order, the month and year tables are the scan's."""
    for what, n in steps:
        if what == "add":
            add_entries(world, n, seed=n)
        elif what == "refresh":
            kept_sums.FIRST_CHUNK, saved = n, kept_sums.FIRST_CHUNK
            try:
                refresh(world, max_batches=n % 3 + 1)
            finally:
                kept_sums.FIRST_CHUNK = saved
        else:
            set_class(
                world, (world.dorm_account, world.staff_account)[n % 2], ("dorm", "staff", "business")[n % 3]
            )
    assert_reports_are_the_scan(world, kinds=("month", "year"), queries=QUERIES[:1])


def test_postgresql_never_covers_an_id_an_open_transaction_may_commit(world):
    """GIVEN an entry inserted and not committed on one connection, and a later entry (a higher id)
    committed on another, WHEN the sums are refreshed, THEN no batch covers either until the first
    commits (the watermark is deferred), and afterwards the reports equal the scan."""
    if world.engine.dialect.name != "postgresql":
        pytest.skip("SQLite: one writer at a time, ids are in commit order")
    _populate(world, n=100)
    first = refresh(world)
    row = {"kind": "sale", "charge": None, "fen": 700, "energy_ckwh": 350, "free_ckwh": 0, "price_e4": 5883,
           "tender": "cash", "operator_id": world.people.cashier, "account_id": world.dorm_account,
           "at": datetime(2025, 3, 1, 4, tzinfo=UTC), "data": {}}  # fmt: skip
    open_conn = world.engine.connect()
    try:
        open_tx = open_conn.begin()
        pending = open_conn.execute(insert(LedgerEntry).returning(LedgerEntry.id), [row]).scalar_one()
        with work(world.engine, world.keys) as s:
            later = s.execute(
                insert(LedgerEntry).returning(LedgerEntry.id), [row | {"fen": 900}]
            ).scalar_one()
        assert later > pending > first.hi  # committed in the other order than drawn
        done = refresh(world)
        assert done.deferred and done.batches == 0 and done.hi == first.hi
        assert_reports_are_the_scan(world, kinds=("month",), queries=QUERIES[:1])
        open_tx.commit()
    finally:
        open_conn.close()
    assert_reports_are_the_scan(world, kinds=("month",), queries=QUERIES[:1])
    done = refresh(world)
    assert not done.deferred and done.hi >= later
    assert_reports_are_the_scan(world, kinds=("month",), queries=QUERIES[:1])
    assert verify(world) == []
