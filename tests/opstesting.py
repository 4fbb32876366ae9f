"""A real counter for operation tests: a development SQLite (or PostgreSQL) database made by
`initialise`, a campus with rooms and accounts, tariffs, people, and the facade opened with
simulated devices reached through pyserial (`open_counter(simulate=True)`).

    world = make_world(tmp_path)             # or make_world(tmp_path, db_url=pg_url)
    s = world.login("zhang")                 # cashier; "li" supervisor, "zhao" head, "admin"
    s.open_shift(float_fen=50_000)
    card = world.issue_card("D-5-308")       # a blank card made the account's card, on the reader
    s.top_up(account_no="D-5-308", amount_fen=10_000, tendered_fen=10_000)

Importable from any test folder (`from opstesting import make_world`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import argon2
from sqlalchemy import select

from base.clock import BUSINESS_TZ, FixedClock
from counter_app import audit
from counter_app.approvals import Approval
from counter_app.auth import create_operator
from counter_app.counter import Counter, open_counter
from counter_app.installation import initialise
from counter_app.keystore import bind_keys
from counter_app.roles import appoint_supervisor, grant_role
from db.engine import make_engine, sqlite_url_for
from db.models import Account, Building, Campus, Room, Tariff, Workstation
from db.models.security import Operator
from db.session import unit_of_work

CHEAP = argon2.PasswordHasher.from_parameters(argon2.profiles.CHEAPEST)
PASSWORD = "secret-123"
START = datetime(2026, 11, 23, 9, 0, tzinfo=BUSINESS_TZ)
PRICES = {"dorm": 5_883, "staff": 5_383, "business": 8_000}
PEOPLE = {"zhang": "cashier", "wu": "cashier", "li": "supervisor", "wang": "assistant", "qian": "finance"}
ACCOUNTS = (  # account_no, building, room, class, meter, holder
    ("D-5-308", "5", "308", "dorm", "M5308", None),
    ("D-5-309", "5", "309", "dorm", "M5309", None),
    ("S-12-101", "12", "101", "staff", "M12101", "张老师"),
    ("B-1-001", "1", "001", "business", "M1001", "校园超市"),
)


@dataclass
class World:
    db_url: str
    tmp: Path
    clock: FixedClock
    counter: Counter
    keystore: str
    sessions: dict = field(default_factory=dict)

    @property
    def sim(self):
        return self.counter.sim

    def login(self, name: str):
        return self.counter.login(name, PASSWORD)

    def approval(self, name: str = "li") -> Approval:
        return Approval(name=name, password=PASSWORD)

    def reopen(self, **kwargs) -> Counter:
        """Close and open the counter again (a restart), with the same database, keys and cards."""
        self.counter.close()
        self.counter = open_world_counter(self, **kwargs)
        return self.counter

    def issue_card(self, account_no: str, session=None) -> str:
        """Put a blank card on the reader and make it the account's card (through the facade)."""
        serial = self.sim.new_blank_card()
        self.sim.present_card(serial)
        (session or self.login("zhang")).issue_card(account_no=account_no)
        return serial

    def close(self) -> None:
        self.counter.close()


def set_columns(world: World, model, *where, **values) -> None:
    """Set columns of existing rows as the software writes them (keys bound, through the ORM, so a
    sealed row gets its new seal: counter_app/row_seals.py), for a state no facade call reaches."""
    with unit_of_work(world.counter.engine) as s:
        bind_keys(s, world.counter.keys)
        for row in s.scalars(select(model).where(*where)):
            for name, value in values.items():
                setattr(row, name, value)


def make_world(tmp_path: Path, *, db_url: str | None = None, clock: FixedClock | None = None) -> World:
    clock = clock or FixedClock(START)
    db_url = db_url or sqlite_url_for(tmp_path / "counter.db")
    keystore = f"file:{tmp_path / 'keys.json'}"
    engine = make_engine(db_url, create=True)
    try:
        initialise(engine, keystore_spec=keystore, admin=("admin", PASSWORD), head=("zhao", PASSWORD),
                   dev=True, clock=clock, hasher=CHEAP)  # fmt: skip
        from counter_app.installation import load_keys

        keys, _, _ = load_keys(engine, keystore)
        _populate(engine, keys, clock)
    finally:
        engine.dispose()
    world = World(db_url=db_url, tmp=tmp_path, clock=clock, counter=None, keystore=keystore)  # type: ignore[arg-type]
    world.counter = open_world_counter(world)
    for _, _, _, _, meter, _ in ACCOUNTS:
        if not world.sim.meter_exists(meter):
            world.sim.install_meter(meter)
    return world


def open_world_counter(world: World, **kwargs) -> Counter:
    return open_counter(world.db_url, workstation=kwargs.pop("workstation", "W01"), simulate=True,
                        sim_dir=world.tmp / "sim", clock=world.clock, keystore=world.keystore, hasher=CHEAP,
                        **kwargs)  # fmt: skip


def _populate(engine, keys, clock) -> None:
    with unit_of_work(engine) as s:
        bind_keys(s, keys)
        admin_id = s.scalar(select(Operator.id).where(Operator.name == "admin"))
        head_id = s.scalar(select(Operator.id).where(Operator.name == "zhao"))
        campus = Campus(code="main", name="主校区")
        s.add(campus)
        s.flush()
        for code in ("W01", "W02"):
            s.add(Workstation(code=code, campus_id=campus.id, simulated=True, created_at=clock()))
        _people(s, head_id, clock)
        _tariffs(s, admin_id, clock)
        _accounts(s, campus.id, clock)


def _people(s, head_id: int, clock) -> None:
    for name, role in PEOPLE.items():
        op = create_operator(s, name=name, password=PASSWORD, actor_id=None, workstation="TEST", clock=clock,
                             hasher=CHEAP)  # fmt: skip
        if role == "supervisor":
            grant_role(
                s, operator_id=op.id, role="cashier", granted_by_id=None, workstation="TEST", clock=clock
            )
            appoint_supervisor(s, operator_id=op.id, from_date=date(2026, 1, 1), to_date=date(2027, 12, 31),
                               appointed_by_id=head_id, workstation="TEST", clock=clock)  # fmt: skip
        else:
            grant_role(s, operator_id=op.id, role=role, granted_by_id=None, workstation="TEST", clock=clock)


def _tariffs(s, admin_id: int, clock) -> None:
    for cls, price in PRICES.items():
        tariff = Tariff(cls=cls, price_e4=price, effective_from=datetime(2026, 1, 1, tzinfo=BUSINESS_TZ),
                        basis="校发〔2026〕1号", set_by=admin_id, created_at=clock())  # fmt: skip
        s.add(tariff)
        s.flush()
        audit.record(s, kind="tariff.set", actor_id=admin_id, workstation="TEST", subject=tariff,
                     payload={"cls": cls}, clock=clock)  # fmt: skip


def _accounts(s, campus_id: int, clock) -> None:
    buildings: dict[str, Building] = {}
    for account_no, building, room, cls, meter, holder in ACCOUNTS:
        if building not in buildings:
            buildings[building] = Building(campus_id=campus_id, code=building, name=f"{building}号楼")
            s.add(buildings[building])
            s.flush()
        r = Room(campus_id=campus_id, building_id=buildings[building].id, number=room,
                 room_code=f"{building}-{room}", beds=4 if cls == "dorm" else 0)  # fmt: skip
        s.add(r)
        s.flush()
        s.add(Account(account_no=account_no, room_id=r.id, cls=cls, status="active", holder=holder,
                      meter_no=meter, purchase_counter=0, beds=r.beds,
                      occupants_undergrad=4 if cls == "dorm" else 0, opened_on=date(2025, 9, 1)))  # fmt: skip
    s.flush()


def existing_world(tmp_path: Path, *, db_url: str | None = None, clock: FixedClock | None = None) -> World:
    """Open again the world `make_world(tmp_path)` made (another process, or after a crash)."""
    world = World(db_url=db_url or sqlite_url_for(tmp_path / "counter.db"), tmp=tmp_path,
                  clock=clock or FixedClock(START), counter=None, keystore=f"file:{tmp_path / 'keys.json'}")  # type: ignore[arg-type]  # fmt: skip
    world.counter = open_world_counter(world)
    return world
