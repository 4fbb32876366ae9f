"""A logged-in operator at one workstation: the operations of API.md's table.

`Session` is assembled from one mixin per area (`counter_app/ops/*`): each mixin holds the thin
facade methods of its area and calls that area's service functions with an `OpContext`. The
methods use keyword-only arguments with API.md's names and units; results are frozen dataclasses
(counter_app.results).
"""

from __future__ import annotations

import inspect
from typing import Any

from sqlalchemy.orm import Session as DbSession

from base.errors import InputInvalid, RoleForbidden, ShiftNotOpen
from counter_app import audit, settings
from counter_app.approval_summary import (
    ApprovalPreview,
    ApprovalPreviewReached,
    PreviewWouldWrite,
    preview_mode,
)
from counter_app.approvals import Approval
from counter_app.auth import AuthenticatedOperator, authenticate
from counter_app.context import OpContext
from counter_app.meter_polling import MeterPollingOps
from counter_app.ops import holiday  # noqa: F401  (registers the single-operator queue's re-runs)
from counter_app.ops.account_history import AccountHistoryOps
from counter_app.ops.accounts import AccountOps
from counter_app.ops.bus_rounds import BusRoundOps
from counter_app.ops.duties import DutiesOps
from counter_app.ops.exceptions_list import MorningOps
from counter_app.ops.four_party import FourPartyOps
from counter_app.ops.intents import IntentOps
from counter_app.ops.lookup import LookupOps
from counter_app.ops.metering import MeteringOps
from counter_app.ops.monthly_checks import MonthlyCheckOps
from counter_app.ops.networked import NetworkedOps
from counter_app.ops.networked_sale import NetworkedSaleOps
from counter_app.ops.notices import NoticeOps
from counter_app.ops.people_admin import PeopleAdminOps
from counter_app.ops.quota import QuotaOps
from counter_app.ops.refunds import RefundOps
from counter_app.ops.repairs import RepairOps
from counter_app.ops.sales import SalesOps
from counter_app.ops.settlement import SettlementOps
from counter_app.ops.shifts import ShiftOps
from counter_app.ops.software_control import SoftwareControlOps
from counter_app.ops.tenders import TenderOps
from counter_app.powers import change_setting
from db.queries.shifts import open_shift_id


class Session(
    SalesOps,
    AccountOps,
    QuotaOps,
    RefundOps,
    NoticeOps,
    IntentOps,
    ShiftOps,
    SettlementOps,
    LookupOps,
    MorningOps,
    AccountHistoryOps,
    MeteringOps,
    NetworkedOps,
    NetworkedSaleOps,
    BusRoundOps,
    MeterPollingOps,
    SoftwareControlOps,
    TenderOps,
    MonthlyCheckOps,
    FourPartyOps,
    RepairOps,
    PeopleAdminOps,
    DutiesOps,
):
    def __init__(self, counter: Any, operator: AuthenticatedOperator) -> None:
        self.counter = counter
        self.operator = operator
        self._logged_out = False

    # --- identity --------------------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self.operator.name

    @property
    def display_name(self) -> str:
        """The person's name as people read it (张敏), beside the login id `name` (zhang)."""
        return self.operator.display_name or self.operator.name

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(self.operator.roles)

    @property
    def ctx(self) -> OpContext:
        if self._logged_out:
            raise RoleForbidden("已退出登录", detail_en="logged out")
        return self.counter.context(self.operator)

    def logout(self) -> None:
        if self._logged_out:
            return
        self.counter.meter_polling.stop_for(self)  # this login's scheduled meter rounds end with it
        ctx = self.ctx
        with ctx.uow() as s:
            ctx.audit(s, "login.logout", operator=self.operator.name)
        self._logged_out = True

    # --- settings --------------------------------------------------------------------------------
    def get_setting(self, key: str) -> Any:
        ctx = self.ctx
        with ctx.reading() as s:
            return settings.get_setting(s, key)

    def set_setting(self, key: str, value: Any, approval: Approval | None = None) -> Any:
        """Administrators change settings; money-affecting and security ones need a co-signature."""
        return change_setting(self.ctx, key, value, approval)

    # --- what a co-signature will bind, before anyone is called over ------------------------------
    def approval_preview(self, operation: str, **kwargs: Any) -> ApprovalPreview:
        """Run `operation` (a co-signed facade method, e.g. "issue_clear_card") with `kwargs` up to its
        co-signature: every check it makes first (account, card on the reader, limits, period…)
        refuses here exactly as in the real call, and nothing is written or sent to a device. The
        preview names the approval kind and the core's summary of exactly the payload it will bind
        (counter_app.approval_summary); the dialog shows that summary and hands its digest back in
        `Approval(shown_sha256=…)`."""
        method = getattr(type(self), operation, None) if not operation.startswith("_") else None
        params = inspect.signature(method).parameters if callable(method) else {}
        if "approval" not in params or operation == "approval_preview":
            raise InputInvalid(f"{operation} 不是需要监督人签字的操作", detail_en=f"{operation} takes no approval",
                               field="operation")  # fmt: skip
        marker = Approval(name="", password="")  # never checked: ctx.approve stops first while previewing
        signed = {name: marker for name in ("approval", "second_approval") if name in params}
        try:
            with preview_mode():
                getattr(self, operation)(**{**kwargs, **signed})
        except ApprovalPreviewReached as reached:
            return reached.preview
        except PreviewWouldWrite:
            pass
        return ApprovalPreview(needed=False)

    # --- the shift the operator is selling in -------------------------------------------------------
    def _open_shift_id(self, s: DbSession) -> int:
        """The open shift of this workstation; SHIFT_NOT_OPEN when there is none (sales need one)."""
        ctx = self.ctx
        shift_id = open_shift_id(s, ctx.workstation.id)
        if shift_id is None:
            raise ShiftNotOpen()
        return shift_id


def login(counter: Any, *, name: str, password: str) -> Session:
    ctx: OpContext = counter.context()
    with ctx.uow() as s:
        operator = authenticate(
            s, name=name, password=password, workstation=ctx.workstation.code, clock=ctx.clock,
            hasher=ctx.hasher,
        )  # fmt: skip
    return Session(counter, operator)


__all__ = ["Session", "audit", "login"]
