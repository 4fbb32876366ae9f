"""Applying the yearly room list (docs/imports.md) to the database: checked whole before anything is
written, co-signed, then written in chunks of one transaction each (all or nothing per chunk, so
other counters keep selling between them), every row sealed and every account event under the
audit chain.

- `existing_rooms(admin, campuses)`: what the database knows of the rooms on the campuses a
  yearly file covers, for `accounts_plan.diff_import`.
- `apply_accounts_import`: the plan is rebuilt (the database may have changed since the preview),
  refused on any conflict or bad line, co-signed with the file's SHA-256 and the plan's counts,
  then applied chunk by chunk, each chunk re-checking its own rows: new rooms and accounts
  (active), field updates, class changes → pending (a closed account stays closed), missing rooms
  only listed. A failure leaves the earlier chunks; the same file run again resumes.

New rooms, their accounts and events are written by counter_app/admin/import_rooms.py; the reads
and inserts are the bulk ones of db/bulk.py.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as DbSession

from base.errors import InputInvalid, UserFacingError
from counter_app import audit
from counter_app.admin.command import required
from counter_app.admin.door import AdminSession
from counter_app.admin.import_rooms import KnownIds, NewRooms, refuse_lines
from counter_app.approvals import Approval
from counter_app.context import OpContext
from counter_app.imports.accounts_file import ImportRow, Occupants, ParsedImport, RoomKey
from counter_app.imports.accounts_plan import ExistingRoom, ImportPlan, RoomUpdate, diff_import, update_for
from counter_app.imports.table import LineError
from counter_app.ops.cards import account_event_row
from db import bulk
from db.models import Account, AccountEvent, Room
from db.queries.places import campus_by_name, campus_names


def file_sha256(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


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

# What one chunk may write in its one transaction (the counters' write lock is held that long):
# new rooms count 1 each (three Core executemany inserts and the seals), updated rooms 5 (they go
# through the ORM: loaded, checked, re-sealed). 1,000 new rooms: ~0.3 s of CPU on the benchmark machine under load.
CHUNK_WEIGHT = 1_000
UPDATE_WEIGHT = 5


@dataclass(frozen=True)
class AccountsImported:
    created: tuple[str, ...]  # account numbers
    updated: int
    pending: tuple[str, ...]
    missing: int
    chunks: int = 1


@dataclass(frozen=True)
class _Chunk:
    updates: tuple[RoomUpdate, ...]
    new: tuple[ImportRow, ...]
    park_meters: bool = False

    @property
    def lines(self) -> tuple[int, int]:
        lines = [u.row.line for u in self.updates] + [r.line for r in self.new]
        return min(lines), max(lines)


@dataclass
class _Progress:
    created: list[str] = field(default_factory=list)
    updated: int = 0
    pending: list[str] = field(default_factory=list)
    chunks: int = 0
    rows: int = 0


def apply_accounts_import(admin: AdminSession, parsed: ParsedImport, path: str, *,
                          approval: Approval | None) -> AccountsImported:  # fmt: skip
    """Plan (read-only, every bad line named, nothing written), co-sign, then write the plan in
    chunks of one transaction each (docs/imports.md "Chunks"): other counters keep selling between
    them. A chunk is all or nothing; a failure leaves the chunks before it committed, and running
    the same file again resumes (what was written is now unchanged, the rest still new)."""
    ctx = admin.ctx
    with ctx.reading() as s:
        ctx.require_role(s, "admin")
        refuse_lines(unknown_campuses(s, parsed.rows), "导入文件", "import file")
        plan, known = plan_for(s, parsed)
        refuse_lines(plan.conflicts, "导入计划", "import plan")
        places = NewRooms(s, (r.campus for r in plan.new))
        refuse_lines(places.check_codes(plan.new, known), "导入文件", "import file")
        ids = {key: KnownIds(k.room.id, k.account.id if k.account else None) for key, k in known.items()}
    chunks = _chunks(plan)
    payload = {"file_sha256": file_sha256(path), "new": len(plan.new), "updated": len(plan.updated),
               "class_changed": len(plan.class_changed), "missing": len(plan.missing)}  # fmt: skip
    with ctx.uow() as s:
        ctx.require_role(s, "admin")
        approval_id = ctx.approve(s, required(approval), kind="accounts.import", payload=payload)
        ctx.audit(s, "accounts.import_started", approval_id=approval_id, chunks=len(chunks), **payload)
    progress = _Progress()
    for chunk in chunks:
        _write_chunk(ctx, chunk, places, ids, approval_id, progress)
    with ctx.uow() as s:
        ctx.audit(s, "accounts.imported", approval_id=approval_id, chunks=len(chunks), **payload)
    return AccountsImported(tuple(progress.created), progress.updated, tuple(progress.pending),
                            len(plan.missing), len(chunks))  # fmt: skip


def _chunks(plan: ImportPlan) -> list[_Chunk]:
    """Every update that moves a meter in the first chunk (meters may swap between rooms: parked
    together, never half-applied; a new room may take a meter one of them frees), then the other
    updates and the new rooms in file order, cut by weight."""
    moving = tuple(u for u in plan.updated if any(c.field == "meter_no" for c in u.changes))
    chunks = [_Chunk(moving, (), park_meters=True)] if moving else []
    rest: list[RoomUpdate | ImportRow] = [u for u in plan.updated if u not in moving] + list(plan.new)
    rest.sort(key=lambda item: item.row.line if isinstance(item, RoomUpdate) else item.line)
    updates: list[RoomUpdate] = []
    new: list[ImportRow] = []
    weight = 0
    for item in rest:
        if isinstance(item, RoomUpdate):
            updates.append(item)
            weight += UPDATE_WEIGHT
        else:
            new.append(item)
            weight += 1
        if weight >= CHUNK_WEIGHT:
            chunks.append(_Chunk(tuple(updates), tuple(new)))
            updates, new, weight = [], [], 0
    if updates or new:
        chunks.append(_Chunk(tuple(updates), tuple(new)))
    return chunks


def _write_chunk(ctx: OpContext, chunk: _Chunk, places: NewRooms, ids: dict[RoomKey, KnownIds],
                 approval_id: int, progress: _Progress) -> None:  # fmt: skip
    """One chunk in one transaction; a refusal names what the chunks before it wrote."""
    try:
        with ctx.uow() as s:
            ctx.require_role(s, "admin")
            events: Events = []
            pending = _update_all(ctx, s, chunk, ids, approval_id, events)
            _chain_events(ctx, s, events)
            created = places.add_new(ctx, s, chunk.new, ids, approval_id)
    except UserFacingError as error:
        raise _with_progress(error, chunk, progress) from error
    except IntegrityError as error:  # a counter wrote a clashing row between the check and the insert
        first, last = chunk.lines
        raise _with_progress(InputInvalid(
            f"第 {first}–{last} 行写入时与数据库中新出现的记录冲突（房间号、账号或电表号），本段未写入",
            detail_en=f"lines {first}-{last} clash with a row written meanwhile (room code, account "
                      "or meter number); this chunk was not written"), chunk, progress) from error  # fmt: skip
    places.commit_numbers()
    progress.created += created
    progress.updated += len(events)
    progress.pending += pending
    progress.chunks += 1
    progress.rows += len(chunk.updates) + len(chunk.new)


def _with_progress(error: UserFacingError, chunk: _Chunk, progress: _Progress) -> UserFacingError:
    """The refusal, saying what earlier chunks already committed and how to resume."""
    if progress.chunks:
        first, _ = chunk.lines
        error.detail = (f"{error.detail or ''}（之前的 {progress.chunks} 段共 {progress.rows} 行已写入并提交，"
                        f"自第 {first} 行起的行未写入；修正后用同一文件重新导入，会从未写入的行继续）")  # fmt: skip
        error.detail_en = (f"{error.detail_en or ''} ({progress.rows} rows in {progress.chunks} earlier chunks "
                           f"were committed; rows from line {first} were not written; import the same file "
                           "again to resume)")  # fmt: skip
        error.data.update(
            committed_rows=progress.rows, committed_chunks=progress.chunks, first_unwritten_line=first
        )
        error.args = (error.message,)
    return error


Events = list[tuple["Account", "AccountEvent"]]


def _chain_events(ctx: OpContext, s: DbSession, events: Events) -> None:
    """Insert the account events in one flush and chain one audit entry over each."""
    if not events:
        return
    bulk.add_all(s, [event for _, event in events])
    items = [
        (f"account.{event.kind}", event, {"account_no": account.account_no}) for account, event in events
    ]
    audit.record_many(s, items, actor_id=ctx.operator.id if ctx.operator else None,
                      workstation=ctx.place, clock=ctx.clock)  # fmt: skip


def _update_all(ctx: OpContext, s: DbSession, chunk: _Chunk, ids: Mapping[RoomKey, KnownIds],
                approval_id: int, events: Events) -> list[str]:  # fmt: skip
    """The chunk's updates, each re-planned against the account as it is now (a counter may have
    changed it since the plan); the account numbers that became pending."""
    if not chunk.updates:
        return []
    accounts = {a.id: a for a in bulk.ids_of(s, Account, [_account_id(ids, u.key) for u in chunk.updates])}
    rooms = {r.id: r for r in bulk.ids_of(s, Room, [ids[u.key].room for u in chunk.updates])}
    todo = []
    for planned in chunk.updates:
        account = accounts[_account_id(ids, planned.key)]
        u = update_for(planned.row, existing_room(account))
        if u is not None:
            todo.append((account, rooms[ids[planned.key].room], u))
    if chunk.park_meters:
        _free_changed_meters(s, [(account, u) for account, _, u in todo])
    return [
        p for p in (_update(ctx, account, room, u, approval_id, events) for account, room, u in todo) if p
    ]


def _account_id(ids: Mapping[RoomKey, KnownIds], key: RoomKey) -> int:
    account_id = ids[key].account
    assert account_id is not None  # an update is planned only for a room with an account
    return account_id


def _free_changed_meters(s: DbSession, updates: Iterable[tuple[Account, RoomUpdate]]) -> None:
    """Meters may move between rooms (even swap) in one file: park each changed meter number on a
    placeholder first, so the one-live-account-per-meter index never sees a half-applied swap."""
    for account, u in updates:
        if any(c.field == "meter_no" for c in u.changes):
            account.meter_no = f"~import-{account.id}"
    s.flush()


_ACCOUNT_FIELDS = {"cls": "cls", "beds": "beds", "undergrad": "occupants_undergrad",
                   "master": "occupants_master", "phd": "occupants_phd", "meter_no": "meter_no",
                   "holder": "holder", "phone": "phone"}  # fmt: skip


def _update(ctx: OpContext, account: Account, room: Room, u: RoomUpdate, approval_id: int,
            events: Events) -> str | None:  # fmt: skip
    """Apply one room's changes (flushed with the events); the account number when it became pending."""
    for change in u.changes:
        setattr(account, _ACCOUNT_FIELDS[change.field], change.new)
    if room.beds != account.beds:
        room.beds = account.beds
    if u.becomes_pending:
        account.status = "pending"
    changes = [{"field": c.field, "old": c.old, "new": c.new} for c in u.changes]
    kind = "class_changed" if u.class_changed else "imported"
    events.append((account, account_event_row(ctx, account, kind, approval_id=approval_id,
                   data={"line": u.row.line, "changes": changes, "pending": u.becomes_pending})))  # fmt: skip
    return account.account_no if u.becomes_pending else None
