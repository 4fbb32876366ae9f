"""Receipt numbers: one continuous series per workstation, never reused, never skipped.

The number comes from a counter row advanced with one atomic statement
(`INSERT … ON CONFLICT (workstation_id, series) DO UPDATE SET value = value + 1 RETURNING value`)
in the SAME transaction as the receipt insert:
- a rolled-back sale rolls its number back too, so nothing is skipped;
- the row stays locked until commit (PostgreSQL row lock; on SQLite the whole write lock, taken by
  BEGIN IMMEDIATE), so two counters can never get the same number.
Not a PostgreSQL sequence (nextval is never rolled back: gaps), and not SELECT … FOR UPDATE
(silently dropped on SQLite). A sale that fails AFTER its number was committed (the card write
failed after the intent was committed) keeps its receipt and records a `voided` event.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, case, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from db.models.places import Workstation
from db.models.receipts import MAIN_SERIES, Receipt, ReceiptCounter, ReceiptEvent

SEQ_DIGITS = 8
# Where a unit of work lists the numbers it took, as (series, seq): the workstation's high-water
# mark (counter_app/high_water.py) reads it after the commit, so every numbered receipt of every
# kind is noted there without each area having to remember it.
NUMBERS_TAKEN = "counter.numbers_taken"


@dataclass(frozen=True)
class ReceiptNumber:
    workstation_id: int
    series: str
    seq: int
    text: str  # "W01-00000123"


def format_receipt_no(workstation_code: str, seq: int, series: str = MAIN_SERIES) -> str:
    """W01 + 123 → "W01-00000123"; another series carries its name: "W01-SLIP-00000007"."""
    if series == MAIN_SERIES:
        return f"{workstation_code}-{seq:0{SEQ_DIGITS}d}"
    return f"{workstation_code}-{series.upper()}-{seq:0{SEQ_DIGITS}d}"


# Called after every advance with (session, the counter row as it now is, created by this advance):
# the core checks and renews the row's seal there (counter_app.row_seals). The row's `row_mac` is
# still the one it had before the advance ("" when the row was just created).
CounterHook = Callable[[Session, Mapping[Any, Any], bool], None]
ADVANCE_HOOKS: list[CounterHook] = []
# Tried first, in order: advance the counter from a state the core knows genuine, in one statement
# that changes the row only if the database still holds exactly that state; the new value, or None
# (nothing changed: then the upsert and ADVANCE_HOOKS run). counter_app.row_seals.advance_known.
KnownAdvance = Callable[[Session, int, str], "int | None"]
KNOWN_ADVANCES: list[KnownAdvance] = []


def next_seq(session: Session, workstation_id: int, series: str = MAIN_SERIES) -> int:
    """Advance the counter of (workstation, series) and return the new value (1 for the first)."""
    for known in KNOWN_ADVANCES:
        value = known(session, workstation_id, series)
        if value is not None:
            return value
    stmt = _next_seq(session.get_bind().dialect.name)
    row = session.execute(stmt, {"workstation_id": workstation_id, "series": series}).mappings().one()
    for hook in ADVANCE_HOOKS:
        hook(session, row, row["row_mac"] == "" and row["value"] == 1)
    return int(row["value"])


@cache
def _next_seq(dialect: str) -> Any:
    """The counter's upsert, built once per dialect: every sale runs it, and building a statement
    and its cache key costs more Python than SQLite takes to run it (issue 16)."""
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    table = ReceiptCounter.__table__
    return (
        insert(table)
        .values(workstation_id=bindparam("workstation_id"), series=bindparam("series"), value=1, row_mac="")
        .on_conflict_do_update(
            index_elements=[table.c.workstation_id, table.c.series], set_={"value": table.c.value + 1}
        )
        .returning(table.c.id, table.c.workstation_id, table.c.series, table.c.value, table.c.row_mac)
    )


def advance_from(
    session: Session, *, row_id: int, workstation_id: int, series: str, was: int, was_mac: str, mac: str
) -> bool:
    """Move the counter row from exactly (`was`, `was_mac`) to `was` + 1 sealed `mac`, in one
    statement on the session's connection; False (nothing changed) when the row is not in that
    state. The WHERE names every sealed column (counter_app.row_seals.advance_known)."""
    params = {"_id": row_id, "_ws": workstation_id, "_series": series, "_was": was, "_was_mac": was_mac,
              "_value": was + 1, "_mac": mac}  # fmt: skip
    return bool(session.connection().execute(_advance_from(), params).rowcount == 1)


@cache
def _advance_from() -> Any:  # built once (see `_next_seq`)
    table = ReceiptCounter.__table__
    return (
        update(table)
        .where(table.c.id == bindparam("_id"), table.c.workstation_id == bindparam("_ws"),
               table.c.series == bindparam("_series"), table.c.value == bindparam("_was"),
               table.c.row_mac == bindparam("_was_mac"))
        .values(value=bindparam("_value"), row_mac=bindparam("_mac"))
    )  # fmt: skip


def counter_values(session: Session, workstation_id: int) -> dict[str, int]:
    """The last number issued in each series of the workstation, as the database has it."""
    rows = session.execute(_counter_values(), {"workstation_id": workstation_id}).tuples()
    return {series: int(value) for series, value in rows}


@cache
def _counter_values() -> Select[tuple[str, int]]:  # every sale's high-water check: built once
    return select(ReceiptCounter.series, ReceiptCounter.value).where(
        ReceiptCounter.workstation_id == bindparam("workstation_id")
    )


def advance_to(session: Session, workstation_id: int, series: str, seq: int) -> None:
    """Move the counter of (workstation, series) up to `seq` (never down): after a restore the
    next number is past every number ever issued (counter_app/high_water.py)."""
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    table = ReceiptCounter.__table__
    stmt = (
        insert(table)
        .values(workstation_id=workstation_id, series=series, value=seq)
        .on_conflict_do_update(
            index_elements=[table.c.workstation_id, table.c.series],
            set_={"value": case((table.c.value < seq, seq), else_=table.c.value)},
        )
    )
    session.execute(stmt)


def take_receipt_number(
    session: Session, workstation_id: int, series: str = MAIN_SERIES, *, code: str | None = None
) -> ReceiptNumber:
    """The next number of the workstation's series. Insert the receipt with it before commit.
    `code`: the workstation's code when the caller knows it (its own, opened at start)."""
    if code is None:
        code = session.execute(select(Workstation.code).where(Workstation.id == workstation_id)).scalar_one()
    seq = next_seq(session, workstation_id, series)
    session.info.setdefault(NUMBERS_TAKEN, []).append((series, seq))
    return ReceiptNumber(workstation_id, series, seq, format_receipt_no(code, seq, series))


def record_receipt(
    session: Session,
    number: ReceiptNumber,
    *,
    kind: str,
    amount_fen: int,
    issued_at: datetime,
    payload: dict[str, Any],
    operator_id: int | None = None,
    shift_id: int | None = None,
    account_id: int | None = None,
    qr_text: str | None = None,
    simulated: bool = False,
) -> Receipt:
    """Insert the receipt for a number taken in this same transaction."""
    receipt = Receipt(
        workstation_id=number.workstation_id, series=number.series, seq=number.seq,
        receipt_no=number.text, kind=kind, amount_fen=amount_fen, issued_at=issued_at,
        payload=payload, operator_id=operator_id, shift_id=shift_id, account_id=account_id,
        qr_text=qr_text, simulated=simulated,
    )  # fmt: skip
    session.add(receipt)
    session.flush()
    return receipt


def void_receipt(
    session: Session, receipt_id: int, *, at: datetime, reason: str,
    operator_id: int | None = None, approval_id: int | None = None,
) -> ReceiptEvent:  # fmt: skip
    """Mark a receipt void with a new event row (the receipt itself is never changed)."""
    event = ReceiptEvent(
        receipt_id=receipt_id, kind="voided", at=at, reason=reason,
        operator_id=operator_id, approval_id=approval_id,
    )  # fmt: skip
    session.add(event)
    session.flush()
    return event
