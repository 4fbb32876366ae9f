"""Free-quota batches looked up for the screens (the approval itself lives in counter_app/ops/quota.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models.quota import QuotaBatch, QuotaBatchApproval
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
        select(QuotaBatch.id, QuotaBatch.period, QuotaBatch.buildings, QuotaBatch.rooms, QuotaBatch.total_ckwh,
               Operator.display_name, QuotaBatch.created_at)  # fmt: skip
        .join(Operator, Operator.id == QuotaBatch.maker_id)
        .where(QuotaBatch.campus_id == campus_id, QuotaBatch.id.not_in(approved))
        .order_by(QuotaBatch.id)
    )
    return [WaitingBatchRow(*row) for row in session.execute(stmt)]
