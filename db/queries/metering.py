"""Account metering (db/models/metering.py): the row in force for an account, and the networked
accounts of a bus (what its poller reads)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models.accounts import Account
from db.models.metering import AccountMetering


def current_metering(session: Session, account_id: int) -> AccountMetering | None:
    """The newest row of the account (None: never set, i.e. by card)."""
    stmt = (
        select(AccountMetering)
        .where(AccountMetering.account_id == account_id)
        .order_by(AccountMetering.id.desc())
        .limit(1)
    )
    return session.execute(stmt).scalar_one_or_none()


def networked_accounts(session: Session, *, bus: str | None = None) -> list[tuple[Account, AccountMetering]]:
    """Live accounts whose newest metering row is networked (on `bus` when given)."""
    newest = (
        select(AccountMetering.account_id, func.max(AccountMetering.id).label("id"))
        .group_by(AccountMetering.account_id)
        .subquery()
    )
    stmt = (
        select(Account, AccountMetering)
        .join(newest, newest.c.account_id == Account.id)
        .join(AccountMetering, AccountMetering.id == newest.c.id)
        .where(AccountMetering.mode == "networked", Account.status != "closed")
        .order_by(AccountMetering.bus, AccountMetering.address)
    )
    if bus is not None:
        stmt = stmt.where(AccountMetering.bus == bus)
    return [(a, m) for a, m in session.execute(stmt).tuples()]
