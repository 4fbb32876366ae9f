"""Thermal printouts (DOMAIN.md "Receipts and slips") as ESC/POS bytes, for 32 or 48 columns.

    builder = ReceiptBuilder(columns=32)          # 58 mm paper; 48 for 80 mm
    printout = builder.sale(receipt)              # Printout(data=bytes, lines=…)
    printer.send(printout.data)                   # the hardware layer's job, not ours

Numbered receipts come in two copies, customer (客户联) then counter (存根联), each ending in a cut.
The same data always gives the same bytes: an automatic reprint after a printer fault is the
original again; a reprint a person asks for carries `reprint_count` and prints "补打 第n次".
"""

from __future__ import annotations

from base.money import format_kwh, format_price
from base.vocabulary import CLASS_LABELS, TENDER_LABELS
from receipts.columns import PAPER_COLUMNS
from receipts.data import (
    CHARGE_LABELS,
    SIMULATED_MARK,
    ConfirmationSlip,
    PaymentReceipt,
    ProvisionalSlip,
    RefundReceipt,
    SaleReceipt,
    ShiftReport,
    VoidReceipt,
)
from receipts.escpos import EscPos, Printout
from receipts.thermal_layout import (
    Layout,
    finish_copy,
    header_block,
    kwh,
    local_time,
    one_copy,
    price,
    two_copies,
    yuan,
)
from receipts.thermal_reports import networked_balance, render_confirmation, render_shift_report

SALE_TITLE = "购电凭条"
PAYMENT_TITLE = "收费凭条"
VOID_TITLE = "作废"
REFUND_TITLE = "退款"
PROVISIONAL_TITLE = "临时凭条"


class ReceiptBuilder:
    """Lays out every thermal printout for one paper width."""

    def __init__(self, *, columns: int = 32) -> None:
        if columns not in PAPER_COLUMNS.values():
            raise ValueError(f"paper columns must be one of {sorted(PAPER_COLUMNS.values())}")
        self.columns = columns

    def sale(self, receipt: SaleReceipt) -> Printout:
        return two_copies(self.columns, lambda layout, copy: _sale(layout, receipt, copy))

    def payment(self, receipt: PaymentReceipt) -> Printout:
        return two_copies(self.columns, lambda layout, copy: _payment(layout, receipt, copy))

    def void(self, receipt: VoidReceipt) -> Printout:
        return two_copies(self.columns, lambda layout, copy: _void(layout, receipt, copy))

    def refund(self, receipt: RefundReceipt) -> Printout:
        return two_copies(self.columns, lambda layout, copy: _refund(layout, receipt, copy))

    def provisional(self, slip: ProvisionalSlip) -> Printout:
        return two_copies(self.columns, lambda layout, copy: _provisional(layout, slip, copy))

    def confirmation(self, slip: ConfirmationSlip) -> Printout:
        return two_copies(self.columns, lambda layout, copy: render_confirmation(layout, slip, copy))

    def shift_report(self, report: ShiftReport) -> Printout:
        return one_copy(self.columns, lambda layout: render_shift_report(layout, report))

    def drawer_kick(self) -> Printout:
        """Open the cash drawer (ESC p), sent on its own before a cash receipt."""
        return EscPos(columns=self.columns).kick_drawer().printout()


def _sale(layout: Layout, r: SaleReceipt, copy_label: str) -> None:
    header_block(layout, r.header, SALE_TITLE, copy_label)
    if r.corrects_receipt_no:
        layout.pair("更正原凭条", r.corrects_receipt_no)
    layout.pair("户号", r.account_no)
    layout.pair("房间", r.room_code)
    layout.pair("类别", CLASS_LABELS[r.cls])
    layout.pair("电价", price(r.price_e4))
    layout.rule()
    layout.amount(r.amount_fen)
    layout.pair("购电量", kwh(r.energy_ckwh))
    _extra_energy(layout, r)
    if r.networked is None:
        layout.pair("购电次数", str(r.purchase_counter))
    else:
        networked_balance(layout, r.networked)
    layout.rule()
    layout.tender(r.tender, r.amount_fen)
    layout.rule()
    layout.qr(r.qr_text)
    finish_copy(layout, simulated=r.header.simulated)


def _extra_energy(layout: Layout, r: SaleReceipt) -> None:
    """Free energy and carried energy go onto the card with the purchase: show what and how much."""
    if r.free_ckwh:
        layout.pair("免费电量", kwh(r.free_ckwh))
    if r.carried_ckwh:
        layout.pair("结转未输电量", kwh(r.carried_ckwh))
    if (r.free_ckwh or r.carried_ckwh) and r.networked is None:
        layout.pair("本次写卡电量", kwh(r.energy_ckwh + r.free_ckwh + r.carried_ckwh))


def _payment(layout: Layout, r: PaymentReceipt, copy_label: str) -> None:
    header_block(layout, r.header, PAYMENT_TITLE, copy_label)
    layout.pair("收费项目", r.charge_label or CHARGE_LABELS[r.charge])
    for label, value in _optional_pairs(
        ("通知单号", r.notice_no), ("户号", r.account_no), ("房间", r.room_code), ("缴费人", r.payer)
    ):
        layout.pair(label, value)
    for label, value in r.details:
        layout.pair(label, value)
    if r.paper_receipt_no:
        layout.pair("收据号", r.paper_receipt_no)
    layout.rule()
    layout.amount(r.amount_fen)
    layout.rule()
    layout.tender(r.tender, r.amount_fen)
    layout.rule()
    layout.qr(r.qr_text)
    finish_copy(layout, simulated=r.header.simulated)


def _void(layout: Layout, r: VoidReceipt, copy_label: str) -> None:
    header_block(layout, r.header, VOID_TITLE, copy_label)
    layout.pair("作废凭条", r.voided_receipt_no, strong=True)
    for label, value in _optional_pairs(("户号", r.account_no), ("房间", r.room_code)):
        layout.pair(label, value)
    layout.pair("原金额", yuan(r.amount_fen))
    layout.pair("作废原因", r.reason)
    for label, value in _optional_pairs(("监督人", r.supervisor), ("更正后凭条", r.replaced_by)):
        layout.pair(label, value)
    layout.rule()
    finish_copy(layout, simulated=r.header.simulated)


def _refund(layout: Layout, r: RefundReceipt, copy_label: str) -> None:
    header_block(layout, r.header, REFUND_TITLE, copy_label)
    layout.pair("退费审批单", r.form_no)
    layout.pair("户号", r.account_no)
    layout.pair("房间", r.room_code)
    layout.pair("退电量", kwh(r.refundable_ckwh))
    for line in r.lines:
        layout.pair(f"{format_kwh(line.energy_ckwh)}×{format_price(line.price_e4)}", yuan(line.fen))
    layout.rule()
    layout.amount(r.refund_fen, label="退款金额")
    layout.pair("收款人", r.payee_name)
    if r.supervisor:
        layout.pair("监督人", r.supervisor)
    layout.text("退款由财务按审批单支付，不从当班营业款中支出。")
    layout.rule()
    if r.qr_text:
        layout.qr(r.qr_text)
    finish_copy(layout, simulated=r.header.simulated)


def _provisional(layout: Layout, s: ProvisionalSlip, copy_label: str) -> None:
    layout.heading(PROVISIONAL_TITLE)
    layout.centered(s.centre_name)
    layout.centered(copy_label)
    if s.simulated:
        layout.centered(SIMULATED_MARK, bold=True)
    layout.rule()
    layout.pair("柜台", s.workstation)
    layout.pair("日期", local_time(s.at))
    layout.pair("收款员", s.cashier)
    layout.text("业务编号：")
    layout.text(s.intent_id)  # a UUID is 36 columns: on its own line(s), and as a QR below
    layout.pair("户号", s.account_no)
    layout.pair("房间", s.room_code)
    layout.pair("金额", yuan(s.amount_fen), strong=True)
    layout.pair("购电量", kwh(s.energy_ckwh))
    layout.pair("付款方式", TENDER_LABELS[s.tender_kind])
    layout.rule()
    layout.text("电已写入卡中。系统暂时无法记账，正式凭条将凭业务编号补打，请保留本单。")
    if s.intent_id.isascii() and s.intent_id.isprintable():
        layout.qr(s.intent_id, caption="业务编号")
    finish_copy(layout, simulated=s.simulated)


def _optional_pairs(*pairs: tuple[str, str | None]) -> list[tuple[str, str]]:
    return [(label, value) for label, value in pairs if value]
