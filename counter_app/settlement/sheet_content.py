"""What the 财务交账单 shows, gathered once at close into plain JSON (stored with the sheet).

Exactly the contents DOMAIN lists: totals by class group and charge; by tender with references;
refund approvals raised (not paid from the drawer); voids and corrections with reasons; the
receipt number range; stamped-receipt pages used / void / blank; free energy delivered by batch
with the 监督人; suspense items; counted cash by denomination; expected and the difference; the
audit chain head at close; the sign-off chain. Times are stored as Asia/Shanghai text so the
snapshot (and the PDF drawn from it) never depends on where or when it is rendered.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from base.clock import BUSINESS_TZ
from base.vocabulary import TENDER_LABELS
from counter_app.settlement import receipt_books
from counter_app.settlement.ledger_view import LINE_LABELS, PAYMENT_KINDS, TENDER_ORDER, EntryRow
from db.models import LedgerEntry, Shift, Workstation
from db.models.quota import QuotaBatch, QuotaBatchApproval, QuotaDelivery
from db.models.receipts import MAIN_SERIES, Receipt, ReceiptEvent
from db.models.security import Operator
from db.models.settlement import ReceiptPage


@dataclass(frozen=True)
class CloseFigures:
    counted: dict[int, int]
    counted_fen: int
    float_fen: int
    cash_in_fen: int
    refund_float_fen: int
    expected_fen: int
    difference_fen: int
    difference_reason: str | None
    approved_by: str | None


def local_text(moment: datetime) -> str:
    return moment.astimezone(BUSINESS_TZ).strftime("%Y-%m-%d %H:%M:%S")


def name_of(session: Session, operator_id: int | None) -> str | None:
    if operator_id is None:
        return None
    row = session.execute(
        select(Operator.display_name, Operator.name).where(Operator.id == operator_id)
    ).first()
    return (row.display_name or row.name) if row else None


@dataclass
class _LineSums:
    label: str
    payments: int = 0
    fen: int = 0
    energy_ckwh: int = 0
    free_ckwh: int = 0


def line_rows(entries: Iterable[EntryRow]) -> list[list[Any]]:
    """[key, label, payments, fen, energy, free] per sheet line, in DOMAIN's order, zero lines kept."""
    acc = {key: _LineSums(label) for key, label in LINE_LABELS.items()}
    for e in entries:
        # Suspense is money held for a customer, not yet a sale: it has its own section. The sale
        # is counted on its line when the item is rolled forward.
        if e.kind in ("free", "refund_raised", "suspense", "suspense_resolved", "carried", "cleared",
                      "legacy_purchase"):  # fmt: skip
            continue
        row = acc[e.line] if e.line in acc else acc.setdefault(e.line, _LineSums(e.line))
        row.payments += 1 if e.kind in PAYMENT_KINDS else 0
        row.fen += e.fen
        row.energy_ckwh += e.energy_ckwh
    for e in entries:
        if e.free_ckwh and e.line in acc:
            acc[e.line].free_ckwh += e.free_ckwh
    return [[key, r.label, r.payments, r.fen, r.energy_ckwh, r.free_ckwh] for key, r in acc.items()]


def tender_rows(entries: Iterable[EntryRow]) -> list[list[Any]]:
    """[tender, label, payments, fen, references] for every tender that was used."""
    acc: dict[str, list[Any]] = {}
    for e in entries:
        if e.tender is None or e.kind == "refund_raised":
            continue
        row = acc.setdefault(e.tender, [e.tender, TENDER_LABELS.get(e.tender, e.tender), 0, 0, []])
        row[2] += 1 if e.kind in PAYMENT_KINDS else 0
        row[3] += e.fen
        if e.reference and e.kind in PAYMENT_KINDS:
            row[4].append(e.reference)
    return [acc[t] for t in TENDER_ORDER if t in acc]


def refund_rows(entries: Iterable[EntryRow]) -> list[list[Any]]:
    return [
        [e.reference or "", e.account_no or "", -e.fen, e.reason or ""]
        for e in entries
        if e.kind == "refund_raised"
    ]


def void_rows(entries: Iterable[EntryRow]) -> list[list[Any]]:
    labels = {"void": "作废", "correction": "更正重开"}
    return [[e.receipt_no or "", labels[e.kind], e.fen, e.reason or ""] for e in entries if e.kind in labels]


def reprint_rows(session: Session, shift_id: int) -> list[list[Any]]:
    """[receipt no, times reprinted] for the shift's receipts printed again (补打), by number."""
    stmt = (
        select(Receipt.receipt_no, func.max(ReceiptEvent.reprint_count))
        .join(ReceiptEvent, ReceiptEvent.receipt_id == Receipt.id)
        .where(Receipt.shift_id == shift_id, ReceiptEvent.kind == "reprinted")
        .group_by(Receipt.receipt_no)
        .order_by(Receipt.receipt_no)
    )
    return [[no, int(count)] for no, count in session.execute(stmt)]


def suspense_rows(entries: Iterable[EntryRow]) -> list[list[Any]]:
    return [[e.data.get("intent_id", e.reference or ""), e.account_no or "", e.fen, e.reason or ""]
            for e in entries if e.kind == "suspense"]  # fmt: skip


UNNAMED_BATCH = "未注明批次"


def free_rows(session: Session, entries: Iterable[EntryRow]) -> list[list[Any]]:
    """[batch, deliveries, ckwh, 监督人 who approved the batch] per quota batch, from
    `quota_deliveries` (the one reliable source: one card visit can deliver from several batches).
    Free energy of an entry that no delivery row explains is shown as 未注明批次, never dropped."""
    free = {e.id: e.free_ckwh for e in entries if e.free_ckwh > 0}
    if not free:
        return []
    found = session.execute(
        select(QuotaDelivery.ledger_entry_id, QuotaDelivery.ckwh, QuotaBatch.id, QuotaBatch.period,
               QuotaBatchApproval.checker_id)
        .join(QuotaBatch, QuotaBatch.id == QuotaDelivery.batch_id)
        .outerjoin(QuotaBatchApproval, QuotaBatchApproval.batch_id == QuotaBatch.id)
        .where(QuotaDelivery.ledger_entry_id.in_(list(free)))
        .order_by(QuotaBatch.period, QuotaBatch.id)
    ).tuples()  # fmt: skip
    acc: dict[str, list[Any]] = {}
    explained: dict[int, int] = {}
    for entry_id, ckwh, batch_id, period, checker_id in found:
        label = f"{period} 第{batch_id}批"
        row = acc.setdefault(label, [label, 0, 0, name_of(session, checker_id) or ""])
        row[1] += 1
        row[2] += ckwh
        explained[entry_id] = explained.get(entry_id, 0) + ckwh
    for entry_id, ckwh in free.items():
        if ckwh > explained.get(entry_id, 0):
            row = acc.setdefault(UNNAMED_BATCH, [UNNAMED_BATCH, 0, 0, ""])
            row[1] += 1
            row[2] += ckwh - explained.get(entry_id, 0)
    return list(acc.values())


@dataclass(frozen=True)
class ShiftReceipts:
    """The shift's receipts of the main series, the set the sheet's 凭条号段 describes: the range,
    the count and how many of them were voided all come from these rows. Numbers of other series
    (退费审批单 …) are listed apart and are not part of the range or the count."""

    numbers: list[str]  # main series, in issue order
    voided: int  # of `numbers`: voided later (a receipt event, or a void/correction entry on it)
    other: list[str]  # other series, in issue order


def shift_receipts(session: Session, shift_id: int) -> ShiftReceipts:
    rows = session.execute(
        select(Receipt.id, Receipt.receipt_no, Receipt.series).where(Receipt.shift_id == shift_id)
        .order_by(Receipt.series, Receipt.seq)
    ).tuples().all()  # fmt: skip
    main = [(rid, no) for rid, no, series in rows if series == MAIN_SERIES]
    ids = [rid for rid, _no in main]
    voided: set[int] = set()
    if ids:
        voided |= set(session.scalars(select(ReceiptEvent.receipt_id).where(
            ReceiptEvent.receipt_id.in_(ids), ReceiptEvent.kind == "voided")))  # fmt: skip
        original = aliased(LedgerEntry)
        voided |= {rid for rid in session.scalars(
            select(original.receipt_id).join(LedgerEntry, LedgerEntry.corrects_entry_id == original.id)
            .where(LedgerEntry.kind == "void", original.receipt_id.in_(ids))) if rid is not None}  # fmt: skip
    return ShiftReceipts([no for _rid, no in main], len(voided),
                         [no for _rid, no, series in rows if series != MAIN_SERIES])  # fmt: skip


def page_rows(session: Session, shift: Shift) -> list[list[Any]]:
    """Per book the cashier holds: [book, range, used in this shift, void (page: reason), blank]."""
    out = []
    for book_id in receipt_books.books_of(session, shift.operator_id, open_only=False):
        pages = receipt_books.book_pages(session, book_id)
        in_shift = set(session.scalars(select(ReceiptPage.page_no).where(
            ReceiptPage.book_id == book_id, ReceiptPage.shift_id == shift.id)))  # fmt: skip
        if not pages.blank and not in_shift:
            continue  # a finished book that this shift did not touch
        used = [p for p in pages.used if p in in_shift]
        out.append([book_id, f"{pages.first_no}–{pages.last_no}", receipt_books.compress(used),
                    "；".join(f"{p}：{r}" for p, r in pages.void), receipt_books.compress(pages.blank),
                    len(used), len(pages.void), len(pages.blank)])  # fmt: skip
    return out


def build_content(session: Session, *, shift: Shift, entries: list[EntryRow], figures: CloseFigures,
                  sheet_no: str, z_no: str, closed_at: datetime, audit_head: tuple[int, str],
                  chain: list[list[str]], receipt_range: tuple[str, str] | None, x_reports: list[datetime],
                  centre_name: str) -> dict[str, Any]:  # fmt: skip
    workstation = session.get(Workstation, shift.workstation_id)
    issued = shift_receipts(session, shift.id)
    return {
        "sheet_no": sheet_no, "z_no": z_no, "centre_name": centre_name,
        "workstation": workstation.code if workstation else "", "shift_id": shift.id,
        "cashier": name_of(session, shift.operator_id), "supervisor": name_of(session, shift.supervisor_id),
        "opened_at": local_text(shift.opened_at), "closed_at": local_text(closed_at),
        "lines": line_rows(entries), "tenders": tender_rows(entries), "refunds": refund_rows(entries),
        "voids": void_rows(entries), "receipt_range": list(receipt_range) if receipt_range else None,
        # The count describes the same rows as the range (main series, this shift), voids included.
        "receipt_count": len(issued.numbers), "receipt_voided": issued.voided,
        "other_receipts": issued.other,
        "books": page_rows(session, shift), "free": free_rows(session, entries),
        "suspense": suspense_rows(entries), "reprints": reprint_rows(session, shift.id),
        "counted": [[d, n, d * n] for d, n in figures.counted.items()], "counted_fen": figures.counted_fen,
        "float_fen": figures.float_fen, "cash_in_fen": figures.cash_in_fen,
        "refund_float_fen": figures.refund_float_fen, "expected_fen": figures.expected_fen,
        "difference_fen": figures.difference_fen, "difference_reason": figures.difference_reason,
        "approved_by": figures.approved_by, "x_reports": [local_text(t) for t in x_reports],
        "audit_seq": audit_head[0], "audit_head": audit_head[1], "chain": chain,
    }  # fmt: skip
