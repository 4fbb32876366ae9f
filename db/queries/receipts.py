"""Receipts and the Z reports' stored chain heads, looked up by their printed numbers."""

from __future__ import annotations

from functools import cache

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import Session

from db.models.intents import PrintJob
from db.models.ledger import LedgerEntry
from db.models.receipts import MAIN_SERIES, Receipt, ReceiptCounter
from db.models.settlement import SettlementSheet, ZReport


def receipt_counter(
    session: Session, workstation_id: int, series: str = MAIN_SERIES
) -> ReceiptCounter | None:
    """The counter row of (workstation, series); None before its first number."""
    return session.scalars(_receipt_counter(), {"workstation_id": workstation_id, "series": series}).first()


@cache
def _receipt_counter() -> Select[tuple[ReceiptCounter]]:  # built once: see db/queries/accounts.py
    return select(ReceiptCounter).where(
        ReceiptCounter.workstation_id == bindparam("workstation_id"),
        ReceiptCounter.series == bindparam("series"),
    )


def receipt_amount_fen(session: Session, receipt_no: str) -> int | None:
    return session.scalar(select(Receipt.amount_fen).where(Receipt.receipt_no == receipt_no))


def receipt_standing(session: Session, receipt_no: str) -> str:
    """ "in_force", "voided" (an entry of the receipt was voided), or "not_here" (no such receipt)."""
    receipt_id = session.scalar(select(Receipt.id).where(Receipt.receipt_no == receipt_no))
    if receipt_id is None:
        return "not_here"
    voided_entry = select(LedgerEntry.corrects_entry_id).where(LedgerEntry.kind == "void")
    voided = session.scalar(
        select(LedgerEntry.id)
        .where(LedgerEntry.receipt_id == receipt_id, LedgerEntry.id.in_(voided_entry))
        .limit(1)
    )
    return "in_force" if voided is None else "voided"


def z_report_head(session: Session, number: str) -> tuple[int, str] | None:
    """The audit chain head (sequence, MAC) stored with a Z report, named by its settlement sheet
    number or its own Z number."""
    sheet_shift = select(SettlementSheet.shift_id).where(SettlementSheet.sheet_no == number)
    stmt = select(ZReport).where((ZReport.shift_id.in_(sheet_shift)) | (ZReport.z_no == number))
    z = session.scalars(stmt).first()
    return None if z is None else (z.audit_seq, z.audit_head)


def print_jobs_after(session: Session, workstation_id: int, after_id: int | None) -> list[PrintJob]:
    """The workstation's print jobs with an id above `after_id` (all when None), oldest first: what
    one transaction queued since it noted `newest_print_job_id`."""
    stmt = select(PrintJob).where(PrintJob.workstation_id == workstation_id)
    if after_id is not None:
        stmt = stmt.where(PrintJob.id > after_id)
    return list(session.scalars(stmt.order_by(PrintJob.id)))


def newest_print_job_id(session: Session, workstation_id: int) -> int | None:
    return session.scalar(select(func.max(PrintJob.id)).where(PrintJob.workstation_id == workstation_id))
