"""Queries of the hot paths, so SQL stays inside db/.

Look-ups return ORM objects (or None); callers inside a unit of work copy what they need into the
frozen dataclasses of API.md. Nothing here commits.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.orm import Session

from db.models.accounts import Account
from db.models.intents import INTENT_FINAL_STATES, CardWriteIntent, IntentEvent
from db.models.ledger import LedgerEntry
from db.models.places import Campus, Room, Workstation
from db.models.receipts import Receipt
from db.models.security import Operator
from db.models.settings import SettingValue
from db.models.settlement import SettlementSheet, ZReport
from db.models.tariffs import Fee, Tariff

OPEN = "open"  # the state of an intent with no event yet


# --- accounts ---------------------------------------------------------------------------------------


def account_by_no(session: Session, account_no: str) -> Account | None:
    return session.execute(select(Account).where(Account.account_no == account_no)).scalar_one_or_none()


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
    stmt = (
        update(Account)
        .where(Account.id == account_id, Account.busy_intent_id.is_(None))
        .values(busy_intent_id=intent_id, busy_workstation_id=workstation_id, busy_since=at,
                version=Account.version + 1)
        .execution_options(synchronize_session=False)
    )  # fmt: skip
    # An UPDATE's result is a CursorResult (rowcount); Session.execute is typed as the general Result.
    claimed = cast(CursorResult[Any], session.execute(stmt)).rowcount == 1
    session.expire_all()
    return claimed


def release_account(session: Session, account_id: int, intent_id: str) -> bool:
    """Clear the busy marker if `intent_id` holds it; False otherwise."""
    stmt = (
        update(Account)
        .where(Account.id == account_id, Account.busy_intent_id == intent_id)
        .values(busy_intent_id=None, busy_workstation_id=None, busy_since=None, version=Account.version + 1)
        .execution_options(synchronize_session=False)
    )
    released = cast(CursorResult[Any], session.execute(stmt)).rowcount == 1  # see claim_account
    session.expire_all()
    return released


# --- tariffs, fees, settings -----------------------------------------------------------------------


def current_tariff(session: Session, cls: str, at: datetime) -> Tariff | None:
    """The tariff of `cls` in force at `at`: the latest effective_from <= at."""
    stmt = (
        select(Tariff)
        .where(Tariff.cls == cls, Tariff.effective_from <= at)
        .order_by(Tariff.effective_from.desc())
        .limit(1)
    )
    return session.execute(stmt).scalar_one_or_none()


def current_fee(session: Session, kind: str, at: datetime) -> Fee | None:
    stmt = (
        select(Fee)
        .where(Fee.kind == kind, Fee.effective_from <= at)
        .order_by(Fee.effective_from.desc())
        .limit(1)
    )
    return session.execute(stmt).scalar_one_or_none()


def latest_setting(session: Session, key: str) -> SettingValue | None:
    """The latest stored row of a setting (None: never set, the registry default applies)."""
    stmt = select(SettingValue).where(SettingValue.key == key).order_by(SettingValue.id.desc()).limit(1)
    return session.execute(stmt).scalar_one_or_none()


def add_setting_row(
    session: Session, key: str, value: Any, *, set_by: int, at: datetime, approval_id: int | None = None
) -> SettingValue:
    row = SettingValue(key=key, value=value, set_by=set_by, set_at=at, approval_id=approval_id)
    session.add(row)
    session.flush()
    return row


# --- intents and ledger ----------------------------------------------------------------------------


def intent_state(session: Session, intent_id: str) -> str:
    """The latest event's state, or "open"."""
    stmt = (
        select(IntentEvent.state)
        .where(IntentEvent.intent_id == intent_id)
        .order_by(IntentEvent.id.desc())
        .limit(1)
    )
    return session.execute(stmt).scalar_one_or_none() or OPEN


def unfinished_intents(
    session: Session, *, workstation_id: int | None = None
) -> list[tuple[CardWriteIntent, str]]:
    """Intents whose latest state is not final (open, card_written, suspense), oldest first."""
    latest = (
        select(IntentEvent.intent_id, func.max(IntentEvent.id).label("last_id"))
        .group_by(IntentEvent.intent_id)
        .subquery()
    )
    stmt = (
        select(CardWriteIntent, IntentEvent.state)
        .outerjoin(latest, latest.c.intent_id == CardWriteIntent.intent_id)
        .outerjoin(IntentEvent, IntentEvent.id == latest.c.last_id)
        .where((IntentEvent.state.is_(None)) | (IntentEvent.state.not_in(INTENT_FINAL_STATES)))
        .order_by(CardWriteIntent.id)
    )
    if workstation_id is not None:
        stmt = stmt.where(CardWriteIntent.workstation_id == workstation_id)
    return [(intent, state or OPEN) for intent, state in session.execute(stmt)]


def ledger_for_shift(session: Session, shift_id: int) -> list[LedgerEntry]:
    return list(
        session.execute(
            select(LedgerEntry).where(LedgerEntry.shift_id == shift_id).order_by(LedgerEntry.id)
        ).scalars()
    )


def ledger_for_account(session: Session, account_id: int) -> list[LedgerEntry]:
    stmt = select(LedgerEntry).where(LedgerEntry.account_id == account_id).order_by(LedgerEntry.id)
    return list(session.execute(stmt).scalars())


def ledger_between(session: Session, start: datetime, end: datetime) -> list[LedgerEntry]:
    """Entries with start <= at < end."""
    stmt = select(LedgerEntry).where(LedgerEntry.at >= start, LedgerEntry.at < end).order_by(LedgerEntry.id)
    return list(session.execute(stmt).scalars())


# --- people and places (counter-admin) ----------------------------------------------------------------


def operator_id_by_name(session: Session, name: str) -> int | None:
    return session.scalar(select(Operator.id).where(Operator.name == name))


def campus_by_name(session: Session, name: str) -> Campus | None:
    """The campus whose name or code is `name` (files and the command line use either)."""
    return session.scalar(select(Campus).where((Campus.name == name) | (Campus.code == name)).limit(1))


def add_campus(session: Session, *, code: str, name: str) -> Campus:
    campus = Campus(code=code, name=name)
    session.add(campus)
    session.flush()
    return campus


def workstation_id_by_code(session: Session, code: str) -> int | None:
    return session.scalar(select(Workstation.id).where(Workstation.code == code))


def workstations(session: Session, code: str | None = None, *, limit: int | None = None) -> list[Workstation]:
    """The workstation `code` (none or one), else the registered ones (at most `limit`)."""
    stmt = select(Workstation)
    stmt = stmt.where(Workstation.code == code) if code else stmt.limit(limit)
    return list(session.scalars(stmt))


def add_workstation(session: Session, *, code: str, campus_id: int, created_at: datetime) -> Workstation:
    row = Workstation(code=code, campus_id=campus_id, simulated=False, created_at=created_at)
    session.add(row)
    session.flush()
    return row


def receipt_amount_fen(session: Session, receipt_no: str) -> int | None:
    return session.scalar(select(Receipt.amount_fen).where(Receipt.receipt_no == receipt_no))


def z_report_head(session: Session, number: str) -> tuple[int, str] | None:
    """The audit chain head (sequence, MAC) stored with a Z report, named by its settlement sheet
    number or its own Z number."""
    sheet_shift = select(SettlementSheet.shift_id).where(SettlementSheet.sheet_no == number)
    stmt = select(ZReport).where((ZReport.shift_id.in_(sheet_shift)) | (ZReport.z_no == number))
    z = session.scalars(stmt).first()
    return None if z is None else (z.audit_seq, z.audit_head)
