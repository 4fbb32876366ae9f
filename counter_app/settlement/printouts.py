"""X and Z reports as thermal printouts (ESC/POS bytes via ReceiptBuilder.shift_report).

The X report prints totals so far and never 应有现金 (see shift_close.py on blindness). The Z report
is drawn from the sheet snapshot and the numbered Z row, so a reprint years later is the same.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from base.clock import BUSINESS_TZ
from base.money import format_yuan
from base.vocabulary import TENDER_LABELS
from counter_app import row_seals
from counter_app.results import ShiftTotals
from counter_app.settlement.ledger_view import LINE_LABELS, PAYMENT_KINDS, shift_entries
from counter_app.settlement.sheet_content import name_of, reprint_rows, shift_receipts, suspense_rows
from counter_app.settlement.shift_close import x_report_times
from db.models import Shift, Workstation
from db.models.settlement import SettlementSheet, ZReport
from receipts.data import ReportRow, ShiftReport, VoidLine
from receipts.thermal import ReceiptBuilder


def x_printout(session: Session, *, shift_id: int, totals: ShiftTotals, at: datetime, centre_name: str,
               columns: int = 32) -> bytes:  # fmt: skip
    report = x_report_doc(session, shift_id=shift_id, totals=totals, at=at, centre_name=centre_name)
    return ReceiptBuilder(columns=columns).shift_report(report).data


def x_report_doc(session: Session, *, shift_id: int, totals: ShiftTotals, at: datetime,
                 centre_name: str) -> ShiftReport:  # fmt: skip
    """The X report as plain data (what the print queue stores: counter_app.printing)."""
    shift = session.get_one(Shift, shift_id)
    entries = shift_entries(session, shift_id)
    counts: dict[str, int] = {}
    tender_counts: dict[str, int] = {}
    for e in entries:
        if e.kind in PAYMENT_KINDS:
            counts[e.line] = counts.get(e.line, 0) + 1
            tender_counts[e.tender or ""] = tender_counts.get(e.tender or "", 0) + 1
    return ShiftReport(
        kind="X", centre_name=centre_name, workstation=_code(session, shift), shift_no=str(shift_id),
        cashier=name_of(session, shift.operator_id) or "", opened_at=shift.opened_at, at=at,
        by_charge=tuple(ReportRow(LINE_LABELS[k], counts.get(k, 0), v) for k, v in totals.by_charge.items()),
        by_tender=tuple(ReportRow(TENDER_LABELS[k], tender_counts.get(k, 0), v) for k, v in totals.by_tender.items()),
        first_receipt_no=totals.receipts[0] if totals.receipts else None,
        last_receipt_no=totals.receipts[1] if totals.receipts else None,
        receipt_count=len(shift_receipts(session, shift_id).numbers),  # the range's own set
        voids=tuple(VoidLine(e.receipt_no or "", -e.fen, e.reason or "") for e in entries if e.kind == "void"),
        free_ckwh=totals.free_ckwh, free_count=sum(1 for e in entries if e.free_ckwh),
        simulated=bool(shift.simulated),  # DOMAIN: simulated devices say so on every record
        x_number=len(x_report_times(session, shift_id)),  # this one is logged already
        reprints=tuple((no, n) for no, n in reprint_rows(session, shift_id)),
        suspense=_suspense_lines(suspense_rows(entries)),
    )  # fmt: skip


def z_printout(session: Session, *, shift_id: int, columns: int = 32) -> bytes:
    """The numbered Z report of a closed shift (regenerable: from the stored snapshot)."""
    return ReceiptBuilder(columns=columns).shift_report(z_report_doc(session, shift_id=shift_id)).data


def z_report_doc(session: Session, *, shift_id: int) -> ShiftReport:
    """The Z report as plain data, from the sheet snapshot and the numbered Z row."""
    z = row_seals.check(session, session.scalar(select(ZReport).where(ZReport.shift_id == shift_id)))
    sheet = row_seals.check(
        session, session.scalar(select(SettlementSheet).where(SettlementSheet.shift_id == shift_id))
    )
    if z is None or sheet is None:
        raise LookupError(f"shift {shift_id} is not closed")
    c = sheet.content
    shift = session.get_one(Shift, shift_id)
    diff = c["difference_fen"]
    extra = (("备用金", format_yuan(c["float_fen"])), ("应有现金", format_yuan(c["expected_fen"])),
             ("实点现金", format_yuan(c["counted_fen"])),
             ("长短款", f"{format_yuan(diff)} {'长款' if diff > 0 else '短款' if diff < 0 else ''}".strip()),
             ("交账单", c["sheet_no"]))  # fmt: skip
    span = c["receipt_range"] or [None, None]
    return ShiftReport(
        kind="Z", centre_name=c["centre_name"], workstation=c["workstation"], shift_no=z.z_no,
        cashier=c["cashier"] or "", opened_at=shift.opened_at, at=z.at.astimezone(BUSINESS_TZ),
        by_charge=tuple(ReportRow(label, n, fen) for _k, label, n, fen, _e, _f in c["lines"] if n or fen),
        by_tender=tuple(ReportRow(label, n, fen) for _t, label, n, fen, _r in c["tenders"]),
        first_receipt_no=span[0], last_receipt_no=span[1], receipt_count=c["receipt_count"],
        voids=tuple(VoidLine(no, -fen, reason) for no, kind, fen, reason in c["voids"] if kind == "作废"),
        free_ckwh=sum(r[2] for r in c["free"]), free_count=sum(r[1] for r in c["free"]), extra=extra,
        audit_seq=z.audit_seq, audit_head=z.audit_head, sign_labels=("收款员", "监督人"),
        simulated=bool(shift.simulated),
        # (sheets closed before reprints were listed have no such key: nothing is invented for them)
        reprints=tuple((no, n) for no, n in c.get("reprints", [])),
        suspense=_suspense_lines(c["suspense"]),
    )  # fmt: skip


def _suspense_lines(rows: list[list[object]]) -> tuple[VoidLine, ...]:
    """挂账 items as the 监督人 finds them: by account (the card write's id when none is named)."""
    return tuple(VoidLine(str(acct or ref)[:20], int(fen), str(reason)) for ref, acct, fen, reason in rows)  # type: ignore[call-overload]


def _code(session: Session, shift: Shift) -> str:
    return session.scalar(select(Workstation.code).where(Workstation.id == shift.workstation_id)) or ""
