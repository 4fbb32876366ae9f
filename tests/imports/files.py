"""Writers for real import files in tmp_path: CSV in UTF-8 (with or without BOM) and GB18030,
XLSX through XlsxWriter, the way the housing office's Excel or WPS would save them."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import xlsxwriter

HEADER = ["校区", "楼栋", "单元", "房间", "类别", "床位", "本科", "研究生", "博士", "电表号", "户主", "电话"]
DATA = Path(__file__).parent / "data"


def csv_bytes(rows: Sequence[Sequence[object]], encoding: str = "utf-8", *, bom: bool = False) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    data = buffer.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def write_csv(
    path: Path, rows: Sequence[Sequence[object]], encoding: str = "utf-8", *, bom: bool = False
) -> Path:
    path.write_bytes(csv_bytes(rows, encoding, bom=bom))
    return path


def write_xlsx(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    """Numbers stay numbers (as Excel stores a typed 308 or 4), text stays text."""
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("房间")
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})  # a date cell, as Excel makes one
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, date):
                sheet.write_datetime(r, c, value, date_format)
            else:
                sheet.write(r, c, value)
    workbook.close()
    return path


GOOD_ROWS = [
    HEADER,
    ["东校区", "5", "", "308", "学生公寓", 4, 3, 1, 0, "10000308", "", ""],
    ["东校区", "5", "", "309", "dorm", 6, 0, 2, 2, "10000309", "", ""],
    ["东校区", "12", "2", "101", "教职工", "", "", "", "", "20012101", "王老师", "13800138000"],
    ["西校区", "B", "", "1", "实体经营", "", "", "", "", "B-0001", "校园超市", "0571-88888888"],
]
