"""Properties of the import parsers: generated valid rooms survive a CSV round trip in every
encoding, and no byte string makes a parser raise."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from counter_app.imports.accounts_file import (
    COLUMNS,
    MAX_COUNT,
    Occupants,
    RoomKey,
    _fields,
    parse_accounts_file,
)
from counter_app.imports.headers import HeaderMap
from counter_app.imports.legacy_file import parse_legacy_file

from .files import HEADER, csv_bytes

NAME_CHARS = list("东西南北校区栋楼号甲乙ABCabc0123456789-_ ,\"'")
name = st.text(alphabet=NAME_CHARS, min_size=1, max_size=8).map(str.strip).filter(bool)
meter = st.from_regex(r"[0-9A-Za-z-]{1,32}", fullmatch=True)
phone = st.one_of(st.just(""), st.from_regex(r"1[0-9]{10}", fullmatch=True))
CLASS_SPELLINGS = {
    "dorm": ["学生公寓", "dorm", "DORM"],
    "staff": ["教职工", "staff"],
    "business": ["实体经营", "business"],
}


@st.composite
def room(draw):
    cls = draw(st.sampled_from(sorted(CLASS_SPELLINGS)))
    if cls == "dorm":
        beds = draw(st.integers(1, MAX_COUNT))
        u = draw(st.integers(0, beds))
        m = draw(st.integers(0, beds - u))
        occupants = Occupants(u, m, draw(st.integers(0, beds - u - m)))
        holder = ""
    else:
        beds, occupants, holder = 0, Occupants(), draw(name)
    key = RoomKey(draw(name), draw(name), draw(st.one_of(st.just(""), name)), draw(name))
    return key, cls, beds, occupants, holder, draw(phone)


rooms = st.lists(room(), min_size=1, max_size=15, unique_by=lambda r: r[0])


def _write(data: bytes, suffix: str = ".csv") -> Path:
    handle = tempfile.NamedTemporaryFile(suffix=suffix, delete=False)
    with handle:
        handle.write(data)
    return Path(handle.name)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(rooms=rooms, meters=st.lists(meter, min_size=15, max_size=15, unique=True),
       encoding=st.sampled_from([("utf-8", False), ("utf-8", True), ("gb18030", False)]),
       spelling=st.randoms())  # fmt: skip
def test_valid_rows_round_trip_through_csv(rooms, meters, encoding, spelling):
    lines = [HEADER]
    for (key, cls, beds, occ, holder, tel), meter_no in zip(rooms, meters, strict=False):
        cls_text = spelling.choice(CLASS_SPELLINGS[cls])
        lines.append([*key[:4], cls_text, beds, occ.undergrad, occ.master, occ.phd, meter_no, holder, tel])
    path = _write(csv_bytes(lines, encoding[0], bom=encoding[1]))
    try:
        parsed = parse_accounts_file(path)
    finally:
        path.unlink()
    assert parsed.ok, parsed.errors
    assert parsed.encoding == encoding[0]
    got = [(r.key, r.cls, r.beds, r.occupants, r.meter_no, r.holder, r.phone) for r in parsed.rows]
    want = [(k, c, b, o, m, h, t) for (k, c, b, o, h, t), m in zip(rooms, meters, strict=False)]
    assert got == want
    assert [r.line for r in parsed.rows] == list(range(2, 2 + len(rooms)))


def _decodable(data: bytes) -> bool:
    for encoding in ("utf-8", "gb18030"):
        try:
            data.decode(encoding)
            return True
        except UnicodeDecodeError:
            pass
    return False


@settings(max_examples=200)
@given(prefix=st.sampled_from([b"", ",".join(HEADER).encode() + b"\n"]), data=st.binary(max_size=300))
def test_arbitrary_bytes_never_raise(prefix, data):
    path = _write(prefix + data)
    try:
        parsed, legacy = parse_accounts_file(path), parse_legacy_file(path)
    finally:
        path.unlink()
    for result in (parsed, legacy):
        assert all(e.line >= 0 and e.message_zh and e.message_en for e in result.errors)
        if not _decodable(prefix + data):
            # Whichever comes first in the bytes: a NUL (named with its line) or undecodable text.
            assert [e.field for e in result.errors] in (["encoding"], ["NUL"])
            if b"\x00" not in prefix + data:
                assert [(e.line, e.field) for e in result.errors] == [(0, "encoding")]


@settings(max_examples=50)
@given(data=st.binary(max_size=200))
def test_arbitrary_bytes_as_xlsx_are_a_clean_format_error(data):
    path = _write(data, ".xlsx")
    try:
        parsed = parse_accounts_file(path)
    finally:
        path.unlink()
    assert [(e.line, e.field) for e in parsed.errors] == [(0, "format")]


@given(
    st.permutations([c.field for c in COLUMNS]).flatmap(
        lambda fields: st.tuples(st.just(fields), st.integers(0, len(fields)), st.integers(0, 3))
    ),
    st.lists(st.text(max_size=3), max_size=20),
)
def test_a_lines_fields_are_read_as_header_cell_reads_them(layout, cells):
    """The per-file reader of a line's fields (built once, not 12 lookups a line) gives exactly
    what `HeaderMap.cell` gives, whichever columns the file has, where, and however short the line."""
    fields, kept, gap = layout
    header = HeaderMap({name: gap + i for i, name in enumerate(fields[:kept])})
    expected = {c.field: header.cell(tuple(cells), c.field) for c in COLUMNS}
    assert _fields(header)(tuple(cells)) == expected
