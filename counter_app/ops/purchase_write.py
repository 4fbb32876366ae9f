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
from hardware.records import CardKind, CardReading

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


class WriteAhead:
    """The write's card session of one sale, started as soon as the first read shows the account's
    user card (card_reading.read_checked_card `ahead`): it then reads the card while the card's
    open intents are looked up and the intent commits. Cancelled — nothing but reads sent — before
    anything settles an open intent or refuses the card, and when the sale is refused."""

    def __init__(self, ctx: OpContext, account_no: str, model: Callable[[], tuple[bool, str | None]]) -> None:
        self._ctx, self._account_no, self._model = ctx, account_no, model
        self._session: _Session | None = None

    def started(self, raw: CardReading) -> None:
        """card_reading: the first read is done (`raw`, before its open intents are settled)."""
        if raw.kind == CardKind.USER and raw.account_no == self._account_no:
            self._session = self._start(raw.card_serial)

    def cancel(self) -> None:
        if self._session is not None:
            self._session.end_unused()
            self._session = None

    def session_for(self, reading: CardReading) -> _Session | None:
        """The session to write `reading`'s card: the one started, else a new one (an open intent
        was settled meanwhile and the card read again), else None (the plain order)."""
        if self._session is not None and self._session.card_serial == reading.card_serial:
            return self._session
        self.cancel()
        self._session = self._start(reading.card_serial)
        return self._session

    def _start(self, card_serial: str) -> _Session | None:
        found, meter_model = self._model()
        card = _card_for(self._ctx, meter_model) if found else None
        return _Session(card, card_serial, self._account_no, meter_model) if card is not None else None


class _Session:
    """One card session waiting at its gate for the committed intent (`write_purchase_when_ready`)."""

    def __init__(self, card: CardService, card_serial: str, account_no: str, meter_model: str | None) -> None:
        self.card, self.card_serial, self.meter_model = card, card_serial, meter_model
        self._gate = _Gate()
        self._at_gate = threading.Event()
        self._future = _WRITE_AHEAD.submit(
            card.write_purchase_when_ready,
            card_serial=card_serial,
            account_no=account_no,
            ready=self._wait_at_gate,
        )

    def _wait_at_gate(self) -> PurchaseOrder | None:
        self._at_gate.set()
        return self._gate.wait()

    def write(self, order: PurchaseOrder) -> CardReading | None:
        """The record written and read back (None: the session stopped waiting, only reads sent).
        A session that failed before it reached the gate sent the card nothing but reads (the card
        pulled while it was read, a garbled answer): its error says so (`outcome` "none"), and the
        intent is aborted at once (card_writes `_abort_if_untouched`) instead of staying open, the
        account busy, until the card is read again."""
        self._gate.open(order)
        try:
            return self._future.result()
        except UserFacingError as error:
            if not self._at_gate.is_set():
                error.data["outcome"] = "none"
            raise

    def end_unused(self) -> None:
        """Nothing is to be written: the session ends after its reads; whatever it met is only
        logged (the caller's own error, or none, is what the person sees)."""
        self._gate.open(None)
        self._future.add_done_callback(_log_unused)


def run_purchase_write(
    ctx: OpContext, *, begin: Callable[[DbSession], CardWriteIntent], account_no: str, reading: CardReading,
    ahead: WriteAhead, meter_of: MeterOf,
) -> Any:  # fmt: skip
    """card_writes.run_card_write for a purchase record, the card read while `begin` commits."""
    session = ahead.session_for(reading)
    if session is None:
        return card_writes.run_card_write(ctx, begin=begin, write=_plain_write(account_no, meter_of))
    try:
        with ctx.uow() as s:
            intent = begin(s)
            account = one_by_id(s, Account, intent.account_id)
            same = account.meter_model == session.meter_model and intent.card_serial == session.card_serial
            # As run_card_write: an unknown model refuses before the intent commits.
            bound = session.card if same else card_writes.account_card(ctx, account)
    except BaseException:
        ahead.cancel()
        raise
    crashpoints.crash_point("after_intent")
    if not same:
        ahead.cancel()
        return card_writes.write_and_commit(ctx, intent, lambda: _write(bound, intent, account_no, meter_of))
    order = _order(intent, meter_of(intent))
    return card_writes.write_and_commit(
        ctx, intent, lambda: _finish(session, order, bound, intent, account_no, meter_of)
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
    session: _Session, order: PurchaseOrder, card: CardService, intent: CardWriteIntent, account_no: str,
    meter_of: MeterOf,
) -> CardReading:  # fmt: skip
    try:
        written = session.write(order)
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


def _log_unused(session: Future[CardReading | None]) -> None:
    if session.exception() is not None:
        log.debug("a card session ended unused in %r", session.exception())
