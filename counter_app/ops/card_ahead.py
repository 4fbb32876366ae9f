"""A card ahead of its account (issue 12 §4): the card is the witness of what was sold.

When the database went back in time (a restore, a `pg_restore`), sales made after the backup are
gone from it but not from the cards: a card may carry a purchase record (MAC'd by us) whose counter
is past the account's, or this PC's high-water mark (counter_app/high_water.py) may say it wrote a
later counter for the account. Selling on at the account's counter would write a record the meter
refuses or ignores (the customer pays and gets nothing). So such a card is never sold to at that
visit:

- the record is read into suspense for the head to resolve: an intent of kind `top_up` in state
  `suspense` carrying the card's amount, energy, counter and time, and, when this PC's mark knows
  that purchase, the workstation and receipt number (the card carries neither); no ledger entry is
  made (the money of a lost shift is on no sheet of this database), the head decides;
- the account continues from the card's counter (`account.counter_from_card` audit entry), so the next
  sale is written at a counter the meter accepts;
- the cashier gets CARD_AHEAD; reading the card again continues normally.

A record that one of our intents wrote (its tag) is not "unknown": open intents are settled by
recovery first, and an intent already in suspense is the supervisor's.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from base.errors import CardAhead
from counter_app.context import OpContext
from counter_app.high_water import note_purchase
from counter_app.ops.card_writes import mark_intent
from counter_app.ops.common import add_audited
from counter_app.ops.intent_payloads import TopUpPayload
from db.models import Account, CardWriteIntent
from db.queries.accounts import account_by_no
from db.queries.tariffs import current_tariff
from hardware.records import CardKind, CardReading, PurchaseRecord

FOUND_SOURCES = ("card", "high_water")  # the suspense event's `source` (resolve_suspense reads it)
REASON = "card ahead of the account (database went back in time?)"


@dataclass(frozen=True)
class Found:
    """What is known of the purchase the database lost."""

    source: str  # "card" | "high_water"
    counter: int
    amount_fen: int
    energy_ckwh: int
    free_ckwh: int
    meter_no: str | None
    card_at: str | None
    card_tag: str | None
    workstation: str | None  # from this PC's mark, when it wrote that counter
    receipt_no: str | None


def refuse_card_ahead(ctx: OpContext, reading: CardReading, found: Found | None = None) -> None:
    """CARD_AHEAD (after recording the suspense item) when the card or the mark is ahead. `found`:
    what `card_ahead_found` already said in the caller's read transaction (None: ask now)."""
    settled = settle_card_ahead(ctx, reading, found)
    if settled is not None:
        intent_id, account_no, before, counter = settled
        raise CardAhead(
            f"账户 {account_no}：数据库为第 {before} 次，卡上为第 {counter} 次",
            detail_en=f"{account_no}: database at counter {before}, card at {counter}",
            data={"intent_id": intent_id, "account_no": account_no, "account_counter": before,
                  "purchase_counter": counter},
        )  # fmt: skip


def card_ahead_found(ctx: OpContext, s: DbSession, reading: CardReading) -> Found | None:
    """What the database lost, when the card (or this PC's mark) is ahead of its account."""
    if reading.kind != CardKind.USER or reading.account_no is None:
        return None
    account = account_by_no(s, reading.account_no)
    if account is None or account.card_serial != reading.card_serial:
        return None  # not this account's card: the sale's own checks say so
    return _found(ctx, s, account, reading.purchase)


def settle_card_ahead(
    ctx: OpContext, reading: CardReading, found: Found | None = None
) -> tuple[str, str, int, int] | None:
    """(suspense intent id, account no, counter before, counter now) when an item was recorded."""
    if found is None:
        with ctx.reading() as s:
            found = card_ahead_found(ctx, s, reading)
    if found is None:
        return None
    account_no = str(reading.account_no)  # (found only for a user card with its account number)
    with ctx.uow() as s:
        account = s.scalar(select(Account).where(Account.account_no == account_no))
        if account is None or account.purchase_counter >= found.counter:
            return None  # another counter settled it meanwhile
        before = account.purchase_counter
        intent_id = _suspense_item(ctx, s, account, reading.card_serial, found)
        account.purchase_counter = found.counter
        s.flush()
        # An audit entry, not an account event (whose kinds the schema fixes): no migration for this.
        ctx.audit(s, "account.counter_from_card", account_no=account_no, before=before, after=found.counter,
                  intent_id=intent_id, reason=REASON)  # fmt: skip
        note_purchase(s, account_no, found.counter, found.amount_fen, found.energy_ckwh + found.free_ckwh,
                      found.receipt_no)  # fmt: skip
    return intent_id, account_no, before, found.counter


def _found(ctx: OpContext, s: DbSession, account: Account, purchase: PurchaseRecord | None) -> Found | None:
    mark = ctx.high_water.mark.accounts.get(account.account_no) if ctx.high_water else None
    mark_counter = int(mark[0]) if mark else 0
    card_counter = purchase.purchase_counter if purchase is not None else 0
    if card_counter > account.purchase_counter and purchase is not None and not _ours(s, account, purchase):
        known = mark if mark_counter == card_counter else None
        return Found("card", card_counter, purchase.amount_fen, purchase.energy_ckwh, purchase.free_ckwh,
                     purchase.meter_no, purchase.at.isoformat(), purchase.tag.hex(),
                     ctx.high_water.mark.workstation if known and ctx.high_water else None,
                     known[3] if known else None)  # fmt: skip
    if mark is not None and mark_counter > max(account.purchase_counter, card_counter):
        # This PC wrote a later counter than the database and the card know (a replacement card?).
        workstation = ctx.high_water.mark.workstation if ctx.high_water else None
        return Found("high_water", mark_counter, int(mark[1]), int(mark[2]), 0, None, None, None, workstation,
                     mark[3])  # fmt: skip
    return None


def _ours(s: DbSession, account: Account, purchase: PurchaseRecord) -> bool:
    """An intent of this database wrote the record (open, in suspense, …): not a lost sale."""
    intents = s.scalars(
        select(CardWriteIntent.intent_id).where(
            CardWriteIntent.account_id == account.id, CardWriteIntent.purchase_counter == purchase.purchase_counter
        )
    )  # fmt: skip
    return any(purchase.is_from_intent(intent_id) for intent_id in intents)


def _price(ctx: OpContext, s: DbSession, account: Account) -> int | None:
    """The class's price today: what a roll-forward's sale is recorded at (the card keeps no price)."""
    tariff = current_tariff(s, account.cls, ctx.now())
    return tariff.price_e4 if tariff is not None else None


def _suspense_item(ctx: OpContext, s: DbSession, account: Account, card_serial: str, found: Found) -> str:
    payload = TopUpPayload(
        ledger_kind="sale", account_no=account.account_no, meter_no=found.meter_no or account.meter_no,
        carried_ckwh=0, reference=None, tendered_fen=None, change_fen=0, override_reason=REASON,
        approval_id=None, allocations=(),
    )  # fmt: skip
    intent = CardWriteIntent(
        intent_id=str(uuid.uuid4()), kind="top_up", account_id=account.id, card_serial=card_serial,
        purchase_counter=found.counter, amount_fen=found.amount_fen, energy_ckwh=found.energy_ckwh,
        free_ckwh=found.free_ckwh, price_e4=_price(ctx, s, account), tender=None, shift_id=None,
        operator_id=ctx.operator_id, workstation_id=ctx.workstation.id,
        created_at=ctx.now(), payload=payload.to_json(), simulated=ctx.simulated,
    )  # fmt: skip
    # Not claimed (begin_intent would block the account): the account sells on past this counter.
    add_audited(ctx, s, intent, "intent.found_on_card", account_no=account.account_no, counter=found.counter)
    mark_intent(ctx, s, intent, "suspense", reason=REASON, data={
        "source": found.source, "purchase_counter": found.counter, "amount_fen": found.amount_fen,
        "energy_ckwh": found.energy_ckwh, "free_ckwh": found.free_ckwh, "card_at": found.card_at,
        "card_tag": found.card_tag, "workstation": found.workstation, "receipt_no": found.receipt_no,
    })  # fmt: skip
    return intent.intent_id
