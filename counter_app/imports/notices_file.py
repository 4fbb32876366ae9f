"""Receivables lists (应收清单) from finance or the inspection department: one notice per line,
read from CSV (UTF-8/GB18030) or XLSX through counter_app/imports/table.py; every problem is a
`LineError` with the line the spreadsheet shows (header = 1), never an exception.

Columns (Chinese header, English aliases accepted): 通知单号 (required, unique in the file), 类别
(维修/交费/采暖 or repair/utility/heating), 缴费人 (required), 金额（元） (required, > 0, at most two
decimals), 开单部门 (else the department given for the whole list), 账号, 维修日期 (YYYY-MM-DD; a
repair needs it and 维修人).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from base.errors import UserFacingError
from base.money import parse_yuan
from base.validation import AMOUNT_MAX_FEN
from counter_app.imports.headers import Column, HeaderMap, map_header, score
from counter_app.imports.table import LineError, read_table

COLUMNS = (
    Column("notice_no", "通知单号", ("单号", "编号"), required=True),
    Column("kind", "类别", ("项目", "类型"), required=True),
    Column("payer", "缴费人", ("缴费单位", "姓名"), required=True),
    Column("amount", "金额(元)", ("金额", "应收金额", "amount_yuan"), required=True),
    Column("department", "开单部门", ("部门",)),
    Column("account_no", "账号", ("户号",)),
    Column("repair_date", "维修日期", ("日期",)),
    Column("repairman", "维修人", ("维修工",)),
)
_ZH = {c.field: c.zh for c in COLUMNS}
KINDS = {
    "维修": "repair", "维修费": "repair", "repair": "repair",
    "交费": "utility", "水电费": "utility", "代收水电费": "utility", "utility": "utility",
    "采暖": "heating", "采暖费": "heating", "heating": "heating",
}  # fmt: skip
TEXT_MAX = 100


@dataclass(frozen=True)
class ReceivableRow:
    line: int
    notice_no: str
    kind: str
    payer: str
    amount_fen: int
    department: str
    account_no: str | None
    repair_date: date | None
    repairman: str | None


@dataclass(frozen=True)
class ParsedReceivables:
    rows: tuple[ReceivableRow, ...]
    errors: tuple[LineError, ...]
    encoding: str | None = None


@dataclass
class _Line:
    line: int
    errors: list[LineError] = field(default_factory=list)

    def fail(self, name: str, zh: str, en: str) -> None:
        self.errors.append(LineError(self.line, _ZH.get(name, name), zh, en))


def parse_receivables_file(path: Path | str, department: str | None = None) -> ParsedReceivables:
    """Read and check a receivables list; `department` fills lines without 开单部门."""
    table = read_table(path, score(COLUMNS))
    if table.error is not None:
        return ParsedReceivables((), (table.error,), table.encoding)
    header, errors = map_header(table.header, COLUMNS)
    if not table.header:
        errors = [LineError(1, "表头", "文件为空，缺少表头", "the file is empty: no header row")]
    rows: list[ReceivableRow] = []
    if not errors:
        seen: dict[str, int] = {}
        for line, cells in table.rows:
            row, line_errors = _parse_line(line, cells, header, department)
            if row is not None and row.notice_no in seen:
                line_errors.append(LineError(line, _ZH["notice_no"], f"通知单号与第 {seen[row.notice_no]} 行重复",
                                             f"notice number repeats line {seen[row.notice_no]}"))  # fmt: skip
            errors.extend(line_errors)
            if row is not None and not line_errors:
                seen[row.notice_no] = line
                rows.append(row)
    errors.extend(table.problems)
    return ParsedReceivables(tuple(rows), tuple(sorted(errors, key=lambda e: e.line)), table.encoding)


def _parse_line(
    line: int, cells: tuple[str, ...], header: HeaderMap, department: str | None
) -> tuple[ReceivableRow | None, list[LineError]]:
    acc = _Line(line)
    text = {c.field: header.cell(cells, c.field).strip() for c in COLUMNS}
    for name in ("notice_no", "payer"):
        if not text[name]:
            acc.fail(name, f"{_ZH[name]}不能为空", f"{name} is required")
    for name, value in text.items():
        if len(value) > TEXT_MAX:
            acc.fail(name, f"{_ZH[name]}过长（最多 {TEXT_MAX} 字）", f"{name} longer than {TEXT_MAX}")
    kind = KINDS.get(text["kind"].lower())
    if kind is None:
        acc.fail(
            "kind",
            f"类别应为维修、交费或采暖：{text['kind']}",
            f"kind must be repair, utility or heating: {text['kind']!r}",
        )
    amount = _amount(text["amount"], acc)
    dept = text["department"] or (department or "").strip()
    if not dept:
        acc.fail("department", "须注明开单部门", "the issuing department is needed")
    repair_date = _date(text["repair_date"], acc)
    if kind == "repair" and (repair_date is None or not text["repairman"]):
        acc.fail("repair_date", "维修通知单须填写维修日期和维修人", "a repair needs its date and repairman")
    if acc.errors or kind is None or amount is None:
        return None, acc.errors
    row = ReceivableRow(line, text["notice_no"], kind, text["payer"], amount, dept, text["account_no"] or None,
                        repair_date, text["repairman"] or None)  # fmt: skip
    return row, []


def _amount(raw: str, acc: _Line) -> int | None:
    try:
        fen = parse_yuan(raw.replace(",", ""), "金额")
    except UserFacingError:
        acc.fail("amount", f"金额格式不对：{raw}", f"amount is not a yuan figure: {raw!r}")
        return None
    if fen <= 0 or fen > AMOUNT_MAX_FEN:
        acc.fail("amount", "金额须大于零", "amount must be positive")
        return None
    return fen


def _date(raw: str, acc: _Line) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw.replace("/", "-")[:10])
    except ValueError:
        acc.fail("repair_date", f"日期格式不对：{raw}（应为 2026-11-20）", f"date is not YYYY-MM-DD: {raw!r}")
        return None
