"""Issue 12 §6, imports: bounded memory, exact meter numbers, formulas reported, text held to the
counter's own rule."""

from __future__ import annotations

import os
import resource
from pathlib import Path

import openpyxl
import pytest

from counter_app.imports import parse_accounts_file, parse_legacy_file
from counter_app.imports import rows as rows_module
from counter_app.imports.table import read_table

from .files import GOOD_ROWS, HEADER, write_csv, write_xlsx


def _errors(parsed) -> list[tuple[int, str]]:
    return [(e.line, e.field) for e in parsed.errors]


def test_a_meter_number_cell_that_cannot_be_exact_is_refused_with_its_row(tmp_path):
    rows = [list(r) for r in GOOD_ROWS]
    rows[1][9] = 12345678901234567890  # typed as a number: the float holds …569216, not the meter
    rows[2][9] = 10000309  # a small number is exact and kept
    parsed = parse_accounts_file(write_xlsx(tmp_path / "m.xlsx", rows))
    assert _errors(parsed) == [(2, "电表号")]
    assert "精确" in parsed.errors[0].message_zh
    assert "10000309" in [r.meter_no for r in parsed.rows]
    assert not any("569216" in r.meter_no for r in parsed.rows)


def test_a_meter_number_stored_as_text_stays_exact(tmp_path):
    rows = [list(r) for r in GOOD_ROWS]
    rows[1][9] = "12345678901234567890"
    parsed = parse_accounts_file(write_xlsx(tmp_path / "t.xlsx", rows))
    assert parsed.ok and parsed.rows[0].meter_no == "12345678901234567890"


def test_rows_made_only_of_formulas_are_reported_not_skipped(tmp_path):
    """openpyxl (like a script) saves formulas without a computed value: the row would read as
    blank and vanish; it is named instead."""
    book = openpyxl.Workbook()
    sheet = book.active
    for row in GOOD_ROWS:
        sheet.append([None if v == "" else v for v in row])
    sheet.append(["=A2", "=B2", None, "=D2&\"1\""])  # line 6: formulas only
    path = tmp_path / "f.xlsx"
    book.save(path)
    parsed = parse_accounts_file(path)
    assert {line for line, _ in _errors(parsed)} == {6}
    assert "公式" in parsed.errors[0].message_zh
    assert len(parsed.rows) == 4


def test_dev_zero_is_refused_at_its_first_byte_in_bounded_memory(tmp_path):
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero")
    link = tmp_path / "zero.csv"
    link.symlink_to("/dev/zero")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for parse in (parse_accounts_file, parse_legacy_file):
        parsed = parse(link)
        assert _errors(parsed) == [(1, "NUL")] and "NUL 字节" in parsed.errors[0].message_zh
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50_000  # KB: no file in memory


def test_a_line_too_long_and_a_file_too_large_are_refused(tmp_path, monkeypatch):
    long_line = tmp_path / "long.csv"
    long_line.write_bytes(b"a" * (rows_module.MAX_LINE_BYTES + 10))
    assert _errors(parse_accounts_file(long_line)) == [(1, "format")]
    monkeypatch.setattr("counter_app.imports.table.MAX_IMPORT_BYTES", 1000)
    big = write_csv(tmp_path / "big.csv", [HEADER] + [list(GOOD_ROWS[1])] * 40)
    assert _errors(parse_accounts_file(big)) == [(0, "file")]


def test_the_row_limit_is_kept(tmp_path, monkeypatch):
    monkeypatch.setattr("counter_app.imports.rows.MAX_ROWS", 2)
    path = write_csv(tmp_path / "rows.csv", [list(r) for r in GOOD_ROWS])
    assert _errors(parse_accounts_file(path)) == [(0, "file")]


@pytest.mark.parametrize(
    ("cell", "reason"),
    [("王\x01老师", "控制字符"), ("王" * 250, "太长")],
)
def test_a_cell_the_counter_would_refuse_is_refused_in_a_file(tmp_path, cell, reason):
    rows = [list(r) for r in GOOD_ROWS]
    rows[3][10] = cell
    paths = [write_csv(tmp_path / "c.csv", rows)]
    if "\x01" not in cell:  # XML cannot carry a control character
        paths.append(write_xlsx(tmp_path / "c.xlsx", rows))
    for path in paths:
        parsed = parse_accounts_file(path)
        assert _errors(parsed) == [(4, "户主")] and reason in parsed.errors[0].message_zh


def test_holder_and_phone_follow_the_counter_rules(tmp_path):
    rows = [list(r) for r in GOOD_ROWS]
    rows[3][10] = "王" * 101  # the counter's holder limit is 100
    rows[3][11] = "call me"
    parsed = parse_accounts_file(write_csv(tmp_path / "h.csv", rows))
    assert sorted(_errors(parsed)) == [(4, "户主"), (4, "电话")]


def test_read_table_streams_the_file_by_path(tmp_path):
    path = write_csv(tmp_path / "s.csv", [list(r) for r in GOOD_ROWS])
    table = read_table(Path(path), lambda header: 1)
    assert table.encoding == "utf-8" and len(table.rows) == 4 and table.problems == ()


def test_every_reader_refuses_a_lone_surrogate_cell():
    """No file can be written with one, but a reader must never pass one on (it crashes the database)."""
    builder = rows_module.TableBuilder("xlsx")
    builder.add(1, ("户主",))
    builder.add(2, ("王\udc80",))
    table = builder.table()
    assert table.rows == () and [(e.line, e.field) for e in table.problems] == [(2, "户主")]
