"""Selling to a networked room (issue 17 §1): a ledger sale with no card write.

The same checks, receipt, numbering and settlement as a card top-up: an intent row is begun and
committed through the card sale's own commit (counter_app/ops/sale_commit.py) in ONE transaction,
since there is no card between the two. Free quota owed is credited with it, as at a card sale.

The balance of a networked room is the energy credited since its metering began (sales, free
energy, voids) minus the energy its module counted since then (newest minus first answered
reading, per stretch between software-control periods: counter_app/ops/software_control_usage.py)
and minus the energy of ended software-control periods the balance covered, priced at the tariff
in force. The sale's receipt and confirmation slip show that balance as of the last reading, and
no card field (`_networked_slips`). After a top-up that leaves the balance above zero, a
room whose last reading showed the relay open gets an allow-close request by itself when the rule
`meter_bus.auto_close` is on (recorded like every switch; the bus is talked to after the sale
committed, and a bus that does not answer never undoes the sale).
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session as DbSession

from base.errors import InputInvalid, UserFacingError
from base.money import money_for_energy
from base.validation import optional_checked_text
from counter_app import row_seals
from counter_app.context import OpContext
from counter_app.documents import from_json, to_json
from counter_app.ops import card_writes, networked, quota_owed, software_control_usage
from counter_app.ops.area import SessionArea
from counter_app.ops.common import check_tender, get_account, open_shift_row, require_sellable
from counter_app.ops.intent_payloads import TopUpPayload
from counter_app.ops.networked import RemoteReading
from counter_app.ops.sale_commit import commit_top_up
from counter_app.ops.sales import (
    _change,
    _refuse_unpaid_back_charge,
    _Request,
    amount_and_energy,
    check_limits,
    price_for,
)
from counter_app.printing import drain_quietly
from counter_app.results import SaleResult
from counter_app.roles import SELLING_ROLES
from db.models import Account, LedgerEntry, PrintJob, RemoteMeterReading
from db.queries.metering import current_metering, switch_history
from db.queries.receipts import newest_print_job_id, print_jobs_after, receipt_counter
from receipts import data as rd

log = logging.getLogger(__name__)
CREDITING_KINDS = ("sale", "free", "void", "correction")
NO_CARD = "networked"  # the intent's card_serial: no card is written


@dataclass(frozen=True)
class NetworkedBalance:
    account_no: str
    since: datetime  # the metering's start
    credited_ckwh: int  # energy sold and given since then (voids subtract)
    used_ckwh: int  # counted by the module since then (outside software-control periods)
    remaining_ckwh: int  # credited - used - software_control_ckwh (negative: used without balance)
    price_e4: int
    balance_fen: int  # remaining priced at the tariff in force (negative when owed)
    last_read_at: datetime | None
    relay_closed: bool | None  # as last known (a reading, or a switch done since)
    # energy used under software control that the balance paid for (the rest was back-charged)
    software_control_ckwh: int = 0
    last_read_ckwh: int | None = None  # the register at `last_read_at`


def _networked_row(s: DbSession, account: Account):  # type: ignore[no-untyped-def]
    row = current_metering(s, account.id)
    if row is None or row.mode != "networked":
        raise InputInvalid(f"账户 {account.account_no} 不是联网计量", field="account_no",
                           detail_en=f"account {account.account_no} is not metered by a networked module")  # fmt: skip
    return row


def balance_in(ctx: OpContext, s: DbSession, account: Account) -> NetworkedBalance:
    row = _networked_row(s, account)
    credited = s.scalar(
        select(func.coalesce(func.sum(LedgerEntry.energy_ckwh + LedgerEntry.free_ckwh), 0)).where(
            LedgerEntry.account_id == account.id,
            LedgerEntry.kind.in_(CREDITING_KINDS),
            LedgerEntry.at >= row.at,
        )
    )
    counted = software_control_usage.usage(s, account.id, address=row.address, since=row.at)
    last = counted.last
    remaining = int(credited or 0) - counted.metered_ckwh - counted.covered_ckwh
    price = price_for(ctx, s, account)
    fen = money_for_energy(abs(remaining), price)
    return NetworkedBalance(
        account.account_no, row.at, int(credited or 0), counted.metered_ckwh, remaining, price,
        fen if remaining >= 0 else -fen, last.read_at if last else None, _relay_now(s, account, last),
        software_control_ckwh=counted.covered_ckwh, last_read_ckwh=last.energy_ckwh if last else None,
    )  # fmt: skip


def _relay_now(s: DbSession, account: Account, last: RemoteMeterReading | None) -> bool | None:
    """The relay as last known: the last reading's, unless a switch done since (or at the same
    moment: it was sent after the read) says otherwise."""
    relay = last.relay_closed if last is not None else None
    for request, answer in switch_history(s, account.id, limit=1):
        if answer is not None and answer.outcome == "done" and (last is None or answer.at >= last.read_at):
            relay = request.command == "close"
    return relay


def networked_balance(ctx: OpContext, *, account_no: str) -> NetworkedBalance:
    with ctx.reading() as s:
        ctx.require_role(s, *networked.METER_READERS)
        return balance_in(ctx, s, get_account(s, account_no))


def top_up_networked(
    ctx: OpContext, *, account_no: str, amount_fen: int, tendered_fen: int | None = None,
    tender: str = "cash", reference: str | None = None,
) -> SaleResult:  # fmt: skip
    check_tender(tender, reference)
    reference = optional_checked_text(reference, field="reference", label="流水号")
    req = _Request(amount_fen, None, tender, tendered_fen, reference, None, None)
    with ctx.uow() as s:
        intent = _begin(ctx, s, account_no, req)
        jobs_before = newest_print_job_id(s, ctx.workstation.id)
        result = commit_top_up(ctx, s, intent, recovered=False)
        card_writes.mark_intent(ctx, s, intent, "committed")
        balance = balance_in(ctx, s, s.get_one(Account, intent.account_id))
        _networked_slips(s, print_jobs_after(s, ctx.workstation.id, jobs_before), balance, result)
    drain_quietly(ctx)
    _auto_close(ctx, balance)
    return result


def _networked_slips(s: DbSession, jobs: list[PrintJob], balance: NetworkedBalance, sale: SaleResult) -> None:
    """The sale's receipt and confirmation slip as the card sale's commit queued them, made a
    networked room's before they are committed: no purchase counter, no card write-back estimate,
    the networked balance (credited − used, as of the last reading, with its time) instead. The jobs
    are this transaction's own, not yet committed; their seal is written on the update
    (counter_app/row_seals.py), so a 补打 copies exactly this."""
    info = rd.NetworkedBalance(
        credited_ckwh=balance.credited_ckwh, used_ckwh=balance.used_ckwh, remaining_ckwh=balance.remaining_ckwh,
        balance_fen=balance.balance_fen, last_read_at=balance.last_read_at, last_read_ckwh=balance.last_read_ckwh,
        software_control_ckwh=balance.software_control_ckwh,
    )  # fmt: skip
    before = balance.remaining_ckwh - sale.energy_ckwh - sale.free_ckwh
    for job in jobs:
        if job.document not in ("sale", "confirmation"):
            continue
        cls = rd.SaleReceipt if job.document == "sale" else rd.ConfirmationSlip
        doc = from_json(cls, job.payload["document"])
        if job.document == "sale":
            doc = dataclasses.replace(doc, networked=info)
        else:
            doc = dataclasses.replace(doc, networked=info, balance_before_ckwh=before,
                                      balance_after_ckwh=balance.remaining_ckwh, balance_as_of=None)  # fmt: skip
        job.payload = {**job.payload, "document": to_json(doc)}
    s.flush()


def _begin(ctx: OpContext, s: DbSession, account_no: str, req: _Request):  # type: ignore[no-untyped-def]
    ctx.require_role(s, *SELLING_ROLES)
    shift = open_shift_row(ctx, s)
    row_seals.check(s, receipt_counter(s, ctx.workstation.id))
    account = get_account(s, account_no)
    require_sellable(account)
    _networked_row(s, account)
    _refuse_unpaid_back_charge(ctx, s, account)
    price = price_for(ctx, s, account)
    allocations = quota_owed.owed_allocations(ctx, s, account)
    amount, energy = amount_and_energy(ctx, s, price, req.amount_fen, None)
    check_limits(ctx, s, account, amount)
    change = _change(ctx, s, req, amount)
    payload = TopUpPayload(
        ledger_kind="sale", account_no=account.account_no, meter_no=account.meter_no or "",
        carried_ckwh=0, reference=req.reference, tendered_fen=req.tendered_fen if req.tender == "cash" else None,
        change_fen=change, override_reason=None, approval_id=None,
        allocations=tuple((a.batch_id, a.ckwh) for a in allocations),
    )  # fmt: skip
    # No card: the purchase counter stays the account's (a card's counter never moves for this).
    return card_writes.begin_intent(
        ctx, s, kind="top_up", account=account, card_serial=NO_CARD, purchase_counter=account.purchase_counter,
        amount_fen=amount, energy_ckwh=energy, free_ckwh=sum(a.ckwh for a in allocations), price_e4=price,
        tender=req.tender, shift_id=shift.id, payload=payload,
    )  # fmt: skip


def _auto_close(ctx: OpContext, balance: NetworkedBalance) -> None:
    """Allow closing a tripped room whose balance is positive again (rule `meter_bus.auto_close`)."""
    if balance.balance_fen <= 0 or balance.relay_closed is not False:
        return
    try:
        with ctx.uow() as s:
            if not ctx.setting(s, "meter_bus.auto_close"):
                return
            target = networked.target_for(ctx, s, get_account(s, balance.account_no))
            request = networked.request_switch(ctx, s, target, "close", "充值后自动合闸", None)
            request_id = request.id
        networked.send_switch(ctx, target, request_id)
    except UserFacingError as exc:  # the sale stands; the request (if any) shows its outcome
        log.warning("auto close of %s not done: %s", balance.account_no, exc)


def _auto_trip(ctx: OpContext, reading: RemoteReading) -> None:
    """Trip a room read with power and no balance left, when the rule `meter_bus.auto_trip` is on
    (off, the default: a trip is a person's, co-signed by a 监督人). A room under software control
    is never tripped by the rule (software_control_usage.under_software_control)."""
    if reading.outcome != "ok" or reading.relay_closed is not True:
        return
    try:
        with ctx.uow() as s:
            if not ctx.setting(s, "meter_bus.auto_trip"):
                return
            account = get_account(s, reading.account_no)
            if software_control_usage.under_software_control(s, account.id):
                return  # kept on power on purpose until its module meters again (seed 003 §4.3.5)
            if balance_in(ctx, s, account).balance_fen > 0:
                return
            target = networked.target_for(ctx, s, account)
            request = networked.request_switch(ctx, s, target, "trip", "余额为零自动拉闸", None)
            request_id = request.id
        networked.send_switch(ctx, target, request_id)
    except UserFacingError as exc:  # the reading stands; the request (if any) shows its outcome
        log.warning("auto trip of %s not done: %s", reading.account_no, exc)


def after_reading(ctx: OpContext, reading: RemoteReading) -> None:
    """What follows every stored reading, manual or scheduled (counter_app/ops/bus_rounds.py):
    the zero-balance rule. Never raises for the bus: the reading stands whatever the rule did."""
    _auto_trip(ctx, reading)


def read_meter(ctx: OpContext, *, account_no: str) -> RemoteReading:
    """A manual read, then the zero-balance rule."""
    reading = networked.read_meter(ctx, account_no=account_no)
    after_reading(ctx, reading)
    return reading


class NetworkedSaleOps(SessionArea):
    """Facade mixin (counter_app/session.py)."""

    def read_meter(self, *, account_no: str) -> RemoteReading:
        return read_meter(self.ctx, account_no=account_no)

    def top_up_networked(
        self, *, account_no: str, amount_fen: int, tendered_fen: int | None = None, tender: str = "cash",
        reference: str | None = None,
    ) -> SaleResult:  # fmt: skip
        return top_up_networked(self.ctx, account_no=account_no, amount_fen=amount_fen,
                                tendered_fen=tendered_fen, tender=tender, reference=reference)  # fmt: skip

    def networked_balance(self, *, account_no: str) -> NetworkedBalance:
        return networked_balance(self.ctx, account_no=account_no)
