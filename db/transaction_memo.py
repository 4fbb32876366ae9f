"""What a unit of work may remember for the rest of its own transaction, and forget at its end.

Several hot paths know something for exactly as long as one transaction lasts: the audit chain's
head once the append lock is held (counter_app/audit.py), the chain's latest times
(counter_app/clock_watch.py), the settings read once (counter_app/settings.py), the rows this
transaction inserted (counter_app/flushed_rows.py). Each is kept here under its own name, tied to
the session's root transaction: a commit or any rollback (a savepoint's too) forgets them all, and
a value is never handed to a later transaction of the same session.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.orm import Session

T = TypeVar("T")

_MEMO = "counter.transaction_memo"


def _memo(session: Session) -> dict[str, Any] | None:
    kept = session.info.get(_MEMO)
    if kept is None or kept[0] is not session.get_transaction():
        return None
    memo: dict[str, Any] = kept[1]
    return memo


def recall(session: Session, name: str) -> Any | None:
    """What this transaction kept under `name`, or None."""
    memo = _memo(session)
    return None if memo is None else memo.get(name)


def keep(session: Session, name: str, value: T) -> T:
    """Keep `value` under `name` until this transaction ends; returns it."""
    memo = _memo(session)
    if memo is None:
        memo = {}
        session.info[_MEMO] = (session.get_transaction(), memo)
    memo[name] = value
    return value


def recall_or_keep(session: Session, name: str, make: Callable[[], T]) -> T:
    """The value kept under `name`, made by `make` and kept the first time this transaction asks."""
    found = recall(session, name)
    return found if found is not None else keep(session, name, make())


def forget(session: Session, name: str) -> None:
    memo = _memo(session)
    if memo is not None:
        memo.pop(name, None)


@event.listens_for(Session, "after_soft_rollback")
def _forget_after_rollback(session: Session, previous_transaction: Any) -> None:
    session.info.pop(_MEMO, None)


@event.listens_for(Session, "after_commit")
def _forget_after_commit(session: Session) -> None:
    session.info.pop(_MEMO, None)
