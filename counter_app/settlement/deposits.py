"""Deposits (现金缴款单 to the bank or settlement centre, 进账单 for cheques) against the shifts they
cover; late deposits for the assistant; half-month 收账检查 and spot checks (DOMAIN "Deposits").

Due date of a shift's cash: the day it closed; for evening takings (closed at or after the setting
`deposit.evening_from`, 17:00) the next banking day. Banking days are Monday to Friday here: the
school's holiday calendar is not yet a setting, so a deposit after a public holiday may show late
and the assistant judges it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from base.clock import BUSINESS_TZ
from base.errors import InputInvalid
from counter_app.approvals import Approval
from counter_app.context import OpContext
from counter_app.results import DepositInfo
from counter_app.settlement import deposit_check
from db.models import Shift, ShiftClosure
from db.models.settlement import CHECK_KINDS, DEPOSIT_KINDS, CollectionCheck, Deposit, DepositShift

KIND_ALIASES = {"现金缴款单": "cash_slip", "cash": "cash_slip", "进账单": "bank_slip", "cheque": "bank_slip"}


@dataclass(frozen=True)
class LateDeposit:
    shift_id: int
    cash_fen: int
    due_on: date
    deposited_on: date | None  # None: not deposited yet
    slip_nos: tuple[str, ...]


def next_banking_day(day: date) -> date:
    day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def due_on(closed_at: datetime, evening_from: str) -> date:
    local = closed_at.astimezone(BUSINESS_TZ)
    hour, minute = (int(p) for p in evening_from.split(":"))
    return next_banking_day(local.date()) if local.time() >= time(hour, minute) else local.date()


def record_deposit(
    ctx: OpContext, session: Session, *, slip_no: str, kind: str, bank: str, stamped_on: date, amount_fen: int,
    shift_ids: list[int], difference_reason: str | None = None, approval: Approval | None = None,
) -> DepositInfo:  # fmt: skip
    """A slip recorded by `ctx`'s operator at `ctx`'s workstation; late against the setting
    `deposit.evening_from`. Compared with the takings of the shifts it covers (deposit_check): a
    slip that differs needs `difference_reason` and a co-signature (`approval`)."""
    evening_from = ctx.setting(session, "deposit.evening_from")
    kind = KIND_ALIASES.get(kind, kind)
    _validate(slip_no, kind, bank, stamped_on, amount_fen, shift_ids)
    closures = {
        c.shift_id: c
        for c in session.scalars(select(ShiftClosure).where(ShiftClosure.shift_id.in_(shift_ids)))
    }
    missing = sorted(set(shift_ids) - set(closures))
    if missing:
        raise InputInvalid(
            f"班次未结账：{missing}", detail_en=f"shifts not closed: {missing}", field="shift_ids"
        )
    if session.scalar(select(Deposit.id).where(Deposit.kind == kind, Deposit.slip_no == slip_no)) is not None:
        raise InputInvalid(
            f"缴款单 {slip_no} 已登记", detail_en=f"slip {slip_no} already recorded", field="slip_no"
        )
    fig = deposit_check.figures(ctx, session, kind=kind, amount_fen=amount_fen, shift_ids=shift_ids)
    reason, approval_id = deposit_check.accept(ctx, session, fig, slip_no=slip_no.strip(), shift_ids=shift_ids,
                                               reason=difference_reason, approval=approval)  # fmt: skip
    row = Deposit(slip_no=slip_no.strip(), kind=kind, bank=bank.strip(), stamped_on=stamped_on, amount_fen=amount_fen,
                  recorded_at=ctx.now(), operator_id=ctx.operator_id, workstation_id=ctx.workstation.id)  # fmt: skip
    session.add(row)
    session.flush()
    session.add_all(DepositShift(deposit_id=row.id, shift_id=s) for s in sorted(set(shift_ids)))
    session.flush()
    deposit_check.record(session, row.id, fig, reason, approval_id)
    late = any(stamped_on > due_on(closures[s].closed_at, evening_from) for s in shift_ids)
    return DepositInfo(
        row.slip_no,
        kind,
        row.bank,
        stamped_on,
        amount_fen,
        tuple(sorted(set(shift_ids))),
        late,
        expected_fen=fig.expected_fen,
        difference_fen=fig.difference_fen,
        difference_reason=reason,
    )


def _validate(
    slip_no: str, kind: str, bank: str, stamped_on: date, amount_fen: int, shift_ids: list[int]
) -> None:
    if kind not in DEPOSIT_KINDS:
        raise InputInvalid(f"缴款单类型无效：{kind}", detail_en=f"unknown deposit kind {kind}", field="kind")
    if not isinstance(slip_no, str) or not slip_no.strip() or not isinstance(bank, str) or not bank.strip():
        raise InputInvalid("须填写单号和银行", detail_en="slip number and bank are needed", field="slip_no")
    if isinstance(amount_fen, bool) or not isinstance(amount_fen, int) or amount_fen <= 0:
        raise InputInvalid(
            "金额须为正整数（分）", detail_en="amount must be positive fen", field="amount_fen"
        )
    if isinstance(stamped_on, datetime) or not isinstance(stamped_on, date):
        raise InputInvalid("银行盖章日期无效", detail_en="stamped_on must be a date", field="stamped_on")
    if not shift_ids:
        raise InputInvalid("须注明所缴班次", detail_en="the shifts covered are needed", field="shift_ids")


def late_deposits(ctx: OpContext, session: Session) -> list[LateDeposit]:
    """Shifts whose cash (counted less float) was deposited after its due date, or is overdue on
    `ctx`'s business date (due dates: the setting `deposit.evening_from`)."""
    today, evening_from = ctx.today(), ctx.setting(session, "deposit.evening_from")
    out = []
    for closure, float_fen in session.execute(
        select(ShiftClosure, Shift.float_fen).join(Shift, Shift.id == ShiftClosure.shift_id).order_by(ShiftClosure.shift_id)
    ).tuples():  # fmt: skip
        cash = closure.counted_fen - float_fen
        if cash <= 0:
            continue
        due = due_on(closure.closed_at, evening_from)
        slips = session.execute(
            select(Deposit.slip_no, Deposit.stamped_on).join(DepositShift, DepositShift.deposit_id == Deposit.id)
            .where(DepositShift.shift_id == closure.shift_id).order_by(Deposit.stamped_on, Deposit.id)
        ).all()  # fmt: skip
        first = slips[0].stamped_on if slips else None
        if (first is not None and first > due) or (first is None and today > due):
            out.append(LateDeposit(closure.shift_id, cash, due, first, tuple(s.slip_no for s in slips)))
    return out


def record_collection_check(
    ctx: OpContext, session: Session, *, kind: str, covers_from: date, covers_to: date, findings: str,
    shift_id: int | None = None, counted_fen: int | None = None,
) -> int:  # fmt: skip
    """半月收账检查 (`half_month`) or a spot check (`spot`, with the cash counted) by `ctx`'s
    operator; the row id."""
    if kind not in CHECK_KINDS:
        raise InputInvalid(f"检查类型无效：{kind}", detail_en=f"unknown check kind {kind}", field="kind")
    if covers_to < covers_from:
        raise InputInvalid(
            "结束日期早于开始日期", detail_en="the range ends before it starts", field="covers_to"
        )
    if not findings or not findings.strip():
        raise InputInvalid("须填写检查结果", detail_en="findings are needed", field="findings")
    row = CollectionCheck(kind=kind, covers_from=covers_from, covers_to=covers_to, shift_id=shift_id,
                          findings=findings.strip(), counted_fen=counted_fen, at=ctx.now(), operator_id=ctx.operator_id)  # fmt: skip
    session.add(row)
    session.flush()
    return row.id


def checks_between(session: Session, start: date, end: date) -> list[CollectionCheck]:
    stmt = select(CollectionCheck).where(
        CollectionCheck.covers_to >= start, CollectionCheck.covers_from <= end
    )
    return list(session.scalars(stmt.order_by(CollectionCheck.at, CollectionCheck.id)))
