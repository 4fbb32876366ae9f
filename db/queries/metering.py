"""Account metering (db/models/metering.py): the row in force for an account, and the networked
accounts of a bus (what its poller reads)."""

from __future__ import annotations

from datetime import datetime
from functools import cache

from sqlalchemy import Select, bindparam, case, func, select
from sqlalchemy.orm import Session

from db.models.accounts import Account
from db.models.metering import AccountMetering, MeterSwitch, RemoteMeterReading, SoftwareControlStep


def current_metering(session: Session, account_id: int) -> AccountMetering | None:
    """The newest row of the account (None: never set, i.e. by card)."""
    return session.execute(_current_metering(), {"account_id": account_id}).scalar_one_or_none()


@cache
def _current_metering() -> Select[tuple[AccountMetering]]:  # built once: see db/queries/accounts.py
    return (
        select(AccountMetering)
        .where(AccountMetering.account_id == bindparam("account_id"))
        .order_by(AccountMetering.id.desc())
        .limit(1)
    )


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


def answered_span(
    session: Session, account_id: int, *, address: str | None, since: datetime
) -> tuple[RemoteMeterReading | None, RemoteMeterReading | None]:
    """The first and the newest answered reading of the account's module at `address` since `since`
    (the metering row's start): what the room used in between is their difference."""
    answered = select(RemoteMeterReading).where(
        RemoteMeterReading.account_id == account_id, RemoteMeterReading.outcome == "ok",
        RemoteMeterReading.read_at >= since, RemoteMeterReading.address == address,
    )  # fmt: skip
    first = session.scalars(answered.order_by(RemoteMeterReading.id).limit(1)).first()
    last = session.scalars(answered.order_by(RemoteMeterReading.id.desc()).limit(1)).first()
    return first, last


def recent_readings(session: Session, account_id: int, *, limit: int = 20) -> list[RemoteMeterReading]:
    """The account's newest readings first."""
    stmt = (
        select(RemoteMeterReading)
        .where(RemoteMeterReading.account_id == account_id)
        .order_by(RemoteMeterReading.id.desc())
        .limit(limit)
    )
    return list(session.execute(stmt).scalars())


def _newest_resolutions(session: Session, request_ids: list[int]) -> dict[int, MeterSwitch]:
    if not request_ids:
        return {}
    newest = (
        select(func.max(MeterSwitch.id))
        .where(MeterSwitch.resolves_id.in_(request_ids))
        .group_by(MeterSwitch.resolves_id)
    )
    rows = session.execute(select(MeterSwitch).where(MeterSwitch.id.in_(newest))).scalars()
    return {row.resolves_id: row for row in rows if row.resolves_id is not None}


def switch_history(
    session: Session, account_id: int, *, limit: int = 20
) -> list[tuple[MeterSwitch, MeterSwitch | None]]:
    """The account's switch requests, newest first, each with its newest resolution (if any)."""
    stmt = (
        select(MeterSwitch)
        .where(MeterSwitch.account_id == account_id, MeterSwitch.resolves_id.is_(None))
        .order_by(MeterSwitch.id.desc())
        .limit(limit)
    )
    requests = list(session.execute(stmt).scalars())
    last = _newest_resolutions(session, [r.id for r in requests])
    return [(r, last.get(r.id)) for r in requests]


def open_switches(session: Session, account_id: int) -> list[MeterSwitch]:
    """The account's requests whose outcome is still "unknown", oldest first."""
    stmt = (
        select(MeterSwitch)
        .where(MeterSwitch.account_id == account_id, MeterSwitch.resolves_id.is_(None))
        .order_by(MeterSwitch.id)
    )
    requests = list(session.execute(stmt).scalars())
    last = _newest_resolutions(session, [r.id for r in requests])
    return [r for r in requests if (last[r.id] if r.id in last else r).outcome == "unknown"]


def bus_reading_summary(
    session: Session, meters: list[tuple[int, str]]
) -> dict[int, tuple[RemoteMeterReading | None, RemoteMeterReading | None, datetime | None]]:
    """For each (account id, module address): its newest reading, its newest answered reading, and
    since when it has not answered (the first unanswered reading after the newest answered one;
    None while it answers). What the bus status screen shows (counter_app/meter_polling.py)."""
    if not meters:
        return {}
    wanted = dict(meters)
    r = RemoteMeterReading
    ok_id = func.max(case((r.outcome == "ok", r.id)))
    grouped = session.execute(
        select(r.account_id, r.address, func.max(r.id), ok_id)
        .where(r.account_id.in_(wanted))
        .group_by(r.account_id, r.address)
    ).all()
    ids = {(a, addr): (newest, ok) for a, addr, newest, ok in grouped if wanted.get(a) == addr}
    rows = {row.id: row for row in session.scalars(
        select(r).where(r.id.in_([i for pair in ids.values() for i in pair if i is not None]))
    )}  # fmt: skip
    out: dict[int, tuple[RemoteMeterReading | None, RemoteMeterReading | None, datetime | None]] = {}
    for (account_id, address), (newest_id, ok) in ids.items():
        newest = rows.get(newest_id)
        since = None
        if newest is not None and newest.outcome != "ok":
            since = session.scalar(
                select(func.min(r.read_at)).where(
                    r.account_id == account_id, r.address == address, r.outcome != "ok", r.id > (ok or 0)
                )
            )
        out[account_id] = (newest, rows.get(ok) if ok is not None else None, since)
    return out


# --- software control (SoftwareControlStep) ----------------------------------------------------------


def software_control_periods(
    session: Session, account_id: int
) -> list[tuple[SoftwareControlStep, SoftwareControlStep | None]]:
    """The account's periods oldest first, each begin row with its end row (None: still open)."""
    steps = list(
        session.scalars(
            select(SoftwareControlStep)
            .where(SoftwareControlStep.account_id == account_id)
            .order_by(SoftwareControlStep.id)
        )
    )
    ends = {row.begins_id: row for row in steps if row.step == "end"}
    return [(row, ends.get(row.id)) for row in steps if row.step == "begin"]


def newest_answered(
    session: Session, account_id: int, *, address: str, since: datetime, after_id: int | None = None
) -> RemoteMeterReading | None:
    """The newest answered reading of the module at `address` since `since` (and after the reading
    `after_id` when given)."""
    stmt = select(RemoteMeterReading).where(
        RemoteMeterReading.account_id == account_id, RemoteMeterReading.outcome == "ok",
        RemoteMeterReading.read_at >= since, RemoteMeterReading.address == address,
    )  # fmt: skip
    if after_id is not None:
        stmt = stmt.where(RemoteMeterReading.id > after_id)
    return session.scalars(stmt.order_by(RemoteMeterReading.id.desc()).limit(1)).first()


def answered_window(
    session: Session,
    account_id: int,
    *,
    address: str,
    since: datetime,
    from_id: int | None,
    to_id: int | None,
) -> tuple[RemoteMeterReading | None, RemoteMeterReading | None]:
    """The first and the newest answered reading at `address` since `since` whose id lies in
    [from_id, to_id] (an open bound when None): one stretch of a module's register."""
    stmt = select(RemoteMeterReading).where(
        RemoteMeterReading.account_id == account_id, RemoteMeterReading.outcome == "ok",
        RemoteMeterReading.read_at >= since, RemoteMeterReading.address == address,
    )  # fmt: skip
    if from_id is not None:
        stmt = stmt.where(RemoteMeterReading.id >= from_id)
    if to_id is not None:
        stmt = stmt.where(RemoteMeterReading.id <= to_id)
    first = session.scalars(stmt.order_by(RemoteMeterReading.id).limit(1)).first()
    last = session.scalars(stmt.order_by(RemoteMeterReading.id.desc()).limit(1)).first()
    return first, last
