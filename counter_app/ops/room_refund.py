"""Room refund (房间退电) and closing an account (销户): DOMAIN "Counter operations" 3; API.md
`refund_room`, `get_refund_form`, `close_account`.

A refund settles one clear: the latest `cleared` ledger entry of the account not refunded yet
(from `complete_clear`), or — when the meter cannot be read — a manual reading entered with a
reason and co-signed by TWO different supervisors, which records its own `cleared` entry. The value
comes from counter_app.ops.refund_valuation. It raises a 退费审批单 (own number series "refund")
that finance pays to the payee (bank card, or the original channel when none is given); it is
never cash from the drawer: the `refund_raised` ledger entry has no tender, so no drawer counts it.
Only when finance enabled a refund float (setting `refund_float`) AND no bank card is given is it
paid in cash from that float: tender "cash", shown on the sheet's own refund-float line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from base.errors import (
    AccountBusy,
    AccountClosed,
    ApprovalInvalid,
    ApprovalRequired,
    InputInvalid,
    NotCleared,
    WriteBackStale,
)
from counter_app.approvals import Approval
from counter_app.context import OpContext
from counter_app.ops.clears import period_open, required_text
from counter_app.ops.common import (
    account_info,
    account_no_or_room,
    add_audited,
    open_shift_row,
    room_code_of,
)
from counter_app.ops.refund_valuation import Purchase, Valuation, split_remaining, value_refund
from counter_app.printing import drain_quietly, enqueue
from counter_app.receipt_signing import sign_receipt
from counter_app.results import AccountInfo, RefundForm, RefundResult
from counter_app.roles import SELLING_ROLES
from db.models import Account, AccountEvent, LedgerEntry, LedgerMark
from db.models.refunds import REFUND_SERIES
from db.models.refunds import RefundForm as FormRow
from db.models.security import Approval as ApprovalRow
from db.models.security import Operator
from db.numbering import record_receipt, take_receipt_number
from db.queries.ledger import latest_entry
from db.queries.tariffs import first_tariff_price
from receipts import data as rd

PAID_KINDS = ("sale", "correction", "legacy_purchase")


@dataclass(frozen=True)
class _Payee:
    name: str
    id: str
    account: str | None


# --- the refund ---------------------------------------------------------------------------------------------


def refund_room(
    ctx: OpContext, *, account_no: str, payee_name: str, payee_id: str, payee_account: str | None = None,
    manual_reading_ckwh: int | None = None, reason: str | None = None, approval: Approval | None = None,
    second_approval: Approval | None = None,
) -> RefundResult:  # fmt: skip
    payee = _Payee(required_text(payee_name, "payee_name", "收款人姓名"),
                   required_text(payee_id, "payee_id", "学号/工号"), (payee_account or "").strip() or None)  # fmt: skip
    manual = manual_reading_ckwh is not None
    if manual:
        _check_manual(manual_reading_ckwh, second_approval)
        reason = required_text(reason, "reason", "手工抄表原因")
    with ctx.uow() as s:
        ctx.require_role(s, *SELLING_ROLES)
        shift = open_shift_row(ctx, s)
        period_open(ctx, s)
        account = account_no_or_room(ctx, s, account_no)  # an account number or a room code
        account_no = account.account_no
        if account.busy_intent_id:
            raise AccountBusy(account_no)
        clear: LedgerEntry | None = None
        if manual_reading_ckwh is not None:
            remaining = manual_reading_ckwh
        else:
            clear = _unrefunded_clear(s, account)
            remaining = clear.energy_ckwh
        valuation, free_left = value_account(
            s, account, remaining, before_entry_id=clear.id if clear else None
        )
        content = {"account_no": account_no, "payee_name": payee.name, "payee_id": payee.id,
                   "payee_account": payee.account, "manual_reading_ckwh": manual_reading_ckwh, "reason": reason,
                   "refund_fen": valuation.refund_fen, "refundable_ckwh": valuation.refundable_ckwh,
                   "clear_entry_id": clear.id if clear else None}  # fmt: skip
        approval_id = ctx.approve(s, approval, kind="refund_room", payload=content, reason=reason)
        second_id = None
        if manual_reading_ckwh is not None:
            assert reason is not None  # required above for a manual reading
            second_id = ctx.approve(s, second_approval, kind="refund_room.manual_reading", payload=content,
                                    reason=reason)  # fmt: skip
            _require_two_checkers(s, approval_id, second_id)
            clear = _manual_clear(ctx, s, account, manual_reading_ckwh, reason, shift.id, approval_id)
        assert clear is not None  # the account's clear, or the manual one just recorded
        form = _raise_form(ctx, s, account, clear, valuation, free_left, payee, reason, shift.id,
                           (approval_id, second_id))  # fmt: skip
        result = RefundResult(form_no=form.form_no, refund_fen=form.refund_fen, refundable_ckwh=form.refundable_ckwh,
                              free_left_ckwh=free_left, lines=tuple(ln.as_api() for ln in valuation.lines),
                              flagged=valuation.flagged)  # fmt: skip
    drain_quietly(ctx)
    return result


def _check_manual(reading: Any, second_approval: Approval | None) -> None:
    if isinstance(reading, bool) or not isinstance(reading, int) or reading < 0:
        raise InputInvalid("手工抄表电量必须是非负整数", detail_en="manual_reading_ckwh must be an integer >= 0",
                           field="manual_reading_ckwh")  # fmt: skip
    if second_approval is None:
        raise ApprovalRequired(
            "手工抄表需要两位监督人签字", detail_en="a manual reading needs two supervisors"
        )


def _require_two_checkers(s: DbSession, first_id: int, second_id: int) -> None:
    first, second = s.get_one(ApprovalRow, first_id), s.get_one(ApprovalRow, second_id)
    if first.checker_id == second.checker_id:
        raise ApprovalInvalid("手工抄表须由两位不同的监督人确认", detail_en="two different supervisors must approve",
                              field="second_approval")  # fmt: skip


def _unrefunded_clear(s: DbSession, account: Account) -> LedgerEntry:
    """The account's latest clear, if no form refunds it yet; WRITE_BACK_STALE otherwise."""
    clear = latest_entry(s, account.id, "cleared")
    if clear is None or _form_for_clear(s, clear.id) is not None:
        raise WriteBackStale("尚未完成清零（清零卡未插表返回）", detail_en="no completed clear to refund")
    return clear


def _form_for_clear(s: DbSession, clear_entry_id: int) -> FormRow | None:
    return s.scalar(select(FormRow).where(FormRow.clear_entry_id == clear_entry_id))


def _purchase(entry: LedgerEntry) -> Purchase:
    assert entry.price_e4 is not None  # only priced entries count as paid (value_account's filter)
    return Purchase(entry.energy_ckwh, entry.price_e4)


def value_account(s: DbSession, account: Account, remaining_ckwh: int, *, before_entry_id: int | None
                  ) -> tuple[Valuation, int]:  # fmt: skip
    """The valuation of `remaining_ckwh` from the account's ledger before the clear being refunded.

    Only purchases since the previous clear can still be in the meter (a clear emptied it); older
    ones only tell the oldest known price. Voided sales do not count, corrections do. A legacy
    balance taken over since the previous clear counts as paid energy (its purchases price it)."""
    stmt = select(LedgerEntry).where(LedgerEntry.account_id == account.id).order_by(LedgerEntry.id)
    if before_entry_id is not None:
        stmt = stmt.where(LedgerEntry.id < before_entry_id)
    entries = list(s.scalars(stmt))
    voided = {e.corrects_entry_id for e in entries if e.kind == "void"}
    previous = max((e for e in entries if e.kind == "cleared"), key=lambda e: e.id, default=None)
    paid = [
        e for e in entries if e.kind in PAID_KINDS and e.id not in voided and e.energy_ckwh > 0 and e.price_e4
    ]
    window = [e for e in paid if previous is None or e.id > previous.id]
    paid_in = sum(e.energy_ckwh for e in window if e.kind != "legacy_purchase") + _legacy_balance(
        account, previous
    )
    refundable, free_left = split_remaining(remaining_ckwh, paid_in)
    newest_first = [_purchase(e) for e in sorted(window, key=_written_order, reverse=True)]
    oldest = min(paid, key=_written_order).price_e4 if paid else first_tariff_price(s, account.cls)
    return value_refund(refundable, newest_first, oldest), free_left


def _written_order(e: LedgerEntry) -> tuple[bool, int]:
    """Purchases in the order they were made: the old system's first, then ours as written (ids,
    not times: a clock set back must not change which purchase counts as the newest)."""
    return (e.kind != "legacy_purchase", e.id)


def _legacy_balance(account: Account, previous_clear: LedgerEntry | None) -> int:
    if not account.legacy_balance_ckwh:
        return 0
    if (
        previous_clear is not None
        and account.legacy_as_of is not None
        and previous_clear.at >= account.legacy_as_of
    ):
        return 0
    return account.legacy_balance_ckwh


def _manual_clear(ctx: OpContext, s: DbSession, account: Account, ckwh: int, reason: str, shift_id: int,
                  approval_id: int) -> LedgerEntry:  # fmt: skip
    """A broken meter's hand reading stands for the clear card's write-back."""
    entry = LedgerEntry(kind="cleared", account_id=account.id, fen=0, energy_ckwh=ckwh, operator_id=ctx.operator_id,
                        shift_id=shift_id, workstation_id=ctx.workstation.id, at=ctx.now(), approval_id=approval_id,
                        reason=reason, simulated=ctx.simulated, data={"source": "manual", "meter_no": account.meter_no})  # fmt: skip
    add_audited(ctx, s, entry, "ledger.cleared", account_no=account.account_no, energy_ckwh=ckwh)
    event = AccountEvent(account_id=account.id, kind="cleared", at=ctx.now(), operator_id=ctx.operator_id,
                         workstation_id=ctx.workstation.id, approval_id=approval_id, reason=reason,
                         data={"cleared_ckwh": ckwh, "ledger_entry_id": entry.id, "source": "manual"})  # fmt: skip
    add_audited(ctx, s, event, "account.cleared", account_no=account.account_no)
    return entry


def _raise_form(ctx: OpContext, s: DbSession, account: Account, clear: LedgerEntry, v: Valuation, free_left: int, payee: _Payee,
                reason: str | None, shift_id: int, approvals: tuple[int, int | None]) -> FormRow:  # fmt: skip
    now = ctx.now()
    number = take_receipt_number(s, ctx.workstation.id, REFUND_SERIES)
    qr = sign_receipt(ctx.keys.receipt_signing, workstation=ctx.workstation.code, receipt_no=number.text,
                      amount_fen=v.refund_fen, at=now)  # fmt: skip
    receipt = record_receipt(s, number, kind="refund", amount_fen=v.refund_fen, issued_at=now,
                             payload={"document": "refund"}, operator_id=ctx.operator_id, shift_id=shift_id,
                             account_id=account.id, qr_text=qr, simulated=ctx.simulated)  # fmt: skip
    ctx.audit(s, "receipt.issued", subject=receipt, receipt_no=number.text)
    float_cash = bool(ctx.setting(s, "refund_float")) and payee.account is None
    entry = LedgerEntry(
        kind="refund_raised", charge="electricity", account_id=account.id, fen=-v.refund_fen, energy_ckwh=0,
        tender="cash" if float_cash else None, reference=number.text, operator_id=ctx.operator_id,
        shift_id=shift_id, workstation_id=ctx.workstation.id, at=now, receipt_id=receipt.id,
        approval_id=approvals[0], reason=reason, simulated=ctx.simulated,
        data={"form_no": number.text, "refundable_ckwh": v.refundable_ckwh, "free_left_ckwh": free_left,
              "clear_entry_id": clear.id, "paid_by": "refund_float" if float_cash else "finance"},
    )  # fmt: skip
    add_audited(ctx, s, entry, "ledger.refund_raised", account_no=account.account_no, fen=-v.refund_fen)
    if v.flagged:
        mark = LedgerMark(
            entry_id=entry.id,
            kind="unpriced_energy",
            at=now,
            operator_id=ctx.operator_id,
            approval_id=approvals[0],
            reason=f"{v.unpriced_ckwh} ckwh valued at the oldest known price",
        )
        add_audited(ctx, s, mark, "ledger.marked")  # fmt: skip
    form = FormRow(
        form_no=number.text, receipt_id=receipt.id, account_id=account.id, clear_entry_id=clear.id,
        ledger_entry_id=entry.id, reading_source=(clear.data or {}).get("source", "clear_card"),
        payee_name=payee.name, payee_id=payee.id, payee_account=payee.account, cleared_ckwh=clear.energy_ckwh,
        free_left_ckwh=free_left, refundable_ckwh=v.refundable_ckwh, refund_fen=v.refund_fen,
        unpriced_ckwh=v.unpriced_ckwh, lines=[[ln.energy_ckwh, ln.price_e4, ln.fen, ln.unpriced] for ln in v.lines],
        reason=reason, maker_id=ctx.operator_id, approval_id=approvals[0], second_approval_id=approvals[1],
        shift_id=shift_id, workstation_id=ctx.workstation.id, created_at=now, simulated=ctx.simulated,
    )  # fmt: skip
    add_audited(ctx, s, form, "refund.form_raised", form_no=number.text, refund_fen=v.refund_fen)
    enqueue(ctx, s, document="refund", doc=_slip(ctx, s, account, form, qr), receipt_id=receipt.id)
    return form


def _slip(ctx: OpContext, s: DbSession, account: Account, form: FormRow, qr: str) -> rd.RefundReceipt:
    header = rd.ReceiptHeader(centre_name=ctx.setting(s, "centre_name"), workstation=ctx.workstation.code,
                              receipt_no=form.form_no, at=form.created_at, cashier=_name(s, form.maker_id) or "",
                              simulated=bool(form.simulated))  # fmt: skip
    return rd.RefundReceipt(
        header=header, form_no=form.form_no, account_no=account.account_no, room_code=room_code_of(s, account) or "",
        refund_fen=form.refund_fen, refundable_ckwh=form.refundable_ckwh, payee_name=form.payee_name,
        lines=tuple(rd.RefundLine(e, p, f) for e, p, f, _ in form.lines), qr_text=qr,
        supervisor=_checker(s, form.approval_id),
    )  # fmt: skip


# --- reading a form -------------------------------------------------------------------------------------------


def form_row(s: DbSession, form_no: str) -> FormRow:
    form = s.scalar(select(FormRow).where(FormRow.form_no == str(form_no)))
    if form is None:
        raise InputInvalid(
            f"没有退费审批单 {form_no}", detail_en=f"no refund form {form_no}", field="form_no"
        )
    return form


def get_refund_form(ctx: OpContext, *, form_no: str) -> RefundForm:
    with ctx.reading() as s:
        form = form_row(s, form_no)
        return RefundForm(
            form_no=form.form_no, account_no=s.get_one(Account, form.account_id).account_no,
            payee_name=form.payee_name, payee_id=form.payee_id, payee_account=form.payee_account,
            refund_fen=form.refund_fen, lines=tuple((e, p, f) for e, p, f, _ in form.lines),
            maker=_name(s, form.maker_id) or "", checker=_checker(s, form.approval_id) or "",
            second_checker=_checker(s, form.second_approval_id), refundable_ckwh=form.refundable_ckwh,
            free_left_ckwh=form.free_left_ckwh, cleared_ckwh=form.cleared_ckwh, flagged=form.unpriced_ckwh > 0,
            reading_source=form.reading_source, reason=form.reason, created_at=form.created_at,
        )  # fmt: skip


def _name(s: DbSession, operator_id: int | None) -> str | None:
    if operator_id is None:
        return None
    return s.scalar(select(Operator.display_name).where(Operator.id == operator_id))  # printed for people


def _checker(s: DbSession, approval_id: int | None) -> str | None:
    if approval_id is None:
        return None
    return _name(s, s.scalar(select(ApprovalRow.checker_id).where(ApprovalRow.id == approval_id)))


# --- closing an account ----------------------------------------------------------------------------------------


def close_account(ctx: OpContext, *, account_no: str, approval: Approval | None) -> AccountInfo:
    """销户: staff and business accounts only, after 退电清零 (cleared, then refunded, nothing sold
    since); the room and the meter are then free for a new account (the live uniqueness)."""
    with ctx.uow() as s:
        ctx.require_role(s, *SELLING_ROLES)
        period_open(ctx, s)
        account = account_no_or_room(ctx, s, account_no)  # an account number or a room code
        account_no = account.account_no
        if account.cls == "dorm":
            raise InputInvalid(
                "学生公寓账户随房间存在，不在柜台销户",
                detail_en="dorm accounts are never closed at the counter",
            )
        if account.status == "closed":
            raise AccountClosed(account_no)
        if account.busy_intent_id:
            raise AccountBusy(account_no)
        clear = _settled_clear(s, account)
        approval_id = ctx.approve(s, approval, kind="account.close",
                                  payload={"account_no": account_no, "clear_entry_id": clear.id})  # fmt: skip
        account.status = "closed"
        s.flush()
        event = AccountEvent(account_id=account.id, kind="closed", at=ctx.now(), operator_id=ctx.operator_id,
                             workstation_id=ctx.workstation.id, approval_id=approval_id,
                             data={"clear_entry_id": clear.id})  # fmt: skip
        add_audited(ctx, s, event, "account.closed", account_no=account_no)
        return account_info(ctx, s, account)


def _settled_clear(s: DbSession, account: Account) -> LedgerEntry:
    clear = latest_entry(s, account.id, "cleared")
    if clear is None:
        raise NotCleared(account.account_no, data={"step": "clear"})
    if clear.energy_ckwh > 0 and _form_for_clear(s, clear.id) is None:
        raise NotCleared(f"{account.account_no} 尚未退费", detail_en=f"{account.account_no} not refunded",
                         data={"step": "refund"})  # fmt: skip
    later = s.scalar(select(LedgerEntry.id).where(
        LedgerEntry.account_id == account.id, LedgerEntry.id > clear.id,
        LedgerEntry.kind.in_(("sale", "correction", "free"))).limit(1))  # fmt: skip
    if later is not None:
        raise NotCleared(f"{account.account_no} 清零后又有购电", detail_en="energy sold after the clear",
                         data={"step": "clear"})  # fmt: skip
    return clear
