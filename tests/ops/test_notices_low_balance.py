"""Low-balance notice (DOMAIN 9) and graduation clearance (DOMAIN 10) through the facade."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from opstesting import make_world
from quotatesting import needs_sales, set_setting

from base.clock import BUSINESS_TZ
from counter_app.ops.clearance import clearance_pdf
from counter_app.ops.notice_reports import render_png
from counter_app.settlement.report_catalogue import build_report
from counter_app.settlement.reports import ReportQuery
from db.session import unit_of_work


@pytest.fixture
def world(tmp_path):
    w = make_world(tmp_path)
    set_setting(w, "stamped_receipt_for", [])
    yield w
    w.close()


@needs_sales
def test_the_estimate_is_the_last_write_back_plus_energy_written_since(world):
    zhang = world.login("zhang")
    zhang.open_shift(float_fen=0)
    serial = world.issue_card("D-5-308", zhang)
    zhang.top_up(account_no="D-5-308", amount_fen=10_000)  # 169.98 kWh
    assert zhang.low_balance(on=date(2026, 11, 23)) == []  # no write-back yet: 0 + 169.98; 5-309 unknown
    world.sim.insert_into_meter(serial)
    world.sim.consume("M5308", 16_500)
    world.clock.set(datetime(2026, 11, 25, 12, 0, tzinfo=BUSINESS_TZ))
    world.sim.insert_into_meter(serial)  # the meter writes back 4.98 kWh remaining
    world.sim.present_card(serial)
    zhang.top_up(account_no="D-5-308", amount_fen=1_000)  # the sale records the write-back; +16.99 kWh
    assert zhang.low_balance(on=date(2026, 11, 28)) == []  # 4.98 + 16.99 = 21.97 kWh ≥ 10 kWh
    set_setting(world, "low_balance_ckwh.dorm", 5_000)
    (row,) = zhang.low_balance(on=date(2026, 11, 28))
    assert (row.room_code, row.estimated_ckwh, row.building, row.as_of) == (
        "5-308",
        2_197,
        "5",
        date(2026, 11, 25),
    )
    assert zhang.low_balance(on=date(2027, 2, 10)) == []  # February: suppressed
    with unit_of_work(world.counter.engine, read_only=True) as s:
        table = build_report(s, "low-balance", ReportQuery(date(2027, 3, 1), date(2027, 3, 1)))
    assert table.rows == (("5", "5-308", 2_197, "2026-11-25"),)
    assert render_png(table)[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_room_with_nothing_outstanding_is_cleared_with_a_slip(world):
    result = world.login("zhang").clearance(account_no="D-5-309")
    assert result.cleared and result.outstanding == ()
    assert "电费已结清" in result.slip_text and "D-5-309" in result.slip_text
    assert clearance_pdf(result)[:4] == b"%PDF"


def test_clearance_lists_unpaid_bills_and_back_charges_in_chinese(world):
    zhang = world.login("zhang")
    zhang.create_notice(kind="utility", payer="5-309", amount_fen=1_200, account_no="D-5-309")
    zhang.back_charge(account_no="D-5-309", discovered_on=date(2026, 11, 20), electrician="刘电工", evidence="私接",
                      approval=world.approval())  # fmt: skip
    result = zhang.clearance(account_no="D-5-309")
    assert not result.cleared and result.slip_text is None
    assert any("代收水电费" in line for line in result.outstanding)
    assert any("违规用电补缴电费" in line for line in result.outstanding)


@needs_sales
def test_a_room_that_bought_energy_must_be_refunded_or_transferred(world):
    zhang = world.login("zhang")
    zhang.open_shift(float_fen=0)
    world.issue_card("D-5-308", zhang)
    zhang.top_up(account_no="D-5-308", amount_fen=1_000)
    result = zhang.clearance(account_no="D-5-308")
    assert result.outstanding == ("房间尚未退电（退电清零并办理退费）或过户",)
