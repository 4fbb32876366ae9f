"""A row's columns as the database holds them, taken from the ORM object just flushed.

An audit entry carries the digest of its subject row "as the database holds it". Reading the row
back costs a statement per entry (four per sale, each a round trip on PostgreSQL; issue 16), yet
right after a flush the object's loaded attributes ARE what was written, provided each value is of
the plain type its column gives back: an int for an integer column (not a bool), a str for a
string, an aware datetime for `UtcDateTime`, a dict or list for JSON, and so on. Anything else —
an attribute the database filled in (a server default, expired), a value of another type that the
driver would convert (an int assigned to a string column), a subclass, a type not listed here —
returns None and the caller reads the row as before.

`COUNTER_CHECK_FLUSHED_ROWS=1` (set by the test suite) reads the row anyway and raises if the two
differ, so every audited insert the tests make proves the rule for its table.
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Callable, Mapping
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Integer, LargeBinary, String, Table, event
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeEngine

from base.canonical import normalise
from db import transaction_memo
from db.base import UtcDateTime

Accepts = Callable[[Any], bool]


def _int(v: Any) -> bool:
    return type(v) is int


def _str(v: Any) -> bool:
    return type(v) is str


def _bool(v: Any) -> bool:
    return type(v) is bool


def _aware(v: Any) -> bool:
    return type(v) is datetime and v.tzinfo is not None


def _date(v: Any) -> bool:
    return type(v) is date


def _json(v: Any) -> bool:
    # Its canonical form is checked by the digest itself (floats, non-string keys raise there).
    return type(v) is dict or type(v) is list


def _bytes(v: Any) -> bool:
    return type(v) is bytes


def _accepts(column_type: TypeEngine[Any]) -> Accepts | None:
    """What a value must be to equal what the database gives back for `column_type`; None: unknown."""
    if isinstance(column_type, UtcDateTime):
        return _aware
    for kind, accepts in (
        (Boolean, _bool), (Integer, _int), (String, _str), (Date, _date), (JSON, _json), (LargeBinary, _bytes),
    ):  # fmt: skip
        if isinstance(column_type, kind):
            return accepts
    return None


@cache
def _plan(table: Table, mapper: Any) -> tuple[tuple[str, str, Accepts, bool], ...] | None:
    """(column name, attribute key, check, NULL when never set) per column; None when a column's type
    is not plain. A column never set on the object was left out of the INSERT: the database holds
    NULL there unless it has a default of its own (a Python default would have been set)."""
    out = []
    for column in table.columns:
        accepts = _accepts(column.type)
        if accepts is None:
            return None
        null_when_unset = column.server_default is None and column.default is None and not column.primary_key
        out.append((column.name, mapper.get_property_by_column(column).key, accepts, null_when_unset))
    return tuple(out)


def flushed_row(session: Session, subject: Any) -> dict[str, Any] | None:
    """{column name: value} of `subject`, flushed and unchanged since; None when unsure."""
    state = sa_inspect(subject)
    if state.expired_attributes or state.modified or not state.has_identity:
        return None
    plan = _plan(subject.__table__, state.mapper)
    if plan is None:
        return None
    loaded = state.dict
    inserted = inserted_here(session, subject)  # (a loaded object may lack columns it was loaded without)
    row: dict[str, Any] = {}
    for name, key, accepts, null_when_unset in plan:
        if key not in loaded:
            if not (inserted and null_when_unset):
                return None
            row[name] = None
            continue
        value = loaded[key]
        if value is not None and not accepts(value):
            return None
        row[name] = value
    return row


# --- rows inserted in this transaction --------------------------------------------------------
# Kept with the root transaction (weakly: the identity map may let go of an object); a commit or a
# rollback forgets them. clock_watch uses the same knowledge: a row inserted in this transaction has
# no earlier audit entry.

_INSERTED = "inserted"  # (db/transaction_memo.py)


@event.listens_for(Session, "pending_to_persistent")
def _note_inserted(session: Session, instance: Any) -> None:
    transaction_memo.recall_or_keep(session, _INSERTED, weakref.WeakSet).add(instance)


def inserted_here(session: Session, subject: Any) -> bool:
    """Whether `subject` was inserted by `session` in its current transaction."""
    inserted = transaction_memo.recall(session, _INSERTED)
    return inserted is not None and subject in inserted


def checking() -> bool:
    return os.environ.get("COUNTER_CHECK_FLUSHED_ROWS") == "1"


def check_equal(table: Table, from_state: Mapping[str, Any], from_database: Mapping[Any, Any]) -> None:
    """Under COUNTER_CHECK_FLUSHED_ROWS: the two readings of one row must be the same."""
    differ = {name: (from_state[name], from_database[name]) for name in from_state
              if normalise(from_state[name]) != normalise(from_database[name])}  # fmt: skip
    if differ:
        raise AssertionError(f"{table.name}: flushed object differs from the database: {differ}")
