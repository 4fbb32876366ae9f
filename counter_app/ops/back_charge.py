"""Theft back-charge (违规用电补缴电费, DOMAIN "Counter operations" 8; API.md `back_charge`).

Never called a fine on paper (003:52): every text here says 补缴电费. Energy =
`back_charge.ckwh_per_day` × days from the last top-up date to the discovery date (end exclusive;
the account's opening date when it never bought), priced at the tariff in force at discovery
(the moment of the call when discovered today, else the end of that day), half-up to the fen;
co-signed. The result is a notice of kind `back_charge` (paid with pay_notice) whose `data` keeps
the whole calculation, printable with `calculation_text`. While it is unpaid and
`back_charge.blocks_top_up` is on, the sales path refuses top-ups (UNPAID_BACK_CHARGE).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import Session as DbSession

from base.clock import BUSINESS_TZ, business_date
from base.errors import InputInvalid, UnpaidBackCharge
from base.money import charge_half_up, format_kwh, format_price, format_yuan
from base.validation import HOLDER_MAX_LEN, REASON_MAX_LEN, checked_text
from counter_app.approvals import Approval
from counter_app.context import OpContext
from counter_app.ops import software_control_text
from counter_app.ops.area import SessionArea
from counter_app.ops.common import add_audited, get_account, room_code_of
from counter_app.queueing import register_queueable
from counter_app.results import ChargeResult
from db.models import Account, LedgerEntry
from db.models.notices import Notice, NoticePayment
from db.numbering import format_receipt_no, next_seq
from db.queries.tariffs import current_tariff

KIND = "back_charge"
PURCHASE_KINDS = ("sale", "correction", "legacy_purchase")


def back_charge(
    ctx: OpContext, *, account_no: str, discovered_on: date, electrician: str, evidence: str,
    approval: Approval | None, notified: str | None = None,
) -> ChargeResult:  # fmt: skip
    _check_inputs(ctx, discovered_on, electrician, evidence)
    with ctx.uow() as s:
        ctx.require_role(s, "cashier", "supervisor")
        account = get_account(s, account_no)
        calc = calculate(ctx, s, account, discovered_on)
        payload = {"account_no": account.account_no, "discovered_on": discovered_on, "electrician": electrician.strip(),
                   "evidence": evidence.strip(), "notified": (notified or "").strip() or None, **calc}  # fmt: skip
        approval_id = ctx.approve(s, approval, kind=KIND, payload=payload)
        seq = next_seq(s, ctx.workstation.id, "notice")
        notice = Notice(notice_no=format_receipt_no(ctx.workstation.code, seq, "notice"), kind=KIND,
                        payer=account.holder or room_code_of(s, account) or account.account_no,
                        amount_fen=calc["amount_fen"], account_id=account.id, department="违规用电稽查",
                        data={**payload, "discovered_on": discovered_on.isoformat(), "start": calc["start"]},
                        created_at=ctx.now(), operator_id=ctx.operator_id, workstation_id=ctx.workstation.id,
                        approval_id=approval_id)  # fmt: skip
        add_audited(
            ctx, s, notice, "notice.back_charge", notice_no=notice.notice_no, amount_fen=notice.amount_fen
        )
        return ChargeResult(notice_no=notice.notice_no, days=calc["days"], energy_ckwh=calc["energy_ckwh"],
                            price_e4=calc["price_e4"], amount_fen=calc["amount_fen"])  # fmt: skip


def _check_inputs(ctx: OpContext, discovered_on: date, electrician: str, evidence: str) -> None:
    if not isinstance(discovered_on, date) or isinstance(discovered_on, datetime):
        raise InputInvalid("请填写发现日期", detail_en="discovered_on must be a date", field="discovered_on")
    if discovered_on > ctx.today():
        raise InputInvalid(
            "发现日期不能晚于今天", detail_en="discovered_on is in the future", field="discovered_on"
        )
    for value, field, label in ((electrician, "electrician", "确认电工"), (evidence, "evidence", "证据")):
        if not isinstance(value, str) or not value.strip():
            raise InputInvalid(f"请填写{label}", detail_en=f"{field} needed", field=field)
    checked_text(electrician, field="electrician", label="确认电工", max_len=HOLDER_MAX_LEN)
    checked_text(evidence, field="evidence", label="证据", max_len=REASON_MAX_LEN)


def calculate(ctx: OpContext, s: DbSession, account: Account, discovered_on: date) -> dict[str, Any]:
    start = last_top_up_before(s, account, discovered_on) or account.opened_on
    days = (discovered_on - start).days  # end exclusive: the discovery day itself is not charged
    if days <= 0:
        raise InputInvalid(f"自 {start.isoformat()} 至发现日期没有可补缴的天数",
                           detail_en=f"no days to charge from {start.isoformat()}", field="discovered_on")  # fmt: skip
    moment = ctx.now() if discovered_on == ctx.today() else _end_of(discovered_on)
    tariff = current_tariff(s, account.cls, moment)
    if tariff is None:
        raise InputInvalid(
            "发现日期没有适用的电价", detail_en="no tariff in force at discovery", field="discovered_on"
        )
    per_day = ctx.setting(s, "back_charge.ckwh_per_day")
    energy = per_day * days
    return {"start": start.isoformat(), "days": days, "ckwh_per_day": per_day, "energy_ckwh": energy,
            "price_e4": tariff.price_e4, "tariff_basis": tariff.basis,
            "amount_fen": charge_half_up(energy, tariff.price_e4)}  # fmt: skip


def _end_of(day: date) -> datetime:
    return (
        datetime(day.year, day.month, day.day, tzinfo=BUSINESS_TZ)
        + timedelta(days=1)
        - timedelta(microseconds=1)
    )


def last_top_up_before(s: DbSession, account: Account, discovered_on: date) -> date | None:
    """The business date of the last purchase on or before the discovery date."""
    at = s.scalar(select(func.max(LedgerEntry.at)).where(
        LedgerEntry.account_id == account.id, LedgerEntry.kind.in_(PURCHASE_KINDS),
        LedgerEntry.at <= _end_of(discovered_on)))  # fmt: skip
    return business_date(at) if at else None


def unpaid_back_charges(s: DbSession, account: Account) -> list[Notice]:
    return list(s.scalars(_unpaid_back_charges(), {"account_id": account.id}))


@cache
def _unpaid_back_charges() -> Select[tuple[Notice]]:  # every sale asks: built once (db/queries/accounts.py)
    paid = select(NoticePayment.notice_id)
    return (
        select(Notice)
        .where(Notice.account_id == bindparam("account_id"), Notice.kind == KIND, Notice.id.not_in(paid))
        .order_by(Notice.id)
    )


def unpaid_back_charge(s: DbSession, account: Account) -> bool:
    """For the sales path: an unpaid back-charge is outstanding on the account."""
    return bool(unpaid_back_charges(s, account))


def refuse_if_blocked(ctx: OpContext, s: DbSession, account: Account) -> None:
    """UNPAID_BACK_CHARGE when the setting blocks top-ups and one is outstanding."""
    if ctx.setting(s, "back_charge.blocks_top_up") and unpaid_back_charge(s, account):
        raise UnpaidBackCharge(account.account_no)


def calculation_text(notice: Notice) -> str:
    """The printed calculation (补缴电费计算单); the word 罚款 never appears. A back-charge for
    software control (补交电费) prints its own (software_control_text)."""
    if software_control_text.is_software_control_notice(notice):
        return software_control_text.calculation_text(notice)
    d = notice.data or {}
    return "\n".join([
        "违规用电补缴电费计算单",
        f"通知单号：{notice.notice_no}    户号：{d.get('account_no', '')}",
        f"发现日期：{d.get('discovered_on', '')}    确认电工：{d.get('electrician', '')}",
        f"证据：{d.get('evidence', '')}    已通知：{d.get('notified') or '—'}",
        f"计费起点（最近购电日或开户日）：{d.get('start', '')}，天数（不含发现当日）：{d.get('days', 0)}",
        f"补缴电量：{format_kwh(d.get('ckwh_per_day', 0))} kWh/天 × {d.get('days', 0)} 天 = "
        f"{format_kwh(d.get('energy_ckwh', 0))} kWh",
        f"电价（发现时执行，{d.get('tariff_basis', '')}）：{format_price(d.get('price_e4', 0))} 元/kWh",
        f"补缴电费：{format_yuan(notice.amount_fen)} 元（四舍五入到分）",
    ])  # fmt: skip


def _replay(ctx: OpContext, payload: dict[str, Any], approval: Approval) -> ChargeResult:
    return back_charge(ctx, account_no=payload["account_no"], discovered_on=date.fromisoformat(str(payload["discovered_on"])),
                       electrician=payload["electrician"], evidence=payload["evidence"], approval=approval,
                       notified=payload.get("notified"))  # fmt: skip


register_queueable(KIND, _replay)


class BackChargeOps(SessionArea):
    def back_charge(self, *, account_no: str, discovered_on: date, electrician: str, evidence: str,
                    approval: Approval | None = None, notified: str | None = None) -> ChargeResult:  # fmt: skip
        return back_charge(self.ctx, account_no=account_no, discovered_on=discovered_on, electrician=electrician,
                           evidence=evidence, approval=approval, notified=notified)  # fmt: skip

    def back_charge_calculation(self, *, notice_no: str) -> str:
        """The printable calculation of a back-charge (addition beside API.md)."""
        ctx = self.ctx
        with ctx.reading() as s:
            notice = s.scalar(select(Notice).where(
                Notice.notice_no == notice_no, Notice.kind.in_((KIND, software_control_text.KIND))))  # fmt: skip
            if notice is None:
                raise InputInvalid(f"没有补缴通知单 {notice_no}", detail_en=f"no back-charge {notice_no}",
                                   field="notice_no")  # fmt: skip
            return calculation_text(notice)
