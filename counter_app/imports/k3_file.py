"""Finance's K3 ledger figures per building for one month (the four-party reconciliation's third
party): parsing and checking, no database. Layout in docs/imports.md: 楼栋, 收入（元）, 电量（kWh）."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from base.errors import InputInvalid
from base.money import parse_kwh, parse_yuan
from counter_app.imports.headers import Column, map_header, score
from counter_app.imports.table import LineError, read_table

COLUMNS = (
    Column("building", "楼栋", ("楼号", "楼栋号"), required=True),
    Column("takings", "收入(元)", ("收入", "金额", "金额(元)", "takings_yuan"), required=True),
    Column("energy", "电量(kWh)", ("电量", "energy_kwh"), required=True),
)


@dataclass(frozen=True)
class K3Row:
    line: int
    building: str
    takings_fen: int
    energy_ckwh: int


@dataclass(frozen=True)
class ParsedK3:
    rows: tuple[K3Row, ...]
    errors: tuple[LineError, ...]
    encoding: str | None


def parse_k3_file(path: Path | str) -> ParsedK3:
    table = read_table(path, score(COLUMNS))
    if table.error is not None:
        return ParsedK3((), (table.error,), table.encoding)
    header, errors = map_header(table.header, COLUMNS)
    rows: list[K3Row] = []
    seen: dict[str, int] = {}
    for line, cells in table.rows if not errors else ():
        building = header.cell(cells, "building")
        if not building:
            errors.append(LineError(line, "楼栋", "楼栋不能为空", "building is required"))
            continue
        if building in seen:
            errors.append(LineError(line, "楼栋", f"楼栋 {building} 重复（另见第 {seen[building]} 行）",
                                    f"building {building} repeated"))  # fmt: skip
            continue
        seen[building] = line
        try:
            fen = parse_yuan(header.cell(cells, "takings"), "收入", "takings")
            ckwh = parse_kwh(header.cell(cells, "energy"), "电量", "energy")
        except InputInvalid as error:
            errors.append(LineError(line, error.field or "", error.detail or "", error.detail_en or ""))
            continue
        rows.append(K3Row(line, building, fen, ckwh))
    errors.extend(table.problems)
    return ParsedK3(tuple(rows), tuple(sorted(errors, key=lambda e: e.line)), table.encoding)
