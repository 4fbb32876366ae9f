"""Statement files of the tenders matched against the ledger (issue 15 item 2; docs/imports.md
"Tender statements"): the WeChat Pay 交易账单 and the Alipay 业务明细 as the platforms export them
(T+1), and the network centre's 一卡通 settlement file, CSV or XLSX (read by counter_app.imports.table).

Tolerant of what the platforms put around the table, strict about the figures:
- lines before the header (Alipay's `#支付宝业务明细查询`, the account, the period) are skipped: the
  header is the first row naming a reference or a date column AND an amount column;
- a row starting with `#` or WeChat's `总交易单数` summary ends the table (the totals after it are
  the platform's, not transactions);
- WeChat's backtick before every cell (`` `4200001234 ``) is dropped;
- amounts are yuan with at most two decimals, an optional sign and ¥/￥, kept in integer fen; a
  refund row (交易状态 REFUND, 业务类型 退款…) counts negative (its 退款金额 when given).
Every refused row is named with the line the spreadsheet shows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from base.errors import InputInvalid
from base.money import parse_yuan
from counter_app.imports.headers import normalise_header
from counter_app.imports.table import LineError, read_table

# Field → accepted header spellings, best first (a file with two of them uses the first present).
COLUMNS: dict[str, tuple[str, ...]] = {
    "reference": ("微信订单号", "微信支付订单号", "支付宝交易号", "交易流水号", "流水号", "交易号", "交易参考号",
                  "transaction_id", "trade_no", "reference"),
    "merchant_ref": ("商户订单号", "out_trade_no", "merchant_order_no"),
    "at": ("交易时间", "完成时间", "创建时间", "交易日期", "日期", "结算日期", "time", "date"),
    "amount": ("应结订单金额", "商家实收(元)", "订单金额(元)", "交易金额", "金额(元)", "金额", "结算金额",
               "amount", "amount_yuan"),
    "refund": ("退款金额", "申请退款金额", "refund", "refund_yuan"),
    "status": ("交易状态", "业务类型", "交易类型", "status", "type"),
    "count": ("笔数", "交易笔数", "count"),
}  # fmt: skip
REFUND_WORDS = ("REFUND", "退款", "转入退款", "冲正", "REVOKED")
_SUMMARY_STARTS = ("#", "总交易单数", "总笔数", "合计")
_HEADER_SEARCH_ROWS = 30
_DATE_RE = re.compile(r"^\s*(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")


@dataclass(frozen=True)
class StatementLine:
    line: int
    reference: str | None
    merchant_ref: str | None
    on: date | None
    fen: int  # negative for a refund
    count: int = 1


@dataclass(frozen=True)
class Statement:
    lines: tuple[StatementLine, ...]
    by_reference: bool  # the file names each transaction; otherwise it gives sums per day
    problems: tuple[LineError, ...] = ()

    @property
    def total_fen(self) -> int:
        return sum(s.fen for s in self.lines)


def read_statement(path: Path | str) -> Statement:
    """The statement at `path`; INPUT_INVALID (field `file`) when it cannot be read at all."""
    table = read_table(path, _score)
    if table.error is not None:
        raise InputInvalid(table.error.describe(), detail_en=table.error.message_en, field="file")
    parsed = parse_statement_rows([(1, table.header), *table.rows])
    return Statement(parsed.lines, parsed.by_reference, (*table.problems, *parsed.problems))


def _score(header: Sequence[str]) -> int:
    known = {normalise_header(s) for spellings in COLUMNS.values() for s in spellings}
    return sum(1 for cell in header if normalise_header(_clean(cell)) in known)


def _clean(cell: str) -> str:
    return (cell or "").strip().lstrip("`").strip()


def parse_statement_rows(rows: Sequence[tuple[int, Sequence[str]]]) -> Statement:
    """Pure: numbered rows of text cells (header included, wherever it is) → the statement."""
    start = _header_row(rows)
    if start is None:
        raise InputInvalid("找不到表头：须有交易号或日期列，以及金额列",
                           detail_en="no header row with a reference or date column and an amount column",
                           field="file")  # fmt: skip
    index = _index(rows[start][1])
    by_reference = "reference" in index or "merchant_ref" in index
    lines: list[StatementLine] = []
    problems: list[LineError] = []
    for number, cells in rows[start + 1 :]:
        cells = [_clean(c) for c in cells]
        if not any(cells):
            continue
        if cells[0].startswith(_SUMMARY_STARTS):
            break
        try:
            lines.append(_line(number, cells, index, by_reference))
        except InputInvalid as exc:
            problems.append(
                LineError(
                    number, exc.field or "?", exc.detail or exc.message, exc.detail_en or exc.message_en
                )
            )
    return Statement(tuple(lines), by_reference, tuple(problems))


def _header_row(rows: Sequence[tuple[int, Sequence[str]]]) -> int | None:
    for i, (_, cells) in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        index = _index(cells)
        if "amount" in index and ({"reference", "merchant_ref", "at"} & set(index)):
            return i
    return None


def _index(cells: Sequence[str]) -> dict[str, int]:
    found = {normalise_header(_clean(c)): i for i, c in reversed(list(enumerate(cells)))}
    index: dict[str, int] = {}
    for name, spellings in COLUMNS.items():
        for spelling in spellings:
            if normalise_header(spelling) in found:
                index[name] = found[normalise_header(spelling)]
                break
    return index


def _cell(cells: Sequence[str], index: dict[str, int], name: str) -> str:
    i = index.get(name)
    return cells[i] if i is not None and i < len(cells) else ""


def _line(number: int, cells: Sequence[str], index: dict[str, int], by_reference: bool) -> StatementLine:
    reference = _cell(cells, index, "reference") or None
    merchant_ref = _cell(cells, index, "merchant_ref") or None
    if by_reference and reference is None and merchant_ref is None:
        raise InputInvalid("缺少交易号", detail_en="the transaction reference is missing", field="reference")
    on = parse_day(_cell(cells, index, "at")) if _cell(cells, index, "at") else None
    if not by_reference and on is None:
        raise InputInvalid("缺少日期", detail_en="the date is missing", field="at")
    fen = parse_signed_yuan(_cell(cells, index, "amount"), "amount")
    status = _cell(cells, index, "status").upper()
    if any(word in status for word in REFUND_WORDS):
        refund = _cell(cells, index, "refund")
        refunded = parse_signed_yuan(refund, "refund") if refund else 0
        fen = -abs(refunded or fen)
    count_text = _cell(cells, index, "count")
    if count_text and not count_text.isdigit():
        raise InputInvalid(
            f"笔数不是整数：{count_text}", detail_en="count is not a whole number", field="count"
        )
    return StatementLine(number, reference, merchant_ref, on, fen, int(count_text) if count_text else 1)


def parse_signed_yuan(text: str, field: str) -> int:
    """'-12.30' → -1230 fen; '¥1,234.5' → 123450. Letters, three decimals: INPUT_INVALID."""
    raw = (text or "").strip()
    negative = raw.startswith("-")
    raw = raw[1:] if raw[:1] in "-+" and raw else raw  # one leading sign ("--5" is refused)
    raw = raw.replace("¥", "").replace("￥", "").strip()
    if not raw:
        raise InputInvalid("缺少金额", detail_en="the amount is missing", field=field)
    fen = parse_yuan(raw, "金额", field)
    return -fen if negative else fen


def parse_day(text: str) -> date:
    """'2026-11-23 21:05:09', '2026/11/23', '2026年11月23日' → the date."""
    m = _DATE_RE.match(text or "")
    if m is None:
        raise InputInvalid(f"日期无效：{text}", detail_en=f"not a date: {text}", field="at")
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError as exc:
        raise InputInvalid(f"日期无效：{text}", detail_en=f"not a date: {text}", field="at") from exc
