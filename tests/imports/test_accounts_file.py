"""The yearly import file: same content in every encoding and format gives the same rows; every
bad line is named with its spreadsheet line number and its reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from counter_app.imports.accounts_file import Occupants, RoomKey, parse_accounts_file
from counter_app.imports.table import read_table

from .files import DATA, HEADER, write_csv, write_xlsx


def _fields(parsed):
    """Rows without their line numbers (an XLSX and a CSV of the same content number alike anyway)."""
    return [(r.key, r.cls, r.beds, r.occupants, r.meter_no, r.holder, r.phone) for r in parsed.rows]


@pytest.mark.parametrize(
    ("name", "encoding", "bom", "expected"),
    [
        ("u.csv", "utf-8", False, "utf-8"),
        ("b.csv", "utf-8", True, "utf-8"),
        ("g.csv", "gb18030", False, "gb18030"),
    ],
)
def test_csv_encodings_parse_to_the_same_rows(tmp_path, good_rows, name, encoding, bom, expected):
    parsed = parse_accounts_file(write_csv(tmp_path / name, good_rows, encoding, bom=bom))
    assert parsed.ok, parsed.errors
    assert parsed.encoding == expected
    reference = parse_accounts_file(write_xlsx(tmp_path / "r.xlsx", good_rows))
    assert parsed.rows == reference.rows
    assert reference.encoding == "xlsx"


def test_rows_carry_every_field(tmp_path, good_rows):
    rows = parse_accounts_file(write_csv(tmp_path / "a.csv", good_rows)).rows
    dorm, _, staff, business = rows
    assert dorm.line == 2 and dorm.key == RoomKey("东校区", "5", "", "308")
    assert (dorm.cls, dorm.beds, dorm.occupants, dorm.meter_no) == ("dorm", 4, Occupants(3, 1, 0), "10000308")
    assert (staff.cls, staff.unit, staff.holder, staff.phone, staff.beds) == (
        "staff",
        "2",
        "王老师",
        "13800138000",
        0,
    )
    assert (business.cls, business.meter_no, business.line) == ("business", "B-0001", 5)
    assert staff.key.label() == "东校区 12-2-101"


def test_xlsx_numbers_read_as_the_text_a_person_sees(tmp_path, good_rows):
    good_rows[1][1], good_rows[1][3], good_rows[1][9] = 5, 308, 10000308  # typed as numbers in Excel
    good_rows[2][5] = 6.0
    rows = parse_accounts_file(write_xlsx(tmp_path / "n.xlsx", good_rows)).rows
    assert rows[0].key == RoomKey("东校区", "5", "", "308") and rows[0].meter_no == "10000308"
    assert rows[1].beds == 6


def test_english_headers_any_order_and_blank_lines_keep_spreadsheet_numbers(tmp_path):
    rows = [
        ["meter_no", "Campus", "building", "room", "class", "beds", "undergrad"],
        ["m1", "E", "1", "101", "dorm", "2", "2"],
        [],
        ["m2", "E", "1", "102", "dorm", "2", "x"],
    ]
    parsed = parse_accounts_file(write_csv(tmp_path / "e.csv", rows))
    assert [r.line for r in parsed.rows] == [2]
    assert [(e.line, e.field) for e in parsed.errors] == [(4, "本科")]


def test_a_quoted_line_break_does_not_shift_line_numbers(tmp_path, good_rows):
    good_rows[3][10] = "王\n老师"
    good_rows[4][4] = "nope"
    parsed = parse_accounts_file(write_csv(tmp_path / "q.csv", good_rows))
    # The quoted line break is record 4 (refused: a name holds no control character, as at the
    # counter); the record after it is still line 5.
    assert [(e.line, e.field) for e in parsed.errors] == [(4, "户主"), (5, "类别")]
    assert "U+000A" in parsed.errors[0].message_zh


BAD_LINES = [
    (["东校区", "", "", "1", "dorm", 2, 0, 0, 0, "m1", "", ""], "楼栋", "不能为空"),
    (["东校区", "5", "", "1", "宿舍", 2, 0, 0, 0, "m1", "", ""], "类别", "未知的类别"),
    (["东校区", "5", "", "1", "", 2, 0, 0, 0, "m1", "", ""], "类别", "不能为空"),
    (["东校区", "5", "", "1", "dorm", "2.5", 0, 0, 0, "m1", "", ""], "床位", "整数"),
    (["东校区", "5", "", "1", "dorm", 2, -1, 0, 0, "m1", "", ""], "本科", "负数"),
    (["东校区", "5", "", "1", "dorm", 400, 0, 0, 0, "m1", "", ""], "床位", "不合理"),
    (["东校区", "5", "", "1", "dorm", 2, 2, 1, 0, "m1", "", ""], "床位", "超过床位数"),
    (["东校区", "5", "", "1", "dorm", "", 0, 0, 0, "m1", "", ""], "床位", "必须填写床位数"),
    (["东校区", "5", "", "1", "dorm", 0, 0, 0, 0, "m1", "", ""], "床位", "必须填写床位数"),
    (["东校区", "5", "", "1", "dorm", 2, 0, 0, 0, "", "", ""], "电表号", "不能为空"),
    (["东校区", "5", "", "1", "dorm", 2, 0, 0, 0, "m 1", "", ""], "电表号", "只能含"),
    (["东校区", "5", "", "1", "staff", "", "", "", "", "m1", "", ""], "户主", "必须填写户主"),
    (["东校区", "5", "", "1", "实体经营", "", "", "", "", "m1", "", ""], "户主", "必须填写户主"),
    (["东校区", "5", "", "1", "staff", "", "", "", "", "m1", "张", "call me"], "电话", "无效"),
]


@pytest.mark.parametrize(("row", "field", "words"), BAD_LINES)
def test_each_kind_of_bad_line_is_named(tmp_path, good_rows, row, field, words):
    rows = [*good_rows[:3], row, *good_rows[3:]]  # the bad line is spreadsheet line 4
    parsed = parse_accounts_file(write_csv(tmp_path / "bad.csv", rows))
    assert [(e.line, e.field) for e in parsed.errors] == [(4, field)], parsed.errors
    assert words in parsed.errors[0].message_zh
    assert parsed.errors[0].message_en
    assert len(parsed.rows) == 4


def test_every_bad_line_is_reported_not_only_the_first(tmp_path, good_rows):
    rows = [*good_rows, *(r for r, _, _ in BAD_LINES)]
    for i, row in enumerate(rows[5:]):
        row[3], row[9] = f"9{i}", row[9] and f"{row[9]}{i}"  # distinct rooms/meters: no duplicates
    parsed = parse_accounts_file(write_csv(tmp_path / "many.csv", rows))
    assert sorted({e.line for e in parsed.errors}) == list(range(6, 6 + len(BAD_LINES)))


def test_all_reasons_on_one_line_are_listed(tmp_path):
    rows = [HEADER, ["", "5", "", "1", "bogus", "x", "-2", "", "", "", "", ""]]
    fields = {e.field for e in parse_accounts_file(write_csv(tmp_path / "x.csv", rows)).errors}
    assert fields == {"校区", "类别", "床位", "本科", "电表号"}


def test_duplicate_rooms_and_meters_name_both_lines(tmp_path, good_rows):
    rows = [*good_rows, ["东校区", "5", "", "308", "dorm", 9, 20, 0, 0, "other", "", ""]]  # also bad counts
    rows.append(["西校区", "C", "", "9", "business", "", "", "", "", "B-0001", "书店", ""])
    parsed = parse_accounts_file(write_csv(tmp_path / "dup.csv", rows))
    room = [e for e in parsed.errors if e.field == "房间"]
    meter = [e for e in parsed.errors if e.field == "电表号"]
    assert [(e.line, "第 6 行" in e.message_zh or "第 2 行" in e.message_zh) for e in room] == [
        (2, True),
        (6, True),
    ]
    assert "also line 6" in room[0].message_en and "also line 2" in room[1].message_en
    assert [e.line for e in meter] == [5, 7]


def test_header_problems_are_all_reported_on_line_1(tmp_path):
    rows = [["校区", "楼栋", "房间", "房间号", "颜色", "类别"], ["a", "b", "c", "d", "e", "dorm"]]
    parsed = parse_accounts_file(write_csv(tmp_path / "h.csv", rows))
    assert parsed.rows == ()
    assert {(e.line, e.field) for e in parsed.errors} == {(1, "房间"), (1, "颜色"), (1, "电表号")}


def test_empty_file_and_unreadable_file(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert [(e.line, e.field) for e in parse_accounts_file(empty).errors] == [(1, "表头")]
    missing = parse_accounts_file(tmp_path / "nope.csv")
    assert [(e.line, e.field) for e in missing.errors] == [(0, "file")]


@pytest.mark.parametrize(
    "data",
    [b"\xff\xfe\x21\x6e", b"\x80\x80\x80,\xff\n"],
)
def test_other_encodings_are_one_clean_error(tmp_path, data):
    path = tmp_path / "odd.csv"
    path.write_bytes(data)
    parsed = parse_accounts_file(path)
    assert [(e.line, e.field) for e in parsed.errors] == [(0, "encoding")]
    assert "UTF-8" in parsed.errors[0].message_zh and parsed.rows == ()


@pytest.mark.parametrize(
    ("data", "line"),
    [("校区,楼栋".encode("utf-16-le"), 1), (b"PK\x03\x04\x00\x00", 1), (b"a,b\nc,d\ne\x00f\n", 3)],
)
def test_a_nul_byte_is_named_with_its_line(tmp_path, data, line):
    """A NUL is never in a text export (UTF-16 without BOM, an XLSX renamed .csv, a binary file):
    named as such with its line, not called a wrong encoding."""
    path = tmp_path / "nul.csv"
    path.write_bytes(data)
    parsed = parse_accounts_file(path)
    assert [(e.line, e.field) for e in parsed.errors] == [(line, "NUL")]
    assert f"第 {line} 行含有 NUL 字节" in parsed.errors[0].message_zh and parsed.rows == ()


def test_a_broken_xlsx_is_a_clean_format_error(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"not a zip at all")
    assert [(e.line, e.field) for e in parse_accounts_file(path).errors] == [(0, "format")]


def test_when_both_decodings_work_the_header_decides(tmp_path):
    """b"\xc3\xa9" is "é" in UTF-8 and "茅" in GB18030: whichever decoding names more known
    columns wins, so a GB18030 file that happens to be valid UTF-8 is not read as mojibake."""
    path = tmp_path / "both.csv"
    path.write_bytes(b"\xc3\xa9,x\n1,2\n")
    assert read_table(path, lambda header: int("茅" in header)).encoding == "gb18030"
    assert read_table(path, lambda header: int("é" in header)).encoding == "utf-8"
    assert read_table(path, lambda header: 0).encoding == "utf-8"  # a tie goes to UTF-8


def test_gb18030_headers_are_recognised(tmp_path):
    rows = [HEADER, ["东校区", "5", "", "308", "学生公寓", 4, 3, 1, 0, "10000308", "", ""]]
    assert parse_accounts_file(write_csv(tmp_path / "g.csv", rows, "gb18030")).encoding == "gb18030"


def test_the_documented_example_file_parses(good_rows):
    parsed = parse_accounts_file(DATA / "yearly_example.csv")
    assert parsed.ok, parsed.errors
    assert len(parsed.rows) >= 4


def test_paths_may_be_strings(tmp_path, good_rows):
    path: Path = write_csv(tmp_path / "s.csv", good_rows)
    assert parse_accounts_file(str(path)).rows == parse_accounts_file(path).rows
