"""Declarative base, naming convention and column types shared by every model.

- A naming convention from day one: Alembic batch mode on SQLite recreates tables and needs stable
  constraint names (alembic batch docs; sqlalchemy/alembic#1834).
- Money, energy and prices are BigInteger columns holding integers (fen, 0.01 kWh, 0.0001 yuan/kWh).
  Numeric on SQLite is stored as REAL and SUMs in binary floating point: never use it for money.
- Times are stored as aware UTC (`UtcDateTime`): SQLite has no time zone type, PostgreSQL's
  timestamptz does; both come back aware.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, BigInteger, DateTime, ForeignKey, Integer, MetaData, String, Table, TypeDecorator
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    # Every model here is mapped to a Table (DeclarativeBase types it as the wider FromClause).
    __table__: ClassVar[Table]


# Integer amounts. BigInteger everywhere money or energy adds up (ten years of a campus in fen
# fits in 64 bits with room to spare; 32 bits would not).
Fen = BigInteger
CKwh = BigInteger
PriceE4 = BigInteger

# SQLite only makes INTEGER PRIMARY KEY an alias of the rowid (autoincrementing); BIGINT would not.
IntPK = BigInteger().with_variant(Integer(), "sqlite")


class UtcDateTime(TypeDecorator[datetime]):
    """Aware datetimes stored as UTC; naive values are refused (every time in the counter is aware)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: use the injected clock")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def code_column(length: int = 32) -> String:
    return String(length)


def operator_fk(*, nullable: bool = False, index: bool = False) -> Any:
    """A column referring to the person (`operators.id`, owned by db/models/security.py)."""
    return mapped_column(IntPK, ForeignKey("operators.id"), nullable=nullable, index=index)


def in_list(column: str, values: Iterable[str]) -> str:
    """SQL text for a CHECK that `column` takes one of `values` (codes are plain ASCII)."""
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


# JSON documents (payloads to re-print a receipt, event details). JSONB on PostgreSQL.
JsonDoc = JSON().with_variant(JSONB(), "postgresql")

# A UUID kept as its 36-character text: the same on both backends and readable in a dump.
UUID_TEXT_LENGTH = 36


def approval_fk() -> Any:
    """The co-signature behind a row (`approvals.id`, db/models/security.py), if one was needed."""
    return mapped_column(IntPK, ForeignKey("approvals.id"), nullable=True)


def row_mac_column() -> Any:
    """`row_mac`: the row's seal, HMAC-SHA256 of its other columns with a key derived from the
    audit key (written and checked by counter_app.row_seals; NULL means "never sealed", refused)."""
    return mapped_column(String(64), nullable=True)
