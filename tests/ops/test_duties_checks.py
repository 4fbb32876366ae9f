"""Half-month 收账检查 and spot checks (issue 15 item 3): recorded by the assistant through the
facade, chained in the audit log, listed per half-month; the report's totals equal plain SQL."""

from __future__ import annotations

from datetime import date

import pytest
from opstesting import make_world
from quotatesting import audit_ok
from sqlalchemy import text

from base.errors import UserFacingError
from counter_app.ops.duties import half_months
from counter_app.settlement.report_catalogue import build_report
from counter_app.settlement.reports import ReportQuery
from db.models.security import AuditEntry
from db.session import unit_of_work


@pytest.fixture
def world(tmp_path):
    w = make_world(tmp_path)
    yield w
    w.close()


def test_half_months_are_calendar_halves():
    assert list(half_months(date(2026, 2, 10), date(2026, 3, 1))) == [
        (date(2026, 2, 1), date(2026, 2, 15)), (date(2026, 2, 16), date(2026, 2, 28)),
        (date(2026, 3, 1), date(2026, 3, 15)),
    ]  # fmt: skip


def test_the_assistant_records_checks_audited_and_listed_per_half(world):
    wang = world.login("wang")
    row = wang.record_collection_check(kind="half_month", covers_from=date(2026, 11, 1),
                                       covers_to=date(2026, 11, 15), findings="票款一致")  # fmt: skip
    assert (row.kind, row.checked_by, row.findings) == ("half_month", "wang", "票款一致")
    wang.record_collection_check(kind="spot", covers_from=date(2026, 11, 20), covers_to=date(2026, 11, 20),
                                 findings="抽查缴款单 1 张，相符", counted_fen=12_300)  # fmt: skip
    halves = wang.collection_checks(start=date(2026, 11, 1), end=date(2026, 11, 30))
    assert [(h.first.day, h.checked, len(h.spot_checks)) for h in halves] == [(1, True, 0), (16, False, 1)]
    with unit_of_work(world.counter.engine, read_only=True) as s:
        kinds = [e.kind for e in s.query(AuditEntry).order_by(AuditEntry.sequence)]
    assert kinds.count("collection_check.recorded") == 2
    assert audit_ok(world)


def test_only_the_assistant_or_head_records_and_bad_input_is_refused(world):
    with pytest.raises(UserFacingError) as err:
        world.login("zhang").record_collection_check(kind="half_month", covers_from=date(2026, 11, 1),
                                                     covers_to=date(2026, 11, 15), findings="x")  # fmt: skip
    assert err.value.code == "ROLE_FORBIDDEN"
    wang = world.login("wang")
    bad = [
        {"kind": "weekly"}, {"findings": "  "}, {"covers_to": date(2026, 10, 1)},
        {"covers_to": date(2026, 12, 31)}, {"shift_id": 999}, {"counted_fen": -1},
    ]  # fmt: skip
    for change in bad:
        args = {"kind": "half_month", "covers_from": date(2026, 11, 1), "covers_to": date(2026, 11, 15),
                "findings": "相符", **change}  # fmt: skip
        with pytest.raises(UserFacingError) as err:
            wang.record_collection_check(**args)
        assert err.value.code == "INPUT_INVALID", change


def test_the_report_counts_halves_and_spot_checks_as_sql_does(world):
    wang = world.login("wang")
    wang.record_collection_check(kind="half_month", covers_from=date(2026, 10, 16), covers_to=date(2026, 10, 31),
                                 findings="相符")  # fmt: skip
    wang.record_collection_check(kind="half_month", covers_from=date(2026, 11, 1), covers_to=date(2026, 11, 10),
                                 findings="前十天相符")  # partial: the half stays 未检查  # fmt: skip
    for fen in (5_000, 7_000):
        wang.record_collection_check(kind="spot", covers_from=date(2026, 11, 3), covers_to=date(2026, 11, 3),
                                     findings="抽查", counted_fen=fen)  # fmt: skip
    with unit_of_work(world.counter.engine, read_only=True) as s:
        table = build_report(s, "collection-checks", ReportQuery(date(2026, 10, 16), date(2026, 11, 15)))
        spots, counted = s.execute(text(
            "SELECT count(*), sum(counted_fen) FROM collection_checks WHERE kind = 'spot' "
            "AND covers_to >= '2026-10-16' AND covers_from <= '2026-11-15'")).one()  # fmt: skip
    assert [r[1] for r in table.rows] == ["已检查", "未检查"]
    assert table.total == ("已检查 1/2", "", "", "", spots, counted, "") and (spots, counted) == (2, 12_000)
    assert "2026-11-01 至 2026-11-15" in table.notes[0]
