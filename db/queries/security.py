"""Security histories: the audit chain's head and its append lock, the latest audit entry of a kind,
an operator's standing roles (the latest grant or revoke per role), the latest times written."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    Connection,
    RowMapping,
    Select,
    String,
    Table,
    TextClause,
    Update,
    bindparam,
    func,
    insert,
    literal,
    select,
    text,
    union_all,
    update,
)
from sqlalchemy.orm import Session

from db.base import Base
from db.models.ledger import LedgerEntry
from db.models.receipts import Receipt, ReceiptCounter
from db.models.security import AuditEntry, Operator, RoleGrant, RowCensus

AUDIT_LOCK_KEY = 0x636F756E746572  # "counter"


def lock_audit_appends(session: Session) -> None:
    """Serialise appends to the audit chain until this transaction ends, so two counters never read
    the same head. PostgreSQL: a transaction-level advisory lock; SQLite: nothing to do, the write
    transaction (BEGIN IMMEDIATE) already serialises writers."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": AUDIT_LOCK_KEY})


def audit_chain_head(session: Session) -> Any | None:
    """The last entry's (sequence, mac) row, None while the chain is empty."""
    return session.execute(_chain_head()).first()


def chain_head_and_times(
    session: Session, workstation: str | None
) -> tuple[int | None, str | None, Any, Any]:
    """The head (sequence, mac) and `chain_latest_times` in one statement: a transaction's first
    append needs both, and on PostgreSQL each statement is a round trip (issue 16)."""
    row = session.execute(_head_and_times(), {"workstation": workstation}).first()
    if row is None:
        return None, None, None, None  # an empty chain: no times either
    return row[0], row[1], row[2], row[3]


@cache
def _head_and_times() -> Select[tuple[int, str, datetime | None, datetime | None]]:
    own_max, chain_max = _chain_latest().selected_columns
    return (
        select(AuditEntry.sequence, AuditEntry.mac, own_max, chain_max)
        .order_by(AuditEntry.sequence.desc())
        .limit(1)
    )


def chain_head_times_and_rows(
    session: Session, workstation: str | None, workstation_id: int, *, receipt_other_than: int,
    ledger_other_than: int,
) -> tuple[int | None, str | None, Any, Any, Any, Any]:  # fmt: skip
    """`chain_head_and_times` with `latest_receipt_time` and `latest_ledger_time` of
    `workstation_id` in the same statement (four index probes, one round trip): a sale's commit
    needs all of them for its first append (issue 16). Nothing when the chain is empty."""
    params = {"workstation": workstation, "ws_id": workstation_id, "receipt_id": receipt_other_than,
              "ledger_id": ledger_other_than}  # fmt: skip
    row = session.execute(_head_times_and_rows(), params).first()
    if row is None:
        return None, None, None, None, None, None
    return row[0], row[1], row[2], row[3], row[4], row[5]


@cache
def _head_times_and_rows() -> Select[Any]:
    own_max, chain_max = _chain_latest().selected_columns
    receipt_max = (
        select(func.max(Receipt.issued_at))
        .where(Receipt.workstation_id == bindparam("ws_id"), Receipt.id != bindparam("receipt_id"))
        .scalar_subquery()
    )
    ledger_max = (
        select(func.max(LedgerEntry.at))
        .where(LedgerEntry.workstation_id == bindparam("ws_id"), LedgerEntry.id != bindparam("ledger_id"),
               LedgerEntry.kind != "legacy_purchase")
        .scalar_subquery()
    )  # fmt: skip
    return (
        select(AuditEntry.sequence, AuditEntry.mac, own_max, chain_max, receipt_max, ledger_max)
        .order_by(AuditEntry.sequence.desc())
        .limit(1)
    )


@cache
def _chain_head() -> Select[tuple[int, str]]:  # built once: see db/queries/accounts.py
    return select(AuditEntry.sequence, AuditEntry.mac).order_by(AuditEntry.sequence.desc()).limit(1)


def counters_and_chain_head(
    session: Session, workstation_id: int
) -> tuple[dict[str, int], tuple[int, str] | None]:
    """The workstation's receipt counters ({series: last number issued}) and the audit chain's head
    (sequence, mac; None while empty) in one statement: what the high-water check before every sale
    compares with its mark (counter_app/high_water.py), one round trip on PostgreSQL (issue 16)."""
    counters: dict[str, int] = {}
    head = None
    for series, number, mac in session.execute(
        _counters_and_chain_head(), {"_workstation_id": workstation_id}
    ):
        if series is None:
            head = (int(number), str(mac))
        else:
            counters[series] = int(number)
    return counters, head


@cache
def _counters_and_chain_head() -> Any:
    counters = ReceiptCounter.__table__
    head = _chain_head().subquery()
    return union_all(
        select(counters.c.series, counters.c.value, literal(None, String).label("mac")).where(
            counters.c.workstation_id == bindparam("_workstation_id")
        ),
        select(literal(None, String), head.c.sequence, head.c.mac),
    )


def census_and_nonempty(session: Session, names: frozenset[str]) -> list[tuple[str, str, Any, Any]]:
    """('census', name, rows, seal) for each census row, then ('probe', name, None, None) for each
    of the tables `names` holding a row, in one statement (counter_app/row_seals.py check_census)."""
    return [(row[0], row[1], row[2], row[3]) for row in session.execute(_census_and_nonempty(names))]


@cache
def _census_and_nonempty(names: frozenset[str]) -> TextClause:
    """Each probe asks for a row through its table's primary key over every value a key can have
    (`_any_row`), so the plan is an index search stopping at the first row, not a scan
    (tests/ops/test_sale_query_plans.py). SQL text built once: as a SQLAlchemy construct ~30 unions
    deep, its cache key (computed at every execution) was a fifth of the sale's first transaction
    (issue 16). The names are the metadata's own (a KeyError for any other), never input."""
    census = RowCensus.__table__.name
    tables = sorted((Base.metadata.tables[n] for n in names), key=lambda t: t.name)
    probes = [
        f"SELECT 'probe', '{table.name}', NULL, NULL WHERE EXISTS ({_any_row(table)})" for table in tables
    ]
    return text(
        " UNION ALL ".join([f'SELECT \'census\', table_name, "rows", row_mac FROM "{census}"', *probes])
    )


def _any_row(table: Table) -> str:
    (pk,) = table.primary_key.columns
    lowest = "(-9223372036854775807 - 1)" if pk.type.python_type is int else "''"  # (int8's least; any text)
    return f'SELECT 1 FROM "{table.name}" WHERE "{pk.name}" >= {lowest}'


# --- the census's own statements (counter_app/row_census.py keeps its rule: seals, counts) ---------


def census_row(connection: Connection, name: str, *, for_update: bool = False) -> RowMapping | None:
    """Table `name`'s census row; locked until the transaction ends when `for_update` (a count)."""
    stmt = _census_row_locked() if for_update else _census_row()
    return connection.execute(stmt, {"_name": name}).mappings().one_or_none()


def census_rows(connection: Connection) -> dict[str, RowMapping]:
    """Every census row by its table name (`audit verify`)."""
    return {row["table_name"]: row for row in connection.execute(select(RowCensus.__table__)).mappings()}


def start_census(connection: Connection, name: str, rows: int, mac: str) -> None:
    connection.execute(insert(RowCensus.__table__).values(table_name=name, rows=rows, row_mac=mac))


def set_census(connection: Connection, name: str, rows: int, mac: str) -> None:
    connection.execute(_census_update(), {"_name": name, "_rows": rows, "_mac": mac})


def set_census_from(connection: Connection, name: str, *, was: tuple[int, str], rows: int, mac: str) -> bool:
    """Set the census only if it still holds exactly `was` (rows, seal); whether it did."""
    params = {"_name": name, "_rows": rows, "_mac": mac, "_was_rows": was[0], "_was_mac": was[1]}
    return connection.execute(_census_update_from(), params).rowcount == 1


def rows_held(connection: Connection, name: str) -> int:
    """How many rows table `name` holds (a census started or verified)."""
    return int(connection.execute(select(func.count()).select_from(Base.metadata.tables[name])).scalar_one())


# Built once (a statement built per call pays its cache key each time: counter_app/row_seals.py).
@cache
def _census_row() -> Select[Any]:
    census = RowCensus.__table__
    return select(census).where(census.c.table_name == bindparam("_name"))


@cache
def _census_row_locked() -> Select[Any]:
    return _census_row().with_for_update()


@cache
def _census_update() -> Update:
    census = RowCensus.__table__
    return (
        update(census)
        .where(census.c.table_name == bindparam("_name"))
        .values(rows=bindparam("_rows"), row_mac=bindparam("_mac"))
    )


@cache
def _census_update_from() -> Update:
    census = RowCensus.__table__
    return (
        update(census)
        .where(census.c.table_name == bindparam("_name"), census.c.rows == bindparam("_was_rows"),
               census.c.row_mac == bindparam("_was_mac"))
        .values(rows=bindparam("_rows"), row_mac=bindparam("_mac"))
    )  # fmt: skip


def latest_audit_entry(session: Session, kind: str) -> AuditEntry | None:
    """The last audit entry of `kind` (the last backup made, the last one that failed…)."""
    return session.scalars(
        select(AuditEntry).where(AuditEntry.kind == kind).order_by(AuditEntry.sequence.desc()).limit(1)
    ).first()


def audit_entries_of_kinds(session: Session, kinds: tuple[str, ...]) -> list[AuditEntry]:
    """Every audit entry of these kinds, newest first (backup verify looks up a backup's digest)."""
    return list(session.scalars(
        select(AuditEntry).where(AuditEntry.kind.in_(kinds)).order_by(AuditEntry.sequence.desc())
    ))  # fmt: skip


def standing_roles(session: Session, operator_id: int) -> frozenset[str]:
    """Roles the operator holds: per role, the latest grant/revoke row decides (rows are append-only)."""
    rows = session.execute(
        select(RoleGrant.role, RoleGrant.action)
        .where(RoleGrant.operator_id == operator_id)
        .order_by(RoleGrant.id)
    ).tuples()
    state: dict[str, str] = {}
    for role, action in rows:
        state[role] = action
    return frozenset(role for role, action in state.items() if action == "grant")


def operator_and_grants(session: Session, operator_id: int) -> tuple[Operator | None, list[RoleGrant]]:
    """The operator's row and every grant/revoke row of theirs, oldest first, in one statement
    (a sale asks both twice, before the card is read and in its intent's transaction; issue 16).
    The caller checks their seals."""
    rows = session.execute(_operator_and_grants(), {"operator_id": operator_id}).all()
    if not rows:
        return None, []
    return rows[0][0], [grant for _operator, grant in rows if grant is not None]


@cache
def _operator_and_grants() -> Select[tuple[Operator, RoleGrant]]:  # (a grant None: outer join)
    return (
        select(Operator, RoleGrant)
        .outerjoin(RoleGrant, RoleGrant.operator_id == Operator.id)
        .where(Operator.id == bindparam("operator_id"))
        .order_by(RoleGrant.id)
    )


def grant_rows(session: Session, operator_id: int) -> list[RoleGrant]:
    """Every grant/revoke row of the operator, oldest first (the caller checks their seals)."""
    return list(session.scalars(_grant_rows(), {"operator_id": operator_id}))


@cache
def _grant_rows() -> Select[tuple[RoleGrant]]:  # built once: see db/queries/accounts.py
    return select(RoleGrant).where(RoleGrant.operator_id == bindparam("operator_id")).order_by(RoleGrant.id)


def roles_from_grants(rows: list[RoleGrant]) -> frozenset[str]:
    """Per role, the latest grant/revoke row decides."""
    state = {row.role: row.action for row in rows}
    return frozenset(role for role, action in state.items() if action == "grant")


def operator_id_by_name(session: Session, name: str) -> int | None:
    return session.scalar(select(Operator.id).where(Operator.name == name))


# --- the latest times the clock-back check compares with (counter_app/clock_watch.py) ------------
# Every audited write asks one of these: built once (db/queries/accounts.py says why).


def chain_latest_times(session: Session, workstation: str | None) -> tuple[Any, Any]:
    """(latest audit time of `workstation`, latest audit time of the whole chain): two index probes
    (ix_audit_log_workstation_at, ix_audit_log_at) in one statement, one round trip."""
    own, latest = session.execute(_chain_latest(), {"workstation": workstation}).one()
    return own, latest


def latest_ledger_time(session: Session, workstation_id: int, *, other_than: int) -> Any:
    """The latest time of the workstation's ledger entries but `other_than` (legacy rows carry old dates)."""
    return session.scalar(_ledger_latest(), {"workstation_id": workstation_id, "id": other_than})


def latest_receipt_time(session: Session, workstation_id: int, *, other_than: int) -> Any:
    return session.scalar(_receipt_latest(), {"workstation_id": workstation_id, "id": other_than})


@cache
def _chain_latest() -> Select[tuple[datetime | None, datetime | None]]:
    own_max = (
        select(func.max(AuditEntry.at))
        .where(AuditEntry.workstation == bindparam("workstation"))
        .scalar_subquery()
    )
    return select(own_max, select(func.max(AuditEntry.at)).scalar_subquery())


@cache
def _ledger_latest() -> Select[tuple[datetime]]:
    return select(func.max(LedgerEntry.at)).where(
        LedgerEntry.workstation_id == bindparam("workstation_id"), LedgerEntry.id != bindparam("id"),
        LedgerEntry.kind != "legacy_purchase",
    )  # fmt: skip


@cache
def _receipt_latest() -> Select[tuple[datetime]]:
    return select(func.max(Receipt.issued_at)).where(
        Receipt.workstation_id == bindparam("workstation_id"), Receipt.id != bindparam("id")
    )
