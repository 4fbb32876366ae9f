"""The receipt QR: counter, number, amount and time, signed with the centre's Ed25519 key.

DOMAIN.md "Receipts and slips": anyone holding the public key can check a receipt. The QR text is
one ASCII line, short enough for a version-8 QR at error correction M:

    CR1|W01|W01-00000123|10000|20261123T152000+0800|<86 base64url chars, no padding>

Everything before the last "|" is the signed message, byte for byte, so there is exactly one
canonical form: times are written in Asia/Shanghai to the second, amounts as plain decimal fen.
Ed25519 because its signatures are 64 bytes (RSA-2048 would need 256) and it needs no parameters.

`verify_receipt_text` never raises for a bad text: whatever a scanner typed, the answer is a
`ReceiptCheck`; fields it could not read are None.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

from base.clock import BUSINESS_TZ

PREFIX = "CR1"
_TIME_FORMAT = "%Y%m%dT%H%M%S%z"
_WORKSTATION_RE = re.compile(r"[A-Za-z0-9_]{1,16}")
_RECEIPT_NO_RE = re.compile(r"[A-Za-z0-9_-]{1,32}")
_AMOUNT_RE = re.compile(r"0|[1-9][0-9]{0,14}")
_TIME_RE = re.compile(r"[0-9]{8}T[0-9]{6}[+-][0-9]{4}")
_SIGNATURE_RE = re.compile(r"[A-Za-z0-9_-]{86}")
_MAX_TEXT = 200


@dataclass(frozen=True)
class ReceiptCheck:
    """What a receipt's QR says and whether the centre's key signed exactly that."""

    genuine: bool
    workstation: str | None
    receipt_no: str | None
    amount_fen: int | None
    at: datetime | None
    # Addition (docs/api.md): what this database says of a genuine receipt: "in_force", "voided"
    # (its sale was voided or 作废重开: the paper no longer stands for money), "not_here" (signed by
    # the centre, not in this database: another counter's own file); None when not looked up.
    standing: str | None = None


def generate_receipt_keypair() -> tuple[bytes, bytes]:
    """A new (private, public) pair as raw 32-byte keys, for `init` and tests."""
    private = Ed25519PrivateKey.generate()
    return _raw_private(private), public_key_for(_raw_private(private))


def public_key_for(private_key_bytes: bytes) -> bytes:
    """The raw 32-byte public key that checks receipts signed with `private_key_bytes`."""
    key = Ed25519PrivateKey.from_private_bytes(private_key_bytes)
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def sign_receipt(
    private_key_bytes: bytes, *, workstation: str, receipt_no: str, amount_fen: int, at: datetime
) -> str:
    """The QR text for a receipt. Raises ValueError for values that cannot be encoded (a bug)."""
    message = _canonical_message(workstation, receipt_no, amount_fen, at)
    signature = _signing_key(private_key_bytes).sign(message.encode("ascii"))
    return f"{message}|{_b64url(signature)}"


@lru_cache(maxsize=4)
def _signing_key(private_key_bytes: bytes) -> Ed25519PrivateKey:
    """The key object for the bytes, made once per key (it was ~0.5 ms at every receipt)."""
    return Ed25519PrivateKey.from_private_bytes(private_key_bytes)


def verify_receipt_text(public_key_bytes: bytes, qr_text: str) -> ReceiptCheck:
    """Check a scanned QR text. A wrong-length key raises ValueError (configuration, not input)."""
    public_key = Ed25519PublicKey.from_public_bytes(public_key_bytes)
    fields = _parse(qr_text)
    if fields is None:
        return ReceiptCheck(False, None, None, None, None)
    message, signature, claim = fields
    try:
        public_key.verify(signature, message.encode("ascii"))
    except InvalidSignature:
        return ReceiptCheck(False, *claim)
    return ReceiptCheck(True, *claim)


def _canonical_message(workstation: str, receipt_no: str, amount_fen: int, at: datetime) -> str:
    if not _WORKSTATION_RE.fullmatch(workstation) or not _RECEIPT_NO_RE.fullmatch(receipt_no):
        raise ValueError(f"workstation or receipt number not encodable: {workstation!r} {receipt_no!r}")
    if (
        isinstance(amount_fen, bool)
        or not isinstance(amount_fen, int)
        or not _AMOUNT_RE.fullmatch(str(amount_fen))
    ):
        raise ValueError(f"amount must be non-negative integer fen: {amount_fen!r}")
    if at.tzinfo is None:
        raise ValueError("naive datetime: receipts carry aware times")
    stamp = at.astimezone(BUSINESS_TZ).strftime(_TIME_FORMAT)
    return f"{PREFIX}|{workstation}|{receipt_no}|{amount_fen}|{stamp}"


def _parse(qr_text: object) -> tuple[str, bytes, tuple[str, str, int, datetime]] | None:
    """(signed message, signature, claimed fields), or None when the text is not a receipt QR."""
    if not isinstance(qr_text, str) or len(qr_text) > _MAX_TEXT:
        return None
    parts = qr_text.strip().split("|")
    if len(parts) != 6 or parts[0] != PREFIX:
        return None
    _, workstation, receipt_no, amount, stamp, raw_signature = parts
    checks = (
        (_WORKSTATION_RE, workstation),
        (_RECEIPT_NO_RE, receipt_no),
        (_AMOUNT_RE, amount),
        (_TIME_RE, stamp),
        (_SIGNATURE_RE, raw_signature),
    )
    if not all(pattern.fullmatch(value) for pattern, value in checks):
        return None
    at = _parse_time(stamp)
    signature = _unb64url(raw_signature)
    if at is None or signature is None:
        return None
    return "|".join(parts[:5]), signature, (workstation, receipt_no, int(amount), at)


def _parse_time(stamp: str) -> datetime | None:
    try:
        return datetime.strptime(stamp, _TIME_FORMAT)
    except ValueError:
        return None


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64url(text: str) -> bytes | None:
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return None
    # Only the canonical encoding counts: a text whose unused low bits differ is not ours.
    return data if len(data) == 64 and _b64url(data) == text else None


def _raw_private(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
