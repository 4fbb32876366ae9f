"""Report documents (PDF, XLSX, CSV) from plain `ReportTable` data; see counter_app.settlement.reports."""

from receipts.reports.model import HourChart, ReportTable
from receipts.reports.render import FORMATS, render, render_csv, render_pdf, render_xlsx

__all__ = ["FORMATS", "HourChart", "ReportTable", "render", "render_csv", "render_pdf", "render_xlsx"]
