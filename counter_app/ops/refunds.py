"""Room refunds, meter clears, closing accounts and same-day corrections (API.md): the facade.

Services: counter_app.ops.clears (两次到柜: clear card, then its write-back), counter_app.ops.room_refund
(退费审批单, 销户), counter_app.ops.refund_valuation (the arithmetic), counter_app.ops.corrections
(作废重开). 电表清零 without money is `issue_clear_card` + `complete_clear` with no `refund_room`.
"""

from __future__ import annotations

from typing import Any

from counter_app.approvals import Approval
from counter_app.ops import clears, corrections, room_refund
from counter_app.ops.area import SessionArea
from counter_app.ops.refund_form_pdf import refund_form_pdf
from counter_app.results import AccountInfo, ClearCardInfo, ClearResult, RefundForm, RefundResult, SaleResult


class RefundOps(SessionArea):
    def issue_clear_card(
        self, *, account_no: str, reason: str, approval: Approval | None = None
    ) -> ClearCardInfo:
        return clears.issue_clear_card(self.ctx, account_no=account_no, reason=reason, approval=approval)

    def complete_clear(self, *, account_no: str) -> ClearResult:
        return clears.complete_clear(self.ctx, account_no=account_no)

    def refund_room(
        self, *, account_no: str, payee_name: str, payee_id: str, payee_account: str | None = None,
        manual_reading_ckwh: int | None = None, reason: str | None = None, approval: Approval | None = None,
        second_approval: Approval | None = None,
    ) -> RefundResult:  # fmt: skip
        return room_refund.refund_room(
            self.ctx, account_no=account_no, payee_name=payee_name, payee_id=payee_id, payee_account=payee_account,
            manual_reading_ckwh=manual_reading_ckwh, reason=reason, approval=approval, second_approval=second_approval,
        )  # fmt: skip

    def get_refund_form(self, *, form_no: str) -> RefundForm:
        return room_refund.get_refund_form(self.ctx, form_no=form_no)

    def refund_form_pdf(self, *, form_no: str, path: str | None = None) -> bytes:
        """The 退费审批单 as an A4 PDF with its computation (addition beside API.md)."""
        return refund_form_pdf(self.ctx, form_no=form_no, path=path)

    def close_account(self, *, account_no: str, approval: Approval | None = None) -> AccountInfo:
        return room_refund.close_account(self.ctx, account_no=account_no, approval=approval)

    def correct(
        self, *, receipt_no: str, reason: str, approval: Approval | None = None, account_no: str | None = None,
        amount_fen: int | None = None, energy_ckwh: int | None = None, prompts: Any = None,
    ) -> SaleResult:  # fmt: skip
        return corrections.correct(
            self.ctx, receipt_no=receipt_no, reason=reason, approval=approval, account_no=account_no,
            amount_fen=amount_fen, energy_ckwh=energy_ckwh, prompts=prompts,
        )  # fmt: skip
