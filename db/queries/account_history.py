"""The queries behind the account detail (counter_app/ops/account_history.py): each list of one
account's history, newest first, at most `limit` rows, with how many older rows were left out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from db.models import AccountEvent, Card, CardEvent, LedgerEntry, Notice, NoticePayment, Receipt, Workstation
from db.models.security import Operator

WRITE_BACK_SEEN = "write_back_seen"


def operator_names(s: Session) -> dict[int, str]:
    """Operator id → the name a person reads (display name, else the login)."""
    rows = s.execute(select(Operator.id, Operator.name, Operator.display_name))
    return {row.id: row.display_name or row.name for row in rows}


def _page(s: Session, query: Select[Any], count_of: Select[Any], limit: int) -> tuple[Sequence[Any], int]:
    """The newest `limit` rows of `query` and how many more there are (0 when none)."""
    rows = s.execute(query.limit(limit + 1)).all()
    if len(rows) <= limit:
        return rows, 0
    total = s.scalar(select(func.count()).select_from(count_of.subquery())) or 0
    return rows[:limit], int(total) - limit


def ledger_page(s: Session, account_id: int, limit: int) -> tuple[Sequence[Any], int, set[int]]:
    """(entry, receipt no., workstation code) rows, the rest's count, and the ids among them voided."""
    where = LedgerEntry.account_id == account_id
    query = (
        select(LedgerEntry, Receipt.receipt_no, Workstation.code)
        .outerjoin(Receipt, Receipt.id == LedgerEntry.receipt_id)
        .outerjoin(Workstation, Workstation.id == LedgerEntry.workstation_id)
        .where(where)
        .order_by(LedgerEntry.at.desc(), LedgerEntry.id.desc())
    )
    rows, more = _page(s, query, select(LedgerEntry.id).where(where), limit)
    ids = [row[0].id for row in rows]
    voided: set[int] = set()
    if ids:
        voided = {i for i in s.scalars(select(LedgerEntry.corrects_entry_id).where(
            LedgerEntry.kind == "void", LedgerEntry.corrects_entry_id.in_(ids))) if i is not None}  # fmt: skip
    return rows, more, voided


def card_page(s: Session, account_id: int, limit: int) -> tuple[Sequence[Any], int]:
    """(card event, card serial, card status) rows."""
    where = CardEvent.account_id == account_id
    query = (
        select(CardEvent, Card.serial, Card.status)
        .join(Card, Card.id == CardEvent.card_id)
        .where(where)
        .order_by(CardEvent.at.desc(), CardEvent.id.desc())
    )
    return _page(s, query, select(CardEvent.id).where(where), limit)


def account_event_page(
    s: Session, account_id: int, limit: int, *, write_backs: bool
) -> tuple[Sequence[Any], int]:
    """(account event,) rows: the write-backs the counter saw, or every other change of the account."""
    kind = AccountEvent.kind == WRITE_BACK_SEEN if write_backs else AccountEvent.kind != WRITE_BACK_SEEN
    where = (AccountEvent.account_id == account_id, kind)
    query = select(AccountEvent).where(*where).order_by(AccountEvent.at.desc(), AccountEvent.id.desc())
    return _page(s, query, select(AccountEvent.id).where(*where), limit)


def notice_page(s: Session, account_id: int, limit: int) -> tuple[Sequence[Any], int]:
    """(notice, paid at, receipt no.) rows."""
    where = Notice.account_id == account_id
    query = (
        select(Notice, NoticePayment.at, Receipt.receipt_no)
        .outerjoin(NoticePayment, NoticePayment.notice_id == Notice.id)
        .outerjoin(Receipt, Receipt.id == NoticePayment.receipt_id)
        .where(where)
        .order_by(Notice.created_at.desc(), Notice.id.desc())
    )
    return _page(s, query, select(Notice.id).where(where), limit)
