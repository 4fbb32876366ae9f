"""A report as plain data: what counter_app.settlement.reports computes and this package renders.

Cells keep their units (fen, ckwh, price_e4) to the edge; `Column.kind` says how to show them.
Nothing here knows the date a report was made: a report regenerated for a past range is the same
data, so the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from receipts.tables import Cell, Column


@dataclass(frozen=True)
class HourChart:
    """A bar chart of one value per hour 0..23 (e.g. sales by hour, in whole yuan), or, with
    `labels`, one value per label (the monthly trend: one per accounting month)."""

    title: str
    values: tuple[int, ...]
    unit: str = "元"
    labels: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if len(self.values) != (len(self.labels) if self.labels else 24):
            raise ValueError("an hour chart has 24 values; a labelled chart one per label")

    @property
    def bar_labels(self) -> tuple[str, ...]:
        return self.labels or tuple(str(h) for h in range(24))


@dataclass(frozen=True)
class ReportTable:
    kind: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    total: tuple[Cell, ...] | None = None
    header_lines: tuple[str, ...] = ()
    form_no: str | None = None
    wide: bool = False
    chart: HourChart | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    sign_labels: tuple[str, ...] = ()

    @property
    def sheet_name(self) -> str:
        return self.title[:31]


def as_rows(rows: Sequence[Sequence[Cell]]) -> tuple[tuple[Cell, ...], ...]:
    return tuple(tuple(r) for r in rows)
