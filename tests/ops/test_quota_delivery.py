"""Free energy picked up at a card visit: all unclaimed periods of the current term together, and
lapsed after the term end (当期有效); the `quota` report."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from opstesting import make_world
from quotatesting import audit_ok, count, needs_sales, rows, set_setting

from base.clock import BUSINESS_TZ
from counter_app.settlement.report_catalogue import build_report
from counter_app.settlement.reports import ReportQuery
from db.models.quota import QuotaDelivery
from db.session import unit_of_work


@pytest.fixture
def world(tmp_path):
    w = make_world(tmp_path)
    set_setting(w, "term_ends", ["2027-01-20", "2027-07-05"])
    zhang = w.login("zhang")
    for period in ("2026-11", "2026-12"):
        draft = zhang.prepare_quota_batch(period=period, buildings=["5"])
        zhang.approve_quota_batch(batch_id=draft.batch_id, approval=w.approval("li"))
    yield w
    w.close()


def test_a_coming_month_is_not_owed_before_it_starts(world):
    assert world.login("zhang").find_account(account_no="D-5-308").free_owed_ckwh == 4_000


@needs_sales
def test_unclaimed_periods_of_the_term_are_collected_together_then_nothing_is_owed(world):
    world.clock.set(datetime(2026, 12, 5, 10, 0, tzinfo=BUSINESS_TZ))
    zhang = world.login("zhang")
    zhang.open_shift(float_fen=0)
    world.issue_card("D-5-308", zhang)
    assert zhang.find_account(account_no="D-5-308").free_owed_ckwh == 8_000
    result = zhang.collect_free(account_no="D-5-308")
    assert (result.amount_fen, result.free_ckwh) == (0, 8_000)
    assert zhang.find_account(account_no="D-5-308").free_owed_ckwh == 0
    deliveries = rows(world, QuotaDelivery)
    assert sorted(d.ckwh for d in deliveries) == [4_000, 4_000] and len({d.batch_id for d in deliveries}) == 2


@needs_sales
def test_unclaimed_entitlement_lapses_after_the_term_end_and_the_report_says_so(world):
    world.clock.set(datetime(2026, 12, 5, 10, 0, tzinfo=BUSINESS_TZ))
    zhang = world.login("zhang")
    zhang.open_shift(float_fen=0)
    world.issue_card("D-5-308", zhang)
    zhang.collect_free(account_no="D-5-308")
    world.clock.set(datetime(2027, 1, 20, 10, 0, tzinfo=BUSINESS_TZ))
    assert zhang.find_account(account_no="D-5-309").free_owed_ckwh == 8_000  # the last day of the term
    world.clock.set(datetime(2027, 1, 21, 10, 0, tzinfo=BUSINESS_TZ))
    assert zhang.find_account(account_no="D-5-309").free_owed_ckwh == 0
    with unit_of_work(world.counter.engine, read_only=True) as s:
        table = build_report(s, "quota", ReportQuery(date(2026, 11, 1), date(2027, 1, 21)))
    # per batch, building 5: entitled 8 000, delivered 4 000 (5-308), lapsed 4 000 (5-309)
    assert [r[3:8] for r in table.rows] == [(2, 8_000, 4_000, 4_000, 0), (2, 8_000, 4_000, 4_000, 0)]
    assert table.rows[0][8] == 2_353  # 40 kWh × 0.5883 yuan = 23.532 → 23.53 yuan at the dorm tariff
    assert count(world, QuotaDelivery) == 2
    assert audit_ok(world)
