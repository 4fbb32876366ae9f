"""The legacy import: accounts, counters, balances and priced purchases from the old system."""

from __future__ import annotations

from datetime import date

import pytest

from counter_app.imports.accounts_file import RoomKey
from counter_app.imports.legacy_file import LegacyPurchase, parse_legacy_file

from .files import DATA, csv_bytes, write_csv, write_xlsx

HEADER = ["校区", "楼栋", "单元", "房间", "卡号", "购电次数", "余额(kWh)", "余额日期",
          "购电序号", "购电日期", "电量(kWh)", "金额(元)", "电价(元/kWh)"]  # fmt: skip
A1 = ["东校区", "5", "", "308", "A1B2C3D4", "12", "35.20", "2025-06-30"]


def lines_of(parsed):
    return [(e.line, e.field) for e in parsed.errors]


def test_the_documented_example_parses():
    parsed = parse_legacy_file(DATA / "legacy_example.csv")
    assert parsed.ok, parsed.errors
    first, empty, staff = parsed.accounts
    assert first.key == RoomKey("东校区", "5", "", "308") and first.line == 2
    assert (first.card_serial, first.purchase_counter, first.balance_ckwh, first.balance_on) == (
        "A1B2C3D4",
        12,
        3520,
        date(2025, 6, 30),
    )
    assert first.purchases == (
        LegacyPurchase(11, date(2025, 5, 10), 16998, 10000, 5883, line=2),
        LegacyPurchase(12, date(2025, 6, 2), 8499, 5000, 5883, line=3),
    )
    assert empty.purchases == () and empty.purchase_counter == 0 and empty.balance_on is None
    assert staff.key.unit == "2" and staff.purchases[0].amount_fen == 10300


def test_gb18030_and_xlsx_give_the_same_accounts(tmp_path):
    rows = [
        HEADER,
        [*A1, "12", "2025-06-02", "84.99", "50.00", "0.5883"],
        [*A1, "11", "2025-05-10", "169.98", "100", "0.5883"],
    ]
    reference = parse_legacy_file(write_csv(tmp_path / "u.csv", rows)).accounts
    assert parse_legacy_file(write_csv(tmp_path / "g.csv", rows, "gb18030")).accounts == reference
    xlsx_rows = [HEADER, *([*r[:9], date(2025, 6, 2) if r[8] == "12" else date(2025, 5, 10), float(r[10]), float(r[11]),
                            float(r[12])] for r in rows[1:])]  # fmt: skip
    assert parse_legacy_file(write_xlsx(tmp_path / "x.xlsx", xlsx_rows)).accounts == reference
    assert [p.counter for p in reference[0].purchases] == [11, 12]  # sorted by counter


PURCHASE = ["12", "2025-06-02", "84.99", "50.00", "0.5883"]


@pytest.mark.parametrize(
    ("account", "purchase", "field", "words"),
    [
        (A1, ["12", "2025-06-02", "84.99", "50.00", "0.58835"], "电价(元/kWh)", "4 位小数"),
        (A1, ["12", "2025-06-02", "84.99", "60.00", "0.5883"], "金额(元)", "不符"),
        (A1, ["12", "2025-02-30", "84.99", "50.00", "0.5883"], "购电日期", "无效"),
        (A1, ["12", "2099-01-01", "84.99", "50.00", "0.5883"], "购电日期", "晚于今天"),
        (A1, ["13", "2025-06-02", "84.99", "50.00", "0.5883"], "购电序号", "大于账户购电次数"),
        (A1, ["12", "", "84.99", "50.00", "0.5883"], "购电日期", "缺少"),
        (A1, ["12", "2025-06-02", "0", "0", "0.5883"], "电量(kWh)", "大于 0"),
        (A1, ["12", "2025-06-02", "84.99", "50.00", "0"], "电价(元/kWh)", "大于 0"),
        (A1, ["x", "2025-06-02", "84.99", "50.00", "0.5883"], "购电序号", "非负整数"),
        ([*A1[:4], "", *A1[5:]], PURCHASE, "卡号", "不能为空"),
        ([*A1[:4], "A1 B2", *A1[5:]], PURCHASE, "卡号", "只能含"),
        ([*A1[:6], "-1", A1[7]], PURCHASE, "余额(kWh)", "有效数字"),
        ([*A1[:6], "10000.00", A1[7]], PURCHASE, "余额(kWh)", "最大值"),
        ([*A1[:7], "2025-13-01"], PURCHASE, "余额日期", "无效"),
    ],
)
def test_each_kind_of_bad_line_is_named(tmp_path, account, purchase, field, words):
    rows = [HEADER, ["东校区", "5", "", "309", "X1", "0", "0", "", "", "", "", "", ""], [*account, *purchase]]
    parsed = parse_legacy_file(write_csv(tmp_path / "bad.csv", rows), today=date(2025, 7, 1))
    assert lines_of(parsed) == [(3, field)], parsed.errors
    assert words in parsed.errors[0].message_zh


def test_amount_tolerance_follows_the_old_meters_resolution(tmp_path):
    # 50 yuan at 0.5883 buys 84.99 kWh to 0.01 kWh, 84.9 kWh on a meter with 0.1 kWh resolution.
    rows = [HEADER, [*A1, "12", "2025-06-02", "84.90", "50.00", "0.5883"]]
    path = write_csv(tmp_path / "r.csv", rows)
    assert lines_of(parse_legacy_file(path)) == [(2, "金额(元)")]
    assert parse_legacy_file(path, resolution_ckwh=10).ok


def test_rows_of_one_account_must_agree_and_counters_are_unique(tmp_path):
    rows = [
        HEADER,
        [*A1, "11", "2025-05-10", "169.98", "100.00", "0.5883"],
        [*A1[:6], "35.30", A1[7], "12", "2025-06-02", "84.99", "50.00", "0.5883"],  # other balance
        [*A1, "11", "2025-05-11", "169.98", "100.00", "0.5883"],  # counter 11 again
        [*A1, "10", "2025-06-01", "169.98", "100.00", "0.5883"],  # counter 10 is after counter 11?
    ]
    parsed = parse_legacy_file(write_csv(tmp_path / "a.csv", rows))
    assert set(lines_of(parsed)) == {(2, "购电日期"), (2, "购电序号"), (3, "余额(kWh)"), (4, "购电序号")}
    assert len(parsed.errors) == 4
    balance = next(e for e in parsed.errors if e.line == 3)
    assert "第 2 行" in balance.message_zh


def test_one_card_on_two_accounts_names_both(tmp_path):
    rows = [
        HEADER,
        [*A1, *PURCHASE],
        ["东校区", "5", "", "309", "A1B2C3D4", "0", "0", "", "", "", "", "", ""],
    ]
    parsed = parse_legacy_file(write_csv(tmp_path / "c.csv", rows))
    assert lines_of(parsed) == [(2, "卡号"), (3, "卡号")]


def test_header_problems_and_encoding(tmp_path):
    parsed = parse_legacy_file(write_csv(tmp_path / "h.csv", [[*HEADER[:-1], "备注"], [*A1, *PURCHASE]]))
    assert set(lines_of(parsed)) == {(1, "备注"), (1, "电价(元/kWh)")}
    bad = tmp_path / "b.csv"
    bad.write_bytes(csv_bytes([HEADER], "utf-16"))
    assert lines_of(parse_legacy_file(bad)) == [(0, "encoding")]
