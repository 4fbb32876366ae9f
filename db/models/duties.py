"""The department's own records (issue 15): the visitor and phone log (来电来访登记, seed 001:1661).

A question is written once (`visitor_entries`); what happens to it afterwards is a new row each
time (`visitor_steps`: escalated to someone, answered, the customer told), never an edit. Both are
audited (db/models/__init__.py AUDITED_TABLES): a question removed or an answer rewritten shows in
`audit verify`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, IntPK, UtcDateTime, in_list, operator_fk

VISIT_CHANNELS = ("phone", "visit")  # 来电 / 来访
VISIT_STEPS = ("escalated", "answered", "told")  # 上报 / 答复 / 已告知用户


class VisitorEntry(Base):
    __tablename__ = "visitor_entries"
    __table_args__ = (CheckConstraint(in_list("channel", VISIT_CHANNELS), name="channel_known"),)

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    channel: Mapped[str] = mapped_column(String(8))
    caller: Mapped[str | None] = mapped_column(String(100))  # name and/or phone number, as given
    room_code: Mapped[str | None] = mapped_column(String(64), index=True)
    question: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    operator_id: Mapped[int] = operator_fk()
    workstation_id: Mapped[int] = mapped_column(IntPK, ForeignKey("workstations.id"))


class VisitorStep(Base):
    __tablename__ = "visitor_steps"
    __table_args__ = (CheckConstraint(in_list("kind", VISIT_STEPS), name="kind_known"),)

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    entry_id: Mapped[int] = mapped_column(IntPK, ForeignKey("visitor_entries.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    to_operator_id: Mapped[int | None] = operator_fk(nullable=True)  # escalated: to whom
    text: Mapped[str | None] = mapped_column(Text)  # answered: the answer; told: a note
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    operator_id: Mapped[int] = operator_fk()
