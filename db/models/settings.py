"""Settings as append-only rows: the current value of a key is its latest row. The registry of
keys, defaults and validators is `counter_app.settings`; a key never set has its default there.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, IntPK, JsonDoc, UtcDateTime, approval_fk, operator_fk, row_mac_column


class SettingValue(Base):
    __tablename__ = "setting_values"
    __table_args__ = (Index("ix_setting_values_key_id", "key", "id"),)

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    key: Mapped[str] = mapped_column(String(64))
    value: Mapped[Any] = mapped_column(JsonDoc)
    set_by: Mapped[int] = operator_fk()
    approval_id: Mapped[int | None] = approval_fk()
    set_at: Mapped[datetime] = mapped_column(UtcDateTime)
    row_mac: Mapped[str | None] = row_mac_column()  # counter_app.row_seals
