"""Crash-safe card writes: the intent protocol of shared notes/reliability.md §1.

    1. begin   (transaction 1) checks, approvals, claim the account, insert the intent, commit;
    2. write   (no transaction) write the inactive slot, read back, verify the MAC and content, with
             the card service bound to the account's meter model (the profile its cards are in);
    3. commit  (transaction 2) ledger, receipt number, print job, intent "committed", release;
    4. print   (no transaction) the durable print job goes to the printer.

If the process dies between 1 and 3, the intent stays open and the account stays claimed (no
other counter can sell onto it). Recovery (counter_app.ops.recovery) reads the card: a record
carrying this intent's tag → run the same commit (roll forward, receipt marked recovered); the old
record → abort; no card → still open. The commit of each intent kind, its payload type and its
recovery rule are in one table, counter_app/ops/intent_kinds.py; a commit must be computable from
the intent row alone (columns + typed payload, counter_app/ops/intent_payloads.py), because recovery
may run in another process, perhaps of a later version.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session as DbSession

from base import crashpoints
from base.errors import AccountBusy, CardRemoved, SaleNotRecorded, UserFacingError
from counter_app import row_census
from counter_app.context import OpContext
from counter_app.logs import new_log_id
from counter_app.ops.common import add_audited
from counter_app.ops.intent_payloads import IntentPayload
from db import transaction_memo
from db.models import Account, CardWriteIntent, IntentEvent
from db.models.intents import INTENT_FINAL_STATES
from db.queries.accounts import claim_account, release_account
from db.queries.intents import forget_state, intent_with_state
from db.queries.rows import one_by_id
from hardware.card_service import CardService
from hardware.records import CardReading

log = logging.getLogger(__name__)


_CLAIMED = "claimed_accounts"  # (db/transaction_memo.py)


def begin_intent(
    ctx: OpContext,
    s: DbSession,
    *,
    kind: str,
    account: Account,
    card_serial: str,
    purchase_counter: int,
    amount_fen: int,
    energy_ckwh: int,
    free_ckwh: int = 0,
    price_e4: int | None = None,
    tender: str | None = None,
    shift_id: int | None,
    payload: IntentPayload,
) -> CardWriteIntent:
    """Claim the account for a new intent and insert it. ACCOUNT_BUSY when another intent (this
    counter's or another's) holds the account. The payload is stored as its `to_json()`."""
    intent_id = str(uuid.uuid4())
    now = ctx.now()
    # The result's commit (after the card write) counts its rows (print jobs, pages...): a census
    # tampered with is refused now, before the card holds anything, not as SALE_NOT_RECORDED.
    row_census.check_census(s)
    if not claim_account(s, account.id, intent_id, workstation_id=ctx.workstation.id, at=now):
        raise AccountBusy(account.account_no, data={"busy_intent_id": account.busy_intent_id})
    # The session's identity map holds objects weakly; kept for the transaction, the claimed account
    # stays in it (run_card_write asks for it again: no second read).
    claimed: list[Account] = transaction_memo.recall_or_keep(s, _CLAIMED, list)
    claimed.append(account)
    intent = CardWriteIntent(
        intent_id=intent_id, kind=kind, account_id=account.id, card_serial=card_serial,
        purchase_counter=purchase_counter, amount_fen=amount_fen, energy_ckwh=energy_ckwh,
        free_ckwh=free_ckwh, price_e4=price_e4, tender=tender, shift_id=shift_id,
        operator_id=ctx.operator_id, workstation_id=ctx.workstation.id, created_at=now,
        payload=payload.to_json(), simulated=ctx.simulated,
    )  # fmt: skip
    return add_audited(ctx, s, intent, "intent.begun", intent_kind=kind, account_no=account.account_no)


def mark_intent(
    ctx: OpContext, s: DbSession, intent: CardWriteIntent, state: str, *,
    reason: str | None = None, approval_id: int | None = None, data: dict[str, Any] | None = None,
) -> IntentEvent:  # fmt: skip
    """A new state event; a final state releases the account's claim."""
    event = IntentEvent(
        intent_id=intent.intent_id, state=state, at=ctx.now(),
        operator_id=ctx.operator.id if ctx.operator else None, workstation_id=ctx.workstation.id,
        approval_id=approval_id, reason=reason, data=data,
    )  # fmt: skip
    forget_state(s, intent.intent_id)
    if state in INTENT_FINAL_STATES:
        # First: with the account loaded, the release joins the account's pending UPDATE, which
        # the event's flush then sends (one UPDATE, not two; issue 16).
        release_account(s, intent.account_id, intent.intent_id)
    add_audited(ctx, s, event, f"intent.{state}", intent_id=intent.intent_id)
    return event


def intent_row(s: DbSession, intent_id: str) -> CardWriteIntent:
    return intent_with_state(s, intent_id)  # (a commit asks its state too: _selling_shift)


# Step 2 of an intent: given the intent and the card service bound to the account's meter model.
CardWrite = Callable[[CardWriteIntent, CardService], CardReading]


def write_purchase_record(
    card: CardService, intent: CardWriteIntent, account_no: str, meter_no: str
) -> CardReading:
    """Step 2 (no transaction open): the purchase record the intent describes, read back and checked.
    The record carries the intent's tag so recovery recognises it."""
    try:
        reading = card.write_purchase(
            card_serial=intent.card_serial, account_no=account_no, meter_no=meter_no,
            purchase_counter=intent.purchase_counter, energy_ckwh=intent.energy_ckwh,
            free_ckwh=intent.free_ckwh, amount_fen=intent.amount_fen, intent_id=intent.intent_id,
            at=intent.created_at,
        )  # fmt: skip
    except CardRemoved:
        # The sweep tears the write (simulator: card pulled at byte N) and dies right there.
        crashpoints.crash_point("mid_card_write")
        raise
    return reading


def run_card_write(
    ctx: OpContext,
    begin: Callable[[DbSession], CardWriteIntent],
    write: CardWrite,
) -> Any:
    """Steps 1–3 for one intent; returns what the kind's committer returns. `write` gets the card
    service bound to the account's meter model (chosen here, per operation, not per workstation).

    A failure after the intent was committed keeps the intent open and raises with `.intent_id`:
    a card pulled mid-write (CARD_REMOVED) is retried or voided with the customer still there.
    """
    with ctx.uow() as s:
        intent = begin(s)
        # Chosen before the intent commits: an unknown model (a profile package missing on this
        # PC) refuses the operation instead of leaving an intent open. (begin_intent keeps the
        # claimed account in this session, so this is no second read of it.)
        card = account_card(ctx, one_by_id(s, Account, intent.account_id))
    crashpoints.crash_point("after_intent")
    return write_and_commit(ctx, intent, lambda: write(intent, card))


def write_and_commit(ctx: OpContext, intent: CardWriteIntent, write: Callable[[], CardReading]) -> Any:
    """Steps 2 and 3 once the intent is committed: `write` the card, check the record it now
    carries is this intent's, commit. A device error leaves the intent open (with `.intent_id`)
    unless the device said nothing was written."""
    try:
        reading = write()
    except UserFacingError as error:
        error.intent_id = intent.intent_id
        _abort_if_untouched(ctx, intent, error)
        raise
    if not _carries(reading, intent):
        raise CardRemoved("卡上的记录与本次写卡不符", detail_en="card record does not match the write",
                          intent_id=intent.intent_id)  # fmt: skip
    crashpoints.crash_point("before_commit")
    return commit_intent(ctx, intent.intent_id, recovered=False)


def account_card(ctx: OpContext, account: Account) -> CardService:
    """The card service writing in `account`'s meter model's format."""
    return ctx.devices.require_card().for_model(account.meter_model)


def commit_intent(ctx: OpContext, intent_id: str, *, recovered: bool) -> Any:
    """Step 3: the kind's committer in one transaction, then the intent is committed.

    The card already holds the record here, so whatever stops this transaction (a lock held too
    long, a full disk, a dropped connection, a bug) is `SALE_NOT_RECORDED` carrying the intent id:
    the cashier must not hand the money back, the intent stays open and recovery records the sale
    at the next read of the card or the next start. The original error is logged with an id."""
    # Import cycle: the table names every kind's commit, and those modules run their card writes
    # through this module (run_card_write); the table is read when a commit runs, not at import.
    from counter_app.ops.intent_kinds import committer_for

    try:
        with ctx.uow() as s:
            intent = intent_row(s, intent_id)
            result = committer_for(intent.kind)(ctx, s, intent, recovered)
            mark_intent(ctx, s, intent, "rolled_forward" if recovered else "committed")
    except Exception as error:  # noqa: BLE001 - every failure after the card write is this one code
        raise sale_not_recorded(intent_id, error) from error
    return result


def sale_not_recorded(intent_id: str, error: BaseException) -> UserFacingError:
    """`SALE_NOT_RECORDED` for `intent_id`, with the logged cause (its code when it has one)."""
    log_id = new_log_id()
    cause = error.code if isinstance(error, UserFacingError) else "INTERNAL"
    log.error("sale not recorded, intent %s kept open (log %s, cause %s)", intent_id, log_id, cause,
              exc_info=(type(error), error, error.__traceback__))  # fmt: skip
    return SaleNotRecorded(
        f"写卡编号 {intent_id}（原因 {cause}，日志 {log_id}）",
        detail_en=f"intent {intent_id} (cause {cause}, log {log_id})",
        intent_id=intent_id, data={"cause": cause, "log_id": log_id},
    )  # fmt: skip


def _carries(reading: CardReading, intent: CardWriteIntent) -> bool:
    record = reading.record
    return record is not None and record.is_from_intent(intent.intent_id)


def _abort_if_untouched(ctx: OpContext, intent: CardWriteIntent, error: UserFacingError) -> None:
    """When the device said clearly that nothing was written (no card, refused before any write),
    abort at once so the account is free; when the outcome is unknown, leave the intent open."""
    nothing_written = error.code in ("CARD_ABSENT", "CARD_MISMATCH", "CARD_MAC", "CARD_LOCKED",
                                     "CARD_PSC_WRONG", "CARD_BLACKLISTED")  # fmt: skip
    if error.data.get("outcome") == "none":  # the device, or the card session, knows only reads went out
        nothing_written = True
    if not nothing_written:
        return
    try:
        with ctx.uow() as s:
            mark_intent(ctx, s, intent_row(s, intent.intent_id), "aborted", reason=error.code)
        error.intent_id = None
    except Exception:  # the intent stays open; recovery will settle it from the card
        log.exception("could not abort intent %s", intent.intent_id)
