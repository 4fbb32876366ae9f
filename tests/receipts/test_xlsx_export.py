"""XLSX exports reopen with openpyxl: numbers stay numbers, widths follow display width."""

from datetime import date, datetime
from pathlib import Path

import openpyxl

from base.clock import BUSINESS_TZ
from receipts.tables import Column
from receipts.xlsx import write_table_xlsx

COLUMNS = [
    Column("房间"),
    Column("金额（元）", "yuan"),
    Column("电量（kWh）", "kwh"),
    Column("电价", "price"),
    Column("笔数", "int"),
    Column("日期", "date"),
    Column("时间", "datetime"),
]
ROWS = [
    [
        "5-308 学生公寓",
        1234567,
        16998,
        5883,
        3,
        date(2026, 11, 23),
        datetime(2026, 11, 23, 15, 20, tzinfo=BUSINESS_TZ),
    ],
    ["12-1101", 5, None, 5883, 0, None, None],
]


def test_reopened_values_formats_and_widths(tmp_path: Path) -> None:
    path = tmp_path / "day.xlsx"
    write_table_xlsx(
        path, sheet="日报", title="日报表 2026-11-23", header_lines=["柜台：W01"], columns=COLUMNS, rows=ROWS
    )
    sheet = openpyxl.load_workbook(path)["日报"]
    assert sheet["A1"].value == "日报表 2026-11-23" and sheet["A2"].value == "柜台：W01"
    assert [c.value for c in sheet[4]] == [c.title for c in COLUMNS]
    row = [c.value for c in sheet[5]]
    assert row[:5] == ["5-308 学生公寓", 12345.67, 169.98, 0.5883, 3]
    assert row[5] == datetime(2026, 11, 23) and row[6] == datetime(2026, 11, 23, 15, 20)
    assert sheet["B5"].number_format == "0.00" and sheet["B6"].value == 0.05 and sheet["C6"].value is None
    # "5-308 学生公寓" is 6 + 8 = 14 display columns: width 16, where len() would give 12
    widths = {
        key: round(dim.width - 0.7109375) for key, dim in sheet.column_dimensions.items()
    }  # XlsxWriter pad
    assert widths["A"] == 16 and widths["B"] == 12  # 金额（元） = 10 display columns, + 2


def test_same_input_gives_identical_bytes() -> None:
    first = write_table_xlsx(None, sheet="日报", columns=COLUMNS, rows=ROWS)
    assert first == write_table_xlsx(None, sheet="日报", columns=COLUMNS, rows=ROWS)
