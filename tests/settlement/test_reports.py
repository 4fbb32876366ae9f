"""Reports: totals against independent SQL, PDF/XLSX/CSV contents, byte-identical regeneration,
range checks, the font fallback."""

from __future__ import annotations

import io
import subprocess
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import text

from base.errors import InputInvalid
from base.money import format_yuan
from counter_app.settlement.report_catalogue import REPORTS, build_report
from counter_app.settlement.reports import ReportQuery
from receipts.pdf_fonts import FontCandidate, resolve_cjk_font
from receipts.reports import render, render_pdf
from settlement.conftest import standard_shift, work

DAY = ReportQuery(date(2025, 9, 1), date(2025, 9, 1))

# Written separately from the service: amount, energy, free, refunds and voids per charge line.
SQL_BY_LINE = """
SELECT CASE WHEN COALESCE(l.charge, 'electricity') = 'electricity'
            THEN CASE WHEN cc.class_group = 'dorm' THEN '寝室用户' ELSE '业主用户' END
            ELSE l.charge END AS line,
       SUM(CASE WHEN l.kind IN ('sale','correction','bill_payment','fee_payment','back_charge_payment') THEN 1 ELSE 0 END),
       SUM(CASE WHEN l.kind IN ('sale','correction','bill_payment','fee_payment','back_charge_payment','void','suspense','suspense_resolved')
                THEN l.fen ELSE 0 END),
       SUM(CASE WHEN l.kind IN ('sale','correction','bill_payment','fee_payment','back_charge_payment','void','suspense','suspense_resolved')
                THEN l.energy_ckwh ELSE 0 END),
       SUM(l.free_ckwh),
       SUM(CASE WHEN l.kind = 'refund_raised' THEN -l.fen ELSE 0 END),
       SUM(CASE WHEN l.kind = 'void' THEN 1 ELSE 0 END)
FROM ledger_entries l LEFT JOIN accounts a ON a.id = l.account_id LEFT JOIN card_classes cc ON cc.code = a.cls
GROUP BY 1
"""
LINE_NAMES = {"repair": "代收维修费", "card_fee": "补卡费"}


def _sql(engine, sql):
    with engine.connect() as c:
        return [tuple(r) for r in c.execute(text(sql))]


def _report(w, kind, query=DAY, progress=None):
    with work(w.engine, w.keys) as s:
        return build_report(s, kind, query, progress)


def test_day_report_rows_and_total_equal_independent_sql(world):
    standard_shift(world)
    table = _report(world, "day")
    expected = {}
    for line, *figures in _sql(world.engine, SQL_BY_LINE):
        expected[LINE_NAMES.get(line, line)] = tuple(int(f) for f in figures)
    got = {}
    for period, group, charge, *figures in table.rows:
        assert period == "2025-09-01"
        key = group if charge == "电费" else charge
        got[key] = tuple(figures)
    assert got == expected
    assert tuple(table.total[3:]) == tuple(sum(v[i] for v in expected.values()) for i in range(6))
    assert table.chart is not None and sum(table.chart.values) == table.total[4] // 100


def test_month_and_year_use_the_accounting_period(world):
    standard_shift(world)
    query = ReportQuery(date(2025, 8, 26), date(2025, 9, 25))
    assert {r[0] for r in _report(world, "month", query).rows} == {"2025-09"}
    assert {r[0] for r in _report(world, "year", query).rows} == {"2025"}
    assert {r[0] for r in _report(world, "week", query).rows} == {"2025-W36"}


def test_collection_and_account_detail_totals_equal_sql(world):
    standard_shift(world)
    collection = _report(world, "collection")
    (money,) = _sql(world.engine, """SELECT SUM(fen) FROM ledger_entries WHERE kind IN ('sale','correction',
        'bill_payment','fee_payment','back_charge_payment','void','suspense','suspense_resolved')""")[0:1]  # fmt: skip
    assert collection.total[3] == money[0] and collection.form_no == "HNKJ/C4/1012"
    dorm = dict((r[0], r) for r in collection.rows)["学生公寓"]
    (dorm_fen,) = _sql(world.engine, """SELECT SUM(l.fen) FROM ledger_entries l JOIN accounts a ON a.id = l.account_id
        WHERE a.cls = 'dorm' AND l.kind IN ('sale','void')""")[0]  # fmt: skip
    assert dorm[3] == dorm_fen
    seen = []
    detail = _report(world, "account-detail", progress=lambda done, total: seen.append((done, total)))
    assert detail.form_no == "HNKJ/C4/1013" and seen[-1] == (2, 2)
    rows = {r[0]: r for r in detail.rows}
    (bought,) = _sql(world.engine, """SELECT SUM(l.energy_ckwh) FROM ledger_entries l JOIN accounts a
        ON a.id = l.account_id WHERE a.account_no = 'A0001' AND l.kind IN ('sale','correction','void')""")[0]  # fmt: skip
    assert rows["A0001"][3] == bought and rows["A0001"][4] == 1000 and rows["A0001"][5] == 1500


@pytest.mark.parametrize("kind", sorted(REPORTS))
def test_every_report_renders_in_every_format_byte_identically(world, kind, tmp_path):
    standard_shift(world)
    for fmt in ("pdf", "xlsx", "csv"):
        first = render(_report(world, kind), fmt)
        assert first == render(_report(world, kind), fmt), (kind, fmt)


def test_day_pdf_has_headings_totals_and_embedded_font(world, tmp_path):
    standard_shift(world)
    table = _report(world, "day")
    path = tmp_path / "day.pdf"
    path.write_bytes(render(table, "pdf"))
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout
    for fact in (
        "日报表",
        "寝室用户",
        "业主用户",
        "代收维修费",
        "分时段收费",
        "合计",
        format_yuan(table.total[4]),
    ):
        assert fact in out, fact
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    assert any("TrueType" in line and line.split()[-5] == "yes" for line in fonts.splitlines()), fonts


def test_collection_pdf_carries_its_form_number(world, tmp_path):
    standard_shift(world)
    path = tmp_path / "c.pdf"
    path.write_bytes(render(_report(world, "collection"), "pdf"))
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "电费月收费报表" in out and "HNKJ/C4/1012" in out


def test_xlsx_reopened_matches_the_rows(world):
    standard_shift(world)
    table = _report(world, "day")
    sheet = openpyxl.load_workbook(io.BytesIO(render(table, "xlsx"))).active
    values = [row for row in sheet.iter_rows(values_only=True) if row and row[0] == "2025-09-01"]
    assert len(values) == len(table.rows)
    for got, want in zip(values, table.rows, strict=True):
        assert got[:3] == want[:3] and got[3] == want[3]
        assert round(got[4] * 100) == want[4]  # yuan in the sheet, exact fen in the report


def test_csv_is_exact_decimal_text(world):
    standard_shift(world)
    table = _report(world, "day")
    lines = render(table, "csv").decode("utf-8-sig").splitlines()
    assert lines[0].startswith("期间,用户类别,收费项目") and lines[-1].startswith("合计")
    assert lines[-1].split(",")[4] == format_yuan(table.total[4]).replace(",", "")


def test_a_range_ending_before_it_starts_is_refused():
    with pytest.raises(InputInvalid):
        ReportQuery(date(2025, 9, 2), date(2025, 9, 1))


def test_unknown_report_kind_is_refused(world):
    with pytest.raises(InputInvalid):
        _report(world, "nonsense")


def test_a_missing_font_falls_back_and_says_so(world, tmp_path):
    standard_shift(world)
    font = resolve_cjk_font(candidates=[FontCandidate(Path("/nonexistent/font.ttc"), "system")])
    assert not font.embedded and font.warning and "STSong-Light" in font.warning
    data = render_pdf(_report(world, "day"), font=font)
    assert data.startswith(b"%PDF") and b"STSong-Light" in data
