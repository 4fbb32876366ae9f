"""Settings: each change is a new row; the latest row of a key is its value."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import RowMapping, bindparam, func, select
from sqlalchemy.orm import Session

from db.models.settings import SettingValue

# Built once: every sale and look-up reads settings, and building the statement (and its cache
# key, memoised on the statement object) cost more than running it.
_LATEST = (
    select(SettingValue).where(SettingValue.key == bindparam("key")).order_by(SettingValue.id.desc()).limit(1)
)


def latest_setting(session: Session, key: str) -> SettingValue | None:
    """The latest stored row of a setting (None: never set, the registry default applies)."""
    return session.execute(_LATEST, {"key": key}).scalar_one_or_none()


# The latest row of every key in one statement (an index range per key: ix_setting_values_key_id).
_ALL_LATEST_ROWS = select(SettingValue.__table__).where(
    SettingValue.id.in_(select(func.max(SettingValue.id)).group_by(SettingValue.key))
)


def latest_settings(session: Session) -> dict[str, RowMapping]:
    """key → its latest stored row (its columns, not an ORM object), for every key ever set (a key
    never set is absent). Plain rows: a transaction uses a few settings of the dozens a centre
    has set, and an object per row with its seal checked at load cost more than the statement
    (each caller checks the seals of the rows it uses: counter_app/settings.py get_setting)."""
    return {row["key"]: row for row in session.execute(_ALL_LATEST_ROWS).mappings()}


def add_setting_row(
    session: Session, key: str, value: Any, *, set_by: int, at: datetime, approval_id: int | None = None
) -> SettingValue:
    row = SettingValue(key=key, value=value, set_by=set_by, set_at=at, approval_id=approval_id)
    session.add(row)
    session.flush()
    return row
