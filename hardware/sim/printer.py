"""The simulated receipt printer: answers DLE EOT from its state, decodes what it prints.

While paper is out, the cover open or the printer offline it prints nothing: the receipt being
received is lost, as on a real printer, and must be sent again whole.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from hardware.sim.escpos_decode import EscPosDecoder, PrintedLine

SIM_PRINTER_MODEL = "SIM-POS58 receipt printer simulator"


@dataclass
class PrinterState:
    paper_out: bool = False
    near_end: bool = False
    cover_open: bool = False
    offline: bool = False

    @property
    def faulty(self) -> bool:
        return self.paper_out or self.cover_open or self.offline


class SimPrinter:
    def __init__(self, lock: threading.RLock) -> None:
        self.lock = lock
        self.state = PrinterState()
        self.receipts: list[list[PrintedLine]] = []
        self.lost_receipts = 0
        self._spoiled = False
        self._decoder = EscPosDecoder(
            on_cut=self._cut, on_status=self._status_byte, on_identify=self._identify
        )

    def receive(self, data: bytes) -> bytes:
        """Bytes from the line; the printer's answers. Text or feeds received while faulty spoil the
        receipt under way; commands do not (a status query or GS I asked while the paper is out
        prints nothing, and their parameter bytes are no text)."""
        with self.lock:
            if self.state.faulty and _marks_paper(data):
                self._spoiled = True
            return self._decoder.feed(data)

    @property
    def drawer_kicks(self) -> int:
        return self._decoder.drawer_kicks

    def printed(self) -> list[str]:
        with self.lock:
            return ["\n".join(line.text for line in receipt) for receipt in self.receipts]

    def _cut(self, lines: list[PrintedLine]) -> None:
        if self._spoiled or self.state.faulty:
            self.lost_receipts += 1
        else:
            self.receipts.append(lines)
        self._spoiled = False

    def _status_byte(self, n: int) -> bytes:
        s = self.state
        value = 0x12
        if n == 1 and s.faulty:
            value |= 0x08
        elif n == 2:
            value |= (0x04 if s.cover_open else 0) | (0x20 if s.paper_out else 0)
        elif n == 4:
            value |= (0x60 if s.paper_out else 0) | (0x0C if s.near_end or s.paper_out else 0)
        return bytes([value])

    @staticmethod
    def _identify(n: int) -> bytes:
        # GS I 65/66/67 (firmware, maker, model): "_" + text + NUL, as Epson-style printers answer.
        text = {65: "1.0", 66: "SIM", 67: SIM_PRINTER_MODEL}.get(n)
        return b"_" + text.encode("ascii") + b"\0" if text else b""

    def render_png(self, path: Path, index: int = -1) -> Path:
        """A picture of a printed receipt (the last by default), with Pillow and WenQuanYi if
        present; QR codes drawn with `qrcode`."""
        from hardware.sim.receipt_png import render

        with self.lock:
            lines = list(self.receipts[index])
        return render(lines, Path(path))


# The queries the driver asks while a fault may be on: DLE EOT n (status) and GS I n (identify).
_QUERIES = (b"\x10\x04", b"\x1dI")


def _marks_paper(data: bytes) -> bool:
    """Whether `data` would put text or a feed on the paper. A query's parameter byte (GS I 'C')
    is no text. Counted on the bytes as they arrive, not on what the decoder has finished: a receipt
    cut mid-line by the fault is spoiled although its line never ended (the device-fault run)."""
    if len(data) == 3 and data[:2] in _QUERIES:
        return False
    return any(b >= 0x20 or b == 0x0A for b in data)

