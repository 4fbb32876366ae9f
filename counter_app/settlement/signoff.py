"""The sign-off chain of a settlement sheet (DOMAIN "People and roles"; API `sign_sheet`).

The chain (setting `settlement.sign_chain`, default 营业员 → 部门助理 → 主管 → 财务) is copied onto
the sheet at close. The logged-in person signs the next unsigned step and must hold that step's
role; the first step is the shift's own cashier; every later signer must not have sold in the
shift (REVIEWER_CONFLICT) nor have signed an earlier step. Finance's 签收 (the last step) records
the voucher number and freezes the sheet: after that any signature or edit is refused
(SHEET_FROZEN: in base.errors, an addition beside API.md), and the shift counts as handed
to finance (no more same-day corrections).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from base.clock import business_date
from base.errors import InputInvalid, ReviewerConflict, RoleForbidden, SheetFrozen
from counter_app import row_seals
from counter_app.auth import has_role
from counter_app.context import OpContext
from counter_app.results import SheetInfo
from counter_app.settlement.sheet_content import local_text, name_of
from db.models import LedgerEntry, Shift
from db.models.settlement import SettlementSheet, SheetFreeze, SheetSignature
from receipts.pdf_fonts import ResolvedFont
from receipts.settlement_sheet import SignatureLine, render_settlement_sheet


def sheet_by_no(session: Session, sheet_no: str) -> SettlementSheet:
    sheet = session.scalar(select(SettlementSheet).where(SettlementSheet.sheet_no == sheet_no))
    if sheet is None:
        raise InputInvalid(
            f"没有交账单 {sheet_no}", detail_en=f"no settlement sheet {sheet_no}", field="sheet_no"
        )
    return row_seals.check(session, sheet)


def is_frozen(session: Session, sheet_id: int) -> bool:
    return session.scalar(select(SheetFreeze.id).where(SheetFreeze.sheet_id == sheet_id)) is not None


def require_sheet_editable(session: Session, sheet_no: str) -> SettlementSheet:
    """The check every change to a sheet (or its shift's records) makes first."""
    sheet = sheet_by_no(session, sheet_no)
    if is_frozen(session, sheet.id):
        raise SheetFrozen(sheet_no, data={"sheet_no": sheet_no})
    return sheet


def shift_handed_to_finance(session: Session, shift_id: int) -> bool:
    """True once the shift's sheet is frozen (corrections then go through refund, DOMAIN op. 5)."""
    stmt = select(SheetFreeze.id).join(SettlementSheet, SettlementSheet.id == SheetFreeze.sheet_id)
    return session.scalar(stmt.where(SettlementSheet.shift_id == shift_id)) is not None


def _signatures(session: Session, sheet_id: int) -> list[SheetSignature]:
    stmt = select(SheetSignature).where(SheetSignature.sheet_id == sheet_id).order_by(SheetSignature.step)
    return list(session.scalars(stmt))


def sign_sheet(
    ctx: OpContext, session: Session, *, sheet_no: str, voucher_no: str | None = None
) -> SheetInfo:
    """`ctx`'s operator signs the sheet's next step in the caller's unit of work."""
    operator_id = ctx.operator_id
    sheet = require_sheet_editable(session, sheet_no)
    done = _signatures(session, sheet.id)
    step = len(done)
    label, role = sheet.chain[step]
    now = ctx.now()
    _check_signer(session, sheet, step, role, operator_id, done, on=business_date(now))
    last = step == len(sheet.chain) - 1
    voucher = (voucher_no or "").strip() or None
    if last and voucher is None:
        raise InputInvalid(
            "财务签收须填写凭证号",
            detail_en="finance's sign-off needs the voucher number",
            field="voucher_no",
        )
    row = SheetSignature(sheet_id=sheet.id, step=step, label=label, role=role, operator_id=operator_id, at=now,
                         voucher_no=voucher if last else None)  # fmt: skip
    session.add(row)
    if last:
        session.add(SheetFreeze(sheet_id=sheet.id, at=now, operator_id=operator_id, voucher_no=voucher))
    session.flush()
    ctx.audit(session, "sheet.signed", subject=row, sheet_no=sheet_no, step=step, label=label,
              voucher_no=row.voucher_no, content_sha256=sheet.content_sha256)  # fmt: skip
    return sheet_info(session, sheet_no)


def _check_signer(session: Session, sheet: SettlementSheet, step: int, role: str, operator_id: int,
                  done: list[SheetSignature], *, on: date) -> None:  # fmt: skip
    shift = session.get_one(Shift, sheet.shift_id)
    if step == 0:
        if shift.operator_id != operator_id:
            raise RoleForbidden("交账单第一签须由本班营业员签字", detail_en="the shift's cashier signs first")
        return
    if not has_role(session, operator_id, role, on=on):
        raise RoleForbidden(f"此步需要角色 {role}", detail_en=f"this step needs the {role} role")
    if any(s.operator_id == operator_id for s in done):
        raise ReviewerConflict(
            "同一人不能签两步", detail_en="one person signs one step", data={"sheet_no": sheet.sheet_no}
        )
    if _sold_in(session, shift, operator_id):
        raise ReviewerConflict(sheet.sheet_no, data={"sheet_no": sheet.sheet_no, "operator_id": operator_id})


def _sold_in(session: Session, shift: Shift, operator_id: int) -> bool:
    if shift.operator_id == operator_id:
        return True
    stmt = select(exists().where(LedgerEntry.shift_id == shift.id, LedgerEntry.operator_id == operator_id))
    return bool(session.scalar(stmt))


def sheet_info(session: Session, sheet_no: str) -> SheetInfo:
    sheet = sheet_by_no(session, sheet_no)
    signatures = tuple(
        (s.label, name_of(session, s.operator_id) or "", s.at) for s in _signatures(session, sheet.id)
    )
    voucher = session.scalar(select(SheetFreeze.voucher_no).where(SheetFreeze.sheet_id == sheet.id))
    return SheetInfo(sheet_no, signatures, voucher is not None, voucher)


def signature_lines(session: Session, sheet: SettlementSheet) -> list[SignatureLine]:
    return [SignatureLine(s.label, name_of(session, s.operator_id) or "", local_text(s.at), s.voucher_no)
            for s in _signatures(session, sheet.id)]  # fmt: skip


def render_sheet(
    content: dict[str, Any], *, signatures: list[SignatureLine], font: ResolvedFont | None = None
) -> bytes:
    return render_settlement_sheet(content, signatures=signatures, font=font)


def sheet_pdf(session: Session, sheet_no: str, *, font: ResolvedFont | None = None) -> bytes:
    """The sheet as it stands (signatures so far), from the snapshot taken at close."""
    sheet = sheet_by_no(session, sheet_no)
    return render_sheet(sheet.content, signatures=signature_lines(session, sheet), font=font)
