"""Tariffs and fees: insert-only histories; the row in force is the latest that took effect."""

from __future__ import annotations

from datetime import datetime
from functools import cache

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from db.models.tariffs import Fee, Tariff


def current_tariff(session: Session, cls: str, at: datetime, *, inclusive: bool = True) -> Tariff | None:
    """The tariff of `cls` in force at `at`: the latest effective_from <= at. Not `inclusive`: the
    latest effective_from < at, the one in force just before `at` (the end of a report's range)."""
    return session.execute(_current_tariff(inclusive), {"cls": cls, "at": at}).scalar_one_or_none()


@cache
def _current_tariff(inclusive: bool) -> Select[tuple[Tariff]]:  # built once: see db/queries/accounts.py
    at = bindparam("at", type_=Tariff.effective_from.type)
    since = Tariff.effective_from <= at if inclusive else Tariff.effective_from < at
    return (
        select(Tariff)
        .where(Tariff.cls == bindparam("cls"), since)
        .order_by(Tariff.effective_from.desc())
        .limit(1)
    )


def current_fee(session: Session, kind: str, at: datetime, *, inclusive: bool = True) -> Fee | None:
    """The fee of `kind` in force at `at` (`inclusive` as for current_tariff)."""
    since = Fee.effective_from <= at if inclusive else Fee.effective_from < at
    stmt = select(Fee).where(Fee.kind == kind, since).order_by(Fee.effective_from.desc()).limit(1)
    return session.execute(stmt).scalar_one_or_none()


def first_tariff_price(session: Session, cls: str) -> int | None:
    """price_e4 of the earliest tariff of `cls` (what energy bought before any tariff is valued at)."""
    return session.scalar(
        select(Tariff.price_e4).where(Tariff.cls == cls).order_by(Tariff.effective_from).limit(1)
    )
