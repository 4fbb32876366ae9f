"""The electricians' readings file (counter_app/imports/readings_file.py) and finance's K3 figures
(k3_file.py): generated readings survive a CSV and XLSX round trip exactly; a reading that falls,
a meter read twice or a building without its main meter is named with its spreadsheet line; no
byte string makes either parser raise."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from counter_app.imports.k3_file import parse_k3_file
from counter_app.imports.readings_file import MAX_READING_CKWH, parse_readings_file

from .files import csv_bytes, write_xlsx

HEADER = ["楼栋", "表类型", "表号", "上次读数", "本次读数", "抄表人"]
building = st.from_regex(r"[0-9]{1,3}(号楼)?", fullmatch=True)
reading = st.integers(0, MAX_READING_CKWH)


def kwh(ckwh: int, style: int) -> str:
    """As a person types it: 12, 12.5 or 12.50 (trailing zeros optional)."""
    whole, part = divmod(ckwh, 100)
    if part == 0 and style == 0:
        return str(whole)
    if part % 10 == 0 and style == 1:
        return f"{whole}.{part // 10}"
    return f"{whole}.{part:02d}"


@st.composite
def readings_file(draw):
    buildings = draw(st.lists(building, min_size=1, max_size=4, unique=True))
    rows = []
    number = 0
    for b in buildings:
        for kind in ["总表", *(["分表"] * draw(st.integers(0, 4)))]:
            number += 1
            previous = draw(reading)
            current = draw(st.integers(previous, MAX_READING_CKWH))
            rows.append(
                (b, kind, f"M{number:05d}", previous, current, draw(st.sampled_from(["", "刘电工", "Li"])))
            )
    order = draw(st.permutations(rows))
    return order, draw(st.integers(0, 2))


def _write(data: bytes, suffix: str = ".csv") -> Path:
    handle = tempfile.NamedTemporaryFile(suffix=suffix, delete=False)
    with handle:
        handle.write(data)
    return Path(handle.name)


@settings(max_examples=80, suppress_health_check=[HealthCheck.too_slow])
@given(case=readings_file(), encoding=st.sampled_from(["utf-8", "gb18030"]))
def test_valid_readings_round_trip_through_csv(case, encoding):
    rows, style = case
    lines = [HEADER] + [[b, k, m, kwh(p, style), kwh(c, style), r] for b, k, m, p, c, r in rows]
    path = _write(csv_bytes(lines, encoding))
    try:
        parsed = parse_readings_file(path)
    finally:
        path.unlink()
    assert parsed.errors == () and parsed.ok
    got = [(r.building, r.kind, r.meter_no, r.previous_ckwh, r.current_ckwh, r.reader) for r in parsed.rows]
    want = [(b, "main" if k == "总表" else "sub", m, p, c, r) for b, k, m, p, c, r in rows]
    assert got == want
    assert [r.line for r in parsed.rows] == list(range(2, 2 + len(rows)))
    assert all(r.consumption_ckwh >= 0 for r in parsed.rows)


@settings(max_examples=15, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(case=readings_file())
def test_valid_readings_round_trip_through_xlsx(case, tmp_path_factory):
    rows, style = case
    path = tmp_path_factory.mktemp("x") / "r.xlsx"
    write_xlsx(path, [HEADER] + [[b, k, m, kwh(p, style), kwh(c, style), r] for b, k, m, p, c, r in rows])
    parsed = parse_readings_file(path)
    assert parsed.errors == ()
    assert [(r.meter_no, r.previous_ckwh, r.current_ckwh) for r in parsed.rows] == [
        (m, p, c) for _, _, m, p, c, _ in rows
    ]


@settings(max_examples=60)
@given(
    case=readings_file(),
    victim=st.integers(0, 100),
    fault=st.sampled_from(["falls", "repeat", "kind", "digits"]),
)
def test_a_bad_line_is_named_by_its_spreadsheet_line(case, victim, fault):
    rows, _style = case
    lines = [[b, k, m, kwh(p, 2), kwh(c, 2), r] for b, k, m, p, c, r in rows]
    i = victim % len(lines)
    if fault == "falls":
        previous = int(lines[i][3].replace(".", "")) + 1
        lines[i][3], lines[i][4] = f"{previous // 100}.{previous % 100:02d}", lines[i][3]
    elif fault == "repeat":
        lines.append(list(lines[i]))
    elif fault == "kind":
        lines[i][1] = "水表"
    else:
        lines[i][4] = lines[i][4] + "1"  # three decimals
    path = _write(csv_bytes([HEADER, *lines]))
    try:
        parsed = parse_readings_file(path)
    finally:
        path.unlink()
    named = {e.line for e in parsed.errors}
    assert i + 2 in named and not parsed.ok
    if fault == "repeat":
        assert len(lines) + 1 in named


def test_sub_meters_without_their_main_meter_are_refused(tmp_path):
    path = tmp_path / "r.csv"
    path.write_bytes(
        csv_bytes([HEADER, ["5", "分表", "M1", "1", "2", ""], ["6", "总表", "T6", "1", "2", ""]])
    )
    parsed = parse_readings_file(path)
    assert [(e.line, e.field) for e in parsed.errors] == [(2, "楼栋")]


@settings(max_examples=150)
@given(prefix=st.sampled_from([b"", ",".join(HEADER).encode() + b"\n", "楼栋,收入(元),电量(kWh)\n".encode()]),
       data=st.binary(max_size=300))  # fmt: skip
def test_arbitrary_bytes_never_raise(prefix, data):
    path = _write(prefix + data)
    try:
        results = (parse_readings_file(path), parse_k3_file(path))
    finally:
        path.unlink()
    for result in results:
        assert all(e.line >= 0 and e.message_zh and e.message_en for e in result.errors)


def test_k3_figures_parse_in_fen_and_ckwh(tmp_path):
    path = tmp_path / "k3.csv"
    path.write_bytes(csv_bytes([["楼栋", "收入（元）", "电量（kWh）"], ["5", "1,234.50", "2098.3"], ["5", "1", "1"],
                                ["6", "abc", "1"]]))  # fmt: skip
    parsed = parse_k3_file(path)
    assert [(r.building, r.takings_fen, r.energy_ckwh) for r in parsed.rows] == [("5", 123_450, 209_830)]
    assert [e.line for e in parsed.errors] == [3, 4]
