"""Software control of a networked room and the back-charge for it (补交所差电费, seed 003 §4.3.5;
DOMAIN "Monthly checks": "a back-charge (补交) covers energy used while a room was under software
control").

When a room's module or 中卫机 fails and no replacement is at hand, the room is kept on power
without its module metering or enforcing the balance (软件控制). A period of it is begun and ended
by a person, each step co-signed by a 监督人 (approval kinds `software_control.begin` / `.end`): it
suspends the zero-balance trip rule (networked_sale._auto_trip asks
software_control_usage.under_software_control) and its end decides money. At most one period is
open per account (the begin row takes the next period number, unique per account).

The end states the energy used in the period:
- `readings`: the same module kept its register (a 中卫机 or bus fault): the first answered reading
  after the period (the newest since it began, taken once the module meters again) minus the last
  answered reading before it;
- `estimate`: a person types the energy with its basis (a sub-meter, days × a per-day figure…).
  When the module was replaced, its register restarted: the new module's count since it was
  fitted (first reading after − `new_start_ckwh`, what the new register showed when fitted,
  default 0) is added to the estimate of the unmetered gap; the two registers are never
  subtracted from each other.
The energy is priced at the tariff in force when the period ends. The networked balance as it
stood (credited − metered, without this period) covers what it can (`covered_ckwh`, subtracted
from the balance from then on); the shortfall (所差) = (energy − covered) × price, half-up to the
fen, is a notice titled 补交电费 (kind `software_control`, `data.basis = "software_control"`), paid
with pay_notice; no notice when the balance covered it all. It is electricity owed for energy used,
not a penalty and not the theft `back_charge`: its payment is a `bill_payment` with charge
`electricity` (the class group's electricity line of every sheet and report, K3 主营业务收入-电费),
an unpaid one blocks clearance like any unpaid notice and does not block top-ups. The calculation
is printable (`software_control_calculation`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as DbSession

from base.errors import InputInvalid
from base.money import charge_half_up
from base.validation import REASON_MAX_LEN, checked_int, checked_text
from counter_app.approvals import Approval
from counter_app.context import OpContext
from counter_app.ops import networked_sale
from counter_app.ops.area import SessionArea
from counter_app.ops.common import add_audited, get_account, room_code_of
from counter_app.ops.networked import METER_READERS, METER_SWITCHERS, SWITCH_SIGNERS
from counter_app.ops.software_control_text import (
    BASIS,
    KIND,
    NOTICE_TITLE,
    calculation_text,
    is_software_control_notice,
)
from db.models import Account, RemoteMeterReading, SoftwareControlStep
from db.models.metering import SOFTWARE_CONTROL_METHODS
from db.models.monthly import ModuleStockMove
from db.models.notices import Notice
from db.numbering import format_receipt_no, next_seq
from db.queries.metering import newest_answered, software_control_periods

MAX_PERIOD_CKWH = 99_999_999  # 999,999.99 kWh: more is a typo


@dataclass(frozen=True)
class SoftwareControlPeriod:
    period_no: int
    account_no: str
    begun_at: datetime
    begun_reason: str
    repair_move_id: int | None
    reading_before_ckwh: int | None  # the last answered register before the period
    ended_at: datetime | None  # None: still open
    end_reason: str | None = None
    method: str | None = None  # readings | estimate
    module_replaced: bool | None = None
    reading_after_ckwh: int | None = None
    energy_ckwh: int | None = None
    price_e4: int | None = None
    covered_ckwh: int | None = None
    shortfall_fen: int | None = None
    notice_no: str | None = None

    @property
    def open(self) -> bool:
        return self.ended_at is None


def shortfall(energy_ckwh: int, price_e4: int, balance_ckwh: int) -> tuple[int, int]:
    """(covered_ckwh, shortfall_fen): the balance pays for what it can of the period's energy
    (never more than it holds, nothing when it is negative); the rest, priced, half-up to the fen."""
    if energy_ckwh < 0:
        raise ValueError("energy must be >= 0")
    covered = min(energy_ckwh, max(0, balance_ckwh))
    return covered, charge_half_up(energy_ckwh - covered, price_e4)


# --- begin ----------------------------------------------------------------------------------------


def begin_software_control(
    ctx: OpContext, *, account_no: str, reason: str, repair_move_id: int | None, approval: Approval | None
) -> SoftwareControlPeriod:
    reason = checked_text(reason, field="reason", label="原因", max_len=REASON_MAX_LEN)
    with ctx.uow() as s:
        ctx.require_role(s, *METER_SWITCHERS)
        account = get_account(s, account_no)
        row = networked_sale._networked_row(s, account)
        periods = software_control_periods(s, account.id)
        if periods and periods[-1][1] is None:
            raise InputInvalid(f"账户 {account.account_no} 已在软件控制中", field="account_no",
                               detail_en=f"account {account.account_no} is already under software control")  # fmt: skip
        move = _repair_move(s, account, repair_move_id)
        before = newest_answered(s, account.id, address=row.address, since=row.at)
        payload = {"account_no": account.account_no, "room": room_code_of(s, account) or "", "reason": reason,
                   "repair_move_id": move.id if move else None,
                   "reading_before_ckwh": before.energy_ckwh if before else None}  # fmt: skip
        approval_id = ctx.approve(s, approval, kind="software_control.begin", payload=payload, reason=reason,
                                  allowed_roles=SWITCH_SIGNERS)  # fmt: skip
        step = SoftwareControlStep(
            account_id=account.id, step="begin", period_no=len(periods) + 1, at=ctx.now(),
            operator_id=ctx.operator_id, workstation_id=ctx.workstation_id, approval_id=approval_id, reason=reason,
            repair_move_id=move.id if move else None, reading_id=before.id if before else None,
        )  # fmt: skip
        _insert(
            ctx, s, step, "software_control.begin", account_no=account.account_no, period_no=step.period_no
        )
        return _period(s, account.account_no, step, None)


def _repair_move(s: DbSession, account: Account, move_id: int | None) -> ModuleStockMove | None:
    """The repair log's entry of the failed module (a faulty one returned), for this room."""
    if move_id is None:
        return None
    move = s.get(ModuleStockMove, checked_int(move_id, field="repair_move_id", label="维修记录", minimum=1,
                                              maximum=2**62))  # fmt: skip
    room = room_code_of(s, account)
    if move is None or (move.room_code and room and move.room_code != room):
        raise InputInvalid(f"维修记录 {move_id} 不是房间 {room} 的", field="repair_move_id",
                           detail_en=f"repair log entry {move_id} is not of room {room}")  # fmt: skip
    return move


def _insert(ctx: OpContext, s: DbSession, step: SoftwareControlStep, kind: str, **payload: Any) -> None:
    try:
        with s.begin_nested():
            add_audited(ctx, s, step, kind, **payload)
    except IntegrityError:  # another counter began or ended this period a moment ago
        raise InputInvalid("软件控制记录已被另一窗口更新，请刷新", field="account_no",
                           detail_en="another counter changed this room's software control; refresh") from None  # fmt: skip


# --- end ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _EndInput:
    reason: str
    method: str
    module_replaced: bool
    estimate_ckwh: int | None
    estimate_basis: str | None
    new_start_ckwh: int


def _end_input(
    reason: str, method: str, module_replaced: bool, estimate_ckwh: int | None, estimate_basis: str | None,
    new_start_ckwh: int | None,
) -> _EndInput:  # fmt: skip
    reason = checked_text(reason, field="reason", label="原因", max_len=REASON_MAX_LEN)
    if method not in SOFTWARE_CONTROL_METHODS:
        raise InputInvalid(f"电量来源 {method!r}", detail_en=f"method {method!r}", field="method")
    if not isinstance(module_replaced, bool):
        raise InputInvalid(
            "是否更换模块？", detail_en="module_replaced must be true or false", field="module_replaced"
        )
    if method == "readings" and module_replaced:
        raise InputInvalid("更换的模块读数从零重新开始，不能用前后读数相减，请填写估算电量", field="method",
                           detail_en="a replaced module restarts its register: estimate the period's energy")  # fmt: skip
    estimate = basis = None
    if method == "estimate":
        estimate = checked_int(estimate_ckwh, field="estimate_ckwh", label="估算电量", minimum=0,
                               maximum=MAX_PERIOD_CKWH)  # fmt: skip
        basis = checked_text(estimate_basis, field="estimate_basis", label="估算依据", max_len=REASON_MAX_LEN)
    start = 0
    if module_replaced and new_start_ckwh is not None:
        start = checked_int(new_start_ckwh, field="new_start_ckwh", label="新模块起始读数", minimum=0,
                            maximum=MAX_PERIOD_CKWH)  # fmt: skip
    return _EndInput(reason, method, module_replaced, estimate, basis, start)


def end_software_control(
    ctx: OpContext, *, account_no: str, reason: str, method: str, module_replaced: bool = False,
    estimate_ckwh: int | None = None, estimate_basis: str | None = None, new_start_ckwh: int | None = None,
    approval: Approval | None,
) -> SoftwareControlPeriod:  # fmt: skip
    given = _end_input(reason, method, module_replaced, estimate_ckwh, estimate_basis, new_start_ckwh)
    with ctx.uow() as s:
        ctx.require_role(s, *METER_SWITCHERS)
        account = get_account(s, account_no)
        row = networked_sale._networked_row(s, account)
        periods = software_control_periods(s, account.id)
        if not periods or periods[-1][1] is not None:
            raise InputInvalid(f"账户 {account.account_no} 不在软件控制中", field="account_no",
                               detail_en=f"account {account.account_no} is not under software control")  # fmt: skip
        begin = periods[-1][0]
        before = s.get(RemoteMeterReading, begin.reading_id) if begin.reading_id else None
        after = newest_answered(s, account.id, address=row.address, since=row.at, after_id=begin.reading_id)
        if after is None or (before is None and after.read_at < begin.at):
            raise InputInvalid("请先抄表：模块恢复正常计量后才能结束软件控制", field="account_no",
                               detail_en="read the module first: the period ends once it meters again")  # fmt: skip
        calc = _calculate(ctx, s, account, given, before, after)
        payload = {"account_no": account.account_no, "room": room_code_of(s, account) or "",
                   "period_no": begin.period_no, "reason": given.reason, **calc}  # fmt: skip
        approval_id = ctx.approve(s, approval, kind="software_control.end", payload=payload, reason=given.reason,
                                  allowed_roles=SWITCH_SIGNERS)  # fmt: skip
        notice = _notice(ctx, s, account, begin, payload, approval_id) if calc["shortfall_fen"] else None
        step = SoftwareControlStep(
            account_id=account.id, step="end", period_no=begin.period_no, begins_id=begin.id, at=ctx.now(),
            operator_id=ctx.operator_id, workstation_id=ctx.workstation_id, approval_id=approval_id,
            reason=given.reason, reading_id=after.id, method=given.method, module_replaced=given.module_replaced,
            new_start_ckwh=given.new_start_ckwh if given.module_replaced else None,
            estimate_basis=given.estimate_basis, energy_ckwh=calc["energy_ckwh"], price_e4=calc["price_e4"],
            covered_ckwh=calc["covered_ckwh"], shortfall_fen=calc["shortfall_fen"],
            notice_id=notice.id if notice else None,
        )  # fmt: skip
        _insert(ctx, s, step, "software_control.end", account_no=account.account_no, period_no=begin.period_no,
                shortfall_fen=calc["shortfall_fen"], notice_no=notice.notice_no if notice else None)  # fmt: skip
        return _period(s, account.account_no, begin, step)


def _calculate(
    ctx: OpContext, s: DbSession, account: Account, given: _EndInput, before: RemoteMeterReading | None,
    after: RemoteMeterReading,
) -> dict[str, Any]:  # fmt: skip
    after_ckwh = int(after.energy_ckwh or 0)
    if given.method == "readings":
        if before is None or after_ckwh < int(before.energy_ckwh or 0):
            raise InputInvalid("没有期前读数，或读数变小（模块已更换？）：请填写估算电量", field="method",
                               detail_en="no reading before the period, or the register went back: estimate it")  # fmt: skip
        energy, new_module = after_ckwh - int(before.energy_ckwh or 0), 0
    else:
        assert given.estimate_ckwh is not None
        new_module = after_ckwh - given.new_start_ckwh if given.module_replaced else 0
        if new_module < 0:
            raise InputInvalid("新模块读数小于起始读数", field="new_start_ckwh",
                               detail_en="the new module reads less than its starting register")  # fmt: skip
        energy = given.estimate_ckwh + new_module
    balance = networked_sale.balance_in(ctx, s, account)  # as it stands, without this period
    covered, short = shortfall(energy, balance.price_e4, balance.remaining_ckwh)
    return {"method": given.method, "module_replaced": given.module_replaced,
            "reading_before_ckwh": before.energy_ckwh if before else None, "reading_after_ckwh": after_ckwh,
            "new_start_ckwh": given.new_start_ckwh if given.module_replaced else None,
            "new_module_ckwh": new_module, "estimate_ckwh": given.estimate_ckwh,
            "estimate_basis": given.estimate_basis, "energy_ckwh": energy, "price_e4": balance.price_e4,
            "balance_ckwh": balance.remaining_ckwh, "covered_ckwh": covered, "shortfall_fen": short}  # fmt: skip


def _notice(ctx: OpContext, s: DbSession, account: Account, begin: SoftwareControlStep, payload: dict[str, Any],
            approval_id: int) -> Notice:  # fmt: skip
    seq = next_seq(s, ctx.workstation.id, "notice")
    notice = Notice(
        notice_no=format_receipt_no(ctx.workstation.code, seq, "notice"), kind=KIND,
        payer=account.holder or payload["room"] or account.account_no, amount_fen=payload["shortfall_fen"],
        account_id=account.id, department="远程抄表（软件控制补交）",
        data={**payload, "basis": BASIS, "title": NOTICE_TITLE, "begun_at": begin.at.isoformat(),
              "ended_at": ctx.now().isoformat()},
        created_at=ctx.now(), operator_id=ctx.operator_id, workstation_id=ctx.workstation.id,
        approval_id=approval_id,
    )  # fmt: skip
    return add_audited(ctx, s, notice, "notice.software_control", notice_no=notice.notice_no,
                       amount_fen=notice.amount_fen)  # fmt: skip


# --- what is shown and printed ---------------------------------------------------------------------


def _period(
    s: DbSession, account_no: str, begin: SoftwareControlStep, end: SoftwareControlStep | None
) -> SoftwareControlPeriod:
    before = s.get(RemoteMeterReading, begin.reading_id) if begin.reading_id else None
    period = SoftwareControlPeriod(
        period_no=begin.period_no, account_no=account_no, begun_at=begin.at, begun_reason=begin.reason,
        repair_move_id=begin.repair_move_id, reading_before_ckwh=before.energy_ckwh if before else None,
        ended_at=None,
    )  # fmt: skip
    if end is None:
        return period
    after = s.get(RemoteMeterReading, end.reading_id) if end.reading_id else None
    notice = s.get(Notice, end.notice_id) if end.notice_id else None
    return dataclasses.replace(
        period, ended_at=end.at, end_reason=end.reason, method=end.method, module_replaced=end.module_replaced,
        reading_after_ckwh=after.energy_ckwh if after else None, energy_ckwh=end.energy_ckwh,
        price_e4=end.price_e4, covered_ckwh=end.covered_ckwh, shortfall_fen=end.shortfall_fen,
        notice_no=notice.notice_no if notice else None,
    )  # fmt: skip


def software_control_periods_of(ctx: OpContext, *, account_no: str) -> list[SoftwareControlPeriod]:
    with ctx.reading() as s:
        ctx.require_role(s, *METER_READERS)
        account = get_account(s, account_no)
        periods = software_control_periods(s, account.id)
        return [_period(s, account.account_no, b, e) for b, e in reversed(periods)]


def software_control_calculation(ctx: OpContext, *, notice_no: str) -> str:
    with ctx.reading() as s:
        ctx.require_role(s, *METER_READERS)
        notice = s.scalar(select(Notice).where(Notice.notice_no == str(notice_no).strip()))
        if notice is None or not is_software_control_notice(notice):
            raise InputInvalid(f"没有补交电费通知单 {notice_no}", detail_en=f"no software-control back-charge {notice_no}",
                               field="notice_no")  # fmt: skip
        return calculation_text(notice)


class SoftwareControlOps(SessionArea):
    """Facade mixin (counter_app/session.py); docs/api.md "Software control"."""

    def begin_software_control(
        self,
        *,
        account_no: str,
        reason: str,
        repair_move_id: int | None = None,
        approval: Approval | None = None,
    ) -> SoftwareControlPeriod:
        return begin_software_control(self.ctx, account_no=account_no, reason=reason, repair_move_id=repair_move_id,
                                      approval=approval)  # fmt: skip

    def end_software_control(
        self, *, account_no: str, reason: str, method: str, module_replaced: bool = False,
        estimate_ckwh: int | None = None, estimate_basis: str | None = None, new_start_ckwh: int | None = None,
        approval: Approval | None = None,
    ) -> SoftwareControlPeriod:  # fmt: skip
        return end_software_control(self.ctx, account_no=account_no, reason=reason, method=method,
                                    module_replaced=module_replaced, estimate_ckwh=estimate_ckwh,
                                    estimate_basis=estimate_basis, new_start_ckwh=new_start_ckwh,
                                    approval=approval)  # fmt: skip

    def software_control_periods(self, *, account_no: str) -> list[SoftwareControlPeriod]:
        """The room's periods, newest first (the open one, if any, first)."""
        return software_control_periods_of(self.ctx, account_no=account_no)

    def software_control_calculation(self, *, notice_no: str) -> str:
        return software_control_calculation(self.ctx, notice_no=notice_no)
