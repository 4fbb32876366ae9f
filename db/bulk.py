"""Reads and writes shaped for the two import files of `counter-admin` (docs/imports.md).

A yearly room list covers thousands of rooms, written in chunks of one short transaction each
(every chunk holds the counters' write lock): what the database holds on the campuses a file covers
is read once into sets and dicts here, and new rooms, accounts and their events are Core
executemany inserts of whole rows whose ids are reserved first (`complete_row`, `reserve_ids`,
`insert_rows`; per-row ORM flushes held the lock for minutes on a 20,000-room file,
docs/benchmarks.md). A Core insert passes no ORM event: its caller seals the rows inside the insert
and counts them (row_seals.insert_sealed) and chains their audit entries from the same values —
nothing is read back (reading back ids and rows was a fifth of an import's chunk time). The legacy file's
rows (its cards, card events and purchase entries) are built here too, so the import code
(counter_app/admin/accounts_import.py, legacy_import.py) never touches a model class. Nothing here
commits or audits: the caller chains the audit entries over what it adds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Table, func, insert, select
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


def ids_of(session: Session, model: Any, ids: Sequence[int]) -> list[Any]:
    """ORM rows of `model` by id (checked against their seals as they load), in chunks."""
    pk = model.__table__.primary_key.columns[0]
    out: list[Any] = []
    for start in range(0, len(ids), 500):
        out += session.scalars(select(model).where(pk.in_(ids[start : start + 500])))
    return out


def taken_room_codes(session: Session, campus_id: int, codes: Sequence[str]) -> set[str]:
    """Which of these room codes a room on the campus already has."""
    stmt = select(Room.room_code).where(Room.campus_id == campus_id, Room.room_code.in_(list(codes)))
    return set(session.scalars(stmt))


def taken_account_numbers(session: Session, numbers: Sequence[str]) -> set[str]:
    return set(session.scalars(select(Account.account_no).where(Account.account_no.in_(list(numbers)))))


def live_meters(session: Session, meters: Sequence[str]) -> set[str]:
    """Which of these meter numbers a live (not closed) account holds."""
    stmt = select(Account.meter_no).where(Account.meter_no.in_(list(meters)), Account.status != "closed")
    return set(session.scalars(stmt))


def complete_row(table: Table, values: dict[str, Any]) -> dict[str, Any]:
    """`values` with every other column (but the primary key) given the value an INSERT would
    store: its scalar Python default, else NULL. Inserted like this, the dict (with the id
    `reserve_ids` gives it) IS the stored row, so it is sealed and digested as it is.
    A column the database or a function would fill (server default only, callable default)
    cannot be known here: refused, so a new column of that kind fails loudly, never a seal."""
    fills, unknown = _fills(table)
    missing = unknown.difference(values)
    if missing:
        raise ValueError(
            f"{table.name}.{min(missing)}: its default is filled in the database or by a function"
        )
    return {**fills, **values}


_FILLS: dict[Table, tuple[dict[str, Any], frozenset[str]]] = {}


def _fills(table: Table) -> tuple[dict[str, Any], frozenset[str]]:
    """Per table, once (60,000 rows an import): the values of the columns an INSERT fills by
    itself, and the columns whose value only the database or a function knows."""
    found = _FILLS.get(table)
    if found is None:
        fills: dict[str, Any] = {}
        unknown: set[str] = set()
        for column in table.columns:
            default = column.default
            if column.primary_key:
                continue
            if default is not None and getattr(default, "is_scalar", False):
                fills[column.name] = default.arg  # type: ignore[attr-defined]
            elif default is None and column.server_default is None:
                fills[column.name] = None
            else:
                unknown.add(column.name)
        found = _FILLS[table] = (fills, frozenset(unknown))
    return found


_RESERVED = "counter.reserved_ids"


def reserve_ids(session: Session, model: Any, rows: Sequence[dict[str, Any]]) -> None:
    """Give each row (whole: `complete_row`) the id its INSERT will store, before the insert, so
    the row can be sealed inside its own INSERT and digested as it is: no RETURNING, no UPDATE
    after, nothing read back. Insert them (`insert_rows`) in the same transaction.

    PostgreSQL: ids drawn from the table's own sequence (nextval is never given twice, whoever
    else inserts meanwhile; a rollback only leaves a gap, as any insert's would). SQLite: the
    write transaction holds the database's one write lock from its BEGIN IMMEDIATE
    (db/engine.py), so nobody else inserts before it commits: the ids are the table's largest + 1…,
    those SQLite itself gives an INTEGER PRIMARY KEY, continuing after ids this transaction
    reserved and has not inserted yet. (PostgreSQL's multi-row INSERT … RETURNING was tried:
    psycopg parses each 20,000-placeholder statement anew, ~6 s of CPU for an import.)"""
    if not rows:
        return
    table = model.__table__
    (pk,) = table.primary_key.columns
    if session.get_bind().dialect.name == "postgresql":
        ids = _sequence_ids(session, table, pk, len(rows))
    else:
        ids = _next_sqlite_ids(session, table, pk, len(rows))
    for row, row_id in zip(rows, ids, strict=True):
        row[pk.name] = row_id


def _sequence_ids(session: Session, table: Table, pk: Any, n: int) -> list[int]:
    sequence = session.scalar(select(func.pg_get_serial_sequence(table.name, pk.name)))
    if sequence is None:
        raise ValueError(f"{table.name}.{pk.name} has no sequence")
    return list(session.scalars(select(func.nextval(sequence)).select_from(func.generate_series(1, n))))


def _next_sqlite_ids(session: Session, table: Table, pk: Any, n: int) -> list[int]:
    reserved = session.info.setdefault(_RESERVED, {})
    transaction, last = reserved.get(table.name, (None, 0))
    if transaction is not session.get_transaction():  # reserved in an earlier transaction: inserted or gone
        last = 0
    start = max(session.scalar(select(func.max(pk))) or 0, last)
    reserved[table.name] = (session.get_transaction(), start + n)
    return list(range(start + 1, start + n + 1))


def insert_rows(session: Session, model: Any, rows: Sequence[dict[str, Any]]) -> None:
    """One Core executemany INSERT of whole rows (`complete_row`, `reserve_ids`). No ORM event
    runs: a sealed table's rows go through row_seals.insert_sealed instead."""
    if rows:
        session.execute(insert(model.__table__), list(rows))


# --- new places and accounts ----------------------------------------------------------------------------


def add_building(session: Session, *, campus_id: int, code: str, name: str) -> Building:
    """Flushed at once: the rooms under it need its id."""
    return _flushed(session, Building(campus_id=campus_id, code=code, name=name))


def add_unit(session: Session, *, building_id: int, code: str) -> Unit:
    """Flushed at once: the rooms under it need its id."""
    return _flushed(session, Unit(building_id=building_id, code=code))


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
