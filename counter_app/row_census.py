"""The census: how many rows each sealed table of CENSUS_TABLES holds, in a sealed row of its own
(`row_census`), counted with every insert the software makes — so a row deleted, or inserted, by
hand shows as a count that does not match (docs/row-seals.md). Counted after each flush (the ORM
inserts noted by counter_app/row_seals.py) and by the Core inserts' sealers; checked before every
card write and by `audit verify`."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Table, event
from sqlalchemy.orm import Session

from counter_app.seals import genuine_values, mac_of, session_key, tampered
from db.models import CENSUS_TABLES
from db.models.security import RowCensus
from db.queries.security import (
    census_and_nonempty,
    census_row,
    census_rows,
    rows_held,
    set_census,
    set_census_from,
    start_census,
)

CENSUS_NAMES = frozenset(model.__tablename__ for model in CENSUS_TABLES)
_CENSUS_PENDING = "counter.census_pending"


def note_inserted(session: Session, table_name: str) -> None:
    """An ORM insert into a census table: counted at the end of its flush (`_after_flush`)."""
    if table_name in CENSUS_NAMES:
        pending = session.info.setdefault(_CENSUS_PENDING, {})
        pending[table_name] = pending.get(table_name, 0) + 1


def count_inserted(connection: Connection, key: bytes, added: Mapping[str, int]) -> None:
    """Add `added` rows to each table's census, checking the census row's seal first. A missing
    census row is started only for a table that held no rows before these: otherwise its census was
    deleted (TAMPERED)."""
    census = RowCensus.__table__
    for name, count in sorted(added.items()):
        if count == 0 or _counted_as_known(connection, key, name, count):
            continue
        row = census_row(connection, name, for_update=True)
        if row is None:
            if rows_held(connection, name) != count:
                raise tampered(None, "row_census", name)
            mac = mac_of(key, census, {"table_name": name, "rows": count})
            start_census(connection, name, count, mac)
            _KNOWN_CENSUS[(key, name)] = (count, mac)
            continue
        if not genuine_values(key, census, row):
            raise tampered(None, "row_census", name)
        rows = int(row["rows"]) + count
        mac = mac_of(key, census, {"table_name": name, "rows": rows})
        set_census(connection, name, rows, mac)
        _KNOWN_CENSUS[(key, name)] = (rows, mac)


# The census row each table had when this process last read (and checked) or wrote it, per seal key.
# The next count is one conditional UPDATE from that state: it changes the row only if the database
# still holds exactly it — a state known genuine — so no SELECT … FOR UPDATE and seal check first
# (two round trips a count, three counts a sale; issue 16). Anything else (another counter counted
# meanwhile, a rolled-back count, an edited row) changes nothing and takes the checked path.
_KNOWN_CENSUS: dict[tuple[bytes, str], tuple[int, str]] = {}


def _counted_as_known(connection: Connection, key: bytes, name: str, count: int) -> bool:
    known = _KNOWN_CENSUS.get((key, name))
    if known is None:
        return False
    rows = known[0] + count
    mac = mac_of(key, RowCensus.__table__, {"table_name": name, "rows": rows})
    if not set_census_from(connection, name, was=known, rows=rows, mac=mac):
        _KNOWN_CENSUS.pop((key, name), None)
        return False
    _KNOWN_CENSUS[(key, name)] = (rows, mac)
    return True


def check_census(session: Session) -> None:
    """Refuse with TAMPERED unless every census row is as the software sealed it (a few dozen
    rows): before a card write, whose result will count rows."""
    key = session_key(session)
    if key is None:
        return
    counted, nonempty = set(), set()
    # The census rows and which census tables hold rows, in one statement (one round trip a sale;
    # issue 16): each EXISTS probe stops at its table's first row.
    for kind, name, rows, row_mac in census_and_nonempty(session, CENSUS_NAMES):
        if kind == "probe":
            nonempty.add(name)
            continue
        if not _census_genuine(key, name, rows, row_mac):
            raise tampered(session, "row_census", name)
        _KNOWN_CENSUS[(key, name)] = (rows, row_mac)  # (count_inserted)
        counted.add(name)
    # No census yet: only right while the table is empty.
    uncounted = sorted(nonempty - counted)
    if uncounted:
        raise tampered(session, "row_census", uncounted[0])


@lru_cache(maxsize=1024)
def _census_genuine(key: bytes, table_name: str, rows: int, row_mac: str | None) -> bool:
    """A census row's seal, remembered by its values: a MAC is a function of them, so a row seen
    genuine before is genuine now (every sale checks all ~30 census rows: 30 HMACs; issue 16)."""
    return genuine_values(
        key, RowCensus.__table__, {"table_name": table_name, "rows": rows, "row_mac": row_mac}
    )


def check_census_of(session: Session, name: str, held: int) -> None:
    """Refuse with TAMPERED unless table `name`'s census row is genuine and counts `held` rows (the
    caller has just read them all: the kept sums' batches, counter_app/settlement/kept_sums.py)."""
    key = session_key(session)
    if key is None:
        return
    if _census_problems(key, RowCensus.__table__, name, held, census_row(session.connection(), name)):
        raise tampered(session, "row_census", name)


def _after_flush(session: Session, flush_context: Any) -> None:
    pending = session.info.pop(_CENSUS_PENDING, None)
    key = session_key(session)
    if pending and key is not None:
        count_inserted(session.connection(), key, pending)


def verify_census(connection: Connection, key: bytes) -> list[tuple[str, str]]:
    """Every census against its table, and no census of a table that has none: (table, what is
    wrong) for each problem, for `audit verify` (row_seals.verify_rows)."""
    census = RowCensus.__table__
    problems: list[tuple[str, str]] = []
    counted = census_rows(connection)
    for name in sorted(CENSUS_NAMES):
        problems += _census_problems(key, census, name, rows_held(connection, name), counted.get(name))
    for name in sorted(set(counted) - CENSUS_NAMES):  # a census of no such table: inserted by hand
        problems.append(("row_census", f"row_census#{name} 不是系统写的行数记录（被插入）"))
    return problems


def _census_problems(
    key: bytes, census: Table, name: str, held: int, row: Mapping[Any, Any] | None
) -> list[tuple[str, str]]:
    if row is None:
        return [(name, f"{name} 有 {held} 行，行数记录被删除")] if held else []
    if not genuine_values(key, census, row):
        return [(name, f"{name} 的行数记录与校验码不符（被直接修改）")]
    if row["rows"] != held:
        return [(name, f"{name} 应有 {row['rows']} 行，实有 {held} 行（行被删除或插入）")]
    return []


event.listen(Session, "after_flush", _after_flush)
