"""售电登记表 (sales register): one line per transaction, for a shift (with the X report and the
settlement sheet) or for a date range (`counter-admin report sales-register`).

DOMAIN "Shifts, days, months": the mid-shift self-check shows the totals per tender *and the sales
register*. A line gives the time (Beijing time), receipt number, account, room, what was done, the
charge line, amount (fen), energy sold and free energy (0.01 kWh), the tender with its reference,
the cashier, and a mark: a voided sale says so, a void names the receipt it cancels and why, a
correction (作废重开) names the receipt it replaces. Voids are lines of their own with opposite
signs, so the totals are net, and equal to what the drawer and the sheet count.

Not listed (they are not takings; the sheet has their own sections): refund approvals raised (paid
by finance), energy carried to a replacement meter, meter clears, legacy purchases.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from base.errors import InputInvalid
from base.vocabulary import TENDER_LABELS
from counter_app import row_seals
from counter_app.settlement.ledger_view import LINE_LABELS, EntryRow, shift_entries
from counter_app.settlement.reports import Progress, ReportQuery, entries_in
from counter_app.settlement.sheet_content import local_text, name_of
from db.models import Shift, Workstation
from db.queries.register import VoidOf, receipt_numbers, voids_of
from receipts.reports.model import ReportTable, as_rows
from receipts.tables import Cell, Column

KIND_LABELS = {
    "sale": "售电",
    "correction": "更正重开",
    "void": "作废",
    "free": "领免费电",
    "bill_payment": "缴费",
    "fee_payment": "收费",
    "back_charge_payment": "违规用电补缴",
    "suspense": "挂账",
    "suspense_resolved": "挂账结转",
}
LISTED_KINDS = tuple(KIND_LABELS)
# Widths in mm (landscape A4 has 267): thirteen columns sized by content alone all wrap.
COLUMNS = (
    Column("时间", "datetime", 38), Column("收据号", width=29), Column("户号", width=15), Column("房间", width=14),
    Column("业务", width=14), Column("项目", width=20), Column("金额（元）", "yuan", 18),
    Column("售电量（kWh）", "kwh", 18), Column("免费电（kWh）", "kwh", 17), Column("付款", width=11),
    Column("支付凭证号", width=22), Column("营业员", width=14), Column("标记"),
)  # fmt: skip
TITLE = "售电登记表"
NOTES = (
    "金额与电量为实收：作废以负数冲回，合计即本期实收；“标记”注明作废、更正重开及原收据号。",
    "退费审批单、换表结转、清零不计入本表，见交账单。",
)


def sales_register(session: Session, query: ReportQuery, progress: Progress | None = None) -> ReportTable:
    """The register of every counter for business dates query.start..query.end."""
    rows, total = register_lines(session, entries_in(session, query))
    return ReportTable("sales-register", TITLE, COLUMNS, rows, total,
                       (query.centre_name, f"期间：{query.range_text}"), wide=True, notes=NOTES,
                       sign_labels=("制表", "复核"))  # fmt: skip


def shift_register(session: Session, shift_id: int, centre_name: str) -> ReportTable:
    """The register of one shift (open: so far, as the X report shows it; closed: complete)."""
    shift = row_seals.check(session, session.get(Shift, shift_id))  # it names the cashier on the paper
    if shift is None:
        raise InputInvalid(f"没有班次 {shift_id}", detail_en=f"no shift {shift_id}", field="shift_id")
    station = session.get(Workstation, shift.workstation_id)
    heading = (f"工作站：{station.code if station else ''}　班次：{shift_id}　营业员：{name_of(session, shift.operator_id) or ''}"
               f"　开班：{local_text(shift.opened_at)}{'（未结班）' if shift.is_open else ''}")  # fmt: skip
    rows, total = register_lines(session, shift_entries(session, shift_id))
    return ReportTable("sales-register", TITLE, COLUMNS, rows, total, (centre_name, heading), wide=True,
                       notes=NOTES, sign_labels=("营业员", "监督人"))  # fmt: skip


def register_lines(
    session: Session, entries: Sequence[EntryRow]
) -> tuple[tuple[tuple[Cell, ...], ...], tuple[Cell, ...]]:
    """The lines in the order they were written, and the total line (count, amount, energy, free)."""
    listed = [e for e in entries if e.kind in LISTED_KINDS]
    voided = voids_of(session, [e.id for e in listed if e.kind != "void"])
    referred = receipt_numbers(session, {e.corrects_entry_id for e in listed if e.corrects_entry_id})
    rows = [_line(e, voided.get(e.id), referred) for e in listed]
    total: tuple[Cell, ...] = (None, f"{len(rows)} 笔", "", "", "", "合计", sum(e.fen for e in listed),
                               sum(e.energy_ckwh for e in listed), sum(e.free_ckwh for e in listed),
                               "", "", "", "")  # fmt: skip
    return as_rows(rows), total


def _line(e: EntryRow, voided_by: VoidOf | None, referred: dict[int, str]) -> tuple[Cell, ...]:
    original = referred.get(e.corrects_entry_id or 0, "")
    receipt_no = e.receipt_no or (original if e.kind == "void" else "")
    return (e.at, receipt_no, e.account_no or "", e.room_code or "", KIND_LABELS[e.kind],
            LINE_LABELS.get(e.line, e.line), e.fen, e.energy_ckwh, e.free_ckwh,
            TENDER_LABELS.get(e.tender or "", e.tender or ""), e.reference or "", e.operator or "",
            _mark(e, voided_by, original))  # fmt: skip


def _mark(e: EntryRow, voided_by: VoidOf | None, original: str) -> str:
    """Why a line is not a plain sale: voided later, a void, a correction, money held in suspense."""
    if e.kind == "void":
        return f"作废 {original}：{e.reason or ''}".replace(" ：", "：")
    if e.kind == "correction":
        return f"更正重开，原收据 {original}" if original else "更正重开"
    if voided_by is not None:
        return f"已作废：{voided_by.reason}" if voided_by.reason else "已作废"
    if e.kind in ("suspense", "suspense_resolved"):
        return e.reason or ""
    return ""
