"""The 补卡费 (replacement-card fee): a `fee_payment` ledger entry with a numbered, signed receipt and
its print job, all in the commit transaction of the replacement's intent (computed from the intent
row alone, so recovery can run it)."""

from __future__ import annotations

from sqlalchemy.orm import Session as DbSession

from counter_app import printing
from counter_app.context import OpContext
from counter_app.ops.common import add_audited, room_code_of
from counter_app.ops.intent_payloads import ReplaceCardPayload
from counter_app.receipt_signing import sign_receipt
from db.models import Account, CardWriteIntent, LedgerEntry, Workstation
from db.models.security import Operator
from db.numbering import record_receipt, take_receipt_number
from receipts.data import PaymentReceipt, ReceiptHeader, TenderInfo

CARD_FEE_CHARGE = "card"  # the settlement-sheet line 补卡费 (receipts.data.CHARGE_LABELS)


def record_card_fee(
    ctx: OpContext, s: DbSession, intent: CardWriteIntent, payload: ReplaceCardPayload, account: Account, *,
    recovered: bool,
) -> str:  # fmt: skip
    """Ledger entry, receipt and print job for the fee the intent charged; the receipt number."""
    workstation = s.get_one(Workstation, intent.workstation_id)
    at = ctx.now()
    number = take_receipt_number(s, workstation.id)
    qr_text = sign_receipt(ctx.keys.receipt_signing, workstation=workstation.code, receipt_no=number.text,
                           amount_fen=intent.amount_fen, at=at)  # fmt: skip
    reference = payload.reference
    doc = PaymentReceipt(
        header=ReceiptHeader(centre_name=ctx.centre_name, workstation=workstation.code, receipt_no=number.text,
                             at=at, cashier=_cashier_name(s, intent.operator_id), simulated=bool(intent.simulated)),
        charge=CARD_FEE_CHARGE, payer=account.holder or account.account_no, amount_fen=intent.amount_fen,
        tender=TenderInfo(kind=intent.tender or "cash", reference=reference), qr_text=qr_text,
        account_no=account.account_no, room_code=room_code_of(s, account),
        details=(("新卡号", intent.card_serial),),
    )  # fmt: skip
    receipt = record_receipt(
        s, number, kind="fee", amount_fen=intent.amount_fen, issued_at=at,
        payload={"charge": CARD_FEE_CHARGE, "intent_id": intent.intent_id, "card_serial": intent.card_serial},
        operator_id=intent.operator_id, shift_id=intent.shift_id, account_id=account.id, qr_text=qr_text,
        simulated=bool(intent.simulated),
    )  # fmt: skip
    ctx.audit(s, "receipt.fee", subject=receipt, receipt_no=number.text)  # record_receipt added it
    entry = LedgerEntry(
        kind="fee_payment", charge=CARD_FEE_CHARGE, account_id=account.id, fen=intent.amount_fen,
        tender=intent.tender or "cash", reference=reference, operator_id=intent.operator_id,
        shift_id=intent.shift_id, workstation_id=workstation.id, at=at, intent_id=intent.intent_id,
        receipt_id=receipt.id, simulated=bool(intent.simulated),
        data={"fee_id": payload.fee_id, "card_serial": intent.card_serial, "recovered": recovered},
    )  # fmt: skip
    add_audited(ctx, s, entry, "ledger.fee_payment", receipt_no=number.text)
    printing.enqueue(ctx, s, document="payment", doc=doc, receipt_id=receipt.id)
    return number.text


def _cashier_name(s: DbSession, operator_id: int) -> str:
    operator = s.get(Operator, operator_id)
    return operator.display_name if operator is not None else str(operator_id)
