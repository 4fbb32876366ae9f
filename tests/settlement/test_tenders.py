"""Tenders reconciled apart (issue 15 item 2): a deposit compared with its shifts' takings, the
WeChat statement matched by reference and the campus-card file by day, recorded co-signed and
frozen, the `tender-match` report (PDF checked with pdftotext, totals recomputed with plain SQL),
on a real SQLite file and, for the recording path, on PostgreSQL."""

from __future__ import annotations

import subprocess
from datetime import date

import pytest
from opstesting import make_world
from sqlalchemy import text

from base.errors import ApprovalRequired, InputInvalid, PeriodFrozen, RoleForbidden
from counter_app.keystore import bind_keys
from counter_app.settlement.report_catalogue import build_report
from counter_app.settlement.reports import ReportQuery
from db.engine import make_engine
from db.session import unit_of_work

DAY = date(2026, 11, 23)
WECHAT_CSV = """交易时间,公众账号ID,商户号,微信订单号,商户订单号,交易类型,交易状态,应结订单金额,退款金额
`2026-11-23 09:10:00,`wx1,`m1,`WX-1,`o1,`NATIVE,`SUCCESS,`20.00,`0.00
`2026-11-23 09:20:00,`wx1,`m1,`WX-2,`o2,`NATIVE,`SUCCESS,`30.50,`0.00
`2026-11-23 09:30:00,`wx1,`m1,`WX-9,`o9,`NATIVE,`SUCCESS,`5.00,`0.00
总交易单数,应结订单总金额
`3,`55.50
"""


@pytest.fixture
def world(tmp_path):
    w = make_world(tmp_path)
    yield w
    w.close()


def a_shift(world):
    """zhang: 60 yuan cash, WeChat 20 (WX-1), 30 (WX-2) and 10 (WX-3); closed exactly."""
    s = world.login("zhang")
    shift_id = s.open_shift(float_fen=0, supervisor="li").shift_id
    for account_no, fen, tender, ref in (("D-5-308", 6_000, "cash", None), ("D-5-309", 2_000, "wechat", "WX-1"),
                                         ("S-12-101", 3_000, "wechat", "WX-2"), ("B-1-001", 1_000, "wechat", "WX-3")):  # fmt: skip
        world.issue_card(account_no, session=s)
        if tender == "cash":
            s.top_up(account_no=account_no, amount_fen=fen, tendered_fen=fen)
        else:
            s.top_up(account_no=account_no, amount_fen=fen, tender=tender, reference=ref)
    s.close_shift(counted={1000: 6})
    return s, shift_id


def sql(world, query: str, **params):
    engine = make_engine(world.db_url)
    try:
        with engine.connect() as conn:
            return conn.execute(text(query), params).all()
    finally:
        engine.dispose()


def test_a_100_yuan_slip_against_60_yuan_of_cash_needs_a_reason_and_a_co_signature(world):
    s, shift_id = a_shift(world)
    slip = dict(
        slip_no="XJ-1", kind="cash_slip", bank="工行", stamped_on=DAY, amount_fen=10_000, shift_ids=[shift_id]
    )
    with pytest.raises(InputInvalid) as err:
        s.record_deposit(**slip)
    assert err.value.field == "difference_reason" and err.value.data["expected_fen"] == 6_000
    with pytest.raises(ApprovalRequired):
        s.record_deposit(**slip, difference_reason="含前日备用金")
    info = s.record_deposit(**slip, difference_reason="含前日备用金", approval=world.approval("li"))
    assert (info.expected_fen, info.difference_fen, info.difference_reason) == (6_000, 4_000, "含前日备用金")
    rows = sql(
        world,
        "SELECT r.ledger_fen, r.expected_fen, r.difference_fen, r.approval_id IS NOT NULL "
        "FROM deposit_reconciliations r JOIN deposits d ON d.id = r.deposit_id WHERE d.slip_no = 'XJ-1'",
    )
    assert rows == [(6_000, 6_000, 4_000, 1)]
    # independent SQL: the shift's cash in the ledger is what the slip was compared with
    assert sql(
        world, "SELECT sum(fen) FROM ledger_entries WHERE shift_id = :s AND tender = 'cash'", s=shift_id
    ) == [(6_000,)]


def test_a_slip_split_in_two_matches_without_a_co_signature(world):
    s, shift_id = a_shift(world)
    first = s.record_deposit(slip_no="XJ-1", kind="cash_slip", bank="工行", stamped_on=DAY, amount_fen=6_000,
                             shift_ids=[shift_id])  # fmt: skip
    assert (first.expected_fen, first.difference_fen) == (6_000, 0)
    with pytest.raises(InputInvalid):  # the shift's cash is already in the bank: a second slip differs
        s.record_deposit(slip_no="XJ-2", kind="cash_slip", bank="工行", stamped_on=DAY, amount_fen=100,
                         shift_ids=[shift_id])  # fmt: skip


def _write(tmp_path, name: str, body: str, encoding: str = "utf-8") -> str:
    path = tmp_path / name
    path.write_bytes(body.encode(encoding))
    return str(path)


def _wechat_match_recorded(world, tmp_path):
    a_shift(world)
    qian = world.login("qian")
    path = _write(tmp_path, "wechat-20261123.csv", WECHAT_CSV)
    preview = qian.match_tender_statement(tender="wechat", period_from=DAY, period_to=DAY, path=path)
    assert (preview.match_by, preview.ledger_fen, preview.statement_fen, preview.matched) == (
        "reference",
        6_000,
        5_550,
        1,
    )
    assert [(d.key, d.kind, d.ledger_fen, d.statement_fen) for d in preview.differences] == [
        ("WX-2", "amount", 3_000, 3_050), ("WX-3", "ledger_only", 1_000, 0), ("WX-9", "statement_only", 0, 500),
    ]  # fmt: skip
    assert not preview.frozen
    with pytest.raises(ApprovalRequired):
        qian.record_tender_match(tender="wechat", period_from=DAY, period_to=DAY, path=path)
    done = qian.record_tender_match(tender="wechat", period_from=DAY, period_to=DAY, path=path,
                                    approval=world.approval("li"))  # fmt: skip
    assert done.frozen and done.match_no == "WX-20261123-20261123" and done.approved_by
    with pytest.raises(PeriodFrozen):  # signed: that period of WeChat cannot be matched again
        qian.record_tender_match(tender="wechat", period_from=date(2026, 11, 20), period_to=DAY, path=path,
                                 approval=world.approval("li"))  # fmt: skip
    return qian, done


def test_wechat_statement_matched_by_reference_recorded_and_frozen(world, tmp_path):
    qian, done = _wechat_match_recorded(world, tmp_path)
    assert [m.match_no for m in qian.tender_matches()] == [done.match_no]
    with pytest.raises(RoleForbidden):  # the cashier does not reconcile the tenders
        world.login("zhang").match_tender_statement(tender="wechat", period_from=DAY, period_to=DAY,
                                                    path=str(tmp_path / "wechat-20261123.csv"))  # fmt: skip
    pdf = tmp_path / "tm.pdf"
    pdf.write_bytes(qian.report(kind="tender-match", start=DAY, end=DAY, format="pdf"))
    shown = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "WX-20261123-20261123" in shown and "WX-9" in shown and "仅对账单有" in shown
    assert qian.report(kind="tender-match", start=DAY, end=DAY, format="xlsx")[:2] == b"PK"


def test_the_report_totals_recomputed_with_independent_sql(world, tmp_path):
    _wechat_match_recorded(world, tmp_path)
    engine = make_engine(world.db_url)
    try:
        with unit_of_work(engine, read_only=True) as db:
            bind_keys(db, world.counter.keys)
            table = build_report(db, "tender-match", ReportQuery(DAY, DAY))
    finally:
        engine.dispose()
    ledger = sql(world, "SELECT sum(fen) FROM ledger_entries WHERE tender = 'wechat' AND kind IN "
                        "('sale','correction','bill_payment','fee_payment','back_charge_payment','void',"
                        "'suspense','suspense_resolved')")[0][0]  # fmt: skip
    recorded = sql(world, "SELECT sum(ledger_fen), sum(statement_fen), sum(differences) FROM tender_matches")[
        0
    ]
    assert table.total is not None and table.total[5:8] == (ledger, recorded[1], recorded[1] - ledger)
    assert recorded[0] == ledger and recorded[1] == 5_550
    difference_rows = [r for r in table.rows if r[3] != "（合计）"]
    assert len(difference_rows) == recorded[2] == 3


def test_campus_card_file_matched_per_day(world, tmp_path):
    s = world.login("zhang")
    s.open_shift(float_fen=0, supervisor="li")
    world.issue_card("D-5-308", session=s)
    s.top_up(account_no="D-5-308", amount_fen=2_500, tender="campus_card", reference="YKT-77")
    path = _write(tmp_path, "ykt.csv", "结算日期,笔数,金额（元）\n2026-11-23,1,25.00\n2026-11-24,1,3.00\n",
                  encoding="gb18030")  # fmt: skip
    result = world.login("wang").match_tender_statement(tender="campus_card", period_from=DAY,
                                                        period_to=date(2026, 11, 24), path=path)  # fmt: skip
    assert (result.match_by, result.matched) == ("day", 1)
    assert [(d.key, d.kind) for d in result.differences] == [("2026-11-24", "statement_only")]


def test_a_bad_statement_line_is_named_and_refused_at_recording(world, tmp_path):
    a_shift(world)
    body = WECHAT_CSV.replace("`30.50", "`30.5x")
    path = _write(tmp_path, "bad.csv", body)
    qian = world.login("qian")
    preview = qian.match_tender_statement(tender="wechat", period_from=DAY, period_to=DAY, path=path)
    assert len(preview.problems) == 1 and preview.problems[0].startswith("第 3 行")
    with pytest.raises(InputInvalid):
        qian.record_tender_match(tender="wechat", period_from=DAY, period_to=DAY, path=path,
                                 approval=world.approval("li"))  # fmt: skip


@pytest.mark.pg
def test_recorded_on_postgresql(tmp_path, pg_url):
    world = make_world(tmp_path, db_url=pg_url)
    try:
        s, shift_id = a_shift(world)
        info = s.record_deposit(slip_no="XJ-1", kind="cash_slip", bank="工行", stamped_on=DAY, amount_fen=5_000,
                                shift_ids=[shift_id], difference_reason="短缴", approval=world.approval("li"))  # fmt: skip
        assert info.difference_fen == -1_000
        path = _write(tmp_path, "wechat.csv", WECHAT_CSV)
        qian = world.login("qian")
        done = qian.record_tender_match(tender="wechat", period_from=DAY, period_to=DAY, path=path,
                                        approval=world.approval("li"))  # fmt: skip
        assert done.frozen and len(done.differences) == 3
        assert [m.match_no for m in qian.tender_matches(start=DAY, end=DAY)] == [done.match_no]
        with pytest.raises(PeriodFrozen):
            qian.record_tender_match(tender="wechat", period_from=DAY, period_to=DAY, path=path,
                                     approval=world.approval("li"))  # fmt: skip
    finally:
        world.close()


def _report(world, kind: str):
    engine = make_engine(world.db_url)
    try:
        with unit_of_work(engine, read_only=True) as db:
            bind_keys(db, world.counter.keys)
            return build_report(db, kind, ReportQuery(DAY, DAY))
    finally:
        engine.dispose()


def test_the_deposits_report_shows_each_slips_difference(world):
    s, shift_id = a_shift(world)
    s.record_deposit(slip_no="XJ-1", kind="cash_slip", bank="工行", stamped_on=DAY, amount_fen=10_000,
                     shift_ids=[shift_id], difference_reason="含前日备用金", approval=world.approval("li"))  # fmt: skip
    table = _report(world, "deposits")
    assert [r[6:] for r in table.rows] == [(6_000, 4_000, "含前日备用金")]
    ((expected, difference),) = sql(
        world, "SELECT sum(expected_fen), sum(difference_fen) FROM deposit_reconciliations"
    )
    assert table.total is not None and table.total[6:8] == (expected, difference)


def test_written_rows_verify_clean_and_a_match_changed_by_sql_is_refused(world, tmp_path):
    from security.test_every_table import verify_problems
    from security.test_row_seals import refused
    from security.test_row_seals import sql as insider_sql

    qian, done = _wechat_match_recorded(world, tmp_path)
    s = world.login("zhang")
    shift_id = sql(world, "SELECT max(id) FROM shifts")[0][0]
    s.record_deposit(slip_no="XJ-1", kind="cash_slip", bank="工行", stamped_on=DAY, amount_fen=6_000,
                     shift_ids=[shift_id])  # fmt: skip
    assert verify_problems(world) == []  # sealed, counted in the census
    insider_sql(world, "UPDATE tender_matches SET statement_fen = ledger_fen")
    refused(qian.tender_matches, "tender_matches")
