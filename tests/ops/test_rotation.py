"""Job rotation (轮岗, issue 15 item 10): who held which post when, from the role grants and 监督人
appointments; terms longer than `rotation.max_months` flagged; the report's count equals plain SQL."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from opstesting import make_world
from quotatesting import set_setting
from sqlalchemy import select, text

from base.clock import BUSINESS_TZ
from base.errors import UserFacingError
from counter_app.keystore import bind_keys
from counter_app.ops.rotation import whole_months
from counter_app.roles import revoke_role
from counter_app.settlement.report_catalogue import build_report
from counter_app.settlement.reports import query_from_settings
from db.models.security import Operator
from db.session import unit_of_work

LATER = date(2033, 1, 1)  # 73 months after the world's grants (2026-11-23)


@pytest.fixture
def world(tmp_path):
    w = make_world(tmp_path)
    yield w
    w.close()


def _revoke_wu(world) -> None:
    world.clock.set(datetime(2027, 5, 23, 10, 0, tzinfo=BUSINESS_TZ))
    with unit_of_work(world.counter.engine) as s:
        bind_keys(s, world.counter.keys)
        ids = dict(s.execute(select(Operator.name, Operator.id)).tuples().all())
        revoke_role(s, operator_id=ids["wu"], role="cashier", revoked_by_id=ids["admin"], workstation="TEST",
                    clock=world.clock)  # fmt: skip


def test_whole_months():
    assert whole_months(date(2026, 11, 23), date(2027, 5, 23)) == 6
    assert whole_months(date(2026, 11, 23), date(2027, 5, 22)) == 5
    assert whole_months(date(2026, 1, 31), date(2026, 2, 28)) == 0


def test_terms_from_grants_revokes_and_appointments(world):
    _revoke_wu(world)
    terms = {(t.person, t.post): t for t in world.login("wang").post_history(as_of=LATER)}
    wu = terms[("wu", "cashier")]
    assert (wu.from_date, wu.to_date, wu.months, wu.over_limit) == (
        date(2026, 11, 23),
        date(2027, 5, 23),
        6,
        False,
    )
    zhang = terms[("zhang", "cashier")]
    assert (zhang.to_date, zhang.months, zhang.over_limit) == (None, 73, True)
    li = terms[("li", "appointed")]
    assert (li.from_date, li.to_date, li.over_limit) == (date(2026, 1, 1), date(2027, 12, 31), False)
    set_setting(world, "rotation.max_months", 80)
    assert not any(t.over_limit for t in world.login("wang").post_history(as_of=LATER))
    with pytest.raises(UserFacingError) as err:
        world.login("zhang").post_history()
    assert err.value.code == "ROLE_FORBIDDEN"


def test_the_report_counts_terms_over_the_limit_as_sql_does(world):
    _revoke_wu(world)
    with unit_of_work(world.counter.engine, read_only=True) as s:
        table = build_report(s, "rotation", query_from_settings(s, date(2032, 12, 1), LATER))
        (over,) = s.execute(text(
            "SELECT count(*) FROM role_grants g WHERE g.action = 'grant' AND g.at < '2027-01-01' AND NOT EXISTS ("
            " SELECT 1 FROM role_grants r WHERE r.operator_id = g.operator_id AND r.role = g.role"
            " AND r.action = 'revoke' AND r.id > g.id)")).one()  # fmt: skip
    assert table.total[-1] == f"超期 {over} 任" and over >= 5
    assert ("营业员", "wu") not in [(r[0], r[1]) for r in table.rows]  # left the post before the range
    assert all(r[5] == "超期" for r in table.rows if r[0] == "营业员")
