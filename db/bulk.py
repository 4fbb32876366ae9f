"""Reads and writes shaped for the two import files of `counter-admin` (docs/imports.md).

A yearly room list covers thousands of rooms in one all-or-nothing transaction, which holds every
counter's write lock while it runs: what the database holds on the campuses a file covers is read
once into sets and dicts here, and new rows are added many at a time and flushed once (per-row
queries held the lock for minutes on a 20,000-room file, docs/benchmarks.md). The legacy file's
rows (its cards, card events and purchase entries) are built here too, so the import code
(counter_app/admin/accounts_import.py, legacy_import.py) never touches a model class. Nothing here
commits or audits: the caller chains the audit entries over what it adds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models.accounts import Account
from db.models.cards import Card, CardEvent
from db.models.ledger import LedgerEntry
from db.models.places import Building, Room, Unit

_Row = TypeVar("_Row")

# --- what the database holds on some campuses ---------------------------------------------------------


def rooms_on_campus(session: Session, campus_id: int) -> list[tuple[Room, str, str | None]]:
    """Every room of a campus with its building's code and its unit's (None: no unit)."""
    stmt = (
        select(Room, Building.code, Unit.code)
        .join(Building, Building.id == Room.building_id)
        .outerjoin(Unit, Unit.id == Room.unit_id)
        .where(Room.campus_id == campus_id)
    )
    return [(room, building, unit) for room, building, unit in session.execute(stmt)]


def accounts_of_rooms(session: Session, room_ids: Iterable[int]) -> list[Account]:
    """Every account (live or closed) of these rooms, oldest first."""
    stmt = select(Account).where(Account.room_id.in_(list(room_ids))).order_by(Account.id)
    return list(session.scalars(stmt))


def room_codes_on(session: Session, campus_ids: Sequence[int]) -> set[tuple[int, str]]:
    """(campus id, room code) of every room on these campuses."""
    stmt = select(Room.campus_id, Room.room_code).where(Room.campus_id.in_(campus_ids))
    return {(campus_id, code) for campus_id, code in session.execute(stmt).tuples()}


def buildings_on(session: Session, campus_ids: Sequence[int]) -> dict[tuple[int, str], Building]:
    """The buildings of these campuses by (campus id, building code)."""
    stmt = select(Building).where(Building.campus_id.in_(campus_ids))
    return {(b.campus_id, b.code): b for b in session.scalars(stmt)}


def units_on(session: Session, campus_ids: Sequence[int]) -> dict[tuple[int, str], Unit]:
    """The units of these campuses' buildings by (building id, unit code)."""
    stmt = (
        select(Unit).join(Building, Building.id == Unit.building_id).where(Building.campus_id.in_(campus_ids))
    )
    return {(u.building_id, u.code): u for u in session.scalars(stmt)}


def account_numbers(session: Session) -> set[str]:
    return set(session.scalars(select(Account.account_no)))


# --- new places and accounts ----------------------------------------------------------------------------


def add_building(session: Session, *, campus_id: int, code: str, name: str) -> Building:
    """Flushed at once: the rooms under it need its id."""
    return _flushed(session, Building(campus_id=campus_id, code=code, name=name))


def add_unit(session: Session, *, building_id: int, code: str) -> Unit:
    """Flushed at once: the rooms under it need its id."""
    return _flushed(session, Unit(building_id=building_id, code=code))


def add_room(session: Session, *, campus_id: int, building_id: int, unit_id: int | None, number: str,
             room_code: str, beds: int) -> Room:  # fmt: skip
    """Added, not flushed: the rooms of a file are flushed together."""
    room = Room(campus_id=campus_id, building_id=building_id, unit_id=unit_id, number=number,
                room_code=room_code, beds=beds)  # fmt: skip
    session.add(room)
    return room


@dataclass(frozen=True)
class NewAccount:
    account_no: str
    room_id: int
    cls: str
    status: str
    holder: str | None
    phone: str | None
    meter_no: str
    beds: int
    undergrad: int
    master: int
    phd: int
    opened_on: date


def add_accounts(session: Session, new: Sequence[NewAccount]) -> list[Account]:
    """All in one flush (their ids are needed by their events); no purchases yet."""
    accounts = [
        Account(account_no=n.account_no, room_id=n.room_id, cls=n.cls, status=n.status, holder=n.holder,
                phone=n.phone, meter_no=n.meter_no, purchase_counter=0, beds=n.beds,
                occupants_undergrad=n.undergrad, occupants_master=n.master, occupants_phd=n.phd,
                opened_on=n.opened_on)
        for n in new
    ]  # fmt: skip
    session.add_all(accounts)
    session.flush()
    return accounts


def add_all(session: Session, rows: Sequence[Any]) -> None:
    """Rows built elsewhere (account events), inserted in one flush."""
    session.add_all(rows)
    session.flush()


# --- the old system's cards and purchases ---------------------------------------------------------------


def add_issued_card(session: Session, *, serial: str, account_id: int, received_at: datetime) -> Card:
    """A user card the old system issued, recorded as issued to its account (added, not flushed)."""
    card = Card(serial=serial, status="issued", kind="user", account_id=account_id, received_at=received_at)
    session.add(card)
    return card


def card_event_row(*, card_id: int, kind: str, account_id: int | None, at: datetime, operator_id: int | None,
                   approval_id: int | None, reason: str | None, data: dict[str, Any] | None) -> CardEvent:  # fmt: skip
    """Not added: the caller adds it under the audit chain (ops.common.add_audited)."""
    return CardEvent(card_id=card_id, kind=kind, account_id=account_id, at=at, operator_id=operator_id,
                     approval_id=approval_id, reason=reason, data=data)  # fmt: skip


def legacy_purchase_row(*, account_id: int, fen: int, energy_ckwh: int, price_e4: int, purchase_counter: int,
                        operator_id: int, at: datetime, approval_id: int, reason: str,
                        data: dict[str, Any]) -> LedgerEntry:  # fmt: skip
    """A purchase of the old system (kind `legacy_purchase`, charge electricity); not added: the
    caller adds it under the audit chain."""
    return LedgerEntry(kind="legacy_purchase", charge="electricity", account_id=account_id, fen=fen,
                       energy_ckwh=energy_ckwh, price_e4=price_e4, purchase_counter=purchase_counter,
                       operator_id=operator_id, at=at, approval_id=approval_id, reason=reason, data=data)  # fmt: skip


def _flushed(session: Session, row: _Row) -> _Row:
    session.add(row)
    session.flush()
    return row
