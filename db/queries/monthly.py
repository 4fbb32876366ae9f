"""The month's checks: readings and K3 figures as last imported, the ledger by building, write-back
alarms, last purchases (counter_app/ops/monthly_checks.py turns them into lists)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from db.models import Account, AccountEvent, LedgerEntry
from db.models.metering import RemoteMeterReading
from db.models.monthly import FourPartySignOff, K3Figure, MeterReading
from db.models.places import Building, Room

# Entries of electricity sold at the counter (a void carries the opposite signs).
SALE_KINDS = ("sale", "void", "correction", "free", "legacy_purchase")
# Electricity money taken on a notice: the 补交电费 of software control (charge `electricity`, no
# energy: counter_app/ops/notices.payment_charge). K3 books it as 主营业务收入-电费 of the building.
ELECTRICITY_OWED = and_(LedgerEntry.kind == "bill_payment", LedgerEntry.charge == "electricity")


def latest_readings(s: Session, period: str) -> list[MeterReading]:
    """The readings of `period`, each building as its newest import gave it."""
    newest = (select(MeterReading.building, func.max(MeterReading.import_id).label("import_id"))
              .where(MeterReading.period == period).group_by(MeterReading.building).subquery())  # fmt: skip
    return list(s.scalars(
        select(MeterReading).join(newest, and_(MeterReading.building == newest.c.building,
                                               MeterReading.import_id == newest.c.import_id))
        .where(MeterReading.period == period).order_by(MeterReading.building, MeterReading.line)
    ))  # fmt: skip


def module_use_between(
    s: Session, addresses: dict[int, str], start: datetime, end: datetime
) -> dict[int, int]:
    """Energy (0.01 kWh) each networked account's module counted over [start, end): its newest
    answered reading before `end` minus its newest answered reading before `start`, both of the
    module now at `addresses[account_id]`. None for an account without both readings (a module
    fitted during the month, a meter that never answered) or whose register went back (replaced
    at the same address): no figure is better than a wrong one."""
    if not addresses:
        return {}
    r = RemoteMeterReading

    def newest_before(moment: datetime) -> dict[int, int]:
        ids = (
            select(func.max(r.id))
            .where(
                r.account_id.in_(addresses), r.outcome == "ok", r.energy_ckwh.is_not(None), r.read_at < moment
            )
            .group_by(r.account_id, r.address)
        )
        rows = s.execute(select(r.account_id, r.address, r.energy_ckwh).where(r.id.in_(ids))).all()
        return {a: e for a, addr, e in rows if addresses.get(a) == addr and e is not None}

    before, until = newest_before(start), newest_before(end)
    return {a: e - before[a] for a, e in until.items() if a in before and e >= before[a]}


def latest_k3(s: Session, period: str) -> list[K3Figure]:
    """The K3 figures of `period` from the newest K3 import of that period."""
    newest = s.scalar(select(func.max(K3Figure.import_id)).where(K3Figure.period == period))
    if newest is None:
        return []
    return list(s.scalars(select(K3Figure).where(K3Figure.import_id == newest).order_by(K3Figure.line)))


def signoff(s: Session, period: str) -> FourPartySignOff | None:
    return s.scalar(select(FourPartySignOff).where(FourPartySignOff.period == period))


def accounts_with_place(s: Session) -> list[tuple[Account, str, str]]:
    """(account, room code, building code) of every account not closed."""
    return list(s.execute(
        select(Account, Room.room_code, Building.code).join(Room, Room.id == Account.room_id)
        .join(Building, Building.id == Room.building_id).where(Account.status != "closed")
    ).tuples())  # fmt: skip


def sales_by_building(s: Session, start: datetime, end: datetime) -> dict[str, tuple[int, int, int]]:
    """{building code: (fen, energy_ckwh, free_ckwh)} of electricity entries in [start, end): sales
    and the electricity owed paid on a notice (money only)."""
    rows = s.execute(
        select(Building.code, func.sum(LedgerEntry.fen), func.sum(LedgerEntry.energy_ckwh),
               func.sum(LedgerEntry.free_ckwh))
        .join(Account, Account.id == LedgerEntry.account_id).join(Room, Room.id == Account.room_id)
        .join(Building, Building.id == Room.building_id)
        .where(or_(LedgerEntry.kind.in_(SALE_KINDS), ELECTRICITY_OWED), LedgerEntry.at >= start,
               LedgerEntry.at < end)
        .group_by(Building.code)
    ).tuples()  # fmt: skip
    return {code: (int(fen or 0), int(ckwh or 0), int(free or 0)) for code, fen, ckwh, free in rows}


def write_backs_between(s: Session, start: datetime, end: datetime) -> list[AccountEvent]:
    """Write-backs the counters saw in [start, end), oldest first."""
    return list(s.scalars(
        select(AccountEvent).where(AccountEvent.kind == "write_back_seen", AccountEvent.at >= start,
                                   AccountEvent.at < end).order_by(AccountEvent.at, AccountEvent.id)
    ))  # fmt: skip


def last_purchases(s: Session, account_ids: Iterable[int], before: datetime) -> dict[int, datetime]:
    """{account id: time of its last purchase before `before`} (accounts never sold to are absent)."""
    ids = list(account_ids)
    if not ids:
        return {}
    rows = s.execute(
        select(LedgerEntry.account_id, func.max(LedgerEntry.at))
        .where(LedgerEntry.kind.in_(("sale", "correction", "legacy_purchase")), LedgerEntry.at < before,
               LedgerEntry.account_id.in_(ids))
        .group_by(LedgerEntry.account_id)
    ).tuples()  # fmt: skip
    return {account_id: at for account_id, at in rows if account_id is not None}


def money_by_day(s: Session, start: datetime, end: datetime) -> list[LedgerEntry]:
    """Every entry in [start, end) that moved money through a tender (the K3 voucher's lines)."""
    return list(s.scalars(
        select(LedgerEntry).where(LedgerEntry.at >= start, LedgerEntry.at < end,
                                  LedgerEntry.tender.is_not(None), LedgerEntry.fen != 0)
        .order_by(LedgerEntry.at, LedgerEntry.id)
    ))  # fmt: skip
