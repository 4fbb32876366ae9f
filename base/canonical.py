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
import json.encoder
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


# The exact types JSON writes as they are: taken without a call to `normalise` each.
_PLAIN = frozenset({str, int, bool, type(None)})


def _sorted(value: Any) -> Any:
    """`normalise(value)` (the same cases in the same order) with every mapping built in sorted
    key order — keys are unique strings, so the order `sort_keys` gives — for an encoder that
    does not sort. A seal, an audit entry and a subject's digest are each one flat mapping of
    mostly plain values, taken here without a call per value: the yearly import canonicalises
    100,000 of them (docs/benchmarks.md §5)."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is dict:
        return _sorted_mapping(value)
    if kind is datetime or kind is date:  # a row's times and dates: straight to their rule
        return normalise(value)
    if isinstance(value, bool | str):
        return value
    if isinstance(value, Enum):
        return _sorted(value.value)
    if isinstance(value, int | float | date | bytes | bytearray | memoryview):  # a datetime is a date
        return normalise(value)
    if isinstance(value, Mapping):
        return _sorted_mapping(value)
    if isinstance(value, list | tuple):
        return [_sorted(item) for item in value]
    return normalise(value)  # refused: no canonical form


def _sorted_mapping(mapping: Mapping[Any, Any]) -> dict[str, Any]:
    for key in mapping:
        if type(key) is not str and not isinstance(key, str):
            raise TypeError(f"canonical keys are strings, not {type(key).__name__}")
    return {key: item if type(item) in _PLAIN else _sorted(item)
            for key in sorted(mapping) for item in (mapping[key],)}  # fmt: skip


def _refuse(value: Any) -> Any:
    raise TypeError(f"{type(value).__name__} has no canonical form")


# One encoder for every call: the C encoder json.dumps would build anew on each call (with these
# options: no spaces, UTF-8 text as it is, no NaN), made once; it is given mappings already
# sorted, so it need not sort. The same bytes as
#     json.dumps(normalise(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
# (tests/test_canonical.py holds the two to each other). The C parts are json's own (not in the
# typing stubs); the pure-Python encoder where they are missing.
_MAKE_C_ENCODER = getattr(json.encoder, "c_make_encoder", None)
_C_STRING = getattr(json.encoder, "c_encode_basestring", None)
_C_ENCODER = (
    _MAKE_C_ENCODER(None, _refuse, _C_STRING, None, ":", ",", False, False, False)
    if _MAKE_C_ENCODER is not None and _C_STRING is not None
    else None
)
_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def canonical_json(value: Any) -> bytes:
    if _C_ENCODER is not None:
        return "".join(_C_ENCODER(_sorted(value), 0)).encode("utf-8")
    return _ENCODER.encode(_sorted(value)).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
