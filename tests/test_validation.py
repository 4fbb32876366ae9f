"""base.validation (issue 12 §6): the money and text rules every door and every import applies."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from base.errors import UserFacingError
from base.validation import (
    AMOUNT_MAX_FEN,
    LARGEST_NOTE_FEN,
    checked_fen,
    checked_meter_no,
    checked_phone,
    checked_text,
    tendered_maximum,
    text_problem,
)
from counter_app.ops.door import check_door_argument

CONTROL = st.sampled_from([chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Cc"])
SURROGATE = st.integers(0xD800, 0xDFFF).map(chr)
PLAIN = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=40)


def _refused(call) -> UserFacingError:
    with pytest.raises(UserFacingError) as refused:
        call()
    assert refused.value.code == "INPUT_INVALID"
    return refused.value


@given(st.integers(0, AMOUNT_MAX_FEN))
def test_any_int_in_bounds_is_accepted(value):
    assert checked_fen(value, field="amount_fen") == value


@given(st.one_of(st.integers(max_value=-1), st.integers(min_value=AMOUNT_MAX_FEN + 1)))
def test_any_int_out_of_bounds_is_refused_naming_the_field(value):
    assert _refused(lambda: checked_fen(value, field="amount_fen")).field == "amount_fen"


@given(st.one_of(st.booleans(), st.floats(allow_nan=True), st.decimals(), st.text(), st.none()))
def test_bool_float_and_anything_not_an_int_is_refused(value):
    _refused(lambda: checked_fen(value, field="tendered_fen"))


def test_float_equal_to_an_int_and_2_to_the_63_are_refused():
    _refused(lambda: checked_fen(100.0, field="float_fen"))
    _refused(lambda: checked_fen(2**63, field="float_fen"))


@given(PLAIN, st.one_of(CONTROL, SURROGATE), PLAIN)
def test_any_text_with_a_control_character_or_lone_surrogate_is_refused(before, bad, after):
    text = "x" + before + bad + after + "x"  # inside, so trimming cannot remove it
    assert text_problem(text, 1000) is not None
    _refused(lambda: checked_text(text, field="holder", label="户主"))


@given(PLAIN.filter(lambda t: t.strip() != ""))
def test_plain_text_within_its_length_is_accepted_trimmed(text):
    assert checked_text(text, field="holder", label="户主", max_len=100) == text.strip()


def test_over_long_text_and_a_nul_are_named():
    assert "太长" in _refused(lambda: checked_text("王" * 100_000, field="payer", label="缴费人")).message
    assert "NUL" in _refused(lambda: checked_text("a\x00b", field="meter_no", label="电表号")).message


def test_meter_numbers_and_phones():
    assert checked_meter_no("B-0001") == "B-0001"
    for bad in ("M\x00001", "M 1", "１２３", "x" * 33, "12.5"):
        _refused(lambda bad=bad: checked_meter_no(bad))
    assert checked_phone("0571-88888888") == "0571-88888888" and checked_phone(" ") is None
    for bad in ("call me", "1", "+86 138 0000 0000 0000 0000"):
        _refused(lambda bad=bad: checked_phone(bad))


def test_tendered_maximum_is_due_plus_notes():
    assert tendered_maximum(5_000, 5) == 5_000 + 5 * LARGEST_NOTE_FEN


@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=30).filter(lambda t: "\x00" not in t))
def test_the_door_lets_line_breaks_and_tabs_through_but_no_other_control(text):
    cleaned = "".join(c for c in text if unicodedata.category(c) != "Cc" or c in "\t\n\r")
    check_door_argument("reason", cleaned)  # never raises
    _refused(lambda: check_door_argument("reason", cleaned + "\x00"))
    _refused(lambda: check_door_argument("reason", cleaned + "\udc80"))


def test_the_door_checks_money_arguments_by_name():
    check_door_argument("amount_fen", None)
    check_door_argument("amount_fen", -5)  # a sign is the operation's business; the size is the door's
    for bad in (True, 1.5, 2**63, "100"):
        _refused(lambda bad=bad: check_door_argument("tendered_fen", bad))
