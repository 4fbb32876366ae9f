"""The checks every door applies to what a person (or a file) hands the counter: money within sane
bounds and text a receipt, a card header and a report can carry.

One set of rules for the counter's facade and the imports alike (issue 12 §6), so a value refused at
the counter is refused in a file too, with the same reason:

    amount = checked_fen(amount_fen, field="amount_fen", label="金额", minimum=1)
    holder = checked_text(holder, field="holder", label="户主", max_len=HOLDER_MAX_LEN)
    meter = checked_meter_no(meter_no)

Every refusal is INPUT_INVALID naming the field. Python's int has no upper limit: without a bound a
typo of a few extra zeros prints 实收 ￥1000000000000000000.00, and 2**63 overflows the database.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from base.errors import InputInvalid

# --- bounds (each with its reason) ---------------------------------------------------------------

# Any single amount of money the counter takes or records: 10,000,000.00 yuan. No charge at a
# university counter comes near it; it is far inside a 64-bit column and inside the 大写 words of
# the receipt (base.amount_words: under 1万亿 yuan). A figure above it is a typo, never a payment.
AMOUNT_MAX_FEN = 1_000_000_000

# A shift's float (备用金): 100,000.00 yuan. DOMAIN's float is a few hundred yuan of change in the
# drawer; more than this is not a float but a deposit that belongs to finance.
FLOAT_MAX_FEN = 10_000_000

# The largest banknote (100 yuan). What a customer hands over is at most the amount due plus a few of
# these (setting `tendered_max_notes`): anything more is a typo that would print as 实收 on the receipt.
LARGEST_NOTE_FEN = 10_000

# A paper receipt book (三联) has 50 or 100 pages; 1,000 is a generous box of them. Page numbers are
# printed with at most 9 digits. A larger range is a typo (1..1e9 would list a billion blank pages).
BOOK_MAX_PAGES = 1_000
PAGE_NO_MAX = 999_999_999

# Text lengths: a person's or department's name, a free reason, a reference number.
HOLDER_MAX_LEN = 100
REASON_MAX_LEN = 200
SHORT_TEXT_MAX_LEN = 64
# An import cell: the longest legitimate cell is a name; a longer one is a pasted paragraph or junk.
CELL_MAX_LEN = 200

METER_NO_MAX_LEN = 32
_METER_NO = re.compile(r"^[0-9A-Za-z-]{1,32}$")
_PHONE = re.compile(r"^\+?[0-9][0-9 -]{2,19}$")


# --- money ---------------------------------------------------------------------------------------


def checked_fen(value: Any, *, field: str, label: str = "金额", minimum: int = 0,
                maximum: int = AMOUNT_MAX_FEN) -> int:  # fmt: skip
    """An integer amount in fen within [minimum, maximum]; a bool, a float, a Decimal or text is
    refused (money is integer fen, never float)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputInvalid(f"{label}必须是整数（分）", detail_en=f"{field} must be an integer (fen)", field=field)
    if value < minimum:
        what = "必须大于零" if minimum == 1 else f"不能小于 {minimum}"
        raise InputInvalid(f"{label}{what}", detail_en=f"{field} must be at least {minimum}", field=field,
                           data={"minimum": minimum})  # fmt: skip
    if value > maximum:
        raise InputInvalid(f"{label}超出上限 {maximum}", detail_en=f"{field} above the limit {maximum}",
                           field=field, data={"maximum": maximum})  # fmt: skip
    return value


def checked_int(value: Any, *, field: str, label: str, minimum: int, maximum: int) -> int:
    """A whole number (page number, count, area, energy) within [minimum, maximum]."""
    return checked_fen(value, field=field, label=label, minimum=minimum, maximum=maximum)


def tendered_maximum(due_fen: int, max_notes: int) -> int:
    """The most a customer can hand over for `due_fen`: the amount plus `max_notes` largest notes."""
    return due_fen + LARGEST_NOTE_FEN * max_notes


# --- text ----------------------------------------------------------------------------------------


def text_problem(text: str, max_len: int) -> tuple[str, str] | None:
    """(Chinese, English) reason `text` cannot be stored, or None. Refused: a control character
    (NUL, line breaks, tabs… Unicode category Cc), a lone surrogate (cannot be encoded: a crash at
    the database or the printer), more than `max_len` characters."""
    for ch in text:
        code = ord(ch)
        if 0xD800 <= code <= 0xDFFF:
            return "含有无效的 Unicode 字符（孤立代理项）", "holds an unpaired surrogate"
        if unicodedata.category(ch) == "Cc":
            if ch == "\x00":
                return "含有 NUL 字节", "holds a NUL byte"
            return f"含有控制字符 U+{code:04X}", f"holds the control character U+{code:04X}"
    if len(text) > max_len:
        return f"太长（最多 {max_len} 个字符）", f"is longer than {max_len} characters"
    return None


def checked_text(value: Any, *, field: str, label: str, max_len: int = SHORT_TEXT_MAX_LEN,
                 required: bool = True) -> str:  # fmt: skip
    """Trimmed text without control characters or lone surrogates, at most `max_len` characters;
    empty is refused when `required` (else returned as "")."""
    if value is not None and not isinstance(value, str):
        raise InputInvalid(f"{label}必须是文字", detail_en=f"{field} must be text", field=field)
    text = (value or "").strip()
    if not text:
        if required:
            raise InputInvalid(f"请填写{label}", detail_en=f"{field} is required", field=field)
        return ""
    problem = text_problem(text, max_len)
    if problem is not None:
        raise InputInvalid(f"{label}{problem[0]}", detail_en=f"{field} {problem[1]}", field=field)
    return text


def optional_checked_text(value: Any, *, field: str, label: str, max_len: int = SHORT_TEXT_MAX_LEN) -> str | None:
    """`checked_text` where nothing (None or blank) is None."""
    return checked_text(value, field=field, label=label, max_len=max_len, required=False) or None


def meter_no_problem(text: str) -> tuple[str, str] | None:
    if not _METER_NO.match(text):
        return (f"电表号只能含数字、字母和“-”（最多 {METER_NO_MAX_LEN} 个）：{text!r}",
                f"meter number may hold only digits, letters and '-' (at most {METER_NO_MAX_LEN}): {text!r}")
    return None


def checked_meter_no(value: Any, field: str = "meter_no") -> str:
    """A meter number as exact text: digits, ASCII letters and '-', 1..32 characters (it goes into
    the card header and must match the meter's own number character for character)."""
    text = checked_text(value, field=field, label="电表号", max_len=METER_NO_MAX_LEN)
    problem = meter_no_problem(text)
    if problem is not None:
        raise InputInvalid(problem[0], detail_en=problem[1], field=field)
    return text


def phone_problem(text: str) -> tuple[str, str] | None:
    if not _PHONE.match(text):
        return f"电话号码无效：{text!r}", f"invalid phone number: {text!r}"
    return None


def checked_phone(value: Any, field: str = "phone") -> str | None:
    """A phone number or None: digits with spaces or '-', an optional leading '+', 3..20 characters."""
    text = checked_text(value, field=field, label="电话", max_len=20, required=False)
    if not text:
        return None
    problem = phone_problem(text)
    if problem is not None:
        raise InputInvalid(problem[0], detail_en=problem[1], field=field)
    return text
