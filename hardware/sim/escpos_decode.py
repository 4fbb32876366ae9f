"""Decode the ESC/POS a receipt printer receives into text lines (what a person would read).

Covers what our receipts use (docs/hardware.md §5): ESC @, FS & / FS . (GB18030 Chinese mode),
ESC a, ESC E, GS !, FS !, ESC d, LF, GS V (cut: ends a receipt), ESC p (drawer), GS ( k (QR: a line
"[QR] <data>"), DLE EOT and GS I (answered by the printer, see printer.py). Other fixed-length commands are
skipped by their parameter count so their bytes never show up as text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

# command prefix -> number of parameter bytes
_FIXED = {
    b"\x1b@": 0,
    b"\x1ba": 1,
    b"\x1bE": 1,
    b"\x1bd": 1,
    b"\x1bt": 1,
    b"\x1b2": 0,
    b"\x1b3": 1,
    b"\x1b-": 1,
    b"\x1bJ": 1,
    b"\x1bM": 1,
    b"\x1bG": 1,
    b"\x1bp": 3,
    b"\x1b!": 1,
    b"\x1bR": 1,
    b"\x1d!": 1,
    b"\x1dB": 1,
    b"\x1dH": 1,
    b"\x1dh": 1,
    b"\x1dw": 1,
    b"\x1df": 1,
    b"\x1dL": 2,
    b"\x1dW": 2,
    b"\x1c!": 1,
    b"\x1c&": 0,
    b"\x1c.": 0,
    b"\x1c-": 1,
    b"\x1cW": 1,
    b"\x10\x04": 1,
    b"\x10\x05": 1,
    b"\x1dI": 1,
}
_PREFIXES = (0x1B, 0x1C, 0x1D, 0x10)


@dataclass(frozen=True)
class PrintedLine:
    text: str
    align: int = 0  # 0 left, 1 centre, 2 right
    bold: bool = False
    scale: int = 1
    qr: str | None = None


@dataclass
class _Style:
    chinese: bool = True  # Chinese-market printers power on in Chinese mode (SP91 manual)
    align: int = 0
    bold: bool = False
    scale: int = 1


@dataclass
class EscPosDecoder:
    """Incremental: `feed()` bytes; `on_cut(lines)` is called per receipt; `on_status(n)` per DLE EOT
    and returns the byte to answer."""

    on_cut: Callable[[list[PrintedLine]], None]
    on_status: Callable[[int], bytes]
    on_identify: Callable[[int], bytes] = field(default=lambda n: b"")
    drawer_kicks: int = 0
    ink: int = 0  # counts what put marks on the paper (text, line feeds, QR codes); commands do not
    _buf: bytearray = field(default_factory=bytearray)
    _lines: list[PrintedLine] = field(default_factory=list)
    _text: bytearray = field(default_factory=bytearray)
    _style: _Style = field(default_factory=_Style)
    _qr_data: bytes = b""

    def feed(self, data: bytes) -> bytes:
        self._buf += data
        answer = b""
        while self._buf:
            used, reply = self._step()
            if used == 0:
                break
            del self._buf[:used]
            answer += reply
        return answer

    def _step(self) -> tuple[int, bytes]:
        b = self._buf
        if b[0] == 0x0A:
            self._end_line()
            return 1, b""
        if b[0] in _PREFIXES:
            return self._command()
        if b[0] < 0x20:
            return 1, b""  # CR and other controls print nothing
        end = next((i for i, c in enumerate(b) if c < 0x20), None)
        if end is None:
            return 0, b""  # text may end mid-character: wait for the rest
        self._text += b[:end]
        self.ink += 1
        return end, b""

    def _command(self) -> tuple[int, bytes]:
        b = self._buf
        if len(b) < 2:
            return 0, b""
        key = bytes(b[:2])
        if key == b"\x1dV":
            return self._cut()
        if key == b"\x1d(":
            return self._gs_paren()
        if key not in _FIXED:
            return 2, b""
        n = _FIXED[key]
        if len(b) < 2 + n:
            return 0, b""
        return 2 + n, self._apply(key, bytes(b[2 : 2 + n]))

    def _apply(self, key: bytes, p: bytes) -> bytes:
        s = self._style
        if key == b"\x10\x04":
            return self.on_status(p[0])
        if key == b"\x1dI":
            return self.on_identify(p[0])
        if key == b"\x1b@":
            self._style = _Style(chinese=s.chinese)
        elif key == b"\x1c&":
            s.chinese = True
        elif key == b"\x1c.":
            s.chinese = False
        elif key == b"\x1ba":
            s.align = p[0] % 48 if p[0] >= 48 else p[0]
        elif key == b"\x1bE":
            s.bold = bool(p[0] & 1)
        elif key == b"\x1d!":
            s.scale = max((p[0] >> 4) + 1, (p[0] & 0x0F) + 1)
        elif key == b"\x1c!":
            s.scale = 2 if p[0] & 0x0C else s.scale
        elif key == b"\x1bd":
            for _ in range(p[0]):
                self._end_line()
        elif key == b"\x1bp":
            self.drawer_kicks += 1
        return b""

    def _cut(self) -> tuple[int, bytes]:
        b = self._buf
        if len(b) < 3:
            return 0, b""
        used = 4 if b[2] in (65, 66) else 3
        if len(b) < used:
            return 0, b""
        if self._text:
            self._end_line()
        lines, self._lines = self._lines, []
        while lines and not lines[-1].text:
            lines.pop()  # feeds before the cut are paper, not content
        self.on_cut(lines)
        return used, b""

    def _gs_paren(self) -> tuple[int, bytes]:
        b = self._buf
        if len(b) < 5:
            return 0, b""
        total = 5 + b[3] + 256 * b[4]
        if len(b) < total:
            return 0, b""
        if b[2] == ord("k") and total >= 7:
            fn = b[6]
            if fn == 80:  # store: cn fn m d1..dk
                self._qr_data = bytes(b[8:total])
            elif fn == 81:  # print the stored symbol
                self.ink += 1
                text = _decode_qr(self._qr_data)
                self._lines.append(PrintedLine(f"[QR] {text}", align=self._style.align, qr=text))
        return total, b""

    def _end_line(self) -> None:
        self.ink += 1
        s = self._style
        text = bytes(self._text).decode("gb18030" if s.chinese else "cp437", errors="replace")
        self._lines.append(PrintedLine(text, align=s.align, bold=s.bold, scale=s.scale))
        self._text.clear()


def _decode_qr(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")
