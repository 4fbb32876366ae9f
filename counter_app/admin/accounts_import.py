"""Applying the yearly room list (docs/imports.md) to the database: all-or-nothing, co-signed,
every account event under the audit chain.

- `existing_rooms(admin, campuses)`: what the database knows of the rooms on the campuses a
  yearly file covers, for `accounts_plan.diff_import`.
- `apply_accounts_import`: the plan is rebuilt inside the writing transaction (the database may
  have changed since the preview), refused on any conflict or bad line, co-signed with the file's
  SHA-256 and the plan's counts, then applied: new rooms and accounts (active), field updates,
  class changes → pending (a closed account stays closed), missing rooms only listed.

Account numbers of new rooms: `ops.account_admin.new_account_no` (class letter + "-" + room code,
`D-5-308`), the scheme of accounts opened at the counter. The reads and inserts are the bulk ones
of db/bulk.py.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session as DbSession

from base.errors import InputInvalid
from base.vocabulary import CLASS_LETTERS
from counter_app import audit
from counter_app.admin.command import required
from counter_app.admin.door import AdminSession
from counter_app.admin.workstations import campus_for
from counter_app.approvals import Approval
from counter_app.context import OpContext
from counter_app.imports.accounts_file import ImportRow, Occupants, ParsedImport, RoomKey
from counter_app.imports.accounts_plan import ExistingRoom, ImportPlan, RoomUpdate, diff_import
from counter_app.imports.table import LineError
from counter_app.ops.account_admin import ACCOUNT_NO_MAX, new_account_no
from counter_app.ops.cards import account_event_row
from db import bulk
from db.queries.places import campus_by_name, campus_names

if TYPE_CHECKING:
    from db.models import Account, AccountEvent, Room


def file_sha256(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def refuse_lines(errors: Iterable[LineError], what_zh: str, what_en: str) -> None:
    errors = tuple(errors)
    if errors:
        lines = "；".join(e.describe() for e in errors[:20])
        raise InputInvalid(f"{what_zh}有 {len(errors)} 处错误，未写入任何内容：{lines}",
                           detail_en=f"{len(errors)} errors in the {what_en}; nothing written",
                           data={"errors": [e.__dict__ for e in errors]})  # fmt: skip


# --- what the database knows -------------------------------------------------------------------------


@dataclass(frozen=True)
class KnownRoom:
    room: Room
    account: Account | None


def known_rooms(s: DbSession, campuses: Iterable[str]) -> dict[RoomKey, KnownRoom]:
    """Rooms on these campuses (named as the file names them) with the account that counts: the
    live one, else the latest closed one, else none."""
    known: dict[RoomKey, KnownRoom] = {}
    for name in sorted(set(campuses)):
        campus = campus_by_name(s, name)
        if campus is None:
            continue
        rooms = {room.id: (room, RoomKey(name, b, u or "", room.number))
                 for room, b, u in bulk.rooms_on_campus(s, campus.id)}  # fmt: skip
        accounts = _counting_accounts(s, rooms)
        for room_id, (room, key) in rooms.items():
            known[key] = KnownRoom(room, accounts.get(room_id))
    return known


def _counting_accounts(s: DbSession, rooms: dict[int, tuple[Room, RoomKey]]) -> dict[int, Account]:
    chosen: dict[int, Account] = {}
    for account in bulk.accounts_of_rooms(s, rooms):
        current = chosen.get(account.room_id)
        if current is None or current.status == "closed":
            chosen[account.room_id] = account
    return chosen


def existing_room(account: Account) -> ExistingRoom:
    return ExistingRoom(
        cls=account.cls, beds=account.beds, occupants=Occupants(account.occupants_undergrad,
        account.occupants_master, account.occupants_phd), meter_no=account.meter_no, status=account.status,
        holder=account.holder, phone=account.phone, account_no=account.account_no,
    )  # fmt: skip


def unknown_campuses(s: DbSession, rows: Iterable[ImportRow]) -> list[LineError]:
    """Every line naming a campus the database does not know. A yearly file never creates a
    campus (a typo like 东区 for 东校区 would silently become a new campus with its own rooms);
    campuses are registered with `workstation add … --campus NAME`."""
    by_name: dict[str, list[int]] = {}
    for row in rows:
        by_name.setdefault(row.campus, []).append(row.line)
    missing = sorted(name for name in by_name if campus_by_name(s, name) is None)
    if not missing:
        return []
    known = "、".join(campus_names(s)) or "（无）"
    return [LineError(line, "校区", f"未登记的校区“{name}”（已登记：{known}；新校区请先用 workstation add … --campus 登记）",
                      f"unknown campus {name!r} (known: {known}; register it with workstation add … --campus)")
            for name in missing for line in by_name[name]]  # fmt: skip


def existing_rooms(admin: AdminSession, campuses: Iterable[str],
                   rows: Iterable[ImportRow] = ()) -> dict[RoomKey, ExistingRoom]:  # fmt: skip
    """For the preview (administrators only): the rooms the database knows on these campuses;
    INPUT_INVALID naming the lines of `rows` whose campus is not registered."""
    ctx = admin.ctx
    with ctx.reading() as s:
        ctx.require_role(s, "admin")
        refuse_lines(unknown_campuses(s, rows), "导入文件", "import file")
        return {key: existing_room(k.account) for key, k in known_rooms(s, campuses).items() if k.account}


def plan_for(s: DbSession, parsed: ParsedImport) -> tuple[ImportPlan, dict[RoomKey, KnownRoom]]:
    known = known_rooms(s, (r.campus for r in parsed.rows))
    existing = {key: existing_room(k.account) for key, k in known.items() if k.account}
    return diff_import(parsed.rows, existing), known


# --- applying it --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AccountsImported:
    created: tuple[str, ...]  # account numbers
    updated: int
    pending: tuple[str, ...]
    missing: int


def apply_accounts_import(admin: AdminSession, parsed: ParsedImport, path: str, *,
                          approval: Approval | None) -> AccountsImported:  # fmt: skip
    """One transaction (all or nothing), kept short: the database is read once into dicts, rows
    are inserted in bulk and the audit entries appended in one batch (audit.record_many) — per-row
    queries held every counter's write lock for minutes on a 20,000-room file."""
    ctx = admin.ctx
    with ctx.uow() as s:
        ctx.require_role(s, "admin")
        refuse_lines(unknown_campuses(s, parsed.rows), "导入文件", "import file")
        plan, known = plan_for(s, parsed)
        refuse_lines(plan.conflicts, "导入计划", "import plan")
        payload = {"file_sha256": file_sha256(path), "new": len(plan.new), "updated": len(plan.updated),
                   "class_changed": len(plan.class_changed), "missing": len(plan.missing)}  # fmt: skip
        approval_id = ctx.approve(s, required(approval), kind="accounts.import", payload=payload)
        creator = _RoomCreator(ctx, s, (r.campus for r in plan.new))
        refuse_lines(creator.check_codes(plan.new, known), "导入文件", "import file")
        events = creator.create_all(plan.new, known, approval_id)
        _free_changed_meters(s, known, plan.updated)
        pending = [_update(ctx, known[u.key], u, approval_id, events) for u in plan.updated]
        _chain_events(ctx, s, events)
        ctx.audit(s, "accounts.imported", approval_id=approval_id, **payload)
        created = tuple(account.account_no for account, _ in events[: len(plan.new)])
        return AccountsImported(created, len(plan.updated), tuple(p for p in pending if p), len(plan.missing))


Events = list[tuple["Account", "AccountEvent"]]


def _chain_events(ctx: OpContext, s: DbSession, events: Events) -> None:
    """Insert the account events in one flush and chain one audit entry over each."""
    bulk.add_all(s, [event for _, event in events])
    items = [
        (f"account.{event.kind}", event, {"account_no": account.account_no}) for account, event in events
    ]
    audit.record_many(s, items, actor_id=ctx.operator.id if ctx.operator else None,
                      workstation=ctx.place, clock=ctx.clock)  # fmt: skip


def room_code_for(row: ImportRow) -> str:
    """As typed at the counter: building (numeric leading zeros dropped) - [unit -] room."""
    building = (row.building.lstrip("0") or "0") if row.building.isdigit() else row.building.upper()
    return "-".join(p for p in (building, row.unit, row.room) if p)


class _RoomCreator:
    """New rooms and accounts of a yearly file. What the database holds (campuses, buildings,
    units, room codes, account numbers) is read once; the rows are added in bulk."""

    def __init__(self, ctx: OpContext, s: DbSession, campuses: Iterable[str]) -> None:
        self.ctx, self.s = ctx, s
        self.campuses = {name: campus_by_name(s, name) for name in sorted(set(campuses))}
        ids = [c.id for c in self.campuses.values() if c is not None]
        self.codes = bulk.room_codes_on(s, ids)
        self.buildings = bulk.buildings_on(s, ids)
        self.units = bulk.units_on(s, ids)
        self.account_nos = bulk.account_numbers(s)

    def check_codes(self, rows: Iterable[ImportRow], known: dict[RoomKey, KnownRoom]) -> list[LineError]:
        """Two different places (`05` and `5`) would get one room code: refused, named."""
        errors: list[LineError] = []
        seen: dict[tuple[str, str], int] = {}
        for row in rows:
            if row.key in known:
                continue
            code = (row.campus, room_code_for(row))
            campus = self.campuses.get(row.campus)
            if (campus is not None and (campus.id, code[1]) in self.codes) or code in seen:
                errors.append(LineError(row.line, "房间", f"房间号 {code[1]} 与另一房间重复",
                                        f"room code {code[1]} clashes with another room"))  # fmt: skip
            seen[code] = row.line
        return errors

    def create_all(
        self, rows: Sequence[ImportRow], known: dict[RoomKey, KnownRoom], approval_id: int
    ) -> Events:
        """Rooms (one flush), then accounts (one flush); the `imported` events, not yet added."""
        rooms = [known[row.key].room if row.key in known else self._room(row) for row in rows]
        self.s.flush()
        new = []
        for row, room in zip(rows, rooms, strict=True):
            room.beds = row.beds
            new.append(bulk.NewAccount(
                account_no=self._account_no(row.cls, room.room_code), room_id=room.id, cls=row.cls,
                status="active", holder=row.holder or None, phone=row.phone or None, meter_no=row.meter_no,
                beds=row.beds, undergrad=row.occupants.undergrad, master=row.occupants.master,
                phd=row.occupants.phd, opened_on=self.ctx.today(),
            ))  # fmt: skip
        accounts = bulk.add_accounts(self.s, new)
        return [(account, account_event_row(self.ctx, account, "imported", approval_id=approval_id,
                                            data={"line": row.line, "new": True, "room_code": room.room_code}))
                for row, room, account in zip(rows, rooms, accounts, strict=True)]  # fmt: skip

    def _account_no(self, cls: str, code: str) -> str:
        """`new_account_no` against the numbers read at the start and those given in this file."""
        base = f"{CLASS_LETTERS[cls]}-{code}"
        for candidate in [base] + [f"{base}-{n}" for n in range(2, 100)]:
            if len(candidate) <= ACCOUNT_NO_MAX and candidate not in self.account_nos:
                break
        else:  # rare: its own numbering, which reads the database, so what we hold goes in first
            self.s.flush()
            candidate = new_account_no(self.s, cls, code)
        self.account_nos.add(candidate)
        return candidate

    def _room(self, row: ImportRow) -> Room:
        campus = self.campuses.get(row.campus)
        if campus is None:
            campus = self.campuses[row.campus] = campus_for(self.ctx, self.s, row.campus)
        building = self.buildings.get((campus.id, row.building))
        if building is None:
            building = bulk.add_building(
                self.s, campus_id=campus.id, code=row.building, name=f"{row.building}号楼"
            )
            self.buildings[(campus.id, row.building)] = building
        unit = None
        if row.unit:
            unit = self.units.get((building.id, row.unit))
            if unit is None:
                unit = self.units[(building.id, row.unit)] = bulk.add_unit(self.s, building_id=building.id,
                                                                          code=row.unit)  # fmt: skip
        return bulk.add_room(self.s, campus_id=campus.id, building_id=building.id,
                             unit_id=unit.id if unit else None, number=row.room, room_code=room_code_for(row),
                             beds=row.beds)  # fmt: skip


def _free_changed_meters(
    s: DbSession, known: dict[RoomKey, KnownRoom], updates: Iterable[RoomUpdate]
) -> None:
    """Meters may move between rooms (even swap) in one file: park each changed meter number on a
    placeholder first, so the one-live-account-per-meter index never sees a half-applied swap."""
    for u in updates:
        if any(c.field == "meter_no" for c in u.changes):
            account = known[u.key].account
            assert account is not None  # an update is planned only for a room with an account
            account.meter_no = f"~import-{account.id}"
    s.flush()


_ACCOUNT_FIELDS = {"cls": "cls", "beds": "beds", "undergrad": "occupants_undergrad",
                   "master": "occupants_master", "phd": "occupants_phd", "meter_no": "meter_no",
                   "holder": "holder", "phone": "phone"}  # fmt: skip


def _update(ctx: OpContext, known: KnownRoom, u: RoomUpdate, approval_id: int, events: Events) -> str | None:
    """Apply one room's changes (flushed with the events); the account number when it became pending."""
    account = known.account
    assert account is not None  # an update is planned only for a room with an account
    for change in u.changes:
        setattr(account, _ACCOUNT_FIELDS[change.field], change.new)
    known.room.beds = account.beds
    if u.becomes_pending:
        account.status = "pending"
    changes = [{"field": c.field, "old": c.old, "new": c.new} for c in u.changes]
    kind = "class_changed" if u.class_changed else "imported"
    events.append((account, account_event_row(ctx, account, kind, approval_id=approval_id,
                   data={"line": u.row.line, "changes": changes, "pending": u.becomes_pending})))  # fmt: skip
    return account.account_no if u.becomes_pending else None
