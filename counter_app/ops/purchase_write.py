"""A purchase record's card write (top-up, free-energy visit) with the card read while the intent
commits (issue 16).

The write half of a top-up starts by powering the card on and reading it whole, to check in the
same power session that it is still the card the sale was begun for: about two thirds of the sale's
reader bytes, ~25 ms at 115200 Bd, ~280 ms at 9600. Nothing in that read needs the intent, so it
runs on the reader while the intent's transaction runs here; the card session then waits
(`CardService.write_purchase_when_ready`) and nothing that changes the card — the PSC presentation,
the write — is sent before the intent is committed. The protocol of card_writes.py is unchanged:
intent durable → card written → result committed; a crash after the intent leaves a card untouched
or carrying the record, as before (the crash-point sweep is the judge).

Falls back to the plain order (card_writes.run_card_write) when the account's meter model is not
known before the intent (no such account: the intent's own checks refuse it), when the model the
card was read in is not the account's any more, or when the card session gave up waiting.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from sqlalchemy.orm import Session as DbSession

from base import crashpoints
from base.errors import CardRemoved, UserFacingError
from counter_app.context import OpContext
from counter_app.ops import card_writes
from db.models import Account, CardWriteIntent
from db.queries.rows import one_by_id
from hardware.card_service import CardService, PurchaseOrder
from hardware.records import CardReading

log = logging.getLogger(__name__)

# How long a card session waits for its intent: far beyond any commit; then it ends with nothing
# written and the write runs in a session of its own (a person never waits on this).
GATE_TIMEOUT_S = 30.0
# Threads that only wait for the reader's own device thread (hardware/device_thread.py does the I/O).
_WRITE_AHEAD = ThreadPoolExecutor(max_workers=2, thread_name_prefix="card-write-ahead")

MeterOf = Callable[[CardWriteIntent], str]


class _Gate:
    """Where the card session waits for the committed intent's record (None: write nothing)."""

    def __init__(self) -> None:
        self._opened = threading.Event()
        self._order: PurchaseOrder | None = None

    def open(self, order: PurchaseOrder | None) -> None:
        self._order = order
        self._opened.set()

    def wait(self) -> PurchaseOrder | None:
        return self._order if self._opened.wait(GATE_TIMEOUT_S) else None


def run_purchase_write(
    ctx: OpContext, *, begin: Callable[[DbSession], CardWriteIntent], account_no: str, reading: CardReading,
    meter_model: str | None, model_known: bool, meter_of: MeterOf,
) -> Any:  # fmt: skip
    """card_writes.run_card_write for a purchase record, the card read while `begin` commits."""
    card = _card_for(ctx, meter_model) if model_known else None
    if card is None:
        return card_writes.run_card_write(ctx, begin=begin, write=_plain_write(account_no, meter_of))
    gate = _Gate()
    session = _WRITE_AHEAD.submit(
        card.write_purchase_when_ready,
        card_serial=reading.card_serial,
        account_no=account_no,
        ready=gate.wait,
    )
    try:
        with ctx.uow() as s:
            intent = begin(s)
            account = one_by_id(s, Account, intent.account_id)
            same = account.meter_model == meter_model and intent.card_serial == reading.card_serial
            # As run_card_write: an unknown model refuses before the intent commits.
            bound = card if same else card_writes.account_card(ctx, account)
    except BaseException:
        _end_unused(gate, session)
        raise
    crashpoints.crash_point("after_intent")
    if not same:
        _end_unused(gate, session)
        return card_writes.write_and_commit(ctx, intent, lambda: _write(bound, intent, account_no, meter_of))
    gate.open(_order(intent, meter_of(intent)))
    return card_writes.write_and_commit(
        ctx, intent, lambda: _finish(session, bound, intent, account_no, meter_of)
    )


def _card_for(ctx: OpContext, meter_model: str | None) -> CardService | None:
    """The card service for `meter_model`, or None (no reader, an unknown model: the plain order
    refuses at the point it always has)."""
    try:
        return ctx.devices.require_card().for_model(meter_model)
    except UserFacingError:
        return None


def _order(intent: CardWriteIntent, meter_no: str) -> PurchaseOrder:
    return PurchaseOrder(
        meter_no=meter_no, purchase_counter=intent.purchase_counter, energy_ckwh=intent.energy_ckwh,
        free_ckwh=intent.free_ckwh, amount_fen=intent.amount_fen, intent_id=intent.intent_id,
        at=intent.created_at,
    )  # fmt: skip


def _finish(
    session: Future[CardReading | None], card: CardService, intent: CardWriteIntent, account_no: str,
    meter_of: MeterOf,
) -> CardReading:  # fmt: skip
    try:
        written = session.result()
    except CardRemoved:
        # The sweep tears the write (simulator: card pulled at byte N) and dies right there.
        crashpoints.crash_point("mid_card_write")
        raise
    # None: the session stopped waiting (GATE_TIMEOUT_S) having sent only reads: a session of its own.
    return written if written is not None else _write(card, intent, account_no, meter_of)


def _write(card: CardService, intent: CardWriteIntent, account_no: str, meter_of: MeterOf) -> CardReading:
    return card_writes.write_purchase_record(card, intent, account_no, meter_of(intent))


def _plain_write(account_no: str, meter_of: MeterOf) -> card_writes.CardWrite:
    return lambda intent, card: _write(card, intent, account_no, meter_of)


def _end_unused(gate: _Gate, session: Future[CardReading | None]) -> None:
    """Nothing is to be written: the session ends after its reads; whatever it met is only logged
    (the caller's own error, or none, is what the person sees)."""
    gate.open(None)
    session.add_done_callback(_log_unused)


def _log_unused(session: Future[CardReading | None]) -> None:
    if session.exception() is not None:
        log.debug("a card session ended unused in %r", session.exception())
