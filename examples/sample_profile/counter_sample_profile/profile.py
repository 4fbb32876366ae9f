"""`SampleProfile` ("sample-bcd-v1"): an example maker's card layout on an SLE4442 card.

Everything a maker's format usually has and ours does not: ASCII and packed-BCD fields, a PSC
derived from the card number alone, no MAC (a CRC-16 as four ASCII hex digits guards each area
against a torn write, not against forgery). Offsets (main memory, 256 bytes; 0x00-0x1F is the
chip's manufacturer area, the serial at 0x04-0x0B):

    0x30  header, 16 bytes   "SP" | version "1" | PSC state ("F" factory, "C" changing,
                             "D" derived; FF = factory) | card number, 12 ASCII, space-padded
    0x58  slot 0, 64 bytes   } the newer valid slot (by sequence number) is the card's record;
    0x98  slot 1, 64 bytes   } a write goes to the other one
    0xD8  write-back, 40 bytes, written by the meter

Slot: type (ASCII "1" purchase, "2" clear, "3" check, "4" parameter) | slot sequence BCD 4 |
counter BCD 3 | value a BCD 4 | value b BCD 4 | value c BCD 4 | time BCD 6 (YYMMDDhhmmss, UTC) |
meter number ASCII 12 | intent tag as 16 ASCII hex | "000000" | CRC-16 of the 60 bytes before it
as 4 ASCII hex. Purchase: counter = purchase counter, a/b/c = energy, free energy (0.01 kWh),
amount (fen). Clear: counter = clear sequence. Parameter: counter = parameter sequence, a = alarm
threshold, b/c = starting counter / balance, FF bytes when not set.

Write-back: event ASCII digit | error ASCII digit (indexes into hardware.records' tables) | alarm
bits as 2 ASCII hex | remaining BCD 4 | consumed BCD 4 | last loaded counter BCD 3 | time BCD 6 |
meter number ASCII 12 | "000" | CRC-16 of the 36 bytes before it as 4 ASCII hex.
"""

from __future__ import annotations

import binascii
from datetime import UTC, datetime

from hardware.profile import MeterProfile, Write
from hardware.records import (
    ALARMS,
    WRITE_BACK_ERRORS,
    WRITE_BACK_EVENTS,
    CardKind,
    CardReading,
    CardRecord,
    CheckRecord,
    ClearRecord,
    ParameterRecord,
    PurchaseRecord,
    TaggedFields,
    WriteBack,
)

_MAGIC = b"SP1"
_HEADER_AT = 0x30
_PSC_STATE_AT = 0x33
_SLOTS_AT = (0x58, 0x98)
_SLOT_SIZE = 64
_WB_AT = 0xD8
_WB_SIZE = 40
_PSC_STATES = {ord("F"): "factory", 0xFF: "factory", ord("C"): "changing", ord("D"): "derived"}
_PSC_STATE_BYTES = {"factory": b"F", "changing": b"C", "derived": b"D"}
_KINDS = {
    ord("1"): CardKind.USER,
    ord("2"): CardKind.CLEAR,
    ord("3"): CardKind.CHECK,
    ord("4"): CardKind.PARAMETER,
}
_KIND_BYTES: dict[type, bytes] = {
    PurchaseRecord: b"1",
    ClearRecord: b"2",
    CheckRecord: b"3",
    ParameterRecord: b"4",
}
_NOT_SET = b"\xff" * 4


class SampleProfile(MeterProfile):
    name = "sample-bcd-v1"

    # --- reading ---------------------------------------------------------------------------
    def parse(self, raw_image: bytes, *, mac_key: bytes) -> CardReading:
        # mac_key is not used: this format has no MAC (a maker's card is as safe as its CRC).
        if len(raw_image) != self.card_size:
            raise ValueError("a card image is 256 bytes")
        header = raw_image[_HEADER_AT : _HEADER_AT + 16]
        ours = header[:3] == _MAGIC
        card_no = _ascii(header[4:16]) if ours else ""
        slots = [_read_slot(raw_image[at : at + _SLOT_SIZE]) for at in _SLOTS_AT]
        valid = [(i, s) for i, s in enumerate(slots) if s is not None] if ours else []
        newest = max(valid, key=lambda v: v[1][0]) if valid else None
        wb, torn = _read_write_back(raw_image[_WB_AT : _WB_AT + _WB_SIZE])
        return CardReading(
            card_serial=raw_image[4:12].hex().upper(),
            kind=_KINDS[raw_image[_SLOTS_AT[newest[0]]]] if newest else CardKind.BLANK,
            account_no=card_no or None,
            psc_mode=_PSC_STATES.get(header[3], "changing") if ours else "factory",
            record=newest[1][1] if newest else None,
            write_back=wb,
            write_back_torn=torn,
            active_slot=newest[0] if newest else None,
            next_slot_seq=(newest[1][0] if newest else _highest_seq(raw_image)) + 1,
        )

    def blank_state(self, raw_image: bytes) -> str | None:
        if any(raw_image[a : a + _SLOT_SIZE] != b"\xff" * _SLOT_SIZE for a in _SLOTS_AT):
            return None
        return "unfinished" if raw_image[_HEADER_AT : _HEADER_AT + 3] == _MAGIC else "fresh"

    def peek_meter_no(self, raw_image: bytes) -> str | None:
        written = [raw_image[a : a + _SLOT_SIZE] for a in _SLOTS_AT]
        written = [s for s in written if s != b"\xff" * _SLOT_SIZE]
        if not written:
            return None
        newest = max(written, key=lambda s: _bcd_or(s[1:5], -1))
        return _ascii(newest[26:38]) or None

    def psc(self, *, master_key: bytes, card_serial: str, card_no: str) -> bytes:
        """The last six digits of the card number as packed BCD (a tool card, with no card number:
        of the chip serial's digits). BCD is never FF FF FF, the factory PSC."""
        digits = "".join(c for c in card_no if c.isdigit()) or "".join(c for c in card_serial if c.isdigit())
        return _bcd(int(digits[-6:] or "0"), 3)

    # --- writing ---------------------------------------------------------------------------
    def header_write(self, *, account_no: str, psc_mode: str) -> Write:
        return _HEADER_AT, _MAGIC + _PSC_STATE_BYTES[psc_mode] + _ascii_field(account_no, 12)

    def psc_mode_write(self, psc_mode: str) -> Write:
        return _PSC_STATE_AT, _PSC_STATE_BYTES[psc_mode]

    def record_write(self, reading: CardReading, record: CardRecord, *, mac_key: bytes) -> Write:
        target = 1 - reading.active_slot if reading.active_slot is not None else 0
        counter, a, b, c = _numbers(record)
        body = (
            _KIND_BYTES[type(record)]
            + _bcd(reading.next_slot_seq, 4)
            + _bcd(counter, 3)
            + _bcd(a, 4)
            + _bcd_opt(b)
            + _bcd_opt(c)
            + _bcd_time(record.at)
            + _ascii_field(record.meter_no, 12)
            + bytes(record.tag).ljust(8, b"\0")[:8].hex().upper().encode()
            + b"000000"
        )
        return _SLOTS_AT[target], body + _crc_text(body)

    def write_back_write(self, write_back: WriteBack) -> Write:
        alarms = sum(1 << ALARMS.index(a) for a in write_back.alarms)
        body = (
            str(WRITE_BACK_EVENTS.index(write_back.event)).encode()
            + str(WRITE_BACK_ERRORS.index(write_back.error)).encode()
            + f"{alarms:02X}".encode()
            + _bcd(write_back.remaining_ckwh, 4)
            + _bcd(write_back.consumed_ckwh, 4)
            + _bcd(write_back.last_loaded_counter, 3)
            + _bcd_time(write_back.at)
            + _ascii_field(write_back.meter_no, 12)
            + b"000"
        )
        return _WB_AT, body + _crc_text(body)


# --- fields -------------------------------------------------------------------------------------


def _bcd(value: int | None, size: int) -> bytes:
    if value is None or value < 0 or value >= 10 ** (2 * size):
        raise ValueError(f"{value} does not fit {2 * size} BCD digits")
    return bytes.fromhex(f"{value:0{2 * size}d}")


def _bcd_opt(value: int | None) -> bytes:
    return _NOT_SET if value is None else _bcd(value, 4)


def _unbcd(raw: bytes) -> int:
    text = raw.hex()
    if not text.isdigit():
        raise ValueError(f"not BCD: {text}")
    return int(text)


def _bcd_or(raw: bytes, default: int) -> int:
    try:
        return _unbcd(raw)
    except ValueError:
        return default


def _bcd_time(at: datetime) -> bytes:
    utc = at.astimezone(UTC)
    if not 2000 <= utc.year <= 2099:
        raise ValueError(f"year {utc.year} does not fit two BCD digits")
    return bytes.fromhex(utc.strftime("%y%m%d%H%M%S"))


def _time(raw: bytes) -> datetime:
    return datetime.strptime(raw.hex(), "%y%m%d%H%M%S").replace(tzinfo=UTC)


def _ascii_field(text: str, size: int) -> bytes:
    raw = text.encode("ascii")
    if len(raw) > size:
        raise ValueError(f"longer than {size} characters: {text!r}")
    return raw.ljust(size, b" ")


def _ascii(raw: bytes) -> str:
    return raw.decode("ascii", errors="replace").rstrip(" ")


def _crc_text(body: bytes) -> bytes:
    return f"{binascii.crc_hqx(body, 0xFFFF):04X}".encode()


def _crc_ok(area: bytes) -> bool:
    return _crc_text(area[:-4]) == area[-4:]


def _numbers(record: CardRecord) -> tuple[int, int, int | None, int | None]:
    if isinstance(record, PurchaseRecord):
        return record.purchase_counter, record.energy_ckwh, record.free_ckwh, record.amount_fen
    if isinstance(record, ClearRecord):
        return record.clear_seq, 0, 0, 0
    if isinstance(record, CheckRecord):
        return 0, 0, 0, 0
    return (
        record.param_seq,
        record.alarm_threshold_ckwh,
        record.starting_counter,
        record.starting_balance_ckwh,
    )


def _read_slot(raw: bytes) -> tuple[int, CardRecord] | None:
    """(slot sequence, record) of a slot whose CRC and fields check, else None."""
    if raw[0] not in _KINDS or not _crc_ok(raw):
        return None
    try:
        seq, counter, a = _unbcd(raw[1:5]), _unbcd(raw[5:8]), _unbcd(raw[8:12])
        b = None if raw[12:16] == _NOT_SET else _unbcd(raw[12:16])
        c = None if raw[16:20] == _NOT_SET else _unbcd(raw[16:20])
        common: TaggedFields = {"meter_no": _ascii(raw[26:38]), "at": _time(raw[20:26]),
                                "tag": bytes.fromhex(raw[38:54].decode("ascii")), "slot_seq": seq}  # fmt: skip
    except ValueError:
        return None
    kind = _KINDS[raw[0]]
    if kind == CardKind.USER and b is not None and c is not None:
        return seq, PurchaseRecord(
            **common, purchase_counter=counter, energy_ckwh=a, free_ckwh=b, amount_fen=c
        )
    if kind == CardKind.CLEAR:
        return seq, ClearRecord(**common, clear_seq=counter)
    if kind == CardKind.CHECK:
        return seq, CheckRecord(**common)
    if kind == CardKind.PARAMETER:
        return seq, ParameterRecord(**common, param_seq=counter, alarm_threshold_ckwh=a, starting_counter=b,
                                    starting_balance_ckwh=c)  # fmt: skip
    return None


def _highest_seq(raw_image: bytes) -> int:
    """With no valid slot, the next write still goes above any sequence number on the card."""
    return max([0, *(_bcd_or(raw_image[at + 1 : at + 5], 0) for at in _SLOTS_AT)])


def _read_write_back(raw: bytes) -> tuple[WriteBack | None, bool]:
    if raw == b"\xff" * _WB_SIZE:
        return None, False
    if not _crc_ok(raw[:_WB_SIZE]):
        return None, True
    try:
        event, error, alarms = int(raw[0:1]), int(raw[1:2]), int(raw[2:4], 16)
        wb = WriteBack(
            remaining_ckwh=_unbcd(raw[4:8]),
            consumed_ckwh=_unbcd(raw[8:12]),
            last_loaded_counter=_unbcd(raw[12:15]),
            alarms=frozenset(name for bit, name in enumerate(ALARMS) if alarms & (1 << bit)),
            error=WRITE_BACK_ERRORS[error],
            at=_time(raw[15:21]),
            event=WRITE_BACK_EVENTS[event],
            meter_no=_ascii(raw[21:33]),
        )
    except (ValueError, IndexError):
        return None, True
    return wb, False
