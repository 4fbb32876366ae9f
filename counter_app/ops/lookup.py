"""Looking things up for the account page (docs/api.md "Lookups"): the campus → building → unit →
room tree, a search by room code, holder name or meter number, and who the operator is today.

Plain rows, no quota arithmetic: the tree of a campus has thousands of rooms and a search runs on
every keystroke, so the rows carry only what the list shows; `find_account` gives the full picture
of the one account the cashier picks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session as DbSession

from base.errors import InputInvalid
from counter_app.context import OpContext
from counter_app.ops.area import SessionArea
from counter_app.roles import has_role, roles_of
from counter_app.room_codes import normalise_room_code
from db.models import Account, Building, Campus, Room, Unit
from db.queries.search import accounts_with_holder_containing, accounts_with_prefix

SEARCH_LIMIT = 50


@dataclass(frozen=True)
class RoomRow:
    """One room of the tree, with its live (or latest) account when it has one."""

    campus: str
    building: str
    unit: str | None
    room_code: str
    account_no: str | None
    cls: str | None
    status: str | None


@dataclass(frozen=True)
class AccountRow:
    """A search hit: what the account list shows."""

    account_no: str
    room_code: str | None
    cls: str
    status: str
    holder: str | None
    meter_no: str | None
    card_serial: str | None


# A row of `list_rooms`'s query as SQLAlchemy types it (the outer-joined unit and account columns
# are None for a room without them).
_RoomLine = Row[tuple[str, str, str | None, str, str, str, str, str, str, int]]


def list_rooms(ctx: OpContext) -> list[RoomRow]:
    """Every room of the workstation's campus (room codes are unique per campus), in building and
    room order; a room without an account has `account_no=None`."""
    with ctx.reading() as s:
        ctx.operator_id  # noqa: B018 — logged in; any role may look
        rows = s.execute(
            select(Campus.name, Building.code, Building.name, Unit.code, Room.room_code, Room.number,
                   Account.account_no, Account.cls, Account.status, Account.id)
            .join(Building, Building.id == Room.building_id)
            .join(Campus, Campus.id == Room.campus_id)
            .outerjoin(Unit, Unit.id == Room.unit_id)
            .outerjoin(Account, Account.room_id == Room.id)
            .where(Room.campus_id == ctx.workstation.campus_id)
        ).all()  # fmt: skip
    best: dict[str, _RoomLine] = {}
    for row in rows:  # a room may have a closed account and a newer one: show the live/newest
        current = best.get(row.room_code)
        if current is None or _newer(row, current):
            best[row.room_code] = row
    ordered = sorted(best.values(), key=lambda r: (_natural(r[1]), _natural(r[3] or ""), _natural(r[5])))
    return [
        RoomRow(campus=r[0], building=r[2] or r[1], unit=r[3], room_code=r[4], account_no=r[6], cls=r[7],
                status=r[8])
        for r in ordered
    ]  # fmt: skip


def _newer(row: _RoomLine, current: _RoomLine) -> bool:
    live = row.status not in (None, "closed")
    current_live = current.status not in (None, "closed")
    if live != current_live:
        return live
    return (row.id or 0) > (current.id or 0)


def _natural(text: str) -> tuple[tuple[int, int, str], ...]:
    """'5' < '12' < 'A': digits compare as numbers."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.findall(r"\d+|\D+", text)
    )


def search_accounts(ctx: OpContext, *, text: str) -> list[AccountRow]:
    """Accounts whose room code, account number, meter number or holder name STARTS WITH `text`
    (a typed room code like `05308` is normalised first); holder names of 2+ characters also by
    substring when the prefixes find fewer than 50. At most 50, exact hits first. Room codes of the
    workstation's campus only (that is where a typed room code means something).

    Prefixes, not substrings, because this runs on every keystroke: a prefix is a range on an index
    (docs/benchmarks.md §2), `LIKE '%…%'` reads every account."""
    needle = (text or "").strip()
    if not needle:
        return []
    if len(needle) > 64:
        raise InputInvalid("查询内容太长", detail_en="search text too long", field="text")
    with ctx.reading() as s:
        ctx.operator_id  # noqa: B018
        room = _normalised(ctx, s, needle)
        codes = {needle, needle.upper()}  # account and meter numbers are stored upper case
        found: dict[int, object] = {}
        campus = ctx.workstation.campus_id
        room_codes = codes | {room} if room is not None else codes
        for field, prefixes in (("room_code", room_codes), ("account_no", codes),
                                ("meter_no", codes), ("holder", {needle})):  # fmt: skip
            for row in accounts_with_prefix(s, field, prefixes, campus_id=campus, limit=SEARCH_LIMIT):
                found.setdefault(row.id, row)
        if len(found) < SEARCH_LIMIT and _looks_like_a_name(needle):
            for row in accounts_with_holder_containing(s, needle, campus_id=campus, limit=SEARCH_LIMIT * 2,
                                                       exclude=set(found)):  # fmt: skip
                found[row.id] = row
        hits = [_row(row) for row in found.values()]
    exact = {needle, needle.upper(), room} - {None}
    hits.sort(key=lambda r: (not ({r.room_code, r.account_no, r.meter_no, r.holder} & exact), r.status == "closed",
                             _natural(r.room_code or "")))  # fmt: skip
    return hits[:SEARCH_LIMIT]


def _looks_like_a_name(text: str) -> bool:
    """Names have no digits: room codes, account and meter numbers do, and never need the scan."""
    return len(text) >= 2 and not any(c.isdigit() for c in text)


def _row(row: Any) -> AccountRow:  # (a row of db.queries.search: the query's edge)
    return AccountRow(
        row.account_no, row.room_code, row.cls, row.status, row.holder, row.meter_no, row.card_serial
    )


def _normalised(ctx: OpContext, s: DbSession, text: str) -> str | None:
    try:
        return normalise_room_code(text, ctx.setting(s, "room_code_pattern"))
    except InputInvalid:
        return None


def roles_today(ctx: OpContext) -> frozenset[str]:
    """Standing roles plus `supervisor` while a 监督人 appointment covers today (`Session.roles`
    lists standing roles only)."""
    with ctx.reading() as s:
        roles = set(roles_of(s, ctx.operator_id))
        if has_role(s, ctx.operator_id, "supervisor", on=ctx.today()):
            roles.add("supervisor")
    return frozenset(roles)


class LookupOps(SessionArea):
    """Facade mixin (counter_app/session.py)."""

    def list_rooms(self) -> list[RoomRow]:
        return list_rooms(self.ctx)

    def search_accounts(self, text: str) -> list[AccountRow]:
        return search_accounts(self.ctx, text=text)

    def roles_today(self) -> frozenset[str]:
        return roles_today(self.ctx)
