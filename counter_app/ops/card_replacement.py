"""挂失 and 补卡 (DOMAIN "Customers, places, accounts"): a lost card is blacklisted at once; a
replacement card continues the account's counter and carries the purchase the lost card still
held unloaded, so nothing is lost and the meter loads it exactly once (the meter ignores a record
whose counter it already has).

Which purchase is unloaded: the record the lost card carries is the last committed card write of
the account at its current counter (the intent row says exactly what was written); it is loaded
when a write-back the counter saw ("write_back_seen" account events) shows that counter. When in
doubt we carry it: a second copy of an already-loaded counter loads nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Unpack

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from base.errors import AccountClosed, InputInvalid
from counter_app import printing, row_seals
from counter_app.context import OpContext
from counter_app.ops import fee_receipts
from counter_app.ops.card_writes import begin_intent, run_card_write
from counter_app.ops.cards import (
    CARD_ROLES,
    IntentActor,
    account_event,
    attach_card,
    card_event,
    card_info_from_intent,
    card_row,
    check_new_card,
    intent_actor,
    read_for_new_card,
    write_new_user_card,
)
from counter_app.ops.common import account_info, check_tender, get_account, last_write_back, open_shift_row
from counter_app.ops.intent_payloads import ReplaceCardPayload
from counter_app.results import AccountInfo, CardInfo
from db.models import Account, Card, CardWriteIntent
from db.queries.intents import intent_state
from db.queries.ledger import latest_entry
from db.queries.tariffs import current_fee
from hardware.card_service import CardService
from hardware.records import CardReading

DONE_STATES = ("committed", "rolled_forward")


@dataclass(frozen=True)
class UnloadedPurchase:
    energy_ckwh: int
    free_ckwh: int
    amount_fen: int
    source: str  # the intent id (or "ledger:<id>" for a legacy purchase) that put it on the lost card


# --- 挂失 -------------------------------------------------------------------------------------------


def report_lost_card(ctx: OpContext, account_no: str) -> AccountInfo:
    """Blacklist the account's card at once. A second report changes nothing."""
    with ctx.uow() as s:
        ctx.require_role(s, *CARD_ROLES)
        account = get_account(s, account_no)
        if account.status == "closed":
            raise AccountClosed(account.account_no)
        if not account.card_serial:
            raise InputInvalid(
                "该账户没有卡，无需挂失", detail_en="the account has no card", field="account_no"
            )
        card = card_row(s, account.card_serial)
        if card is None or card.status != "lost":
            blacklist_card(ctx, s, account, account.card_serial, "reported_lost")
            account_event(ctx, s, account, "card_lost", data={"card_serial": account.card_serial})
        return account_info(ctx, s, account)


def blacklist_card(
    ctx: OpContext, s: DbSession, account: Account, serial: str, event: str, **who: Unpack[IntentActor]
) -> Card:
    """Mark the account's card `serial` lost. A card taken over from the legacy system has no stock
    row yet: it gets one (status lost, no "received" event: it never entered our stock)."""
    card = card_row(s, serial)
    if card is None:
        card = Card(serial=serial, status="lost", kind="user", account_id=account.id,
                    simulated=account.simulated, received_at=ctx.now())  # fmt: skip
        s.add(card)
        s.flush()
    card.status = "lost"
    card_event(ctx, s, card, event, account_id=account.id, **who)
    return card


# --- which purchase the lost card still holds ---------------------------------------------------------


def unloaded_purchase(s: DbSession, account: Account) -> UnloadedPurchase | None:
    counter = account.purchase_counter
    if counter == 0:
        return None
    seen = last_write_back(s, account)
    if seen is not None and seen.last_loaded_counter >= counter:
        return None
    intents = s.scalars(
        select(CardWriteIntent)
        .where(CardWriteIntent.account_id == account.id, CardWriteIntent.purchase_counter == counter)
        .order_by(CardWriteIntent.id.desc())
    )
    for intent in intents:
        if intent.kind == "parameter" or intent_state(s, intent.intent_id) not in DONE_STATES:
            continue
        if intent.energy_ckwh == 0 and intent.free_ckwh == 0:
            return None  # the card holds only an issue record at this counter
        return UnloadedPurchase(
            intent.energy_ckwh, intent.free_ckwh, record_amount_fen(intent), intent.intent_id
        )
    return _legacy_purchase(s, account, counter)


def record_amount_fen(intent: CardWriteIntent) -> int:
    """The amount the card record shows: for a replacement the carried purchase's, not the fee."""
    if intent.kind == "replace_card":
        return ReplaceCardPayload.from_json(intent.payload).carried_amount_fen
    return intent.amount_fen


def _legacy_purchase(s: DbSession, account: Account, counter: int) -> UnloadedPurchase | None:
    entry = latest_entry(s, account.id, "legacy_purchase", purchase_counter=counter)
    if entry is None or entry.energy_ckwh + entry.free_ckwh <= 0:
        return None
    return UnloadedPurchase(entry.energy_ckwh, entry.free_ckwh, max(entry.fen, 0), f"ledger:{entry.id}")


# --- 补卡 ---------------------------------------------------------------------------------------------


def replace_card(
    ctx: OpContext, account_no: str, tender: str = "cash", reference: str | None = None
) -> CardInfo:
    reading = read_for_new_card(ctx)  # no transaction open during device I/O

    def begin(s: DbSession) -> CardWriteIntent:
        ctx.require_role(s, *CARD_ROLES)
        account = get_account(s, account_no)
        if account.status == "closed":
            raise AccountClosed(account.account_no)
        if not account.card_serial:
            raise InputInvalid("该账户还没有卡，请发新卡", detail_en="the account has no card yet; use issue_card",
                               field="account_no")  # fmt: skip
        if reading.card_serial == account.card_serial:
            raise InputInvalid(
                "请放一张空白卡", detail_en="place a blank card, not the old one", field="card"
            )
        check_new_card(ctx, s, reading, account)
        fee = row_seals.check(s, current_fee(s, "card", ctx.now()))  # the fee decides what is charged
        fee_fen = fee.fen if fee is not None else 0
        shift_id = None
        if fee_fen > 0:
            check_tender(tender, reference)
            shift_id = open_shift_row(ctx, s).id
        carry = unloaded_purchase(s, account)
        counter = account.purchase_counter
        return begin_intent(
            ctx, s, kind="replace_card", account=account, card_serial=reading.card_serial,
            purchase_counter=counter, amount_fen=fee_fen,
            energy_ckwh=carry.energy_ckwh if carry else 0, free_ckwh=carry.free_ckwh if carry else 0,
            tender=tender if fee_fen else None, shift_id=shift_id,
            payload=ReplaceCardPayload(
                account_no=account.account_no, meter_no=account.meter_no, lost_serial=account.card_serial,
                carried_amount_fen=carry.amount_fen if carry else 0, carried_from=carry.source if carry else None,
                reference=reference if fee_fen else None, fee_id=fee.id if fee is not None and fee_fen else None,
                # a simulated meter first met now has not loaded the carried purchase yet
                meter_counter=counter - 1 if carry else counter,
            ),
        )  # fmt: skip

    def write(intent: CardWriteIntent, card: CardService) -> CardReading:
        p = ReplaceCardPayload.from_json(intent.payload)
        return write_new_user_card(ctx, card, intent, account_no=p.account_no, meter_no=p.meter_no,
                                   meter_counter=p.meter_counter, record_amount_fen=p.carried_amount_fen)  # fmt: skip

    # (run_card_write: what this kind's committer returns)
    info: CardInfo = run_card_write(ctx, begin, write)
    if info.receipt_no:
        printing.drain_quietly(ctx)  # a printer fault never undoes the replacement
    return info


def commit_replace_card(ctx: OpContext, s: DbSession, intent: CardWriteIntent, recovered: bool) -> CardInfo:
    who = intent_actor(intent)
    p = ReplaceCardPayload.from_json(intent.payload)
    lost_serial = p.lost_serial
    account, card = attach_card(ctx, s, intent, recovered=recovered)
    if lost_serial:
        # a card replaced without 挂失 (damaged, kept by the customer) is blacklisted now
        blacklist_card(ctx, s, account, lost_serial, "replaced", **who)
    receipt_no = None
    if intent.amount_fen > 0:
        receipt_no = fee_receipts.record_card_fee(ctx, s, intent, p, account, recovered=recovered)
    account_event(ctx, s, account, "card_replaced", **who,
                  data={"card_serial": card.serial, "lost_serial": lost_serial,
                        "purchase_counter": intent.purchase_counter, "carried_ckwh": intent.energy_ckwh,
                        "carried_free_ckwh": intent.free_ckwh, "carried_from": p.carried_from,
                        "fee_fen": intent.amount_fen, "receipt_no": receipt_no, "recovered": recovered})  # fmt: skip
    return card_info_from_intent(intent, account.account_no, receipt_no)
