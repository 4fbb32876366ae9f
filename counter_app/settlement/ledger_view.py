"""The ledger as settlement reads it: each entry with its settlement line, tender and receipt.

Settlement lines are the rows of the 财务交账单 (DOMAIN "Shifts, days, months"): electricity split by
class group (寝室用户 = dorm rooms, 业主用户 = staff households and businesses), then the charges
collected for others or as fees. A void carries its own line (the ledger writer copies the charge
of the entry it voids), so totals are net of voids without a self-join.

Which entries move the drawer (`DRAWER_KINDS`): payments, their voids and suspense (the cash of an
unfinished card write is held in the drawer for the customer on the originating shift). Refunds
raised are never paid from the drawer (坐支 is forbidden) and so are not in it, unless finance
enabled a refund float (setting `refund_float`), when cash refunds come out of it on a line of
their own. When a suspense item is rolled forward on a later shift, the sale is recorded there and a
`suspense_resolved` entry of the opposite amount (same tender) nets that shift's drawer back to
zero: the cash was counted on the originating shift.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from base.vocabulary import CLASS_GROUP_LABELS, TENDERS
from counter_app import row_seals
from db.models import Account, CardClass, LedgerEntry, Receipt, Room
from db.models.security import Operator

PAYMENT_KINDS = ("sale", "correction", "bill_payment", "fee_payment", "back_charge_payment")
DRAWER_KINDS = (*PAYMENT_KINDS, "void", "suspense", "suspense_resolved")
LINE_LABELS = {
    **CLASS_GROUP_LABELS,
    "repair": "代收维修费",
    "utility": "代收水电费",
    "heating": "采暖费",
    "back_charge": "违规用电补缴",
    "card_fee": "补卡费",
}
TENDER_ORDER = TENDERS  # the vocabulary's one order
_CHARGE_ALIASES = {"card": "card_fee", "fee": "card_fee"}
_KIND_CHARGES = {"fee_payment": "card_fee", "back_charge_payment": "back_charge"}


@dataclass(frozen=True)
class EntryRow:
    id: int
    kind: str
    line: str
    tender: str | None
    reference: str | None
    fen: int
    energy_ckwh: int
    free_ckwh: int
    at: datetime
    operator_id: int | None
    operator: str | None
    shift_id: int | None
    account_no: str | None
    room_code: str | None
    receipt_no: str | None
    reason: str | None
    data: dict[str, Any]
    class_group: str | None = None  # dorm | owner, from the account's class; None without account
    account_id: int | None = None
    corrects_entry_id: int | None = None  # the entry a void or a correction refers to


def settlement_line(kind: str, charge: str | None, class_group: str | None) -> str:
    """The sheet line of an entry: its charge, else what its kind implies; electricity by group."""
    charge = _CHARGE_ALIASES.get(charge or "", charge) or _KIND_CHARGES.get(kind, "electricity")
    if charge == "electricity":
        return "dorm" if class_group == "dorm" else "owner"
    return charge


def check_card_classes(session: Session) -> None:
    """A class's group decides the sheet line of every sale to it (dorm or owner): the few class
    rows are checked against their seals before any sheet or report counts by them."""
    row_seals.check_all(session, session.scalars(select(CardClass)))


# A ledger row with what the sheet shows beside it (the outer-joined columns may be None).
_EntryQuery = Select[tuple[LedgerEntry, str, str, str, str, str]]


def _query() -> _EntryQuery:
    return (
        select(LedgerEntry, CardClass.class_group, Account.account_no, Room.room_code,
               Receipt.receipt_no, Operator.display_name)
        .outerjoin(Account, Account.id == LedgerEntry.account_id)
        .outerjoin(CardClass, CardClass.code == Account.cls)
        .outerjoin(Room, Room.id == Account.room_id)
        .outerjoin(Receipt, Receipt.id == LedgerEntry.receipt_id)
        .outerjoin(Operator, Operator.id == LedgerEntry.operator_id)
        .order_by(LedgerEntry.id)  # written order: a clock set back must not reorder the sheet
    )  # fmt: skip


def _rows(session: Session, stmt: _EntryQuery) -> list[EntryRow]:
    check_card_classes(session)
    out = []
    for entry, group, account_no, room_code, receipt_no, operator in session.execute(stmt).tuples():
        out.append(EntryRow(
            entry.id, entry.kind, settlement_line(entry.kind, entry.charge, group), entry.tender,
            entry.reference, entry.fen, entry.energy_ckwh, entry.free_ckwh, entry.at, entry.operator_id,
            operator, entry.shift_id, account_no, room_code, receipt_no, entry.reason, dict(entry.data or {}),
            group, entry.account_id, entry.corrects_entry_id,
        ))  # fmt: skip
    return out


def shift_entries(session: Session, shift_id: int) -> list[EntryRow]:
    return _rows(session, _query().where(LedgerEntry.shift_id == shift_id))


def entries_between(session: Session, start: datetime, end: datetime) -> list[EntryRow]:
    """Entries with start <= at < end, in the order they were written."""
    return _rows(session, _query().where(LedgerEntry.at >= start, LedgerEntry.at < end))


def drawer_cash(entries: Iterable[EntryRow], *, refund_float: bool) -> int:
    """Cash that went into (or, for voids and float refunds, out of) the drawer."""
    total = sum(e.fen for e in entries if e.tender == "cash" and e.kind in DRAWER_KINDS)
    if refund_float:
        total += sum(e.fen for e in entries if e.tender == "cash" and e.kind == "refund_raised")
    return total


def refund_float_paid(entries: Iterable[EntryRow]) -> int:
    return -sum(e.fen for e in entries if e.tender == "cash" and e.kind == "refund_raised")
