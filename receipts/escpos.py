"""ESC/POS bytes for Chinese thermal printers, built from text. Sends nothing.

Our own builder rather than python-escpos (notes/libraries.md §1): its `text()` sends a line with
no Han character through a single-byte code page (so "￥12.30" prints as "?12.30"), it has no
Chinese-mode commands (FS & / FS . / FS !), and it pads columns by `len()`, which is wrong for
double-width Han. Here every character goes out GB18030-encoded inside Chinese mode, ASCII
included, and widths come from `receipts.columns`.

Real-time commands: an Epson-compatible printer answers DLE EOT / DLE ENQ / DLE DC4 wherever the
bytes 10 04, 10 05 or 10 14 appear, even inside another command's data. GB18030 never produces a
0x10 byte and control characters in text are replaced by spaces, so only command parameters could
form one; `build()` checks the finished bytes and refuses them if one slipped through.

    doc = EscPos(columns=32).initialize().align("center").line("购电凭条").cut()
    data = doc.build()
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Self

from receipts.columns import char_width, display_width, wrap

ESC, GS, FS, DLE, LF = b"\x1b", b"\x1d", b"\x1c", b"\x10", b"\n"
INIT = ESC + b"@"
CHINESE_ON = FS + b"&"
CHINESE_OFF = FS + b"."
_ALIGN = {"left": 0, "center": 1, "right": 2}
_QR_EC = {"L": 48, "M": 49, "Q": 50, "H": 51}
_REALTIME = (DLE + b"\x04", DLE + b"\x05", DLE + b"\x14")
# QR payloads are printable ASCII and kept short: a small QR, and the store command's length
# bytes (pL pH) can then never read as DLE EOT.
QR_MAX_BYTES = 500
MAX_FEED_LINES = 9
# ¥ (U+00A5) is a 4-byte GB18030 sequence a GBK printer cannot print; the full-width ￥ is GBK A3A4.
_REPLACEMENTS = {"\u00a5": "\uffe5"}


@dataclass(frozen=True)
class PrintedLine:
    """One printed line as the paper shows it, for previews and tests."""

    text: str
    wide: bool = False


@dataclass(frozen=True)
class Printout:
    """A finished print job: the bytes for the printer and the lines they print."""

    data: bytes
    lines: tuple[PrintedLine, ...]

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    def __add__(self, other: Printout) -> Printout:
        return Printout(self.data + other.data, self.lines + other.lines)


class EscPos:
    """Accumulates ESC/POS commands for one paper width (32 or 48 columns)."""

    def __init__(self, *, columns: int) -> None:
        if columns < 16:
            raise ValueError("a receipt needs at least 16 columns")
        self.paper_columns = columns
        self._buf = bytearray()
        self._lines: list[PrintedLine] = []
        self._pending = ""  # text written on the current line, not yet ended by LF
        self._wide = False

    @property
    def columns(self) -> int:
        """Columns available at the current character size."""
        return self.paper_columns // 2 if self._wide else self.paper_columns

    # --- setup -------------------------------------------------------------------------------
    def initialize(self) -> Self:
        """ESC @ (reset formatting) then FS & (Chinese mode): some printers leave Chinese mode on
        ESC @, so we always enter it again."""
        self._wide = False
        return self._raw(INIT + CHINESE_ON)

    def leave_chinese_mode(self) -> Self:
        return self._raw(CHINESE_OFF)

    # --- formatting --------------------------------------------------------------------------
    def align(self, where: Literal["left", "center", "right"]) -> Self:
        return self._raw(ESC + b"a" + bytes([_ALIGN[where]]))

    def bold(self, on: bool = True) -> Self:
        return self._raw(ESC + b"E" + bytes([1 if on else 0]))

    def size(self, *, wide: bool = False, tall: bool = False) -> Self:
        """Character size for ASCII (GS !) and for Han characters (FS !): both, or a printer would
        print "金额" double and "100.00" single on the same line."""
        ascii_bits = (0x10 if wide else 0) | (0x01 if tall else 0)
        han_bits = (0x04 if wide else 0) | (0x08 if tall else 0)
        self._wide = wide
        return self._raw(GS + b"!" + bytes([ascii_bits]) + FS + b"!" + bytes([han_bits]))

    # --- text ----------------------------------------------------------------------------------
    def text(self, text: str) -> Self:
        """Text without a line end; the caller keeps it within `columns`."""
        clean = _clean(text)
        self._pending += clean
        return self._raw(clean.encode("gb18030"))

    def line(self, text: str = "") -> Self:
        """One or more lines: text wider than the paper is wrapped, never cut by the printer."""
        for part in wrap(text, self.columns) if display_width(_clean(text)) > self.columns else [text]:
            self.text(part)
            self._end_line()
        return self

    def lines(self, texts: list[str]) -> Self:
        for text in texts:
            self.line(text)
        return self

    def feed(self, lines: int = 1) -> Self:
        """ESC d n: print and feed n lines."""
        if not 0 <= lines <= MAX_FEED_LINES:
            raise ValueError(f"feed 0..{MAX_FEED_LINES} lines")
        self._flush_pending()
        self._lines.extend(PrintedLine("") for _ in range(lines))
        return self._raw(ESC + b"d" + bytes([lines]))

    # --- QR, cut, drawer -----------------------------------------------------------------------
    def qr(self, data: str, *, module_size: int = 4, error_correction: str = "M") -> Self:
        """The printer's own QR (GS ( k, model 2): fast at 9600 baud, unlike a raster image."""
        payload = _qr_payload(data)
        if not 1 <= module_size <= 8:
            raise ValueError("QR module size 1..8 dots")
        self._flush_pending()
        self._raw(_gs_k(b"\x31\x41\x32\x00"))  # function 165: model 2
        self._raw(_gs_k(b"\x31\x43" + bytes([module_size])))  # function 167: module size
        self._raw(_gs_k(b"\x31\x45" + bytes([_QR_EC[error_correction]])))  # function 169: EC level
        self._raw(_gs_k(b"\x31\x50\x30" + payload))  # function 180: store the data
        self._raw(_gs_k(b"\x31\x51\x30"))  # function 181: print it
        self._lines.append(PrintedLine(f"[QR] {data}"))
        return self

    def cut(self, *, feed_lines: int = 4, partial: bool = True) -> Self:
        """Feed the last line past the cutter, then GS V 1 (partial) or GS V 0 (full)."""
        self.feed(feed_lines)
        return self._raw(GS + b"V" + (b"\x01" if partial else b"\x00"))

    def kick_drawer(self) -> Self:
        """ESC p 0 25 250: pulse drawer pin 2 for 50 ms on, 500 ms off."""
        return self._raw(ESC + b"p\x00\x19\xfa")

    # --- result --------------------------------------------------------------------------------
    def build(self) -> bytes:
        self._flush_pending()
        data = bytes(self._buf)
        for sequence in _REALTIME:
            if sequence in data:
                raise ValueError(f"ESC/POS stream contains the real-time command {sequence.hex(' ')}")
        return data

    def printout(self) -> Printout:
        data = self.build()
        return Printout(data, tuple(self._lines))

    def _raw(self, data: bytes) -> Self:
        self._buf += data
        return self

    def _end_line(self) -> None:
        self._lines.append(PrintedLine(self._pending, self._wide))
        self._pending = ""
        self._raw(LF)

    def _flush_pending(self) -> None:
        if self._pending:
            self._end_line()


def _clean(text: str) -> str:
    """Text safe to send: control characters become spaces (a stray byte in a holder's name must
    not become a printer command), ¥ becomes ￥. One `str.translate` in C rather than a test per
    character in Python (issue 16: a sale's receipts clean some 50,000 characters). Most text has
    nothing to change: every character `_CLEAN_TABLE` changes but ¥ is unprintable (Cc, Zl, Zp)."""
    if text.isprintable() and "\u00a5" not in text:
        return text
    return text.translate(_CLEAN_TABLE)


# What `_clean` changes, by code point: the control characters (C0, DEL, C1, the line and paragraph
# separators) to a space, ¥ to ￥.
_CLEAN_TABLE: dict[int, str] = {
    **{code: " " for code in (*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029)},
    **{ord(ch): replacement for ch, replacement in _REPLACEMENTS.items()},
}


def _qr_payload(data: str) -> bytes:
    if not data or not (data.isascii() and data.isprintable()):  # (printable ASCII: 0x20…0x7E)
        raise ValueError("QR data must be printable ASCII")
    if len(data) > QR_MAX_BYTES:
        raise ValueError(f"QR data longer than {QR_MAX_BYTES} bytes")
    return data.encode("ascii")


def _gs_k(body: bytes) -> bytes:
    """GS ( k pL pH body, where pL + 256·pH = len(body)."""
    return GS + b"(k" + len(body).to_bytes(2, "little") + body


__all__ = ["EscPos", "PrintedLine", "Printout", "char_width", "display_width"]
