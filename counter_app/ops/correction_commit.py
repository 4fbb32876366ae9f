"""Step 3 of a correction (counter_app/ops/corrections.py): the void, the new sale, their receipts
and print jobs in one transaction, computed from the intent row alone (recovery may run it).

Modes: "rewrite" (void + correction on the same account), "void" (void only: the wrong room's
card now shows the purchase without the energy), "new_sale" (the correction on the right room).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from counter_app.context import OpContext
from counter_app.ops.common import add_audited, room_code_of
from counter_app.ops.intent_payloads import CorrectionPayload, OriginalSale
from counter_app.printing import enqueue
from counter_app.receipt_signing import sign_receipt
from counter_app.results import SaleResult
from db.models import Account, CardWriteIntent, LedgerEntry, LedgerMark, Receipt, ReceiptEvent
from db.models.security import Approval as ApprovalRow
from db.models.security import Operator
from db.numbering import record_receipt, take_receipt_number
from receipts import data as rd


def original_sale(s: DbSession, entry: LedgerEntry, receipt_no: str) -> OriginalSale:
    """The sale being corrected (it travels in the intent payload as `CorrectionPayload.original`)."""
    account_no = s.get_one(Account, entry.account_id).account_no
    # a sale's ledger row always carries its receipt, price and purchase number
    assert entry.receipt_id is not None and entry.price_e4 is not None and entry.purchase_counter is not None
    return OriginalSale(entry.id, receipt_no, entry.receipt_id, account_no, entry.charge, entry.fen,
                        entry.energy_ckwh, entry.price_e4, entry.purchase_counter, entry.tender, entry.reference)  # fmt: skip


def commit_payload(mode: str, original: OriginalSale, reason: str, approval_id: int, account: Account, *,
                   amount: int, carried: int, target_account_no: str | None = None) -> CorrectionPayload:  # fmt: skip
    """What the correction's intent carries besides its columns (the corrected amount, energy and
    price go in the columns: `amount` is only needed for the change)."""
    change = max(0, original.fen - amount) if original.tender == "cash" and mode != "void" else 0
    return CorrectionPayload(mode=mode, original=original, reason=reason, approval_id=approval_id,
                             account_no=account.account_no, meter_no=account.meter_no, carried_ckwh=carried,
                             change_fen=change, target_account_no=target_account_no)  # fmt: skip


@dataclass(frozen=True)
class _Corrected:
    """The corrected sale's numbers: the intent's columns, less the energy carried on the record."""

    amount_fen: int
    energy_ckwh: int
    price_e4: int

    @classmethod
    def of(cls, intent: CardWriteIntent, p: CorrectionPayload) -> _Corrected:
        return cls(intent.amount_fen, intent.energy_ckwh - p.carried_ckwh, int(intent.price_e4 or 0))


def voided_by_correction(s: DbSession, void: LedgerEntry, entry_id: int) -> bool:
    """True when `void` is the first half of a wrong-room correction (its new sale may follow)."""
    if void.intent_id is None:
        return False
    intent = s.scalar(select(CardWriteIntent).where(CardWriteIntent.intent_id == void.intent_id))
    return (
        intent is not None
        and intent.kind == "correction"
        and CorrectionPayload.from_json(intent.payload).mode == "void"
    )


def commit_correction(ctx: OpContext, s: DbSession, intent: CardWriteIntent, recovered: bool) -> Any:
    p = CorrectionPayload.from_json(intent.payload)
    original = p.original
    now = ctx.now()
    void = None
    if p.mode in ("rewrite", "void"):
        void = _void(ctx, s, intent, p, now)
    if p.mode == "void":
        _print_void(ctx, s, intent, p, None, now)
        return None
    corrected = _Corrected.of(intent, p)
    receipt = _new_receipt(ctx, s, intent, p, corrected, now)
    entry = LedgerEntry(
        kind="correction", charge="electricity", account_id=intent.account_id, fen=corrected.amount_fen,
        energy_ckwh=corrected.energy_ckwh, free_ckwh=0, price_e4=corrected.price_e4,
        purchase_counter=intent.purchase_counter, tender=original.tender, reference=original.reference,
        operator_id=intent.operator_id, shift_id=intent.shift_id, workstation_id=intent.workstation_id, at=now,
        corrects_entry_id=original.entry_id, intent_id=intent.intent_id, receipt_id=receipt.id,
        approval_id=p.approval_id, reason=p.reason, simulated=intent.simulated,
        data={"corrects_receipt_no": original.receipt_no, "carried_ckwh": p.carried_ckwh,
              "change_fen": p.change_fen, "void_entry_id": void.id if void else None},
    )  # fmt: skip
    add_audited(ctx, s, entry, "ledger.correction", account_no=p.account_no, fen=corrected.amount_fen)
    if recovered:
        add_audited(ctx, s, LedgerMark(entry_id=entry.id, kind="recovered", at=now), "ledger.marked")
    account = s.get_one(Account, intent.account_id)
    account.purchase_counter = max(account.purchase_counter, intent.purchase_counter)
    s.flush()
    _print_void(ctx, s, intent, p, receipt.receipt_no, now)
    return SaleResult(
        receipt_no=receipt.receipt_no, amount_fen=corrected.amount_fen, energy_ckwh=corrected.energy_ckwh,
        free_ckwh=0, carried_ckwh=p.carried_ckwh, price_e4=corrected.price_e4, purchase_counter=intent.purchase_counter,
        change_fen=p.change_fen, intent_id=intent.intent_id,
    )  # fmt: skip


def _void(
    ctx: OpContext, s: DbSession, intent: CardWriteIntent, p: CorrectionPayload, now: datetime
) -> LedgerEntry:
    """Opposite signs, the same charge; free energy delivered stays delivered (it is on the card)."""
    original = p.original
    entry = LedgerEntry(
        kind="void", charge=original.charge, account_id=intent.account_id, fen=-original.fen,
        energy_ckwh=-original.energy_ckwh, free_ckwh=0, price_e4=original.price_e4,
        purchase_counter=original.purchase_counter, tender=original.tender, reference=original.reference,
        operator_id=intent.operator_id, shift_id=intent.shift_id, workstation_id=intent.workstation_id, at=now,
        corrects_entry_id=original.entry_id, intent_id=intent.intent_id, receipt_id=original.receipt_id,
        approval_id=p.approval_id, reason=p.reason, simulated=intent.simulated,
        data={"voided_receipt_no": original.receipt_no, "correction": p.mode},
    )  # fmt: skip
    add_audited(ctx, s, entry, "ledger.void", receipt_no=original.receipt_no, fen=-original.fen)
    event = ReceiptEvent(receipt_id=original.receipt_id, kind="voided", at=now, operator_id=intent.operator_id,
                         approval_id=p.approval_id, reason=p.reason)  # fmt: skip
    add_audited(ctx, s, event, "receipt.voided", receipt_no=original.receipt_no)
    return entry


def _new_receipt(ctx: OpContext, s: DbSession, intent: CardWriteIntent, p: CorrectionPayload, corrected: _Corrected,
                 now: datetime) -> Receipt:  # fmt: skip
    original = p.original
    number = take_receipt_number(s, intent.workstation_id)
    qr = sign_receipt(ctx.keys.receipt_signing, workstation=ctx.workstation.code, receipt_no=number.text,
                      amount_fen=corrected.amount_fen, at=now)  # fmt: skip
    account = s.get_one(Account, intent.account_id)
    receipt = record_receipt(s, number, kind="correction", amount_fen=corrected.amount_fen, issued_at=now,
                             payload={"document": "sale", "corrects": original.receipt_no},
                             operator_id=intent.operator_id, shift_id=intent.shift_id, account_id=account.id,
                             qr_text=qr, simulated=intent.simulated)  # fmt: skip
    ctx.audit(s, "receipt.issued", subject=receipt, receipt_no=number.text)
    doc = rd.SaleReceipt(
        header=_header(ctx, s, intent, number.text, now), account_no=account.account_no,
        room_code=room_code_of(s, account) or "", cls=account.cls, price_e4=corrected.price_e4,
        amount_fen=corrected.amount_fen, energy_ckwh=corrected.energy_ckwh, purchase_counter=intent.purchase_counter,
        tender=rd.TenderInfo(kind=original.tender or "cash", reference=original.reference), qr_text=qr,
        carried_ckwh=p.carried_ckwh, corrects_receipt_no=original.receipt_no,
    )  # fmt: skip
    enqueue(ctx, s, document="sale", doc=doc, receipt_id=receipt.id)
    return receipt


def _print_void(ctx: OpContext, s: DbSession, intent: CardWriteIntent, p: CorrectionPayload,
                replaced_by: str | None, now: datetime) -> None:  # fmt: skip
    original = p.original
    account = s.scalar(select(Account).where(Account.account_no == original.account_no))
    checker = s.scalar(select(Operator.display_name).join(ApprovalRow, ApprovalRow.checker_id == Operator.id)
                       .where(ApprovalRow.id == p.approval_id))  # fmt: skip
    doc = rd.VoidReceipt(header=_header(ctx, s, intent, original.receipt_no, now), voided_receipt_no=original.receipt_no,
                         reason=p.reason, amount_fen=original.fen, account_no=original.account_no,
                         room_code=room_code_of(s, account) if account else None, supervisor=checker,
                         replaced_by=replaced_by)  # fmt: skip
    enqueue(ctx, s, document="void", doc=doc, receipt_id=None)


def _header(
    ctx: OpContext, s: DbSession, intent: CardWriteIntent, receipt_no: str, now: datetime
) -> rd.ReceiptHeader:
    cashier = s.get(Operator, intent.operator_id)
    return rd.ReceiptHeader(centre_name=ctx.setting(s, "centre_name"), workstation=ctx.workstation.code,
                            receipt_no=receipt_no, at=now, cashier=cashier.display_name if cashier else "",
                            simulated=bool(intent.simulated))  # fmt: skip
