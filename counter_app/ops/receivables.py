"""Receivables lists (应收清单) imported from finance or the inspection department (issue 15 item 4):
each line becomes a notice (counter_app/ops/notices.py) the counter then collects. Whoever imports
the list is its maker: under 查表制单收费不相容 (seed 001:28) they never collect those notices, and
the importers are the assistant, the head and finance, who do not sell anyway.

All or nothing: a list with any bad line (in the file, a notice number already known, an account
that does not exist) imports nothing; every problem is listed with its line. `commit=False` checks
and summarises without writing (the preview the screen shows before 导入).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from base.errors import InputInvalid
from base.validation import HOLDER_MAX_LEN, optional_checked_text
from counter_app.context import OpContext
from counter_app.imports.notices_file import ReceivableRow, parse_receivables_file
from counter_app.imports.table import LineError
from counter_app.ops.area import SessionArea
from counter_app.ops.common import add_audited
from counter_app.ops.notice_reports import department_reconciliations
from counter_app.settlement.reports import query_from_settings
from db.models.notices import Notice
from db.queries.accounts import account_by_no
from receipts.reports.render import FORMATS, render

IMPORT_ROLES = ("assistant", "head", "finance")
REPORT_ROLES = ("cashier", "supervisor", "assistant", "head", "finance")  # as ops/settlement_finance.py


@dataclass(frozen=True)
class DepartmentTotal:
    department: str
    notices: int
    amount_fen: int


@dataclass(frozen=True)
class ReceivablesImport:
    imported: bool  # False: checked only (commit=False), or refused for the errors listed
    notices: int
    total_fen: int
    departments: tuple[DepartmentTotal, ...]
    errors: tuple[str, ...]  # "第 7 行 [金额(元)] …", in line order


def import_receivables(
    ctx: OpContext, *, path: str, department: str | None = None, commit: bool = False
) -> ReceivablesImport:
    department = optional_checked_text(
        department, field="department", label="开单部门", max_len=HOLDER_MAX_LEN
    )
    parsed = parse_receivables_file(Path(path), department)
    with ctx.uow() as s:
        ctx.require_role(s, *IMPORT_ROLES)
        errors = [*parsed.errors, *_database_problems(s, parsed.rows)]
        errors.sort(key=lambda e: e.line)
        write = commit and not errors and bool(parsed.rows)
        if write:
            for row in parsed.rows:
                _add_notice(ctx, s, row, Path(path).name)
    return _summary(parsed.rows, errors, write)


def _database_problems(s: DbSession, rows: tuple[ReceivableRow, ...]) -> list[LineError]:
    known = set(s.scalars(select(Notice.notice_no).where(Notice.notice_no.in_([r.notice_no for r in rows]))))
    problems = [LineError(r.line, "通知单号", f"通知单号已存在：{r.notice_no}", f"notice {r.notice_no} exists")
                for r in rows if r.notice_no in known]  # fmt: skip
    for r in rows:
        if r.account_no is not None and account_by_no(s, r.account_no) is None:
            problems.append(
                LineError(r.line, "账号", f"没有账号 {r.account_no}", f"no account {r.account_no}")
            )
    return problems


def _add_notice(ctx: OpContext, s: DbSession, row: ReceivableRow, file_name: str) -> None:
    account = account_by_no(s, row.account_no) if row.account_no else None
    notice = Notice(notice_no=row.notice_no, kind=row.kind, payer=row.payer, amount_fen=row.amount_fen,
                    account_id=account.id if account else None, department=row.department,
                    repair_date=row.repair_date, repairman=row.repairman,
                    data={"imported_from": file_name, "line": row.line}, created_at=ctx.now(),
                    operator_id=ctx.operator_id, workstation_id=ctx.workstation.id)  # fmt: skip
    add_audited(ctx, s, notice, "notice.imported", notice_no=row.notice_no, notice_kind=row.kind,
                amount_fen=row.amount_fen, department=row.department, file=file_name, line=row.line)  # fmt: skip


def _summary(rows: tuple[ReceivableRow, ...], errors: list[LineError], imported: bool) -> ReceivablesImport:
    by_department: dict[str, list[int]] = defaultdict(list)
    for r in rows:
        by_department[r.department].append(r.amount_fen)
    departments = tuple(DepartmentTotal(d, len(f), sum(f)) for d, f in sorted(by_department.items()))
    return ReceivablesImport(imported, len(rows), sum(r.amount_fen for r in rows), departments,
                             tuple(e.describe() for e in errors))  # fmt: skip


def reconciliation_lists(ctx: OpContext, *, start: date, end: date, format: str = "pdf") -> dict[str, bytes]:
    if format not in FORMATS:
        raise InputInvalid(f"报表格式应为 {'、'.join(FORMATS)}", detail_en=f"format is one of {', '.join(FORMATS)}",
                           field="format")  # fmt: skip
    with ctx.reading() as s:
        ctx.require_role(s, *REPORT_ROLES)
        tables = department_reconciliations(s, query_from_settings(s, start, end))
    return {department: render(table, format) for department, table in tables.items()}


class ReceivablesOps(SessionArea):
    def import_receivables(
        self, *, path: str, department: str | None = None, commit: bool = False
    ) -> ReceivablesImport:
        """Addition (docs/api.md): a receivables list (CSV/XLSX) from finance or the inspection
        department as notices; all or nothing, every bad line named."""
        return import_receivables(self.ctx, path=path, department=department, commit=commit)

    def reconciliation_lists(self, *, start: date, end: date, format: str = "pdf") -> dict[str, bytes]:
        """Addition (docs/api.md): the half-month reconciliation, one file per issuing department."""
        return reconciliation_lists(self.ctx, start=start, end=end, format=format)
