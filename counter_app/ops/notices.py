"""Bills and fees (DOMAIN "Counter operations" 7; API.md `create_notice`, `pay_notice`).

A notice states what a bill customer owes: a repair (维修通知单, with repairman and repair date), a
payment notice for metered water/electricity (交费通知单), a heating fee (area × the season rate
`heating_rate_per_m2` from the fee table, half-up to the fen), a theft back-charge (back_charge.py)
or the 补交电费 for energy used under software control (software_control.py).
It is paid once and in full, the amount typed twice, at an open shift: a ledger entry
(`bill_payment`, or `back_charge_payment`) whose `charge` is the notice kind (`electricity` for the
software-control 补交电费: payment_charge), a numbered receipt (PaymentReceipt layout) and its print job, all in one transaction. Repair money handed in later
than the repair day is flagged (late_hand_in). Charges listed in `stamped_receipt_for` need the
stamped school receipt page, recorded through settlement.receipt_books.use_receipt_page.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as DbSession

from base.errors import AmountsDiffer, InputInvalid, NoticePaid, RoleForbidden
from base.money import area_charge_half_up, format_yuan
from base.validation import HOLDER_MAX_LEN, checked_text, optional_checked_text
from counter_app import printing, row_seals
from counter_app.context import OpContext
from counter_app.ops.back_charge import BackChargeOps, unpaid_back_charge
from counter_app.ops.clearance import ClearanceOps
from counter_app.ops.common import (
    add_audited,
    change_for,
    check_tender,
    get_account,
    open_shift_row,
    positive_int,
)
from counter_app.ops.notice_receipt import issue_payment_receipt
from counter_app.ops.queue import QueueOps
from counter_app.ops.repairs import repair_price
from counter_app.results import Notice, PaymentResult
from counter_app.settlement.receipt_books import use_receipt_page
from db.models import LedgerEntry, LedgerMark
from db.models.notices import Notice as NoticeRow
from db.models.notices import NoticePayment
from db.numbering import format_receipt_no, next_seq
from db.queries.tariffs import current_fee

COUNTER_ROLES = ("cashier", "supervisor")
BILL_KINDS = ("repair", "utility", "heating")
NOTICE_SERIES = "notice"


# --- create -------------------------------------------------------------------------------------


def create_notice(
    ctx: OpContext, *, kind: str, payer: str, notice_no: str | None = None, amount_fen: int | None = None,
    area_dm2: int | None = None, repair_date: date | None = None, repairman: str | None = None,
    department: str | None = None, account_no: str | None = None, repair_item: str | None = None,
) -> Notice:  # fmt: skip
    _check_kind_fields(kind, payer, repair_date, repairman, area_dm2)
    payer = checked_text(payer, field="payer", label="缴费单位或缴费人", max_len=HOLDER_MAX_LEN)
    repairman = optional_checked_text(repairman, field="repairman", label="维修人", max_len=HOLDER_MAX_LEN)
    department = optional_checked_text(department, field="department", label="部门", max_len=HOLDER_MAX_LEN)
    notice_no = optional_checked_text(notice_no, field="notice_no", label="通知单号")
    with ctx.uow() as s:
        ctx.require_role(s, *COUNTER_ROLES)
        rate = None
        if kind == "heating":
            assert area_dm2 is not None  # _check_kind_fields requires the area for heating
            rate, amount_fen = _heating_amount(ctx, s, area_dm2, amount_fen)
        data = None
        if repair_item is not None:  # 003 4.1.3-4.1.4: the item and its price from the repair price list
            data, amount_fen = priced_repair(s, kind, repair_item, repair_date, amount_fen)
        amount_fen = positive_int(amount_fen, "amount_fen", "金额")
        account_id = get_account(s, account_no).id if account_no else None
        row = NoticeRow(data=data, notice_no=_notice_no(ctx, s, notice_no), kind=kind, payer=payer.strip(),
                        amount_fen=amount_fen, account_id=account_id, department=_clean(department),
                        repair_date=repair_date, repairman=_clean(repairman), area_dm2=area_dm2,
                        rate_fen_per_m2=rate, created_at=ctx.now(), operator_id=ctx.operator_id,
                        workstation_id=ctx.workstation.id)  # fmt: skip
        add_audited(
            ctx, s, row, "notice.created", notice_no=row.notice_no, notice_kind=kind, amount_fen=amount_fen
        )
        return Notice(notice_no=row.notice_no, kind=kind, amount_fen=amount_fen)


def priced_repair(s: DbSession, kind: str, code: str, on: date | None,
                  amount_fen: int | None) -> tuple[dict[str, Any], int]:  # fmt: skip
    """A repair notice naming a repair item: the price list's price on the repair date; an amount
    typed must be that price (a wrong price is named, as the heating fee's)."""
    if kind != "repair" or on is None:
        raise InputInvalid("只有维修通知单可以填写维修项目", detail_en="only a repair notice names a repair item",
                           field="repair_item")  # fmt: skip
    line = repair_price(s, str(code).strip(), on)
    if amount_fen is not None and amount_fen != line.price_fen:
        raise InputInvalid(f"{line.name} 的收费标准是 {format_yuan(line.price_fen)} 元", field="amount_fen",
                           detail_en=f"the price of {line.item_code} is {line.price_fen} fen",
                           data={"amount_fen": line.price_fen})  # fmt: skip
    data = {"repair_item": line.item_code, "repair_item_name": line.name, "price_fen": line.price_fen,
            "price_valid_from": line.valid_from.isoformat()}  # fmt: skip
    return data, line.price_fen


def _clean(text: str | None) -> str | None:
    return text.strip() if isinstance(text, str) and text.strip() else None


def _check_kind_fields(
    kind: str, payer: str, repair_date: date | None, repairman: str | None, area_dm2: int | None
) -> None:
    if kind not in BILL_KINDS:
        raise InputInvalid(f"通知单类别应为维修、交费或采暖：{kind}", detail_en=f"kind must be one of {BILL_KINDS}",
                           field="kind")  # fmt: skip
    if not isinstance(payer, str) or not payer.strip():
        raise InputInvalid("请填写缴费单位或缴费人", detail_en="payer needed", field="payer")
    if kind == "repair" and (not isinstance(repair_date, date) or not _clean(repairman)):
        raise InputInvalid("维修通知单须填写维修日期和维修人", detail_en="repair needs repair_date and repairman",
                           field="repair_date" if not isinstance(repair_date, date) else "repairman")  # fmt: skip
    if kind == "heating":
        positive_int(area_dm2, "area_dm2", "采暖面积")


def _heating_amount(ctx: OpContext, s: DbSession, area_dm2: int, amount_fen: int | None) -> tuple[int, int]:
    fee = row_seals.check(s, current_fee(s, "heating_rate_per_m2", ctx.now()))
    if fee is None or fee.fen <= 0:
        raise InputInvalid("收费标准中没有本季采暖费单价（heating_rate_per_m2）",
                           detail_en="no heating_rate_per_m2 in the fee table", field="kind")  # fmt: skip
    amount = area_charge_half_up(area_dm2, fee.fen)
    if amount_fen is not None and amount_fen != amount:
        raise InputInvalid(f"采暖费应为 {format_yuan(amount)} 元（面积 × 单价）", detail_en=f"heating fee is {amount} fen",
                           field="amount_fen", data={"amount_fen": amount})  # fmt: skip
    return fee.fen, amount


def _notice_no(ctx: OpContext, s: DbSession, notice_no: str | None) -> str:
    """The number typed from the paper notice, or the next of this counter's notice series."""
    if notice_no is None or not str(notice_no).strip():
        return format_receipt_no(
            ctx.workstation.code, next_seq(s, ctx.workstation.id, NOTICE_SERIES), NOTICE_SERIES
        )
    notice_no = str(notice_no).strip()
    if s.scalar(select(NoticeRow.id).where(NoticeRow.notice_no == notice_no)) is not None:
        raise InputInvalid(
            f"通知单号已存在：{notice_no}", detail_en=f"notice {notice_no} exists", field="notice_no"
        )
    return notice_no


# --- pay ----------------------------------------------------------------------------------------


def pay_notice(
    ctx: OpContext, *, notice_no: str, amount_fen: int, amount_fen_again: int, tender: str = "cash",
    tendered_fen: int | None = None, reference: str | None = None, paper_receipt_no: str | None = None,
) -> PaymentResult:  # fmt: skip
    positive_int(amount_fen, "amount_fen", "金额")
    if amount_fen_again != amount_fen:
        raise AmountsDiffer(field="amount_fen_again")
    check_tender(tender, reference)
    change_fen = _change(tender, amount_fen, tendered_fen)
    with ctx.uow() as s:
        ctx.require_role(s, *COUNTER_ROLES)
        shift = open_shift_row(ctx, s)
        if change_fen:
            change_for(ctx, s, amount_fen, tendered_fen)  # 实收 bounded by the amount due
        notice = _unpaid_notice(s, notice_no, amount_fen)
        _not_own_notice(ctx, notice)
        page = _stamped_page(ctx, s, notice.kind, paper_receipt_no)
        late = notice.kind == "repair" and notice.repair_date is not None and ctx.today() > notice.repair_date
        receipt = issue_payment_receipt(ctx, s, notice=notice, shift_id=shift.id, tender=tender,
                                        reference=reference, tendered_fen=tendered_fen, change_fen=change_fen,
                                        paper_receipt_no=page)  # fmt: skip
        entry = _ledger_entry(
            ctx, s, notice, shift.id, tender, reference, receipt.id, tendered_fen, change_fen
        )
        _record_payment(ctx, s, notice, entry, receipt.id, page, late)
        result = PaymentResult(receipt_no=receipt.receipt_no, amount_fen=amount_fen, change_fen=change_fen,
                               late_hand_in=late)  # fmt: skip
    printing.drain_quietly(ctx)  # after commit: a printer fault never undoes the payment
    return result


def _change(tender: str, amount_fen: int, tendered_fen: int | None) -> int:
    if tender != "cash" or tendered_fen is None:
        return 0
    if isinstance(tendered_fen, bool) or not isinstance(tendered_fen, int) or tendered_fen < amount_fen:
        raise InputInvalid("实收金额不足", detail_en="tendered less than due", field="tendered_fen")
    return tendered_fen - amount_fen


def _unpaid_notice(s: DbSession, notice_no: str, amount_fen: int) -> NoticeRow:
    notice = s.scalar(select(NoticeRow).where(NoticeRow.notice_no == str(notice_no).strip()))
    if notice is None:
        raise InputInvalid(f"没有通知单 {notice_no}", detail_en=f"no notice {notice_no}", field="notice_no")
    if s.scalar(select(NoticePayment.id).where(NoticePayment.notice_id == notice.id)) is not None:
        raise NoticePaid(notice.notice_no, field="notice_no")
    if amount_fen != notice.amount_fen:
        raise InputInvalid(f"金额与通知单不符（应缴 {format_yuan(notice.amount_fen)} 元，须一次缴清）",
                           detail_en=f"amount differs from the notice ({notice.amount_fen} fen, paid in full)",
                           field="amount_fen", data={"amount_fen": notice.amount_fen})  # fmt: skip
    return notice


def _not_own_notice(ctx: OpContext, notice: NoticeRow) -> None:
    """查表制单收费不相容 (seed 001:28): whoever made out a notice (at the counter, or by importing the
    issuing department's list) never takes its money; another cashier collects it."""
    if notice.operator_id == ctx.operator_id:
        raise RoleForbidden(f"查表制单与收费不相容：通知单 {notice.notice_no} 由您开具，须由另一位营业员收费",
                            detail_en=f"notice {notice.notice_no} was made out by you; another cashier collects it",
                            field="notice_no")  # fmt: skip


def _stamped_page(ctx: OpContext, s: DbSession, kind: str, paper_receipt_no: str | None) -> str | None:
    if kind not in ctx.setting(s, "stamped_receipt_for"):
        return str(paper_receipt_no).strip() if paper_receipt_no else None
    text = str(paper_receipt_no).strip() if paper_receipt_no is not None else ""
    if not text.isdigit() or int(text) <= 0:
        raise InputInvalid("此项收费须填写学校结算收据页号", detail_en="the stamped receipt page number is needed",
                           field="paper_receipt_no")  # fmt: skip
    return text


def _ledger_entry(ctx: OpContext, s: DbSession, notice: NoticeRow, shift_id: int, tender: str,
                  reference: str | None, receipt_id: int, tendered_fen: int | None, change_fen: int) -> LedgerEntry:  # fmt: skip
    kind = "back_charge_payment" if notice.kind == "back_charge" else "bill_payment"
    entry = LedgerEntry(kind=kind, charge=payment_charge(notice.kind), account_id=notice.account_id, fen=notice.amount_fen,
                        tender=tender, reference=reference.strip() if reference else None,
                        operator_id=ctx.operator_id, shift_id=shift_id, workstation_id=ctx.workstation.id,
                        at=ctx.now(), receipt_id=receipt_id, simulated=ctx.simulated,
                        data={"notice_no": notice.notice_no, "department": notice.department,
                              "tendered_fen": tendered_fen, "change_fen": change_fen})  # fmt: skip
    return add_audited(ctx, s, entry, f"ledger.{kind}", notice_no=notice.notice_no, fen=notice.amount_fen)


def payment_charge(notice_kind: str) -> str:
    """The ledger `charge` (settlement line) of a notice's payment: its kind, except the 补交电费 for
    software control, which is electricity owed for energy used (the class group's electricity
    line, K3 主营业务收入-电费), never the theft line 违规用电补缴."""
    return "electricity" if notice_kind == "software_control" else notice_kind


def _record_payment(ctx: OpContext, s: DbSession, notice: NoticeRow, entry: LedgerEntry, receipt_id: int,
                    page: str | None, late: bool) -> None:  # fmt: skip
    if page is not None and notice.kind in ctx.setting(s, "stamped_receipt_for"):
        use_receipt_page(ctx, s, page_no=int(page), ledger_entry_id=entry.id, shift_id=entry.shift_id)
    if late and notice.repair_date is not None:  # (late only with a repair date: the check narrows it)
        mark = LedgerMark(entry_id=entry.id, kind="late_hand_in", at=ctx.now(), operator_id=ctx.operator_id,
                          reason=f"维修日期 {notice.repair_date.isoformat()}，交款日期 {ctx.today().isoformat()}")  # fmt: skip
        add_audited(ctx, s, mark, "ledger.marked", mark="late_hand_in", entry_id=entry.id)
    payment = NoticePayment(notice_id=notice.id, ledger_entry_id=entry.id, receipt_id=receipt_id,
                            paper_receipt_no=page, late_hand_in=late, at=ctx.now(), operator_id=ctx.operator_id)  # fmt: skip
    try:
        with s.begin_nested():
            add_audited(ctx, s, payment, "notice.paid", notice_no=notice.notice_no)
    except IntegrityError:  # another counter took the same notice a moment ago
        raise NoticePaid(notice.notice_no, field="notice_no") from None


__all__ = ["NoticeOps", "create_notice", "pay_notice", "unpaid_back_charge"]


class NoticeOps(BackChargeOps, ClearanceOps, QueueOps):
    def create_notice(
        self, *, kind: str, payer: str, notice_no: str | None = None, amount_fen: int | None = None,
        area_dm2: int | None = None, repair_date: date | None = None, repairman: str | None = None,
        department: str | None = None, account_no: str | None = None, repair_item: str | None = None,
    ) -> Notice:  # fmt: skip
        return create_notice(self.ctx, kind=kind, payer=payer, notice_no=notice_no, amount_fen=amount_fen,
                             area_dm2=area_dm2, repair_date=repair_date, repairman=repairman,
                             department=department, account_no=account_no,
                             repair_item=repair_item)  # fmt: skip

    def pay_notice(
        self, *, notice_no: str, amount_fen: int, amount_fen_again: int, tender: str = "cash",
        tendered_fen: int | None = None, reference: str | None = None, paper_receipt_no: str | None = None,
    ) -> PaymentResult:  # fmt: skip
        return pay_notice(self.ctx, notice_no=notice_no, amount_fen=amount_fen, amount_fen_again=amount_fen_again,
                          tender=tender, tendered_fen=tendered_fen, reference=reference,
                          paper_receipt_no=paper_receipt_no)  # fmt: skip
