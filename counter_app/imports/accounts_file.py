"""The housing office's yearly room list (DOMAIN.md "Yearly import"): parsing and checking, no database.

    parsed = parse_accounts_file("2025宿舍.xlsx")
    if not parsed.ok:
        for e in parsed.errors: ...        # every bad line with its reason, not just the first
    plan = diff_import(parsed.rows, existing)   # counter_app.imports.accounts_plan

The file format is documented in docs/imports.md. Checks here need only the file itself: the diff
against the rooms already in the database lives in `accounts_plan`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import NamedTuple

from base.validation import HOLDER_MAX_LEN, meter_no_problem, phone_problem
from base.vocabulary import CLASS_CODES, CLASS_LABELS
from counter_app.imports.headers import Column, HeaderMap, map_header, score
from counter_app.imports.table import LineError, read_table

# The class column holds the Chinese label or the code.
CLASS_BY_NAME = {name: code for code in CLASS_CODES for name in (CLASS_LABELS[code], code)}

# No dormitory or household holds more than this many beds or people; a larger number is a typo
# (a phone number in the wrong column, a stray zero), not a room.
MAX_COUNT = 50


COLUMNS = (
    Column("campus", "校区", ("校区名称",), required=True),
    Column("building", "楼栋", ("楼号", "楼栋号"), required=True),
    Column("unit", "单元", ("单元号",)),
    Column("room", "房间", ("房间号", "room_no"), required=True),
    Column("cls", "类别", ("class", "类型"), required=True),
    Column("beds", "床位", ("床位数",)),
    Column("undergrad", "本科", ("本科生",)),
    Column("master", "研究生", ("硕士",)),
    Column("phd", "博士", ("博士生",)),
    Column("meter_no", "电表号", ("表号", "meter"), required=True),
    Column("holder", "户主", ("姓名",)),
    Column("phone", "电话", ("联系电话", "tel")),
)
_ZH = {c.field: c.zh for c in COLUMNS}
OCCUPANT_CATEGORIES = ("undergrad", "master", "phd")


class RoomKey(NamedTuple):
    """A room's place: (campus, building, unit, room); unit is "" when the building has none."""

    campus: str
    building: str
    unit: str
    room: str

    def label(self) -> str:
        parts = [self.building, self.unit, self.room] if self.unit else [self.building, self.room]
        return f"{self.campus} {'-'.join(parts)}"


@dataclass(frozen=True)
class Occupants:
    """People living in a room, by category (本科/研究生/博士): the free-quota basis."""

    undergrad: int = 0
    master: int = 0
    phd: int = 0

    @property
    def total(self) -> int:
        return self.undergrad + self.master + self.phd

    def as_dict(self) -> dict[str, int]:
        return {"undergrad": self.undergrad, "master": self.master, "phd": self.phd}


@dataclass(frozen=True)
class ImportRow:
    """One good line of the yearly file. `cls` is a class code (dorm|staff|business); `holder`
    and `phone` are "" when not given."""

    line: int
    campus: str
    building: str
    unit: str
    room: str
    cls: str
    beds: int
    occupants: Occupants
    meter_no: str
    holder: str = ""
    phone: str = ""

    @cached_property  # asked for many times a row by the plan and the chunks
    def key(self) -> RoomKey:
        return RoomKey(self.campus, self.building, self.unit, self.room)


@dataclass(frozen=True)
class ParsedImport:
    """What the file holds: `rows` (every line that parsed), `errors` (every refused line, sorted by
    line) and the encoding found ("utf-8", "gb18030", "xlsx"; None when unreadable). An import may
    only go ahead when `ok`."""

    rows: tuple[ImportRow, ...]
    errors: tuple[LineError, ...]
    encoding: str | None

    @property
    def ok(self) -> bool:
        return not self.errors


def parse_accounts_file(path: Path | str) -> ParsedImport:
    """Read and check a yearly import file (CSV UTF-8/GB18030 or XLSX). Never raises for content:
    every problem is a `LineError`."""
    table = read_table(path, score(COLUMNS))
    if table.error is not None:
        return ParsedImport((), (table.error,), table.encoding)
    header, errors = map_header(table.header, COLUMNS)
    if not table.header:
        errors = [LineError(1, "表头", "文件为空，缺少表头", "the file is empty: no header row")]
    rows: list[ImportRow] = []
    if not errors:  # with unusable headers every line would repeat the same complaint
        fields = _fields(header)
        identities: list[tuple[int, RoomKey, str]] = []
        for line, cells in table.rows:
            text = fields(cells)
            row, line_errors = _parse_line(line, text)
            errors.extend(line_errors)
            if row is not None:
                rows.append(row)
            identities.append((line, _room_key(text), text["meter_no"]))
        # On every line, not only the good ones: the office must see both lines of a duplicate
        # even when one of them has another mistake too.
        errors.extend(_duplicates(identities))
    errors.extend(table.problems)  # rows refused while reading: control characters, inexact numbers, formulas
    return ParsedImport(tuple(rows), tuple(sorted(errors, key=lambda e: e.line)), table.encoding)


@dataclass
class _Line:
    """Errors gathered for one line, so every reason on it is reported, not only the first."""

    line: int
    errors: list[LineError] = field(default_factory=list)

    def fail(self, name: str, zh: str, en: str) -> None:
        self.errors.append(LineError(self.line, _ZH.get(name, name), zh, en))


def _fields(header: HeaderMap) -> Callable[[tuple[str, ...]], dict[str, str]]:
    """A line's cells → {field: text} for every column ("" where the file has no such column or
    the line is short), as `header.cell` gives them; built once per file (20,000 lines × 12
    columns were 240,000 calls, docs/benchmarks.md §5)."""
    present = [(c.field, header.index[c.field]) for c in COLUMNS if c.field in header.index]
    absent = {c.field: "" for c in COLUMNS if c.field not in header.index}
    width = max((i for _, i in present), default=-1) + 1

    def fields(cells: tuple[str, ...]) -> dict[str, str]:
        if len(cells) < width:
            cells = (*cells, *[""] * (width - len(cells)))
        text = {name: cells[i] for name, i in present}
        text.update(absent)
        return text

    return fields


def _room_key(text: dict[str, str]) -> RoomKey:
    return RoomKey(text["campus"], text["building"], text["unit"], text["room"])


def _parse_line(line: int, text: dict[str, str]) -> tuple[ImportRow | None, list[LineError]]:
    acc = _Line(line)
    for name in ("campus", "building", "room", "meter_no"):
        if not text[name]:
            acc.fail(name, f"{_ZH[name]}不能为空", f"{name} is required")
    cls = _class(text["cls"], acc)
    counts = {name: _count(text[name], name, acc) for name in ("beds", *OCCUPANT_CATEGORIES)}
    occupants = Occupants(*(counts[c] or 0 for c in OCCUPANT_CATEGORIES))
    _check_meter_and_phone(text, acc)
    if cls is not None:
        _check_class_rules(cls, text["beds"], counts["beds"], occupants, text["holder"], acc)
    if acc.errors or cls is None:
        return None, acc.errors
    row = ImportRow(
        line,
        text["campus"],
        text["building"],
        text["unit"],
        text["room"],
        cls,
        counts["beds"] or 0,
        occupants,
        text["meter_no"],
        text["holder"],
        text["phone"],
    )
    return row, []


def _class(raw: str, acc: _Line) -> str | None:
    if not raw:
        acc.fail("cls", "类别不能为空", "class is required")
        return None
    cls = CLASS_BY_NAME.get(raw) or CLASS_BY_NAME.get(raw.lower())
    if cls is None:
        acc.fail(
            "cls",
            f"未知的类别“{raw}”（应为 学生公寓/教职工/实体经营）",
            f"unknown class {raw!r} (expected dorm/staff/business)",
        )
    return cls


_NEGATIVE = re.compile(r"-\s*\d+")
_WHOLE = re.compile(r"\d+")


def _count(raw: str, name: str, acc: _Line) -> int | None:
    """A head or bed count: empty is None (0 for occupants), otherwise a whole number 0..MAX_COUNT."""
    if not raw:
        return None
    if _NEGATIVE.fullmatch(raw):
        acc.fail(name, f"{_ZH[name]}不能为负数：{raw}", f"{name} is negative: {raw}")
        return None
    if not _WHOLE.fullmatch(raw):
        acc.fail(name, f"{_ZH[name]}应为整数：{raw}", f"{name} is not a whole number: {raw!r}")
        return None
    value = int(raw)
    if value > MAX_COUNT:
        acc.fail(
            name,
            f"{_ZH[name]}数值不合理（超过 {MAX_COUNT}）：{raw}",
            f"{name} is implausible (over {MAX_COUNT}): {raw}",
        )
        return None
    return value


def _check_meter_and_phone(text: dict[str, str], acc: _Line) -> None:
    """The counter's own rules (base.validation), so a file cannot bring in what the screen refuses."""
    meter_problem = meter_no_problem(text["meter_no"]) if text["meter_no"] else None
    if meter_problem is not None:
        acc.fail("meter_no", *meter_problem)
    phone = phone_problem(text["phone"]) if text["phone"] else None
    if phone is not None:
        acc.fail("phone", *phone)
    if len(text["holder"]) > HOLDER_MAX_LEN:
        acc.fail(
            "holder", f"户主太长（最多 {HOLDER_MAX_LEN} 个字符）", f"holder longer than {HOLDER_MAX_LEN}"
        )


def _check_class_rules(
    cls: str, raw_beds: str, beds: int | None, occupants: Occupants, holder: str, acc: _Line
) -> None:
    if cls == "dorm":
        if not raw_beds or beds == 0:
            acc.fail("beds", "学生公寓必须填写床位数（大于 0）", "a dorm room needs a bed count above 0")
        elif beds is not None and occupants.total > beds:
            acc.fail(
                "beds",
                f"入住人数 {occupants.total} 超过床位数 {beds}",
                f"{occupants.total} occupants exceed {beds} beds",
            )
    elif not holder:
        acc.fail("holder", f"{CLASS_LABELS[cls]}必须填写户主", f"a {cls} account needs a holder")


def _duplicates(identities: Iterable[tuple[int, RoomKey, str]]) -> list[LineError]:
    """Two lines for one room, or one meter on two lines: every line of the group is named, each
    pointing at the others, so the office can decide which one is right."""
    by_room: dict[RoomKey, list[int]] = defaultdict(list)
    by_meter: dict[str, list[int]] = defaultdict(list)
    for line, key, meter_no in identities:
        if key.campus and key.building and key.room:
            by_room[key].append(line)
        if meter_no:
            by_meter[meter_no].append(line)
    errors = []
    for key, lines in by_room.items():
        errors += _group_errors(lines, "房间", f"房间 {key.label()} 重复", f"room {key.label()} repeated")
    for meter, lines in by_meter.items():
        errors += _group_errors(lines, "电表号", f"电表号 {meter} 重复", f"meter number {meter} repeated")
    return errors


def _group_errors(lines: list[int], field_zh: str, zh: str, en: str) -> list[LineError]:
    if len(lines) < 2:
        return []
    out = []
    for line in lines:
        others = "、".join(str(n) for n in lines if n != line)
        others_en = ", ".join(str(n) for n in lines if n != line)
        out.append(LineError(line, field_zh, f"{zh}（另见第 {others} 行）", f"{en} (also line {others_en})"))
    return out
