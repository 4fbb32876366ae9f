"""Settlement and finance (日清月结): blind counts, Z reports, settlement sheets and their sign-off,
deposits, stamped receipt books, month closes and collection checks.

Everything here is append-only. A sheet is written once at close with the snapshot of what it
shows (`content`, plain JSON), so the PDF regenerated years later is the one finance signed; each
signature is a new row (UNIQUE(sheet_id, step): a step is signed once), and the freeze is a row
of its own. A receipt-book page is used or voided once (UNIQUE(book_id, page_no)). The numbers of
sheets and Z reports come from db.numbering's per-workstation series (no gaps, no reuse).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, IntPK, JsonDoc, UtcDateTime, approval_fk, in_list, operator_fk, row_mac_column

DEPOSIT_KINDS = ("cash_slip", "bank_slip")  # 现金缴款单 / 进账单
PAGE_STATES = ("used", "void")  # a page with no row is blank
CHECK_KINDS = ("half_month", "spot")  # 半月收账检查 / 抽查
SHEET_SERIES = "sheet"
Z_SERIES = "z"


class ShiftCount(Base):
    """The blind count: cash by denomination, declared before the expected figure is shown.
    One per shift; it cannot be changed (a recount would defeat the blindness)."""

    __tablename__ = "shift_counts"
    __table_args__ = (CheckConstraint("counted_fen >= 0", name="counted_not_negative"),)

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    shift_id: Mapped[int] = mapped_column(IntPK, ForeignKey("shifts.id"), unique=True)
    counted: Mapped[dict[str, Any]] = mapped_column(JsonDoc)  # {"10000": 12, "5000": 1}
    counted_fen: Mapped[int] = mapped_column(BigInteger)
    declared_at: Mapped[datetime] = mapped_column(UtcDateTime)
    operator_id: Mapped[int] = operator_fk()
    row_mac: Mapped[str | None] = row_mac_column()  # counter_app.row_seals


class XReportLog(Base):
    """Each 中途自查 taken: the sheet lists them, so one printed just before the count shows."""

    __tablename__ = "x_report_log"

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    shift_id: Mapped[int] = mapped_column(IntPK, ForeignKey("shifts.id"), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    operator_id: Mapped[int] = operator_fk()
    row_mac: Mapped[str | None] = row_mac_column()  # counter_app.row_seals


class ZReport(Base):
    __tablename__ = "z_reports"
    __table_args__ = (UniqueConstraint("workstation_id", "seq"),)

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    workstation_id: Mapped[int] = mapped_column(IntPK, ForeignKey("workstations.id"))
    seq: Mapped[int] = mapped_column(BigInteger)
    z_no: Mapped[str] = mapped_column(String(32), unique=True)
    shift_id: Mapped[int] = mapped_column(IntPK, ForeignKey("shifts.id"), unique=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    audit_seq: Mapped[int] = mapped_column(BigInteger)
    audit_head: Mapped[str] = mapped_column(String(64))
    row_mac: Mapped[str | None] = row_mac_column()  # counter_app.row_seals


class SettlementSheet(Base):
    """财务交账单. `content` is the snapshot the PDF is drawn from; `chain` the sign-off steps
    ([label, role] pairs) in force at close, so a later settings change cannot reshape it."""

    __tablename__ = "settlement_sheets"

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    sheet_no: Mapped[str] = mapped_column(String(32), unique=True)
    shift_id: Mapped[int] = mapped_column(IntPK, ForeignKey("shifts.id"), unique=True)
    workstation_id: Mapped[int] = mapped_column(IntPK, ForeignKey("workstations.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    content: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    content_sha256: Mapped[str] = mapped_column(String(64))
    chain: Mapped[list[Any]] = mapped_column(JsonDoc)
    row_mac: Mapped[str | None] = row_mac_column()  # counter_app.row_seals


class SheetSignature(Base):
    __tablename__ = "sheet_signatures"
    __table_args__ = (
        UniqueConstraint("sheet_id", "step"),
        UniqueConstraint("sheet_id", "operator_id"),  # one person, one step
        CheckConstraint("step >= 0", name="step_not_negative"),
    )

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    sheet_id: Mapped[int] = mapped_column(IntPK, ForeignKey("settlement_sheets.id"), index=True)
    step: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(32))
    role: Mapped[str] = mapped_column(String(16))
    operator_id: Mapped[int] = operator_fk()
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    voucher_no: Mapped[str | None] = mapped_column(String(64))
    row_mac: Mapped[str | None] = row_mac_column()  # counter_app.row_seals


class SheetFreeze(Base):
    """The frozen mark: after finance's 签收 the sheet (and so its shift) cannot change."""

    __tablename__ = "sheet_freezes"

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    sheet_id: Mapped[int] = mapped_column(IntPK, ForeignKey("settlement_sheets.id"), unique=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    operator_id: Mapped[int] = operator_fk()
    voucher_no: Mapped[str] = mapped_column(String(64))
    row_mac: Mapped[str | None] = row_mac_column()  # counter_app.row_seals


class Deposit(Base):
    __tablename__ = "deposits"
    __table_args__ = (
        UniqueConstraint("kind", "slip_no"),
        CheckConstraint(in_list("kind", DEPOSIT_KINDS), name="kind_known"),
        CheckConstraint("amount_fen > 0", name="amount_positive"),
    )

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    slip_no: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    bank: Mapped[str] = mapped_column(String(100))
    stamped_on: Mapped[date] = mapped_column(Date)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    operator_id: Mapped[int] = operator_fk()
    workstation_id: Mapped[int | None] = mapped_column(IntPK, ForeignKey("workstations.id"))
    row_mac: Mapped[str | None] = row_mac_column()  # counter_app.row_seals


class DepositShift(Base):
    __tablename__ = "deposit_shifts"
    __table_args__ = (UniqueConstraint("deposit_id", "shift_id"),)

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    deposit_id: Mapped[int] = mapped_column(IntPK, ForeignKey("deposits.id"), index=True)
    shift_id: Mapped[int] = mapped_column(IntPK, ForeignKey("shifts.id"), index=True)
    row_mac: Mapped[str | None] = row_mac_column()  # counter_app.row_seals


class ReceiptBookIssue(Base):
    """A book of stamped school receipts (学校结算收据) issued to a cashier: pages first..last."""

    __tablename__ = "receipt_books"
    __table_args__ = (CheckConstraint("first_no > 0 AND last_no >= first_no", name="range_valid"),)

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    cashier_id: Mapped[int] = operator_fk(index=True)
    first_no: Mapped[int] = mapped_column(BigInteger)
    last_no: Mapped[int] = mapped_column(BigInteger)
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime)
    issued_by: Mapped[int] = operator_fk()
    row_mac: Mapped[str | None] = row_mac_column()  # counter_app.row_seals


class ReceiptPage(Base):
    """A page used for a payment, or voided with a reason (missing, misprinted, unstamped)."""

    __tablename__ = "receipt_pages"
    __table_args__ = (
        UniqueConstraint("book_id", "page_no"),
        CheckConstraint(in_list("state", PAGE_STATES), name="state_known"),
        CheckConstraint("state <> 'void' OR reason IS NOT NULL", name="void_has_reason"),
    )

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    book_id: Mapped[int] = mapped_column(IntPK, ForeignKey("receipt_books.id"), index=True)
    page_no: Mapped[int] = mapped_column(BigInteger)
    state: Mapped[str] = mapped_column(String(8))
    reason: Mapped[str | None] = mapped_column(Text)
    ledger_entry_id: Mapped[int | None] = mapped_column(IntPK, ForeignKey("ledger_entries.id"))
    shift_id: Mapped[int | None] = mapped_column(IntPK, ForeignKey("shifts.id"), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    operator_id: Mapped[int] = operator_fk()
    row_mac: Mapped[str | None] = row_mac_column()  # counter_app.row_seals


class ReceiptBookReturn(Base):
    __tablename__ = "receipt_book_returns"

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    book_id: Mapped[int] = mapped_column(IntPK, ForeignKey("receipt_books.id"), unique=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    operator_id: Mapped[int] = operator_fk()
    summary: Mapped[dict[str, Any]] = mapped_column(JsonDoc)  # used / void / blank page lists
    row_mac: Mapped[str | None] = row_mac_column()  # counter_app.row_seals


class MonthClose(Base):
    __tablename__ = "month_closes"

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    period: Mapped[str] = mapped_column(String(7), unique=True)  # "YYYY-MM"
    closed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    maker_id: Mapped[int] = operator_fk()
    approval_id: Mapped[int | None] = approval_fk()
    row_mac: Mapped[str | None] = row_mac_column()  # counter_app.row_seals


class CollectionCheck(Base):
    """半月收账检查 or a spot check (抽查) by the assistant, with what was found."""

    __tablename__ = "collection_checks"
    __table_args__ = (CheckConstraint(in_list("kind", CHECK_KINDS), name="kind_known"),)

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    covers_from: Mapped[date] = mapped_column(Date)
    covers_to: Mapped[date] = mapped_column(Date)
    shift_id: Mapped[int | None] = mapped_column(IntPK, ForeignKey("shifts.id"))
    findings: Mapped[str] = mapped_column(Text)
    counted_fen: Mapped[int | None] = mapped_column(BigInteger)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    operator_id: Mapped[int] = operator_fk()
    row_mac: Mapped[str | None] = row_mac_column()  # counter_app.row_seals
