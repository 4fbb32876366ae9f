"""Canonical bytes for hashing and MACs: the same data always gives the same bytes.

Used by approvals (the hash of an operation's payload) and the audit chain (entries and the
digest of a subject row). Rules: JSON with sorted keys and no whitespace, UTF-8, ints as ints,
dates and aware datetimes as ISO text (datetimes in UTC, so the time zone a value was created in
does not matter), bytes as hex. Floats are refused: money, energy and prices are integers, and a
float's text form is not a stable function of its value across code paths.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any


def normalise(value: Any) -> Any:
    """`value` as plain JSON data; TypeError on anything without one canonical form."""
    kind = type(value)  # the exact common types first (seals and digests of thousands of rows)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is dict:
        return _normalise_mapping(value)
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, Enum):
        return normalise(value.value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        raise TypeError(f"float {value!r} in canonical data: use integer units (fen, ckwh, price_e4)")
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise TypeError(f"naive datetime {value!r} in canonical data")
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, Mapping):
        return _normalise_mapping(value)
    if isinstance(value, list | tuple):
        return [normalise(item) for item in value]
    raise TypeError(f"{type(value).__name__} has no canonical form")


def _normalise_mapping(mapping: Mapping[Any, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, item in mapping.items():
        if not isinstance(key, str):
            raise TypeError(f"canonical keys are strings, not {type(key).__name__}")
        out[key] = normalise(item)
    return out


# One encoder for every call: json.dumps with these options builds a new one each time.
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def canonical_json(value: Any) -> bytes:
    return _ENCODER.encode(normalise(value)).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
