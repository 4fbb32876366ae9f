"""The signed receipt QR: round trip, any change detected, malformed text never raises."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from base.clock import BUSINESS_TZ
from counter_app.receipt_signing import (
    ReceiptCheck,
    generate_receipt_keypair,
    public_key_for,
    sign_receipt,
    verify_receipt_text,
)

PRIVATE, PUBLIC = generate_receipt_keypair()
AT = datetime(2026, 11, 23, 15, 20, 0, tzinfo=BUSINESS_TZ)
TEXT = sign_receipt(PRIVATE, workstation="W01", receipt_no="W01-00000123", amount_fen=10000, at=AT)


def test_round_trip_gives_the_signed_facts() -> None:
    check = verify_receipt_text(PUBLIC, TEXT)
    assert check == ReceiptCheck(True, "W01", "W01-00000123", 10000, AT)
    assert TEXT.startswith("CR1|W01|W01-00000123|10000|20261123T152000+0800|")
    assert public_key_for(PRIVATE) == PUBLIC


def test_text_is_short_ascii_for_a_small_qr() -> None:
    assert TEXT.isascii() and len(TEXT) <= 140  # fits a version-8 QR at error correction M


def test_same_moment_in_another_zone_signs_the_same_text() -> None:
    utc = AT.astimezone(UTC)
    assert (
        sign_receipt(PRIVATE, workstation="W01", receipt_no="W01-00000123", amount_fen=10000, at=utc) == TEXT
    )


def _replace_field(text: str, index: int, value: str) -> str:
    parts = text.split("|")
    parts[index] = value
    return "|".join(parts)


@pytest.mark.parametrize(
    ("index", "value"),
    [(1, "W02"), (2, "W01-00000124"), (3, "100000"), (3, "1000"), (4, "20261124T152000+0800")],
)
def test_changed_field_is_not_genuine(index: int, value: str) -> None:
    check = verify_receipt_text(PUBLIC, _replace_field(TEXT, index, value))
    assert check.genuine is False
    assert check.receipt_no is not None  # the claim is still shown to the person checking


def test_signature_of_another_key_is_not_genuine() -> None:
    other_private, _ = generate_receipt_keypair()
    forged = sign_receipt(
        other_private, workstation="W01", receipt_no="W01-00000123", amount_fen=10000, at=AT
    )
    assert verify_receipt_text(PUBLIC, forged).genuine is False


def test_signature_moved_to_another_receipt_is_not_genuine() -> None:
    other = sign_receipt(PRIVATE, workstation="W01", receipt_no="W01-00000999", amount_fen=10000, at=AT)
    transplanted = _replace_field(TEXT, 5, other.split("|")[5])
    assert verify_receipt_text(PUBLIC, transplanted).genuine is False


def test_scanner_line_end_is_tolerated() -> None:
    assert verify_receipt_text(PUBLIC, TEXT + "\r\n").genuine is True


@pytest.mark.parametrize(
    "text",
    [
        "",
        "CR1",
        "CR2" + TEXT[3:],
        TEXT + "|",
        TEXT[:-1],
        TEXT[:-1] + "!",
        "CR1|W01|W01-1|-5|20261123T152000+0800|x",
        _replace_field(TEXT, 4, "20261399T152000+0800"),
        "x" * 10_000,
        "CR1|||||",
        None,
        123,
    ],
)
def test_malformed_text_is_not_genuine(text: object) -> None:
    check = verify_receipt_text(PUBLIC, text)  # type: ignore[arg-type]
    assert check.genuine is False


@given(st.text(max_size=300))
def test_arbitrary_text_never_raises(text: str) -> None:
    assert verify_receipt_text(PUBLIC, text).genuine is False


@given(st.integers(min_value=0, max_value=len(TEXT) - 1), st.characters(codec="ascii"))
def test_any_single_character_change_is_detected(position: int, ch: str) -> None:
    changed = TEXT[:position] + ch + TEXT[position + 1 :]
    if changed != TEXT:
        assert verify_receipt_text(PUBLIC, changed).genuine is False


@given(
    st.integers(min_value=0, max_value=10**14),
    st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31), timezones=st.just(BUSINESS_TZ)
    ),
)
def test_round_trip_for_any_amount_and_time(amount_fen: int, at: datetime) -> None:
    text = sign_receipt(PRIVATE, workstation="W09", receipt_no="W09-00000001", amount_fen=amount_fen, at=at)
    check = verify_receipt_text(PUBLIC, text)
    assert check.genuine and check.amount_fen == amount_fen
    assert check.at == at.replace(microsecond=0)


@pytest.mark.parametrize(
    "changes",
    [{"amount_fen": -1}, {"workstation": "W|1"}, {"receipt_no": "号码"}, {"at": datetime(2026, 1, 1)}],
)
def test_unencodable_values_are_a_bug(changes: dict) -> None:
    args = {"workstation": "W01", "receipt_no": "W01-1", "amount_fen": 1, "at": AT} | changes
    with pytest.raises(ValueError):
        sign_receipt(PRIVATE, **args)


def test_wrong_key_length_is_a_configuration_error() -> None:
    with pytest.raises(ValueError):
        verify_receipt_text(b"short", TEXT)


def test_check_result_is_frozen() -> None:
    check = verify_receipt_text(PUBLIC, TEXT)
    with pytest.raises(AttributeError):
        check.genuine = False  # type: ignore[misc]
    assert replace(check, amount_fen=1).amount_fen == 1
    assert check.at is not None and check.at.utcoffset() == timedelta(hours=8)
