"""receipts/pdf_pages.py: a PDF's pages as PNG through PDFium, checked against poppler's own count."""

from __future__ import annotations

import io
import subprocess

import pytest
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from receipts.pdf_pages import page_pngs


def _pdf(pages: int) -> bytes:
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    for n in range(pages):
        c.drawString(72, 720, f"page {n + 1}")
        c.rect(72, 72 + 40 * n, 100, 30, fill=1)  # each page differs
        c.showPage()
    c.save()
    return out.getvalue()


def test_every_page_in_order_at_the_asked_resolution():
    pdf = _pdf(3)
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert [line.split()[1] for line in info.splitlines() if line.startswith("Pages:")] == ["3"]
    pngs = page_pngs(pdf, dpi=72)
    assert len(pngs) == 3 and len(set(pngs)) == 3
    width, height = Image.open(io.BytesIO(pngs[0])).size
    # 72 dpi: one pixel per point (PDFium rounds a part pixel up)
    assert abs(width - A4[0]) < 1 and abs(height - A4[1]) < 1
    wide, tall = Image.open(io.BytesIO(page_pngs(pdf, dpi=144)[0])).size
    assert abs(wide - 2 * A4[0]) < 1 and abs(tall - 2 * A4[1]) < 1


def test_first_only_and_not_a_pdf():
    assert len(page_pngs(_pdf(4), first_only=True)) == 1
    with pytest.raises(ValueError):
        page_pngs(b"not a pdf at all")


def test_every_report_renders_its_first_page_as_png():
    from receipts.reports.model import ReportTable
    from receipts.reports.render import FORMATS, render
    from receipts.tables import Column

    table = ReportTable("low-balance", "低电通报", (Column("房间"),), (("5-308",),), None, ("中心",))
    assert "png" in FORMATS
    png = render(table, "png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and Image.open(io.BytesIO(png)).size[0] > 800
