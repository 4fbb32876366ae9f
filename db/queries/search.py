"""The account search of the account page, shaped for the indexes (docs/benchmarks.md §2).

It runs on every keystroke, so it only asks for prefixes, which are ranges on an index: PostgreSQL
reads them through `varchar_pattern_ops` indexes with LIKE 'p%', SQLite through its BINARY indexes
with a `>=`/`<` range. Rows carry the columns of the account list only (`id`, `account_no`,
`room_code`, `cls`, `status`, `holder`, `meter_no`, `card_serial`), not whole Account objects.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, and_, select
from sqlalchemy.orm import Session

from db.models.accounts import Account
from db.models.places import Room

# The columns a search may look at by prefix.
PREFIX_COLUMNS = {
    "room_code": Room.room_code,
    "account_no": Account.account_no,
    "meter_no": Account.meter_no,
    "holder": Account.holder,
}


def accounts_with_prefix(
    session: Session, field: str, prefixes: Iterable[str], *, campus_id: int, limit: int
) -> list[Any]:
    """Up to `limit` accounts of the campus per prefix whose `field` starts with it, in `field` order
    (so an exact hit, the smallest key of its range, is never cut off by the limit). One query per
    prefix: an OR of ranges would collect every match before sorting ('D' is every dorm account)."""
    column = PREFIX_COLUMNS[field]
    dialect = session.get_bind().dialect.name
    # `+ 0` keeps SQLite (no statistics) from walking every room of the campus by its index and
    # sorting: for the account columns the range on the account index is the selective part.
    in_campus = Room.campus_id == campus_id if field == "room_code" else Room.campus_id + 0 == campus_id
    rows: list[Any] = []
    for prefix in sorted(prefixes):
        rows += session.execute(
            _listed()
            .where(in_campus, _starts_with(column, prefix, dialect))
            .order_by(column)
            .limit(limit)
        ).all()
    return rows


def accounts_with_holder_containing(
    session: Session, needle: str, *, campus_id: int, limit: int, exclude: set[int]
) -> list[Any]:
    """Up to `limit` accounts of the campus whose holder name contains `needle`, not in `exclude`:
    a scan, for a name typed from its middle (`超市` of 校园超市). `holder >= ''` skips the accounts
    without a holder (most are dorm rooms) and lets SQLite read the holder index alone."""
    named = select(Account.id).where(
        Account.holder >= "", Account.holder.ilike(f"%{_escape(needle)}%", escape="\\")
    )
    query = (
        _listed()
        .where(Room.campus_id == campus_id, Account.id.in_(named))
        .order_by(Account.id)
        .limit(limit)
    )
    return [row for row in session.execute(query).all() if row.id not in exclude]


def _listed() -> Select[Any]:
    """The columns of a search hit, not whole Account objects: a keystroke loads up to 200 rows."""
    return select(
        Account.id, Account.account_no, Room.room_code, Account.cls, Account.status, Account.holder,
        Account.meter_no, Account.card_serial,
    ).join(Room, Room.id == Account.room_id)  # fmt: skip


def _starts_with(column: Any, prefix: str, dialect: str) -> Any:
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


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
