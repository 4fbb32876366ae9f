"""Meter profiles: how a card is laid out for a maker's meters. `ReferenceProfile` is our format
(docs/hardware.md §2). A real maker's format is another `MeterProfile` subclass, registered by
name (hardware/profiles.py); nothing above the profiles knows byte offsets. The contract every
profile meets is docs/hardware.md "Meter profiles", checked by hardware/profile_contract.py."""

from __future__ import annotations

import hashlib
import hmac
import struct
from abc import ABC, abstractmethod
from datetime import UTC, datetime

from hardware.frames import crc16
from hardware.psc import derive_psc
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

Write = tuple[int, bytes]  # (address, bytes) to write to main memory
# One unpacked `_SLOT`: kind, format, reserved, slot seq, counter, a, b, c, time, meter_no, tag, reserved.
SlotFields = tuple[int, int, int, int, int, int, int, int, int, bytes, bytes, bytes]


class MeterProfile(ABC):
    name: str
    card_size: int = 256

    @abstractmethod
    def parse(self, raw_image: bytes, *, mac_key: bytes) -> CardReading:
        """Check and decode a whole card image. Never trusts a byte the MAC/CRC did not cover."""

    @abstractmethod
    def header_write(self, *, account_no: str, psc_mode: str) -> Write: ...

    @abstractmethod
    def psc_mode_write(self, psc_mode: str) -> Write: ...

    @abstractmethod
    def record_write(self, reading: CardReading, record: CardRecord, *, mac_key: bytes) -> Write:
        """Bytes for `record` in the inactive slot with the next slot sequence number."""

    @abstractmethod
    def write_back_write(self, write_back: WriteBack) -> Write: ...

    @abstractmethod
    def blank_state(self, raw_image: bytes) -> str | None:
        """ "fresh" (never issued), "unfinished" (an issue cut short before its first record) or
        None (the card holds, or held, records)."""

    @abstractmethod
    def peek_meter_no(self, raw_image: bytes) -> str | None:
        """Untrusted: the meter number of the newest slot, MAC unchecked (to route a card)."""

    def psc(self, *, master_key: bytes, card_serial: str, card_no: str) -> bytes:
        """The PSC an issued card of this format carries (never the factory PSC). `card_no` is the
        card number in the header (the account number; "" for a tool card). Ours: derived from
        the PSC master key and the chip serial (hardware/psc.py)."""
        return derive_psc(master_key, card_serial)

    def claims(self, raw_image: bytes, *, mac_key: bytes) -> bool:
        """The card is in this format: a record that checks, or this format's header of an issue
        cut short. A factory-fresh card is claimed by no profile."""
        if len(raw_image) != self.card_size:
            return False
        try:
            reading = self.parse(raw_image, mac_key=mac_key)
        except ValueError:
            return False
        return reading.kind != CardKind.BLANK or self.blank_state(raw_image) == "unfinished"


_MAGIC = b"CE"
_HEADER_AT = 0x20
_PSC_MODE_AT = 0x23
_SLOTS_AT = (0x50, 0x90)
_SLOT_SIZE = 64
_WB_AT = 0xD0
_WB_SIZE = 48
_PSC_MODES = {0xFF: "factory", 0x5A: "changing", 0xA5: "derived"}
_PSC_MODE_BYTES = {v: k for k, v in _PSC_MODES.items()}
_KINDS = {1: CardKind.USER, 2: CardKind.CLEAR, 3: CardKind.CHECK, 4: CardKind.PARAMETER}
_KIND_BYTES = {
    PurchaseRecord: 1,
    ClearRecord: 2,
    CheckRecord: 3,
    ParameterRecord: 4,
}
_NONE_U32 = 0xFFFF_FFFF
# kind, format, reserved, seq, counter, a, b, c, time, meter_no, tag, reserved
_SLOT = struct.Struct(">BBHIIIIII12s8s4s")
# remaining, consumed, last counter, alarms, error, event, reserved, time, meter_no, reserved
_WB = struct.Struct(">IIIBBBBI12s14s")
_U32_MAX = 0xFFFF_FFFF


def _ascii12(text: str) -> bytes:
    raw = text.encode("ascii")
    if len(raw) > 12:
        raise ValueError(f"longer than 12 characters: {text!r}")
    return raw.ljust(12, b"\0")


def _text12(raw: bytes) -> str:
    return raw.rstrip(b"\0").decode("ascii", errors="replace")


def _moment(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def _u32(value: int | None, name: str) -> int:
    v = _NONE_U32 if value is None else int(value)
    if not 0 <= v <= _U32_MAX:
        raise ValueError(f"{name} out of range: {value}")
    return v


class ReferenceProfile(MeterProfile):
    name = "reference-v1"

    # --- reading ---------------------------------------------------------------------------
    def parse(self, raw_image: bytes, *, mac_key: bytes) -> CardReading:
        if len(raw_image) != self.card_size:
            raise ValueError("a card image is 256 bytes")
        serial = raw_image[4:12].hex().upper()
        raw_header = raw_image[_HEADER_AT : _HEADER_AT + 16]
        ours = raw_header[:2] == _MAGIC
        account = _text12(raw_header[4:16]) if ours else None
        newest = self._newest_slot(raw_image, mac_key, account or "")
        wb, torn = self._parse_write_back(raw_image[_WB_AT : _WB_AT + _WB_SIZE])
        seqs = [struct.unpack_from(">I", raw_image, at + 4)[0] for at in _SLOTS_AT]
        return CardReading(
            card_serial=serial,
            kind=_KINDS[newest[1][0]] if newest else CardKind.BLANK,
            account_no=account or None,
            psc_mode=_PSC_MODES.get(raw_header[3], "changing") if ours else "factory",
            record=self._record(newest[1]) if newest else None,
            write_back=wb,
            write_back_torn=torn,
            active_slot=newest[0] if newest else None,
            next_slot_seq=(newest[1][3] + 1) if newest else max([0, *[s for s in seqs if s != _U32_MAX]]) + 1,
        )

    def blank_state(self, raw_image: bytes) -> str | None:
        if any(raw_image[a : a + _SLOT_SIZE] != b"\xff" * _SLOT_SIZE for a in _SLOTS_AT):
            return None
        # The PSC mode byte changes only after the whole header is written, so a header torn
        # before its magic completed still means "factory PSC".
        return "unfinished" if raw_image[_HEADER_AT : _HEADER_AT + 2] == _MAGIC else "fresh"

    def _newest_slot(self, raw_image: bytes, mac_key: bytes, account: str) -> tuple[int, SlotFields] | None:
        serial = raw_image[4:12]
        valid: list[tuple[int, SlotFields]] = []
        for index, at in enumerate(_SLOTS_AT):
            raw_slot = raw_image[at : at + _SLOT_SIZE]
            if self._mac_ok(raw_slot, mac_key, serial, account):
                fields: SlotFields = _SLOT.unpack(raw_slot[: _SLOT.size])
                if fields[0] in _KINDS and fields[1] == 1:
                    valid.append((index, fields))
        return max(valid, key=lambda v: v[1][3]) if valid else None

    @staticmethod
    def _mac(key: bytes, serial: bytes, account: str, body: bytes) -> bytes:
        msg = b"counter-card-v1" + serial + _ascii12(account) + body
        return hmac.new(key, msg, hashlib.sha256).digest()[:12]

    def _mac_ok(self, raw_slot: bytes, key: bytes, serial: bytes, account: str) -> bool:
        try:
            expected = self._mac(key, serial, account, raw_slot[:52])
        except (ValueError, UnicodeEncodeError):
            return False
        return hmac.compare_digest(expected, raw_slot[52:64])

    @staticmethod
    def _record(fields: SlotFields) -> CardRecord:
        kind, _fmt, _r, seq, counter, a, b, c, at, meter, tag, _r2 = fields
        common: TaggedFields = {"meter_no": _text12(meter), "at": _moment(at), "tag": tag, "slot_seq": seq}
        if kind == 1:
            return PurchaseRecord(
                **common, purchase_counter=counter, energy_ckwh=a, free_ckwh=b, amount_fen=c
            )
        if kind == 2:
            return ClearRecord(**common, clear_seq=counter)
        if kind == 3:
            return CheckRecord(**common)
        return ParameterRecord(
            **common,
            param_seq=counter,
            alarm_threshold_ckwh=a,
            starting_counter=None if b == _NONE_U32 else b,
            starting_balance_ckwh=None if c == _NONE_U32 else c,
        )

    @staticmethod
    def _parse_write_back(raw_wb: bytes) -> tuple[WriteBack | None, bool]:
        if raw_wb == b"\xff" * _WB_SIZE:
            return None, False
        if crc16(raw_wb[:46]) != int.from_bytes(raw_wb[46:48], "big"):
            return None, True
        rem, used, last, alarms, err, event, _r, at, meter, _r2 = _WB.unpack(raw_wb[: _WB.size])
        if err >= len(WRITE_BACK_ERRORS) or event >= len(WRITE_BACK_EVENTS):
            return None, True
        wb = WriteBack(
            remaining_ckwh=rem,
            consumed_ckwh=used,
            last_loaded_counter=last,
            alarms=frozenset(name for bit, name in enumerate(ALARMS) if alarms & (1 << bit)),
            error=WRITE_BACK_ERRORS[err],
            at=_moment(at),
            event=WRITE_BACK_EVENTS[event],
            meter_no=_text12(meter),
        )
        return wb, False

    def peek_meter_no(self, raw_image: bytes) -> str | None:
        slots = [raw_image[a : a + _SLOT_SIZE] for a in _SLOTS_AT]
        written = [s for s in slots if s != b"\xff" * _SLOT_SIZE]
        if not written:
            return None
        newest = max(written, key=lambda s: struct.unpack_from(">I", s, 4)[0])
        return _text12(newest[28:40]) or None

    # --- writing ---------------------------------------------------------------------------
    def header_write(self, *, account_no: str, psc_mode: str) -> Write:
        body = _MAGIC + b"\x01" + bytes([_PSC_MODE_BYTES[psc_mode]]) + _ascii12(account_no)
        return _HEADER_AT, body

    def psc_mode_write(self, psc_mode: str) -> Write:
        return _PSC_MODE_AT, bytes([_PSC_MODE_BYTES[psc_mode]])

    def record_write(self, reading: CardReading, record: CardRecord, *, mac_key: bytes) -> Write:
        target = 1 - reading.active_slot if reading.active_slot is not None else 0
        body = _SLOT.pack(
            _KIND_BYTES[type(record)],
            1,
            0,
            _u32(reading.next_slot_seq, "slot sequence"),
            *self._slot_numbers(record),
            _u32(int(record.at.timestamp()), "time"),
            _ascii12(record.meter_no),
            bytes(record.tag).ljust(8, b"\0")[:8],
            bytes(4),
        )
        serial = bytes.fromhex(reading.card_serial)
        return _SLOTS_AT[target], body + self._mac(mac_key, serial, reading.account_no or "", body)

    @staticmethod
    def _slot_numbers(record: CardRecord) -> tuple[int, int, int, int]:
        values: tuple[int | None, int | None, int | None, int | None]
        if isinstance(record, PurchaseRecord):
            values = (record.purchase_counter, record.energy_ckwh, record.free_ckwh, record.amount_fen)
        elif isinstance(record, ClearRecord):
            values = (record.clear_seq, 0, 0, 0)
        elif isinstance(record, CheckRecord):
            values = (0, 0, 0, 0)
        else:
            values = (
                record.param_seq,
                record.alarm_threshold_ckwh,
                record.starting_counter,
                record.starting_balance_ckwh,
            )
        names = ("counter", "value a", "value b", "value c")
        if any(v is not None and v < 0 for v in values):
            raise ValueError("card values are never negative")
        counter, a, b, c = (_u32(v, n) for v, n in zip(values, names, strict=True))
        return counter, a, b, c

    def write_back_write(self, write_back: WriteBack) -> Write:
        alarms = sum(1 << ALARMS.index(a) for a in write_back.alarms)
        body = _WB.pack(
            write_back.remaining_ckwh,
            write_back.consumed_ckwh,
            write_back.last_loaded_counter,
            alarms,
            WRITE_BACK_ERRORS.index(write_back.error),
            WRITE_BACK_EVENTS.index(write_back.event),
            0,
            int(write_back.at.timestamp()),
            _ascii12(write_back.meter_no),
            bytes(14),
        )
        return _WB_AT, body + crc16(body).to_bytes(2, "big")
