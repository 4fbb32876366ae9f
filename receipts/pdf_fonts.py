"""Which CJK font our PDFs use, found once per process and registered with reportlab.

Order (notes/libraries.md §2):
1. the path an administrator configured (a setting);
2. Windows: Microsoft YaHei, then SimSun (their licences forbid shipping them, so we load them
   from the PC's own font folder);
3. WenQuanYi Micro Hei bundled with the frozen app (`sys._MEIPASS/fonts/`) or placed in
   `receipts/fonts/` (never committed: 5 MB; the build script copies it);
4. the Debian package's file (fonts-wqy-microhei), for development and CI;
5. last resort the CID font STSong-Light: no file needed, but NOT embedded, so how it looks
   depends on the reader's viewer. We fall back and say so: `ResolvedFont.warning` is set for the
   caller to show, and a warning is logged.

Noto/Source Han CJK are not candidates: their CFF outlines make reportlab's TTFont refuse them.

Bold: WenQuanYi Micro Hei and SimSun have no bold face. Rather than fake bold (stroked outlines
look smeared in print), bold text uses the regular face and headings stand out by size; YaHei's
real bold face (msyhbd.ttc) is used when present.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

log = logging.getLogger(__name__)

# ReportLab's font machinery (pdfbase, rl_config, PIL) is imported when a font is registered, i.e.
# when the first PDF is made, not when the program starts (issue 16; tests/ui/test_ui_startup.py).

REGULAR_NAME = "CounterCJK"
BOLD_NAME = "CounterCJKBold"
CID_FALLBACK = "STSong-Light"
DEBIAN_WQY = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
WQY_FILE = "wqy-microhei.ttc"


@dataclass(frozen=True)
class FontCandidate:
    path: Path
    source: str  # "setting", "windows", "bundled", "system"
    bold_path: Path | None = None


@dataclass(frozen=True)
class ResolvedFont:
    """The font family to use: `name` (regular) and `bold_name` are registered with reportlab."""

    name: str
    bold_name: str
    source: str  # a FontCandidate.source, or "cid-fallback"
    path: Path | None
    embedded: bool
    warning: str | None = None  # Chinese / English text for the caller to show, when degraded


_cache: dict[tuple[FontCandidate, ...], ResolvedFont] = {}


def resolve_cjk_font(
    configured_path: str | os.PathLike[str] | None = None,
    *,
    candidates: Iterable[FontCandidate] | None = None,
) -> ResolvedFont:
    """The first loadable candidate, registered with reportlab. `candidates` replaces the
    built-in search (tests); `configured_path` is tried first either way."""
    search = tuple(_configured(configured_path)) + tuple(
        default_candidates() if candidates is None else candidates
    )
    if search not in _cache:
        _cache[search] = _resolve(search, configured_path)
    return _cache[search]


def default_candidates() -> list[FontCandidate]:
    return [
        c
        for c in (*_windows_candidates(), *_bundled_candidates(), FontCandidate(DEBIAN_WQY, "system"))
        if c.path.is_file()
    ]


def _configured(configured_path: str | os.PathLike[str] | None) -> list[FontCandidate]:
    return [FontCandidate(Path(configured_path), "setting")] if configured_path else []


def _windows_candidates() -> list[FontCandidate]:
    fonts = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
    return [
        FontCandidate(fonts / "msyh.ttc", "windows", bold_path=fonts / "msyhbd.ttc"),
        FontCandidate(fonts / "simsun.ttc", "windows"),
    ]


def _bundled_candidates() -> list[FontCandidate]:
    places = [Path(__file__).resolve().parent / "fonts" / WQY_FILE]
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        places.insert(0, Path(frozen_root) / "fonts" / WQY_FILE)
    return [FontCandidate(place, "bundled") for place in places]


def _resolve(search: tuple[FontCandidate, ...], configured_path: object) -> ResolvedFont:
    failures: list[str] = []
    for candidate in search:
        resolved = _try_register(candidate, failures)
        if resolved is not None:
            if configured_path and candidate.source != "setting":
                return _with_warning(
                    resolved,
                    f"配置的字体无法使用，已改用 {resolved.path}",
                    f"configured font unusable, using {resolved.path}",
                )
            return resolved
    log.warning(
        "no embeddable CJK font found (%s); PDFs use %s, not embedded", "; ".join(failures), CID_FALLBACK
    )
    return _cid_fallback()


def _try_register(candidate: FontCandidate, failures: list[str]) -> ResolvedFont | None:
    # The name goes into the PDF: derive it from the file, never from anything random, so the
    # same report is byte-identical when regenerated.
    stem = "".join(ch for ch in candidate.path.stem if ch.isascii() and (ch.isalnum() or ch == "-"))
    name, bold_name = f"{REGULAR_NAME}-{stem}", f"{BOLD_NAME}-{stem}"
    from reportlab.pdfbase import pdfmetrics  # deferred: see the note at the top
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    try:
        pdfmetrics.registerFont(TTFont(name, str(candidate.path), subfontIndex=0))
        bold_ok = _register_bold(candidate, bold_name)
    except (TTFError, OSError) as exc:
        failures.append(f"{candidate.path}: {exc}")
        log.info("font %s not usable: %s", candidate.path, exc)
        return None
    bold_name = bold_name if bold_ok else name
    _register_family(name, bold_name)
    return ResolvedFont(name, bold_name, candidate.source, candidate.path, embedded=True)


def _register_bold(candidate: FontCandidate, bold_name: str) -> bool:
    if candidate.bold_path is None or not candidate.bold_path.is_file():
        return False
    from reportlab.pdfbase import pdfmetrics  # deferred: see the note at the top
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    try:
        pdfmetrics.registerFont(TTFont(bold_name, str(candidate.bold_path), subfontIndex=0))
    except (TTFError, OSError) as exc:
        log.info("bold face %s not usable: %s", candidate.bold_path, exc)
        return False
    return True


def _register_family(name: str, bold_name: str) -> None:
    """So <b> in a Paragraph maps to our bold (or regular) face instead of failing."""
    from reportlab.lib.fonts import addMapping  # deferred: see the note at the top

    faces: tuple[tuple[Literal[0, 1], Literal[0, 1], str], ...] = (
        (0, 0, name),
        (1, 0, bold_name),
        (0, 1, name),
        (1, 1, bold_name),
    )
    for bold, italic, face in faces:
        addMapping(name, bold, italic, face)


def _cid_fallback() -> ResolvedFont:
    from reportlab.pdfbase import pdfmetrics  # deferred: see the note at the top
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont(CID_FALLBACK))
    _register_family(CID_FALLBACK, CID_FALLBACK)
    return ResolvedFont(
        CID_FALLBACK,
        CID_FALLBACK,
        "cid-fallback",
        None,
        embedded=False,
        warning="未找到可嵌入的中文字体，PDF 使用 STSong-Light（未嵌入，显示效果取决于阅读器）"
        " / No embeddable Chinese font found: the PDF uses STSong-Light, not embedded",
    )


def _with_warning(font: ResolvedFont, zh: str, en: str) -> ResolvedFont:
    log.warning("%s", en)
    return ResolvedFont(font.name, font.bold_name, font.source, font.path, font.embedded, f"{zh} / {en}")
