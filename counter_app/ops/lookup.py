"""Looking things up for the account page (docs/api.md "Lookups"): the campus → building → unit →
room tree, a search by room code, holder name or meter number, and who the operator is today.

Plain rows, no quota arithmetic: the tree of a campus has thousands of rooms and a search runs on
every keystroke, so the rows carry only what the list shows; `find_account` gives the full picture
of the one account the cashier picks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import and_, select

from base.errors import InputInvalid
from counter_app.context import OpContext
from counter_app.ops.area import SessionArea
from counter_app.roles import has_role, roles_of
from counter_app.room_codes import normalise_room_code
from db.models import Account, Building, Campus, Room, Unit

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
    best: dict[str, tuple] = {}
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


def _newer(row, current) -> bool:
    live = row.status not in (None, "closed")
    current_live = current.status not in (None, "closed")
    if live != current_live:
        return live
    return (row.id or 0) > (current.id or 0)


def _natural(text: str) -> tuple:
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
        for column, prefixes in ((Room.room_code, codes | {room} - {None}), (Account.account_no, codes),
                                 (Account.meter_no, codes), (Account.holder, {needle})):  # fmt: skip
            for row in _matching(ctx, s, column, prefixes):
                found.setdefault(row.id, row)
        if len(found) < SEARCH_LIMIT and _looks_like_a_name(needle):
            for row in _holder_contains(ctx, s, needle, exclude=set(found)):
                found[row.id] = row
        hits = [_row(row) for row in found.values()]
    exact = {needle, needle.upper(), room} - {None}
    hits.sort(key=lambda r: (not ({r.room_code, r.account_no, r.meter_no, r.holder} & exact), r.status == "closed",
                             _natural(r.room_code or "")))  # fmt: skip
    return hits[:SEARCH_LIMIT]


def _matching(ctx: OpContext, s, column, prefixes: set[str]) -> list:
    """Up to SEARCH_LIMIT accounts per prefix whose `column` starts with it, in column order (so an
    exact hit, the smallest key of its range, is never cut off by the limit). One query per prefix:
    an OR of ranges would collect every match before sorting ('D' is every dorm account)."""
    dialect = s.get_bind().dialect.name
    campus = ctx.workstation.campus_id
    # `+ 0` keeps SQLite (no statistics) from walking every room of the campus by its index and
    # sorting: for the account columns the range on the account index is the selective part.
    in_campus = Room.campus_id == campus if column is Room.room_code else Room.campus_id + 0 == campus
    rows: list = []
    for prefix in sorted(prefixes):
        rows += s.execute(
            _listed()
            .where(in_campus, _starts_with(column, prefix, dialect))
            .order_by(column)
            .limit(SEARCH_LIMIT)
        ).all()
    return rows


def _starts_with(column, prefix: str, dialect: str):
    """An index range on both databases. PostgreSQL: LIKE 'p%' on a varchar_pattern_ops index
    (a plain `>=`/`<` range is wrong under a linguistic collation, which ignores '-'). SQLite: the
    range on the BINARY index (its LIKE is case-insensitive and so never uses that index)."""
    if dialect == "postgresql":
        return column.like(_escape(prefix) + "%", escape="\\")
    upper = _successor(prefix)
    return column >= prefix if upper is None else and_(column >= prefix, column < upper)


def _successor(prefix: str) -> str | None:
    """The smallest string greater than every string starting with `prefix` (code point order is
    UTF-8 byte order, SQLite's BINARY collation)."""
    last = ord(prefix[-1]) + 1
    if 0xD800 <= last <= 0xDFFF:  # surrogates cannot be stored: skip them
        last = 0xE000
    return None if last > 0x10FFFF else prefix[:-1] + chr(last)


def _looks_like_a_name(text: str) -> bool:
    """Names have no digits: room codes, account and meter numbers do, and never need the scan."""
    return len(text) >= 2 and not any(c.isdigit() for c in text)


def _holder_contains(ctx: OpContext, s, needle: str, *, exclude: set[int]) -> list:
    """The fallback for a name typed from its middle (`超市` of 校园超市): a scan, so only when the
    prefixes found fewer than the limit. `holder >= ''` skips the accounts without a holder (most
    are dorm rooms) and lets SQLite read the holder index alone (docs/benchmarks.md §2)."""
    named = select(Account.id).where(
        Account.holder >= "", Account.holder.ilike(f"%{_escape(needle)}%", escape="\\")
    )
    query = (
        _listed()
        .where(Room.campus_id == ctx.workstation.campus_id, Account.id.in_(named))
        .order_by(Account.id)
        .limit(SEARCH_LIMIT * 2)
    )
    return [row for row in s.execute(query).all() if row.id not in exclude]


def _listed():
    """The columns of an AccountRow, not whole Account objects: a keystroke loads up to 200 rows."""
    return select(
        Account.id, Account.account_no, Room.room_code, Account.cls, Account.status, Account.holder,
        Account.meter_no, Account.card_serial,
    ).join(Room, Room.id == Account.room_id)  # fmt: skip


def _row(row) -> AccountRow:
    return AccountRow(
        row.account_no, row.room_code, row.cls, row.status, row.holder, row.meter_no, row.card_serial
    )


def _normalised(ctx: OpContext, s, text: str) -> str | None:
    try:
        return normalise_room_code(text, ctx.setting(s, "room_code_pattern"))
    except InputInvalid:
        return None


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


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
