"""The shift's end at the counter: X report, blind close, the settlement sheet and its sign-off
(DOMAIN "Shifts, days, months"; API.md `x_report`, `close_shift`, `sign_sheet`).

The services live in counter_app/settlement/; this module gives them the facade's order and
transactions:
- the X and Z reports are print jobs enqueued in the SAME transaction as the log / the close
  (counter_app.printing), and printed after the commit; a printer fault never undoes them;
- the blind close is two units of work: the count is declared and committed FIRST, so a close
  refused afterwards (a reason or an approval missing) keeps it, and the retry must bring the same
  count (a different one is refused: the cashier has seen the difference by then);
- the sheet PDF is written to `reports_dir` after the commit (no file I/O inside a transaction,
  and no file for a close that rolled back);
- then the ledger's kept sums brought up to date (counter_app/settlement/kept_sums.py: short
  transactions of their own, so the week / month / year reports read sums, not years of entries),
  and the automatic backup (counter_app.backups), both quietly.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from base.clock import BUSINESS_TZ, business_date
from base.errors import InputInvalid
from counter_app import backups, printing, queueing
from counter_app.approval_summary import PreviewWouldWrite, previewing
from counter_app.approvals import Approval
from counter_app.context import OpContext
from counter_app.ops.common import open_shift_row
from counter_app.results import DeclaredCount, SettlementInfo, SheetInfo, ShiftTotals
from counter_app.roles import SELLING_ROLES
from counter_app.settlement import closing, kept_sums, printouts, shift_close, signoff
from db.models import ShiftClosure

log = logging.getLogger(__name__)

# 中途自查 is the cashier's; an assistant or head at the counter may take one as a spot check.
X_REPORT_ROLES = ("cashier", "supervisor", "assistant", "head")
# Who may read a sheet: its cashier and everyone in the sign-off chain.
SHEET_READERS = ("cashier", "supervisor", "assistant", "head", "finance", "auditor")
SHEETS_FOLDER = "sheets"


def x_report(ctx: OpContext) -> ShiftTotals:
    """Totals so far of this workstation's open shift; logged (the sheet lists it) and printed."""
    with ctx.uow() as s:
        ctx.require_role(s, *X_REPORT_ROLES)
        shift = open_shift_row(ctx, s)
        totals = shift_close.x_report(ctx, s, shift_id=shift.id)
        doc = printouts.x_report_doc(s, shift_id=shift.id, totals=totals, at=ctx.now().astimezone(BUSINESS_TZ),
                                     centre_name=ctx.setting(s, "centre_name"))  # fmt: skip
        printing.enqueue(ctx, s, document="shift_report", doc=doc)
        ctx.audit(s, "shift.x_report", shift_id=shift.id)
    printing.drain_quietly(ctx)
    return totals


def close_shift(
    ctx: OpContext, *, counted: Mapping[Any, Any], difference_reason: str | None = None,
    approval: Approval | None = None, reports_dir: Path | None = None,
) -> SettlementInfo:  # fmt: skip
    shift_id = _declared_shift_id(ctx) if previewing() else declare_count(ctx, counted=counted)
    with ctx.uow() as s:
        ctx.require_role(s, *SELLING_ROLES)
        info = closing.close_shift(ctx, s, shift_id=shift_id, difference_reason=difference_reason,
                                   approval=approval, pdf_dir=None)  # fmt: skip
        printing.enqueue(ctx, s, document="shift_report", doc=printouts.z_report_doc(s, shift_id=shift_id))
    pdf_path = _write_sheet_pdf(ctx, info.sheet_no, reports_dir)
    printing.drain_quietly(ctx)
    if not previewing():
        kept_sums.refresh_quietly(ctx.engine, ctx.keys, ctx.clock)
    # After the commit and quietly: a failed backup is recorded (Counter.backup_status) and never
    # fails the close the cashier has just counted.
    backups.backup_quietly(
        backups.Backend(ctx.engine, ctx.keys, ctx.clock, ctx.workstation.code, ctx.high_water), "close"
    )
    return SettlementInfo(info.sheet_no, info.expected_fen, info.counted_fen, info.difference_fen, pdf_path)


def _declared_shift_id(ctx: OpContext) -> int:
    """For a preview of the close (Session.approval_preview): the open shift whose count is already
    declared, read without writing, so the preview reaches the co-signature of the difference. A
    shift not counted yet has no difference to preview (the real close declares the count first)."""
    with ctx.reading() as s:
        shift = open_shift_row(ctx, s)
        shift_close.require_no_pending_writes(s, shift.id)
        if shift_close.declared_count(s, shift.id) is None:
            raise PreviewWouldWrite()
        return shift.id


def declare_count(ctx: OpContext, *, counted: Mapping[Any, Any]) -> int:
    """Step 1 of the blind close, committed on its own; the shift id. Refused first (nothing
    written) while card writes of the shift are unfinished: they must be resolved or moved to
    suspense before the drawer is counted against them."""
    with ctx.uow() as s:
        ctx.require_role(s, *SELLING_ROLES)
        shift = open_shift_row(ctx, s)
        shift_close.require_no_pending_writes(s, shift.id)
        already = shift_close.declared_count(s, shift.id) is not None
        try:
            counted_fen = shift_close.declare_count(ctx, s, shift_id=shift.id, counted=counted)
        except InputInvalid as refused:
            if already:  # say plainly why: the retry must bring the count declared before
                refused.data["count_declared"] = True
            raise
        if not already:
            ctx.audit(s, "shift.count_declared", shift_id=shift.id, counted_fen=counted_fen)
        return shift.id


def declare_and_compare(ctx: OpContext, *, counted: Mapping[Any, Any]) -> DeclaredCount:
    """The blind close's step 1 on its own (docs/api.md `declare_count`): the count is committed
    first, then — only then — compared with what was expected. The cashier gives the reason for a
    difference afterwards, to `close_shift`, which cannot change the count."""
    declare_count(ctx, counted=counted)
    found = declared_figures(ctx)
    assert found is not None  # just declared and committed
    return found


def declared_figures(ctx: OpContext) -> DeclaredCount | None:
    """The open shift's declared count compared with what was expected; None while nothing is
    declared (then nothing about what is expected is said)."""
    with ctx.reading() as s:
        ctx.require_role(s, *SELLING_ROLES)
        shift = open_shift_row(ctx, s)
        shift_close._require_own_shift(shift, ctx.operator_id)
        count = shift_close.declared_count(s, shift.id)
        if count is None:
            return None
        return closing.compare_count(s, shift, count)


def _write_sheet_pdf(ctx: OpContext, sheet_no: str, reports_dir: Path | None) -> str | None:
    """The sheet as closed (no signatures yet) at reports_dir/sheets/<sheet_no>.pdf. The close is
    committed whatever happens here: a failed write is logged and `sheet_pdf` renders it again."""
    if reports_dir is None:
        return None
    with ctx.reading() as s:
        data = signoff.sheet_pdf(s, sheet_no)
    folder = Path(reports_dir) / SHEETS_FOLDER
    path = folder / f"{sheet_no}.pdf"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".pdf.part")
        partial.write_bytes(data)
        os.replace(partial, path)  # never a half-written sheet under the real name
    except OSError:
        log.exception("settlement sheet %s: writing %s failed", sheet_no, path)
        return None
    return str(path)


def sign_sheet(ctx: OpContext, *, sheet_no: str, voucher_no: str | None = None) -> SheetInfo:
    """The logged-in person signs the next step (roles, reviewer conflicts: settlement.signoff)."""
    with ctx.uow() as s:
        _require_queue_empty_before_finance(s, sheet_no)
        return signoff.sign_sheet(ctx, s, sheet_no=sheet_no, voucher_no=voucher_no)


def _require_queue_empty_before_finance(s: DbSession, sheet_no: str) -> None:
    """DOMAIN "Holidays": a day is not handed to finance (the last step, 签收) while operations
    queued in single-operator mode on or before it still wait for a co-signature."""
    sheet = signoff.sheet_by_no(s, sheet_no)
    if len(signoff.sheet_info(s, sheet_no).signatures) != len(sheet.chain) - 1:
        return  # not the hand-over step (a frozen sheet is refused by signoff itself)
    # A sheet is made by the close, so its closure row exists.
    closed_at = s.execute(
        select(ShiftClosure.closed_at).where(ShiftClosure.shift_id == sheet.shift_id)
    ).scalar_one()
    day = business_date(closed_at)
    if not queueing.queue_empty(s, day, workstation_id=sheet.workstation_id):
        waiting = [q.id for q in queueing.pending(s, workstation_id=sheet.workstation_id)]
        raise InputInvalid(f"本窗口有待监督人确认的排队操作 {waiting}，清空后才能交财务签收",
                           detail_en=f"queued operations {waiting} await a co-signature; finance signs after",
                           field="sheet_no", data={"queue_ids": waiting})  # fmt: skip


def sheet_info(ctx: OpContext, *, sheet_no: str) -> SheetInfo:
    with ctx.reading() as s:
        ctx.require_role(s, *SHEET_READERS)
        return signoff.sheet_info(s, sheet_no)


def sheet_pdf(ctx: OpContext, *, sheet_no: str) -> bytes:
    """The sheet as it stands now (the signatures so far), from the snapshot taken at close."""
    with ctx.reading() as s:
        ctx.require_role(s, *SHEET_READERS)
        return signoff.sheet_pdf(s, sheet_no)
