"""售电登记表 (counter_app/settlement/register.py): one line per transaction, totals recomputed with
independent SQL against the ledger, voids and corrections marked, PDF (pdftotext) and XLSX, by
shift (the facade's `sales_register`) and by date range (report kind `sales-register`)."""

from __future__ import annotations

import io
import subprocess
from datetime import date

import openpyxl
import pytest
from sqlalchemy import text

from base.errors import InputInvalid, RoleForbidden, ShiftNotOpen
from counter_app.ops.register_report import sales_register, sales_register_table
from counter_app.settlement.register import shift_register
from counter_app.settlement.report_catalogue import build_report
from counter_app.settlement.reports import ReportQuery
from receipts.reports import render
from settlement.conftest import EXPECTED_CASH, ShiftBuilder, standard_shift, work

# Written apart from the builder: the transactions of a shift and their net sums.
SQL_SHIFT_SUMS = """
SELECT COUNT(*), SUM(fen), SUM(energy_ckwh), SUM(free_ckwh),
       SUM(CASE WHEN tender = 'cash' THEN fen ELSE 0 END)
FROM ledger_entries
WHERE shift_id = :shift AND kind NOT IN ('refund_raised', 'carried', 'cleared', 'legacy_purchase')
"""
COLUMN = {"time": 0, "receipt": 1, "account": 2, "room": 3, "kind": 4, "fen": 6, "energy": 7, "free": 8,
          "tender": 9, "reference": 10, "mark": 12}  # fmt: skip


def _sums(engine, shift_id):
    with engine.connect() as c:
        return tuple(int(v or 0) for v in c.execute(text(SQL_SHIFT_SUMS), {"shift": shift_id}).one())


def _shift_table(w, shift_id):
    with work(w.engine, w.keys) as s:
        return shift_register(s, shift_id, "能源中心营业室")


def test_the_shift_register_totals_equal_independent_sql(world):
    shift_id = standard_shift(world)
    table = _shift_table(world, shift_id)
    count, fen, energy, free, cash = _sums(world.engine, shift_id)
    assert len(table.rows) == count
    assert table.total is not None and table.total[6:9] == (fen, energy, free)
    assert sum(r[COLUMN["fen"]] for r in table.rows) == fen
    # the cash lines are the drawer's takings: the close expects float + these
    assert (
        sum(r[COLUMN["fen"]] for r in table.rows if r[COLUMN["tender"]] == "现金")
        == cash
        == EXPECTED_CASH - 20000
    )


def test_voids_and_corrections_are_marked_with_the_receipt_they_concern(world):
    with work(world.engine, world.keys) as s:
        b = ShiftBuilder(s, world)
        wrong = b.entry("sale", 2000, account_id=world.dorm_account, charge="electricity", energy=4000)
        b.entry("void", -2000, account_id=world.dorm_account, charge="electricity", energy=-4000,
                corrects=wrong.id, reason="房间输错", receipt=False)  # fmt: skip
        b.entry("correction", 2000, account_id=world.staff_account, charge="electricity", energy=4000,
                corrects=wrong.id)  # fmt: skip
        b.entry("sale", 3000, account_id=world.staff_account, charge="electricity", energy=6000, tender="alipay",
                reference="ALI-77")  # fmt: skip
        shift_id = b.shift.id
    rows = _shift_table(world, shift_id).rows
    original_no = rows[0][COLUMN["receipt"]]
    assert original_no and rows[0][COLUMN["mark"]] == "已作废：房间输错"
    assert rows[1][COLUMN["kind"]] == "作废" and rows[1][COLUMN["receipt"]] == original_no
    assert rows[1][COLUMN["mark"]] == f"作废 {original_no}：房间输错" and rows[1][COLUMN["fen"]] == -2000
    assert (
        rows[2][COLUMN["kind"]] == "更正重开" and rows[2][COLUMN["mark"]] == f"更正重开，原收据 {original_no}"
    )
    assert rows[2][COLUMN["room"]] == "5-101" and rows[2][COLUMN["account"]] == "A0002"
    assert (rows[3][COLUMN["tender"]], rows[3][COLUMN["reference"]], rows[3][COLUMN["mark"]]) == (
        "支付宝",
        "ALI-77",
        "",
    )
    assert [r[COLUMN["time"]] for r in rows] == sorted(r[COLUMN["time"]] for r in rows)


def test_the_date_range_register_is_every_shift_of_those_days(world):
    first = standard_shift(world)
    with work(world.engine, world.keys) as s:
        table = build_report(s, "sales-register", ReportQuery(date(2025, 9, 1), date(2025, 9, 1)))
        empty = build_report(s, "sales-register", ReportQuery(date(2025, 9, 2), date(2025, 9, 2)))
    count, fen, energy, free, _cash = _sums(world.engine, first)
    assert len(table.rows) == count and table.total is not None and table.total[6:9] == (fen, energy, free)
    assert empty.rows == () and empty.total is not None and empty.total[6] == 0


def test_pdf_and_xlsx_carry_the_lines_and_the_marks(world, tmp_path):
    shift_id = standard_shift(world)
    table = _shift_table(world, shift_id)
    pdf = tmp_path / "register.pdf"
    pdf.write_bytes(render(table, "pdf"))
    out = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "售电登记表" in out and "已作废" in out and "WX123" in out and "5-308" in out
    assert f"班次：{shift_id}" in out and "17:10:00" in out  # Beijing time, as sold (17:00 + 10 min)
    sheet = openpyxl.load_workbook(io.BytesIO(render(table, "xlsx"))).active
    values = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "WX123" in values and "金额输错" in "".join(values)


def test_the_facade_gives_the_open_shift_and_a_named_one(world):
    shift_id = standard_shift(world)
    cashier = world.ctx(world.people.cashier)
    assert sales_register_table(cashier).rows == _shift_table(world, shift_id).rows
    assert sales_register(cashier, shift_id=shift_id, format="xlsx")[:2] == b"PK"
    with pytest.raises(InputInvalid):
        sales_register(cashier, format="doc")
    with pytest.raises(InputInvalid):
        sales_register_table(cashier, shift_id=9999)
    with pytest.raises(RoleForbidden):  # the administrator holds no money role
        sales_register_table(world.ctx(world.people.admin), shift_id=shift_id)


def test_without_an_open_shift_the_x_register_says_so(world):
    with pytest.raises(ShiftNotOpen):
        sales_register_table(world.ctx(world.people.cashier))
