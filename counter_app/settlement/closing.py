"""Step 2 of the blind close (see shift_close.py for the order): expected cash, difference, the
numbered Z report, the audit head and the settlement sheet, all in the caller's unit of work.

After it the shift is locked (`require_open_shift` raises SHIFT_CLOSED): the closure row exists
and `shifts.is_open` is cleared in the same transaction.

Who closes, when, and the co-signature come from the `OpContext`: a difference above the limit is
approved through `ctx.approve`, so the single-operator queue hook (counter_app/queueing.py) applies
to it as to every co-signed step (the kind `shift.close_difference` is not queueable: in
single-operator mode it still needs its co-signature at the counter).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from base.canonical import canonical_json
from base.errors import InputInvalid
from counter_app import audit
from counter_app.approvals import Approval
from counter_app.context import OpContext
from counter_app.results import DeclaredCount, SettlementInfo
from counter_app.settings import get_setting
from counter_app.settlement import shift_close
from counter_app.settlement.ledger_view import EntryRow, drawer_cash, refund_float_paid, shift_entries
from counter_app.settlement.sheet_content import CloseFigures, build_content, name_of
from counter_app.settlement.signoff import render_sheet
from db import numbering
from db.models import Shift, ShiftClosure
from db.models.security import Approval as ApprovalRow
from db.models.settlement import SHEET_SERIES, Z_SERIES, SettlementSheet, ShiftCount, ZReport

CLOSE_APPROVAL_KIND = "shift.close_difference"


@dataclass(frozen=True)
class CloseSettings:
    close_difference_fen: int
    refund_float: bool
    sign_chain: list[list[str]]
    centre_name: str

    @classmethod
    def from_session(cls, session: Session) -> CloseSettings:
        return cls(get_setting(session, "close_difference_fen"), get_setting(session, "refund_float"),
                   get_setting(session, "settlement.sign_chain"), get_setting(session, "centre_name"))  # fmt: skip


def close_shift(
    ctx: OpContext, session: Session, *, shift_id: int, difference_reason: str | None = None,
    approval: Approval | None = None, settings: CloseSettings | None = None, pdf_dir: str | Path | None = None,
) -> SettlementInfo:  # fmt: skip
    """The shift of `ctx`'s operator closed in the caller's unit of work `session`."""
    settings = settings or CloseSettings.from_session(session)
    operator_id = ctx.operator_id
    shift = shift_close.require_open_shift(session, shift_id)
    shift_close._require_own_shift(shift, operator_id)
    count = shift_close.declared_count(session, shift_id)
    if count is None:  # the blind order: nothing is computed before the count is on record
        raise InputInvalid("请先清点并申报现金", detail_en="declare the counted cash first", field="counted")
    shift_close.require_no_pending_writes(session, shift_id)
    entries = shift_entries(session, shift_id)
    figures, approval_id = _figures(
        ctx, session, shift, count, entries, settings, difference_reason, approval
    )
    now = ctx.now()
    closure = ShiftClosure(shift_id=shift_id, closed_at=now, operator_id=operator_id, counted=count.counted,
                           counted_fen=figures.counted_fen, expected_fen=figures.expected_fen,
                           difference_fen=figures.difference_fen, difference_reason=figures.difference_reason,
                           approval_id=approval_id)  # fmt: skip
    shift.is_open = False
    session.add(closure)
    z = numbering.take_receipt_number(session, shift.workstation_id, Z_SERIES)
    sheet_no = numbering.take_receipt_number(session, shift.workstation_id, SHEET_SERIES).text
    session.flush()
    ctx.audit(session, "shift.closed", subject=closure, shift_id=shift_id, z_no=z.text, sheet_no=sheet_no,
              expected_fen=figures.expected_fen, counted_fen=figures.counted_fen,
              difference_fen=figures.difference_fen)  # fmt: skip
    head = audit.chain_head(session)
    session.add(ZReport(workstation_id=shift.workstation_id, seq=z.seq, z_no=z.text, shift_id=shift_id, at=now,
                        audit_seq=head[0], audit_head=head[1]))  # fmt: skip
    content = build_content(
        session, shift=shift, entries=entries, figures=figures, sheet_no=sheet_no, z_no=z.text, closed_at=now,
        audit_head=head, chain=settings.sign_chain, receipt_range=shift_close.receipt_range(session, shift_id),
        x_reports=shift_close.x_report_times(session, shift_id), centre_name=settings.centre_name,
    )  # fmt: skip
    session.add(SettlementSheet(sheet_no=sheet_no, shift_id=shift_id, workstation_id=shift.workstation_id,
                                created_at=now, content=content, content_sha256=content_digest(content),
                                chain=settings.sign_chain))  # fmt: skip
    session.flush()
    pdf_path = _write_pdf(content, pdf_dir)
    return SettlementInfo(
        sheet_no, figures.expected_fen, figures.counted_fen, figures.difference_fen, pdf_path
    )


def _figures(
    ctx: OpContext, session: Session, shift: Shift, count: ShiftCount, entries: list[EntryRow],
    settings: CloseSettings, reason: str | None, approval: Approval | None,
) -> tuple[CloseFigures, int | None]:  # fmt: skip
    """(CloseFigures, approval id or None). The approval is asked only above the limit, through
    `ctx.approve` (the single-operator queue hook, the ttl setting, the counter's hasher)."""
    cash_in, float_refunds, expected = expected_cash(shift, entries, settings)
    difference = count.counted_fen - expected
    reason = (reason or "").strip() or None
    if difference and reason is None:
        kind = "长款" if difference > 0 else "短款"
        raise InputInvalid(f"现金{kind}，请填写原因", detail_en="a difference needs a reason",
                           field="difference_reason", data={"difference_fen": difference})  # fmt: skip
    approval_id, approved_by = None, None
    if abs(difference) > settings.close_difference_fen:
        payload = {"shift_id": shift.id, "counted_fen": count.counted_fen, "expected_fen": expected,
                   "difference_fen": difference, "reason": reason}  # fmt: skip
        approval_id = ctx.approve(session, approval, kind=CLOSE_APPROVAL_KIND, payload=payload, reason=reason)
        checker_id = session.scalar(select(ApprovalRow.checker_id).where(ApprovalRow.id == approval_id))
        approved_by = name_of(session, checker_id)
    figures = CloseFigures({int(k): v for k, v in count.counted.items()}, count.counted_fen, shift.float_fen,
                           cash_in, float_refunds, expected, difference, reason, approved_by)  # fmt: skip
    return figures, approval_id


def expected_cash(shift: Shift, entries: list[EntryRow], settings: CloseSettings) -> tuple[int, int, int]:
    """(cash in, refunds paid from the refund float, expected in the drawer) of the shift."""
    cash_in = drawer_cash(entries, refund_float=False)
    float_refunds = refund_float_paid(entries) if settings.refund_float else 0
    return cash_in, float_refunds, shift.float_fen + cash_in - float_refunds


def compare_count(session: Session, shift: Shift, count: ShiftCount) -> DeclaredCount:
    """The declared count against what was expected. Only for a count already on record (the blind
    order): the caller holds `count`, read from the database."""
    settings = CloseSettings.from_session(session)
    _, _, expected = expected_cash(shift, shift_entries(session, shift.id), settings)
    difference = count.counted_fen - expected
    return DeclaredCount(
        shift_id=shift.id, counted={int(k): v for k, v in count.counted.items()}, counted_fen=count.counted_fen,
        expected_fen=expected, difference_fen=difference, declared_at=count.declared_at,
        reason_required=difference != 0, approval_required=abs(difference) > settings.close_difference_fen,
    )  # fmt: skip


def content_digest(content: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(content)).hexdigest()


def _write_pdf(content: dict[str, Any], pdf_dir: str | Path | None) -> str | None:
    if pdf_dir is None:
        return None
    path = Path(pdf_dir) / f"{content['sheet_no']}.pdf"
    path.write_bytes(render_sheet(content, signatures=[]))
    return str(path)
