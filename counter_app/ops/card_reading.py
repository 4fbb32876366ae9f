"""Reading the card on the reader and checking it against an account (API.md `read_card`).

`read_card` writes nothing except resolving this card's open intents: a card that comes back after
a crash or a pulled write settles its sale (roll forward or abort) the moment it is read.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from base.errors import CardBlacklisted, CardMismatch
from counter_app.context import OpContext
from counter_app.ops.card_ahead import card_ahead_found, refuse_card_ahead
from counter_app.ops.cards import card_blacklisted  # the one blacklist rule
from counter_app.ops.common import add_audited, write_back_to_json
from counter_app.results import CardInfo, WriteBack
from db.models import Account, AccountEvent
from hardware.card_service import CardService
from hardware.records import CardKind, CardReading
from hardware.records import WriteBack as WriteBackRecord

log = logging.getLogger(__name__)


def read_card(ctx: OpContext) -> CardInfo:
    card = ctx.devices.require_card()
    reading = settled_reading(ctx, card, card.read_card())  # a purchase the database lost: suspense first
    with ctx.looking_up() as s:
        account_no = reading.account_no
        if account_no is None:
            account_no = s.scalar(
                select(Account.account_no).where(Account.card_serial == reading.card_serial)
            )
    return card_info(reading, account_no, simulated=ctx.devices.simulated)


def card_info(reading: CardReading, account_no: str | None, *, simulated: bool) -> CardInfo:
    purchase = reading.purchase
    # `loaded` speaks of energy waiting on the card for its meter. A record that carries none (a
    # new card, purchase counter 0, or a replacement card) has nothing to load: None, never False,
    # so no "上次购电未入表" is shown for a card that never bought (the rule of sales.py's check).
    carries = purchase is not None and purchase.energy_ckwh + purchase.free_ckwh > 0
    return CardInfo(
        card_serial=reading.card_serial, kind=str(reading.kind), account_no=account_no,
        purchase_counter=purchase.purchase_counter if purchase else None,
        loaded=reading.loaded if carries else None, write_back=api_write_back(reading.write_back),
        simulated=simulated,
    )  # fmt: skip


def api_write_back(wb: WriteBackRecord | None) -> WriteBack | None:
    if wb is None:
        return None
    return WriteBack(remaining_ckwh=wb.remaining_ckwh, consumed_ckwh=wb.consumed_ckwh,
                     last_loaded_counter=wb.last_loaded_counter, alarms=tuple(sorted(wb.alarms)),
                     error=wb.error, at=wb.at)  # fmt: skip


class ReadAhead(Protocol):
    """Work that may start on the card as soon as it is read, before its open intents are settled
    (purchase_write.WriteAhead: the write's card session, reads only until the intent commits)."""

    def started(self, raw: CardReading) -> None: ...
    def cancel(self) -> None: ...


def read_checked_card(
    ctx: OpContext, account_no: str, *, meanwhile: Callable[[], None] | None = None,
    ahead: ReadAhead | None = None,
) -> CardReading:  # fmt: skip
    """The card on the reader, which must be `account_no`'s user card (checked again against the
    database inside the transaction by `require_account_card`). Open intents of the card are
    resolved first, so a returning customer's interrupted sale settles before a new one.

    `meanwhile`: checks that need no card (the sale's role and shift), run here while the reader
    reads on its own thread: the read's time on the line hides theirs (issue 16). Their refusal
    comes first, as if they had run before the read; the read then ends on its own.

    For a sale: the PSC error counter is not asked here (the write's card session asks it right
    before presenting the PSC), so `psc_attempts_left` is None.

    `ahead` is told the card as first read, and cancelled before an open intent is settled or the
    card refused (whatever settles may need the reader) and on any refusal here."""
    card = ctx.devices.card
    if card is None or meanwhile is None:
        if meanwhile is not None:
            meanwhile()
        card = ctx.devices.require_card()
        raw = card.read_card(psc_attempts=False)
    else:
        raw = _read_while(card, meanwhile)
    if ahead is None:
        return _checked(ctx, card, raw, account_no, None)
    ahead.started(raw)
    try:
        return _checked(ctx, card, raw, account_no, ahead.cancel)
    except BaseException:
        ahead.cancel()
        raise


def _checked(
    ctx: OpContext,
    card: CardService,
    raw: CardReading,
    account_no: str,
    before_settling: Callable[[], None] | None,
) -> CardReading:
    # Never sold to at a counter the meter would refuse.
    reading = settled_reading(ctx, card, raw, before_settling=before_settling)
    if reading.kind != CardKind.USER or reading.account_no != account_no:
        raise CardMismatch(f"卡属于 {reading.account_no or '未发卡'}，不是 {account_no}",
                           detail_en=f"card is {reading.account_no or 'not issued'}, not {account_no}")  # fmt: skip
    return reading


# Threads that only wait for a read on the reader's own device thread (hardware/device_thread.py
# still does every byte of the I/O); two, so a read left running after a refusal never delays the next.
_READ_AHEAD = ThreadPoolExecutor(max_workers=2, thread_name_prefix="card-read-ahead")


def _read_while(card: CardService, meanwhile: Callable[[], None]) -> CardReading:
    ahead = _READ_AHEAD.submit(card.read_card, psc_attempts=False)  # (see read_checked_card)
    try:
        meanwhile()
    except BaseException:
        ahead.add_done_callback(_log_unused_read)
        raise
    return ahead.result()


def _log_unused_read(ahead: Future[CardReading]) -> None:
    if ahead.exception() is not None:
        log.debug("a read after a refusal ended in %r (not shown: the refusal was)", ahead.exception())


def settled_reading(
    ctx: OpContext,
    card: CardService,
    reading: CardReading,
    *,
    before_settling: Callable[[], None] | None = None,
) -> CardReading:
    """`reading` once the card's open intents are settled (read again if any was), refused with
    CARD_AHEAD when the card is ahead of its account. Both questions are asked in one read
    transaction when nothing needs settling, as at nearly every read (issue 16). `before_settling`
    runs first when either is needed."""
    # A real cycle: every card read settles the card's open intents (recovery), recovery runs
    # the kinds' committers (intent_kinds), and those read cards through this module.
    from counter_app.ops.recovery import pending_card_intents, settle_card_intents

    with ctx.looking_up() as s:
        pending = pending_card_intents(s, reading)
        found = None if pending else card_ahead_found(ctx, s, reading)
    if (pending or found is not None) and before_settling is not None:
        before_settling()
    if pending:
        if settle_card_intents(ctx, pending, reading):
            reading = card.read_card()
        refuse_card_ahead(ctx, reading)
    elif found is not None:
        refuse_card_ahead(ctx, reading, found)
    return reading


def require_account_card(s: DbSession, account: Account, reading: CardReading) -> None:
    if card_blacklisted(s, reading.card_serial):
        raise CardBlacklisted(reading.card_serial)
    if account.card_serial != reading.card_serial:
        raise CardMismatch(f"此卡不是账户 {account.account_no} 当前的卡",
                           detail_en=f"not the current card of {account.account_no}")  # fmt: skip


def write_back_seen(
    ctx: OpContext, s: DbSession, account: Account, reading: CardReading, last: AccountEvent | None
) -> None:
    """Remember the meter's write-back the card carried, when it is new (low-balance estimates and
    the account screen use the last one seen). `last`: the account's last one recorded, read with
    the account (db/queries/accounts.py `account_and_last_write_back`)."""
    wb = reading.write_back
    if wb is None or reading.write_back_torn:
        return
    data = write_back_to_json(wb)
    if last is not None and last.data == data:
        return
    event = AccountEvent(account_id=account.id, kind="write_back_seen", at=ctx.now(),
                         operator_id=ctx.operator.id if ctx.operator else None,
                         workstation_id=ctx.workstation.id, data=data)  # fmt: skip
    add_audited(ctx, s, event, "account.write_back_seen", account_no=account.account_no)
