"""The demo database behind `counter-app --demo` (README "Demo accounts").

    db_url, keystore, sim_dir = prepare_demo()      # creates it once, then reuses it

A development SQLite database with a development key file, in the per-user data folder
(`platformdirs.user_data_dir("counter")/demo`): 2 campuses, 20 buildings, 2,000 dorm rooms with
beds and occupants, 200 staff households, 50 businesses; tariffs and fees with their basis
documents; the people of README.md (password `demo1234`); workstation W01 (simulated) on the
first campus. Meters appear in the simulator when a card is first issued for them.

Built in a side file and renamed into place when complete, so an interrupted build is never
reused; rows go in with bulk inserts in one transaction (a few seconds). Tariffs and fees are
audited rows and go in through the audit chain like any other.
"""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from base.clock import BUSINESS_TZ, Clock, business_date, system_clock
from base.vocabulary import CLASS_LETTERS
from counter_app import audit, row_seals
from counter_app.auth import create_operator
from counter_app.installation import initialise, load_keys
from counter_app.keystore import bind_keys
from counter_app.roles import appoint_supervisor, grant_role
from db.engine import make_engine, sqlite_url_for
from db.models import Account, Building, Campus, Fee, Room, Tariff, Workstation
from db.models.security import Operator
from db.session import unit_of_work

PASSWORD = "demo1234"
WORKSTATION = "DEMO"  # who set the demo up: not a counter
DB_FILE, KEY_FILE, SIM_DIR = "demo.db", "demo-keys.json", "sim"
CAMPUSES = (("E", "东校区"), ("W", "西校区"))
PEOPLE = (("zhang", "张敏", "cashier"), ("li", "李强", "cashier"), ("wang", "王芳", "assistant"),
          ("qian", "钱进", "finance"))  # fmt: skip
FIRST_PEOPLE = {"admin": "孙磊", "zhao": "赵刚"}  # the administrator and the head: their real names
TARIFFS = {"dorm": 5883, "staff": 5383, "business": 8000}  # price_e4: 0.5883 元/kWh …
BASIS = "校发〔2025〕12号"
FEES = {"card": 0, "heating_rate_per_m2": 2800}  # fen; 补卡 free by default (DOMAIN)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
SHOPS = ("校园超市", "教育超市", "水果店", "打印店", "理发店", "咖啡馆", "面包房", "快递站", "书店", "眼镜店")


def demo_dir(base_dir: str | os.PathLike[str] | None = None) -> Path:
    if base_dir is not None:
        return Path(base_dir)
    return Path(platformdirs.user_data_dir("counter", appauthor=False)) / "demo"


def prepare_demo(base_dir: str | os.PathLike[str] | None = None) -> tuple[str, str, str]:
    """(db_url, keystore spec, simulator folder) of the demo; built when missing."""
    folder = demo_dir(base_dir)
    folder.mkdir(parents=True, exist_ok=True)
    db_path, keystore = folder / DB_FILE, f"file:{folder / KEY_FILE}"
    if not db_path.exists():
        _build(folder, keystore, db_path)
    return sqlite_url_for(db_path), keystore, str(folder / SIM_DIR)


def _build(folder: Path, keystore: str, db_path: Path) -> None:
    building = folder / f"{DB_FILE}.building"
    for stale in (building, Path(f"{building}-wal"), Path(f"{building}-shm")):
        stale.unlink(missing_ok=True)
    engine = make_engine(sqlite_url_for(building), create=True)
    try:
        clock = system_clock
        initialise(engine, keystore_spec=keystore, admin=("admin", PASSWORD), head=("zhao", PASSWORD),
                   dev=True, clock=clock, display_names=FIRST_PEOPLE)  # fmt: skip
        keys, _, _ = load_keys(engine, keystore)
        with unit_of_work(engine) as s:
            bind_keys(s, keys)
            populate(s, clock)
    finally:
        engine.dispose()
    os.replace(building, db_path)


def populate(s: Session, clock: Clock) -> None:
    ids = {name: op_id for name, op_id in s.execute(select(Operator.name, Operator.id)).tuples()}
    _people(s, ids["zhao"], clock)
    _money(s, ids["admin"], clock)
    campus_ids = _campuses(s, clock)
    _accounts(s, campus_ids, business_date(clock()))


def _people(s: Session, head_id: int, clock: Clock) -> None:
    today = business_date(clock())
    for name, display, role in PEOPLE:
        person = create_operator(s, name=name, password=PASSWORD, display_name=display, actor_id=None,
                                 workstation=WORKSTATION, clock=clock)  # fmt: skip
        grant_role(
            s, operator_id=person.id, role=role, granted_by_id=None, workstation=WORKSTATION, clock=clock
        )
        if name == "li":  # 监督人 by appointment of the head, for a year
            appoint_supervisor(s, operator_id=person.id, from_date=today, to_date=today + timedelta(days=365),
                               appointed_by_id=head_id, workstation=WORKSTATION, clock=clock)  # fmt: skip


def _money(s: Session, admin_id: int, clock: Clock) -> None:
    start = datetime(2025, 1, 1, tzinfo=BUSINESS_TZ)
    rows: list[Tariff | Fee] = [Tariff(cls=cls, price_e4=price, effective_from=start, basis=BASIS, set_by=admin_id, created_at=clock())
            for cls, price in TARIFFS.items()]  # fmt: skip
    rows += [Fee(kind=kind, fen=fen, effective_from=start, basis=BASIS, set_by=admin_id, created_at=clock())
             for kind, fen in FEES.items()]  # fmt: skip
    for row in rows:
        s.add(row)
        s.flush()
        audit.record(s, kind=f"{row.__tablename__[:-1]}.set", actor_id=admin_id, workstation=WORKSTATION,
                     subject=row, payload={"basis": BASIS, "demo": True}, clock=clock)  # fmt: skip


def _campuses(s: Session, clock: Clock) -> list[int]:
    ids = []
    for code, name in CAMPUSES:
        campus = Campus(code=code, name=name)
        s.add(campus)
        s.flush()
        ids.append(campus.id)
    s.add(
        Workstation(
            code="W01", campus_id=ids[0], name="东校区营业室 1 号窗口", simulated=True, created_at=clock()
        )
    )
    s.flush()
    return ids


# --- rooms and accounts ----------------------------------------------------------------------------


def _layout() -> Iterator[tuple[int, str, str, list[str]]]:
    """(campus index, building code, class, room numbers): per campus 8 dorm buildings of 5 floors
    × 25 rooms, one staff building of 10 floors × 10 households, one business row of 25 shops.
    Building numbers differ between campuses so room codes (and account numbers) never clash."""
    for c in range(2):
        for b in range(8):
            yield c, str(1 + 8 * c + b), "dorm", [f"{f}{r:02d}" for f in range(1, 6) for r in range(1, 26)]
        yield c, str(21 + c), "staff", [f"{f}{r:02d}" for f in range(1, 11) for r in range(1, 11)]
        yield c, str(31 + c), "business", [f"{r:03d}" for r in range(1, 26)]


def _accounts(s: Session, campus_ids: list[int], today: date) -> None:
    rnd = random.Random(2025)  # the same demo every time it is built
    rooms: list[dict[str, Any]] = []  # (rows for a bulk insert)
    for c, code, cls, numbers in _layout():
        building = Building(campus_id=campus_ids[c], code=code, name=f"{code}号楼")
        s.add(building)
        s.flush()
        for number in numbers:
            beds = rnd.choice((4, 6)) if cls == "dorm" else 0
            rooms.append({"campus_id": campus_ids[c], "building_id": building.id, "number": number,
                          "room_code": f"{code}-{number}", "beds": beds, "cls": cls})  # fmt: skip
    s.execute(insert(Room), [{k: v for k, v in r.items() if k != "cls"} for r in rooms])
    ids = {code: room_id for code, room_id in s.execute(select(Room.room_code, Room.id)).tuples()}
    s.execute(insert(Account), [_account(r, ids[r["room_code"]], rnd, today) for r in rooms])
    row_seals.seal_unsealed(s, Room)  # a bulk insert passes no ORM event
    row_seals.seal_unsealed(s, Account)


def _account(room: dict[str, Any], room_id: int, rnd: random.Random, today: date) -> dict[str, Any]:
    cls, code, beds = room["cls"], room["room_code"], room["beds"]
    occupants = {"undergrad": 0, "master": 0, "phd": 0}
    if cls == "dorm":
        category = "undergrad" if rnd.random() < 0.7 else rnd.choice(("master", "phd"))
        occupants[category] = beds - rnd.choice((0, 0, 0, 1))
    holder = {"dorm": None, "staff": f"{rnd.choice(SURNAMES)}老师",
              "business": f"{rnd.choice(SHOPS)}（{code}）"}[cls]  # fmt: skip
    return {
        "account_no": f"{CLASS_LETTERS[cls]}-{code}", "room_id": room_id, "cls": cls, "status": "active",
        "holder": holder, "phone": f"138{rnd.randrange(10**8):08d}" if holder else None,
        "meter_no": f"M{code.replace('-', '')}", "purchase_counter": 0, "beds": beds,
        "occupants_undergrad": occupants["undergrad"], "occupants_master": occupants["master"],
        "occupants_phd": occupants["phd"], "opened_on": date(today.year if today.month >= 9 else today.year - 1, 9, 1),
        "simulated": True, "version": 1,
    }  # fmt: skip
