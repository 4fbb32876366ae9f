"""人民币大写: known examples, and cn2an's "rmb" style as the oracle over a wide range."""

from decimal import Decimal

import cn2an
import pytest
from hypothesis import given
from hypothesis import strategies as st

from base.amount_words import MAX_FEN, amount_in_words


@pytest.mark.parametrize(
    ("fen", "words"),
    [
        (0, "零元整"),
        (5, "伍分"),
        (50, "伍角"),
        (100, "壹元整"),
        (105, "壹元零伍分"),
        (1000, "壹拾元整"),
        (101_000, "壹仟零壹拾元整"),
        (168_032, "壹仟陆佰捌拾元叁角贰分"),
        (1_234_567, "壹万贰仟叁佰肆拾伍元陆角柒分"),
        (10_001_050, "壹拾万零壹拾元伍角"),
        (100_000_001, "壹佰万元零壹分"),
        (100_100_000, "壹佰万壹仟元整"),  # 万位 zero, 仟 not: the official rule makes 零 optional
        (10_000_000_100, "壹亿零壹元整"),
        (10_001_000_000, "壹亿零壹万元整"),
        (MAX_FEN, "玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
    ],
)
def test_known_amounts(fen: int, words: str) -> None:
    assert amount_in_words(fen) == words


def _cn2an(fen: int) -> str:
    # str(Decimal) with exactly two places: cn2an truncates floats, so it never sees one.
    return cn2an.an2cn(format(Decimal(fen).scaleb(-2), "f"), "rmb")


@given(st.integers(min_value=0, max_value=10**12))
def test_agrees_with_cn2an_over_wide_range(fen: int) -> None:
    assert amount_in_words(fen) == _cn2an(fen)


@given(
    st.builds(
        lambda digits: int("".join(digits)),
        st.lists(st.sampled_from("0000001"), min_size=1, max_size=14),
    )
)
def test_agrees_with_cn2an_on_zero_heavy_amounts(fen: int) -> None:
    """Amounts made mostly of zeros exercise the 零 rules that uniform random numbers rarely hit."""
    assert amount_in_words(fen) == _cn2an(fen)


@pytest.mark.parametrize("bad", [-1, -10_000])
def test_negative_amounts_are_refused(bad: int) -> None:
    with pytest.raises(ValueError):
        amount_in_words(bad)


def test_beyond_limit_and_non_integers_are_refused() -> None:
    with pytest.raises(ValueError):
        amount_in_words(MAX_FEN + 1)
    with pytest.raises(TypeError):
        amount_in_words(1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        amount_in_words(True)
