"""DL/T 645-2007 frames: build requests, parse answers incrementally (docs/hardware.md §9).

Frame: (FE…) 68 A0..A5 68 C L DATA CS 16. The address is 6 bytes of BCD, least significant byte
first (the printed address "000012345678" goes on the line as 78 56 34 12 00 00). Every DATA byte
is sent with 33H added (and has 33H taken off when read). CS is the sum modulo 256 of every byte
from the first 68 up to the end of DATA. The FE bytes only wake the receiver and are not part of
the frame.

The parser never raises on line data, as the reader's (hardware/frames.py): an RS-485 bus carries
garbage (another meter's answer cut by a collision, a bit flip, a wrong baud rate). A candidate with
a wrong second 68, checksum or end byte is dropped one byte at a time, so a real frame inside it is
still found. Builders raise ValueError for arguments no caller should pass (a bug, not line data).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum

from hardware.resync import ResyncingParser

START = 0x68
END = 0x16
WAKE = b"\xfe\xfe\xfe\xfe"
OFFSET = 0x33
HEADER = 10  # 68, A0..A5, 68, C, L
MIN_FRAME = HEADER + 2  # + CS, 16
MAX_FRAME = MIN_FRAME + 255  # L is one byte
BROADCAST_ADDRESS = "999999999999"  # every meter acts, none answers (broadcast time)
WILDCARD_ADDRESS = "AAAAAAAAAAAA"  # "whoever you are" (read address: one meter on the line)

# Control byte: D7 direction (1 = from the meter), D6 abnormal answer, D5 more frames follow,
# D4..D0 the function.
REPLY = 0x80
ABNORMAL = 0x40
FOLLOWS = 0x20
FUNCTION_MASK = 0x1F


class Function(IntEnum):
    BROADCAST_TIME = 0x08
    READ_DATA = 0x11
    READ_ADDRESS = 0x13
    CONTROL = 0x1C


class ControlCommand(IntEnum):
    """N1 of a 1CH remote-control frame."""

    TRIP = 0x1A  # 跳闸
    ALLOW_CLOSE = 0x1B  # 合闸允许
    ALARM = 0x2A
    ALARM_OFF = 0x2B
    KEEP_POWER = 0x3A  # 保电
    KEEP_POWER_OFF = 0x3B


class DataId(IntEnum):
    """Data identifiers DI3 DI2 DI1 DI0 (sent DI0 first)."""

    COMBINED_ACTIVE_TOTAL = 0x00000000  # 组合有功总电能, XXXXXX.XX kWh, 4 bytes BCD
    FORWARD_ACTIVE_TOTAL = 0x00010000  # 正向有功总电能, same format
    STATUS_WORD_3 = 0x04000503  # 电表运行状态字3: bit 4 = relay open (断)


class ErrorBit(IntEnum):
    """The ERR byte of an abnormal answer (one bit per reason)."""

    OTHER = 0x01
    NO_DATA = 0x02  # no such data identifier
    UNAUTHORISED = 0x04  # wrong password / not authorised
    BAUD_FIXED = 0x08
    YEAR_ZONES = 0x10
    DAY_PERIODS = 0x20
    TARIFFS = 0x40


RELAY_OPEN_BIT = 0x0010  # in status word 3


def is_address(address: str) -> bool:
    """Twelve BCD digits, or the wildcard / broadcast forms."""
    return (
        len(address) == 12
        and address.isascii()
        and (address.isdigit() or address.upper() in (WILDCARD_ADDRESS, BROADCAST_ADDRESS))
    )


def address_bytes(address: str) -> bytes:
    if not is_address(address):
        raise ValueError(f"not a DL/T 645 address: {address!r}")
    return bytes.fromhex(address)[::-1]


def address_text(raw: bytes) -> str:
    """The printed form of a 6-byte address field (whatever its nibbles are: line data)."""
    return raw[::-1].hex().upper()


def bcd_encode(value: int, size: int) -> bytes:
    """Unsigned BCD, least significant byte first."""
    if value < 0 or value >= 10 ** (2 * size):
        raise ValueError(f"{value} does not fit {size} BCD bytes")
    return bytes.fromhex(f"{value:0{2 * size}d}")[::-1]


def bcd_decode(raw: bytes) -> int | None:
    """None when a nibble is not a decimal digit (a meter's garbage must not become a reading)."""
    text = raw[::-1].hex()
    return int(text) if text.isdigit() else (0 if not text else None)


def di_bytes(di: int) -> bytes:
    return int(di).to_bytes(4, "little")


def checksum(body: bytes) -> int:
    return sum(body) % 256


@dataclass(frozen=True)
class Frame:
    """One frame; `data` is the plain payload (33H already taken off)."""

    address: str
    control: int
    data: bytes = b""

    @property
    def function(self) -> int:
        return self.control & FUNCTION_MASK

    @property
    def is_reply(self) -> bool:
        return bool(self.control & REPLY)

    @property
    def is_abnormal(self) -> bool:
        return bool(self.control & ABNORMAL)

    def encode(self, *, wake: bool = True) -> bytes:
        return (WAKE if wake else b"") + encode_frame(self.address, self.control, self.data)


def encode_frame(address: str, control: int, data: bytes = b"") -> bytes:
    if not 0 <= control <= 255:
        raise ValueError("the control code is a byte")
    if len(data) > 255:
        raise ValueError("DL/T 645 data is at most 255 bytes")
    body = (
        bytes([START])
        + address_bytes(address)
        + bytes([START, control, len(data)])
        + bytes((b + OFFSET) % 256 for b in data)
    )
    return body + bytes([checksum(body), END])


# --- requests --------------------------------------------------------------------------------
def read_request(address: str, di: int) -> Frame:
    return Frame(address, Function.READ_DATA, di_bytes(di))


def read_address_request() -> Frame:
    return Frame(WILDCARD_ADDRESS, Function.READ_ADDRESS)


def time_bytes(moment: datetime) -> bytes:
    """ssmmhhDDMMYY, each a BCD byte, seconds first (broadcast time, 1CH deadline)."""
    fields = (moment.second, moment.minute, moment.hour, moment.day, moment.month, moment.year % 100)
    return b"".join(bcd_encode(v, 1) for v in fields)


def broadcast_time_request(moment: datetime) -> Frame:
    return Frame(BROADCAST_ADDRESS, Function.BROADCAST_TIME, time_bytes(moment))


def control_request(
    address: str, command: ControlCommand, *, password: bytes, operator: bytes, valid_until: datetime
) -> Frame:
    """1CH: PA P0 P1 P2 (password, its level first), C0..C3 (operator code), N1 (command), N2
    (reserved, 00), N3..N8 (deadline ssmmhhDDMMYY: a meter refuses the command after it)."""
    if len(password) != 4 or len(operator) != 4:
        raise ValueError("password and operator code are 4 bytes each")
    data = bytes(password) + bytes(operator) + bytes([int(command), 0]) + time_bytes(valid_until)
    return Frame(address, Function.CONTROL, data)


# --- answers ---------------------------------------------------------------------------------
def normal_reply(request: Frame, data: bytes = b"", *, address: str | None = None) -> Frame:
    return Frame(address or request.address, REPLY | request.function, data)


def abnormal_reply(request: Frame, error: int, *, address: str | None = None) -> Frame:
    return Frame(address or request.address, REPLY | ABNORMAL | request.function, bytes([error & 0xFF]))


def energy_ckwh(payload: bytes) -> int | None:
    """XXXXXX.XX kWh (4 BCD bytes) in 0.01 kWh, or None if it is not BCD."""
    return bcd_decode(payload[:4]) if len(payload) == 4 else None


class FrameParser(ResyncingParser[Frame]):
    """Feed bytes as they arrive; get complete, checked frames. Never raises.

    `rejected` counts candidates dropped for a bad second 68, checksum or end byte."""

    start_byte = START

    def _try_frame(self) -> Frame | str:
        buf = self._buf
        if len(buf) >= 8 and buf[7] != START:
            return "bad_frame"
        if len(buf) < HEADER:
            return "incomplete"
        total = MIN_FRAME + buf[9]
        if len(buf) < total:
            return "incomplete"
        if buf[total - 1] != END or checksum(bytes(buf[: total - 2])) != buf[total - 2]:
            return "bad_frame"
        frame = Frame(
            address=address_text(bytes(buf[1:7])),
            control=buf[8],
            data=bytes((b - OFFSET) % 256 for b in buf[HEADER : total - 2]),
        )
        del buf[:total]
        return frame
