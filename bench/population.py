"""Bulk data for the benchmarks: tens of thousands of rooms and accounts, millions of ledger rows,
written with Core bulk inserts (not the facade: the point is the size, not how it got there).

Ledger rows inserted here have no audit entries, so `audit verify` flags them: these databases
are for timing reads and reports only, never for the reliability scripts.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from sqlalchemy import Engine, insert, select

from base.clock import BUSINESS_TZ
from counter_app import row_seals
from counter_app.keystore import Keys, bind_keys
from db.models import Account, Building, Campus, LedgerEntry, Room
from db.session import unit_of_work

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英"


def add_accounts(
    engine: Engine, n: int, *, keys: Keys, campus: str = "main", rooms_per_building: int = 640
) -> list[str]:
    """`n` rooms with a live account each on `campus`, in buildings "20", "21" … (two digits, the
    default room-code pattern; the test world uses 1, 5 and 12); returns the room codes ("20-1201").
    One in five is a staff account with a holder name (the rest dorm rooms). The accounts are
    sealed with `keys` (counter_app/row_seals.py: an unsealed account is refused at use)."""
    rng = random.Random(7)
    codes: list[str] = []
    with unit_of_work(engine) as s:
        bind_keys(s, keys)
        campus_id = s.scalar(select(Campus.id).where(Campus.code == campus))
        buildings = (n + rooms_per_building - 1) // rooms_per_building
        for b in range(20, 20 + buildings):
            building_id = s.execute(insert(Building).values(campus_id=campus_id, code=f"{b}", name=f"{b}号楼")
                                    .returning(Building.id)).scalar_one()  # fmt: skip
            count = min(rooms_per_building, n - len(codes))
            numbers = [f"{1 + i // 40}{i % 40 + 1:02d}" for i in range(count)]
            room_rows = [{"campus_id": campus_id, "building_id": building_id, "number": num,
                          "room_code": f"{b}-{num}", "beds": 4} for num in numbers]  # fmt: skip
            s.execute(insert(Room), room_rows)
            ids = dict(
                s.execute(select(Room.room_code, Room.id).where(Room.building_id == building_id))
                .tuples()
                .all()
            )
            account_rows = []
            for num in numbers:
                code = f"{b}-{num}"
                staff = rng.random() < 0.2
                account_rows.append({
                    "account_no": f"{'S' if staff else 'D'}-{b}-{num}", "room_id": ids[code],
                    "cls": "staff" if staff else "dorm", "status": "active",
                    "holder": (rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)) if staff else None,
                    "meter_no": f"M{b}{num}", "purchase_counter": 0, "beds": 0 if staff else 4,
                    "occupants_undergrad": 0 if staff else 4, "opened_on": date(2025, 9, 1), "version": 1,
                })  # fmt: skip
            s.execute(insert(Account), account_rows)
            codes += [f"{b}-{num}" for num in numbers]
        for model in (Building, Room, Account):  # bulk inserts pass no ORM event: sealed (and counted) here
            row_seals.seal_unsealed(s, model)
    return codes


def add_ledger(engine: Engine, n: int, *, start: datetime, end: datetime, batch: int = 20_000,
               shift_id: int | None = None, workstation_id: int | None = None) -> None:  # fmt: skip
    """`n` sale rows spread evenly over [start, end) on the accounts that exist."""
    from db.models import Workstation

    with unit_of_work(engine, read_only=True) as s:
        accounts = list(s.scalars(select(Account.id)))
        operator_id = s.scalar(select(_operator_id_column()))
        workstation_id = workstation_id or s.scalar(select(Workstation.id).limit(1))
    template = _ledger_template(operator_id, workstation_id, shift_id)
    if engine.dialect.name == "sqlite" and n >= 1_000_000 and _contiguous(accounts):
        _add_ledger_in_sql(engine, n, template, accounts, start=start, end=end)
        return
    step = (end - start) / max(n, 1)
    rng = random.Random(11)
    done = 0
    while done < n:
        rows = []
        for i in range(done, min(n, done + batch)):
            fen = rng.choice((1_000, 2_000, 3_000, 5_000, 10_000))
            rows.append({**template, "account_id": accounts[i % len(accounts)], "fen": fen,
                         "energy_ckwh": fen * 10_000 // 5_883, "at": start + step * i})  # fmt: skip
        with unit_of_work(engine) as s:
            s.execute(insert(LedgerEntry), rows)
        done += len(rows)


def _contiguous(ids: list[int]) -> bool:
    return bool(ids) and max(ids) - min(ids) + 1 == len(ids)


def _add_ledger_in_sql(engine: Engine, n: int, template: dict, accounts: list[int], *, start: datetime,
                       end: datetime) -> None:  # fmt: skip
    """The same kind of rows generated inside SQLite (a recursive CTE, one INSERT … SELECT per
    million): millions of rows through Python dicts took 14 minutes for 5,000,000 (most of it
    SQLAlchemy's per-row parameter processing), which kept the large report from being measured.
    Times are whole seconds apart, stored in the form SQLAlchemy writes SQLite datetimes
    (`YYYY-MM-DD HH:MM:SS.ffffff`, UTC); amounts cycle through the same five prices."""
    import json

    step_s = max(1, int((end - start).total_seconds()) // max(n, 1))
    start_epoch = int(start.timestamp())
    # The columns a Core insert would fill from their Python-side scalar defaults (simulated, …).
    defaults = {c.name: c.default.arg for c in LedgerEntry.__table__.columns
                if c.default is not None and c.default.is_scalar and c.name not in template}  # fmt: skip
    template = {**template, **defaults}
    columns = [*template, "account_id", "fen", "energy_ckwh", "at"]
    fixed = [json.dumps(v) if isinstance(v, dict) else v for v in template.values()]
    placeholders = ", ".join("?" for _ in template)
    fen = "(CASE (i * 7919) % 5 WHEN 0 THEN 1000 WHEN 1 THEN 2000 WHEN 2 THEN 3000 WHEN 3 THEN 5000 ELSE 10000 END)"
    sql = (
        f"WITH RECURSIVE seq(i) AS (SELECT ? UNION ALL SELECT i + 1 FROM seq WHERE i + 1 < ?) "
        f"INSERT INTO ledger_entries ({', '.join(columns)}) "
        f"SELECT {placeholders}, ? + i % ?, {fen}, {fen} * 10000 / 5883, "
        f"datetime(? + i * ?, 'unixepoch') || '.000000' FROM seq"
    )
    raw = engine.raw_connection()
    try:
        for first in range(0, n, 1_000_000):
            last = min(n, first + 1_000_000)
            raw.cursor().execute(sql, (first, last, *fixed, min(accounts), len(accounts), start_epoch, step_s))
            raw.commit()
    finally:
        raw.close()


def _operator_id_column():
    from db.models.security import Operator

    return Operator.id


def _ledger_template(operator_id: int, workstation_id: int, shift_id: int | None) -> dict:
    """A sale row with every NOT NULL column of ledger_entries filled (read from the table)."""
    row = {"kind": "sale", "tender": "cash", "free_ckwh": 0, "operator_id": operator_id,
           "workstation_id": workstation_id, "shift_id": shift_id, "charge": "electricity",
           "price_e4": 5_883, "data": {}}  # fmt: skip
    columns = LedgerEntry.__table__.columns
    return {k: v for k, v in row.items() if k in columns}


def ten_years_before(end: datetime) -> datetime:
    return end - timedelta(days=3650)


def business(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, tzinfo=BUSINESS_TZ)
