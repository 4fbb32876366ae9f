"""Fixtures for the settlement tests: a migrated database on each backend (tests/conftest.py
`db_engine`), the settlement tables, fresh keys, a staff with roles, one workstation, two rooms
with accounts, and a shift whose ledger rows are inserted directly through the models (the counter
operations that normally write them are built elsewhere).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime

import pytest
from security.helpers import PASSWORD, People, make_people  # noqa: F401  (PASSWORD for the tests)
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from base.clock import BUSINESS_TZ, FixedClock
from counter_app.auth import AuthenticatedOperator
from counter_app.context import OpContext, WorkstationRef
from counter_app.devices import Devices
from counter_app.installation import seal_rows_written_before_keys
from counter_app.keystore import Keys, bind_keys
from db.base import Base
from db.models import Account, Building, Campus, LedgerEntry, Room, Shift, Workstation
from db.session import unit_of_work

OPENED = datetime(2025, 9, 1, 17, 0, tzinfo=BUSINESS_TZ)  # a Monday evening shift


@contextmanager
def work(engine: Engine, keys: Keys) -> Iterator[Session]:
    with unit_of_work(engine) as session:
        bind_keys(session, keys)
        seal_rows_written_before_keys(session)  # as `counter-admin init` does (the card classes)
        yield session


@dataclass(frozen=True)
class World:
    engine: Engine
    keys: Keys
    clock: FixedClock
    people: People
    workstation_id: int
    dorm_account: int
    staff_account: int
    campus_id: int

    def ctx(self, operator_id: int) -> OpContext:
        """The context the settlement services take: `operator_id` logged in at W01, this clock."""
        station = WorkstationRef(
            id=self.workstation_id, code="W01", campus_id=self.campus_id, simulated=False
        )
        operator = AuthenticatedOperator(id=operator_id, name="", display_name="", roles=frozenset())
        return OpContext(engine=self.engine, keys=self.keys, clock=self.clock, station=station,
                         devices=Devices(), dev_database=True, operator=operator)  # fmt: skip


@pytest.fixture
def world(db_engine: Engine) -> World:
    import argon2

    # The settlement tables are new: until the migration is regenerated, create what is missing.
    Base.metadata.create_all(db_engine, checkfirst=True)
    keys, clock = Keys.generate(), FixedClock(OPENED)
    hasher = argon2.PasswordHasher.from_parameters(argon2.profiles.CHEAPEST)
    with work(db_engine, keys) as s:
        people = make_people(s, clock=clock, hasher=hasher)
        campus = Campus(code="main", name="主校区")
        s.add(campus)
        s.flush()
        building = Building(campus_id=campus.id, code="5", name="5号楼")
        ws = Workstation(code="W01", campus_id=campus.id, created_at=OPENED)
        s.add_all([building, ws])
        s.flush()
        dorm = _account(s, campus.id, building.id, "5-308", "A0001", "dorm", "M1")
        staff = _account(s, campus.id, building.id, "5-101", "A0002", "staff", "M2")
        return World(db_engine, keys, clock, people, ws.id, dorm, staff, campus.id)


def _account(s: Session, campus_id: int, building_id: int, code: str, no: str, cls: str, meter: str) -> int:
    room = Room(
        campus_id=campus_id, building_id=building_id, number=code.split("-")[1], room_code=code, beds=4
    )
    s.add(room)
    s.flush()
    account = Account(account_no=no, room_id=room.id, cls=cls, status="active", meter_no=meter,
                      opened_on=date(2024, 9, 1))  # fmt: skip
    s.add(account)
    s.flush()
    return account.id


class ShiftBuilder:
    """Inserts a shift's receipts and ledger rows the way the counter operations will."""

    def __init__(self, s: Session, w: World, *, operator_id: int | None = None, float_fen: int = 20000,
                 opened_at: datetime = OPENED) -> None:  # fmt: skip
        self.s, self.w = s, w
        self.operator_id = operator_id or w.people.cashier
        self.shift = Shift(workstation_id=w.workstation_id, operator_id=self.operator_id,
                           supervisor_id=w.people.supervisor, opened_at=opened_at, float_fen=float_fen, is_open=True)  # fmt: skip
        s.add(self.shift)
        s.flush()
        self.at = opened_at

    def _receipt(self, amount: int, account_id: int | None) -> int:
        from db import numbering

        number = numbering.take_receipt_number(self.s, self.w.workstation_id)
        r = numbering.record_receipt(self.s, number, kind="sale", amount_fen=amount, issued_at=self.at, payload={},
                                     operator_id=self.operator_id, shift_id=self.shift.id, account_id=account_id)  # fmt: skip
        return r.id

    def entry(self, kind: str, fen: int, *, account_id: int | None = None, tender: str | None = "cash",
              charge: str | None = None, energy: int = 0, free: int = 0, reference: str | None = None,
              reason: str | None = None, corrects: int | None = None, receipt: bool = True, minutes: int = 10,
              operator_id: int | None = None, data: dict | None = None) -> LedgerEntry:  # fmt: skip
        from datetime import timedelta

        self.at = self.at + timedelta(minutes=minutes)
        receipt_id = self._receipt(max(fen, 0), account_id) if receipt else None
        e = LedgerEntry(kind=kind, charge=charge, account_id=account_id, fen=fen, energy_ckwh=energy, free_ckwh=free,
                        price_e4=5000 if kind in ("sale", "correction", "void") else None, tender=tender,
                        reference=reference, operator_id=operator_id or self.operator_id, shift_id=self.shift.id,
                        workstation_id=self.w.workstation_id, at=self.at, corrects_entry_id=corrects,
                        receipt_id=receipt_id, reason=reason, data=data)  # fmt: skip
        self.s.add(e)
        self.s.flush()
        return e


def standard_shift(w: World) -> int:
    """A shift with every kind of line; expected cash = 20000 + 5000 + 3000 + 2000 − 2000 + 1000 + 800
    = 29800 fen (the wechat sale and the refund raised do not touch the drawer)."""
    with work(w.engine, w.keys) as s:
        b = ShiftBuilder(s, w)
        b.entry("sale", 5000, account_id=w.dorm_account, charge="electricity", energy=10000, free=1000,
                data={"batch_id": 7})  # fmt: skip
        b.entry("sale", 10000, account_id=w.staff_account, charge="electricity", energy=20000, tender="wechat",
                reference="WX123")  # fmt: skip
        b.entry("bill_payment", 3000, charge="repair", reference="WX-N1", tender="cash")
        wrong = b.entry("sale", 2000, account_id=w.dorm_account, charge="electricity", energy=4000)
        b.entry("void", -2000, account_id=w.dorm_account, charge="electricity", energy=-4000, corrects=wrong.id,
                reason="金额输错", receipt=False)  # fmt: skip
        b.entry("refund_raised", -1500, account_id=w.dorm_account, charge="electricity", tender=None,
                reference="TF-0001", reason="毕业退电", receipt=False)  # fmt: skip
        b.entry("fee_payment", 1000, account_id=w.staff_account, charge="card_fee")
        b.entry("suspense", 800, account_id=w.staff_account, charge="electricity", reason="顾客离开",
                receipt=False, data={"intent_id": "intent-x"})  # fmt: skip
        return b.shift.id


EXPECTED_CASH = 29800
