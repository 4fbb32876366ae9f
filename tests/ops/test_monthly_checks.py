"""The month's checks through the facade (issue 15 §5-7): readings imported per building, the loss
check, abnormal accounts, the four-party reconciliation signed and frozen, K3 vouchers, the repair
price list and module stock. Report totals are recomputed here with independent SQL."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest
from opstesting import make_world
from quotatesting import set_setting
from sqlalchemy import text

from base.errors import InputInvalid, UserFacingError
from counter_app.ops.four_party import PASS_THROUGH, credit_subject
from counter_app.settlement.report_catalogue import build_report
from counter_app.settlement.reports import ReportQuery
from db.session import unit_of_work
from receipts.reports import render

PERIOD = "2026-11"  # the accounting month of the world's clock (2026-10-26 .. 2026-11-25)
QUERY = ReportQuery(date(2026, 10, 26), date(2026, 11, 25))
READINGS = """楼栋,表类型,表号,上次读数,本次读数,抄表人
5,总表,T5,1000,2200,刘电工
5,分表,M5308,10,110,刘电工
5,分表,M5309,20,1020,刘电工
12,总表,T12,0,300,刘电工
12,分表,M12101,5,295.50,刘电工
"""


@pytest.fixture(params=["sqlite", pytest.param("pg", marks=pytest.mark.pg)])
def world(request, tmp_path):
    db_url = request.getfixturevalue("pg_url") if request.param == "pg" else None
    w = make_world(tmp_path, db_url=db_url)
    set_setting(w, "stamped_receipt_for", [])
    yield w
    w.close()


def write(tmp_path: Path, name: str, content: str) -> str:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return str(path)


def sql(world, statement: str, **params) -> list:
    with unit_of_work(world.counter.engine, read_only=True) as s:
        return list(s.execute(text(statement), params))


def test_readings_give_the_loss_check_and_its_drill_down(world, tmp_path):
    wang = world.login("wang")
    done = wang.import_readings(path=write(tmp_path, "r.csv", READINGS), period=PERIOD)
    assert (done.rows, done.buildings) == (5, ("12", "5"))  # as text
    rows = {r.building: r for r in wang.loss_check(period=PERIOD)}
    # building 5: main 1200 kWh, subs 100 + 1000 = 1100: 100 kWh = 8.33 % > 5 %
    assert (rows["5"].main_ckwh, rows["5"].sub_ckwh, rows["5"].loss_e2, rows["5"].flagged) == (
        120_000,
        110_000,
        833,
        True,
    )
    # building 12: main 300, sub 290.50: 3.16 % within the fixed loss
    assert (rows["12"].loss_e2, rows["12"].flagged) == (316, False)
    meters = wang.building_meters(period=PERIOD, building="5")
    assert [(m.kind, m.meter_no, m.consumption_ckwh, m.room_code) for m in meters] == [
        ("main", "T5", 120_000, None),
        ("sub", "M5308", 10_000, "5-308"),
        ("sub", "M5309", 100_000, "5-309"),
    ]
    table = build_report_as(world, "loss-check")
    assert [r[0] for r in table.rows] == ["5"]
    main, subs = sql(world, "SELECT sum(current_ckwh - previous_ckwh) FILTER (WHERE kind = 'main'), "
                            "sum(current_ckwh - previous_ckwh) FILTER (WHERE kind = 'sub') "
                            "FROM meter_readings WHERE building = '5'")[0]  # fmt: skip
    assert table.total[1:3] == (main, subs)
    pdf = tmp_path / "loss.pdf"
    pdf.write_bytes(render(table, "pdf"))
    text_out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "线损检查" in text_out and "1200.00" in text_out and "8.33" in text_out
    assert render(table, "xlsx")[:2] == b"PK"


def test_a_corrected_file_counts_for_its_buildings_and_the_old_rows_stay(world, tmp_path):
    wang = world.login("wang")
    wang.import_readings(path=write(tmp_path, "r.csv", READINGS), period=PERIOD)
    fixed = (
        "楼栋,表类型,表号,上次读数,本次读数\n5,总表,T5,1000,2100\n5,分表,M5308,10,110\n5,分表,M5309,20,1020\n"
    )
    wang.import_readings(path=write(tmp_path, "fix.csv", fixed), period=PERIOD)
    rows = {r.building: r for r in wang.loss_check(period=PERIOD)}
    assert rows["5"].main_ckwh == 110_000 and rows["12"].main_ckwh == 30_000
    assert sql(world, "SELECT count(*) FROM meter_readings")[0][0] == 8  # insert-only


def test_a_bad_file_names_its_lines_and_writes_nothing(world, tmp_path):
    bad = "楼栋,表类型,表号,上次读数,本次读数\n5,总表,T5,100,90\n5,水表,M5308,1,2\n6,分表,M6,1,2\n"
    with pytest.raises(InputInvalid) as err:
        world.login("wang").import_readings(path=write(tmp_path, "bad.csv", bad), period=PERIOD)
    assert sorted({e["line"] for e in err.value.data["errors"]}) == [2, 3, 4]
    assert sql(world, "SELECT count(*) FROM meter_readings")[0][0] == 0


def test_a_cashier_may_not_import_readings(world, tmp_path):
    with pytest.raises(UserFacingError) as err:
        world.login("zhang").import_readings(path=write(tmp_path, "r.csv", READINGS), period=PERIOD)
    assert err.value.code == "ROLE_FORBIDDEN"


def test_abnormal_accounts_tamper_no_purchase_and_consumption(world, tmp_path):
    zhang = world.login("zhang")
    zhang.open_shift(float_fen=0)
    serial = world.issue_card("D-5-309", zhang)
    zhang.top_up(account_no="D-5-309", amount_fen=1_000)
    world.sim.set_alarm("M5309", "tamper")
    world.sim.insert_into_meter(serial)
    world.sim.present_card(serial)
    zhang.top_up(account_no="D-5-309", amount_fen=1_000)  # records the write-back with its alarm
    wang = world.login("wang")
    wang.import_readings(path=write(tmp_path, "r.csv", READINGS), period=PERIOD)
    found = {(r.account_no, r.reason) for r in wang.abnormal_accounts(period=PERIOD)}
    # 5-308 never bought although occupied; per bed 25 kWh against the median 137.5 (÷3 = 45.8)
    assert found == {("D-5-309", "tamper"), ("D-5-308", "no_purchase"), ("D-5-308", "low_use")}
    table = build_report_as(world, "abnormal")
    assert table.total[2] == len(found)


def test_holiday_months_list_only_the_alarms(world, tmp_path):
    set_setting(world, "checks.holiday_months", [11])
    wang = world.login("wang")
    wang.import_readings(path=write(tmp_path, "r.csv", READINGS), period=PERIOD)
    assert wang.abnormal_accounts(period=PERIOD) == []
    assert "假期" in build_report_as(world, "abnormal").notes[0]


def test_four_party_signed_by_two_freezes_the_month(world, tmp_path):
    zhang = world.login("zhang")
    zhang.open_shift(float_fen=0)
    world.issue_card("D-5-308", zhang)
    zhang.top_up(account_no="D-5-308", amount_fen=10_000)
    qian = world.login("qian")
    qian.import_readings(path=write(tmp_path, "r.csv", READINGS), period=PERIOD)
    qian.import_k3(path=write(tmp_path, "k3.csv", "楼栋,收入(元),电量(kWh)\n5,99.00,169.98\n"), period=PERIOD)
    shown = qian.four_party(period=PERIOD)
    row = {r.building: r for r in shown.rows}["5"]
    fen, ckwh = sql(world, "SELECT sum(l.fen), sum(l.energy_ckwh) FROM ledger_entries l JOIN accounts a "
                           "ON a.id = l.account_id WHERE a.account_no LIKE 'D-5-%' AND l.kind = 'sale'")[0]  # fmt: skip
    assert (row.counter_fen, row.counter_ckwh) == (fen, ckwh) == (10_000, 16_998)
    assert (row.k3_difference_fen, row.k3_difference_ckwh, row.readings_ckwh) == (-100, 0, 110_000)
    with pytest.raises(UserFacingError) as err:
        qian.sign_four_party(period=PERIOD, figures_sha256=shown.figures_sha256)
    assert err.value.code == "APPROVAL_REQUIRED"
    with pytest.raises(InputInvalid):
        qian.sign_four_party(period=PERIOD, figures_sha256="0" * 64, approval=world.approval("li"))
    signed = qian.sign_four_party(
        period=PERIOD, figures_sha256=shown.figures_sha256, approval=world.approval("li")
    )
    assert signed.signed_at is not None and signed.rows == shown.rows
    with pytest.raises(InputInvalid) as frozen:
        qian.import_k3(
            path=write(tmp_path, "k3b.csv", "楼栋,收入(元),电量(kWh)\n5,100.00,169.98\n"), period=PERIOD
        )
    assert frozen.value.field == "period"
    with pytest.raises(InputInvalid):
        qian.import_readings(path=write(tmp_path, "r2.csv", READINGS), period=PERIOD)
    table = build_report_as(world, "four-party")
    assert "已签字" in table.header_lines[2] and table.total[1] == fen


def test_k3_vouchers_balance_and_match_the_ledger(world):
    zhang = world.login("zhang")
    zhang.open_shift(float_fen=0)
    world.issue_card("D-5-308", zhang)
    zhang.top_up(account_no="D-5-308", amount_fen=10_000)
    notice = world.login("wu").create_notice(kind="repair", payer="5-308", amount_fen=3_000,
                                             repair_date=date(2026, 11, 20), repairman="刘电工")  # fmt: skip
    zhang.pay_notice(notice_no=notice.notice_no, amount_fen=3_000, amount_fen_again=3_000, tender="wechat",
                     reference="WX20261123001")  # fmt: skip
    table = build_report_as(world, "k3")
    debit = sum(r[7] for r in table.rows)
    credit = sum(r[8] for r in table.rows)
    money = sql(world, "SELECT sum(fen) FROM ledger_entries WHERE tender IS NOT NULL")[0][0]
    assert debit == credit == money
    lines = {(r[5], r[7], r[8]) for r in table.rows}
    assert lines == {
        ("1001", 10_000, 0),
        ("1012.01", 3_000, 0),
        ("6001.01", 0, 10_000),
        ("2241.01", 0, 3_000),
    }
    csv_text = render(table, "csv").decode("utf-8-sig").splitlines()
    assert csv_text[0] == "凭证日期,凭证字,凭证号,分录号,摘要,科目代码,科目名称,借方金额,贷方金额"
    assert len(csv_text) == 1 + len(table.rows)  # no total row: the file imports as it is


def test_repair_and_water_are_pass_through_never_revenue():
    assert credit_subject("bill_payment", "repair") == PASS_THROUGH
    assert credit_subject("bill_payment", "utility") == PASS_THROUGH
    assert credit_subject("sale", "electricity")[1].startswith("主营业务收入")


def test_repair_prices_and_module_stock(world):
    wang = world.login("wang")
    with pytest.raises(UserFacingError) as err:
        wang.set_repair_price(item_code="R01", name="更换电表模块", unit="个", price_fen=8_000,
                              valid_from=date(2026, 11, 1), basis="003 4.1.3")  # fmt: skip
    assert err.value.code == "APPROVAL_REQUIRED"
    wang.set_repair_price(item_code="R01", name="更换电表模块", unit="个", price_fen=8_000,
                          valid_from=date(2026, 11, 1), basis="003 4.1.3", approval=world.approval("li"))  # fmt: skip
    wang.set_repair_price(item_code="R01", name="更换电表模块", unit="个", price_fen=9_000,
                          valid_from=date(2026, 12, 1), basis="调价", approval=world.approval("li"))  # fmt: skip
    assert [p.price_fen for p in wang.repair_prices(on=date(2026, 11, 23))] == [8_000]
    assert [p.price_fen for p in wang.repair_prices(on=date(2026, 12, 2))] == [9_000]
    wang.record_module_move(kind="received", model="DDSY-1", quantity=10)
    wang.record_module_move(kind="issued", model="DDSY-1", quantity=2, room_code="5-308", electrician="刘电工",
                            repair_item="R01")  # fmt: skip
    line = wang.record_module_move(kind="faulty_returned", model="DDSY-1", quantity=1, room_code="5-308",
                                   electrician="刘电工")  # fmt: skip
    assert (line.in_stock, line.awaiting_repair) == (8, 1)
    with pytest.raises(InputInvalid):
        wang.record_module_move(
            kind="issued", model="DDSY-1", quantity=9, room_code="5-309", electrician="刘"
        )
    with pytest.raises(InputInvalid):
        wang.record_module_move(kind="issued", model="DDSY-1", quantity=1, repair_item="R99", room_code="5-309",
                                electrician="刘")  # fmt: skip
    table = build_report_as(world, "module-stock")
    received, issued = sql(world, "SELECT sum(quantity) FILTER (WHERE kind = 'received'), "
                                  "sum(quantity) FILTER (WHERE kind = 'issued') FROM module_stock_moves")[0]  # fmt: skip
    assert table.total[1:3] == (received, issued) and table.total[6] == 8
    assert [r[0] for r in build_report_as(world, "repair-prices").rows] == ["R01"]


def build_report_as(world, kind: str):
    with unit_of_work(world.counter.engine, read_only=True) as s:
        from counter_app.keystore import bind_keys

        bind_keys(s, world.counter.keys)
        return build_report(s, kind, QUERY)


def test_the_months_rows_are_chained_and_a_row_slipped_in_is_named(world, tmp_path):
    from security.test_row_seals import sql as insider_sql

    from counter_app import audit
    from counter_app.keystore import bind_keys

    wang = world.login("wang")
    wang.import_readings(path=write(tmp_path, "r.csv", READINGS), period=PERIOD)
    wang.record_module_move(kind="received", model="DDSY-1", quantity=3)

    def problems() -> list[str]:
        with unit_of_work(world.counter.engine, read_only=True) as s:
            bind_keys(s, world.counter.keys)
            return [p.reason for p in audit.verify(s).problems]

    assert problems() == []
    insider_sql(world, "INSERT INTO meter_readings (import_id, period, building, kind, meter_no, previous_ckwh, "
                       "current_ckwh, line) SELECT import_id, period, building, kind, 'X1', 0, 1, 99 "
                       "FROM meter_readings WHERE meter_no = 'T5'")  # fmt: skip
    assert any("meter_readings" in p for p in problems())


def test_a_repair_notice_names_its_item_and_takes_the_listed_price(world):
    wang = world.login("wang")
    wang.set_repair_price(item_code="R01", name="更换电表模块", unit="个", price_fen=8_000,
                          valid_from=date(2026, 11, 1), basis="003 4.1.3", approval=world.approval("li"))  # fmt: skip
    wu = world.login("wu")
    notice = wu.create_notice(kind="repair", payer="5-308", repair_date=date(2026, 11, 20), repairman="刘电工",
                              repair_item="R01")  # fmt: skip
    assert notice.amount_fen == 8_000
    with pytest.raises(InputInvalid) as wrong:
        wu.create_notice(kind="repair", payer="5-308", amount_fen=7_000, repair_date=date(2026, 11, 20),
                         repairman="刘电工", repair_item="R01")  # fmt: skip
    assert wrong.value.field == "amount_fen" and wrong.value.data["amount_fen"] == 8_000
    with pytest.raises(InputInvalid):  # not on the list on the repair date
        wu.create_notice(kind="repair", payer="5-308", repair_date=date(2026, 10, 20), repairman="刘电工",
                         repair_item="R01")  # fmt: skip
    from counter_app.ops.notice_receipt import details
    from db.models.notices import Notice

    with unit_of_work(world.counter.engine, read_only=True) as s:
        from counter_app.keystore import bind_keys

        bind_keys(s, world.counter.keys)
        row = s.query(Notice).filter_by(notice_no=notice.notice_no).one()
        assert ("维修项目", "R01 更换电表模块 80.00 元") in details(row)
