"""The facade methods of settlement and finance (API.md `x_report` … `verify_receipt`, and the
additions of docs/api.md). Thin: each calls a service of counter_app/ops/settlement_close.py or
counter_app/ops/settlement_finance.py with the session's `OpContext`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from counter_app.approvals import Approval
from counter_app.ops import settlement_close as close
from counter_app.ops import settlement_finance as finance
from counter_app.ops.finance_lists import ListingOps
from counter_app.ops.register_report import sales_register, sales_register_table
from counter_app.receipt_signing import ReceiptCheck
from counter_app.results import (
    DeclaredCount,
    DepositInfo,
    MonthInfo,
    ReceiptBook,
    SettlementInfo,
    SheetInfo,
    ShiftTotals,
)
from counter_app.settlement.deposits import LateDeposit
from receipts.reports.model import ReportTable


class SettlementOps(ListingOps):  # ListingOps: the read-only lists of docs/api.md
    # --- the shift's end ---------------------------------------------------------------------------
    def x_report(self) -> ShiftTotals:
        return close.x_report(self.ctx)

    def close_shift(self, *, counted: Mapping[Any, Any], difference_reason: str | None = None,
                    approval: Approval | None = None) -> SettlementInfo:  # fmt: skip
        return close.close_shift(self.ctx, counted=counted, difference_reason=difference_reason,
                                 approval=approval, reports_dir=self.counter.reports_dir)  # fmt: skip

    def sales_register(self, *, shift_id: int | None = None, format: str = "pdf") -> bytes:
        """Addition (docs/api.md): the shift's 售电登记表 as PDF, XLSX or CSV (None: the open shift)."""
        return sales_register(self.ctx, shift_id=shift_id, format=format)

    def sales_register_table(self, *, shift_id: int | None = None) -> ReportTable:
        """Addition (docs/api.md): the table `sales_register` renders."""
        return sales_register_table(self.ctx, shift_id=shift_id)

    def declare_count(self, *, counted: Mapping[Any, Any]) -> DeclaredCount:
        """Addition (docs/api.md): step 1 of the blind close on its own, committed, then compared
        with what was expected (the difference and whether a reason and a 监督人 are needed)."""
        return close.declare_and_compare(self.ctx, counted=counted)

    def declared_count(self) -> DeclaredCount | None:
        """Addition (docs/api.md): the open shift's declared count with its comparison; None while
        the cash is not counted yet."""
        return close.declared_figures(self.ctx)

    def sign_sheet(self, *, sheet_no: str, voucher_no: str | None = None) -> SheetInfo:
        return close.sign_sheet(self.ctx, sheet_no=sheet_no, voucher_no=voucher_no)

    def sheet_info(self, *, sheet_no: str) -> SheetInfo:
        """Addition (docs/api.md): the signatures so far, without signing."""
        return close.sheet_info(self.ctx, sheet_no=sheet_no)

    def sheet_pdf(self, *, sheet_no: str) -> bytes:
        """Addition (docs/api.md): the sheet as a PDF with the signatures so far."""
        return close.sheet_pdf(self.ctx, sheet_no=sheet_no)

    # --- money to the bank, stamped receipts, the month ----------------------------------------------
    def record_deposit(self, *, slip_no: str, kind: str, bank: str, stamped_on: date, amount_fen: int,
                       shift_ids: list[int], difference_reason: str | None = None,
                       approval: Approval | None = None) -> DepositInfo:  # fmt: skip
        """API.md's call; `difference_reason` and `approval` are additions (docs/api.md): a slip that
        differs from the covered shifts' takings needs both."""
        return finance.record_deposit(self.ctx, slip_no=slip_no, kind=kind, bank=bank, stamped_on=stamped_on,
                                      amount_fen=amount_fen, shift_ids=shift_ids,
                                      difference_reason=difference_reason, approval=approval)  # fmt: skip

    def late_deposits(self) -> list[LateDeposit]:
        """Addition (docs/api.md): the assistant's list of late or overdue deposits."""
        return finance.late_deposits(self.ctx)

    def issue_receipt_book(self, *, cashier: str, first_no: int, last_no: int) -> ReceiptBook:
        return finance.issue_receipt_book(self.ctx, cashier=cashier, first_no=first_no, last_no=last_no)

    def void_receipt_page(self, *, page_no: int, reason: str) -> ReceiptBook:
        return finance.void_receipt_page(self.ctx, page_no=page_no, reason=reason)

    def close_month(self, *, period: str, approval: Approval | None = None) -> MonthInfo:
        return finance.close_month(self.ctx, period=period, approval=approval)

    # --- papers -------------------------------------------------------------------------------------
    def verify_receipt(self, *, qr_text: str) -> ReceiptCheck:
        return finance.verify_receipt(self.ctx, qr_text=qr_text)

    def report(self, *, kind: str, start: date, end: date, format: str = "pdf",
               progress: Callable[[int, int], None] | None = None) -> bytes:  # fmt: skip
        """Addition (docs/api.md): a report (counter-admin report KIND) as PDF, XLSX or CSV bytes."""
        return finance.report(self.ctx, kind=kind, start=start, end=end, format=format, progress=progress)
