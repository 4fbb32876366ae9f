"""Thermal printouts: golden bytes, widths, decoding, copies and the marks DOMAIN.md asks for."""

import os
from dataclasses import replace
from pathlib import Path

import pytest
import receipt_samples as samples

from base.amount_words import amount_in_words
from receipts.columns import display_width
from receipts.data import SIMULATED_MARK, TenderInfo
from receipts.escpos import Printout
from receipts.escpos_text import parse_escpos, rendered_lines
from receipts.thermal import ReceiptBuilder

GOLDEN = Path(__file__).parent / "golden"
WIDTHS = [32, 48]
CUT = b"\x1dV\x01"


def render_all(columns: int) -> dict[str, Printout]:
    builder = ReceiptBuilder(columns=columns)
    return {
        "sale": builder.sale(samples.sale()),
        "sale_free_reprint_sim": builder.sale(
            samples.sale(
                free_ckwh=2000,
                carried_ckwh=150,
                header=replace(samples.HEADER, reprint_count=2, simulated=True),
            )
        ),
        "payment": builder.payment(samples.payment()),
        "void": builder.void(samples.void()),
        "refund": builder.refund(samples.refund()),
        "provisional": builder.provisional(samples.provisional()),
        "confirmation": builder.confirmation(samples.confirmation()),
        "x_report": builder.shift_report(samples.shift_report("X")),
        "z_report": builder.shift_report(samples.shift_report("Z")),
    }


ALL = [(columns, name) for columns in WIDTHS for name in render_all(32)]


@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize("name", ["sale", "z_report"])
def test_golden_bytes(columns: int, name: str) -> None:
    """Any change to a printed byte shows here. Regenerate deliberately: UPDATE_GOLDEN=1."""
    data = render_all(columns)[name].data
    path = GOLDEN / f"{name}_{columns}.bin"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_bytes(data)
    assert data == path.read_bytes(), "\n".join(map(str, parse_escpos(data)[:80]))


@pytest.mark.parametrize("columns", WIDTHS)
def test_sale_receipt_opens_with_the_exact_command_sequence(columns: int) -> None:
    data = render_all(columns)["sale"].data
    heading = (
        b"\x1b@\x1c&"  # ESC @, FS &: reset and Chinese mode
        + b"\x1ba\x01\x1bE\x01\x1d!\x11\x1c!\x0c"  # centre, bold, double size (ASCII and Han)
        + "购电凭条".encode("gb18030")
        + b"\n"
        + b"\x1d!\x00\x1c!\x00\x1bE\x00\x1ba\x00"  # back to normal, left
    )
    assert data.startswith(heading)


@pytest.mark.parametrize(("columns", "name"), ALL)
def test_every_byte_is_a_known_command_and_every_line_fits(columns: int, name: str) -> None:
    printout = render_all(columns)[name]
    lines = rendered_lines(printout.data)  # parses the bytes independently of the builder
    assert lines == list(printout.lines)
    for line in lines:
        limit = columns // 2 if line.wide else columns
        assert line.text.startswith("[QR] ") or display_width(line.text) <= limit, line


@pytest.mark.parametrize(("columns", "name"), ALL)
def test_text_decodes_from_gb18030_and_has_no_half_width_yen(columns: int, name: str) -> None:
    data = render_all(columns)[name].data
    texts = [c.text for c in parse_escpos(data) if c.name == "TEXT"]
    assert texts and all("\u00a5" not in t for t in texts)
    assert b"\x10\x04" not in data


@pytest.mark.parametrize(("columns", "name"), ALL)
def test_chinese_mode_wraps_each_copy(columns: int, name: str) -> None:
    names = [c.name for c in parse_escpos(render_all(columns)[name].data)]
    copies = 1 if name.endswith("report") else 2
    assert names.count("FS &") == names.count("FS .") == names.count("GS V") == copies
    assert names[-1] == "GS V"


def test_sale_shows_what_domain_asks_for() -> None:
    text = render_all(32)["sale"].text
    for expected in [
        "购电凭条",
        "某某大学能源中心水电营业室",
        "W01-00000123",
        "2026-11-23 15:20:00",
        "张三",
        "A000123",
        "5-308",
        "学生公寓",
        "0.5883 元/kWh",
        "￥100.00",
        "壹佰元整",
        "169.98 kWh",
        "购电次数",
        "现金",
        "应收",
        "实收",
        "￥200.00",
        "找零",
        "客户联",
        "存根联",
        f"[QR] {samples.QR}",
    ]:
        assert expected in text, expected
    assert "免费电量" not in text and "补打" not in text and SIMULATED_MARK not in text


def test_customer_copy_comes_first_and_both_carry_the_qr() -> None:
    text = render_all(32)["sale"].text
    assert text.index("客户联") < text.index("存根联")
    assert text.count(f"[QR] {samples.QR}") == 2


def test_free_energy_reprint_and_simulation_marks() -> None:
    text = render_all(32)["sale_free_reprint_sim"].text
    assert "免费电量" in text and "20.00 kWh" in text
    assert "本次写卡电量" in text and "191.48 kWh" in text  # 169.98 + 20.00 + 1.50
    assert text.count("补打 第2次") == 2
    assert text.count(SIMULATED_MARK) == 4  # top and bottom of each copy


def test_automatic_reprint_is_identical_to_the_original() -> None:
    builder = ReceiptBuilder(columns=32)
    assert builder.sale(samples.sale()).data == builder.sale(samples.sale()).data


def test_non_cash_tender_shows_reference_not_change() -> None:
    text = (
        ReceiptBuilder(columns=32)
        .sale(samples.sale(tender=TenderInfo("alipay", reference="2026112322001")))
        .text
    )
    assert "支付宝" in text and "交易单号" in text and "2026112322001" in text
    assert "找零" not in text


def test_payment_heading_and_charge() -> None:
    text = render_all(48)["payment"].text
    assert "收费凭条" in text and "代收维修费" in text and "维修人" in text and "王师傅" in text
    assert "伍拾元伍角" in text


@pytest.mark.parametrize(
    ("charge", "label"),
    [
        ("utility", "代收水电费"),
        ("heating", "采暖费"),
        ("back_charge", "违规用电补缴电费"),
        ("card", "补卡费"),
    ],
)
def test_every_charge_has_its_label(charge: str, label: str) -> None:
    assert label in ReceiptBuilder(columns=32).payment(samples.payment(charge=charge)).text


def test_void_names_the_voided_receipt_and_reason() -> None:
    text = render_all(32)["void"].text
    assert "作废" in text and "W01-00000123" in text and "王监督" in text and "W01-00000126" in text
    assert "房间号输错" in text


def test_refund_shows_the_positive_amount_under_its_heading() -> None:
    text = render_all(32)["refund"].text
    assert text.startswith("退款")
    assert "￥58.82" in text and amount_in_words(5882) in text and "-" + "58.82" not in text
    assert "60.00×0.5883" in text


def test_provisional_slip_carries_the_intent_id() -> None:
    intent_id = "7f1c2d9e-4b7a-4e55-9a51-0c8f1e2d3b4a"
    text = render_all(32)["provisional"].text
    assert "临时凭条" in text and intent_id in text.replace("\n", "")
    assert f"[QR] {intent_id}" in text


def test_confirmation_slip_has_balances_and_a_signature_line() -> None:
    text = render_all(32)["confirmation"].text
    assert "缴费确认单" in text and "12.34 kWh" in text and "182.32 kWh" in text
    assert text.count("缴费人签字：____") == 2


def test_z_report_totals_and_audit_anchor() -> None:
    text = render_all(32)["z_report"].text
    assert "班结(Z)" in text and "42笔 ￥4101.00" in text and "9f2c" * 8 in text and "1042" in text
    assert "W01-00000100" in text and "W01-00000143" in text and "营业员：" in text
    x_text = render_all(32)["x_report"].text
    assert "中途自查(X)" in x_text and "审计链头" not in x_text


def test_unknown_paper_width_is_refused() -> None:
    with pytest.raises(ValueError):
        ReceiptBuilder(columns=40)
