"""Row seals: every row whose content decides money, numbering or rights carries `row_mac`, and the
row is checked when it is used, not only by `audit verify` (issue 12 §1; docs/row-seals.md).

- Which rows: db/models/__init__.py SEALED_TABLES: accounts,
  cards, shifts, receipt counters, operators, role grants, 监督人 appointments, the installation;
  print jobs, queued operations, Z reports, shift counts, settlement sheets, receipt pages,
  settings, tariffs, fees.
- The seal: HMAC-SHA256 with the *seal key* = HMAC(audit key, "counter.row-seal.v1") over the
  table name and the canonical JSON (base.canonical) of every column except `row_mac` itself and a
  table's SEAL_EXCLUDES. The id is inside, so a row's content (with its seal) cannot be moved to
  another id; the table name is inside, so it cannot be moved to another table. A derived key keeps
  seals and chain MACs apart: no seal is ever a valid chain MAC.
- Written in ONE place: the ORM events below seal every insert (after it, when the id is known) and
  every update of a sealed row (before it, after checking that the row as loaded was genuine, so a
  legitimate update never launders a tampered row). The Core statements that touch sealed rows
  (the receipt counter's upsert, db.numbering; the account claim, whose columns are excluded;
  the yearly import's bulk inserts, sealed inside the INSERT by `insert_sealed`; the print
  queue's "printed" marks, a Core INSERT sealed and counted by `seal_inserted`) are handled
  where they run (`advance_receipt_counter`, counter_app/printing.py `_mark_printed`).
- Checked where used: `check(session, row)` — login and co-sign (operator, grants, appointments,
  counter_app.roles), sale (account, card, shift, tariff, settings read, receipt counter), close
  (shift, shift count), print and 补打 (print job), approve_queued (queued operation), restore
  (installation). One HMAC per row used, over the row already loaded: no extra query.
- A failed check raises TAMPERED naming table and row, with a refusal attached (counter_app.audit):
  after the operation's rollback an audit entry `tamper.detected` is written in a transaction of
  its own; those entries are the alarm the head sees in the morning list (`tamper_alarms`).
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from functools import cache
from hashlib import sha256
from typing import Any, TypeVar

from sqlalchemy import Connection, Table, Update, bindparam, event, insert, select, update
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Mapper, Session, object_session
from sqlalchemy.orm.base import NO_VALUE

from counter_app import row_census
from counter_app.seals import (
    SEAL_INFO,
    TAMPER_KIND,
    genuine_values,
    mac_of,
    pk_name,
    sealed_columns,
    session_key,
    tampered,
)
from db import numbering
from db.base import Base
from db.models import SEALED_TABLES
from db.models.security import AuditEntry

# In a session's info: load sealed rows without checking them (audit verify, the insider run, the
# tools that show a tampered row to the head instead of refusing it).
UNCHECKED = "counter.seals_unchecked"


# --- checking at use -----------------------------------------------------------------------------


_Row = TypeVar("_Row")


def check(session: Session, row: _Row) -> _Row:
    """Refuse with TAMPERED unless `row` (an ORM row of a sealed table) is as the software sealed it.
    Checks the row as loaded (pending changes of this transaction are not yet sealed). Returns it."""
    if row is None:
        return row
    key = session_key(session)
    if key is None:
        return row
    orm_row: Any = row  # an ORM row of a sealed table
    table = orm_row.__table__
    state = sa_inspect(orm_row)
    if state.info.get(_CHECKED_AT_LOAD) == key:
        return row  # its values as loaded were checked then (`_on_load`), and are what this checks
    loaded = {name: _loaded_value(state, orm_row, name) for name in (*sealed_columns(table), "row_mac")}
    check_values(session, table, loaded, key=key)
    return row


def check_all(session: Session, rows: Iterable[_Row]) -> list[_Row]:
    return [check(session, row) for row in rows]


def check_values(
    session: Session, table: Table, values: Mapping[str, Any], *, key: bytes | None = None
) -> None:
    """The same check over plain column values (a Core row)."""
    key = key if key is not None else session_key(session)
    if key is None:
        return
    stored = values.get("row_mac")
    if stored is None or not hmac.compare_digest(mac_of(key, table, values), str(stored)):
        raise tampered(session, table.name, values.get(pk_name(table)))


def genuine(audit_key: bytes, row: Any) -> bool:
    """True when `row` matches its seal under this audit key (no keys bound: a backup file)."""
    table = row.__table__
    stored = row.row_mac
    key = hmac.new(audit_key, SEAL_INFO, sha256).digest()
    return stored is not None and hmac.compare_digest(mac_of(key, table, _column_values(row, table)), stored)


def _column_values(row: Any, table: Table) -> dict[str, Any]:
    return {name: getattr(row, name) for name in sealed_columns(table)}


def _loaded_value(state: Any, row: Any, name: str) -> Any:
    if name in state.committed_state:  # changed in this transaction: check what was loaded
        return state.committed_state[name]
    return getattr(row, name)


def tamper_alarms(session: Session, since: datetime) -> list[AuditEntry]:
    """The tamper refusals recorded since `since`, newest first: the alarm for the head."""
    stmt = select(AuditEntry).where(AuditEntry.kind == TAMPER_KIND, AuditEntry.at >= since)
    return list(session.scalars(stmt.order_by(AuditEntry.sequence.desc())))


# --- the receipt counter (one Core upsert, db.numbering) ------------------------------------------


def seal_receipt_counter(
    session: Session, row: Mapping[Any, Any], fresh: bool, *, created: bool | None = None
) -> None:
    """After the upsert advanced a counter: check the value it had (value - 1) against its seal,
    unless `fresh` (just created, or already checked by the caller), then seal the new value.
    `created` (default: `fresh`) says whether the upsert inserted the row: it is counted."""
    key = session_key(session)
    if key is None:
        return
    table = Base.metadata.tables["receipt_counters"]
    if not fresh:
        check_values(session, table, {**row, "value": row["value"] - 1}, key=key)
    mac = mac_of(key, table, row)
    # On the connection, the statement built once (`_set_mac`): through Session.execute a Core
    # UPDATE takes the ORM's bulk path, rebuilt on every call (db/queries/accounts.py claim_account).
    session.flush()  # (what Session.execute would have flushed first)
    session.connection().execute(_set_mac(table), {"_id": row["id"], "_mac": mac})
    _KNOWN_COUNTERS[(key, row["workstation_id"], row["series"])] = (row["id"], int(row["value"]), mac)
    if fresh if created is None else created:
        row_census.count_inserted(session.connection(), key, {table.name: 1})


# The receipt counter each (workstation, series) had when this process last sealed it, per seal key:
# the next number is one conditional UPDATE from that state, as the census is counted (see
# `_KNOWN_CENSUS`): the WHERE names every sealed column and the seal, so it changes the row only if
# the database holds exactly a state this process sealed — no check of the old seal, no second
# statement to seal the new value (a sale's upsert + UPDATE; issue 16). Anything else (another PC
# took a number, a rolled-back sale, a restore, an edited row) changes nothing and takes the upsert
# with its check (`seal_receipt_counter`).
_KNOWN_COUNTERS: dict[tuple[bytes, int, str], tuple[int, int, str]] = {}


def advance_known(session: Session, workstation_id: int, series: str) -> int | None:
    """numbering.KNOWN_ADVANCES: the counter's next value from its known state, or None."""
    table = Base.metadata.tables["receipt_counters"]
    assert set(sealed_columns(table)) == {"id", "workstation_id", "series", "value"}  # all in its WHERE
    key = session_key(session)
    known = _KNOWN_COUNTERS.get((key, workstation_id, series)) if key is not None else None
    if key is None or known is None:
        return None
    row_id, value, mac = known
    new = {"id": row_id, "workstation_id": workstation_id, "series": series, "value": value + 1}
    new_mac = mac_of(key, table, new)
    session.flush()  # (what Session.execute would have flushed first)
    if not numbering.advance_from(session, row_id=row_id, workstation_id=workstation_id, series=series,
                                  was=value, was_mac=mac, mac=new_mac):  # fmt: skip
        _KNOWN_COUNTERS.pop((key, workstation_id, series), None)
        return None
    _KNOWN_COUNTERS[(key, workstation_id, series)] = (row_id, value + 1, new_mac)
    return value + 1


def seal_unsealed(session: Session, model: Any) -> int:
    """Seal the rows of `model` that have no seal yet, after a Core bulk INSERT (which bypasses the
    ORM events: the demo's thousands of accounts). Rows with a wrong seal are left as they are."""
    if session_key(session) is None:
        return 0
    table = model.__table__
    # FOR UPDATE: two sessions sealing at once (PostgreSQL) would otherwise both count the rows.
    rows = session.execute(select(table).where(table.c.row_mac.is_(None)).with_for_update()).mappings().all()
    seal_inserted(session, model, rows)
    return len(rows)


def seal_inserted(session: Session, model: Any, rows: Sequence[Mapping[Any, Any]]) -> None:
    """Seal and count rows a Core bulk INSERT just wrote, as read back from the database (server
    defaults included): one executemany UPDATE, then the census. For inserts whose ids the database
    draws (the kept sums' rows, counter_app/settlement/kept_sums.py); where ids can be reserved
    first, `insert_sealed` seals inside the INSERT instead."""
    key = session_key(session)
    if key is None or not rows:
        return
    table = model.__table__
    pk = table.c[pk_name(table)]
    macs = [{"_id": row[pk.name], "_mac": mac_of(key, table, row)} for row in rows]
    # On the connection (see seal_receipt_counter): Session.execute would also flush first, and the
    # rows were written by Core just now.
    session.connection().execute(_set_mac(table), macs)
    if table.name in row_census.CENSUS_NAMES:
        row_census.count_inserted(session.connection(), key, {table.name: len(macs)})


def insert_sealed(session: Session, model: Any, rows: Sequence[dict[str, Any]]) -> None:
    """Insert rows of a sealed table in one Core executemany, each sealed inside its own INSERT,
    and count them. `rows` are whole (db.bulk.complete_row: every column, defaults filled in) and
    carry their ids (db.bulk.reserve_ids), so each one's seal is over exactly what is stored: no
    UPDATE after, nothing read back. A bulk insert passes no ORM event, so this is the one way
    the yearly import's rooms and accounts are written (counter_app/admin/import_rooms.py; the
    demo's use `seal_unsealed`)."""
    if not rows:
        return
    key = session_key(session)
    table = model.__table__
    if key is not None:
        for row in rows:
            row["row_mac"] = mac_of(key, table, row)
    session.execute(insert(table), list(rows))
    if key is not None and table.name in row_census.CENSUS_NAMES:
        row_census.count_inserted(session.connection(), key, {table.name: len(rows)})


# --- sealing on every write (ORM events) ---------------------------------------------------------


def _after_insert(mapper: Mapper[Any], connection: Connection, target: Any) -> None:
    session = object_session(target)
    key = session_key(session) if session is not None else None
    if key is None:
        return
    table = mapper.local_table
    assert isinstance(table, Table)
    state = sa_inspect(target)
    cols = sealed_columns(table)
    if all(name in state.dict for name in cols):
        values: Mapping[Any, Any] = state.dict
    else:  # a server-side default: read what the database holds
        pk = pk_name(table)
        values = connection.execute(select(table).where(table.c[pk] == state.dict[pk])).mappings().one()
    mac = mac_of(key, table, values)
    connection.execute(_set_mac(table), {"_id": values[pk_name(table)], "_mac": mac})
    state.committed_state.pop("row_mac", None)
    state.dict["row_mac"] = mac
    row_census.note_inserted(session, table.name)  # type: ignore[arg-type]


@cache
def _set_mac(table: Table) -> Update:
    """Built once per table (each insert of a sealed row runs it: a built statement's cache key is
    memoised, a new one costs ~0.5 ms of Python; issue 16)."""
    return update(table).where(table.c[pk_name(table)] == bindparam("_id")).values(row_mac=bindparam("_mac"))


def _before_update(mapper: Mapper[Any], connection: Connection, target: Any) -> None:
    session = object_session(target)
    key = session_key(session) if session is not None else None
    if key is None or session is None:
        return
    table = mapper.local_table
    assert isinstance(table, Table)
    state = sa_inspect(target)
    cols = (*sealed_columns(table), "row_mac")
    if not any(name in state.committed_state for name in cols):
        return  # only excluded columns changed (an account's busy marker)
    original = {name: state.committed_state.get(name, state.dict.get(name, NO_VALUE)) for name in cols}
    if any(value is NO_VALUE for value in original.values()):  # not all loaded: the database has it
        pk = pk_name(table)
        original = dict(
            connection.execute(select(table).where(table.c[pk] == state.identity[0])).mappings().one()
        )
    check_values(session, table, original, key=key)
    target.row_mac = mac_of(key, table, {**original, **{n: state.dict[n] for n in cols if n in state.dict}})


# --- checking on every load (ORM events) ---------------------------------------------------------


def _on_load(target: Any, context: Any) -> None:
    """Every sealed row the software reads through the ORM is checked as it is loaded, so a use
    nobody remembered to guard is guarded too (the explicit `check` calls name the uses that
    matter most). Off where the rows are examined, not used (UNCHECKED: verify, repair tools)."""
    session = context.session
    if session is None or session.info.get(UNCHECKED):
        return
    key = session_key(session)
    if key is None:
        return
    table = target.__table__
    state = sa_inspect(target)
    names = (*sealed_columns(table), "row_mac")
    if not all(name in state.dict for name in names):
        return  # loaded in part (load_only): checked where loaded whole
    check_values(session, table, {name: state.dict[name] for name in names}, key=key)
    state.info[_CHECKED_AT_LOAD] = key


# Set on a row whose values as loaded passed their seal (`_on_load`), so `check` of the same row
# later in its session needs no second HMAC over the same values (a sale checked 13 rows twice;
# issue 16). Dropped the moment any attribute is expired or reloaded: the values it vouched for may
# then be gone.
_CHECKED_AT_LOAD = "counter.seal_checked_at_load"


def _on_refresh(target: Any, context: Any, attrs: Any) -> None:
    sa_inspect(target).info.pop(_CHECKED_AT_LOAD, None)
    _on_load(target, context)


def _on_expire(target: Any, attrs: Any) -> None:
    if target is None:  # (SQLAlchemy may report a row whose object is already gone: nothing to drop)
        return
    sa_inspect(target).info.pop(_CHECKED_AT_LOAD, None)


# --- verify: every sealed row and every census ---------------------------------------------------


def verify_rows(connection: Connection, audit_key: bytes) -> list[tuple[str, str]]:
    """Every row of every sealed table against its seal, and every census against its table:
    (table, what is wrong) for each problem, for `audit verify`."""
    key = hmac.new(audit_key, SEAL_INFO, sha256).digest()
    problems: list[tuple[str, str]] = []
    for model in SEALED_TABLES:
        table = model.__table__
        assert isinstance(table, Table)
        problems += _unsealed_rows(connection, key, table)
    return problems + row_census.verify_census(connection, key)


def _unsealed_rows(connection: Connection, key: bytes, table: Table) -> list[tuple[str, str]]:
    pk = pk_name(table)
    problems: list[tuple[str, str]] = []
    try:
        rows = connection.execute(
            select(table).order_by(table.c[pk]).execution_options(yield_per=2000)
        ).mappings()
        for row in rows:
            if not genuine_values(key, table, row):
                problems.append((table.name, f"{table.name}#{row[pk]} 与校验码不符（被直接修改或插入）"))
    except (ValueError, TypeError):  # a value its column type cannot read: named by the chain check
        problems.append((table.name, f"{table.name} 有无法读取的行（记录被改坏）"))
    return problems


numbering.ADVANCE_HOOKS.append(seal_receipt_counter)
numbering.KNOWN_ADVANCES.append(advance_known)
for _model in SEALED_TABLES:
    event.listen(_model, "after_insert", _after_insert)
    event.listen(_model, "before_update", _before_update)
    event.listen(_model, "load", _on_load)
    event.listen(_model, "refresh", _on_refresh)
    event.listen(_model, "expire", _on_expire)
