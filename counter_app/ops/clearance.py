"""Graduation clearance (毕业离校结清, DOMAIN "Counter operations" 10; API.md `clearance`).

Cleared when: no unpaid back-charge or bill notice on the account, no unfinished card write, and
the room refunded or transferred since its last paid purchase: a refund raised (or a clear that
found nothing) after it, or a change of holder / occupants after it. An account that never bought
energy has nothing to refund (free energy is never refunded). The slip (电费已结清) is plain text
in `Clearance.slip_text` and a PDF from `clearance_pdf`; it is only issued when cleared.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.orm import Session as DbSession

from base.errors import InputInvalid
from base.money import format_yuan
from counter_app.context import OpContext
from counter_app.ops.area import SessionArea
from counter_app.ops.common import account_no_or_room, room_code_of
from counter_app.results import Clearance
from db.models import Account, AccountEvent, LedgerEntry
from db.models.notices import Notice, NoticePayment
from receipts.data import CHARGE_LABELS
from receipts.pdf_document import PdfReport

PAID_ENERGY_KINDS = ("sale", "correction", "legacy_purchase")


def clearance(ctx: OpContext, *, account_no: str) -> Clearance:
    with ctx.reading() as s:
        ctx.require_role(s, "cashier", "supervisor", "assistant", "head")
        account = account_no_or_room(ctx, s, account_no)  # an account number or a room code
        outstanding = [*_unpaid_notices(s, account), *_unfinished(account), *_not_refunded(s, account)]
        cleared = not outstanding
        text = slip_text(ctx, s, account) if cleared else None
        return Clearance(account_no=account.account_no, cleared=cleared, outstanding=tuple(outstanding),
                         slip_text=text)  # fmt: skip


def _unpaid_notices(s: DbSession, account: Account) -> list[str]:
    rows = s.scalars(select(Notice).where(Notice.account_id == account.id,
                                          Notice.id.not_in(select(NoticePayment.notice_id))).order_by(Notice.id))  # fmt: skip
    return [
        f"未缴{CHARGE_LABELS.get(n.kind, n.kind)}：通知单 {n.notice_no}，{format_yuan(n.amount_fen)} 元"
        for n in rows
    ]


def _unfinished(account: Account) -> list[str]:
    if account.busy_intent_id:
        return [f"有未完成的写卡（{account.busy_intent_id[:8]}），须先完成或转挂账处理"]
    return []


def _not_refunded(s: DbSession, account: Account) -> list[str]:
    last_sale = _last(
        s, LedgerEntry.at, LedgerEntry.account_id == account.id, LedgerEntry.kind.in_(PAID_ENERGY_KINDS)
    )
    if last_sale is None:
        return []  # never bought: nothing to refund
    refunded = _last(s, LedgerEntry.at, LedgerEntry.account_id == account.id, LedgerEntry.at > last_sale,
                     (LedgerEntry.kind == "refund_raised")
                     | ((LedgerEntry.kind == "cleared") & (LedgerEntry.energy_ckwh == 0)))  # fmt: skip
    transferred = _last(s, AccountEvent.at, AccountEvent.account_id == account.id, AccountEvent.at > last_sale,
                        AccountEvent.kind.in_(("holder_changed", "occupants_changed")))  # fmt: skip
    if refunded is None and transferred is None:
        return ["房间尚未退电（退电清零并办理退费）或过户"]
    return []


def _last(
    s: DbSession, column: InstrumentedAttribute[datetime], *where: ColumnElement[bool]
) -> datetime | None:
    return s.scalar(select(func.max(column)).where(*where))


def slip_text(ctx: OpContext, s: DbSession, account: Account) -> str:
    return "\n".join([
        ctx.centre_name, "电费已结清", "（毕业离校结清证明）",
        f"户号：{account.account_no}", f"房间：{room_code_of(s, account) or ''}",
        f"日期：{ctx.today().isoformat()}", f"经办人：{ctx.operator.display_name if ctx.operator else ''}",
        "无未缴违规用电补缴电费及其他费用；房间已退电或已过户。",
    ])  # fmt: skip


def clearance_pdf(result: Clearance) -> bytes:
    """The clearance slip as an A4 PDF (CJK font embedded by receipts.pdf_document)."""
    if not result.cleared or not result.slip_text:
        raise ValueError("only a cleared account gets a clearance slip")
    lines = result.slip_text.splitlines()
    pdf = PdfReport(title=lines[1])
    pdf.lines(lines[:1] + lines[2:])
    pdf.signatures(["经办人", "盖章"])
    return pdf.build()


class ClearanceOps(SessionArea):
    def clearance(self, *, account_no: str) -> Clearance:
        return clearance(self.ctx, account_no=account_no)

    def clearance_slip_pdf(self, *, account_no: str) -> bytes:
        """Addition (docs/api.md): the 结清证明 as A4 PDF, checked again now (INPUT_INVALID with the
        outstanding items when the account is not cleared)."""
        found = clearance(self.ctx, account_no=account_no)
        if not found.cleared:
            raise InputInvalid("尚未结清：" + "；".join(found.outstanding), field="account_no",
                               detail_en="not cleared yet", data={"outstanding": list(found.outstanding)})  # fmt: skip
        return clearance_pdf(found)
