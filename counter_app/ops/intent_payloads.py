"""What a card-write intent carries besides its columns: one frozen dataclass per intent kind.

The payload is the crash-recovery contract: an intent left open by a crash is committed later —
perhaps by the next version of the program — from the intent row alone (counter_app/ops/card_writes.py).
So each payload has a `SCHEMA_VERSION`, `to_json()` writes it under the key "schema_version", and
`from_json()` reads the current version AND version 1, the unversioned dicts stored before this
module existed (kept as tests/fixtures/intent_payloads/v1/*.json; test_intent_payloads.py rolls
each of them forward).

Amounts are stored once. The intent row's columns hold the card write's numbers (amount_fen,
energy_ckwh, free_ckwh, price_e4, tender, purchase_counter, card_serial); a payload holds only what
the columns do not, and a payload amount that sits next to a column says in its name how it
differs (`carried_ckwh`, `carried_amount_fen`, `cleared_ckwh`). Version 1 repeated the columns
(`amount_fen`, `energy_ckwh`… with the same values: read from the columns now, dropped on reading).
Each class says what the columns mean for its kind.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

SCHEMA_KEY = "schema_version"
SCHEMA_VERSION = 2  # every kind's current version (they move together: one writer, one reader)


class IntentPayload(Protocol):
    SCHEMA_VERSION: ClassVar[int]

    def to_json(self) -> dict[str, Any]: ...

    @property
    def record_meter_no(self) -> str | None:
        """The meter the card's purchase record is for (None: the card carries no purchase record)."""
        ...


def schema_version(data: Mapping[str, Any]) -> int:
    """The version a stored payload was written with: 1 when it carries none (written before
    versions existed). A version newer than this program's is refused rather than misread."""
    version = int(data.get(SCHEMA_KEY, 1))
    if version not in (1, SCHEMA_VERSION):
        raise ValueError(f"intent payload version {version}: this program reads 1 and {SCHEMA_VERSION}")
    return version


def _json(version: int, fields: dict[str, Any]) -> dict[str, Any]:
    return {SCHEMA_KEY: version, **fields}


def _optional_int(value: Any) -> int | None:
    return None if value is None else int(value)


def _optional_str(value: Any) -> str | None:
    return None if value is None else str(value)


# --- top_up -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TopUpPayload:
    """A top-up or a free-energy visit (`collect_free`), kind "top_up".

    Columns: amount_fen = the money taken (0 for a free visit); energy_ckwh = the energy the card's
    record carries = the energy bought now + `carried_ckwh`; free_ckwh = the free energy delivered
    (sum of `allocations`); price_e4 = the tariff applied; tender = how it was paid;
    purchase_counter = the record's counter (the account's next, or the same one when an override
    carries an unloaded purchase).
    """

    SCHEMA_VERSION: ClassVar[int] = SCHEMA_VERSION
    ledger_kind: str  # "sale" | "free": the ledger entry's kind
    account_no: str
    meter_no: str
    carried_ckwh: int  # energy of an unloaded purchase carried onto this record (override), not bought now
    reference: str | None  # the non-cash tender's reference
    tendered_fen: int | None  # cash handed over (None: not cash, or not given)
    change_fen: int
    override_reason: str | None
    approval_id: int | None  # the override of an unloaded purchase
    allocations: tuple[tuple[int, int], ...]  # (quota batch id, ckwh) delivered as free energy

    def to_json(self) -> dict[str, Any]:
        return _json(self.SCHEMA_VERSION, {
            "ledger_kind": self.ledger_kind, "account_no": self.account_no, "meter_no": self.meter_no,
            "carried_ckwh": self.carried_ckwh, "reference": self.reference, "tendered_fen": self.tendered_fen,
            "change_fen": self.change_fen, "override_reason": self.override_reason,
            "approval_id": self.approval_id, "allocations": [list(a) for a in self.allocations],
        })  # fmt: skip

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> TopUpPayload:
        # v1 = the whole sale plan: its amount_fen, energy_ckwh (without carried), free_ckwh,
        # price_e4 and tender are the columns' values; its "kind" is the ledger kind.
        ledger_kind = data["kind"] if schema_version(data) == 1 else data["ledger_kind"]
        return cls(
            ledger_kind=str(ledger_kind), account_no=str(data["account_no"]), meter_no=str(data["meter_no"]),
            carried_ckwh=int(data["carried_ckwh"]), reference=data.get("reference"),
            tendered_fen=_optional_int(data.get("tendered_fen")), change_fen=int(data["change_fen"]),
            override_reason=data.get("override_reason"), approval_id=_optional_int(data.get("approval_id")),
            allocations=tuple((int(b), int(c)) for b, c in data.get("allocations") or ()),
        )  # fmt: skip

    @property
    def record_meter_no(self) -> str | None:
        """The meter the card's purchase record is written for."""
        return self.meter_no


# --- correction ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OriginalSale:
    """The sale being corrected, as plain values (its ledger entry and receipt)."""

    entry_id: int
    receipt_no: str
    receipt_id: int
    account_no: str
    charge: str | None
    fen: int
    energy_ckwh: int
    price_e4: int
    purchase_counter: int
    tender: str | None
    reference: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "entry_id": self.entry_id, "receipt_no": self.receipt_no, "receipt_id": self.receipt_id,
            "account_no": self.account_no, "charge": self.charge, "fen": self.fen, "energy_ckwh": self.energy_ckwh,
            "price_e4": self.price_e4, "purchase_counter": self.purchase_counter, "tender": self.tender,
            "reference": self.reference,
        }  # fmt: skip

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> OriginalSale:
        return cls(
            entry_id=int(data["entry_id"]), receipt_no=str(data["receipt_no"]), receipt_id=int(data["receipt_id"]),
            account_no=str(data["account_no"]), charge=data.get("charge"), fen=int(data["fen"]),
            energy_ckwh=int(data["energy_ckwh"]), price_e4=int(data["price_e4"]),
            purchase_counter=int(data["purchase_counter"]), tender=data.get("tender"), reference=data.get("reference"),
        )  # fmt: skip


CORRECTION_MODES = ("rewrite", "void", "new_sale")


@dataclass(frozen=True)
class CorrectionPayload:
    """A same-day correction, kind "correction" (counter_app/ops/corrections.py); `mode` is one of
    CORRECTION_MODES.

    Columns: amount_fen = the corrected sale's money (0 for "void"); energy_ckwh = the energy the
    card's record carries = the corrected energy + `carried_ckwh`; free_ckwh = the free energy
    already on the card's record (it stays there; the correction's ledger entry has none);
    price_e4 = the corrected sale's price; tender = the original sale's tender; purchase_counter =
    the original's ("rewrite", "void") or the right account's next ("new_sale").
    """

    SCHEMA_VERSION: ClassVar[int] = SCHEMA_VERSION
    mode: str
    original: OriginalSale
    reason: str
    approval_id: int
    account_no: str  # the account whose card is written (the wrong room's for "void")
    meter_no: str
    carried_ckwh: int  # energy of an earlier override already on the record, kept there
    change_fen: int  # cash handed back (original − corrected, when positive and cash)
    target_account_no: str | None  # "void": the right room, sold to next

    def to_json(self) -> dict[str, Any]:
        return _json(self.SCHEMA_VERSION, {
            "mode": self.mode, "original": self.original.to_json(), "reason": self.reason,
            "approval_id": self.approval_id, "account_no": self.account_no, "meter_no": self.meter_no,
            "carried_ckwh": self.carried_ckwh, "change_fen": self.change_fen,
            "target_account_no": self.target_account_no,
        })  # fmt: skip

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CorrectionPayload:
        # v1 also held amount_fen, energy_ckwh (without carried) and price_e4: the columns' values;
        # and "cashier", the operator's name (the operator_id column says who).
        schema_version(data)
        return cls(
            mode=str(data["mode"]), original=OriginalSale.from_json(data["original"]), reason=str(data["reason"]),
            approval_id=int(data["approval_id"]), account_no=str(data["account_no"]), meter_no=str(data["meter_no"]),
            carried_ckwh=int(data["carried_ckwh"]), change_fen=int(data["change_fen"]),
            target_account_no=data.get("target_account_no"),
        )  # fmt: skip

    @property
    def record_meter_no(self) -> str | None:
        return self.meter_no


# --- clear ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClearMakePayload:
    """Visit 1 of a meter clear, kind "clear", phase "make": the user card becomes a clear card.

    Columns: amount_fen, energy_ckwh, free_ckwh = 0 (no money, no energy); price_e4, tender = None;
    purchase_counter = the account's (unchanged); card_serial = the account's card.
    """

    SCHEMA_VERSION: ClassVar[int] = SCHEMA_VERSION
    PHASE: ClassVar[str] = "make"
    account_no: str
    meter_no: str
    reason: str
    approval_id: int
    clear_seq: int
    wb_before: dict[str, Any] | None  # the write-back the card carried when made (write_back_to_json)

    def to_json(self) -> dict[str, Any]:
        return _json(self.SCHEMA_VERSION, {
            "phase": self.PHASE, "account_no": self.account_no, "meter_no": self.meter_no, "reason": self.reason,
            "approval_id": self.approval_id, "clear_seq": self.clear_seq, "wb_before": self.wb_before,
        })  # fmt: skip

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ClearMakePayload:
        # v1 also held card_serial: the column's value (the approved content named it).
        schema_version(data)
        wb = data.get("wb_before")
        return cls(account_no=str(data["account_no"]), meter_no=str(data["meter_no"]), reason=str(data["reason"]),
                   approval_id=int(data["approval_id"]), clear_seq=int(data["clear_seq"]),
                   wb_before=dict(wb) if wb is not None else None)  # fmt: skip

    @property
    def record_meter_no(self) -> str | None:
        return self.meter_no


@dataclass(frozen=True)
class ClearRestorePayload:
    """Visit 2 of a meter clear, kind "clear", phase "restore": the clear card, back from the meter,
    becomes the user card again and the energy the meter reported is recorded as cleared.

    Columns: as for "make" (no money, no energy written: the cleared energy leaves the meter).
    """

    SCHEMA_VERSION: ClassVar[int] = SCHEMA_VERSION
    PHASE: ClassVar[str] = "restore"
    account_no: str
    meter_no: str
    make_intent_id: str
    cleared_ckwh: int  # the energy the meter held when cleared (its write-back), not written to any card
    write_back: dict[str, Any]  # the meter's answer to the clear card (write_back_to_json)
    reason: str | None

    def to_json(self) -> dict[str, Any]:
        return _json(self.SCHEMA_VERSION, {
            "phase": self.PHASE, "account_no": self.account_no, "meter_no": self.meter_no,
            "make_intent_id": self.make_intent_id, "cleared_ckwh": self.cleared_ckwh,
            "write_back": self.write_back, "reason": self.reason,
        })  # fmt: skip

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ClearRestorePayload:
        schema_version(data)
        return cls(account_no=str(data["account_no"]), meter_no=str(data["meter_no"]),
                   make_intent_id=str(data["make_intent_id"]), cleared_ckwh=int(data["cleared_ckwh"]),
                   write_back=dict(data["write_back"]), reason=data.get("reason"))  # fmt: skip

    @property
    def record_meter_no(self) -> str | None:
        return self.meter_no


ClearPayload = ClearMakePayload | ClearRestorePayload


def clear_payload_from_json(data: Mapping[str, Any]) -> ClearPayload:
    """Either visit, by its "phase" (the same key in both versions)."""
    if data["phase"] == ClearMakePayload.PHASE:
        return ClearMakePayload.from_json(data)
    return ClearRestorePayload.from_json(data)


# --- parameter (换表补电) ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParameterPayload:
    """A meter replacement with energy carried, kind "parameter": a parameter card starts the new
    meter (counter_app/ops/meters.py).

    Columns: energy_ckwh = the energy carried into the new meter (its starting balance);
    purchase_counter = the new meter's starting counter (the account's); amount_fen, free_ckwh = 0;
    price_e4, tender, shift_id = None; card_serial = the parameter card.
    """

    SCHEMA_VERSION: ClassVar[int] = SCHEMA_VERSION
    account_no: str
    old_meter_no: str
    new_meter_no: str
    approval_id: int | None
    param_seq: int
    # The new meter's model (the profile its cards are written in); None: the default (reference),
    # also what payloads stored before meter models read as.
    new_meter_model: str | None = None

    def to_json(self) -> dict[str, Any]:
        return _json(self.SCHEMA_VERSION, {
            "account_no": self.account_no, "old_meter_no": self.old_meter_no, "new_meter_no": self.new_meter_no,
            "approval_id": self.approval_id, "param_seq": self.param_seq, "new_meter_model": self.new_meter_model,
        })  # fmt: skip

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ParameterPayload:
        # v1 also held carried_ckwh: the energy_ckwh column's value.
        schema_version(data)
        return cls(account_no=str(data["account_no"]), old_meter_no=str(data["old_meter_no"]),
                   new_meter_no=str(data["new_meter_no"]), approval_id=_optional_int(data.get("approval_id")),
                   param_seq=int(data["param_seq"]), new_meter_model=_optional_str(data.get("new_meter_model")))  # fmt: skip

    @property
    def record_meter_no(self) -> str | None:
        """None: a parameter card carries no purchase record."""
        return None


# --- issue / replace_card --------------------------------------------------------------------------------


@dataclass(frozen=True)
class IssuePayload:
    """A blank card made an account's first card, kind "issue" (counter_app/ops/cards.py).

    Columns: purchase_counter = the account's (the card continues it); amount_fen, energy_ckwh,
    free_ckwh = 0; price_e4, tender, shift_id = None; card_serial = the new card.
    """

    SCHEMA_VERSION: ClassVar[int] = SCHEMA_VERSION
    account_no: str
    meter_no: str
    previous_serial: str | None  # a card taken over from the legacy system, superseded

    def to_json(self) -> dict[str, Any]:
        return _json(self.SCHEMA_VERSION, {"account_no": self.account_no, "meter_no": self.meter_no,
                            "previous_serial": self.previous_serial})  # fmt: skip

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> IssuePayload:
        schema_version(data)
        return cls(account_no=str(data["account_no"]), meter_no=str(data["meter_no"]),
                   previous_serial=data.get("previous_serial"))  # fmt: skip

    @property
    def record_meter_no(self) -> str | None:
        return self.meter_no


@dataclass(frozen=True)
class ReplaceCardPayload:
    """补卡, kind "replace_card" (counter_app/ops/card_replacement.py): a blank card becomes the
    account's card, carrying the purchase the lost card held and the meter has not loaded.

    Columns: amount_fen = the replacement-card fee (0: none); tender = the fee's tender (None
    without a fee); energy_ckwh, free_ckwh = the carried purchase's energy and free energy, written
    on the new card's record; purchase_counter = the account's (unchanged); price_e4 = None;
    shift_id = the open shift when a fee is taken.
    """

    SCHEMA_VERSION: ClassVar[int] = SCHEMA_VERSION
    account_no: str
    meter_no: str
    lost_serial: str | None
    carried_amount_fen: int  # the carried purchase's money, shown on the new card's record (not the fee)
    carried_from: str | None  # the intent id (or "ledger:<id>") of the carried purchase
    reference: str | None  # the fee's non-cash tender reference
    fee_id: int | None
    meter_counter: int  # the counter a simulated meter met for the first time stands at

    def to_json(self) -> dict[str, Any]:
        return _json(self.SCHEMA_VERSION, {
            "account_no": self.account_no, "meter_no": self.meter_no, "lost_serial": self.lost_serial,
            "carried_amount_fen": self.carried_amount_fen, "carried_from": self.carried_from,
            "reference": self.reference, "fee_id": self.fee_id, "meter_counter": self.meter_counter,
        })  # fmt: skip

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ReplaceCardPayload:
        # v1 named the carried purchase's money "record_amount_fen".
        v1 = schema_version(data) == 1
        return cls(
            account_no=str(data["account_no"]), meter_no=str(data["meter_no"]), lost_serial=data.get("lost_serial"),
            carried_amount_fen=int(data.get("record_amount_fen" if v1 else "carried_amount_fen") or 0),
            carried_from=data.get("carried_from"), reference=data.get("reference"),
            fee_id=_optional_int(data.get("fee_id")), meter_counter=int(data["meter_counter"]),
        )  # fmt: skip

    @property
    def record_meter_no(self) -> str | None:
        return self.meter_no
