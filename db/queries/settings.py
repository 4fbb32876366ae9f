"""Settings: each change is a new row; the latest row of a key is its value."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models.settings import SettingValue


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
