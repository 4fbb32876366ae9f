"""Low-balance notice (低电通报, DOMAIN "Counter operations" 9; API.md `low_balance(on)`).

Distinct from the meter's own alarm: each day, the rooms whose *estimated* remaining energy is
under `low_balance_ckwh.{cls}`, with the as-of date, by building; suppressed (empty) in the
quota's excluded months. Estimate = the remaining energy of the last write-back the counter saw
(ops.common: `write_back_seen` account events) + energy sold and free energy written that this
write-back does not show yet: purchases under a counter above its last loaded counter (or, for
entries without a counter, written after the write-back was seen). Without any write-back the
base is the legacy balance (taken over from the old system), else 0 from the opening date; a room
with no write-back, no legacy balance and no purchase is not listed (nothing is known about it).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from base.clock import BUSINESS_TZ, business_date
from base.errors import InputInvalid
from counter_app.context import OpContext
from counter_app.ops.common import write_back_from_json
from counter_app.results import LowBalanceRow
from counter_app.settings import get_setting
from db.models import Account, Building, LedgerEntry, Room
from db.queries.accounts import last_write_back_event

ENERGY_KINDS = ("sale", "correction", "free", "void", "legacy_purchase")


def low_balance(ctx: OpContext, *, on: date) -> list[LowBalanceRow]:
    if not isinstance(on, date) or isinstance(on, datetime):
        raise InputInvalid("请填写日期", detail_en="on must be a date", field="on")
    with ctx.reading() as s:
        return low_balance_rows(s, on, campus_id=ctx.workstation.campus_id)


def low_balance_rows(s: DbSession, on: date, *, campus_id: int | None = None) -> list[LowBalanceRow]:
    if on.month in get_setting(s, "quota.excluded_months"):
        return []  # holidays: nobody is there to read the notice board
    until = datetime(on.year, on.month, on.day, tzinfo=BUSINESS_TZ) + timedelta(days=1)
    stmt = (select(Account, Room.room_code, Building.code).join(Room, Room.id == Account.room_id)
            .join(Building, Building.id == Room.building_id).where(Account.status != "closed"))  # fmt: skip
    if campus_id is not None:
        stmt = stmt.where(Room.campus_id == campus_id)
    thresholds: dict[str, int] = {}
    rows = []
    for account, room_code, building in s.execute(stmt).tuples():
        if account.cls not in thresholds:
            thresholds[account.cls] = get_setting(s, f"low_balance_ckwh.{account.cls}")
        estimate = estimate_remaining(s, account, until)
        if estimate is not None and estimate[0] < thresholds[account.cls]:
            rows.append(LowBalanceRow(room_code=room_code, estimated_ckwh=estimate[0], as_of=estimate[1],
                                      building=building))  # fmt: skip
    return sorted(rows, key=lambda r: (_natural(r.building), _natural(r.room_code)))


def _natural(code: str | None) -> tuple[int | str, ...]:
    return tuple(int(p) if p.isdigit() else p for p in (code or "").replace("-", " ").split())


def estimate_remaining(s: DbSession, account: Account, until: datetime) -> tuple[int, date] | None:
    """(estimated remaining ckwh, as-of date of its base) from what was known before `until`."""
    event = last_write_back_event(s, account.id, before=until)
    loaded: int | None = None
    since: datetime | None = None
    if event is not None and event.data:
        wb = write_back_from_json(event.data)
        base, loaded, since = wb.remaining_ckwh, wb.last_loaded_counter, event.at
        as_of = business_date(wb.at or event.at)
    elif account.legacy_balance_ckwh is not None and account.legacy_as_of is not None:
        base, since, as_of = (
            account.legacy_balance_ckwh,
            account.legacy_as_of,
            business_date(account.legacy_as_of),
        )
    else:
        base, as_of = 0, account.opened_on
    entries = s.execute(select(LedgerEntry.energy_ckwh, LedgerEntry.free_ckwh, LedgerEntry.purchase_counter,
                               LedgerEntry.at).where(
        LedgerEntry.account_id == account.id, LedgerEntry.kind.in_(ENERGY_KINDS), LedgerEntry.at < until)).tuples()  # fmt: skip
    added, any_entry = 0, False
    for energy, free, counter, at in entries:
        any_entry = True
        not_loaded = (
            counter > loaded
            if (counter is not None and loaded is not None)
            else (since is None or at > since)
        )
        if not_loaded:
            added += energy + free
    if event is None and account.legacy_balance_ckwh is None and not any_entry:
        return None
    return base + added, as_of
