"""The department's duties on PostgreSQL (issue 15 items 3, 4, 9, 10): the same calls and reports
as on SQLite, with the report totals recomputed by SQL on the server."""

from __future__ import annotations

from datetime import date

import pytest
from imports.files import write_csv
from opstesting import make_world
from quotatesting import audit_ok, set_setting
from sqlalchemy import text

from counter_app.settlement.report_catalogue import build_report
from counter_app.settlement.reports import ReportQuery
from db.session import unit_of_work


@pytest.mark.pg
def test_checks_visitors_receivables_and_posts_on_postgresql(tmp_path, pg_url):
    world = make_world(tmp_path, db_url=pg_url)
    try:
        set_setting(world, "stamped_receipt_for", [])
        wang, zhang = world.login("wang"), world.login("zhang")
        wang.record_collection_check(kind="half_month", covers_from=date(2026, 11, 1), covers_to=date(2026, 11, 15),
                                     findings="相符")  # fmt: skip
        wang.record_collection_check(kind="spot", covers_from=date(2026, 11, 2), covers_to=date(2026, 11, 2),
                                     findings="抽查", counted_fen=4_200)  # fmt: skip
        item = zhang.log_visitor(channel="phone", question="何时送电？")
        zhang.escalate_visitor(entry_id=item.entry_id, to="wang")
        wang.answer_visitor(entry_id=item.entry_id, answer="明天")
        zhang.log_visitor(channel="visit", question="补卡？")
        csv = write_csv(
            tmp_path / "l.csv", [["通知单号", "类别", "缴费人", "金额"], ["P-1", "交费", "超市", "9.99"]]
        )
        assert wang.import_receivables(path=str(csv), department="稽查", commit=True).imported
        zhang.open_shift(float_fen=0)
        zhang.pay_notice(notice_no="P-1", amount_fen=999, amount_fen_again=999)
        query = ReportQuery(date(2026, 11, 1), date(2026, 11, 30))
        with unit_of_work(world.counter.engine, read_only=True) as s:
            checks = build_report(s, "collection-checks", query)
            visitors = build_report(s, "visitor-log", query)
            recon = build_report(s, "reconciliation", query)
            terms = build_report(s, "rotation", query)
            spot_fen = s.execute(
                text("SELECT sum(counted_fen) FROM collection_checks WHERE kind = 'spot'")
            ).scalar()
            open_items = s.execute(text(
                "SELECT count(*) FROM visitor_entries e WHERE NOT EXISTS ("
                " SELECT 1 FROM visitor_steps t WHERE t.entry_id = e.id AND t.kind = 'told')")).scalar()  # fmt: skip
            paid = s.execute(text(
                "SELECT sum(n.amount_fen) FROM notices n JOIN notice_payments p ON p.notice_id = n.id")).scalar()  # fmt: skip
            grants = s.execute(text("SELECT count(*) FROM role_grants WHERE action = 'grant'")).scalar()
            appointments = s.execute(text("SELECT count(*) FROM supervisor_appointments")).scalar()
        assert checks.total[:2] == ("已检查 1/2", "") and checks.total[5] == spot_fen == 4_200
        assert visitors.total[7] == f"未办结 {open_items} 条" and open_items == 2
        assert recon.total[4] == paid == 999
        assert terms.total[0] == f"共 {grants + appointments} 任"
        assert audit_ok(world)
    finally:
        world.close()
