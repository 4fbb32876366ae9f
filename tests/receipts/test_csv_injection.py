"""Issue 12 §6: a CSV export never carries a formula a spreadsheet would run (OWASP "CSV
injection"); money stays a number, a negative one included."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from receipts.reports.model import ReportTable
from receipts.reports.render import escape_text_cell, render_csv
from receipts.tables import Column

COLUMNS = (Column("户主"), Column("金额", "yuan"), Column("电量", "kwh"))


def _cells(rows: list[tuple]) -> list[list[str]]:
    table = ReportTable(kind="t", title="t", columns=COLUMNS, rows=tuple(rows))
    text = render_csv(table).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))[1:]


@pytest.mark.parametrize(
    "payer",
    ['=HYPERLINK("http://x","点我")', "=cmd|' /C calc'!A0", "+1+1", "-cmd", "@SUM(A1)", "\tx", "\rx"],
)
def test_a_text_cell_that_starts_a_formula_is_escaped(payer):
    assert _cells([(payer, 100, 100)]) == [["'" + payer, "1.00", "1.00"]]


def test_negative_money_stays_a_number_and_plain_text_is_untouched():
    assert _cells([("王老师", -1250, -5)]) == [["王老师", "-12.50", "-0.05"]]
    assert _cells([("a=b", 0, 0)]) == [["a=b", "0.00", "0.00"]]


@given(st.text())
def test_no_escaped_text_starts_a_formula(text):
    escaped = escape_text_cell(text)
    assert not escaped.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert escaped in (text, "'" + text)
