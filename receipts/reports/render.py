"""Rendering a ReportTable to PDF (A4, CJK font embedded), XLSX or CSV; all deterministic.

CSV is UTF-8 with a BOM (Excel on a Chinese Windows otherwise reads it as GBK) and CRLF line ends;
money and energy are written as exact decimal text (12.34), never through a float.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from reportlab.lib.units import mm

from receipts.pdf_document import PdfReport
from receipts.pdf_fonts import ResolvedFont
from receipts.pdf_pages import page_pngs
from receipts.reports.model import HourChart, ReportTable
from receipts.tables import Cell, Column, cell_int, format_cell
from receipts.xlsx import write_table_xlsx

if TYPE_CHECKING:
    from reportlab.graphics.shapes import Drawing

FORMATS = ("pdf", "xlsx", "csv", "png")
# PNG is the PDF's first page as a picture (receipts/pdf_pages.py): for the notices posted in the
# dorms' chat groups (低电通报, 收费标准公示), one page by design.


class _ChartReport(PdfReport):
    """PdfReport plus a chart flowable (the base class has no public hook for drawings)."""

    def drawing(self, drawing: Drawing) -> _ChartReport:
        self._story.append(drawing)
        return self


PNG_DPI = 110  # a phone screen reads an A4 page at this resolution


def render(table: ReportTable, fmt: str, *, font: ResolvedFont | None = None) -> bytes:
    if fmt == "pdf":
        return render_pdf(table, font=font)
    if fmt == "xlsx":
        return render_xlsx(table)
    if fmt == "csv":
        return render_csv(table)
    if fmt == "png":
        return page_pngs(render_pdf(table, font=font), PNG_DPI, first_only=True)[0]
    raise ValueError(f"unknown report format {fmt!r}; one of {', '.join(FORMATS)}")


def render_pdf(table: ReportTable, *, font: ResolvedFont | None = None) -> bytes:
    pdf = _ChartReport(title=table.title, font=font, form_no=table.form_no, wide=table.wide)
    if table.header_lines:
        pdf.lines(list(table.header_lines))
    pdf.table(
        list(table.columns), [list(r) for r in table.rows], total=list(table.total) if table.total else None
    )
    if table.chart is not None:
        pdf.heading(table.chart.title)
        pdf.drawing(hour_chart(table.chart, pdf.font.name, pdf.frame_width))
    for note in table.notes:
        pdf.paragraph(note)
    if table.sign_labels:
        pdf.signatures(list(table.sign_labels))
    return pdf.build()


def hour_chart(chart: HourChart, font_name: str, width: float) -> Drawing:
    # ReportLab's graphics are imported when a chart is drawn, not when the program starts (issue 16).
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors

    height = 60 * mm
    drawing = Drawing(width, height)
    bars = VerticalBarChart()
    # reportlab takes float points here; its stubs declare PlotArea's box as int.
    bars.x, bars.y, bars.width, bars.height = 12 * mm, 10 * mm, width - 18 * mm, height - 16 * mm  # type: ignore[assignment]
    bars.data = [list(chart.values)]
    bars.categoryAxis.categoryNames = list(chart.bar_labels)
    bars.categoryAxis.labels.fontName = font_name
    bars.categoryAxis.labels.fontSize = 7
    bars.valueAxis.labels.fontName = font_name
    bars.valueAxis.labels.fontSize = 7
    bars.valueAxis.valueMin = 0
    bars.bars[0].fillColor = colors.HexColor("#4A6FA5")
    drawing.add(bars)
    drawing.add(String(0, height - 5 * mm, f"（{chart.unit}）", fontName=font_name, fontSize=8))
    return drawing


def render_xlsx(table: ReportTable) -> bytes:
    rows = [list(r) for r in table.rows] + ([list(table.total)] if table.total else [])
    header = ([f"表号：{table.form_no}"] if table.form_no else []) + list(table.header_lines)
    return write_table_xlsx(None, sheet=table.sheet_name, columns=list(table.columns), rows=rows,
                            title=table.title, header_lines=header)  # fmt: skip


def render_csv(table: ReportTable) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.title for c in table.columns])
    for row in [*table.rows, *([table.total] if table.total else [])]:
        writer.writerow([_csv_cell(c, v) for c, v in zip(table.columns, row, strict=True)])
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


# A spreadsheet reads a cell starting with one of these as a formula (=HYPERLINK(…), =cmd|' /C calc'!A0)
# or strips it: OWASP "CSV injection". Such a text cell gets a leading apostrophe, which Excel and
# WPS show as plain text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(column: Column, value: Cell) -> str:
    if value is None:
        return ""
    if column.kind in ("yuan", "kwh"):
        return _decimal_text(cell_int(value), 2)  # a number (-12.50 stays a number): never escaped
    if column.kind == "price":
        return _decimal_text(cell_int(value), 4)
    return (
        escape_text_cell(format_cell(column, value)) if isinstance(value, str) else format_cell(column, value)
    )


def escape_text_cell(text: str) -> str:
    """A text cell as a spreadsheet will show it, never run it: `'` before a formula start."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _decimal_text(scaled: int, places: int) -> str:
    sign, digits = ("-" if scaled < 0 else ""), str(abs(scaled)).rjust(places + 1, "0")
    return f"{sign}{digits[:-places]}.{digits[-places:]}"
