"""Meter clears (DOMAIN "Counter operations" 3 and 4; API.md `issue_clear_card`, `complete_clear`).

Two visits, each a card write under the intent protocol (intent kind "clear"; the payload's phase,
`ClearMakePayload` or `ClearRestorePayload`, says which visit, so recovery can roll either forward
from the intent row alone):

1. `issue_clear_card`, co-signed with a reason: the account's card becomes a clear card (清零卡) for
   its meter. Refused while the card's purchase is not loaded (PREVIOUS_NOT_LOADED): the clear
   record replaces the purchase record, so unloaded energy would be lost.
2. `complete_clear`: the clear card is back from the meter. Its write-back must be the meter's
   answer to THIS clear card (event "cleared", this meter, not older than the clear record and not
   the write-back the card already carried when it was made), otherwise WRITE_BACK_STALE. The
   remaining energy it reports is recorded (ledger "cleared", account event "cleared") and the
   card becomes the account's user card again under the same purchase counter, so the room goes on.

电表清零 without money (term end, room reallocation, module swap) is exactly these two calls with a
reason; no `refund_room` follows. The cleared energy then stays recorded and unrefunded (a later
`refund_room` may still settle it if finance decides so).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session as DbSession

from base.clock import parse_iso_moment
from base.errors import AccountClosed, CardMismatch, InputInvalid, PreviousNotLoaded, WriteBackStale
from base.validation import REASON_MAX_LEN, checked_text
from counter_app.approvals import Approval
from counter_app.context import OpContext
from counter_app.ops import card_writes
from counter_app.ops.card_reading import require_account_card
from counter_app.ops.common import add_audited, get_account, resolve_account_no, write_back_to_json
from counter_app.ops.intent_payloads import ClearMakePayload, ClearRestorePayload, clear_payload_from_json
from counter_app.results import ClearCardInfo, ClearResult
from counter_app.roles import SELLING_ROLES
from counter_app.settlement.months import require_period_open
from db.models import Account, AccountEvent, Card, CardEvent, CardWriteIntent, LedgerEntry
from db.queries import shifts as shift_queries
from hardware.card_service import CardService
from hardware.records import CardKind, CardReading, WriteBack


def required_text(value: Any, field: str, label: str) -> str:
    """A reason, a name or a number a person typed (base.validation.checked_text)."""
    if not isinstance(value, str):
        raise InputInvalid(f"请填写{label}", detail_en=f"{field} is required", field=field)
    return checked_text(value, field=field, label=label, max_len=REASON_MAX_LEN)


def period_open(ctx: OpContext, s: DbSession) -> None:
    require_period_open(s, ctx.now(), ctx.setting(s, "month_end_day"))


def open_shift_id(ctx: OpContext, s: DbSession) -> int | None:
    """The open shift of this counter, if any: a clear takes no money, so it needs none."""
    return shift_queries.open_shift_id(s, ctx.workstation.id)


def read_own_card(ctx: OpContext, account_no: str, kinds: tuple[CardKind, ...]) -> CardReading:
    """The card on the reader, settled of its open intents, which must be `account_no`'s."""
    # Import cycle: recovery reads the intent-kind table, which names commit_clear of this module.
    from counter_app.ops.recovery import resolve_card_intents

    card = ctx.devices.require_card()
    reading = card.read_card()
    if resolve_card_intents(ctx, reading):
        reading = card.read_card()
    if reading.account_no != account_no:
        raise CardMismatch(f"卡属于 {reading.account_no or '未发卡'}，不是 {account_no}",
                           detail_en=f"card is {reading.account_no or 'not issued'}, not {account_no}")  # fmt: skip
    if reading.kind not in kinds:
        raise InputInvalid(f"卡类型为 {reading.kind}", detail_en=f"the card is a {reading.kind} card",
                           data={"kind": str(reading.kind)})  # fmt: skip
    return reading


# --- visit 1: the clear card ---------------------------------------------------------------------------


def issue_clear_card(
    ctx: OpContext, *, account_no: str, reason: str, approval: Approval | None
) -> ClearCardInfo:
    reason = required_text(reason, "reason", "清零原因")
    account_no = resolve_account_no(ctx, account_no)  # an account number or a room code
    reading = read_own_card(ctx, account_no, (CardKind.USER, CardKind.CLEAR))
    purchase = reading.purchase
    if purchase is not None and not reading.loaded and purchase.energy_ckwh + purchase.free_ckwh > 0:
        raise PreviousNotLoaded(data={"purchase_counter": purchase.purchase_counter})

    def begin(s: DbSession) -> CardWriteIntent:
        ctx.require_role(s, *SELLING_ROLES)
        period_open(ctx, s)
        account = get_account(s, account_no)
        if account.status == "closed":
            raise AccountClosed(account_no)
        require_account_card(s, account, reading)
        content = {"account_no": account_no, "meter_no": account.meter_no, "card_serial": reading.card_serial,
                   "reason": reason}  # fmt: skip
        approval_id = ctx.approve(s, approval, kind="clear.issue", payload=content, reason=reason)
        clear_seq = 1 + (
            s.scalar(select(func.count(CardWriteIntent.id)).where(CardWriteIntent.kind == "clear")) or 0
        )
        wb_before = what_it_says(reading.write_back) if reading.write_back else None
        payload = ClearMakePayload(account_no=account_no, meter_no=account.meter_no, reason=reason,
                                   approval_id=approval_id, clear_seq=clear_seq, wb_before=wb_before)  # fmt: skip
        return card_writes.begin_intent(
            ctx, s, kind="clear", account=account, card_serial=reading.card_serial,
            purchase_counter=account.purchase_counter, amount_fen=0, energy_ckwh=0,
            shift_id=open_shift_id(ctx, s), payload=payload,
        )  # fmt: skip

    def write(intent: CardWriteIntent, card: CardService) -> CardReading:
        p = ClearMakePayload.from_json(intent.payload)
        return card.make_clear_card(
            card_serial=intent.card_serial, account_no=p.account_no, meter_no=p.meter_no,
            clear_seq=p.clear_seq, intent_id=intent.intent_id,
        )  # fmt: skip

    # (run_card_write: what this kind's committer returns)
    made: ClearCardInfo = card_writes.run_card_write(ctx, begin, write)
    return made


# --- visit 2: back from the meter ----------------------------------------------------------------------


def complete_clear(ctx: OpContext, *, account_no: str) -> ClearResult:
    account_no = resolve_account_no(ctx, account_no)  # an account number or a room code
    reading = read_own_card(ctx, account_no, (CardKind.CLEAR,))

    def begin(s: DbSession) -> CardWriteIntent:
        ctx.require_role(s, *SELLING_ROLES)
        period_open(ctx, s)
        account = get_account(s, account_no)
        require_account_card(s, account, reading)
        made_id, made = _make_intent_of(s, account, reading)
        wb = _fresh_clear_write_back(reading, account, made)
        payload = ClearRestorePayload(account_no=account_no, meter_no=account.meter_no, make_intent_id=made_id,
                                      cleared_ckwh=wb.remaining_ckwh, write_back=write_back_to_json(wb),
                                      reason=made.reason)  # fmt: skip
        return card_writes.begin_intent(
            ctx, s, kind="clear", account=account, card_serial=reading.card_serial,
            purchase_counter=account.purchase_counter, amount_fen=0, energy_ckwh=0,
            shift_id=open_shift_id(ctx, s), payload=payload,
        )  # fmt: skip

    def write(intent: CardWriteIntent, card: CardService) -> CardReading:
        p = ClearRestorePayload.from_json(intent.payload)
        return card.restore_user_card(
            card_serial=intent.card_serial, account_no=p.account_no, meter_no=p.meter_no,
            purchase_counter=intent.purchase_counter, intent_id=intent.intent_id,
        )  # fmt: skip

    # (run_card_write: what this kind's committer returns)
    restored: ClearResult = card_writes.run_card_write(ctx, begin, write)
    return restored


def _make_intent_of(s: DbSession, account: Account, reading: CardReading) -> tuple[str, ClearMakePayload]:
    """The committed "make" intent whose record the clear card carries: its id and payload."""
    stmt = (select(CardWriteIntent).where(CardWriteIntent.account_id == account.id, CardWriteIntent.kind == "clear")
            .order_by(CardWriteIntent.id.desc()))  # fmt: skip
    for intent in s.scalars(stmt):
        payload = clear_payload_from_json(intent.payload)
        if (
            isinstance(payload, ClearMakePayload)
            and reading.record
            and reading.record.is_from_intent(intent.intent_id)
        ):
            return intent.intent_id, payload
    raise InputInvalid(
        "清零卡不是本系统为该账户制作的", detail_en="the clear card was not made for this account"
    )


def what_it_says(wb: WriteBack) -> dict[str, Any]:
    """Everything a write-back says: its figures AND its event and meter. A "loaded" and a "cleared"
    write-back stamped in the same second with the same figures (nothing used since the load) are
    different answers, so a comparison of the figures and the time alone would call the genuine clear
    stale."""
    return {**write_back_to_json(wb), "event": wb.event, "meter_no": wb.meter_no}


def _unchanged_since_made(wb: WriteBack, before: dict[str, Any] | None) -> bool:
    """The card still carries the write-back it had when it was made a clear card. A make payload
    stored before `event` and `meter_no` were recorded is compared on the keys it has."""
    if before is None:
        return False
    said = what_it_says(wb)
    return all(said.get(key) == value for key, value in before.items())


def _fresh_clear_write_back(reading: CardReading, account: Account, made: ClearMakePayload) -> WriteBack:
    wb = reading.write_back
    fresh = (
        wb is not None and not reading.write_back_torn and wb.event == "cleared" and wb.error is None
        and wb.meter_no == account.meter_no
        and reading.record is not None and wb.at >= reading.record.at  # (the clear card's record, found)
        and not _unchanged_since_made(wb, made.wb_before)
    )  # fmt: skip
    if not fresh or wb is None:
        raise WriteBackStale("清零卡尚未插入电表", detail_en="the clear card has not been in the meter yet")
    return wb


# --- commits (also run by recovery) ----------------------------------------------------------------------


def commit_clear(ctx: OpContext, s: DbSession, intent: CardWriteIntent, recovered: bool) -> Any:
    payload = clear_payload_from_json(intent.payload)
    if isinstance(payload, ClearMakePayload):
        return _commit_make(ctx, s, intent, payload)
    return _commit_restore(ctx, s, intent, payload)


def _commit_make(ctx: OpContext, s: DbSession, intent: CardWriteIntent, p: ClearMakePayload) -> ClearCardInfo:
    card = _set_card_kind(s, intent.card_serial, "clear")
    if card is not None:
        event = CardEvent(card_id=card.id, kind="made_clear", account_id=intent.account_id, at=ctx.now(),
                          operator_id=intent.operator_id, workstation_id=intent.workstation_id,
                          approval_id=p.approval_id, reason=p.reason,
                          data={"meter_no": p.meter_no, "clear_seq": p.clear_seq, "intent_id": intent.intent_id})  # fmt: skip
        add_audited(ctx, s, event, "card.made_clear", account_no=p.account_no)
    return ClearCardInfo(account_no=p.account_no, card_serial=intent.card_serial)


def _commit_restore(
    ctx: OpContext, s: DbSession, intent: CardWriteIntent, p: ClearRestorePayload
) -> ClearResult:
    now = ctx.now()
    cleared = p.cleared_ckwh
    entry = LedgerEntry(
        kind="cleared", account_id=intent.account_id, fen=0, energy_ckwh=cleared, operator_id=intent.operator_id,
        shift_id=intent.shift_id, workstation_id=intent.workstation_id, at=now, intent_id=intent.intent_id,
        reason=p.reason, simulated=intent.simulated,
        data={"source": "clear_card", "meter_no": p.meter_no, "write_back": p.write_back},
    )  # fmt: skip
    add_audited(ctx, s, entry, "ledger.cleared", account_no=p.account_no, energy_ckwh=cleared)
    _account_event(ctx, s, intent, p, "cleared", {"cleared_ckwh": cleared, "ledger_entry_id": entry.id,
                                                  "meter_no": p.meter_no, "source": "clear_card"})  # fmt: skip
    # The meter now holds nothing: remember that as the last write-back seen (estimates start at 0).
    _account_event(ctx, s, intent, p, "write_back_seen", {**p.write_back, "remaining_ckwh": 0})
    _set_card_kind(s, intent.card_serial, "user")
    at = p.write_back.get("at")  # the meter's answer as stored (write_back_to_json), not the intent payload
    return ClearResult(account_no=p.account_no, cleared_ckwh=cleared, at=parse_iso_moment(at) if at else now)


def _account_event(ctx: OpContext, s: DbSession, intent: CardWriteIntent, p: ClearRestorePayload, kind: str,
                   data: dict[str, Any]) -> None:  # fmt: skip
    event = AccountEvent(account_id=intent.account_id, kind=kind, at=ctx.now(), operator_id=intent.operator_id,
                         workstation_id=intent.workstation_id, reason=p.reason, data=data)  # fmt: skip
    add_audited(ctx, s, event, f"account.{kind}", account_no=p.account_no)


def _set_card_kind(s: DbSession, serial: str, kind: str) -> Card | None:
    card = s.scalar(select(Card).where(Card.serial == serial))
    if card is not None and card.kind != kind:
        card.kind = kind
        s.flush()
    return card
