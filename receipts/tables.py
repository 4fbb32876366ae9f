"""Column descriptions shared by PDF tables and XLSX sheets, so a report is defined once.

A cell's value keeps its unit until the edge: money as int fen (`kind="yuan"`), energy as int ckwh
(`kind="kwh"`), prices as price_e4; this module formats them for reading.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Literal, TypeVar

from base.clock import BUSINESS_TZ
from base.money import format_kwh, format_price, format_yuan

ColumnKind = Literal["text", "int", "yuan", "kwh", "price", "date", "datetime"]
Cell = str | int | Decimal | date | datetime | None
NUMERIC_KINDS = ("int", "yuan", "kwh", "price")
T = TypeVar("T")


@dataclass(frozen=True)
class Column:
    title: str
    kind: ColumnKind = "text"
    width: float | None = None  # PDF: millimetres; XLSX: characters. None = from the content


def format_cell(column: Column, value: Cell) -> str:
    """The text a person reads for `value` in `column`."""
    if value is None:
        return ""
    if column.kind == "yuan":
        return format_yuan(cell_int(value))
    if column.kind == "kwh":
        return format_kwh(cell_int(value))
    if column.kind == "price":
        return format_price(cell_int(value))
    if column.kind == "datetime":
        return local_naive(_cell_as(value, datetime)).strftime("%Y-%m-%d %H:%M:%S")
    if column.kind == "date":
        return _cell_as(value, date).isoformat()
    return str(value)


def cell_int(value: str | int | Decimal | date) -> int:
    """A numeric column's cell as int (fen, ckwh, price_e4; an import may hand a Decimal or digits)."""
    if isinstance(value, date):  # int() refuses a date too; say which cell kind was wrong
        raise TypeError(f"a date in a numeric column: {value!r}")
    return int(value)


def _cell_as(value: object, kind: type[T]) -> T:
    """The cell of a date or datetime column, which holds only that type (a caller's bug otherwise)."""
    if not isinstance(value, kind):
        raise TypeError(f"expected {kind.__name__}, got {value!r}")
    return value


def local_naive(moment: datetime) -> datetime:
    """An aware time as Asia/Shanghai wall-clock time without tzinfo (spreadsheets have no zones)."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: every time in the counter is aware")
    return moment.astimezone(BUSINESS_TZ).replace(tzinfo=None)
