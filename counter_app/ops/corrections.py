"""Same-day correction (更正，作废重开): DOMAIN "Counter operations" 5; API.md `correct`.

Refused unless the original receipt's sale happened today (business date, Asia/Shanghai) and its
shift is not yet handed to finance (CORRECTION_NOT_SAME_DAY); co-signed; the original account's
card must be on the reader and its purchase still unloaded — once a meter loaded it the sale goes
through room refund and a new sale (ALREADY_LOADED). Every step is a card write under the intent
protocol (intent kind "correction"; its payload's `CorrectionPayload.mode` says which, so recovery
can finish it):

- same account, new amount or energy — mode "rewrite": the purchase is rewritten under the SAME
  counter with the corrected energy (free energy and energy carried by an override stay on it),
  then the original is voided (a "void" entry with opposite signs and the same charge,
  `corrects_entry_id`; receipt event "voided") and the new sale is a "correction" entry referring
  to it, with its own receipt;
- wrong room (`account_no` names another account) — the simplest safe rule: mode "void" rewrites
  the WRONG card's purchase under the same counter with zero energy (its free energy stays: it was
  that room's own entitlement) and voids the sale; then mode "new_sale" sells on the right
  account's card (next counter) as a "correction" entry. Between the two the right card must be
  put on the reader: with a `prompts` handler (counter_app.prompts) the call asks for it; without
  one, or when the card is not given, the call stops after the void with CARD_MISMATCH
  (`data["resume"] = True`) and the same `correct(...)` call, with the right card and a fresh
  approval, finishes the new sale.

The corrected sale keeps the original tender and reference. Cash: `change_fen` is what the drawer
hands back (original − corrected, when positive); a larger corrected amount is paid in addition.
Price: the original sale's price on the same account; the right account's tariff for a wrong room.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from base.clock import business_date
from base.errors import (
    AlreadyLoaded,
    CardMismatch,
    CorrectionNotSameDay,
    InputInvalid,
    PreviousNotLoaded,
)
from counter_app.approvals import Approval
from counter_app.context import OpContext
from counter_app.ops import card_writes
from counter_app.ops.card_reading import require_account_card
from counter_app.ops.clears import period_open, read_own_card, required_text
from counter_app.ops.common import get_account, open_shift_row, require_sellable, resolve_account_no
from counter_app.ops.correction_commit import commit_payload, original_sale, voided_by_correction
from counter_app.ops.intent_payloads import CorrectionPayload, OriginalSale
from counter_app.ops.sales import amount_and_energy, check_limits, check_meter_maximum, price_for
from counter_app.printing import drain_quietly
from counter_app.results import SaleResult
from counter_app.roles import SELLING_ROLES
from counter_app.settlement.signoff import shift_handed_to_finance
from db.models import Account, CardWriteIntent, LedgerEntry, Receipt, Shift
from hardware.card_service import CardService
from hardware.records import CardKind, CardReading, PurchaseRecord


@dataclass(frozen=True)
class _Ask:
    receipt_no: str
    reason: str
    approval: Approval | None
    account_no: str | None
    amount_fen: int | None
    energy_ckwh: int | None

    def content(self, original: OriginalSale) -> dict[str, Any]:
        """What the supervisor approves: exactly this correction."""
        return {"receipt_no": self.receipt_no, "reason": self.reason, "from_account": original.account_no,
                "to_account": self.account_no or original.account_no, "amount_fen": self.amount_fen,
                "energy_ckwh": self.energy_ckwh, "original_fen": original.fen,
                "original_ckwh": original.energy_ckwh}  # fmt: skip


def correct(
    ctx: OpContext, *, receipt_no: str, reason: str, approval: Approval | None, account_no: str | None = None,
    amount_fen: int | None = None, energy_ckwh: int | None = None, prompts: Any = None,
) -> SaleResult:  # fmt: skip
    receipt_no, reason = (
        required_text(receipt_no, "receipt_no", "凭条号"),
        required_text(reason, "reason", "更正原因"),
    )
    if account_no is not None and str(account_no).strip():  # the right room: an account number or a room code
        account_no = resolve_account_no(ctx, account_no)
    ask = _Ask(receipt_no, reason, approval, account_no or None, amount_fen, energy_ckwh)
    if amount_fen is not None and energy_ckwh is not None:
        raise InputInvalid(
            "金额与电量只能填一个", detail_en="give amount_fen or energy_ckwh, not both", field="amount_fen"
        )
    with ctx.reading() as s:
        original, voided = _original(ctx, s, ask.receipt_no)
    target = ask.account_no or original.account_no
    if target == original.account_no:
        if voided:
            raise InputInvalid(f"凭条 {ask.receipt_no} 已作废", detail_en=f"{ask.receipt_no} is already void")
        if amount_fen is None and energy_ckwh is None:
            raise InputInvalid("请输入更正后的金额或电量", detail_en="nothing to correct", field="amount_fen")
        result = _rewrite(ctx, ask, original)
    else:
        if not voided:
            _void_wrong_room(ctx, ask, original, target)
            _ask_for_card(ctx, prompts, target)
        result = _sell_on_right_room(ctx, ask, original, target)
    drain_quietly(ctx)
    return result


# --- the original sale -------------------------------------------------------------------------------------


def _original(ctx: OpContext, s: DbSession, receipt_no: str) -> tuple[OriginalSale, bool]:
    """The sale behind `receipt_no` and whether a correction already voided it (wrong room, first
    half done). Same day and not handed to finance, else CORRECTION_NOT_SAME_DAY."""
    entry = s.scalar(select(LedgerEntry).join(Receipt, Receipt.id == LedgerEntry.receipt_id)
                     .where(Receipt.receipt_no == receipt_no, LedgerEntry.kind.in_(("sale", "correction"))))  # fmt: skip
    if entry is None:
        raise InputInvalid(f"没有这笔售电：{receipt_no}", detail_en=f"no sale with receipt {receipt_no}",
                           field="receipt_no")  # fmt: skip
    if business_date(entry.at) != ctx.today() or (
        entry.shift_id and shift_handed_to_finance(s, entry.shift_id)
    ):
        raise CorrectionNotSameDay(receipt_no)
    original = original_sale(s, entry, receipt_no)
    void = s.scalar(
        select(LedgerEntry).where(LedgerEntry.kind == "void", LedgerEntry.corrects_entry_id == entry.id)
    )
    if void is not None and not voided_by_correction(s, void, entry.id):
        raise InputInvalid(f"凭条 {receipt_no} 已作废", detail_en=f"{receipt_no} is already void")
    return original, void is not None


def _require_unloaded(reading: CardReading, original: OriginalSale) -> PurchaseRecord:
    """The original purchase must still be the card's record and not loaded by the meter: that record."""
    purchase = reading.purchase
    if purchase is None or purchase.purchase_counter != original.purchase_counter or reading.loaded:
        raise AlreadyLoaded(original.receipt_no, data={"purchase_counter": original.purchase_counter})
    return purchase


def _common_checks(
    ctx: OpContext, s: DbSession, reading: CardReading, account_no: str
) -> tuple[Shift, Account]:
    ctx.require_role(s, *SELLING_ROLES)
    shift = open_shift_row(ctx, s)
    period_open(ctx, s)
    account = get_account(s, account_no)
    require_sellable(account)
    require_account_card(s, account, reading)
    return shift, account


# --- same account: rewrite under the same counter -----------------------------------------------------------


def _rewrite(ctx: OpContext, ask: _Ask, original: OriginalSale) -> SaleResult:
    reading = read_own_card(ctx, original.account_no, (CardKind.USER,))
    purchase = _require_unloaded(reading, original)

    def begin(s: DbSession) -> CardWriteIntent:
        shift, account = _common_checks(ctx, s, reading, original.account_no)
        if account.purchase_counter != original.purchase_counter:
            raise AlreadyLoaded(original.receipt_no)
        amount, energy = amount_and_energy(ctx, s, original.price_e4, ask.amount_fen, ask.energy_ckwh)
        check_limits(ctx, s, account, amount)
        carried = purchase.energy_ckwh - original.energy_ckwh
        check_meter_maximum(ctx, s, account, reading, energy + carried + purchase.free_ckwh)
        approval_id = ctx.approve(
            s, ask.approval, kind="correction", payload=ask.content(original), reason=ask.reason
        )
        payload = commit_payload(
            "rewrite", original, ask.reason, approval_id, account, amount=amount, carried=carried
        )
        return card_writes.begin_intent(
            ctx, s, kind="correction", account=account, card_serial=reading.card_serial,
            purchase_counter=original.purchase_counter, amount_fen=amount, energy_ckwh=energy + carried,
            free_ckwh=purchase.free_ckwh, price_e4=original.price_e4, tender=original.tender,
            shift_id=shift.id, payload=payload,
        )  # fmt: skip

    # (run_card_write: what this kind's committer returns)
    result: SaleResult = card_writes.run_card_write(ctx, begin, _writer(ctx))
    return result


# --- wrong room: void on the wrong card, sell on the right one ------------------------------------------------


def _void_wrong_room(ctx: OpContext, ask: _Ask, original: OriginalSale, target_no: str) -> None:
    """`target_no` is the right room's account (the one `ask` names)."""
    reading = read_own_card(ctx, original.account_no, (CardKind.USER,))
    purchase = _require_unloaded(reading, original)

    def begin(s: DbSession) -> CardWriteIntent:
        shift, account = _common_checks(ctx, s, reading, original.account_no)
        if account.purchase_counter != original.purchase_counter:
            raise AlreadyLoaded(original.receipt_no)
        require_sellable(get_account(s, target_no))
        approval_id = ctx.approve(
            s, ask.approval, kind="correction", payload=ask.content(original), reason=ask.reason
        )
        carried = purchase.energy_ckwh - original.energy_ckwh
        payload = commit_payload("void", original, ask.reason, approval_id, account, amount=0, carried=carried,
                                 target_account_no=target_no)  # fmt: skip
        return card_writes.begin_intent(
            ctx, s, kind="correction", account=account, card_serial=reading.card_serial,
            purchase_counter=original.purchase_counter, amount_fen=0, energy_ckwh=carried,
            free_ckwh=purchase.free_ckwh, price_e4=original.price_e4, tender=original.tender,
            shift_id=shift.id, payload=payload,
        )  # fmt: skip

    card_writes.run_card_write(ctx, begin, _writer(ctx))


def _ask_for_card(ctx: OpContext, prompts: Any, account_no: str) -> None:
    if prompts is None:
        return
    prompts.show_message(f"原凭条已作废。请取回原卡，放上账户 {account_no} 的卡")
    prompts.ask_yes_no(f"账户 {account_no} 的卡已放好？")
    prompts.finished()


def _sell_on_right_room(ctx: OpContext, ask: _Ask, original: OriginalSale, target_no: str) -> SaleResult:
    try:
        reading = read_own_card(ctx, target_no, (CardKind.USER,))
    except CardMismatch as error:
        error.data.update(resume=True, voided_receipt_no=original.receipt_no)
        raise
    purchase = reading.purchase
    if purchase is not None and not reading.loaded and purchase.energy_ckwh + purchase.free_ckwh > 0:
        raise PreviousNotLoaded(data={"purchase_counter": purchase.purchase_counter, "resume": True})

    def begin(s: DbSession) -> CardWriteIntent:
        shift, account = _common_checks(ctx, s, reading, target_no)
        _require_not_resold(s, original)
        price = price_for(ctx, s, account)
        amount_in = (
            ask.amount_fen if ask.amount_fen is not None or ask.energy_ckwh is not None else original.fen
        )
        amount, energy = amount_and_energy(ctx, s, price, amount_in, ask.energy_ckwh)
        check_limits(ctx, s, account, amount)
        check_meter_maximum(ctx, s, account, reading, energy)
        approval_id = ctx.approve(s, ask.approval, kind="correction.new_sale", payload=ask.content(original),
                                  reason=ask.reason)  # fmt: skip
        payload = commit_payload(
            "new_sale", original, ask.reason, approval_id, account, amount=amount, carried=0
        )
        return card_writes.begin_intent(
            ctx, s, kind="correction", account=account, card_serial=reading.card_serial,
            purchase_counter=account.purchase_counter + 1, amount_fen=amount, energy_ckwh=energy, free_ckwh=0,
            price_e4=price, tender=original.tender, shift_id=shift.id, payload=payload,
        )  # fmt: skip

    # (run_card_write: what this kind's committer returns)
    result: SaleResult = card_writes.run_card_write(ctx, begin, _writer(ctx))
    return result


def _require_not_resold(s: DbSession, original: OriginalSale) -> None:
    done = s.scalar(select(LedgerEntry.id).where(LedgerEntry.kind == "correction",
                                                 LedgerEntry.corrects_entry_id == original.entry_id))  # fmt: skip
    if done is not None:
        raise InputInvalid(
            f"凭条 {original.receipt_no} 已更正", detail_en=f"{original.receipt_no} already corrected"
        )


def _writer(ctx: OpContext) -> card_writes.CardWrite:
    def write(intent: CardWriteIntent, card: CardService) -> CardReading:
        p = CorrectionPayload.from_json(intent.payload)
        return card_writes.write_purchase_record(card, intent, p.account_no, p.meter_no)

    return write
