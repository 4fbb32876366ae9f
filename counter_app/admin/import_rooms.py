"""New rooms and accounts of a yearly file (docs/imports.md "Chunks"), one chunk at a time, for
`accounts_import.apply_accounts_import`: what the database holds (campuses, buildings, units, room
codes, account numbers) is read once, before the first chunk; each chunk checks its own rows again
(a counter may have written meanwhile), then inserts its rooms, accounts and `imported` events
with Core executemany INSERTs of whole rows whose ids were reserved first (db/bulk.py), each sealed
inside its own INSERT and counted (row_seals.insert_sealed), and chains the events from the same
values (audit.record_many with `RowRef.row`): no UPDATE after, nothing read back
(docs/benchmarks.md §5).

Account numbers of new rooms: the scheme of `ops.account_admin.new_account_no` (class letter + "-"
+ room code, `D-5-308`, then `-2`…), the scheme of accounts opened at the counter.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session as DbSession

from base.errors import InputInvalid
from base.vocabulary import CLASS_LETTERS
from counter_app import audit, row_seals
from counter_app.admin.workstations import campus_for
from counter_app.context import OpContext
from counter_app.imports.accounts_file import ImportRow, RoomKey
from counter_app.imports.table import LineError
from counter_app.ops.account_admin import ACCOUNT_NO_MAX
from db import bulk
from db.models import Account, AccountEvent, Room
from db.queries.places import campus_by_name

if TYPE_CHECKING:
    from db.models import Campus


def refuse_lines(errors: Iterable[LineError], what_zh: str, what_en: str) -> None:
    errors = tuple(errors)
    if errors:
        lines = "；".join(e.describe() for e in errors[:20])
        raise InputInvalid(f"{what_zh}有 {len(errors)} 处错误，未写入任何内容：{lines}",
                           detail_en=f"{len(errors)} errors in the {what_en}; nothing written",
                           data={"errors": [e.__dict__ for e in errors]})  # fmt: skip


@dataclass(frozen=True)
class KnownIds:
    """A room the database already holds, and its account that counts (None: none)."""

    room: int
    account: int | None


def room_code_for(row: ImportRow) -> str:
    """As typed at the counter: building (numeric leading zeros dropped) - [unit -] room."""
    building = (row.building.lstrip("0") or "0") if row.building.isdigit() else row.building.upper()
    return "-".join(p for p in (building, row.unit, row.room) if p)


class NewRooms:
    """New rooms and accounts of a yearly file. What the database holds (campuses, buildings,
    units, room codes, account numbers) is read once, before the first chunk; each chunk checks
    its own rows again against the database (a counter may have written meanwhile) and inserts
    its rooms, accounts and events with Core executemany, sealed inside the INSERT, counted and
    chained from the values inserted."""

    def __init__(self, s: DbSession, campuses: Iterable[str]) -> None:
        self.campuses = {name: _campus_ref(campus_by_name(s, name)) for name in sorted(set(campuses))}
        ids = [c.id for c in self.campuses.values() if c is not None]
        self.codes = bulk.room_codes_on(s, ids)
        self.buildings = {key: b.id for key, b in bulk.buildings_on(s, ids).items()}
        self.units = {key: u.id for key, u in bulk.units_on(s, ids).items()}
        self.account_nos = bulk.account_numbers(s)
        self._chunk_nos: set[str] = set()

    def check_codes(self, rows: Iterable[ImportRow], known: Mapping[RoomKey, object]) -> list[LineError]:
        """Two different places (`05` and `5`) would get one room code: refused, named."""
        errors: list[LineError] = []
        seen: dict[tuple[str, str], int] = {}
        for row in rows:
            if row.key in known:
                continue
            code = (row.campus, room_code_for(row))
            campus = self.campuses.get(row.campus)
            if (campus is not None and (campus.id, code[1]) in self.codes) or code in seen:
                errors.append(_code_clash(row.line, code[1]))
            seen[code] = row.line
        return errors

    def add_new(self, ctx: OpContext, s: DbSession, rows: Sequence[ImportRow], ids: Mapping[RoomKey, KnownIds],
                approval_id: int) -> list[str]:  # fmt: skip
        """This chunk's new rooms (or the known room without an account), their accounts (active)
        and `imported` events, chained; the account numbers."""
        if not rows:
            return []
        self._chunk_nos = set()
        refuse_lines(self._written_meanwhile(s, rows, ids), "导入文件", "import file")
        rooms = self._rooms(ctx, s, rows, ids)
        numbers = self._numbers(s, rows, rooms)
        today = ctx.today()
        accounts = [bulk.complete_row(Account.__table__, {
            "account_no": no, "room_id": room_id, "cls": row.cls, "status": "active",
            "holder": row.holder or None, "phone": row.phone or None, "meter_no": row.meter_no,
            "purchase_counter": 0, "beds": row.beds, "occupants_undergrad": row.occupants.undergrad,
            "occupants_master": row.occupants.master, "occupants_phd": row.occupants.phd, "opened_on": today,
        }) for row, (room_id, _), no in zip(rows, rooms, numbers, strict=True)]  # fmt: skip
        bulk.reserve_ids(s, Account, accounts)
        row_seals.insert_sealed(s, Account, accounts)
        operator_id = ctx.operator.id if ctx.operator else None
        events = [bulk.complete_row(AccountEvent.__table__, {
            "account_id": account["id"], "kind": "imported", "at": ctx.now(), "operator_id": operator_id,
            "workstation_id": ctx.workstation_id, "approval_id": approval_id, "reason": None,
            "data": {"line": row.line, "new": True, "room_code": code},
        }) for row, account, (_, code) in zip(rows, accounts, rooms, strict=True)]  # fmt: skip
        bulk.reserve_ids(s, AccountEvent, events)
        bulk.insert_rows(s, AccountEvent, events)
        # The events as written (every column, the id included): their digests are taken from these.
        table = AccountEvent.__table__
        audit.record_many(s, [("account.imported", audit.RowRef(table, event["id"], event), {"account_no": no})
                              for event, no in zip(events, numbers, strict=True)],
                          actor_id=operator_id, workstation=ctx.place, clock=ctx.clock)  # fmt: skip
        return numbers

    def commit_numbers(self) -> None:
        """The chunk committed: its account numbers are taken for the chunks after it."""
        self.account_nos |= self._chunk_nos
        self._chunk_nos = set()

    def _written_meanwhile(self, s: DbSession, rows: Sequence[ImportRow],
                           ids: Mapping[RoomKey, KnownIds]) -> list[LineError]:  # fmt: skip
        """Rows a counter wrote since the plan: a room with this code, a live account on this meter."""
        errors: list[LineError] = []
        fresh = [row for row in rows if row.key not in ids]
        for name, campus in self.campuses.items():
            on_campus = [row for row in fresh if row.campus == name]
            if campus is None or not on_campus:
                continue
            taken = bulk.taken_room_codes(s, campus.id, [room_code_for(row) for row in on_campus])
            errors += [
                _code_clash(row.line, room_code_for(row)) for row in on_campus if room_code_for(row) in taken
            ]
        held = bulk.live_meters(s, [row.meter_no for row in rows])
        errors += [LineError(row.line, "电表号", f"电表号 {row.meter_no} 已被另一账户使用（导入期间新开）",
                             f"meter {row.meter_no} is held by another account (opened during the import)")
                   for row in rows if row.meter_no in held]  # fmt: skip
        return sorted(errors, key=lambda e: e.line)

    def _rooms(self, ctx: OpContext, s: DbSession, rows: Sequence[ImportRow],
               ids: Mapping[RoomKey, KnownIds]) -> list[tuple[int, str]]:  # fmt: skip
        """(room id, room code) per row: new rooms inserted (Core, sealed, counted), a known room
        without an account given the file's beds (ORM: checked and re-sealed)."""
        fresh = [row for row in rows if row.key not in ids]
        new_rooms = [bulk.complete_row(Room.__table__, self._room_values(ctx, s, row)) for row in fresh]
        bulk.reserve_ids(s, Room, new_rooms)
        row_seals.insert_sealed(s, Room, new_rooms)
        known = {
            room.id: room
            for room in bulk.ids_of(s, Room, [ids[row.key].room for row in rows if row.key in ids])
        }
        out: list[tuple[int, str]] = []
        new_values = iter(new_rooms)
        for row in rows:
            if row.key in ids:
                room = known[ids[row.key].room]
                room.beds = row.beds
                out.append((room.id, room.room_code))
            else:
                values = next(new_values)
                out.append((values["id"], values["room_code"]))
        s.flush()
        return out

    def _room_values(self, ctx: OpContext, s: DbSession, row: ImportRow) -> dict[str, Any]:
        campus = self.campuses.get(row.campus)
        if campus is None:
            campus = self.campuses[row.campus] = _campus_ref(campus_for(ctx, s, row.campus))
            assert campus is not None
        building_id = self.buildings.get((campus.id, row.building))
        if building_id is None:
            building_id = bulk.add_building(
                s, campus_id=campus.id, code=row.building, name=f"{row.building}号楼"
            ).id
            self.buildings[(campus.id, row.building)] = building_id
        unit_id = None
        if row.unit:
            unit_id = self.units.get((building_id, row.unit))
            if unit_id is None:
                unit_id = self.units[(building_id, row.unit)] = bulk.add_unit(s, building_id=building_id,
                                                                              code=row.unit).id  # fmt: skip
        return {"campus_id": campus.id, "building_id": building_id, "unit_id": unit_id, "number": row.room,
                "room_code": room_code_for(row), "beds": row.beds, "area_dm2": None}  # fmt: skip

    def _numbers(
        self, s: DbSession, rows: Sequence[ImportRow], rooms: Sequence[tuple[int, str]]
    ) -> list[str]:
        """`new_account_no` (class letter + room code, `-2`… when taken) against the numbers read at
        the start, those of earlier chunks and of this one; numbers a counter took meanwhile are
        read back and skipped."""
        while True:
            chosen: set[str] = set()
            numbers = [
                self._account_no(row.cls, code, chosen) for row, (_, code) in zip(rows, rooms, strict=True)
            ]
            taken = bulk.taken_account_numbers(s, numbers)
            if not taken:
                self._chunk_nos = chosen
                return numbers
            self.account_nos |= taken

    def _account_no(self, cls: str, code: str, chosen: set[str]) -> str:
        base = f"{CLASS_LETTERS[cls]}-{code}"
        for candidate in (base if n == 1 else f"{base}-{n}" for n in range(1, 100)):  # lazily: 1 try usually
            if (
                len(candidate) <= ACCOUNT_NO_MAX
                and candidate not in self.account_nos
                and candidate not in chosen
            ):
                chosen.add(candidate)
                return candidate
        raise InputInvalid(
            f"账号 {base} 及其 -2…-99 均已被占用", detail_en=f"account numbers {base}, -2…-99 all taken"
        )


@dataclass(frozen=True)
class _CampusRef:
    id: int


def _campus_ref(campus: Campus | None) -> _CampusRef | None:
    return _CampusRef(campus.id) if campus is not None else None


def _code_clash(line: int, code: str) -> LineError:
    return LineError(
        line, "房间", f"房间号 {code} 与另一房间重复", f"room code {code} clashes with another room"
    )
