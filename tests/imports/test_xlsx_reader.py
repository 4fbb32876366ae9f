"""The XLSX reader (calamine behind a streamed check, counter_app/imports/xlsx_rows.py): what a
cell reads as, where its line is, and the files it refuses before calamine would hold them."""

from __future__ import annotations

import tempfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from counter_app.imports import parse_accounts_file, xlsx_rows
from counter_app.imports.xlsx_rows import cell_text, read_xlsx

from .files import GOOD_ROWS, write_raw_xlsx, write_xlsx


def _text(v: str) -> str:
    return f'<c t="inlineStr"><is><t>{v}</t></is></c>'


def test_cells_read_as_a_person_sees_them(tmp_path):
    path = tmp_path / "kinds.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["数", "文本数", "日期", "时刻", "公式", "合并", "布尔", "小数", "汉字"])
    sheet.write_number(1, 0, 308)
    sheet.write_string(1, 1, "0012345678901234567890")  # a number stored as text stays exact
    sheet.write_datetime(1, 2, date(2025, 6, 2), book.add_format({"num_format": "yyyy-mm-dd"}))
    sheet.write_datetime(
        1, 3, datetime(2025, 6, 2, 13, 30), book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    )
    sheet.write_formula(1, 4, "=A2*2", None, 616)  # saved with its value, as Excel does
    sheet.merge_range(1, 5, 2, 5, "合并值")
    sheet.write_boolean(1, 6, True)
    sheet.write_number(1, 7, 0.5883)
    sheet.write_string(1, 8, " 𠀀汉字ＧＢＫ碁é ")  # beyond the BMP, full width, GB18030-only: kept, trimmed
    sheet.write_string(3, 0, "下一行")
    book.close()
    table = read_xlsx(path)
    assert table.error is None and table.problems == ()
    assert table.rows == (
        (2, ("308", "0012345678901234567890", "2025-06-02", "2025-06-02T13:30:00", "616", "合并值", "TRUE",
             "0.5883", "𠀀汉字ＧＢＫ碁é")),
        # line 3 holds only the merged area's other cell (empty, as in Excel) and is skipped
        (4, ("下一行", "", "", "", "", "", "", "", "")),
    )  # fmt: skip


def test_a_table_away_from_a1_keeps_its_lines_and_columns(tmp_path):
    """calamine starts at the first filled cell; the rows and columns before it are put back."""
    shifted = [[None, *r] for r in GOOD_ROWS]
    path = tmp_path / "b1.xlsx"
    write_xlsx(path, shifted)
    table = read_xlsx(path)
    assert table.header == ("", *GOOD_ROWS[0])
    assert [line for line, _ in table.rows] == [2, 3, 4, 5]
    assert parse_accounts_file(path).ok
    # a blank first row is the (blank) header, never the row under it: line numbers stay Excel's
    path = tmp_path / "row2.xlsx"
    write_xlsx(path, [[], *GOOD_ROWS])
    table = read_xlsx(path)
    assert not any(table.header) and table.rows[0][0] == 2 and table.rows[0][1][:2] == ("校区", "楼栋")


def test_cells_without_references_are_placed_after_the_one_before(tmp_path):
    data = (f"<row>{_text('校区')}{_text('楼栋')}</row><row/>"
            f"<row><c><v>5</v></c>{_text('x')}<c><f>A3+1</f></c></row>")  # fmt: skip
    table = read_xlsx(write_raw_xlsx(tmp_path / "implicit.xlsx", data))
    assert table.header == ("校区", "楼栋") and table.rows == ()
    assert [(e.line, e.field) for e in table.problems] == [(3, "第 3 列")]
    assert "公式" in table.problems[0].message_zh


def test_a_formula_with_its_value_is_read_and_one_without_is_named(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["校区", "楼栋"])
    sheet.append(["东校区", "=1+1"])  # openpyxl saves no value: named
    sheet.append(["西校区", "5"])
    path = tmp_path / "f.xlsx"
    book.save(path)
    table = read_xlsx(path)
    assert table.rows == ((3, ("西校区", "5")),)
    assert [(e.line, e.field) for e in table.problems] == [(2, "楼栋")]
    data = f'<row r="1">{_text("校区")}</row><row r="2"><c r="A2" t="str"><f>"东"&amp;"校区"</f><v>东校区</v></c></row>'
    table = read_xlsx(write_raw_xlsx(tmp_path / "cached.xlsx", data))
    assert table.rows == ((2, ("东校区",)),) and table.problems == ()


def test_two_far_cells_are_refused_before_calamine_holds_their_rectangle(tmp_path):
    """A1 and XFD1048576: calamine would ask for 512 GiB and abort the process."""
    data = '<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>2</v></c></row>'
    for name, cells in (("far.xlsx", data), ("far_implicit.xlsx", data.replace(' r="A1"', ""))):
        table = read_xlsx(write_raw_xlsx(tmp_path / name, cells))
        assert table.error is not None and (table.error.line, table.error.field) == (0, "file")
        assert "1048576 行 × 16384 列" in table.error.message_zh
    # empty styled cells far away are not filled: no refusal (calamine does not hold them)
    data = '<row r="1"><c r="A1"><v>1</v></c></row><row r="900000"><c r="XFD900000" s="1"/></row>'
    table = read_xlsx(write_raw_xlsx(tmp_path / "styled.xlsx", data))
    assert table.error is None and table.header == ("1",)


def test_an_archive_that_unpacks_too_large_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx_rows, "MAX_XLSX_XML_BYTES", 200_000)
    rows = "".join(f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>' for i in range(1, 10_000))
    path = write_raw_xlsx(tmp_path / "bomb.xlsx", rows)
    assert path.stat().st_size < 100_000  # compresses well, unpacks beyond the limit
    table = read_xlsx(path)
    assert table.error is not None and (table.error.line, table.error.field) == (0, "file")
    assert "解压后超过" in table.error.message_zh


def test_a_broken_archive_is_a_format_error(tmp_path):
    path = write_raw_xlsx(tmp_path / "broken.xlsx", "", sheet_xml="<worksheet><sheetData><row>")
    table = read_xlsx(path)
    assert table.error is not None and (table.error.line, table.error.field) == (0, "format")


cell_value = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=12),
    st.integers(-(2**53), 2**53),
    # what Excel keeps of a typed number: 15 significant digits (XlsxWriter writes 16)
    st.integers(-(10**13), 10**13).map(lambda n: n / 10_000),
    st.booleans(),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.lists(cell_value, min_size=1, max_size=5), min_size=2, max_size=6))
def test_every_cell_reads_back_as_its_text(rows):
    """Whatever Excel-like content a sheet has, each cell reads as cell_text of what was typed, on
    the spreadsheet's own line (blank rows skipped)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "p.xlsx"
        book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
        sheet = book.add_worksheet()
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, str):
                    sheet.write_string(r, c, value)
                elif isinstance(value, bool):
                    sheet.write_boolean(r, c, value)
                else:
                    sheet.write_number(r, c, value)
        book.close()
        table = read_xlsx(path)
    width = max(len(r) for r in rows)
    expected = [
        (line, tuple(cell_text(float(v) if isinstance(v, int) and not isinstance(v, bool) else v) for v in row)
         + ("",) * (width - len(row)))
        for line, row in enumerate(rows, start=1)
    ]  # fmt: skip
    assert table.error is None and table.problems == ()
    assert table.header == expected[0][1][: len(table.header)]
    assert table.rows == tuple((line, cells) for line, cells in expected[1:] if any(cells))


def test_an_error_value_is_named_not_read_as_empty(tmp_path):
    """calamine reads #DIV/0!, #N/A… as an empty cell: an optional column would lose it silently."""
    data = (f'<row r="1">{_text("校区")}{_text("户主")}</row>'
            '<row r="2"><c r="A2" t="inlineStr"><is><t>东校区</t></is></c><c r="B2" t="e"><v>#N/A</v></c></row>')  # fmt: skip
    table = read_xlsx(write_raw_xlsx(tmp_path / "error.xlsx", data))
    assert table.rows == () and [(e.line, e.field) for e in table.problems] == [(2, "户主")]
    assert "#N/A" in table.problems[0].message_zh


def test_a_cell_beyond_excels_last_row_is_refused_and_a_far_table_read_quickly(tmp_path):
    # calamine would give 100 million empty rows one by one (minutes) for this 1 KB file
    data = '<row r="99999999"><c r="A99999999"><v>1</v></c></row>'
    table = read_xlsx(write_raw_xlsx(tmp_path / "beyond.xlsx", data))
    assert table.error is not None and (table.error.line, table.error.field) == (0, "format")
    # Excel's own last row: the million empty rows before it are skipped, the line number kept
    data = '<row r="1048576"><c r="A1048576"><v>7</v></c></row>'
    table = read_xlsx(write_raw_xlsx(tmp_path / "last.xlsx", data))
    assert table.error is None and table.rows == ((1_048_576, ("7",)),)
