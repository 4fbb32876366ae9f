"""人民币大写金额 (the amount in capitals printed on receipts and forms), from integer fen.

Our own small integer implementation instead of cn2an at run time: cn2an works on strings and
floats, truncates past two decimals and turns negatives into "负…"; a receipt needs none of that.
cn2an's "rmb" style is the test oracle (tests/receipts/test_amount_words.py), so the two agree on
every choice the official rules leave open (《正确填写票据和结算凭证的基本规定》):

- 整 after 元 when there is no 角 or 分; none after 角 (allowed) or 分 (required);
- a 零 for zeros between digits within a 4-digit group ("壹仟零壹拾元");
- a 零 before a 万/亿 group whose value is under 1000 ("壹拾万零壹拾元"); none when its first digit
  is a 仟, where the rule makes the 零 optional ("壹佰万壹仟元");
- a 零 between 元 and 分 when 角 is zero ("壹元零伍分"), none when 元 is zero ("伍分");
- the leading ten is "壹拾", as on bank forms.

    amount_in_words(1234567)      # 壹万贰仟叁佰肆拾伍元陆角柒分
    amount_in_words(10_001_050)   # 壹拾万零壹拾元伍角
"""

from __future__ import annotations

DIGITS = "零壹贰叁肆伍陆柒捌玖"
_GROUP_UNITS = ("仟", "佰", "拾", "")
# Highest supported amount: under 1万亿 yuan (the 亿 group stays a 4-digit group).
MAX_FEN = 10**14 - 1


def amount_in_words(fen: int) -> str:
    """The amount in 人民币大写. Negative amounts are refused: a refund prints its positive amount."""
    if isinstance(fen, bool) or not isinstance(fen, int):
        raise TypeError("amount_in_words takes integer fen")
    if fen < 0:
        raise ValueError("negative amount: print the positive amount under the heading 退款")
    if fen > MAX_FEN:
        raise ValueError("amount too large for 大写 (limit 1万亿 yuan)")
    yuan, rest = divmod(fen, 100)
    jiao, cents = divmod(rest, 10)
    return _with_fraction(_yuan_words(yuan), jiao, cents)


def _with_fraction(yuan_words: str, jiao: int, cents: int) -> str:
    if jiao == 0 and cents == 0:
        return f"{yuan_words or '零'}元整"
    head = f"{yuan_words}元" if yuan_words else ""
    if jiao == 0:
        return f"{head}零{DIGITS[cents]}分" if head else f"{DIGITS[cents]}分"
    tail = f"{DIGITS[cents]}分" if cents else ""
    return f"{head}{DIGITS[jiao]}角{tail}"


def _yuan_words(yuan: int) -> str:
    """Words for a whole number of yuan; '' for zero."""
    yi, rest = divmod(yuan, 10**8)
    wan, ones = divmod(rest, 10**4)
    words = ""
    for value, unit in ((yi, "亿"), (wan, "万"), (ones, "")):
        if value == 0:
            continue
        # A zero gap before this group (its own leading zeros, or whole zero groups) is read as 零
        # only when the group does not start at its 仟 digit: see the module docstring.
        if words and value < 1000:
            words += "零"
        words += _group_words(value) + unit
    return words


def _group_words(value: int) -> str:
    """Words for 1 … 9999, zeros inside the group read as one 零, trailing zeros silent."""
    words = ""
    zero_pending = False
    for digit, unit in zip(f"{value:04d}", _GROUP_UNITS, strict=True):
        if digit == "0":
            zero_pending = bool(words)
            continue
        if zero_pending:
            words += "零"
            zero_pending = False
        words += DIGITS[int(digit)] + unit
    return words
