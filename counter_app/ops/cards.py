"""User cards: card stock rows, the blacklist, and issuing a blank card to an account.

Card stock (DOMAIN "The card and the meter"): every card the counter has seen has a `cards` row
with its current status and an append-only `card_events` history (received → issued → lost /
replaced; spoiled; locked; made_tool). The card-stock report replays the events, so every status
change here writes one.

Issuing is a card write, so it follows the intent protocol (counter_app.ops.card_writes): the
intent is committed before the card is touched and its committer (registered below for "issue";
counter_app.ops.card_replacement for "replace_card") is computed from the intent row alone.
"""

from __future__ import annotations

from functools import cache
from typing import Any, TypedDict

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session as DbSession

from base.errors import AccountClosed, CardBlacklisted, CardMismatch, InputInvalid
from counter_app import row_seals
from counter_app.context import OpContext
from counter_app.ops.card_writes import begin_intent, run_card_write
from counter_app.ops.common import add_audited, get_account
from counter_app.ops.intent_payloads import IssuePayload
from counter_app.results import CardInfo
from db.models import Account, AccountEvent, Card, CardEvent, CardWriteIntent
from hardware.card_service import CardService
from hardware.records import CardKind, CardReading

# DOMAIN "People and roles": cashiers (and 监督人, who may do all a cashier may) handle cards.
CARD_ROLES = ("cashier", "supervisor")
# A card in one of these states must never take a sale (挂失 = blacklisted at once; a locked or
# spoiled card is void). The one definition: the sales path (card_reading) uses it too.
BLACKLISTED_STATUSES = ("lost", "locked", "spoiled")


# --- card stock -----------------------------------------------------------------------------------


def card_row(s: DbSession, serial: str) -> Card | None:
    return s.execute(_card_row(), {"serial": serial}).scalar_one_or_none()


@cache
def _card_row() -> Select[tuple[Card]]:  # every sale asks: built once (db/queries/accounts.py says why)
    return select(Card).where(Card.serial == bindparam("serial"))


def card_blacklisted(s: DbSession, serial: str) -> bool:
    """True when the card was reported lost (or replaced): the sales path refuses it
    (CARD_BLACKLISTED). Cards the counter never recorded (legacy cards) are not blacklisted."""
    card = row_seals.check(s, card_row(s, serial))  # a status changed by SQL: TAMPERED
    return card is not None and card.status in BLACKLISTED_STATUSES


def require_not_blacklisted(s: DbSession, serial: str) -> None:
    if card_blacklisted(s, serial):
        raise CardBlacklisted(f"卡号 {serial}", detail_en=f"card {serial}", data={"card_serial": serial})


class IntentActor(TypedDict, total=False):
    """Who made a card-write intent: its committer names them, as recovery may commit it with nobody
    logged in."""

    operator_id: int | None
    workstation_id: int | None


def intent_actor(intent: CardWriteIntent) -> IntentActor:
    return {"operator_id": intent.operator_id, "workstation_id": intent.workstation_id}


def card_event(
    ctx: OpContext, s: DbSession, card: Card, kind: str, *, account_id: int | None = None,
    operator_id: int | None = None, workstation_id: int | None = None, approval_id: int | None = None,
    reason: str | None = None, data: dict[str, Any] | None = None,
) -> CardEvent:  # fmt: skip
    """One step of a card's history. Recovery may run a committer with no operator logged in, so
    the caller may name the operator and workstation of the intent instead."""
    event = CardEvent(
        card_id=card.id, kind=kind, account_id=account_id, at=ctx.now(),
        operator_id=operator_id if operator_id is not None else _operator_id(ctx),
        workstation_id=workstation_id or ctx.workstation.id, approval_id=approval_id, reason=reason, data=data,
    )  # fmt: skip
    return add_audited(ctx, s, event, f"card.{kind}", card_serial=card.serial)


def account_event(
    ctx: OpContext, s: DbSession, account: Account, kind: str, *, operator_id: int | None = None,
    workstation_id: int | None = None, approval_id: int | None = None, reason: str | None = None,
    data: dict[str, Any] | None = None,
) -> AccountEvent:  # fmt: skip
    event = account_event_row(ctx, account, kind, operator_id=operator_id, workstation_id=workstation_id,
                              approval_id=approval_id, reason=reason, data=data)  # fmt: skip
    return add_audited(ctx, s, event, f"account.{kind}", account_no=account.account_no)


def account_event_row(
    ctx: OpContext, account: Account, kind: str, *, operator_id: int | None = None,
    workstation_id: int | None = None, approval_id: int | None = None, reason: str | None = None,
    data: dict[str, Any] | None = None,
) -> AccountEvent:  # fmt: skip
    """The event row, not yet added (bulk imports add many, then chain them with audit.record_many)."""
    return AccountEvent(
        account_id=account.id, kind=kind, at=ctx.now(),
        operator_id=operator_id if operator_id is not None else _operator_id(ctx),
        # None from the admin command line (counter_app.context: "not at a counter").
        workstation_id=workstation_id or ctx.workstation_id, approval_id=approval_id, reason=reason, data=data,
    )  # fmt: skip


def _operator_id(ctx: OpContext) -> int | None:
    return ctx.operator.id if ctx.operator else None


def receive_card(ctx: OpContext, s: DbSession, serial: str) -> Card:
    """The card's stock row; a card seen for the first time is recorded as received blank stock."""
    card = card_row(s, serial)
    if card is None:
        card = Card(
            serial=serial, status="blank", kind="user", simulated=ctx.simulated, received_at=ctx.now()
        )
        s.add(card)
        s.flush()
        card_event(ctx, s, card, "received")
    return card


def mark_card_locked(ctx: OpContext, serial: str, reason: str) -> None:
    """A card the reader reports locked for ever leaves usable stock (its own transaction)."""
    with ctx.uow() as s:
        card = receive_card(ctx, s, serial)
        if card.status != "locked":
            card.status = "locked"
            card_event(ctx, s, card, "locked", account_id=card.account_id, reason=reason)


# --- checks before a blank card is written ------------------------------------------------------------


def check_new_card(ctx: OpContext, s: DbSession, reading: CardReading, account: Account) -> Card:
    """The card on the reader may become `account`'s card: blank, or a card whose issue to this
    same account was cut short after the write (its stock row is still blank). Records the card
    as received stock. CARD_BLACKLISTED for a lost card, INPUT_INVALID for anything else."""
    serial = reading.card_serial
    require_not_blacklisted(s, serial)
    card = card_row(s, serial)
    if card is not None and card.status in ("locked", "spoiled"):
        raise InputInvalid(f"此卡已登记为{_STATUS_ZH[card.status]}，不能发卡", field="card",
                           detail_en=f"card {serial} is recorded as {card.status}")  # fmt: skip
    if reading.kind == CardKind.BLANK:
        return receive_card(ctx, s, serial)
    resumable = (
        reading.kind == CardKind.USER and reading.account_no == account.account_no
        and card is not None and card.status == "blank"
    )  # fmt: skip
    if card is None or not resumable:  # (resumable implies a card row: the check narrows the type)
        raise InputInvalid(
            f"读卡器上的卡不是空白卡（{_KIND_ZH.get(str(reading.kind), reading.kind)}），请放空白卡",
            detail_en=f"the card on the reader is not blank ({reading.kind}); place a blank card",
            field="card", data={"card_serial": serial, "kind": str(reading.kind)},
        )  # fmt: skip
    return card


_STATUS_ZH = {"locked": "锁死卡", "spoiled": "废卡"}
_KIND_ZH = {"user": "用户卡", "clear": "清零卡", "check": "检查卡", "parameter": "参数卡"}


def require_card_for_new_issue(s: DbSession, account: Account) -> None:
    """A first issue only: an account whose card we issued goes through 挂失/补卡 (replace_card),
    which carries an unloaded purchase and charges the fee. A card serial taken over from the
    legacy system (no stock row) may be superseded by a first issue of ours."""
    if account.status == "closed":
        raise AccountClosed(account.account_no)
    if not account.card_serial:
        return
    current = card_row(s, account.card_serial)
    if current is None or current.account_id != account.id:
        return
    raise InputInvalid(
        f"账户已有卡（{account.card_serial}），丢失或损坏请办理挂失/补卡",
        detail_en=f"the account already has card {account.card_serial}; use report_lost_card/replace_card",
        field="account_no", data={"card_serial": account.card_serial},
    )  # fmt: skip


def ensure_sim_meter(ctx: OpContext, meter_no: str, counter: int, meter_model: str | None = None) -> None:
    """Simulate mode: the simulator learns a meter the first time a card is made for it, standing at
    the account's counter (the real meter would be there), of the account's meter model, so a demo
    database needs no installs."""
    sim = ctx.devices.sim
    if sim is not None and not sim.meter_exists(meter_no):
        sim.install_meter(meter_no, counter=counter, model=meter_model)


# --- writing the new card (no transaction open) -----------------------------------------------------


def write_new_user_card(
    ctx: OpContext, service: CardService, intent: CardWriteIntent, *, account_no: str, meter_no: str,
    meter_counter: int, record_amount_fen: int = 0,
) -> CardReading:  # fmt: skip
    """Blank → the account's user card carrying the intent's record (counter, and for a replacement
    the unloaded purchase, whose money `record_amount_fen` the record shows). The last record
    written carries the intent's tag, so recovery rolls forward only when the whole write is on the
    card. `meter_counter`: where a simulated meter met for the first time stands."""
    ensure_sim_meter(ctx, meter_no, meter_counter, service.profile.name)
    current = service.read_card()
    if current.card_serial != intent.card_serial:
        raise CardMismatch(f"卡号 {current.card_serial}", detail_en=f"card {current.card_serial} on the reader",
                           data={"card_serial": current.card_serial})  # fmt: skip
    has_energy = intent.energy_ckwh > 0 or intent.free_ckwh > 0
    if current.kind == CardKind.BLANK:
        # With energy to carry, the issue record gets its own tag: a crash between the two writes
        # must not look like a finished replacement.
        issue_tag_id = f"{intent.intent_id}:issue" if has_energy else intent.intent_id
        current = service.issue_card(account_no=account_no, meter_no=meter_no,
                                     purchase_counter=intent.purchase_counter, intent_id=issue_tag_id)  # fmt: skip
        if not has_energy:
            return current
    return service.write_purchase(
        card_serial=intent.card_serial, account_no=account_no, meter_no=meter_no,
        purchase_counter=intent.purchase_counter, energy_ckwh=intent.energy_ckwh, free_ckwh=intent.free_ckwh,
        amount_fen=record_amount_fen, intent_id=intent.intent_id,
    )  # fmt: skip


def read_for_new_card(ctx: OpContext) -> CardReading:
    return ctx.devices.require_card().read_card()


# --- committing a new card (from the intent row alone) ------------------------------------------------


def attach_card(
    ctx: OpContext, s: DbSession, intent: CardWriteIntent, *, recovered: bool
) -> tuple[Account, Card]:
    """The written card becomes the account's card in the database."""
    account = s.get_one(Account, intent.account_id)
    card = receive_card(ctx, s, intent.card_serial)
    card.status, card.kind, card.account_id, card.meter_no = "issued", "user", account.id, None
    card.simulated = card.simulated or intent.simulated
    account.card_serial = intent.card_serial
    account.simulated = account.simulated or intent.simulated
    who = intent_actor(intent)
    card_event(ctx, s, card, "issued", account_id=account.id, **who,
               data={"purchase_counter": intent.purchase_counter, "intent_id": intent.intent_id,
                     "recovered": recovered})  # fmt: skip
    return account, card


def card_info_from_intent(
    intent: CardWriteIntent, account_no: str, receipt_no: str | None = None
) -> CardInfo:
    carries = intent.energy_ckwh > 0 or intent.free_ckwh > 0
    return CardInfo(
        card_serial=intent.card_serial, kind="user", account_no=account_no,
        purchase_counter=intent.purchase_counter,
        loaded=False if carries else None,  # None: the record holds no energy to load
        write_back=None, receipt_no=receipt_no, simulated=bool(intent.simulated),
    )  # fmt: skip


def commit_issue(ctx: OpContext, s: DbSession, intent: CardWriteIntent, recovered: bool) -> CardInfo:
    p = IssuePayload.from_json(intent.payload)
    account, card = attach_card(ctx, s, intent, recovered=recovered)
    account_event(ctx, s, account, "card_issued", operator_id=intent.operator_id,
                  workstation_id=intent.workstation_id,
                  data={"card_serial": card.serial, "previous_serial": p.previous_serial,
                        "purchase_counter": intent.purchase_counter, "recovered": recovered})  # fmt: skip
    return card_info_from_intent(intent, account.account_no)


# --- issue_card -----------------------------------------------------------------------------------------


def issue_card(ctx: OpContext, account_no: str) -> CardInfo:
    """A blank card on the reader becomes the account's card, continuing the account's counter."""
    reading = read_for_new_card(ctx)  # no transaction open during device I/O

    def begin(s: DbSession) -> CardWriteIntent:
        ctx.require_role(s, *CARD_ROLES)
        account = get_account(s, account_no)
        require_card_for_new_issue(s, account)
        check_new_card(ctx, s, reading, account)
        return begin_intent(
            ctx, s, kind="issue", account=account, card_serial=reading.card_serial,
            purchase_counter=account.purchase_counter, amount_fen=0, energy_ckwh=0, shift_id=None,
            payload=IssuePayload(account.account_no, account.meter_no, previous_serial=account.card_serial),
        )  # fmt: skip

    def write(intent: CardWriteIntent, card: CardService) -> CardReading:
        p = IssuePayload.from_json(intent.payload)
        return write_new_user_card(ctx, card, intent, account_no=p.account_no, meter_no=p.meter_no,
                                   meter_counter=intent.purchase_counter)  # fmt: skip

    # (run_card_write: what this kind's committer returns)
    done: CardInfo = run_card_write(ctx, begin, write)
    return done
