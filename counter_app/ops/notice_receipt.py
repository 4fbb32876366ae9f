"""The numbered receipt (收费凭条, receipts.data.PaymentReceipt) of a notice payment and its print
job, written in the payment's transaction (docs/architecture.md "The transaction rule", step 4):
the receipt first, so the ledger entry is inserted once already pointing at it.
"""

from __future__ import annotations

from sqlalchemy.orm import Session as DbSession

from base.money import format_kwh, format_price, format_yuan
from counter_app import printing
from counter_app.context import OpContext
from counter_app.ops.common import room_code_of
from counter_app.receipt_signing import sign_receipt
from db.models import Account, Receipt
from db.models.notices import Notice
from db.numbering import record_receipt, take_receipt_number
from receipts.data import PaymentReceipt, ReceiptHeader, TenderInfo


def issue_payment_receipt(
    ctx: OpContext, s: DbSession, *, notice: Notice, shift_id: int, tender: str, reference: str | None,
    tendered_fen: int | None, change_fen: int, paper_receipt_no: str | None,
) -> Receipt:  # fmt: skip
    number = take_receipt_number(s, ctx.workstation.id)
    at = ctx.now()
    qr = sign_receipt(ctx.keys.receipt_signing, workstation=ctx.workstation.code, receipt_no=number.text,
                      amount_fen=notice.amount_fen, at=at)  # fmt: skip
    account = s.get(Account, notice.account_id) if notice.account_id else None
    cash = tender == "cash"
    doc = PaymentReceipt(
        header=ReceiptHeader(centre_name=ctx.centre_name, workstation=ctx.workstation.code, receipt_no=number.text,
                             at=at, cashier=ctx.operator.display_name if ctx.operator else "",
                             simulated=ctx.simulated),
        charge=notice.kind, payer=notice.payer, amount_fen=notice.amount_fen,
        tender=TenderInfo(kind=tender, reference=reference, tendered_fen=tendered_fen if cash else None,
                          change_fen=change_fen if cash and tendered_fen is not None else None),
        qr_text=qr, notice_no=notice.notice_no, account_no=account.account_no if account else None,
        room_code=room_code_of(s, account) if account else None, paper_receipt_no=paper_receipt_no,
        details=details(notice),
    )  # fmt: skip
    receipt = record_receipt(s, number, kind="payment", amount_fen=notice.amount_fen, issued_at=at,
                             payload={"document": "payment", "notice_no": notice.notice_no},
                             operator_id=ctx.operator_id, shift_id=shift_id, account_id=notice.account_id,
                             qr_text=qr, simulated=ctx.simulated)  # fmt: skip
    ctx.audit(s, "receipt.issued", subject=receipt, receipt_no=number.text)  # record_receipt added it
    printing.enqueue(ctx, s, document="payment", doc=doc, receipt_id=receipt.id)
    return receipt


def details(notice: Notice) -> tuple[tuple[str, str], ...]:
    """The extra lines of the receipt (维修日期, 维修人, 采暖面积 × 单价, the back-charge calculation)."""
    out: list[tuple[str, str]] = []
    if notice.department:
        out.append(("开单部门", notice.department))
    if notice.kind == "repair":
        out += [("维修日期", notice.repair_date.isoformat() if notice.repair_date else ""),
                ("维修人", notice.repairman or "")]  # fmt: skip
        if notice.data and notice.data.get("repair_item"):  # 4.1.4: the item and its listed price
            d = notice.data
            out.append(("维修项目", f"{d['repair_item']} {d['repair_item_name']} {format_yuan(d['price_fen'])} 元"))
    if notice.kind == "heating" and notice.area_dm2 is not None:
        out += [("采暖面积", f"{notice.area_dm2 // 100}.{notice.area_dm2 % 100:02d} m²"),
                ("单价", f"{format_yuan(notice.rate_fen_per_m2 or 0)} 元/m²")]  # fmt: skip
    if notice.kind == "software_control" and notice.data:  # 补交电费: energy used under software control
        d = notice.data
        out += [("电量", f"{format_kwh(d['energy_ckwh'])} kWh，余额抵扣 {format_kwh(d['covered_ckwh'])} kWh"),
                ("所差电量", f"{format_kwh(d['energy_ckwh'] - d['covered_ckwh'])} kWh"),
                ("电价", f"{format_price(d['price_e4'])} 元/kWh")]  # fmt: skip
    elif notice.kind == "back_charge" and notice.data:
        d = notice.data
        out += [("电量", f"{format_kwh(d['ckwh_per_day'])} kWh/天 × {d['days']} 天 = {format_kwh(d['energy_ckwh'])} kWh"),
                ("电价", f"{format_price(d['price_e4'])} 元/kWh")]  # fmt: skip
    return tuple(out)
