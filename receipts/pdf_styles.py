"""Paragraph styles for Chinese PDFs: every style wraps CJK text (`wordWrap='CJK'`), so a long
Chinese line breaks between characters and no line starts with a closing punctuation mark.

    font = resolve_cjk_font(setting_path)
    styles = cjk_styles(font)
    Paragraph("收费标准公示", styles.title)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT

from receipts.pdf_fonts import ResolvedFont

if TYPE_CHECKING:
    from reportlab.lib.styles import ParagraphStyle

Alignment = Literal[0, 1, 2, 4]  # reportlab's TA_LEFT, TA_CENTER, TA_RIGHT, TA_JUSTIFY


@dataclass(frozen=True)
class CjkStyles:
    title: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_right: ParagraphStyle
    cell_center: ParagraphStyle
    cell_header: ParagraphStyle


def cjk_style(
    name: str,
    font: ResolvedFont,
    *,
    size: float = 10,
    bold: bool = False,
    align: Alignment = TA_LEFT,
    space_after: float = 0,
) -> ParagraphStyle:
    """One style in our font. `bold` picks the bold face, which is the regular face for fonts that
    have none (see receipts.pdf_fonts): emphasis then comes from size, not weight."""
    # reportlab.lib.styles loads rl_config (and PIL): imported when a PDF is made (issue 16).
    from reportlab.lib.styles import ParagraphStyle

    return ParagraphStyle(
        name,
        fontName=font.bold_name if bold else font.name,
        fontSize=size,
        leading=size * 1.35,
        alignment=align,
        wordWrap="CJK",
        spaceAfter=space_after,
    )


def cjk_styles(font: ResolvedFont, *, base_size: float = 10) -> CjkStyles:
    return CjkStyles(
        title=cjk_style("Title", font, size=base_size * 1.8, bold=True, align=TA_CENTER, space_after=6),
        heading=cjk_style("Heading", font, size=base_size * 1.3, bold=True, space_after=4),
        body=cjk_style("Body", font, size=base_size, space_after=2),
        small=cjk_style("Small", font, size=base_size * 0.8),
        cell=cjk_style("Cell", font, size=base_size * 0.9),
        cell_right=cjk_style("CellRight", font, size=base_size * 0.9, align=TA_RIGHT),
        cell_center=cjk_style("CellCenter", font, size=base_size * 0.9, align=TA_CENTER),
        cell_header=cjk_style("CellHeader", font, size=base_size * 0.9, bold=True, align=TA_CENTER),
    )
