"""Read back the ESC/POS bytes `receipts.escpos` writes: commands, and the text as paper shows it.

For tests (an independent check that every byte is a command we meant and every line fits), for
receipt previews, and as a reference for a simulated printer. Only our command set is known;
anything else raises `UnknownCommand` so a stray byte cannot pass unnoticed.
"""

from __future__ import annotations

from dataclasses import dataclass

from receipts.escpos import PrintedLine

# prefix byte + command byte → number of parameter bytes that follow
_FIXED = {
    b"\x1b@": 0,
    b"\x1ba": 1,
    b"\x1bE": 1,
    b"\x1bd": 1,
    b"\x1bp": 3,
    b"\x1d!": 1,
    b"\x1dV": 1,
    b"\x1c&": 0,
    b"\x1c.": 0,
    b"\x1c!": 1,
}
_NAMES = {
    b"\x1b@": "ESC @",
    b"\x1ba": "ESC a",
    b"\x1bE": "ESC E",
    b"\x1bd": "ESC d",
    b"\x1bp": "ESC p",
    b"\x1d!": "GS !",
    b"\x1dV": "GS V",
    b"\x1c&": "FS &",
    b"\x1c.": "FS .",
    b"\x1c!": "FS !",
    b"\x1d(k": "GS ( k",
    b"\n": "LF",
}


class UnknownCommand(ValueError):
    pass


@dataclass(frozen=True)
class Command:
    name: str  # "ESC a", "GS ( k", "LF", or "TEXT"
    args: bytes = b""
    text: str = ""


def parse_escpos(data: bytes) -> list[Command]:
    """Split a byte stream into commands and GB18030 text runs."""
    commands: list[Command] = []
    pos = 0
    while pos < len(data):
        command, pos = _next(data, pos)
        commands.append(command)
    return commands


def rendered_lines(data: bytes) -> list[PrintedLine]:
    """The printed lines, tracking double width from GS ! (feeds print blank lines)."""
    lines: list[PrintedLine] = []
    current, wide = "", False
    for command in parse_escpos(data):
        if command.name == "TEXT":
            current += command.text
        elif command.name == "GS !":
            wide = bool(command.args[0] & 0x10)
        elif command.name == "LF":
            lines.append(PrintedLine(current, wide))
            current = ""
        elif command.name == "ESC d":
            lines.extend(PrintedLine("") for _ in range(command.args[0]))
        elif command.name == "GS ( k" and command.args[2:4] == b"\x31\x50":
            lines.append(PrintedLine(f"[QR] {command.args[5:].decode('ascii')}"))
    return lines


def printed_text(data: bytes) -> str:
    return "\n".join(line.text for line in rendered_lines(data))


def _next(data: bytes, pos: int) -> tuple[Command, int]:
    byte = data[pos]
    if byte == 0x0A:
        return Command("LF"), pos + 1
    if byte >= 0x20:
        end = pos
        while end < len(data) and data[end] >= 0x20:
            end += 1
        # GB18030 multi-byte sequences never contain a byte below 0x30, so a text run ends at
        # the next control byte.
        return Command("TEXT", text=data[pos:end].decode("gb18030", errors="strict")), end
    if data[pos : pos + 3] == b"\x1d(k":
        length = int.from_bytes(data[pos + 3 : pos + 5], "little")
        end = pos + 5 + length
        if end > len(data):
            raise UnknownCommand(f"truncated GS ( k at {pos}")
        return Command("GS ( k", data[pos + 3 : end]), end
    key = data[pos : pos + 2]
    if key not in _FIXED:
        raise UnknownCommand(f"unknown bytes {data[pos : pos + 4].hex(' ')} at {pos}")
    end = pos + 2 + _FIXED[key]
    if end > len(data):
        raise UnknownCommand(f"truncated {_NAMES[key]} at {pos}")
    return Command(_NAMES[key], data[pos + 2 : end]), end
