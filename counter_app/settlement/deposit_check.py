"""A deposit compared with the takings of the shifts it covers (issue 15 item 2a; DOMAIN "Tenders",
"Deposits").

What the slip should carry: the shifts' takings in its tender from the ledger (cash for a
现金缴款单, cheques for a 进账单; for cash, refunds paid from the refund float come off when finance
enabled it), plus the 长款/短款 of their blind closes (already explained and, above the limit,
co-signed at the close: the drawer held that much more or less), less what earlier slips covering
only these shifts already took to the bank (a shift's cash in two slips). A slip that differs needs
a reason and a second person's co-signature (approval kind `deposit.difference`); the comparison
is written beside the deposit (`deposit_reconciliations`) either way, so the deposits report shows it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from base.errors import InputInvalid
from base.money import format_yuan
from counter_app.approvals import Approval
from counter_app.context import OpContext
from counter_app.settlement.ledger_view import DRAWER_KINDS
from db.models.tenders import DepositReconciliation
from db.queries import tenders as q

APPROVAL_KIND = "deposit.difference"
SLIP_TENDERS = {"cash_slip": "cash", "bank_slip": "cheque"}


@dataclass(frozen=True)
class DepositFigures:
    tender: str
    ledger_fen: int
    close_difference_fen: int
    earlier_fen: int
    amount_fen: int

    @property
    def expected_fen(self) -> int:
        return self.ledger_fen + self.close_difference_fen - self.earlier_fen

    @property
    def difference_fen(self) -> int:
        return self.amount_fen - self.expected_fen


def figures(
    ctx: OpContext, session: Session, *, kind: str, amount_fen: int, shift_ids: list[int]
) -> DepositFigures:
    tender = SLIP_TENDERS[kind]
    kinds = list(DRAWER_KINDS)
    if tender == "cash" and ctx.setting(session, "refund_float"):
        kinds.append("refund_raised")  # paid from the refund float: not in the drawer to deposit
    shifts = sorted(set(shift_ids))
    return DepositFigures(
        tender=tender,
        ledger_fen=q.shifts_tender_fen(session, shifts, tender, kinds),
        close_difference_fen=q.close_difference_fen(session, shifts) if tender == "cash" else 0,
        earlier_fen=sum(a for _, a in q.earlier_deposits_within(session, shifts, kind)),
        amount_fen=amount_fen,
    )


def accept(
    ctx: OpContext, session: Session, fig: DepositFigures, *, slip_no: str, shift_ids: list[int],
    reason: str | None, approval: Approval | None,
) -> tuple[str | None, int | None]:  # fmt: skip
    """(reason, approval id) for a slip that differs; (None, None) when it matches. INPUT_INVALID
    (field `difference_reason`) without a reason, APPROVAL_REQUIRED without a co-signature."""
    if fig.difference_fen == 0:
        return None, None
    reason = (reason or "").strip() or None
    if reason is None:
        over = "多缴" if fig.difference_fen > 0 else "少缴"
        raise InputInvalid(
            f"缴款金额与所缴班次的应缴金额不符（{over} {format_yuan(abs(fig.difference_fen))} 元），请填写原因",
            detail_en=f"the slip differs from the shifts' takings by {fig.difference_fen} fen: a reason is needed",
            field="difference_reason",
            data={"expected_fen": fig.expected_fen, "difference_fen": fig.difference_fen},
        )  # fmt: skip
    payload = {"slip_no": slip_no, "tender": fig.tender, "shift_ids": sorted(set(shift_ids)),
               "amount_fen": fig.amount_fen, "expected_fen": fig.expected_fen,
               "difference_fen": fig.difference_fen, "reason": reason}  # fmt: skip
    return reason, ctx.approve(session, approval, kind=APPROVAL_KIND, payload=payload, reason=reason)


def record(
    session: Session, deposit_id: int, fig: DepositFigures, reason: str | None, approval_id: int | None
) -> DepositReconciliation:
    row = DepositReconciliation(
        deposit_id=deposit_id, tender=fig.tender, ledger_fen=fig.ledger_fen,
        close_difference_fen=fig.close_difference_fen, earlier_fen=fig.earlier_fen,
        expected_fen=fig.expected_fen, amount_fen=fig.amount_fen, difference_fen=fig.difference_fen,
        reason=reason, approval_id=approval_id,
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row


def reconciliation_of(session: Session, deposit_id: int) -> DepositReconciliation | None:
    """None for a deposit recorded before the comparison existed."""
    stmt = select(DepositReconciliation).where(DepositReconciliation.deposit_id == deposit_id)
    return session.scalar(stmt)
