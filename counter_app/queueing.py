"""Single-operator holiday mode (DOMAIN "People and roles", Holidays): the queue of co-signed
operations and the registry that re-runs them.

When the setting `single_operator_mode` is on, `OpContext.approve` does not check an approval for
a *queueable* kind: it stores the operation (approval kind + the canonical payload the approval
would cover + the maker) and raises QUEUED with `.queue_id`. The row is written after the
operation's transaction is rolled back (the same path as audited security refusals,
counter_app.audit.recording_refusals), so nothing of the operation itself is written.

On a staffed day `approve_queued(queue_id, approval)` re-runs exactly that operation with the
approval: the registered replay function calls the area's service again AS THE MAKER, and
`OpContext.approve` checks that the operation recomputes to the very payload that was queued
(anything changed since, e.g. a tariff, refuses it: APPROVAL_INVALID) and writes the resolution in
the operation's own transaction (UNIQUE(queue_id): it runs once).

How another area makes its co-signed operation queueable (one call, at import of its ops module):

    from counter_app.queueing import register_queueable

    def _replay_refund(ctx, payload, approval):          # payload = what it gave ctx.approve
        return refund_room(ctx, account_no=payload["account_no"], ..., approval=approval)

    register_queueable("refund_room", _replay_refund)   # the queue shows the core's summary of the payload

The payload given to `ctx.approve` must therefore hold every argument needed to run the operation
again; it is stored as canonical JSON, so `replay` gets dates and times back as ISO text. Kinds not registered are never queued (e.g. `setting.set`: an administrator must be able to
switch the mode off again with a co-signature).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from base.canonical import normalise
from base.clock import BUSINESS_TZ
from base.errors import ApprovalInvalid, Queued, UserFacingError
from counter_app import audit, settings
from counter_app.approval_summary import summarise
from db.models.queue import QueuedOperation, QueueResolution

Replay = Callable[[Any, dict[str, Any], Any], Any]  # (OpContext as the maker, payload, Approval) → result


@dataclass(frozen=True)
class Queueable:
    kind: str
    replay: Replay
    summary: Callable[[Mapping[str, Any]], str]
    # Which operations of the kind may queue (e.g. not a refund needing two supervisors).
    when: Callable[[Mapping[str, Any]], bool] | None = None


QUEUEABLE: dict[str, Queueable] = {}


def register_queueable(
    kind: str, replay: Replay, *, summary: Callable[[Mapping[str, Any]], str] | None = None,
    when: Callable[[Mapping[str, Any]], bool] | None = None,
) -> None:  # fmt: skip
    """Make the approval kind `kind` queue in single-operator mode and re-run with `replay`;
    `when(payload)` False keeps that operation unqueued (it needs its approval now). The queue's
    line for a person is the core's summary of the payload (counter_app.approval_summary), the
    same words the approval dialog shows, unless `summary` is given."""
    QUEUEABLE[kind] = Queueable(kind, replay, summary or (lambda p: summarise(kind, p).one_line("zh")), when)


@dataclass(frozen=True)
class Replaying:
    """Set on the OpContext while a queued operation runs again (see OpContext.approve)."""

    queue_id: int
    kind: str
    payload_sha256: str
    resolver_id: int  # the person who ran approve_queued


def should_queue(
    session: Session, kind: str, replaying: Replaying | None, payload: Mapping[str, Any] | None = None
) -> bool:
    entry = QUEUEABLE.get(kind)
    return (
        replaying is None
        and entry is not None
        and (entry.when is None or payload is None or entry.when(payload))
        and bool(settings.get_setting(session, "single_operator_mode"))
    )


def queue_refusal(
    *, kind: str, payload: Mapping[str, Any], digest: str, maker_id: int, workstation_id: int,
    workstation: str, at: datetime,
) -> UserFacingError:  # fmt: skip
    """The QUEUED error; the queued row is written after the operation's rollback."""
    summary = QUEUEABLE[kind].summary(payload)
    error = Queued(summary, detail_en=f"{kind} queued for a co-signature", data={"kind": kind})

    def write(s: Session) -> None:
        row = QueuedOperation(kind=kind, payload=normalise(dict(payload)), payload_sha256=digest, summary=summary,
                              maker_id=maker_id, workstation_id=workstation_id, queued_at=at)  # fmt: skip
        s.add(row)
        s.flush()
        audit.record(s, kind="queue.added", actor_id=maker_id, workstation=workstation, subject=row,
                     payload={"kind": kind, "payload_sha256": digest}, clock=lambda: at)  # fmt: skip
        error.queue_id = row.id
        error.data["queue_id"] = row.id

    return audit.attach_refusal(error, write)


def check_and_resolve(
    session: Session, replaying: Replaying, *, kind: str, digest: str, approval_id: int, workstation: str,
    at: datetime,
) -> None:  # fmt: skip
    """During a replay: the operation is still exactly the queued one; record its resolution.

    An operation of several co-signed steps (a wrong-room correction: the void, then the new sale)
    is the queued one at its first step; its later steps, after the resolution is written, are
    approved as usual by the same approval credentials."""
    if session.scalar(select(QueueResolution.id).where(QueueResolution.queue_id == replaying.queue_id)):
        return
    if kind != replaying.kind or digest != replaying.payload_sha256:
        raise ApprovalInvalid("操作内容与排队时不一致（数据已变化），请重新办理",
                              detail_en="the operation changed since it was queued",
                              data={"queue_id": replaying.queue_id})  # fmt: skip
    row = QueueResolution(queue_id=replaying.queue_id, outcome="approved", approval_id=approval_id,
                          operator_id=replaying.resolver_id, at=at)  # fmt: skip
    session.add(row)
    session.flush()
    audit.record(session, kind="queue.approved", actor_id=replaying.resolver_id, workstation=workstation,
                 subject=row, payload={"queue_id": replaying.queue_id, "approval_id": approval_id},
                 clock=lambda: at)  # fmt: skip


def pending(session: Session, *, workstation_id: int | None = None) -> list[QueuedOperation]:
    stmt = (
        select(QueuedOperation)
        .where(QueuedOperation.id.not_in(select(QueueResolution.queue_id)))
        .order_by(QueuedOperation.id)
    )
    if workstation_id is not None:
        stmt = stmt.where(QueuedOperation.workstation_id == workstation_id)
    return list(session.scalars(stmt))


def queue_empty(session: Session, on_date: date, *, workstation_id: int | None = None) -> bool:
    """True when nothing queued on or before `on_date` (business date) waits for a co-signature:
    the settlement code hands a day to finance only then (DOMAIN "Holidays")."""
    end = datetime(on_date.year, on_date.month, on_date.day, tzinfo=BUSINESS_TZ) + timedelta(days=1)
    return not any(row.queued_at < end for row in pending(session, workstation_id=workstation_id))
