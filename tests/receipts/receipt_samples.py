"""Receipt data used across the receipt tests: fixed, so printouts are reproducible."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from base.clock import BUSINESS_TZ
from receipts.data import (
    ConfirmationSlip,
    PaymentReceipt,
    ProvisionalSlip,
    ReceiptHeader,
    RefundLine,
    RefundReceipt,
    ReportRow,
    SaleReceipt,
    ShiftReport,
    TenderInfo,
    VoidLine,
    VoidReceipt,
)

AT = datetime(2026, 11, 23, 15, 20, tzinfo=BUSINESS_TZ)
QR = "CR1|W01|W01-00000123|10000|20261123T152000+0800|" + "x" * 86
HEADER = ReceiptHeader("某某大学能源中心水电营业室", "W01", "W01-00000123", AT, "张三")


def sale(**changes: object) -> SaleReceipt:
    base = SaleReceipt(
        header=HEADER,
        account_no="A000123",
        room_code="5-308",
        cls="dorm",
        price_e4=5883,
        amount_fen=10000,
        energy_ckwh=16998,
        purchase_counter=12,
        tender=TenderInfo("cash", tendered_fen=20000, change_fen=10000),
        qr_text=QR,
    )
    return replace(base, **changes)


def payment(**changes: object) -> PaymentReceipt:
    base = PaymentReceipt(
        header=replace(HEADER, receipt_no="W01-00000124"),
        charge="repair",
        payer="李四",
        amount_fen=5050,
        tender=TenderInfo("wechat", reference="4200001234202611231234567890"),
        qr_text=QR,
        notice_no="WX-2026-0042",
        room_code="5-308",
        details=(("维修日期", "2026-11-20"), ("维修人", "王师傅")),
    )
    return replace(base, **changes)


def void() -> VoidReceipt:
    return VoidReceipt(
        header=replace(HEADER, receipt_no="W01-00000125"),
        voided_receipt_no="W01-00000123",
        reason="房间号输错，应为 5-309，客户在场已退回现金并重新售电",
        amount_fen=10000,
        room_code="5-308",
        supervisor="王监督",
        replaced_by="W01-00000126",
    )


def refund() -> RefundReceipt:
    return RefundReceipt(
        header=replace(HEADER, receipt_no="W01-00000127"),
        form_no="TF-W01-2026-0007",
        account_no="A000123",
        room_code="5-308",
        refund_fen=5882,
        refundable_ckwh=10000,
        payee_name="赵同学",
        lines=(RefundLine(6000, 5883, 3529), RefundLine(4000, 5883, 2353)),
        supervisor="王监督",
    )


def provisional() -> ProvisionalSlip:
    return ProvisionalSlip(
        "某某大学能源中心水电营业室",
        "W01",
        "7f1c2d9e-4b7a-4e55-9a51-0c8f1e2d3b4a",
        AT,
        "张三",
        "A000123",
        "5-308",
        10000,
        16998,
    )


def confirmation() -> ConfirmationSlip:
    return ConfirmationSlip(
        HEADER, "A000123", "5-308", 10000, 16998, 1234, 18232, date(2026, 11, 20), "赵同学"
    )


def shift_report(kind: str = "Z") -> ShiftReport:
    return ShiftReport(
        kind=kind,
        centre_name="某某大学能源中心水电营业室",
        workstation="W01",
        shift_no="S-20261123-2",
        cashier="张三",
        opened_at=AT.replace(hour=17, minute=0),
        at=AT.replace(hour=22, minute=5),
        by_charge=(ReportRow("寝室用户", 40, 400000), ReportRow("代收维修费", 2, 10100)),
        by_tender=(ReportRow("现金", 30, 300000), ReportRow("微信", 12, 110100)),
        first_receipt_no="W01-00000100",
        last_receipt_no="W01-00000143",
        receipt_count=44,
        voids=(VoidLine("W01-00000125", 10000, "房间号输错"),),
        free_ckwh=120000,
        free_count=12,
        extra=(("备用金", "￥500.00"), ("实点现金", "￥3500.00"), ("长短款", "￥0.00")),
        audit_seq=1042 if kind == "Z" else None,
        audit_head="9f2c" * 16 if kind == "Z" else None,
        sign_labels=("营业员", "监督人") if kind == "Z" else (),
    )
