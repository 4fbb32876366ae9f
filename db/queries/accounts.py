"""Accounts and rooms: the look-ups of the sale path by key, the busy claim, the last write-back."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Select, Update, bindparam, select, update
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from db.models.accounts import Account, AccountEvent
from db.models.places import Room

# Statements on every sale's path are built once (`@cache`) with bound parameters: building one
# and computing its cache key is ~0.3–0.6 ms of Python per execution, a prebuilt one's key is
# memoised (issue 16: about a third of the sale's own time went to it).


@cache
def _account_by_no() -> Select[tuple[Account]]:
    return select(Account).where(Account.account_no == bindparam("account_no"))


def account_by_no(session: Session, account_no: str) -> Account | None:
    return session.execute(_account_by_no(), {"account_no": account_no}).scalar_one_or_none()


def account_for_receipt(
    session: Session, account_id: int
) -> tuple[Account, Room | None, AccountEvent | None]:
    """The account (it must exist), its room and its last write-back seen (`last_write_back_event`),
    in one statement: a sale's commit prints the room code and, on the confirmation slip, the
    balance before (two round trips fewer than three look-ups; issue 16). The sealed rows are
    checked as they load."""
    account, room, event = session.execute(_account_for_receipt(), {"account_id": account_id}).one()
    return account, room, event


@cache
def _account_for_receipt() -> Select[tuple[Account, Room, AccountEvent]]:  # (None: outer joins)
    return (
        select(Account, Room, AccountEvent)
        .outerjoin(Room, Room.id == Account.room_id)
        .outerjoin(AccountEvent, AccountEvent.id == _last_seen_id())
        .where(Account.id == bindparam("account_id"))
    )


def account_and_last_write_back(
    session: Session, account_no: str
) -> tuple[Account | None, AccountEvent | None]:
    """The account by its number and its last write-back seen (`last_write_back_event`) in one
    statement: a sale's intent asks both, the second to know whether the card brings a new one (one
    round trip fewer; issue 16). (None, None): no such account."""
    row = session.execute(_account_and_last_write_back(), {"account_no": account_no}).first()
    return (None, None) if row is None else (row[0], row[1])


@cache
def _account_and_last_write_back() -> Select[tuple[Account, AccountEvent]]:  # (None: outer join)
    return (
        select(Account, AccountEvent)
        .outerjoin(AccountEvent, AccountEvent.id == _last_seen_id())
        .where(Account.account_no == bindparam("account_no"))
    )


def _last_seen_id() -> Any:
    """The id of the account's last "write_back_seen" event, correlated to the outer Account."""
    return (
        select(AccountEvent.id)
        .where(AccountEvent.account_id == Account.id, AccountEvent.kind == "write_back_seen")
        .order_by(AccountEvent.id.desc())
        .limit(1)
        .correlate(Account)
        .scalar_subquery()
    )


def account_by_room_code(session: Session, campus_id: int, room_code: str) -> Account | None:
    """The live (not closed) account of a room, by its normalised code within a campus
    (normalise what was typed with counter_app.room_codes.normalise_room_code first)."""
    stmt = (
        select(Account)
        .join(Room, Room.id == Account.room_id)
        .where(Room.campus_id == campus_id, Room.room_code == room_code, Account.status != "closed")
    )
    return session.execute(stmt).scalar_one_or_none()


def account_by_meter_no(session: Session, meter_no: str) -> Account | None:
    stmt = select(Account).where(Account.meter_no == meter_no, Account.status != "closed")
    return session.execute(stmt).scalar_one_or_none()


def account_by_card_serial(session: Session, card_serial: str) -> Account | None:
    stmt = select(Account).where(Account.card_serial == card_serial, Account.status != "closed")
    return session.execute(stmt).scalar_one_or_none()


def room_by_code(session: Session, campus_id: int, room_code: str) -> Room | None:
    stmt = select(Room).where(Room.campus_id == campus_id, Room.room_code == room_code)
    return session.execute(stmt).scalar_one_or_none()


def claim_account(
    session: Session, account_id: int, intent_id: str, *, workstation_id: int, at: datetime
) -> bool:
    """Mark the account busy with `intent_id`; False when another intent already holds it.

    One conditional UPDATE: of two counters racing for the account exactly one sees a row
    changed (PostgreSQL re-checks the WHERE after waiting for the row lock; SQLite has one writer).
    """
    params = {"account_id": account_id, "intent_id": intent_id, "workstation_id": workstation_id, "at": at}
    # On the connection: a Core UPDATE through Session.execute takes the ORM's bulk-update path,
    # which builds the statement anew each time (the prebuilt one's memoised key is then no use).
    session.flush()  # (what Session.execute would have flushed first)
    claimed = session.connection().execute(_claim(), params).rowcount == 1
    _expire_busy(session, account_id)
    return claimed


@cache
def _claim() -> Update:
    return (
        update(Account)
        .where(Account.id == bindparam("account_id"), Account.busy_intent_id.is_(None))
        .values(busy_intent_id=bindparam("intent_id"), busy_workstation_id=bindparam("workstation_id"),
                busy_since=bindparam("at", type_=Account.busy_since.type), version=Account.version + 1)
        .execution_options(synchronize_session=False)
    )  # fmt: skip


@cache
def _release() -> Update:
    return (
        update(Account)
        .where(Account.id == bindparam("account_id"), Account.busy_intent_id == bindparam("intent_id"))
        .values(busy_intent_id=None, busy_workstation_id=None, busy_since=None, version=Account.version + 1)
        .execution_options(synchronize_session=False)
    )


_BUSY_COLUMNS = ("busy_intent_id", "busy_workstation_id", "busy_since", "version")


def _expire_busy(session: Session, account_id: int) -> None:
    """The UPDATE changed these columns of this one row behind the ORM's back: expire just them, so
    the rest of the transaction's objects (the account's other columns too) need no reload."""
    account = session.identity_map.get(identity_key(Account, account_id))
    if account is not None:
        session.expire(account, _BUSY_COLUMNS)


def release_account(session: Session, account_id: int, intent_id: str) -> bool:
    """Clear the busy marker if `intent_id` holds it; False otherwise."""
    if _release_loaded(session, account_id, intent_id):
        return True
    params = {"account_id": account_id, "intent_id": intent_id}
    session.flush()
    released = session.connection().execute(_release(), params).rowcount == 1  # see claim_account
    session.expire_all()
    return released


def _release_loaded(session: Session, account_id: int, intent_id: str) -> bool:
    """The release as part of the account's own UPDATE, when this transaction loaded the account
    whole and saw `intent_id` holding it (a sale's result changes the account's counter too: one
    UPDATE instead of two; issue 16). The mapper's version column makes that UPDATE match only
    the row as loaded, so a claim changed meanwhile fails the flush instead of being cleared."""
    account = session.identity_map.get(identity_key(Account, account_id))
    if account is None or not sa_inspect(account).unloaded.isdisjoint(_BUSY_COLUMNS):
        return False
    if account.busy_intent_id != intent_id:
        return False
    account.busy_intent_id = account.busy_workstation_id = account.busy_since = None
    return True


def last_write_back_event(
    session: Session, account_id: int, *, before: datetime | None = None
) -> AccountEvent | None:
    """The latest "write_back_seen" event of the account (recorded before `before` when given):
    the last meter write-back a card brought to the counter."""
    if before is None:
        return session.scalar(_last_write_back(), {"account_id": account_id})
    stmt = select(AccountEvent).where(
        AccountEvent.account_id == account_id,
        AccountEvent.kind == "write_back_seen",
        AccountEvent.at < before,
    )
    return session.scalar(stmt.order_by(AccountEvent.id.desc()).limit(1))


@cache
def _last_write_back() -> Select[tuple[AccountEvent]]:
    return (
        select(AccountEvent)
        .where(AccountEvent.account_id == bindparam("account_id"), AccountEvent.kind == "write_back_seen")
        .order_by(AccountEvent.id.desc())
        .limit(1)
    )
