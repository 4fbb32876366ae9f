"""Column descriptions shared by PDF tables and XLSX sheets, so a report is defined once.

A cell's value keeps its unit until the edge: money as int fen (`kind="yuan"`), energy as int ckwh
(`kind="kwh"`), prices as price_e4; this module formats them for reading.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from base.clock import BUSINESS_TZ
from base.money import format_kwh, format_price, format_yuan

ColumnKind = Literal["text", "int", "yuan", "kwh", "price", "date", "datetime"]
Cell = str | int | Decimal | date | datetime | None
NUMERIC_KINDS = ("int", "yuan", "kwh", "price")


@dataclass(frozen=True)
class Column:
    title: str
    kind: ColumnKind = "text"
    width: float | None = None  # PDF: millimetres; XLSX: characters. None = from the content


def format_cell(column: Column, value: Cell) -> str:
    """The text a person reads for `value` in `column`."""
    if value is None:
        return ""
    formatters = {
        "yuan": lambda v: format_yuan(int(v)),
        "kwh": lambda v: format_kwh(int(v)),
        "price": lambda v: format_price(int(v)),
        "datetime": lambda v: local_naive(v).strftime("%Y-%m-%d %H:%M:%S"),
        "date": lambda v: v.isoformat(),
    }
    return formatters.get(column.kind, str)(value)


def local_naive(moment: datetime) -> datetime:
    """An aware time as Asia/Shanghai wall-clock time without tzinfo (spreadsheets have no zones)."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: every time in the counter is aware")
    return moment.astimezone(BUSINESS_TZ).replace(tzinfo=None)
