"""Reader frames: encode, and an incremental parser that survives garbage.

Frame: STX | LEN (u16 BE, length of DATA) | SEQ | CMD | DATA | CRC-16/CCITT-FALSE (u16 BE over
LEN..DATA) | ETX. See docs/hardware.md §1. The CRC is the stdlib's `binascii.crc_hqx` with init
0xFFFF, which is exactly CRC-16/CCITT-FALSE (check value 0x29B1), so no CRC code of our own.

The parser never raises on line data: a serial line delivers garbage (wrong baud rate, a frame cut
by a timeout, a bit flip), and a parser that throws would turn noise into a crash.
"""

from __future__ import annotations

import binascii
from dataclasses import dataclass

from hardware.resync import ResyncingParser

STX = 0x02
ETX = 0x03
MAX_DATA = 300
_HEADER = 5  # STX, LEN(2), SEQ, CMD
_TRAILER = 3  # CRC(2), ETX
MAX_FRAME = _HEADER + MAX_DATA + _TRAILER


def crc16(data: bytes) -> int:
    """CRC-16/CCITT-FALSE."""
    return binascii.crc_hqx(data, 0xFFFF)


@dataclass(frozen=True)
class Frame:
    seq: int
    cmd: int
    data: bytes = b""

    def encode(self) -> bytes:
        return encode_frame(self.seq, self.cmd, self.data)


def encode_frame(seq: int, cmd: int, data: bytes = b"") -> bytes:
    if not (0 <= seq <= 255 and 0 <= cmd <= 255):
        raise ValueError("seq and cmd are bytes")
    if len(data) > MAX_DATA:
        raise ValueError(f"frame data longer than {MAX_DATA}")
    body = len(data).to_bytes(2, "big") + bytes([seq, cmd]) + bytes(data)
    return bytes([STX]) + body + crc16(body).to_bytes(2, "big") + bytes([ETX])


class FrameParser(ResyncingParser[Frame]):
    """Feed bytes as they arrive; get complete, checked frames.

    `rejected` counts candidates dropped for a bad length, CRC or end byte (diagnostics).
    """

    start_byte = STX

    def wanted(self) -> int:
        buf = self._buf
        if len(buf) < 3:  # not even the length yet: a whole empty frame is the least that can come
            return _HEADER + _TRAILER - len(buf)
        length = int.from_bytes(buf[1:3], "big")
        if length > MAX_DATA:
            return 1
        return max(1, _HEADER + length + _TRAILER - len(buf))

    def _try_frame(self) -> Frame | str:
        buf = self._buf
        if len(buf) < 3:
            return "incomplete"
        length = int.from_bytes(buf[1:3], "big")
        if length > MAX_DATA:
            return "bad_length"
        total = _HEADER + length + _TRAILER
        if len(buf) < total:
            return "incomplete"
        body = bytes(buf[1 : _HEADER + length])
        crc = int.from_bytes(buf[_HEADER + length : total - 1], "big")
        if buf[total - 1] != ETX or crc16(body) != crc:
            return "bad_frame"
        del buf[:total]
        return Frame(seq=body[2], cmd=body[3], data=body[4:])
