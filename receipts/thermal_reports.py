"""Thermal layouts of the payment confirmation slip (缴费确认单) and the X / Z shift reports."""

from __future__ import annotations

from receipts.data import SIMULATED_MARK, ConfirmationSlip, NetworkedBalance, ReportRow, ShiftReport
from receipts.thermal_layout import Layout, finish_copy, header_block, kwh, local_date, local_time, yuan

CONFIRMATION_TITLE = "缴费确认单"
REPORT_TITLES = {"X": "中途自查", "Z": "班结"}


def render_confirmation(layout: Layout, s: ConfirmationSlip, copy_label: str) -> None:
    header_block(layout, s.header, CONFIRMATION_TITLE, copy_label)
    layout.pair("户号", s.account_no)
    layout.pair("房间", s.room_code)
    if s.holder:
        layout.pair("户主", s.holder)
    layout.pair("金额", yuan(s.amount_fen), strong=True)
    layout.pair("购电量", kwh(s.energy_ckwh))
    if s.networked is not None:
        layout.pair("缴费前余额", kwh(s.balance_before_ckwh))
        networked_balance(layout, s.networked)
    else:
        layout.pair("缴费前余额(估)", kwh(s.balance_before_ckwh))
        layout.pair("缴费后余额(估)", kwh(s.balance_after_ckwh))
        if s.balance_as_of:
            layout.text(f"余额为估算值：{local_date(s.balance_as_of)} 返写余额加其后售电。")
    layout.rule()
    layout.signature("缴费人签字")
    layout.signature("日期")
    finish_copy(layout, simulated=s.header.simulated)


def networked_balance(layout: Layout, b: NetworkedBalance) -> None:
    """A networked room's balance (远程表, no card): credited − used, as of the module's last reading."""
    layout.pair("远程表余额", f"{kwh(b.remaining_ckwh)} ({yuan(b.balance_fen)})", strong=True)
    layout.pair("累计购入电量", kwh(b.credited_ckwh))
    layout.pair("累计用电量", kwh(b.used_ckwh + b.software_control_ckwh))
    if b.last_read_at is not None:
        reading = f"{local_time(b.last_read_at)}"
        layout.pair("抄表时间", reading)
        if b.last_read_ckwh is not None:
            layout.pair("表底读数", kwh(b.last_read_ckwh))
        layout.text("余额 = 累计购入 − 抄表所得用电，以上次抄表为准。")
    else:
        layout.text("尚未抄表：余额为累计购入电量。")


def render_shift_report(layout: Layout, r: ShiftReport) -> None:
    layout.heading(f"{REPORT_TITLES[r.kind]}({r.kind})")
    layout.centered(r.centre_name)
    if r.simulated:
        layout.centered(SIMULATED_MARK, bold=True)
    layout.rule()
    for label, value in (
        ("柜台", r.workstation),
        ("班次", r.shift_no),
        *((("自查序号", f"第{r.x_number}次"),) if r.x_number is not None else ()),
        ("收款员", r.cashier),
        ("开班", local_time(r.opened_at)),
        ("打印", local_time(r.at)),
    ):
        layout.pair(label, value)
    _rows_section(layout, "按收费项目", r.by_charge)
    _rows_section(layout, "按付款方式", r.by_tender)
    _receipts_section(layout, r)
    _free_and_extra(layout, r)
    if r.kind == "Z":
        _audit_anchor(layout, r)
    for label in r.sign_labels:
        layout.signature(label)
    finish_copy(layout, simulated=r.simulated)


def _rows_section(layout: Layout, title: str, rows: tuple[ReportRow, ...]) -> None:
    layout.rule()
    layout.centered(title, bold=True)
    for row in rows:
        layout.pair(row.label, _count_and_amount(row.count, row.fen))
    total = ReportRow("合计", sum(row.count for row in rows), sum(row.fen for row in rows))
    layout.pair(total.label, _count_and_amount(total.count, total.fen), strong=True)


def _count_and_amount(count: int, fen: int) -> str:
    return f"{count}笔 {yuan(fen)}"


def _receipts_section(layout: Layout, r: ShiftReport) -> None:
    layout.rule()
    layout.pair("凭条张数", str(r.receipt_count))
    if r.first_receipt_no and r.last_receipt_no:
        layout.pair("起", r.first_receipt_no)
        layout.pair("止", r.last_receipt_no)
    layout.pair("作废", _count_and_amount(len(r.voids), sum(v.amount_fen for v in r.voids)))
    for void in r.voids:
        layout.pair(void.receipt_no, yuan(void.amount_fen))
        layout.text(f"  原因：{void.reason}")
    layout.pair("补打", f"{len(r.reprints)}张")
    for receipt_no, count in r.reprints:
        layout.pair(receipt_no, f"{count}次")
    if r.suspense:
        layout.pair("写卡失败挂账", _count_and_amount(len(r.suspense), sum(x.amount_fen for x in r.suspense)))
    for item in r.suspense:
        layout.pair(item.receipt_no, yuan(item.amount_fen))
        if item.reason:
            layout.text(f"  原因：{item.reason}")


def _free_and_extra(layout: Layout, r: ShiftReport) -> None:
    layout.pair("免费电量", f"{r.free_count}户 {kwh(r.free_ckwh)}")
    if r.extra:
        layout.rule()
    for label, value in r.extra:
        layout.pair(label, value)


def _audit_anchor(layout: Layout, r: ShiftReport) -> None:
    """The audit chain's head on paper: the external anchor a later check compares against."""
    layout.rule()
    layout.pair("审计序号", str(r.audit_seq if r.audit_seq is not None else "-"))
    layout.text("审计链头：")
    layout.text(r.audit_head or "")
