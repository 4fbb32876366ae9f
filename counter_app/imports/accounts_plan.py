"""The yearly import as a plan: what the file changes against the rooms already known. Pure.

DOMAIN.md "Yearly import": new rooms are created active; an existing room updates beds and
occupants (and its meter, listed field by field); a changed class makes the account pending until
a supervisor confirms it; rooms missing from the file are listed, never deleted. The database layer
supplies `existing` and applies the plan all-or-nothing under a co-signature:

    plan = diff_import(parsed.rows, existing)       # existing: {RoomKey: ExistingRoom}
    if plan.conflicts: refuse                        # e.g. a meter still held by another room
    for row in plan.new: create room + account (active)
    for u in plan.updated: set each FieldChange; if u.becomes_pending: status = "pending"
    plan.missing: report only
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from base.vocabulary import CLASS_LABELS
from counter_app.imports.accounts_file import OCCUPANT_CATEGORIES, ImportRow, Occupants, RoomKey
from counter_app.imports.table import LineError

FIELD_ZH = {
    "cls": "类别",
    "beds": "床位",
    "undergrad": "本科",
    "master": "研究生",
    "phd": "博士",
    "meter_no": "电表号",
    "holder": "户主",
    "phone": "电话",
}
STATUS_ZH = {"pending": "待确认", "active": "正常", "blocked": "停用", "closed": "已销户"}


@dataclass(frozen=True)
class ExistingRoom:
    """What the database knows of a room and its account. `holder`/`phone` None = not compared;
    `account_no` is carried through for whoever applies the plan."""

    cls: str
    beds: int
    occupants: Occupants
    meter_no: str
    status: str
    holder: str | None = None
    phone: str | None = None
    account_no: str | None = None


@dataclass(frozen=True)
class FieldChange:
    field: str  # "cls", "beds", "undergrad", "master", "phd", "meter_no", "holder", "phone"
    old: int | str
    new: int | str


@dataclass(frozen=True)
class RoomUpdate:
    """An existing room whose line in the file differs. `becomes_pending` when its class changed
    (the tariff must be confirmed by a supervisor before the next sale)."""

    row: ImportRow
    existing: ExistingRoom
    changes: tuple[FieldChange, ...]

    @property
    def key(self) -> RoomKey:
        return self.row.key

    @property
    def class_changed(self) -> bool:
        return any(c.field == "cls" for c in self.changes)

    @property
    def becomes_pending(self) -> bool:
        # A closed account stays closed: reopening is a counter operation, not an import's.
        return self.class_changed and self.existing.status != "closed"


@dataclass(frozen=True)
class MissingRoom:
    key: RoomKey
    existing: ExistingRoom


@dataclass(frozen=True)
class ImportPlan:
    new: tuple[ImportRow, ...]
    updated: tuple[RoomUpdate, ...]
    missing: tuple[MissingRoom, ...]
    unchanged: tuple[RoomKey, ...]
    conflicts: tuple[LineError, ...] = ()

    @property
    def class_changed(self) -> tuple[RoomUpdate, ...]:
        return tuple(u for u in self.updated if u.class_changed)

    @property
    def ok(self) -> bool:
        return not self.conflicts


def diff_import(
    rows: Iterable[ImportRow],
    existing: Mapping[RoomKey, ExistingRoom] | Mapping[tuple[str, str, str, str], ExistingRoom],
) -> ImportPlan:
    """Compare the file's rows with the known rooms. Rooms missing from the file are only looked
    for on the campuses the file covers (one campus's list says nothing about another's), and
    closed accounts are not reported missing."""
    rows = tuple(rows)
    known = {RoomKey(*key): room for key, room in existing.items()}
    new, updated, unchanged = [], [], []
    for row in rows:
        room = known.get(row.key)
        if room is None:
            new.append(row)
            continue
        changes = _changes(row, room)
        if changes:
            updated.append(RoomUpdate(row, room, changes))
        else:
            unchanged.append(row.key)
    in_file = {row.key for row in rows}
    campuses = {row.campus for row in rows}
    missing = [
        MissingRoom(key, room)
        for key, room in sorted(known.items())
        if key not in in_file and key.campus in campuses and room.status != "closed"
    ]
    return ImportPlan(
        tuple(new), tuple(updated), tuple(missing), tuple(unchanged), _meter_conflicts(rows, known)
    )


def update_for(row: ImportRow, room: ExistingRoom) -> RoomUpdate | None:
    """The one room's update as `diff_import` plans it (None: unchanged), against `room` as it is
    now: a chunked import re-plans each chunk's updates inside the chunk's own transaction."""
    changes = _changes(row, room)
    return RoomUpdate(row, room, changes) if changes else None


def _changes(row: ImportRow, room: ExistingRoom) -> tuple[FieldChange, ...]:
    pairs: list[tuple[str, int | str, int | str]] = [
        ("cls", room.cls, row.cls),
        ("beds", room.beds, row.beds),
        *((c, getattr(room.occupants, c), getattr(row.occupants, c)) for c in OCCUPANT_CATEGORIES),
        ("meter_no", room.meter_no, row.meter_no),
    ]
    # Holder and phone only when the database supplied them and the file gives one: an empty
    # cell in a dorm list must not erase a staff household's holder.
    for name in ("holder", "phone"):
        old, new = getattr(room, name), getattr(row, name)
        if old is not None and new:
            pairs.append((name, old, new))
    return tuple(FieldChange(name, old, new) for name, old, new in pairs if old != new)


def _meter_conflicts(
    rows: tuple[ImportRow, ...], known: Mapping[RoomKey, ExistingRoom]
) -> tuple[LineError, ...]:
    """A meter the file gives to one room while another room keeps it after the import (that room
    is missing from the file, or the file leaves it on that meter): one meter, two accounts."""
    final_meter = {key: room.meter_no for key, room in known.items() if room.status != "closed"}
    final_meter.update({row.key: row.meter_no for row in rows})
    holders: dict[str, list[RoomKey]] = {}
    for key, meter in final_meter.items():
        holders.setdefault(meter, []).append(key)
    errors = []
    for row in rows:
        others = [k for k in holders[row.meter_no] if k != row.key]
        if others:
            labels = "、".join(k.label() for k in others)
            errors.append(
                LineError(
                    row.line,
                    "电表号",
                    f"电表号 {row.meter_no} 仍属于 {labels}",
                    f"meter {row.meter_no} still belongs to {', '.join(k.label() for k in others)}",
                )
            )
    return tuple(errors)


def _value_zh(name: str, value: int | str) -> str:
    if name == "cls":
        return CLASS_LABELS.get(str(value), str(value))
    return str(value) if value != "" else "（空）"


def _room_zh(row: ImportRow) -> str:
    occ = row.occupants
    people = (
        f"本科 {occ.undergrad}，研究生 {occ.master}，博士 {occ.phd}"
        if row.cls == "dorm"
        else f"户主 {row.holder}"
    )
    return f"{row.key.label()} {CLASS_LABELS[row.cls]}，床位 {row.beds}，{people}，电表 {row.meter_no}"


def preview_lines(plan: ImportPlan) -> list[str]:
    """The dry-run preview in Chinese: a summary line, then one line per room that changes."""
    lines = [
        f"新增 {len(plan.new)} 间，更新 {len(plan.updated)} 间（其中类别变更 {len(plan.class_changed)} 间，"
        f"账户将转为待确认），无变化 {len(plan.unchanged)} 间，文件中缺少 {len(plan.missing)} 间（保留，不删除）"
    ]
    lines += [f"冲突 第 {e.line} 行：{e.message_zh}" for e in plan.conflicts]
    lines += [f"新增 第 {row.line} 行：{_room_zh(row)}" for row in plan.new]
    for u in plan.updated:
        detail = "；".join(
            f"{FIELD_ZH[c.field]} {_value_zh(c.field, c.old)} → {_value_zh(c.field, c.new)}"
            for c in u.changes
        )
        suffix = "，账户转为待确认" if u.becomes_pending else ""
        lines.append(
            f"{'类别变更' if u.class_changed else '更新'} 第 {u.row.line} 行：{u.key.label()}：{detail}{suffix}"
        )
    lines += [
        f"缺少 {m.key.label()}（{STATUS_ZH.get(m.existing.status, m.existing.status)}），保留不删除"
        for m in plan.missing
    ]
    return lines
