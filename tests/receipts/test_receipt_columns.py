"""Display-width layout: Han and full-width characters are two columns, lines never overflow."""

import sys
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from receipts.columns import char_width, display_width, pair_line, rule, wrap

# Text like a receipt's: Han, ASCII, full-width signs, spaces.
receipt_text = st.text(
    alphabet=st.sampled_from("购电凭条壹贰元角分：，￥ABCxyz0123456789-./ ·×"), max_size=120
)


def test_widths_follow_east_asian_width() -> None:
    assert [char_width(c) for c in "A1 金￥：·"] == [1, 1, 1, 2, 2, 2, 2]
    assert display_width("金额￥100.00") == 2 + 2 + 2 + 6


@pytest.mark.parametrize("columns", [32, 48])
def test_pair_line_is_flush_right_at_exact_width(columns: int) -> None:
    [line] = pair_line("金额", "￥100.00", columns)
    assert display_width(line) == columns
    assert line.startswith("金额 ") and line.endswith("￥100.00")


def test_pair_too_long_goes_onto_two_lines_right_aligned() -> None:
    lines = pair_line("大写", "壹万贰仟叁佰肆拾伍元陆角柒分", 32)
    assert lines[0] == "大写"
    assert lines[1].endswith("壹万贰仟叁佰肆拾伍元陆角柒分") and display_width(lines[1]) == 32


@pytest.mark.parametrize("columns", [32, 48])
def test_rule_fills_the_paper(columns: int) -> None:
    assert display_width(rule(columns)) == columns
    with pytest.raises(ValueError):
        rule(columns, "—")


def test_ascii_words_stay_whole() -> None:
    assert wrap("pay by wechat now", 10) == ["pay by", "wechat now"]
    assert wrap("0123456789ABCDEF", 10) == ["0123456789", "ABCDEF"]
    assert wrap("退款由财务支付", 6) == ["退款由", "财务支", "付"]


@given(receipt_text, st.sampled_from([16, 24, 32, 48]))
def test_wrap_never_overflows_and_keeps_every_visible_character(text: str, columns: int) -> None:
    lines = wrap(text, columns)
    assert all(display_width(line) <= columns for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


# The per-character rules these functions had before they were made fast (issue 16), kept here as
# the reference the fast ones must agree with.
def unicodedata_char_width(ch: str) -> int:
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 2
    return 1 if ord(ch) < 0x80 else 2


def test_char_width_is_the_unicodedata_rule_for_every_code_point() -> None:
    differ = [hex(code) for code in range(sys.maxunicode + 1)
              if char_width(chr(code)) != unicodedata_char_width(chr(code))]  # fmt: skip
    assert differ == []


@given(st.text(), st.sampled_from([16, 24, 32, 48]))
def test_widths_and_layout_agree_with_the_per_character_rule(text: str, columns: int) -> None:
    assert display_width(text) == sum(unicodedata_char_width(ch) for ch in text)
    assert [display_width(line) for line in wrap(text, columns)] == [
        sum(unicodedata_char_width(ch) for ch in line) for line in wrap(text, columns)
    ]
