"""Recovery of card writes that did not finish (API.md `recover`, run by `open_counter` and at every
card read): each open intent is settled from the card.

- the card carries the intent's own record (its tag) → the write happened: roll forward, i.e. run
  the intent kind's commit now (ledger, numbered receipt marked recovered, print job);
- the card carries another record → the write never landed: abort (the cash goes back; the
  aborted intent shows as a void on the X/Z reports);
- the card is not on the reader → still open: the account stays blocked until the card comes back
  or a supervisor moves the intent to suspense.
Intents in suspense are settled only by `resolve_suspense` (a supervisor's decision). The rule of
each kind is stated in the intent-kind table (counter_app/ops/intent_kinds.py), looked up here.
"""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session as DbSession

from base.errors import CardAbsent, DeviceOffline, UserFacingError
from counter_app.context import OpContext
from counter_app.results import RecoveryResult
from db.models import Account, CardWriteIntent
from db.queries.intents import unfinished_intents
from hardware.records import CardReading

log = logging.getLogger(__name__)

SETTLED_BY_CARD = ("open", "card_written")


def recover_workstation(ctx: OpContext) -> list[RecoveryResult]:
    with ctx.reading() as s:
        pending = [(i.intent_id, _account_no(s, i)) for i, st in unfinished_intents(s, workstation_id=ctx.workstation.id)
                   if st in SETTLED_BY_CARD]  # fmt: skip
    if not pending:
        return []
    reading = _card_on_reader(ctx)
    return [_settle(ctx, intent_id, account_no, reading) for intent_id, account_no in pending]


def resolve_card_intents(ctx: OpContext, reading: CardReading) -> bool:
    """Settle the open intents of the card just read (any workstation's); True if any was settled."""
    with ctx.reading() as s:
        pending = pending_card_intents(s, reading)
    return settle_card_intents(ctx, pending, reading)


def pending_card_intents(s: DbSession, reading: CardReading) -> list[tuple[str, str]]:
    """(intent id, account no) of the open intents of the card just read, any workstation's."""
    return [(i.intent_id, _account_no(s, i)) for i, st in unfinished_intents(s, card_serial=reading.card_serial)
            if st in SETTLED_BY_CARD]  # fmt: skip


def settle_card_intents(ctx: OpContext, pending: list[tuple[str, str]], reading: CardReading) -> bool:
    """Settle `pending` (from `pending_card_intents`) by the card; True if any was settled."""
    results = [_settle(ctx, intent_id, account_no, reading) for intent_id, account_no in pending]
    return any(r.action != "still_open" for r in results)


def _settle(ctx: OpContext, intent_id: str, account_no: str, reading: CardReading | None) -> RecoveryResult:
    # Here, not at the top: the open of every counter runs `recover_workstation`, which nearly always
    # finds nothing to settle; the commit of every intent kind (and the modules each brings) loads
    # only when there is one (issue 16: the login window waits for the open).
    from counter_app.ops.card_writes import commit_intent, intent_row, mark_intent
    from counter_app.ops.intent_kinds import Settle, recovery_rule

    with ctx.reading() as s:
        intent = intent_row(s, intent_id)
        card_serial, rule = intent.card_serial, recovery_rule(intent.kind)
    if reading is None or reading.card_serial != card_serial:
        action = rule.no_card
    elif reading.record is not None and reading.record.is_from_intent(intent_id):
        action = rule.own_record
    else:
        action = rule.other_record
    receipt_no = None
    if action is Settle.ROLL_FORWARD:
        result = commit_intent(ctx, intent_id, recovered=True)
        receipt_no = getattr(result, "receipt_no", None)
    elif action is Settle.ABORT:
        with ctx.uow() as s:
            mark_intent(ctx, s, intent_row(s, intent_id), "aborted", reason="card shows the previous record")
    return RecoveryResult(intent_id, account_no, action.value, receipt_no)


def _card_on_reader(ctx: OpContext) -> CardReading | None:
    if ctx.devices.card is None:
        return None
    try:
        return ctx.devices.card.read_card()
    except (CardAbsent, DeviceOffline):
        return None
    except UserFacingError as error:  # a foreign or damaged card settles nothing
        log.info("recovery: card on the reader not usable: %s", error)
        return None


def _account_no(s: DbSession, intent: CardWriteIntent) -> str:
    account = s.get(Account, intent.account_id)
    return account.account_no if account else ""
