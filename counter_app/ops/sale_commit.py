"""Step 3 of a top-up: ledger, receipt number, signed QR, print jobs — in one transaction,
computed from the intent row alone so that recovery can run it after a crash.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session as DbSession

from counter_app import row_seals
from counter_app.context import OpContext
from counter_app.high_water import note_purchase
from counter_app.ops import quota_owed
from counter_app.ops.common import add_audited, open_shift_row, write_back_from_json
from counter_app.ops.intent_payloads import TopUpPayload
from counter_app.printing import enqueue_all
from counter_app.receipt_signing import sign_receipt
from counter_app.results import SaleResult, WriteBack
from db.models import Account, CardWriteIntent, LedgerEntry, LedgerMark, Receipt, ReceiptEvent
from db.models.security import Operator
from db.numbering import record_receipt, take_receipt_number
from db.queries.accounts import account_for_receipt
from db.queries.intents import intent_state
from db.queries.rows import by_id
from receipts import data as rd


@dataclass(frozen=True)
class SalePlan:
    """The sale as the commit records it: the intent's columns and its typed payload together."""

    kind: str  # sale | free
    account_no: str
    meter_no: str
    amount_fen: int
    energy_ckwh: int  # energy bought now (the card record also carries `carried_ckwh`)
    free_ckwh: int
    carried_ckwh: int
    price_e4: int
    tender: str
    reference: str | None
    tendered_fen: int | None
    change_fen: int
    override_reason: str | None
    approval_id: int | None
    allocations: tuple[tuple[int, int], ...]

    @classmethod
    def of(cls, intent: CardWriteIntent) -> SalePlan:
        p = TopUpPayload.from_json(intent.payload)
        return cls(
            kind=p.ledger_kind, account_no=p.account_no, meter_no=p.meter_no, amount_fen=intent.amount_fen,
            energy_ckwh=intent.energy_ckwh - p.carried_ckwh, free_ckwh=intent.free_ckwh, carried_ckwh=p.carried_ckwh,
            price_e4=int(intent.price_e4 or 0), tender=intent.tender or "cash", reference=p.reference,
            tendered_fen=p.tendered_fen, change_fen=p.change_fen, override_reason=p.override_reason,
            approval_id=p.approval_id, allocations=p.allocations,
        )  # fmt: skip


def commit_top_up(ctx: OpContext, s: DbSession, intent: CardWriteIntent, recovered: bool) -> SaleResult:
    plan = SalePlan.of(intent)
    account, room, seen = account_for_receipt(s, intent.account_id)
    row_seals.check(s, account)
    now = ctx.now()
    shift_id = _selling_shift(ctx, s, intent)
    wb = (
        write_back_from_json(seen.data) if seen is not None and seen.data else None
    )  # (common.last_write_back)
    receipt = _receipt(ctx, s, intent, plan, account, room.room_code if room else "", wb, now, shift_id)
    entry = LedgerEntry(
        kind=plan.kind, charge="electricity", account_id=account.id, fen=plan.amount_fen,
        energy_ckwh=plan.energy_ckwh, free_ckwh=plan.free_ckwh, price_e4=plan.price_e4,
        purchase_counter=intent.purchase_counter, tender=plan.tender if plan.amount_fen else None,
        reference=plan.reference, operator_id=intent.operator_id, shift_id=shift_id,
        workstation_id=intent.workstation_id, at=now, intent_id=intent.intent_id, receipt_id=receipt.id,
        approval_id=plan.approval_id, reason=plan.override_reason, simulated=intent.simulated,
        data={"carried_ckwh": plan.carried_ckwh, "tendered_fen": plan.tendered_fen, "change_fen": plan.change_fen,
              "batches": [list(a) for a in plan.allocations]},
    )  # fmt: skip
    add_audited(ctx, s, entry, f"ledger.{plan.kind}", account_no=plan.account_no, fen=plan.amount_fen)
    _marks(ctx, s, entry, receipt, plan, recovered, now)
    _advance_account(ctx, s, account, intent.purchase_counter)
    note_purchase(
        s,
        account.account_no,
        intent.purchase_counter,
        plan.amount_fen,
        intent.energy_ckwh + intent.free_ckwh,
        receipt.receipt_no,
    )  # the mark, after the commit
    if plan.allocations:
        allocations = [quota_owed.Allocation(b, c) for b, c in plan.allocations]
        quota_owed.record_free_delivery(ctx, s, account, allocations=allocations, ledger_entry_id=entry.id,
                                        intent_id=intent.intent_id)  # fmt: skip
    return SaleResult(
        receipt_no=receipt.receipt_no, amount_fen=plan.amount_fen, energy_ckwh=plan.energy_ckwh,
        free_ckwh=plan.free_ckwh, carried_ckwh=plan.carried_ckwh, price_e4=plan.price_e4,
        purchase_counter=intent.purchase_counter, change_fen=plan.change_fen, intent_id=intent.intent_id,
    )  # fmt: skip


def _selling_shift(ctx: OpContext, s: DbSession, intent: CardWriteIntent) -> int | None:
    """The shift the sale belongs to: the intent's own, except for an item rolled forward out of
    suspense, whose originating shift is closed — that sale is recorded on the shift open now
    (where a `suspense_resolved` entry nets the cash counted on the first shift)."""
    if intent_state(s, intent.intent_id) != "suspense":
        return intent.shift_id
    return open_shift_row(ctx, s).id


def _receipt(ctx: OpContext, s: DbSession, intent: CardWriteIntent, plan: SalePlan, account: Account,
             room_code: str, wb: WriteBack | None, now: datetime, shift_id: int | None) -> Receipt:  # fmt: skip
    own = intent.workstation_id == ctx.workstation.id  # (a suspense item may roll forward elsewhere)
    number = take_receipt_number(s, intent.workstation_id, code=ctx.workstation.code if own else None)
    qr = sign_receipt(ctx.keys.receipt_signing, workstation=ctx.workstation.code, receipt_no=number.text,
                      amount_fen=plan.amount_fen, at=now)  # fmt: skip
    doc = _sale_document(ctx, s, intent, plan, account, room_code, number.text, qr, now)
    receipt = record_receipt(
        s, number, kind="sale" if plan.kind == "sale" else "free", amount_fen=plan.amount_fen, issued_at=now,
        payload={"document": "sale"}, operator_id=intent.operator_id, shift_id=shift_id,
        account_id=account.id, qr_text=qr, simulated=intent.simulated,
    )  # fmt: skip
    ctx.audit(s, "receipt.issued", subject=receipt, receipt_no=number.text)
    # Both documents built before either job is inserted: both in one INSERT, one census count.
    slip = (
        _confirmation(account, room_code, wb, plan, doc.header)
        if plan.kind == "sale" and ctx.setting(s, "confirmation_slip")
        else None
    )
    jobs: list[tuple[str, object, int | None]] = [("sale", doc, receipt.id)]
    if slip is not None:
        jobs.append(("confirmation", slip, None))
    enqueue_all(ctx, s, jobs)
    return receipt


def _header(
    ctx: OpContext, s: DbSession, intent: CardWriteIntent, receipt_no: str, now: datetime
) -> rd.ReceiptHeader:
    return rd.ReceiptHeader(
        centre_name=ctx.setting(s, "centre_name"), workstation=ctx.workstation.code, receipt_no=receipt_no,
        at=now, cashier=_cashier_name(ctx, s, intent.operator_id), simulated=bool(intent.simulated),
    )  # fmt: skip


def _cashier_name(ctx: OpContext, s: DbSession, operator_id: int) -> str:
    """The display name of who sold: the person logged in here, known since the login, unless a
    recovery settles somebody else's sale."""
    if ctx.operator is not None and ctx.operator.id == operator_id:
        return ctx.operator.display_name
    cashier = by_id(s, Operator, operator_id)
    return cashier.display_name if cashier else ""


def _sale_document(
    ctx: OpContext, s: DbSession, intent: CardWriteIntent, plan: SalePlan, account: Account, room_code: str,
    receipt_no: str, qr: str, now: datetime,
) -> rd.SaleReceipt:  # fmt: skip
    tender = rd.TenderInfo(
        kind=plan.tender, reference=plan.reference, tendered_fen=plan.tendered_fen,
        change_fen=plan.change_fen if plan.tender == "cash" and plan.tendered_fen is not None else None,
    )  # fmt: skip
    return rd.SaleReceipt(
        header=_header(ctx, s, intent, receipt_no, now), account_no=account.account_no,
        room_code=room_code, cls=account.cls, price_e4=plan.price_e4,
        amount_fen=plan.amount_fen, energy_ckwh=plan.energy_ckwh, purchase_counter=intent.purchase_counter,
        tender=tender, qr_text=qr, free_ckwh=plan.free_ckwh, carried_ckwh=plan.carried_ckwh,
    )  # fmt: skip


def _confirmation(
    account: Account, room_code: str, wb: WriteBack | None, plan: SalePlan, header: rd.ReceiptHeader
) -> rd.ConfirmationSlip:
    before = wb.remaining_ckwh if wb else 0
    return rd.ConfirmationSlip(
        header=header, account_no=account.account_no, room_code=room_code,
        amount_fen=plan.amount_fen, energy_ckwh=plan.energy_ckwh, balance_before_ckwh=before,
        balance_after_ckwh=before + plan.energy_ckwh + plan.free_ckwh + plan.carried_ckwh,
        balance_as_of=wb.at.date() if wb and wb.at else None, holder=account.holder,
    )  # fmt: skip


def _marks(ctx: OpContext, s: DbSession, entry: LedgerEntry, receipt: Receipt, plan: SalePlan, recovered: bool,
           now: datetime) -> None:  # fmt: skip
    if recovered:
        add_audited(ctx, s, LedgerMark(entry_id=entry.id, kind="recovered", at=now), "ledger.marked")
        add_audited(
            ctx, s, ReceiptEvent(receipt_id=receipt.id, kind="recovered", at=now), "receipt.recovered"
        )
    if plan.carried_ckwh:
        mark = LedgerMark(
            entry_id=entry.id,
            kind="override_previous_not_loaded",
            at=now,
            operator_id=entry.operator_id,
            approval_id=plan.approval_id,
            reason=plan.override_reason,
        )
        add_audited(ctx, s, mark, "ledger.marked")  # fmt: skip


def _advance_account(ctx: OpContext, s: DbSession, account: Account, counter: int) -> None:
    # Not flushed here: the intent's final mark releases the account's claim in the same UPDATE
    # (db/queries/accounts.py release_account).
    account.purchase_counter = max(account.purchase_counter, counter)
