"""A PDF's pages as PNG images, for previews on screen (the settlement sheet viewer) and the
low-balance notice as a picture (counter_app/ops/notice_reports.py).

PDFium through `pypdfium2` (Chrome's PDF renderer, a wheel with its own binary on Windows and
Linux) rather than poppler's `pdftoppm`: the counters' Windows PCs have no poppler, and a tool
found on PATH would make the preview depend on what else is installed. Pillow (a dependency of
reportlab) encodes the PNG.
"""

from __future__ import annotations

import io

# 72 PDF points per inch: PDFium's scale 1.0 is 72 dpi.
POINTS_PER_INCH = 72


def page_pngs(pdf: bytes, dpi: int = 60, *, first_only: bool = False) -> list[bytes]:
    """Every page (or only the first) as PNG, in order. ValueError for bytes that are not a PDF."""
    import pypdfium2 as pdfium  # type: ignore[import-untyped]  # deferred: only a preview needs it

    try:
        document = pdfium.PdfDocument(pdf)
    except pdfium.PdfiumError as exc:
        raise ValueError(f"not a readable PDF: {exc}") from exc
    try:
        count = min(len(document), 1) if first_only else len(document)
        return [_png(document[i], dpi) for i in range(count)]
    finally:
        document.close()


def _png(page: object, dpi: int) -> bytes:
    bitmap = page.render(scale=dpi / POINTS_PER_INCH)  # type: ignore[attr-defined]
    out = io.BytesIO()
    bitmap.to_pil().save(out, format="PNG")
    return out.getvalue()
