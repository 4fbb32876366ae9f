"""Deposits, stamped receipt books, the accounting month, reports and the receipt check
(DOMAIN "Receipts and slips", "Shifts, days, months"; API.md `record_deposit`,
`issue_receipt_book`, `void_receipt_page`, `close_month`, `verify_receipt`; the additions
`report`, `late_deposits` are in docs/api.md).

Who may do what (DOMAIN "People and roles"; where it is silent, the choice is said here):
- deposits are recorded by whoever takes the slip to the bank (the cashier, or the assistant and
  head who check them) or by finance; late deposits are the assistant's list (and head, finance);
- receipt books come from finance and are handed out by the department (assistant, head, finance);
  the cashier holding a book voids its pages (the service refuses another cashier's page);
- the month is closed by finance with a co-signature (settlement.months checks the role);
- reports: everyone who handles or checks money; the administrator holds no such role;
- anyone logged in may check a receipt's QR (it needs only the public key).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from base.errors import InputInvalid
from base.validation import HOLDER_MAX_LEN, PAGE_NO_MAX, REASON_MAX_LEN, checked_int, checked_text
from counter_app import queueing
from counter_app.approvals import Approval
from counter_app.context import OpContext
from counter_app.receipt_signing import ReceiptCheck, verify_receipt_text
from counter_app.results import DepositInfo, MonthInfo, ReceiptBook
from counter_app.roles import has_any_role
from counter_app.settlement import deposits, months, receipt_books
from counter_app.settlement.deposits import LateDeposit
from counter_app.settlement.report_catalogue import build_report
from counter_app.settlement.reports import query_from_settings
from db.models.security import Operator
from db.queries.receipts import receipt_standing
from db.queries.shifts import open_shift_id
from receipts.reports.render import FORMATS, render

DEPOSIT_ROLES = ("cashier", "supervisor", "assistant", "head", "finance")
CHECKING_ROLES = ("assistant", "head", "finance")
BOOK_HOLDERS = ("cashier", "supervisor")
REPORT_ROLES = ("cashier", "supervisor", "assistant", "head", "finance", "auditor")


def record_deposit(
    ctx: OpContext, *, slip_no: str, kind: str, bank: str, stamped_on: date, amount_fen: int,
    shift_ids: list[int], difference_reason: str | None = None, approval: Approval | None = None,
) -> DepositInfo:  # fmt: skip
    shift_ids = _shift_ids(shift_ids)
    if difference_reason is not None and difference_reason.strip():
        checked_text(difference_reason, field="difference_reason", label="差额原因", max_len=REASON_MAX_LEN)
    if isinstance(slip_no, str) and slip_no.strip():
        checked_text(slip_no, field="slip_no", label="缴款单号")
    if isinstance(bank, str) and bank.strip():
        checked_text(bank, field="bank", label="银行", max_len=HOLDER_MAX_LEN)
    with ctx.uow() as s:
        ctx.require_role(s, *DEPOSIT_ROLES)
        info = deposits.record_deposit(ctx, s, slip_no=slip_no, kind=kind, bank=bank, stamped_on=stamped_on,
                                       amount_fen=amount_fen, shift_ids=shift_ids,
                                       difference_reason=difference_reason, approval=approval)  # fmt: skip
        ctx.audit(s, "deposit.recorded", slip_no=info.slip_no, slip_kind=info.kind, amount_fen=info.amount_fen,
                  shift_ids=list(info.shift_ids), late=info.late, expected_fen=info.expected_fen,
                  difference_fen=info.difference_fen, difference_reason=info.difference_reason)  # fmt: skip
        return info


def _shift_ids(raw: object) -> list[int]:
    if isinstance(raw, str | bytes) or not hasattr(raw, "__iter__"):
        raise InputInvalid("须注明所缴班次", detail_en="shift_ids is a list of shift ids", field="shift_ids")
    ids = list(raw)
    if any(isinstance(i, bool) or not isinstance(i, int) for i in ids):
        raise InputInvalid("班次号须为整数", detail_en="shift ids are integers", field="shift_ids")
    return ids


def late_deposits(ctx: OpContext) -> list[LateDeposit]:
    """Shifts whose cash went to the bank after its due day, or is overdue today."""
    with ctx.reading() as s:
        ctx.require_role(s, *CHECKING_ROLES)
        return deposits.late_deposits(ctx, s)


def issue_receipt_book(ctx: OpContext, *, cashier: str, first_no: int, last_no: int) -> ReceiptBook:
    with ctx.uow() as s:
        ctx.require_role(s, *CHECKING_ROLES)
        cashier_id = _cashier_id(ctx, s, cashier)
        book = receipt_books.issue_receipt_book(
            ctx, s, cashier_id=cashier_id, first_no=first_no, last_no=last_no
        )
        ctx.audit(s, "receipt_book.issued", book_id=book.book_id, cashier=book.cashier, first_no=first_no,
                  last_no=last_no)  # fmt: skip
        return book


def _cashier_id(ctx: OpContext, s: DbSession, name: str) -> int:
    """The person named must be able to hold a book: someone who takes payments."""
    operator = s.scalar(select(Operator).where(Operator.name == name)) if isinstance(name, str) else None
    if operator is None or operator.disabled:
        raise InputInvalid(f"没有这位营业员：{name}", detail_en=f"no operator {name}", field="cashier")
    if not has_any_role(s, operator.id, BOOK_HOLDERS, on=ctx.today()):
        raise InputInvalid(f"{name} 不是营业员", detail_en=f"{name} is not a cashier", field="cashier")
    return operator.id


def void_receipt_page(ctx: OpContext, *, page_no: int, reason: str) -> ReceiptBook:
    """The logged-in cashier voids a page of their own book (before a shift, 003:28, or during)."""
    checked_int(page_no, field="page_no", label="收据页号", minimum=1, maximum=PAGE_NO_MAX)
    checked_text(reason, field="reason", label="作废原因", max_len=REASON_MAX_LEN)
    with ctx.uow() as s:
        ctx.require_role(s, *BOOK_HOLDERS)
        book = receipt_books.void_receipt_page(ctx, s, page_no=page_no, reason=reason,
                                               shift_id=_own_open_shift_id(ctx, s))  # fmt: skip
        ctx.audit(s, "receipt_page.voided", book_id=book.book_id, page_no=page_no, reason=reason.strip())
        return book


def _own_open_shift_id(ctx: OpContext, s: DbSession) -> int | None:
    """The open shift here when it is the operator's own (the sheet then lists the void)."""
    return open_shift_id(s, ctx.workstation.id, operator_id=ctx.operator_id)


def close_month(ctx: OpContext, *, period: str, approval: Approval | None) -> MonthInfo:
    with ctx.uow() as s:
        _require_queue_empty(s, period, ctx.setting(s, "month_end_day"))
        return months.close_month(ctx, s, period=period, approval=approval)


def _require_queue_empty(s: DbSession, period: str, month_end_day: int) -> None:
    """No operation queued in single-operator mode during the period may still wait (DOMAIN
    "Holidays"); the sheets' hand-over already checks each day, this covers every counter."""
    _, last = months.period_days(period, month_end_day)
    if not queueing.queue_empty(s, last):
        waiting = [q.id for q in queueing.pending(s)]
        raise InputInvalid(f"有待监督人确认的排队操作 {waiting}", detail_en=f"queued operations {waiting} wait",
                           field="period", data={"queue_ids": waiting})  # fmt: skip


def verify_receipt(ctx: OpContext, *, qr_text: str) -> ReceiptCheck:
    """Genuine when the centre's key signed exactly this text; never raises for a bad text. A
    genuine receipt also says what this database knows of it (`standing`): a voided sale's paper
    is genuine and stands for nothing."""
    check = verify_receipt_text(ctx.keys.receipt_public_key_bytes(), qr_text)
    if not check.genuine or check.receipt_no is None:
        return check
    with ctx.reading() as s:
        return dataclasses.replace(check, standing=receipt_standing(s, check.receipt_no))


def report(
    ctx: OpContext, *, kind: str, start: date, end: date, format: str = "pdf",
    progress: Callable[[int, int], None] | None = None,
) -> bytes:  # fmt: skip
    """A report as file bytes (counter-admin report KIND; the UI's report page)."""
    if format not in FORMATS:
        raise InputInvalid(f"报表格式应为 {'、'.join(FORMATS)}", detail_en=f"format is one of {', '.join(FORMATS)}",
                           field="format")  # fmt: skip
    with ctx.reading() as s:
        ctx.require_role(s, *REPORT_ROLES)
        table = build_report(s, kind, query_from_settings(s, start, end), progress)
    return render(table, format)
