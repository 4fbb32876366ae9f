"""Free energy a room is owed (定额送电): the interface the sales path uses.

The quota area (counter_app/ops/quota.py) owns the policy, batches and deliveries; this module is
the narrow door the top-up and collect_free paths call, so they do not depend on its internals.

Owed at a card visit = for every approved batch holding the account, whose period has begun and
whose term has not ended (当期有效, quota_policy.py), its entitlement less what was delivered: all
unclaimed periods of the current term together, oldest first. A batch for a coming month is not
owed before that month starts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session as DbSession

from counter_app.context import OpContext
from counter_app.ops.common import add_audited
from db.models import Account
from db.models.quota import QuotaDelivery
from db.queries.quota import entitlement_rows


@dataclass(frozen=True)
class Allocation:
    """Energy from one approved batch delivered at this visit."""

    batch_id: int
    ckwh: int


def owed_allocations(ctx: OpContext, s: DbSession, account: Account) -> list[Allocation]:
    """Unclaimed entitlement of the current term, per approved batch (oldest first)."""
    return owed_on(s, account.id, ctx.today())


def owed_on(s: DbSession, account_id: int, today: date) -> list[Allocation]:
    rows = entitlement_rows(s, account_id, today)
    started = f"{today.year:04d}-{today.month:02d}"
    return [Allocation(batch_id, ent - int(done)) for batch_id, period, ent, done in rows
            if period <= started and ent - int(done) > 0]  # fmt: skip


def free_owed_ckwh(ctx: OpContext, s: DbSession, account: Account) -> int:
    return sum(a.ckwh for a in owed_allocations(ctx, s, account))


def record_free_delivery(
    ctx: OpContext, s: DbSession, account: Account, *, allocations: list[Allocation], ledger_entry_id: int,
    intent_id: str,
) -> None:  # fmt: skip
    """Mark the allocations delivered (called in the commit transaction of the card write).

    Not re-checked against what is owed now: the energy is on the card (recovery may commit a
    delivery after the term ended), and UNIQUE(ledger_entry_id, batch_id) stops a double commit.
    """
    for allocation in allocations:
        if allocation.ckwh <= 0:
            continue
        row = QuotaDelivery(batch_id=allocation.batch_id, account_id=account.id, ckwh=allocation.ckwh,
                            ledger_entry_id=ledger_entry_id, intent_id=intent_id, at=ctx.now(),
                            operator_id=ctx.operator.id if ctx.operator else None)  # fmt: skip
        add_audited(ctx, s, row, "quota.delivered", batch_id=allocation.batch_id, ckwh=allocation.ckwh,
                    account_no=account.account_no)  # fmt: skip


def allocations_to_json(allocations: list[Allocation]) -> list[list[int]]:
    """For the intent payload: recovery must commit the delivery from the intent row alone."""
    return [[a.batch_id, a.ckwh] for a in allocations]


def allocations_from_json(data: list[list[int]] | None) -> list[Allocation]:
    return [Allocation(int(b), int(c)) for b, c in (data or [])]
