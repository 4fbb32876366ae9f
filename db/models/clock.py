"""Writes that went back in time (issue "Counter operations" §4): when the PC's clock is set back
during a shift, receipt numbers and the audit chain stay in order (they come from counters, not
times), but every ledger entry, receipt or audit entry written with a time earlier than the latest
one already written is flagged here for the supervisor's morning list. Append-only, audited.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, IntPK, UtcDateTime, in_list
from db.models.ledger import LedgerEntry
from db.models.receipts import Receipt

# ledger_entry / receipt: earlier than the latest one of the SAME workstation;
# audit_entry (any other audited write): earlier than the latest entry of the whole chain.
CLOCK_MARK_SUBJECTS = ("ledger_entry", "receipt", "audit_entry")


class ClockMark(Base):
    __tablename__ = "clock_marks"
    __table_args__ = (CheckConstraint(in_list("what", CLOCK_MARK_SUBJECTS), name="what_known"),)

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    what: Mapped[str] = mapped_column(String(16))
    subject_table: Mapped[str | None] = mapped_column(String(64))
    subject_id: Mapped[int | None] = mapped_column(BigInteger)
    audit_sequence: Mapped[int] = mapped_column(BigInteger)  # the audit entry of the flagged write
    workstation: Mapped[str | None] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(UtcDateTime)  # the time the write carries
    latest_at: Mapped[datetime] = mapped_column(UtcDateTime)  # the later time already written
    reason: Mapped[str] = mapped_column(Text, default="clock went back")


Index("ix_clock_marks_at", ClockMark.at)
Index("ix_clock_marks_latest_at", ClockMark.latest_at)
# The latest time a workstation wrote, read at every ledger entry and receipt it writes.
Index("ix_ledger_entries_ws_at", LedgerEntry.workstation_id, LedgerEntry.at)
Index("ix_receipts_ws_issued_at", Receipt.workstation_id, Receipt.issued_at)
