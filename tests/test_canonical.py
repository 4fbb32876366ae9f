"""base/canonical.py: every seal, subject digest, chain MAC and approval hash is over these bytes, so
the faster encoder (mappings sorted as they are built, one C encoder made once) must give exactly
the bytes of the first one — json.dumps(sort_keys=True) over `normalise` — or every seal and chain
written before would stop verifying. The first encoder is kept here, verbatim, as the oracle."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta, timezone
from enum import Enum, IntEnum, StrEnum
from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from base import canonical as canonical_module
from base.canonical import canonical_json


def _reference_normalise(value: Any) -> Any:  # base/canonical.py before issue 16, unchanged
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is dict:
        return _reference_mapping(value)
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, Enum):
        return _reference_normalise(value.value)
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
        return _reference_mapping(value)
    if isinstance(value, list | tuple):
        return [_reference_normalise(item) for item in value]
    raise TypeError(f"{type(value).__name__} has no canonical form")


def _reference_mapping(mapping: Mapping[Any, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, item in mapping.items():
        if not isinstance(key, str):
            raise TypeError(f"canonical keys are strings, not {type(key).__name__}")
        out[key] = _reference_normalise(item)
    return out


_REFERENCE = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def reference(value: Any) -> bytes:
    return _REFERENCE.encode(_reference_normalise(value)).encode("utf-8")


class Colour(Enum):
    RED = "red"
    SHAPE = {"b": 1, "a": [date(2025, 1, 2)]}  # an enum whose value is a mapping: sorted too


class Kind(StrEnum):
    SALE = "sale"


class Level(IntEnum):
    HIGH = 3


class Text(str):
    pass


class Count(int):
    pass


zones = st.builds(lambda m: timezone(timedelta(minutes=m)), st.integers(-23 * 60 - 59, 23 * 60 + 59))
scalars = st.one_of(
    st.text(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.booleans(),
    st.none(),
    st.dates(),
    st.datetimes(timezones=zones),
    st.binary(max_size=8),
    st.sampled_from([Colour.RED, Colour.SHAPE, Kind.SALE, Level.HIGH]),
    st.text(max_size=4).map(Text),
    st.integers().map(Count),
)
refused = st.one_of(st.floats(), st.datetimes(), st.builds(object), st.sets(st.integers(), max_size=2))
keys = st.one_of(st.text(max_size=6), st.sampled_from(["id", "at", "row_mac", "a", "b", "é", "\x00", "ａ"]))
canonical = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=4).map(tuple),
        st.dictionaries(keys, inner, max_size=6),
        st.dictionaries(keys, inner, max_size=4).map(MappingProxyType),
    ),
    max_leaves=30,
)
anything = st.recursive(
    st.one_of(scalars, refused),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.one_of(keys, st.integers(), st.none()), inner, max_size=4),
    ),
    max_leaves=12,
)


@settings(max_examples=500)
@given(canonical)
def test_the_same_bytes_as_the_first_encoder(value):
    assert canonical_json(value) == reference(value)


@settings(max_examples=300)
@given(st.dictionaries(keys, scalars, max_size=20))
def test_a_flat_row_gives_the_same_bytes(row):
    """The seal's and the digest's case: one mapping of column values."""
    assert canonical_json(row) == reference(row)


@settings(max_examples=300)
@given(anything)
def test_what_the_first_encoder_refused_is_refused(value):
    try:
        expected = reference(value)
    except TypeError:
        with pytest.raises(TypeError):
            canonical_json(value)
    else:
        assert canonical_json(value) == expected


def test_known_bytes():
    """Pinned: a change of the rules (not only of the code) fails here even if both moved."""
    row = {"b": Kind.SALE, "a": datetime(2025, 9, 1, 18, 30, tzinfo=timezone(timedelta(hours=8))),
           "c": [1, True, None, "东"], "d": {"y": date(2025, 9, 1), "x": b"\x01\xff"}}  # fmt: skip
    pinned = '{"a":"2025-09-01T10:30:00+00:00","b":"sale","c":[1,true,null,"东"],"d":{"x":"01ff","y":"2025-09-01"}}'
    assert canonical_json(row) == pinned.encode()
    for bad in (1.5, datetime(2025, 1, 1), {1: "x"}, {"a": {2: 3}}, {"a": float("nan")}):
        with pytest.raises(TypeError):
            canonical_json(bad)


@settings(max_examples=200)
@given(canonical)
def test_without_the_c_encoder_the_same_bytes(value):
    """Where json's C part is missing (another Python build), the pure-Python encoder is used."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(canonical_module, "_C_ENCODER", None)
        assert canonical_json(value) == reference(value)
