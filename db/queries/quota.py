"""Free-quota batches looked up for the screens (the approval itself lives in counter_app/ops/quota.py)."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import Select, bindparam, func, or_, select
from sqlalchemy.orm import Session

from db.models.quota import QuotaBatch, QuotaBatchApproval, QuotaBatchRoom, QuotaDelivery
from db.models.security import Operator


class WaitingBatchRow(NamedTuple):
    batch_id: int
    period: str
    buildings: list[Any]
    rooms: int
    total_ckwh: int
    maker: str
    created_at: datetime


def waiting_batches(session: Session, campus_id: int) -> list[WaitingBatchRow]:
    """The campus's batches prepared and not approved yet, oldest first (a 监督人 takes them in turn)."""
    approved = select(QuotaBatchApproval.batch_id)
    stmt = (
        select(
            QuotaBatch.id,
            QuotaBatch.period,
            QuotaBatch.buildings,
            QuotaBatch.rooms,
            QuotaBatch.total_ckwh,
            Operator.display_name,
            QuotaBatch.created_at,
        )  # fmt: skip
        .join(Operator, Operator.id == QuotaBatch.maker_id)
        .where(QuotaBatch.campus_id == campus_id, QuotaBatch.id.not_in(approved))
        .order_by(QuotaBatch.id)
    )
    return [WaitingBatchRow(*row) for row in session.execute(stmt)]


def entitlement_rows(session: Session, account_id: int, today: date) -> list[tuple[int, str, int, int]]:
    """(batch id, period, entitlement, delivered so far) of the account's approved batches whose term
    has not ended, oldest first: what a sale may still deliver free."""
    return list(session.execute(_owed(), {"account_id": account_id, "today": today}).tuples())


@cache
def _owed() -> Select[tuple[int, str, int, int]]:
    """Built once with bound parameters: it runs at every sale, and building it and its cache key
    was ~1 ms of Python each time (issue 16)."""
    account_id = bindparam("account_id", type_=QuotaBatchRoom.account_id.type)
    delivered = (
        select(func.coalesce(func.sum(QuotaDelivery.ckwh), 0))
        .where(QuotaDelivery.batch_id == QuotaBatch.id, QuotaDelivery.account_id == account_id)
        .scalar_subquery()
    )
    return (
        select(QuotaBatch.id, QuotaBatch.period, QuotaBatchRoom.entitlement_ckwh, delivered)
        .join(QuotaBatchRoom, QuotaBatchRoom.batch_id == QuotaBatch.id)
        .join(QuotaBatchApproval, QuotaBatchApproval.batch_id == QuotaBatch.id)
        .where(QuotaBatchRoom.account_id == account_id,
               or_(QuotaBatch.term_end.is_(None), QuotaBatch.term_end >= bindparam("today", type_=QuotaBatch.term_end.type)))
        .order_by(QuotaBatch.period, QuotaBatch.id)
    )  # fmt: skip
