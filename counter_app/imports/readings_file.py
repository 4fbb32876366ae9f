"""The electricians' monthly meter readings (DOMAIN "Monthly checks"): parsing and checking, no database.

    parsed = parse_readings_file("2026-11抄表.xlsx")
    if not parsed.ok:
        for e in parsed.errors: ...        # every bad line with its spreadsheet line number

One line per meter: the building's main meter (总表) and its sub-meters (分表, normally one per
room, numbered as the room's meter). Consumption is this reading minus the last one; a reading
lower than the last is refused (a meter that rolled over or was replaced is entered with the new
meter's own readings). The layout is documented in docs/imports.md.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from base.errors import InputInvalid
from base.money import parse_kwh
from base.validation import meter_no_problem
from counter_app.imports.headers import Column, HeaderMap, map_header, score
from counter_app.imports.table import LineError, read_table

# 总表 / 分表, or the English words, as the electricians write them.
METER_KINDS = {"总表": "main", "main": "main", "分表": "sub", "sub": "sub", "户表": "sub"}
# A meter reading above this is a typo (the largest meters show six whole digits).
MAX_READING_CKWH = 99_999_999

COLUMNS = (
    Column("building", "楼栋", ("楼号", "楼栋号"), required=True),
    Column("kind", "表类型", ("类型", "meter_kind"), required=True),
    Column("meter_no", "表号", ("电表号", "meter"), required=True),
    Column("previous", "上次读数", ("上月读数", "previous_kwh"), required=True),
    Column("current", "本次读数", ("本月读数", "current_kwh"), required=True),
    Column("reader", "抄表人", ("电工", "electrician")),
)
_ZH = {c.field: c.zh for c in COLUMNS}


@dataclass(frozen=True)
class ReadingRow:
    """One good line: `kind` is "main" or "sub"; readings in 0.01 kWh."""

    line: int
    building: str
    kind: str
    meter_no: str
    previous_ckwh: int
    current_ckwh: int
    reader: str = ""

    @property
    def consumption_ckwh(self) -> int:
        return self.current_ckwh - self.previous_ckwh


@dataclass(frozen=True)
class ParsedReadings:
    rows: tuple[ReadingRow, ...]
    errors: tuple[LineError, ...]
    encoding: str | None

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def parse_readings_file(path: Path | str) -> ParsedReadings:
    """Read and check a readings file (CSV UTF-8/GB18030 or XLSX). Never raises for content."""
    table = read_table(path, score(COLUMNS))
    if table.error is not None:
        return ParsedReadings((), (table.error,), table.encoding)
    header, errors = map_header(table.header, COLUMNS)
    if not table.header:
        errors = [LineError(1, "表头", "文件为空，缺少表头", "the file is empty: no header row")]
    rows: list[ReadingRow] = []
    if not errors:
        for line, cells in table.rows:
            row, line_errors = parse_line(line, cells, header)
            errors.extend(line_errors)
            if row is not None:
                rows.append(row)
        errors.extend(_repeated_meters(rows))
        errors.extend(_buildings_without_main(rows))
    errors.extend(table.problems)
    return ParsedReadings(tuple(rows), tuple(sorted(errors, key=lambda e: e.line)), table.encoding)


def parse_line(
    line: int, cells: tuple[str, ...], header: HeaderMap
) -> tuple[ReadingRow | None, list[LineError]]:
    """One line of the file: the row, or every reason it is refused."""
    text = {c.field: header.cell(cells, c.field) for c in COLUMNS}
    errors: list[LineError] = []

    def fail(name: str, zh: str, en: str) -> None:
        errors.append(LineError(line, _ZH[name], zh, en))

    for name in ("building", "meter_no"):
        if not text[name]:
            fail(name, f"{_ZH[name]}不能为空", f"{name} is required")
    kind = METER_KINDS.get(text["kind"].lower()) if text["kind"] else None
    if kind is None:
        fail(
            "kind",
            f"表类型应为 总表 或 分表：{text['kind']!r}",
            f"meter kind must be main or sub: {text['kind']!r}",
        )
    if text["meter_no"]:
        problem = meter_no_problem(text["meter_no"])
        if problem is not None:
            fail("meter_no", *problem)
    readings = {name: _reading(text[name], name, fail) for name in ("previous", "current")}
    previous, current = readings["previous"], readings["current"]
    if previous is not None and current is not None and current < previous:
        fail("current", f"本次读数 {text['current']} 小于上次读数 {text['previous']}",
             f"current reading {text['current']} is below the previous {text['previous']}")  # fmt: skip
    if errors or kind is None or previous is None or current is None:
        return None, errors
    return ReadingRow(line, text["building"], kind, text["meter_no"], previous, current, text["reader"]), []


def _reading(raw: str, name: str, fail: Callable[[str, str, str], None]) -> int | None:
    if not raw:
        fail(name, f"{_ZH[name]}不能为空", f"{name} is required")
        return None
    try:
        value = parse_kwh(raw, _ZH[name], name)
    except InputInvalid as error:
        fail(
            name,
            error.detail or f"{_ZH[name]}不是有效读数",
            error.detail_en or f"{name} is not a reading: {raw!r}",
        )
        return None
    if value > MAX_READING_CKWH:
        fail(name, f"{_ZH[name]}数值不合理：{raw}", f"{name} is implausible: {raw}")
        return None
    return value


def _repeated_meters(rows: list[ReadingRow]) -> list[LineError]:
    """A meter read twice in one file: both lines are named, so the electrician decides which."""
    lines: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        lines[row.meter_no].append(row.line)
    out = []
    for meter, found in lines.items():
        for line in found if len(found) > 1 else ():
            others = "、".join(str(n) for n in found if n != line)
            out.append(
                LineError(line, "表号", f"表号 {meter} 重复（另见第 {others} 行）", f"meter {meter} repeated")
            )
    return out


def _buildings_without_main(rows: list[ReadingRow]) -> list[LineError]:
    """The loss check needs each building's main meter: sub-meters alone are refused, and two
    main meters for one building are summed (a building fed twice), which is allowed."""
    mains = {row.building for row in rows if row.kind == "main"}
    missing: dict[str, int] = {}
    for row in rows:
        if row.kind == "sub" and row.building not in mains:
            missing.setdefault(row.building, row.line)
    return [LineError(line, "楼栋", f"楼栋 {b} 没有总表读数", f"building {b} has no main-meter line")
            for b, line in missing.items()]  # fmt: skip
