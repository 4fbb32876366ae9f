"""Taking over from the old vending system (DOMAIN.md): each account's purchase counter, card serial,
last known balance and its last purchases with their prices. Parsing and checking, no database.

One row per purchase (format in docs/imports.md); the account columns repeat on each of its rows
and must agree. An account with no purchase to carry over has one row with the purchase columns
empty. The counter continues from `purchase_counter`, and a refund can value the energy still on
the meter at the prices it was bought at, from the first day.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from base.errors import InputInvalid
from base.money import format_yuan, parse_kwh, parse_price, parse_yuan, value_ckwh_exact
from counter_app.imports.accounts_file import RoomKey
from counter_app.imports.headers import Column, HeaderMap, map_header, score
from counter_app.imports.table import LineError, read_table

# The meter and card maximum balance (DOMAIN.md default, 9,999.99 kWh): a larger last balance is
# a wrong column, not a balance.
MAX_BALANCE_CKWH = 999_999
MAX_COUNTER = 999_999

_CARD_SERIAL = re.compile(r"^[0-9A-Za-z]{1,32}$")
_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T][0-9:.]*)?$")

COLUMNS = (
    Column("campus", "校区", (), required=True),
    Column("building", "楼栋", ("楼号",), required=True),
    Column("unit", "单元", ()),
    Column("room", "房间", ("房间号",), required=True),
    Column("card_serial", "卡号", ("card",), required=True),
    Column("purchase_counter", "购电次数", ("counter",), required=True),
    Column("balance", "余额(kWh)", ("余额", "balance_kwh"), required=True),
    Column("balance_on", "余额日期", ("balance_date",)),
    Column("counter", "购电序号", ("purchase_no",), required=True),
    Column("on", "购电日期", ("date", "purchase_date"), required=True),
    Column("energy", "电量(kWh)", ("电量", "energy_kwh"), required=True),
    Column("amount", "金额(元)", ("金额", "amount_yuan"), required=True),
    Column("price", "电价(元/kWh)", ("电价", "price_yuan"), required=True),
)
_ZH = {c.field: c.zh for c in COLUMNS}
_ACCOUNT_FIELDS = ("card_serial", "purchase_counter", "balance", "balance_on")
_PURCHASE_FIELDS = ("counter", "on", "energy", "amount", "price")


@dataclass(frozen=True)
class LegacyPurchase:
    counter: int
    on: date
    energy_ckwh: int
    amount_fen: int
    price_e4: int
    line: int = 0


@dataclass(frozen=True)
class LegacyAccount:
    """One account taken over. `purchases` sorted by counter; `line` is its first line in the file."""

    key: RoomKey
    card_serial: str
    purchase_counter: int
    balance_ckwh: int
    balance_on: date | None
    purchases: tuple[LegacyPurchase, ...]
    line: int = 0


@dataclass(frozen=True)
class ParsedLegacy:
    accounts: tuple[LegacyAccount, ...]
    errors: tuple[LineError, ...]
    encoding: str | None

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class _Row:
    line: int
    key: RoomKey
    account: tuple[str, int, int, date | None]  # card_serial, purchase_counter, balance, balance_on
    purchase: LegacyPurchase | None


def parse_legacy_file(
    path: Path | str, *, today: date | None = None, resolution_ckwh: int = 1
) -> ParsedLegacy:
    """Read and check a legacy file. `today` refuses purchase dates after it; `resolution_ckwh`
    is the old meters' resolution, the rounding allowed between amount and energy × price."""
    table = read_table(path, score(COLUMNS))
    if table.error is not None:
        return ParsedLegacy((), (table.error,), table.encoding)
    header, errors = map_header(table.header, COLUMNS)
    if not table.header:
        errors = [LineError(1, "表头", "文件为空，缺少表头", "the file is empty: no header row")]
    if errors:
        return ParsedLegacy(
            (), tuple(sorted([*errors, *table.problems], key=lambda e: e.line)), table.encoding
        )
    rows = []
    for line, cells in table.rows:
        row, line_errors = _parse_line(line, cells, header, today, resolution_ckwh)
        errors += line_errors
        rows += [row] if row is not None else []
    accounts, group_errors = _group(rows)
    errors += group_errors + list(table.problems)  # rows refused while reading (xlsx_rows, rows.py)
    return ParsedLegacy(accounts, tuple(sorted(errors, key=lambda e: e.line)), table.encoding)


class _Errors(list[LineError]):
    """The errors of one line, so every reason on it is reported, not only the first."""

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line

    def fail(self, name: str, zh: str, en: str) -> None:
        self.append(LineError(self.line, _ZH.get(name, name), zh, en))

    def parsed(self, name: str, parse: Callable[[str], int], raw: str) -> int | None:
        """`parse` (a money.parse_* function) with its InputInvalid turned into this line's error."""
        try:
            return parse(raw)
        except InputInvalid as exc:
            self.fail(name, exc.detail or exc.message, exc.detail_en or exc.message_en)
            return None


def _parse_line(
    line: int, cells: tuple[str, ...], header: HeaderMap, today: date | None, resolution_ckwh: int
) -> tuple[_Row | None, list[LineError]]:
    errs = _Errors(line)
    text = {c.field: header.cell(cells, c.field) for c in COLUMNS}
    for name in ("campus", "building", "room", "card_serial", "purchase_counter", "balance"):
        if not text[name]:
            errs.fail(name, f"{_ZH[name]}不能为空", f"{name} is required")
    if text["card_serial"] and not _CARD_SERIAL.match(text["card_serial"]):
        errs.fail(
            "card_serial",
            f"卡号只能含数字和字母：{text['card_serial']}",
            f"invalid card serial {text['card_serial']!r}",
        )
    counter = _whole(text["purchase_counter"], "purchase_counter", errs)
    balance = (
        errs.parsed("balance", lambda t: parse_kwh(t, "余额", "balance"), text["balance"])
        if text["balance"]
        else None
    )
    if balance is not None and balance > MAX_BALANCE_CKWH:
        errs.fail(
            "balance",
            f"余额超过电表最大值 9999.99 kWh：{text['balance']}",
            f"balance above 9999.99 kWh: {text['balance']}",
        )
    balance_on = _date(text["balance_on"], "balance_on", errs, today) if text["balance_on"] else None
    purchase = _purchase(text, errs, today, resolution_ckwh)
    if purchase is not None and counter is not None and purchase.counter > counter:
        errs.fail(
            "counter",
            f"购电序号 {purchase.counter} 大于账户购电次数 {counter}",
            f"purchase number {purchase.counter} is above the account's counter {counter}",
        )
    if errs:
        return None, list(errs)
    assert counter is not None and balance is not None  # both are required: missing is an error above
    key = RoomKey(text["campus"], text["building"], text["unit"], text["room"])
    return _Row(line, key, (text["card_serial"], counter, balance, balance_on), purchase), []


def _purchase(
    text: dict[str, str], errs: _Errors, today: date | None, resolution_ckwh: int
) -> LegacyPurchase | None:
    given = [name for name in _PURCHASE_FIELDS if text[name]]
    if not given:
        return None  # an account carried over without purchases
    for name in _PURCHASE_FIELDS:
        if not text[name]:
            errs.fail(name, f"购电记录缺少{_ZH[name]}", f"the purchase lacks {name}")
    counter = _whole(text["counter"], "counter", errs) if text["counter"] else None
    on = _date(text["on"], "on", errs, today) if text["on"] else None
    energy = errs.parsed("energy", parse_kwh, text["energy"]) if text["energy"] else None
    amount = errs.parsed("amount", parse_yuan, text["amount"]) if text["amount"] else None
    price = errs.parsed("price", parse_price, text["price"]) if text["price"] else None
    if energy == 0:
        errs.fail("energy", "电量必须大于 0", "energy must be above 0")
    if price == 0:
        errs.fail("price", "电价必须大于 0", "price must be above 0")
    if counter is None or on is None or energy is None or amount is None or price is None:
        return None
    if energy == 0 or price == 0:
        return None
    _check_amount(amount, energy, price, resolution_ckwh, errs)
    return LegacyPurchase(counter, on, energy, amount, price, errs.line)


def _check_amount(
    amount_fen: int, energy_ckwh: int, price_e4: int, resolution_ckwh: int, errs: _Errors
) -> None:
    """amount ≈ energy × price, within what either rounding rule could explain: energy rounded down
    by one meter step (sold by money) or money rounded to the fen (sold by kWh). Scaled to fen×10⁴
    so no division rounds."""
    gap = abs(amount_fen * 10_000 - energy_ckwh * price_e4)
    if gap > max(price_e4 * resolution_ckwh, 10_000):
        expected = format_yuan(int(value_ckwh_exact(energy_ckwh, price_e4).to_integral_value()))
        actual = format_yuan(amount_fen)
        errs.fail(
            "amount",
            f"金额 {actual} 元与 电量×电价 ≈ {expected} 元不符",
            f"amount {actual} yuan does not match energy × price ≈ {expected} yuan",
        )


def _whole(raw: str, name: str, errs: _Errors) -> int | None:
    if not raw:
        return None
    if not re.fullmatch(r"\d{1,6}", raw):
        errs.fail(
            name,
            f"{_ZH[name]}应为不大于 {MAX_COUNTER} 的非负整数：{raw}",
            f"{name} must be a whole number 0..{MAX_COUNTER}: {raw!r}",
        )
        return None
    return int(raw)


def _date(raw: str, name: str, errs: _Errors, today: date | None) -> date | None:
    m = _DATE.match(raw)
    try:
        value = date(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None
    except ValueError:
        value = None
    if value is None:
        errs.fail(
            name, f"{_ZH[name]}无效（应为 YYYY-MM-DD）：{raw}", f"invalid date {raw!r} (expected YYYY-MM-DD)"
        )
    elif today is not None and value > today:
        errs.fail(name, f"{_ZH[name]}晚于今天：{raw}", f"{name} is after today: {raw}")
        return None
    return value


# --- across lines: one account, its purchases, card serials ------------------------------------


def _group(rows: list[_Row]) -> tuple[tuple[LegacyAccount, ...], list[LineError]]:
    by_key: dict[RoomKey, list[_Row]] = defaultdict(list)
    for row in rows:
        by_key[row.key].append(row)
    errors: list[LineError] = []
    accounts = []
    for key, group in by_key.items():
        errors += _account_disagreements(group)
        purchases, purchase_errors = _ordered_purchases(group)
        errors += purchase_errors
        card, counter, balance, balance_on = group[0].account
        accounts.append(LegacyAccount(key, card, counter, balance, balance_on, purchases, group[0].line))
    errors += _shared_cards(accounts)
    return tuple(accounts), errors


def _account_disagreements(group: list[_Row]) -> list[LineError]:
    first = group[0]
    errors = []
    for row in group[1:]:
        for name, mine, theirs in zip(_ACCOUNT_FIELDS, row.account, first.account, strict=True):
            if mine != theirs:
                errors.append(
                    LineError(
                        row.line,
                        _ZH[name],
                        f"同一账户的{_ZH[name]}与第 {first.line} 行不一致",
                        f"{name} differs from line {first.line} of the same account",
                    )
                )
    return errors


def _ordered_purchases(group: list[_Row]) -> tuple[tuple[LegacyPurchase, ...], list[LineError]]:
    """Purchases by counter. A counter twice names both lines; a later counter with an earlier
    date than the purchase before it is refused (the counter and the calendar must agree)."""
    purchases = sorted(
        (r.purchase for r in group if r.purchase is not None), key=lambda p: (p.counter, p.line)
    )
    errors = []
    for before, after in zip(purchases, purchases[1:], strict=False):
        if before.counter == after.counter:
            errors += [
                LineError(
                    after.line,
                    "购电序号",
                    f"购电序号 {after.counter} 重复（另见第 {before.line} 行）",
                    f"purchase number {after.counter} repeated (also line {before.line})",
                ),
                LineError(
                    before.line,
                    "购电序号",
                    f"购电序号 {before.counter} 重复（另见第 {after.line} 行）",
                    f"purchase number {before.counter} repeated (also line {after.line})",
                ),
            ]
        elif after.on < before.on:
            errors.append(
                LineError(
                    after.line,
                    "购电日期",
                    f"第 {after.counter} 次购电日期早于第 {before.counter} 次（第 {before.line} 行）",
                    f"purchase {after.counter} is dated before purchase {before.counter} (line {before.line})",
                )
            )
    return tuple(purchases), errors


def _shared_cards(accounts: list[LegacyAccount]) -> list[LineError]:
    lines_by_card: dict[str, list[int]] = defaultdict(list)
    for account in accounts:
        lines_by_card[account.card_serial].append(account.line)
    errors = []
    for card, lines in lines_by_card.items():
        for line in lines if len(lines) > 1 else []:
            others = "、".join(str(n) for n in lines if n != line)
            errors.append(
                LineError(
                    line,
                    "卡号",
                    f"卡号 {card} 属于多个账户（另见第 {others} 行）",
                    f"card {card} belongs to several accounts (also line {others})",
                )
            )
    return errors
