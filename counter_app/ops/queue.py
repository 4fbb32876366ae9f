"""Facade of single-operator holiday mode (API.md `queued_operations`, `approve_queued`); the
mechanism and the hook in OpContext.approve are described in counter_app/queueing.py."""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from base.errors import InputInvalid
from counter_app import queueing, row_seals
from counter_app.approvals import Approval
from counter_app.auth import AuthenticatedOperator
from counter_app.context import OpContext
from counter_app.ops.area import SessionArea
from counter_app.results import QueuedOperation
from counter_app.roles import has_any_role
from db.models.queue import QueuedOperation as QueuedRow
from db.models.queue import QueueResolution
from db.models.security import Operator

RESOLVER_ROLES = ("cashier", "supervisor", "assistant", "head")


def queued_operations(ctx: OpContext) -> list[QueuedOperation]:
    with ctx.reading() as s:
        ctx.require_role(s, *RESOLVER_ROLES)
        names = {
            i: n for i, n in s.execute(select(Operator.id, Operator.display_name)).all()
        }  # people read it
        return [QueuedOperation(queue_id=row.id, kind=row.kind, summary=row.summary, maker=names.get(row.maker_id, ""),
                                queued_at=row.queued_at) for row in queueing.pending(s)]  # fmt: skip


def approve_queued(ctx: OpContext, *, queue_id: int, approval: Approval | None) -> Any:
    """Run the queued operation again, as its maker, with `approval`; its result."""
    with ctx.reading() as s:
        ctx.require_role(s, *RESOLVER_ROLES)
        row = (
            s.get(QueuedRow, queue_id)
            if isinstance(queue_id, int) and not isinstance(queue_id, bool)
            else None
        )
        if row is None:
            raise InputInvalid(
                f"没有排队的操作 {queue_id}", detail_en=f"no queued operation {queue_id}", field="queue_id"
            )
        # The stored payload and its digest are sealed with the audit key: a payload rewritten by
        # SQL with its SHA-256 recomputed is refused here (TAMPERED), before anything runs.
        row_seals.check(s, row)
        if s.scalar(select(QueueResolution.id).where(QueueResolution.queue_id == row.id)) is not None:
            raise InputInvalid(f"排队操作 {queue_id} 已处理", detail_en=f"queued operation {queue_id} is done",
                               field="queue_id")  # fmt: skip
        entry = queueing.QUEUEABLE.get(row.kind)
        if entry is None:
            raise InputInvalid(
                f"无法重新执行 {row.kind}", detail_en=f"no replay for {row.kind}", field="queue_id"
            )
        maker = _maker(s, row.maker_id, ctx)
        replaying = queueing.Replaying(queue_id=row.id, kind=row.kind, payload_sha256=row.payload_sha256,
                                       resolver_id=ctx.operator_id)  # fmt: skip
        payload = dict(row.payload)
    # The stored operation is the maker's: it runs as the maker (so the maker cannot approve it:
    # SELF_APPROVAL), at this workstation, with the approval given now.
    maker_ctx = dataclasses.replace(ctx, operator=maker, replaying=replaying)
    return entry.replay(maker_ctx, payload, approval)


def _maker(s: DbSession, maker_id: int, ctx: OpContext) -> AuthenticatedOperator:
    op = row_seals.check(s, s.get_one(Operator, maker_id))
    roles = frozenset(
        r
        for r in ("cashier", "supervisor", "assistant", "head")
        if has_any_role(s, op.id, (r,), on=ctx.today())
    )
    return AuthenticatedOperator(id=op.id, name=op.name, display_name=op.display_name, roles=roles)


class QueueOps(SessionArea):
    def queued_operations(self) -> list[QueuedOperation]:
        return queued_operations(self.ctx)

    def approve_queued(self, *, queue_id: int, approval: Approval | None = None) -> Any:
        return approve_queued(self.ctx, queue_id=queue_id, approval=approval)
