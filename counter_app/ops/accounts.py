"""Accounts and cards (API.md): opening staff/business accounts, confirming a class, issuing and
replacing cards, 挂失, meter replacement, change of holder, tool cards.

The facade methods are thin: each calls a service function with the session's `OpContext`.
Services: counter_app.ops.cards (issue, card stock, the blacklist `card_blacklisted`),
counter_app.ops.card_replacement (挂失/补卡), counter_app.ops.account_admin (open, confirm class,
change holder), counter_app.ops.meters (换表补电, tool cards). `@refused_when_alone` marks the
methods refused in single-operator mode (counter_app/ops/holiday.py, point 2).
"""

from __future__ import annotations

from typing import Any

from counter_app.approvals import Approval
from counter_app.ops import account_admin, card_replacement, cards, meters
from counter_app.ops.area import SessionArea
from counter_app.ops.holiday import refused_when_alone
from counter_app.results import AccountInfo, CardInfo, MeterReplacement


class AccountOps(SessionArea):
    """Facade mixin (counter_app/session.py)."""

    @refused_when_alone
    def open_account(
        self, *, room_code: str, cls: str, meter_no: str, holder: str, phone: str | None = None,
        class_confirmed: bool = True, meter_model: str | None = None,
    ) -> AccountInfo:  # fmt: skip
        return account_admin.open_account(self.ctx, room_code=room_code, cls=cls, meter_no=meter_no, holder=holder,
                                          phone=phone, class_confirmed=class_confirmed,
                                          meter_model=meter_model)  # fmt: skip

    def confirm_class(self, *, account_no: str, cls: str, approval: Approval | None = None) -> AccountInfo:
        return account_admin.confirm_class(self.ctx, account_no=account_no, cls=cls, approval=approval)

    @refused_when_alone
    def issue_card(self, *, account_no: str) -> CardInfo:
        return cards.issue_card(self.ctx, account_no)

    def report_lost_card(self, *, account_no: str) -> AccountInfo:
        return card_replacement.report_lost_card(self.ctx, account_no)

    @refused_when_alone
    def replace_card(
        self, *, account_no: str, tender: str = "cash", reference: str | None = None
    ) -> CardInfo:
        return card_replacement.replace_card(self.ctx, account_no, tender=tender, reference=reference)

    def replace_meter(
        self, *, account_no: str, new_meter_no: str, carried_ckwh: int, approval: Approval | None = None,
        new_meter_model: str | None = None,
    ) -> MeterReplacement:  # fmt: skip
        return meters.replace_meter(self.ctx, account_no=account_no, new_meter_no=new_meter_no,
                                    carried_ckwh=carried_ckwh, approval=approval,
                                    new_meter_model=new_meter_model)  # fmt: skip

    @refused_when_alone
    def change_holder(
        self, *, account_no: str, holder: str, phone: str | None = None, handover_ckwh: int = 0
    ) -> AccountInfo:
        return account_admin.change_holder(self.ctx, account_no=account_no, holder=holder, phone=phone,
                                           handover_ckwh=handover_ckwh)  # fmt: skip

    def issue_tool_card(
        self,
        *,
        kind: str,
        meter_no: str,
        params: dict[str, Any] | None = None,
        approval: Approval | None = None,
    ) -> CardInfo:
        return meters.issue_tool_card(
            self.ctx, kind=kind, meter_no=meter_no, params=params, approval=approval
        )
