"""Card classes, accounts (current state, mutable) and their append-only history.

An account's row holds only what the counter needs *now* (status, holder, current card, purchase
counter, occupants, the busy marker). Every change to it is also written as an `AccountEvent` row
with who, when, where and why, so the history is never lost when the row is updated.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from base.vocabulary import CLASS_CODES, CLASS_GROUP_LABELS, CLASS_GROUPS, CLASS_LABELS
from db.base import (
    UUID_TEXT_LENGTH,
    Base,
    IntPK,
    JsonDoc,
    UtcDateTime,
    approval_fk,
    in_list,
    operator_fk,
    row_mac_column,
)

ACCOUNT_STATUSES = ("pending", "active", "blocked", "closed")
PATTERN_OPS = "varchar_pattern_ops"
OCCUPANT_CATEGORIES = ("undergrad", "master", "phd")  # 本科 / 研究生 / 博士
# The meter model of an account's meter = the name of the meter profile its cards are written in
# (hardware/profiles.py; db may not import hardware, so the reference profile's name is repeated
# here and tests/hardware/test_profiles.py keeps the two equal).
DEFAULT_METER_MODEL = "reference-v1"
METER_MODEL_LENGTH = 32

# Reference rows, inserted by migration 0002 (and nowhere else). Class groups are the report
# lines of DOMAIN.md: 寝室用户 = dorms, 业主用户 = staff households + businesses.
CARD_CLASS_ROWS = tuple(
    {"code": code, "name": CLASS_LABELS[code], "class_group": CLASS_GROUPS[code],
     "class_group_name": CLASS_GROUP_LABELS[CLASS_GROUPS[code]]}
    for code in CLASS_CODES
)  # fmt: skip

ACCOUNT_EVENT_KINDS = (
    "opened",
    "imported",
    "legacy_imported",
    "class_changed",
    "class_confirmed",
    "occupants_changed",
    "holder_changed",
    "card_issued",
    "card_lost",
    "card_replaced",
    "meter_replaced",
    "blocked",
    "unblocked",
    "cleared",
    "closed",
    "note",
    "write_back_seen",  # a card read showed the meter's write-back (data: the write-back)
)


class CardClass(Base):
    __tablename__ = "card_classes"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    class_group: Mapped[str] = mapped_column(String(16))
    class_group_name: Mapped[str] = mapped_column(String(50))
    row_mac: Mapped[str | None] = row_mac_column()  # counter_app.row_seals


class Account(Base):
    __tablename__ = "accounts"
    __table_args__ = (
        CheckConstraint(in_list("status", ACCOUNT_STATUSES), name="status_known"),
        CheckConstraint("purchase_counter >= 0", name="purchase_counter_not_negative"),
        CheckConstraint(
            "beds >= 0 AND occupants_undergrad >= 0 AND occupants_master >= 0 AND occupants_phd >= 0",
            name="occupancy_not_negative",
        ),
        # One live account per room and per meter; closed ones are history.
        Index(
            "uq_accounts_room_live",
            "room_id",
            unique=True,
            sqlite_where=text("status <> 'closed'"),
            postgresql_where=text("status <> 'closed'"),
        ),
        Index(
            "uq_accounts_meter_live",
            "meter_no",
            unique=True,
            sqlite_where=text("status <> 'closed'"),
            postgresql_where=text("status <> 'closed'"),
        ),
        # The account search matches by prefix (counter_app/ops/lookup.py); on PostgreSQL LIKE
        # 'p%' uses a btree only with the pattern operator class (which also serves equality).
        Index(
            "uq_accounts_account_no", "account_no", unique=True, postgresql_ops={"account_no": PATTERN_OPS}
        ),
        Index("ix_accounts_meter_no", "meter_no", postgresql_ops={"meter_no": PATTERN_OPS}),
        Index("ix_accounts_holder", "holder", postgresql_ops={"holder": PATTERN_OPS}),
    )

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    account_no: Mapped[str] = mapped_column(String(32))
    room_id: Mapped[int] = mapped_column(IntPK, ForeignKey("rooms.id"), index=True)
    cls: Mapped[str] = mapped_column(String(16), ForeignKey("card_classes.code"))
    status: Mapped[str] = mapped_column(String(16))
    holder: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(32))
    meter_no: Mapped[str] = mapped_column(String(32))
    # Recorded with the meter (open_account, replace_meter): which profile writes this account's cards.
    meter_model: Mapped[str] = mapped_column(
        String(METER_MODEL_LENGTH), default=DEFAULT_METER_MODEL, server_default=DEFAULT_METER_MODEL
    )
    card_serial: Mapped[str | None] = mapped_column(String(32), index=True)
    purchase_counter: Mapped[int] = mapped_column(Integer, default=0)
    beds: Mapped[int] = mapped_column(Integer, default=0)
    occupants_undergrad: Mapped[int] = mapped_column(Integer, default=0)
    occupants_master: Mapped[int] = mapped_column(Integer, default=0)
    occupants_phd: Mapped[int] = mapped_column(Integer, default=0)
    opened_on: Mapped[date] = mapped_column(Date)
    # "One account written by one counter at a time": the open card-write intent holding it.
    # Taken with a conditional UPDATE (db.queries.accounts.claim_account), released when the intent ends.
    busy_intent_id: Mapped[str | None] = mapped_column(String(UUID_TEXT_LENGTH))
    busy_workstation_id: Mapped[int | None] = mapped_column(IntPK, ForeignKey("workstations.id"))
    busy_since: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Taken over from the old vending system (DOMAIN "Taking over"): the last balance it knew.
    legacy_balance_ckwh: Mapped[int | None] = mapped_column(BigInteger)
    legacy_as_of: Mapped[datetime | None] = mapped_column(UtcDateTime)
    simulated: Mapped[bool] = mapped_column(Boolean, default=False)
    # Optimistic lock: a stale copy updated by a second counter fails instead of overwriting.
    version: Mapped[int] = mapped_column(Integer, default=1)
    row_mac: Mapped[str | None] = row_mac_column()  # counter_app.row_seals

    __mapper_args__ = {"version_id_col": version}


class AccountEvent(Base):
    """Append-only history of an account: opened, class confirmed, holder changed, card lost…"""

    __tablename__ = "account_events"
    __table_args__ = (CheckConstraint(in_list("kind", ACCOUNT_EVENT_KINDS), name="kind_known"),)

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    account_id: Mapped[int] = mapped_column(IntPK, ForeignKey("accounts.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    operator_id: Mapped[int | None] = operator_fk(nullable=True)
    workstation_id: Mapped[int | None] = mapped_column(IntPK, ForeignKey("workstations.id"))
    approval_id: Mapped[int | None] = approval_fk()
    reason: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any] | None] = mapped_column(JsonDoc)
