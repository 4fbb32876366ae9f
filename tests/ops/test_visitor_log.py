"""The visitor and phone log (来电来访登记, issue 15 item 9): questions answered on the spot or
escalated to the head or an assistant, answered, the customer told; open items listed; every step
audited; the report's counts equal plain SQL."""

from __future__ import annotations

from datetime import date

import pytest
from opstesting import make_world
from quotatesting import audit_ok
from sqlalchemy import text

from base.errors import UserFacingError
from counter_app.settlement.report_catalogue import build_report
from counter_app.settlement.reports import ReportQuery
from db.session import unit_of_work


@pytest.fixture
def world(tmp_path):
    w = make_world(tmp_path)
    yield w
    w.close()


def test_a_question_goes_up_comes_back_and_closes_when_the_customer_is_told(world):
    zhang, wang = world.login("zhang"), world.login("wang")
    item = zhang.log_visitor(
        channel="phone", question="电表不走字，是否需要换表？", caller="李同学 138…", room_code="5-308"
    )
    assert item.open and item.answer is None
    zhang.escalate_visitor(entry_id=item.entry_id, to="wang")
    with pytest.raises(UserFacingError) as err:
        zhang.visitor_told(entry_id=item.entry_id)
    assert err.value.code == "INPUT_INVALID"  # nothing to tell yet
    with pytest.raises(UserFacingError) as err:
        zhang.answer_visitor(entry_id=item.entry_id, answer="自己答复")
    assert err.value.code == "ROLE_FORBIDDEN"  # the answer comes from the head or the assistant
    assert [i.entry_id for i in wang.open_visitor_items()] == [item.entry_id]
    answered = wang.answer_visitor(entry_id=item.entry_id, answer="安排电工明天上门检查")
    assert (answered.escalated_to, answered.answered_by, answered.open) == ("wang", "wang", True)
    told = zhang.visitor_told(entry_id=item.entry_id, note="已电话告知")
    assert told.told_at is not None and not told.open
    assert wang.open_visitor_items() == []
    with pytest.raises(UserFacingError):
        zhang.visitor_told(entry_id=item.entry_id)
    assert audit_ok(world)


def test_answered_on_the_spot_is_closed_at_once_and_bad_input_is_refused(world):
    zhang = world.login("zhang")
    item = zhang.log_visitor(channel="visit", question="补卡要多少钱？", answer="补卡费 20 元")
    assert not item.open and item.answer == "补卡费 20 元"
    for kwargs in ({"channel": "email", "question": "x"}, {"channel": "phone", "question": " "}):
        with pytest.raises(UserFacingError) as err:
            zhang.log_visitor(**kwargs)
        assert err.value.code == "INPUT_INVALID"
    open_one = zhang.log_visitor(channel="phone", question="电价为何上调？")
    with pytest.raises(UserFacingError) as err:
        zhang.escalate_visitor(entry_id=open_one.entry_id, to="wu")  # a cashier, not the head or an assistant
    assert err.value.field == "to"
    with pytest.raises(UserFacingError) as err:
        zhang.escalate_visitor(entry_id=9_999, to="wang")
    assert err.value.field == "entry_id"
    with pytest.raises(UserFacingError) as err:
        world.login("admin").open_visitor_items()
    assert err.value.code == "ROLE_FORBIDDEN"


def test_the_report_counts_as_sql_does(world):
    zhang = world.login("zhang")
    zhang.log_visitor(channel="visit", question="补卡要多少钱？", answer="20 元")
    zhang.log_visitor(channel="phone", question="何时送免费电？", room_code="5-309")
    with unit_of_work(world.counter.engine, read_only=True) as s:
        table = build_report(s, "visitor-log", ReportQuery(date(2026, 11, 23), date(2026, 11, 23)))
        logged, told = s.execute(text(
            "SELECT count(*), (SELECT count(DISTINCT entry_id) FROM visitor_steps WHERE kind = 'told') "
            "FROM visitor_entries")).one()  # fmt: skip
    assert table.total[4] == f"共 {logged} 条" and table.total[7] == f"未办结 {logged - told} 条"
    assert [r[-1] for r in table.rows] == ["已办结", "未办结"] and (logged, told) == (2, 1)
