"""Column headers of import files: Chinese names, English aliases, required and optional columns.

A header cell is matched after trimming and lower-casing (so "Meter_No" and " 电表号 " both match);
full-width brackets are folded so "余额（kWh）" matches "余额(kWh)".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from counter_app.imports.table import LineError

_FOLD = str.maketrans({"（": "(", "）": ")", "\ufeff": None, " ": None, "\u3000": None})


def normalise_header(cell: str) -> str:
    return cell.translate(_FOLD).strip().lower()


@dataclass(frozen=True)
class Column:
    """One column: its canonical field name, the Chinese header printed in errors and docs,
    every accepted spelling, and whether the file must have it."""

    field: str
    zh: str
    aliases: tuple[str, ...]
    required: bool = False

    def spellings(self) -> tuple[str, ...]:
        return tuple(normalise_header(a) for a in (self.zh, self.field, *self.aliases))


@dataclass(frozen=True)
class HeaderMap:
    """Which cell index holds which field; fields whose column is absent are not in `index`."""

    index: Mapping[str, int]

    def cell(self, cells: Sequence[str], field: str) -> str:
        i = self.index.get(field)
        return cells[i] if i is not None and i < len(cells) else ""


def lookup(columns: Sequence[Column]) -> dict[str, Column]:
    return {spelling: column for column in columns for spelling in column.spellings()}


def score(columns: Sequence[Column]) -> Callable[[Sequence[str]], int]:
    """A header scorer for `read_table`: how many cells name a known column."""
    known = lookup(columns)
    return lambda header: sum(1 for cell in header if normalise_header(cell) in known)


def map_header(header: Sequence[str], columns: Sequence[Column]) -> tuple[HeaderMap, list[LineError]]:
    """Match the header row (line 1). Unknown, repeated and missing required headers are errors,
    all of them reported at once."""
    known = lookup(columns)
    index: dict[str, int] = {}
    errors: list[LineError] = []
    for i, cell in enumerate(header):
        name = normalise_header(cell)
        if not name:
            continue
        column = known.get(name)
        if column is None:
            errors.append(LineError(1, cell, f"未知的列名“{cell}”", f"unknown column header {cell!r}"))
        elif column.field in index:
            errors.append(
                LineError(1, column.zh, f"列“{column.zh}”重复", f"column {column.field!r} appears twice")
            )
        else:
            index[column.field] = i
    for column in columns:
        if column.required and column.field not in index:
            errors.append(
                LineError(
                    1,
                    column.zh,
                    f"缺少必需的列“{column.zh}”",
                    f"required column {column.zh} ({column.field}) is missing",
                )
            )
    return HeaderMap(index), errors
