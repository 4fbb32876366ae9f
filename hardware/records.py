"""What a card says, after parsing and checking: frozen plain data, no I/O.

Values only reach these classes after the profile has checked them (MAC for records, CRC for the
meter's write-back); before that they are `raw_` bytes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TypedDict


class CardKind(StrEnum):
    BLANK = "blank"  # nothing valid written by us yet (new, or an issue cut short)
    USER = "user"
    CLEAR = "clear"  # 清零卡
    CHECK = "check"  # 检查卡
    PARAMETER = "parameter"  # 参数卡


ALARMS = ("tamper", "cover_open", "overload", "low_balance")
WRITE_BACK_ERRORS = (None, "counter_gap", "mac", "wrong_meter", "over_maximum", "bad_card")
WRITE_BACK_EVENTS = (None, "loaded", "no_load", "cleared", "parameter", "check", "error")


def intent_tag(intent_id: str | int) -> bytes:
    """The 8 bytes a record carries so recovery can recognise its own write."""
    return hashlib.sha256(str(intent_id).encode()).digest()[:8]


class TaggedFields(TypedDict):
    """The fields every record kind shares (`_Tagged`), as keyword arguments built once."""

    meter_no: str
    at: datetime
    tag: bytes
    slot_seq: int


@dataclass(frozen=True)
class _Tagged:
    meter_no: str
    at: datetime
    tag: bytes = field(repr=False)
    slot_seq: int

    def is_from_intent(self, intent_id: str | int) -> bool:
        return self.tag == intent_tag(intent_id)


@dataclass(frozen=True)
class PurchaseRecord(_Tagged):
    purchase_counter: int
    energy_ckwh: int
    free_ckwh: int
    amount_fen: int


@dataclass(frozen=True)
class ClearRecord(_Tagged):
    clear_seq: int


@dataclass(frozen=True)
class CheckRecord(_Tagged):
    pass


@dataclass(frozen=True)
class ParameterRecord(_Tagged):
    param_seq: int
    alarm_threshold_ckwh: int
    starting_counter: int | None
    starting_balance_ckwh: int | None


CardRecord = PurchaseRecord | ClearRecord | CheckRecord | ParameterRecord


@dataclass(frozen=True)
class WriteBack:
    """The meter's write-back (返写), API.md `WriteBack` plus `event` and `meter_no`."""

    remaining_ckwh: int
    consumed_ckwh: int
    last_loaded_counter: int
    alarms: frozenset[str]
    error: str | None
    at: datetime
    event: str | None = None
    meter_no: str = ""


@dataclass(frozen=True)
class CardReading:
    """Everything on a card, checked. `record` is the newest valid slot; `kind` follows it."""

    card_serial: str
    kind: CardKind
    account_no: str | None
    psc_mode: str  # factory | changing | derived
    record: CardRecord | None
    write_back: WriteBack | None
    write_back_torn: bool
    active_slot: int | None
    next_slot_seq: int
    psc_attempts_left: int | None = None

    @property
    def purchase(self) -> PurchaseRecord | None:
        return self.record if isinstance(self.record, PurchaseRecord) else None

    @property
    def meter_no(self) -> str | None:
        return self.record.meter_no if self.record else None

    @property
    def loaded(self) -> bool:
        """The meter's write-back shows the card's purchase counter (DOMAIN: "loaded")."""
        p = self.purchase
        wb = self.write_back
        return p is not None and wb is not None and wb.last_loaded_counter >= p.purchase_counter
