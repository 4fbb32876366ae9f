"""XLSX exports (XlsxWriter: write-only, fast, no dependency on reading files).

Numbers stay numbers so finance can sum them: money columns hold yuan with format 0.00, energy
kWh with 0.00. That is the one place a money figure becomes a binary float — inside the
spreadsheet, which stores every number as a double; ours stay integer fen up to this edge.
Column widths follow display width (a Han character is two columns wide).

    write_table_xlsx("day.xlsx", sheet="日报", title="日报表 2026-11-23",
                     columns=[Column("项目"), Column("金额（元）", "yuan")], rows=[["寝室用户", 1234500]])
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from receipts.columns import display_width
from receipts.tables import Cell, Column, cell_int, format_cell, local_naive

if TYPE_CHECKING:
    from xlsxwriter.format import Format
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

_FORMATS = {
    "yuan": "0.00",
    "kwh": "0.00",
    "price": "0.0000",
    "int": "0",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm:ss",
}
_SCALE = {"yuan": 100, "kwh": 100, "price": 10_000}
_MAX_WIDTH = 60
# Fixed document dates so a regenerated export is byte-identical.
_FIXED_CREATED = datetime(2000, 1, 1)


def write_table_xlsx(
    target: str | Path | BinaryIO | None,
    *,
    sheet: str,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Cell]],
    title: str | None = None,
    header_lines: Sequence[str] = (),
) -> bytes:
    """One sheet: optional title and header lines, then a header row and the data. Returns the bytes
    (also written to `target` when given)."""
    buffer = io.BytesIO()
    # XlsxWriter is imported when a spreadsheet is written, not when the program starts (issue 16).
    import xlsxwriter

    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    workbook.set_properties({"title": title or sheet, "created": _FIXED_CREATED})
    worksheet = workbook.add_worksheet(sheet[:31])  # Excel's sheet-name limit
    top = _write_preamble(workbook, worksheet, title, header_lines)
    _write_header(workbook, worksheet, top, columns)
    formats = {kind: workbook.add_format({"num_format": fmt}) for kind, fmt in _FORMATS.items()}
    for offset, row in enumerate(rows, start=top + 1):
        for col, (column, value) in enumerate(zip(columns, row, strict=True)):
            _write_cell(worksheet, offset, col, column, value, formats)
    _set_widths(worksheet, columns, rows)
    worksheet.freeze_panes(top + 1, 0)
    workbook.close()
    data = buffer.getvalue()
    _write(target, data)
    return data


def _write_preamble(
    workbook: Workbook, worksheet: Worksheet, title: str | None, header_lines: Sequence[str]
) -> int:
    row = 0
    if title:
        worksheet.write_string(row, 0, title, workbook.add_format({"bold": True, "font_size": 14}))
        row += 1
    for line in header_lines:
        worksheet.write_string(row, 0, line)
        row += 1
    return row + (1 if row else 0)


def _write_header(workbook: Workbook, worksheet: Worksheet, row: int, columns: Sequence[Column]) -> None:
    bold = workbook.add_format({"bold": True, "bg_color": "#E8E8E8", "border": 1})
    for col, column in enumerate(columns):
        worksheet.write_string(row, col, column.title, bold)


def _write_cell(
    worksheet: Worksheet, row: int, col: int, column: Column, value: Cell, formats: dict[str, Format]
) -> None:
    if value is None:
        return
    if column.kind in _SCALE:
        worksheet.write_number(row, col, cell_int(value) / _SCALE[column.kind], formats[column.kind])
    elif column.kind == "int":
        worksheet.write_number(row, col, cell_int(value), formats["int"])
    elif column.kind == "datetime" and isinstance(value, datetime):
        worksheet.write_datetime(row, col, local_naive(value), formats["datetime"])
    elif column.kind == "date" and isinstance(value, date):
        worksheet.write_datetime(row, col, datetime(value.year, value.month, value.day), formats["date"])
    else:
        worksheet.write_string(row, col, format_cell(column, value))


def _set_widths(worksheet: Worksheet, columns: Sequence[Column], rows: Sequence[Sequence[Cell]]) -> None:
    for col, column in enumerate(columns):
        if column.width:
            worksheet.set_column(col, col, column.width)
            continue
        texts = [column.title] + [format_cell(column, row[col]) for row in rows]
        worksheet.set_column(col, col, min(max(display_width(t) for t in texts) + 2, _MAX_WIDTH))


def _write(target: str | Path | BinaryIO | None, data: bytes) -> None:
    if target is None:
        return
    if isinstance(target, str | Path):
        Path(target).write_bytes(data)
    else:
        target.write(data)
