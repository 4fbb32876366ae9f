"""`report`: a period report built from the ledger, written as PDF, XLSX or CSV. `sums refresh`:
the ledger's kept sums brought up to date (counter_app/settlement/kept_sums.py; a shift close does
it too), in short transactions, so other counters keep selling meanwhile."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from counter_app.admin.command import CommandContext, acting
from counter_app.admin.door import AdminSession
from counter_app.settlement import kept_sums
from counter_app.settlement.report_catalogue import build_report
from counter_app.settlement.reports import query_from_settings
from receipts.reports.render import render


def report(ctx: CommandContext) -> int:
    a = ctx.args
    with acting(ctx.invocation()) as admin:
        size = write_report(admin, kind=a.kind, start=a.start, end=a.end, fmt=a.fmt, out=a.out)
    ctx.out.line(f"报表 {a.kind}（{a.start} 至 {a.end}）已写入 {a.out}（{size} 字节）")
    return 0


def write_report(admin: AdminSession, *, kind: str, start: date, end: date, fmt: str, out: str) -> int:
    """Build the report from the ledger and write it; the number of bytes written."""
    ctx = admin.ctx
    with ctx.reading() as s:
        table = build_report(s, kind, query_from_settings(s, start, end))
    data = render(table, fmt)
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    with ctx.uow() as s:
        ctx.audit(s, "report.generated", report=kind, start=start, end=end, format=fmt)
    return len(data)


def sums_refresh(ctx: CommandContext) -> int:
    with acting(ctx.invocation()) as admin:
        done = refresh_sums(admin)
    if done.deferred:
        ctx.out.line("有未提交的流水（其他窗口正在写入），本次未汇总新流水，请稍后再试")
    ctx.out.line(f"流水汇总：写入 {done.batches} 批，覆盖 {done.entries} 笔；已汇总至流水编号 {done.hi}"
                 f"（最长一批 {done.longest_chunk_s:.2f} 秒）")  # fmt: skip
    return 0


def refresh_sums(admin: AdminSession) -> kept_sums.Refreshed:
    """Write the batches due; that it was done is on record."""
    ctx = admin.ctx
    done = kept_sums.refresh_sums(ctx.engine, ctx.keys, ctx.clock)
    with ctx.uow() as s:
        ctx.audit(s, "report.sums_refreshed", batches=done.batches, entries=done.entries, hi=done.hi)
    return done
