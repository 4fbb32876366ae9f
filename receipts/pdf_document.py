"""A4 documents in Chinese: title, header lines, tables that wrap CJK text, signature lines.

The settlement sheet and the reports are built on this. Output is deterministic: the same input
gives the same bytes (reportlab `invariant=1` fixes the document id; font names come from the font
file), so a regenerated report can be compared with the archived one. The creation date is the
document's own business time when one is given (`created`, e.g. a sheet's close), never the wall
clock; without one it stays reportlab's invariant placeholder.

    pdf = PdfReport(title="财务交账单", form_no="HNKJ/C4/1012")
    pdf.lines(["柜台：W01", "班次：2026-11-23 17:00–22:00"])
    pdf.table([Column("项目"), Column("笔数", "int"), Column("金额（元）", "yuan")], rows, total=[...])
    pdf.signatures(["营业员", "部门助理", "主管", "财务"])
    data = pdf.build("sheet.pdf")           # also returns the bytes
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Self
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm

from receipts.columns import display_width
from receipts.pdf_fonts import ResolvedFont, resolve_cjk_font
from receipts.pdf_styles import cjk_styles
from receipts.tables import NUMERIC_KINDS, Cell, Column, format_cell

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import BaseDocTemplate, Flowable, Paragraph, TableStyle

# The heavy parts of ReportLab (platypus, pdfgen, pdfbase; PIL under them) are imported when a PDF
# is made, not when the program starts (issue 16; tests/ui/test_ui_startup.py). Units, page sizes
# and alignments are plain constants from light modules.

_MARGIN = 15 * mm
_MIN_CHARS, _MAX_CHARS = 4, 40  # auto column width bounds, in display columns


class PdfReport:
    """Collects flowables in order, then renders them onto A4 pages numbered "第 n 页"."""

    def __init__(
        self,
        *,
        title: str,
        font: ResolvedFont | None = None,
        form_no: str | None = None,
        wide: bool = False,
        base_size: float = 10,
        created: datetime | None = None,
    ) -> None:
        self.title = title
        self.created = created
        self.font = font or resolve_cjk_font()
        self.form_no = form_no
        self.pagesize = landscape(A4) if wide else A4
        self.styles = cjk_styles(self.font, base_size=base_size)
        from reportlab.platypus import Paragraph  # deferred: see the note at the top

        self._story: list[Flowable] = [Paragraph(escape(title), self.styles.title)]

    @property
    def frame_width(self) -> float:
        return self.pagesize[0] - 2 * _MARGIN

    def lines(self, lines: Sequence[str]) -> Self:
        from reportlab.platypus import Paragraph  # deferred: see the note at the top

        self._story.extend(Paragraph(escape(line), self.styles.body) for line in lines)
        return self

    def heading(self, text: str) -> Self:
        from reportlab.platypus import Paragraph  # deferred: see the note at the top

        self._story.append(Paragraph(escape(text), self.styles.heading))
        return self

    def paragraph(self, text: str) -> Self:
        from reportlab.platypus import Paragraph  # deferred: see the note at the top

        self._story.append(Paragraph(escape(text), self.styles.body))
        return self

    def note(self, text: str) -> Self:
        """A line in the small style (e.g. the system's record of who signed, under a signature line)."""
        from reportlab.platypus import Paragraph  # deferred: see the note at the top

        self._story.append(Paragraph(escape(text), self.styles.small))
        return self

    def spacer(self, height_mm: float = 4) -> Self:
        from reportlab.platypus import Spacer  # deferred: see the note at the top

        self._story.append(Spacer(1, height_mm * mm))
        return self

    def table(
        self,
        columns: Sequence[Column],
        rows: Sequence[Sequence[Cell]],
        *,
        total: Sequence[Cell] | None = None,
    ) -> Self:
        """A table with a header row repeated on every page; cells are Paragraphs so long Chinese
        text wraps inside its column. `total` is a last row set in the header style."""
        from reportlab.platypus import Paragraph, Spacer, Table  # deferred: see the note at the top

        body = [list(row) for row in rows] + ([list(total)] if total is not None else [])
        data = [[Paragraph(escape(c.title), self.styles.cell_header) for c in columns]]
        data += [[self._cell(c, value) for c, value in zip(columns, row, strict=True)] for row in body]
        table = Table(data, colWidths=self._widths(columns, body), repeatRows=1)
        table.setStyle(_table_style(has_total=total is not None))
        self._story += [table, Spacer(1, 3 * mm)]
        return self

    def signatures(self, labels: Sequence[str]) -> Self:
        """A signature and date line per person in the sign-off chain."""
        from reportlab.platypus import Paragraph, Spacer  # deferred: see the note at the top

        self.spacer(6)
        for label in labels:
            text = f"{label}（签字）：{'_' * 16}　　日期：{'_' * 12}"
            self._story += [Paragraph(escape(text), self.styles.body), Spacer(1, 5 * mm)]
        return self

    def build(self, target: str | Path | BinaryIO | None = None) -> bytes:
        from reportlab.platypus import SimpleDocTemplate  # deferred: see the note at the top

        buffer = io.BytesIO()
        doc = SimpleDocTemplate(
            buffer,
            pagesize=self.pagesize,
            leftMargin=_MARGIN,
            rightMargin=_MARGIN,
            topMargin=_MARGIN + 4 * mm,
            bottomMargin=_MARGIN,
            title=self.title,
            author="counter",
            creator="counter",
            invariant=1,
        )
        doc.build(list(self._story), onFirstPage=self._decorate, onLaterPages=self._decorate)
        data = buffer.getvalue()
        _write(target, data)
        return data

    def _cell(self, column: Column, value: Cell) -> Paragraph:
        from reportlab.platypus import Paragraph  # deferred: see the note at the top

        style = self.styles.cell_right if column.kind in NUMERIC_KINDS else self.styles.cell
        return Paragraph(escape(format_cell(column, value)), style)

    def _widths(self, columns: Sequence[Column], body: list[list[Cell]]) -> list[float]:
        """Given widths in mm; the rest share what is left in proportion to their content."""
        fixed = sum(c.width * mm for c in columns if c.width)
        chars = [_content_chars(c, [row[i] for row in body]) for i, c in enumerate(columns)]
        free = sum(n for c, n in zip(columns, chars, strict=True) if not c.width) or 1
        room = max(self.frame_width - fixed, 0)
        return [c.width * mm if c.width else room * n / free for c, n in zip(columns, chars, strict=True)]

    def _decorate(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        if self.created is not None:
            stamp = pdf_date(self.created)
            canvas.setDateFormatter(lambda *_ymdhms: stamp)
        canvas.saveState()
        canvas.setFont(self.font.name, 8)
        width, height = self.pagesize
        canvas.drawCentredString(width / 2, _MARGIN / 2, f"第 {doc.page} 页")
        if self.form_no:
            canvas.drawRightString(width - _MARGIN, height - _MARGIN, f"表号：{self.form_no}")
        canvas.restoreState()


def pdf_date(moment: datetime) -> str:
    """A PDF date string (D:YYYYMMDDHHmmSS+08'00') of an aware datetime, in its own offset."""
    offset = moment.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    return f"D:{moment:%Y%m%d%H%M%S}{sign}{hours:02d}'{mins:02d}'"


def _content_chars(column: Column, values: list[Cell]) -> int:
    widest = max([display_width(column.title)] + [display_width(format_cell(column, v)) for v in values])
    return min(max(widest, _MIN_CHARS), _MAX_CHARS)


def _table_style(*, has_total: bool) -> TableStyle:
    from reportlab.lib import colors  # deferred: see the note at the top
    from reportlab.platypus import TableStyle

    commands: list[tuple[str, tuple[int, int], tuple[int, int], *tuple[object, ...]]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8E8E8")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    if has_total:
        commands.append(("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#F4F4F4")))
    return TableStyle(commands)


def _write(target: str | Path | BinaryIO | None, data: bytes) -> None:
    if target is None:
        return
    if isinstance(target, str | Path):
        Path(target).write_bytes(data)
    else:
        target.write(data)
