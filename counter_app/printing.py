"""The durable print queue (issue "Counter operations" §3).

A print job is written in the SAME transaction as the receipt it prints, so a committed sale always
has its receipt waiting. `drain` prints waiting jobs in order, outside any transaction: a printer
fault (paper out, cover open, offline, no answer) stops the queue and the job stays waiting; when
the printer returns, the job is printed whole again, without a mark — the customer gets one clean
receipt. Only a reprint a person asks for (`reprint`) is marked 补打 with its count.
A printer fault never fails a sale already written: the caller logs it and the UI shows the queue.

With background printing (the workstation), a fault does not leave the jobs to the next sale (which
would hand the next customer the previous customer's receipt): the print thread watches the
printer — its status asked every `Devices.print_retry_s` seconds, the I/O on the printer's own
device thread — and prints the waiting jobs the moment it is ready again (`watch`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session as DbSession

from base import crashpoints
from base.errors import DeviceOffline, InputInvalid, PrinterPaperOut, UserFacingError
from counter_app import print_queue, row_seals
from counter_app.context import OpContext
from counter_app.documents import render, to_json
from counter_app.ops.common import add_audited
from db.models import PrintJob, PrintJobEvent, Receipt, ReceiptEvent
from db.queries.print_jobs import insert_event, insert_jobs

log = logging.getLogger(__name__)

DEFAULT_COLUMNS = 32  # 58 mm paper


def enqueue(
    ctx: OpContext, s: DbSession, *, document: str, doc: Any, receipt_id: int | None = None,
    reprint_count: int = 0,
) -> PrintJob:  # fmt: skip
    """A job for `doc` (a receipts.data dataclass), in the caller's transaction. Not flushed here:
    the transaction's next flush (or query) writes it, so a sale's two jobs are one insert batch
    with one census update (issue 16)."""
    job = PrintJob(**_job_columns(ctx, document, doc, receipt_id, ctx.now(), reprint_count))
    s.add(job)
    return job


def _job_columns(
    ctx: OpContext, document: str, doc: Any, receipt_id: int | None, now: datetime, reprint_count: int = 0
) -> dict[str, Any]:
    """Every column of a new job but its id (every sealed column: `enqueue_all` seals them as given)."""
    return {"workstation_id": ctx.workstation.id, "receipt_id": receipt_id, "document": document, "copies": 1,
            "reprint_count": reprint_count, "payload": {"document": to_json(doc)}, "created_at": now,
            "operator_id": ctx.operator.id if ctx.operator else None}  # fmt: skip


def enqueue_all(ctx: OpContext, s: DbSession, jobs: Sequence[tuple[str, Any, int | None]]) -> list[int]:
    """Jobs for the documents of one act, (document, doc, receipt id) each (a sale's receipt and its
    slip), in the caller's transaction; their ids. One Core INSERT for all of them, then their seals
    in one executemany UPDATE and one census count (row_seals.seal_inserted): the statements the
    ORM's insert events would send per job, without its unit of work (issue 16). Every sealed
    column is given, so each seal is over the row as stored."""
    if not jobs:
        return []
    now = ctx.now()
    rows = [_job_columns(ctx, document, doc, receipt_id, now) for document, doc, receipt_id in jobs]
    by_document = {row["document"]: row for row in rows}
    if len(by_document) != len(rows):
        raise ValueError("enqueue_all: one job per document")
    s.flush()  # (the receipt the jobs name is in the database first)
    # Each id matched to its row by the document it names, not by the order the rows come back in
    # (which SQLite does not promise; asking SQLAlchemy to sort them costs one INSERT per row there).
    ids: dict[str, int] = {}
    for job_id, document in insert_jobs(s, rows):
        ids[document] = by_document[document]["id"] = job_id
    row_seals.seal_inserted(s, PrintJob, rows)
    return [ids[document] for document, _doc, _receipt_id in jobs]


def drain(ctx: OpContext) -> int:
    """Print every waiting job; the number printed. Stops at the first printer fault (raised)."""
    printer = ctx.devices.printer
    if printer is None:
        return 0
    with ctx.looking_up() as s:
        # A payload rewritten by SQL is refused (TAMPERED) before it reaches paper.
        jobs = [(j.id, j.document, j.payload["document"], j.reprint_count)
                for j in row_seals.check_all(s, print_queue.waiting_jobs(ctx, s))]  # fmt: skip
    printed = 0
    for job_id, document, payload, reprint_count in jobs:
        data = render(document, payload, columns=DEFAULT_COLUMNS, reprint_count=reprint_count).data
        crashpoints.crash_point("before_print")
        _send(printer, data)
        with ctx.uow() as s:  # marked at once, job by job: a crash reprints at most the job in flight
            _mark_printed(ctx, s, job_id)
        printed += 1
    return printed


def _mark_printed(ctx: OpContext, s: DbSession, job_id: int) -> None:
    """The job's "printed" event, sealed and counted: one Core INSERT (built once), then the seal's
    UPDATE and the census count by `row_seals.seal_inserted`, the statements the ORM's insert events
    would run. Not through the ORM: its unit of work cost more than the statements themselves (a
    third of a millisecond of Python per job, two jobs a sale; issue 16). Every sealed column is
    given (`detail` too), so the seal is over the row as stored."""
    row: dict[str, Any] = {"job_id": job_id, "outcome": "printed", "at": ctx.now(), "detail": None}
    row["id"] = insert_event(s, row)
    row_seals.seal_inserted(s, PrintJobEvent, [row])


def _send(printer: Any, data: bytes) -> None:
    if crashpoints.armed_point() == "mid_print":
        printer.send(data[: len(data) // 2])  # half a receipt on the paper, then the power goes
        crashpoints.crash_point("mid_print")
    printer.print_job(data)


def drain_quietly(ctx: OpContext) -> str | None:
    """After a sale: print what waits; a printer fault is reported, never raised (the sale stands).
    With background printing on (the workstation UI), the queue is printed on its own thread and
    this returns at once: the sale is already committed and its receipt durably queued."""
    if ctx.devices.background_printing:
        ctx.devices.submit_print(lambda: _drain_and_watch(ctx))
        return None
    return _drain_logged(ctx)


# The faults the printer recovers from by itself or by a person's hand (paper, cover, power, cable):
# worth watching for. Anything else (a tampered job) waits for a person, not for the printer.
PRINTER_FAULTS = (PrinterPaperOut.code, DeviceOffline.code)


def _drain_and_watch(ctx: OpContext) -> None:
    """On the print thread: print what waits; on a printer fault, watch the printer."""
    if _drain_logged(ctx) in PRINTER_FAULTS:
        ctx.devices.retry_print_later(lambda: watch(ctx))


def watch(ctx: OpContext) -> None:
    """On the print thread, while jobs wait: ask the printer (on its device thread) whether it is
    ready; when it is, print the waiting jobs at once; when not, ask again later. Stops when
    nothing waits (a later fault starts it again)."""
    printer = ctx.devices.printer
    if printer is None:
        return
    try:
        with ctx.looking_up() as s:
            waiting = print_queue.any_waiting(ctx, s)
    except Exception:  # the database away: the next sale or the next start prints them
        log.exception("print queue: cannot read the waiting jobs; watching stopped")
        return
    if not waiting:
        return
    if printer.status().ready:  # never raises: a silent printer is `known=False`, not ready
        _drain_and_watch(ctx)
    else:
        ctx.devices.retry_print_later(lambda: watch(ctx))


def _drain_logged(ctx: OpContext) -> str | None:
    try:
        drain(ctx)
    except UserFacingError as error:
        log.warning("printing deferred: %s", error)
        return error.code
    return None


def reprint(ctx: OpContext, receipt_no: str) -> int:
    """补打: a person asks for another copy; marked with its count. Returns the count."""
    with ctx.uow() as s:
        receipt = s.scalar(select(Receipt).where(Receipt.receipt_no == receipt_no))
        if receipt is None:
            raise InputInvalid(
                f"没有这张凭条：{receipt_no}", detail_en=f"no receipt {receipt_no}", field="receipt_no"
            )
        original = s.scalar(
            select(PrintJob).where(PrintJob.receipt_id == receipt.id).order_by(PrintJob.id).limit(1)
        )
        if original is None:
            raise InputInvalid(
                f"凭条 {receipt_no} 没有可补打的内容", detail_en=f"nothing to reprint for {receipt_no}"
            )
        row_seals.check(s, original)  # 补打 copies this payload: it must be the one the sale wrote
        count = 1 + (s.scalar(select(func.count(ReceiptEvent.id)).where(
            ReceiptEvent.receipt_id == receipt.id, ReceiptEvent.kind == "reprinted")) or 0)  # fmt: skip
        add_audited(ctx, s, ReceiptEvent(receipt_id=receipt.id, kind="reprinted", at=ctx.now(),
                                         operator_id=ctx.operator_id, reprint_count=count),
                    "receipt.reprinted", receipt_no=receipt_no)  # fmt: skip
        s.add(PrintJob(workstation_id=ctx.workstation.id, receipt_id=receipt.id, document=original.document,
                       copies=1, reprint_count=count, payload=original.payload, created_at=ctx.now(),
                       operator_id=ctx.operator_id))  # fmt: skip
    drain_quietly(ctx)
    return count
