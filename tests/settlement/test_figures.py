"""Figures the procedures ask for (counter_app/settlement/figures.py): weekly meeting figures with
代收代付 apart, the power company's monthly totals, the twelve-month trend; totals recomputed with
independent SQL against the ledger; PDF through pdftotext."""

from __future__ import annotations

import subprocess
from datetime import date, timedelta

from sqlalchemy import text

from counter_app.settlement.report_catalogue import build_report
from counter_app.settlement.reports import ReportQuery
from db.models import AccountEvent
from receipts.reports import render
from settlement.conftest import OPENED, ShiftBuilder, standard_shift, work

DAY = ReportQuery(date(2025, 9, 1), date(2025, 9, 7))
DRAWER = "('sale','correction','bill_payment','fee_payment','back_charge_payment','void','suspense','suspense_resolved')"
# Written apart from the builders: takings and energy per sheet line.
SQL_LINES = f"""
SELECT CASE WHEN COALESCE(l.charge, 'electricity') = 'electricity' THEN cc.class_group ELSE l.charge END,
       SUM(CASE WHEN l.kind IN {DRAWER} THEN l.fen ELSE 0 END),
       SUM(CASE WHEN l.kind IN {DRAWER} THEN l.energy_ckwh ELSE 0 END),
       SUM(l.free_ckwh)
FROM ledger_entries l LEFT JOIN accounts a ON a.id = l.account_id LEFT JOIN card_classes cc ON cc.code = a.cls
WHERE l.kind <> 'refund_raised'
GROUP BY 1
"""
SQL_BALANCE = """
SELECT cc.class_group, SUM(l.energy_ckwh + l.free_ckwh)
FROM ledger_entries l JOIN accounts a ON a.id = l.account_id JOIN card_classes cc ON cc.code = a.cls
WHERE l.kind IN ('sale', 'correction', 'free', 'void', 'legacy_purchase')
GROUP BY 1
"""
LABEL = {
    "dorm": "寝室用户",
    "owner": "业主用户",
    "repair": "代收维修费",
    "card_fee": "补卡费",
    "utility": "代收水电费",
}


def _sql(engine, sql):
    with engine.connect() as c:
        return {row[0]: tuple(int(v or 0) for v in row[1:]) for row in c.execute(text(sql))}


def _build(w, kind, query=DAY):
    with work(w.engine, w.keys) as s:
        return build_report(s, kind, query)


def test_weekly_figures_equal_sql_and_keep_pass_through_apart(world):
    standard_shift(world)
    table = _build(world, "weekly-figures")
    by_label = {r[1] or r[0]: r for r in table.rows}
    lines = _sql(world.engine, SQL_LINES)
    for line, (fen, energy, free) in lines.items():
        assert by_label[LABEL[line]][3:6] == (fen, energy, free), line
    balance = _sql(world.engine, SQL_BALANCE)
    assert by_label["寝室用户"][7] == balance["dorm"][0] and by_label["业主用户"][7] == balance["owner"][0]
    own = sum(v[0] for k, v in lines.items() if k not in ("repair", "utility"))
    assert by_label["本校收入小计"][3] == own
    assert by_label["代收代付小计"][3] == lines["repair"][0] == 3000
    assert table.total is not None and table.total[3] == sum(v[0] for v in lines.values())
    assert [r[0] for r in table.rows].index("代收代付") > [r[0] for r in table.rows].index("本校收入小计")


def test_consumption_comes_from_write_backs_before_and_at_the_end(world):
    def seen(s, at, consumed):
        s.add(AccountEvent(account_id=world.dorm_account, kind="write_back_seen", at=at,
                           data={"remaining_ckwh": 500, "consumed_ckwh": consumed, "last_loaded_counter": 0,
                                 "alarms": [], "error": None, "at": at.isoformat()}))  # fmt: skip

    with work(world.engine, world.keys) as s:
        seen(s, OPENED - timedelta(days=2), 10_000)
        seen(s, OPENED + timedelta(days=3), 12_500)
    dorm = next(r for r in _build(world, "weekly-figures").rows if r[1] == "寝室用户")
    assert dorm[6] == 2_500 and dorm[7] == 500  # the last write-back's remaining, nothing sold since


def test_power_company_months_equal_sql_and_close_on_the_25th(world):
    with work(world.engine, world.keys) as s:  # a sale on 26 September belongs to October
        b = ShiftBuilder(s, world)
        b.entry("sale", 5000, account_id=world.dorm_account, charge="electricity", energy=10000, free=1000)
        b.entry("bill_payment", 3000, charge="repair", reference="N1")
        b.entry("sale", 4000, account_id=world.dorm_account, charge="electricity", energy=8000, free=500,
                minutes=25 * 24 * 60)  # fmt: skip
    table = _build(world, "power-company", ReportQuery(date(2025, 9, 1), date(2025, 10, 20)))
    assert [r[0] for r in table.rows] == ["2025-09", "2025-10"]
    assert table.rows[1][2:6] == (8000, 500, 8500, 4000)
    lines = _sql(world.engine, SQL_LINES)
    sold = sum(lines.get(g, (0, 0, 0))[1] for g in ("dorm", "owner"))
    free = sum(v[2] for v in lines.values())
    fen = sum(lines.get(g, (0, 0, 0))[0] for g in ("dorm", "owner"))
    assert table.total is not None and table.total[2:6] == (sold, free, sold + free, fen)


def test_monthly_trend_has_twelve_months_and_a_chart(world, tmp_path):
    standard_shift(world)
    table = _build(world, "monthly-trend", ReportQuery(date(2025, 9, 1), date(2025, 9, 1)))
    assert [r[0] for r in table.rows][0] == "2024-10" and [r[0] for r in table.rows][-1] == "2025-09"
    lines = _sql(world.engine, SQL_LINES)
    assert table.rows[-1][1] == sum(v[0] for v in lines.values())
    assert table.chart is not None and len(table.chart.values) == 12 and table.chart.labels[-1] == "25-09"
    pdf = tmp_path / "trend.pdf"
    pdf.write_bytes(render(table, "pdf"))
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "月度趋势" in out and "月度收款趋势" in out and "2025-09" in out


def test_arrears_lists_unpaid_notices_with_days_owed_and_tamper_alarms(world):
    from db.models.notices import Notice, NoticePayment

    with work(world.engine, world.keys) as s:

        def notice(no, kind, fen, days_before):
            n = Notice(notice_no=no, kind=kind, payer="张三", amount_fen=fen, account_id=world.dorm_account,
                       created_at=OPENED - timedelta(days=days_before), operator_id=world.people.cashier,
                       workstation_id=world.workstation_id,
                       data={"discovered_on": "2025-08-20", "electrician": "王电工"} if kind == "back_charge" else None)  # fmt: skip
            s.add(n)
            s.flush()
            return n

        notice("N-1", "back_charge", 12_345, 10)
        notice("N-2", "repair", 5_000, 3)
        paid = notice("N-3", "repair", 2_000, 2)
        b = ShiftBuilder(s, world)
        e = b.entry("bill_payment", 2_000, charge="repair", reference="N-3")
        s.add(NoticePayment(notice_id=paid.id, ledger_entry_id=e.id, receipt_id=e.receipt_id, at=e.at,
                            operator_id=world.people.cashier))  # fmt: skip
        s.add(AccountEvent(account_id=world.staff_account, kind="write_back_seen", at=OPENED + timedelta(days=1),
                           data={"remaining_ckwh": 1, "consumed_ckwh": 2, "last_loaded_counter": 0,
                                 "alarms": ["tamper", "low_balance"], "error": None}))  # fmt: skip
    table = _build(world, "arrears", ReportQuery(date(2025, 9, 1), date(2025, 9, 7)))
    with world.engine.connect() as c:
        owed = c.execute(text("SELECT SUM(amount_fen) FROM notices WHERE id NOT IN "
                              "(SELECT notice_id FROM notice_payments)")).scalar_one()  # fmt: skip
    assert table.total is not None and table.total[5] == int(owed) == 17_345
    kinds = [(r[0], r[1], r[7]) for r in table.rows]
    assert kinds[:2] == [("违规用电补缴未缴", "N-1", 16), ("维修费未缴", "N-2", 9)]  # created 22 Aug, 29 Aug
    assert "王电工" in table.rows[0][8]
    assert table.rows[-1][0] == "电表报警" and table.rows[-1][3] == "5-101" and "窃电" in table.rows[-1][8]
    assert len(table.rows) == 3


def test_free_per_room_marks_free_energy_beyond_the_entitlement(world):
    from db.models.quota import QuotaBatch, QuotaBatchApproval, QuotaBatchRoom

    standard_shift(world)  # delivers 10 kWh free to the dorm room
    with work(world.engine, world.keys) as s:
        batch = QuotaBatch(period="2025-09", months=["2025-09"], buildings=["5"], campus_id=world.campus_id,
                           policy={}, rooms=1, total_ckwh=600, maker_id=world.people.cashier,
                           workstation_id=world.workstation_id, created_at=OPENED - timedelta(days=1))  # fmt: skip
        s.add(batch)
        s.flush()
        room_id = s.execute(
            text("SELECT room_id FROM accounts WHERE id = :a"), {"a": world.dorm_account}
        ).scalar_one()
        s.add(QuotaBatchRoom(batch_id=batch.id, account_id=world.dorm_account, room_id=room_id, room_code="5-308",
                             building="5", beds=4, occupants_undergrad=4, occupants_master=0, occupants_phd=0,
                             entitlement_ckwh=600))  # fmt: skip
        s.add(
            QuotaBatchApproval(
                batch_id=batch.id, checker_id=world.people.supervisor, at=OPENED - timedelta(hours=1)
            )
        )
    table = _build(world, "free-per-room", ReportQuery(date(2025, 9, 1), date(2025, 9, 25)))
    with world.engine.connect() as c:
        given = c.execute(text("SELECT SUM(free_ckwh) FROM ledger_entries WHERE account_id = :a"),
                          {"a": world.dorm_account}).scalar_one()  # fmt: skip
    assert table.rows == (("5", "5-308", "A0001", 600, int(given), int(given) - 600, "超出应送"),)
    assert table.total is not None and table.total[3:6] == (600, int(given), int(given) - 600)
