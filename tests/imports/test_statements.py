"""The tender statement parser (counter_app/imports/statements.py): properties over generated
WeChat and Alipay exports written to real files, and the refusals named by line."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from base.errors import InputInvalid
from counter_app.imports.statements import parse_signed_yuan, parse_statement_rows, read_statement

reference = st.text(alphabet="0123456789ABCDEFWX-", min_size=4, max_size=28).filter(lambda r: r[0] != "#")
fen = st.integers(min_value=1, max_value=10**9)
row = st.tuples(reference, fen, st.booleans())  # (reference, amount, refunded)


def yuan(value: int) -> str:
    return f"{value // 100}.{value % 100:02d}"


def wechat_csv(rows) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(
        [
            "交易时间",
            "公众账号ID",
            "商户号",
            "微信订单号",
            "商户订单号",
            "交易状态",
            "应结订单金额",
            "退款金额",
        ]
    )
    for i, (ref, amount, refunded) in enumerate(rows):
        w.writerow([f"`2026-11-23 10:{i % 60:02d}:00", "`wx1", "`m1", f"`{ref}", f"`o{i}",
                    "`REFUND" if refunded else "`SUCCESS", f"`{yuan(amount)}", f"`{yuan(amount) if refunded else '0.00'}"])  # fmt: skip
    w.writerow(["总交易单数", "应结订单总金额"])
    w.writerow([f"`{len(rows)}", "`0.00"])
    return out.getvalue()


def alipay_csv(rows) -> str:
    out = io.StringIO()
    out.write("#支付宝业务明细查询\n#账号：[20881234]\n#起始日期：[2026年11月23日 00:00:00]\n")
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["支付宝交易号", "商户订单号", "业务类型", "完成时间", "订单金额（元）", "商家实收（元）"])
    for i, (ref, amount, refunded) in enumerate(rows):
        sign = "-" if refunded else ""
        w.writerow([ref, f"o{i}", "退款" if refunded else "交易", "2026-11-23 10:00:00", f"{sign}{yuan(amount)}",
                    f"{sign}{yuan(amount)}"])  # fmt: skip
    out.write(
        "#-----------------------------------------业务明细列表结束------------------------------------\n"
    )
    out.write("#交易合计：1笔，商家实收共10.00元\n")
    return out.getvalue()


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(row, max_size=25), export=st.sampled_from([("wechat", "utf-8"), ("alipay", "gb18030")]))
def test_every_exported_line_reads_back_with_its_amount_and_sign(rows, export):
    kind, encoding = export
    body = wechat_csv(rows) if kind == "wechat" else alipay_csv(rows)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "statement.csv"
        path.write_bytes(body.encode(encoding))
        statement = read_statement(path)
    assert statement.by_reference and statement.problems == ()
    assert [(s.reference, s.fen) for s in statement.lines] == [
        (r, -a if refunded else a) for r, a, refunded in rows
    ]
    assert statement.total_fen == sum(-a if refunded else a for _, a, refunded in rows)


@given(value=st.integers(min_value=-(10**12), max_value=10**12), currency=st.sampled_from(["", "¥", "￥"]))
def test_signed_yuan_is_exact(value, currency):
    sign = "-" if value < 0 else ""
    assert parse_signed_yuan(f"{sign}{currency}{yuan(abs(value))}", "amount") == value


@given(junk=st.sampled_from(["1.234", "abc", "1,2.3.4", "", "--5"]))
def test_a_bad_amount_is_refused(junk):
    with pytest.raises(InputInvalid):
        parse_signed_yuan(junk, "amount")


def test_a_bad_line_is_named_with_the_spreadsheet_row_and_the_others_kept():
    rows = [(1, ("#支付宝业务明细查询",)), (2, ("支付宝交易号", "订单金额(元)")), (3, ("A1", "1.00")),
            (5, ("A2", "1.0x")), (6, ("", "2.00")), (7, ("A3", "3.00"))]  # fmt: skip
    statement = parse_statement_rows(rows)
    assert [s.reference for s in statement.lines] == ["A1", "A3"]
    assert [p.line for p in statement.problems] == [5, 6]


def test_no_header_is_one_clear_refusal():
    with pytest.raises(InputInvalid) as err:
        parse_statement_rows([(1, ("名称", "备注")), (2, ("x", "y"))])
    assert err.value.field == "file"


def test_daily_sums_without_references_are_matched_per_day():
    statement = parse_statement_rows(
        [(1, ("结算日期", "笔数", "金额")), (2, ("2026/11/23", "12", "1,234.50"))]
    )
    assert not statement.by_reference
    assert [(s.on.isoformat(), s.count, s.fen) for s in statement.lines] == [("2026-11-23", 12, 123_450)]


def test_a_campus_card_xlsx_with_number_cells_reads_exactly(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["一卡通结算明细"])  # a title row before the header
    sheet.append(["交易流水号", "交易时间", "金额"])
    sheet.append(["YKT-1", "2026-11-23 10:00:00", 25.5])
    sheet.append(["YKT-2", "2026-11-23 11:00:00", 3])
    path = tmp_path / "ykt.xlsx"
    book.save(path)
    statement = read_statement(path)
    assert statement.by_reference and statement.problems == ()
    assert [(s.line, s.reference, s.fen) for s in statement.lines] == [(3, "YKT-1", 2_550), (4, "YKT-2", 300)]
