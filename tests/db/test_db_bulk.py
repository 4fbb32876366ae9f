"""db/bulk.py's whole rows with reserved ids: the yearly import seals each row inside its own INSERT
and digests the values it inserted instead of reading 40,000 rows back, so those values must BE
the stored rows, byte for byte in their canonical form, and the ids reserved must be the rows' own
and never clash, on both backends."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, select

from base.canonical import canonical_json
from db import bulk
from db.models import Account, AccountEvent, Building, Campus, Room
from db.models.accounts import DEFAULT_METER_MODEL
from db.session import unit_of_work


def _stored(s, table, row_id):
    return dict(s.execute(select(table).where(table.c.id == row_id)).mappings().one())


def _insert(s, model, rows):
    bulk.reserve_ids(s, model, rows)
    bulk.insert_rows(s, model, rows)


def test_inserted_values_with_their_ids_are_the_stored_rows(db_engine, basics, now):
    """GIVEN rooms with the same code on two campuses, their accounts and events, completed, given
    reserved ids and inserted; THEN every row read back by its id has the canonical form of the
    values inserted (defaults, dates, aware times and JSON included)."""
    with unit_of_work(db_engine) as s:
        other = Campus(code="west", name="西校区")
        s.add(other)
        s.flush()
        buildings = [Building(campus_id=c, code="5", name="5号楼") for c in (basics.campus_id, other.id)]
        s.add_all(buildings)
        s.flush()
        rooms = [bulk.complete_row(Room.__table__, {"campus_id": b.campus_id, "building_id": b.id, "unit_id": None,
                                                    "number": "308", "room_code": "5-308", "beds": 4})
                 for b in buildings]  # fmt: skip
        _insert(s, Room, rooms)
        accounts = [bulk.complete_row(Account.__table__, {
            "account_no": f"D-5-308-{n}", "room_id": room["id"], "cls": "dorm", "status": "active",
            "holder": "张三" if n else None, "phone": None, "meter_no": f"M{n}", "purchase_counter": 0,
            "beds": 4, "occupants_undergrad": 3, "occupants_master": 1, "occupants_phd": 0,
            "opened_on": date(2025, 9, 1)}) for n, room in enumerate(rooms)]  # fmt: skip
        _insert(s, Account, accounts)
        events = [bulk.complete_row(AccountEvent.__table__, {
            "account_id": a["id"], "kind": "imported", "at": now + timedelta(microseconds=7 * n),
            "operator_id": basics.cashier_id, "workstation_id": basics.workstation_id, "approval_id": None,
            "reason": None, "data": {"line": n + 2, "new": True, "room_code": "5-308"}})
            for n, a in enumerate(accounts)]  # fmt: skip
        _insert(s, AccountEvent, events)
        for table, rows in ((Room.__table__, rooms), (Account.__table__, accounts)):
            for values in rows:
                assert canonical_json(_stored(s, table, values["id"])) == canonical_json(values)
        for values in events:
            assert canonical_json(_stored(s, AccountEvent.__table__, values["id"])) == canonical_json(values)
        assert _stored(s, Room.__table__, rooms[1]["id"])["campus_id"] == other.id
        assert accounts[0]["meter_model"] == DEFAULT_METER_MODEL and accounts[0]["version"] == 1


def test_reserved_ids_are_new_and_never_given_twice(db_engine, basics):
    """Two reservations before either insert, then an ORM insert and a third reservation: every
    id differs, and each row is stored under the id it was given (no key clash)."""
    with unit_of_work(db_engine) as s:
        b = Building(campus_id=basics.campus_id, code="6", name="6号楼")
        s.add(b)
        s.flush()

        def rooms(*numbers):
            return [bulk.complete_row(Room.__table__, {"campus_id": basics.campus_id, "building_id": b.id,
                                                       "unit_id": None, "number": n, "room_code": f"6-{n}"})
                    for n in numbers]  # fmt: skip

        first, second = rooms("101", "102"), rooms("103")
        bulk.reserve_ids(s, Room, first)
        bulk.reserve_ids(s, Room, second)
        bulk.insert_rows(s, Room, second)
        bulk.insert_rows(s, Room, first)
        orm = Room(campus_id=basics.campus_id, building_id=b.id, number="104", room_code="6-104")
        s.add(orm)
        s.flush()
        third = rooms("105")
        _insert(s, Room, third)
        given = {r["room_code"]: r["id"] for r in first + second + third}
        assert len({*given.values(), orm.id}) == 5
        table = Room.__table__
        rows = s.execute(select(table.c.room_code, table.c.id).where(table.c.building_id == b.id))
        stored = {code: room_id for code, room_id in rows}
        assert stored == {**given, "6-104": orm.id}


def test_a_value_only_the_database_or_a_function_knows_is_refused():
    """A column filled by a server default or a callable cannot be in the values sealed: refused."""
    table = Table("t", MetaData(), Column("id", Integer, primary_key=True), Column("a", String(8)),
                  Column("b", Integer, default=3), Column("c", String(8), server_default="x"))  # fmt: skip
    assert bulk.complete_row(table, {"a": "x", "c": "y"}) == {"a": "x", "b": 3, "c": "y"}
    with pytest.raises(ValueError, match="t.c"):
        bulk.complete_row(table, {"a": "x"})
    called = Table(
        "u", MetaData(), Column("id", Integer, primary_key=True), Column("d", Integer, default=lambda: 1)
    )
    with pytest.raises(ValueError, match="u.d"):
        bulk.complete_row(called, {})
