"""Report kinds of this area (listed in counter_app/settlement/report_catalogue.py):

- `reconciliation`: the half-month list per issuing department (DOMAIN 7): every notice issued up
  to the range's end that was paid within the range or is still unpaid at its end, by department,
  with the receipt and the stamped page, so each department can tick its own notices off; each
  department's rows end with its subtotal (小计). `department_reconciliations` gives one list per
  department (the facade's `reconciliation_lists`), to hand over and sign.
- `low-balance` (低电通报, DOMAIN 9): the rooms under the threshold as of the range's last day, by
  building; ready to post as PDF, XLSX or PNG. The PNG is the PDF's first page rasterised by
  PDFium (receipts/pdf_pages.py: a wheel with its own binary, so Windows counters need no poppler).
"""

from __future__ import annotations

from itertools import groupby

from sqlalchemy import select
from sqlalchemy.orm import Session

from base.clock import business_date
from base.money import format_yuan
from counter_app.ops.low_balance import low_balance_rows
from counter_app.settlement.months import day_bounds
from counter_app.settlement.reports import Progress, ReportQuery
from db.models import Receipt
from db.models.notices import Notice, NoticePayment
from receipts.data import CHARGE_LABELS
from receipts.pdf_pages import page_pngs
from receipts.reports.model import ReportTable, as_rows
from receipts.reports.render import render_pdf
from receipts.tables import Column

RECONCILIATION_COLUMNS = (Column("开单部门"), Column("通知单号"), Column("项目"), Column("缴费人"),
                          Column("金额（元）", "yuan"), Column("状态"), Column("缴费日期"), Column("凭条号"),
                          Column("收据页号"))  # fmt: skip
NO_DEPARTMENT = "未注明部门"


ReconciliationLine = tuple[str, str, str, str, int, str, str, str, str]


def reconciliation_lines(session: Session, query: ReportQuery) -> list[ReconciliationLine]:
    """Every notice issued before the range's end that was paid within the range or is unpaid at
    its end, sorted by department then notice number."""
    start, end = day_bounds(query.start, query.end)
    rows = session.execute(
        select(Notice, NoticePayment, Receipt.receipt_no)
        .outerjoin(NoticePayment, (NoticePayment.notice_id == Notice.id) & (NoticePayment.at < end))
        .outerjoin(Receipt, Receipt.id == NoticePayment.receipt_id)
        .where(Notice.created_at < end)
    ).tuples()  # fmt: skip
    out: list[ReconciliationLine] = []
    for notice, payment, receipt_no in rows:
        if payment is not None and payment.at < start:
            continue  # settled in an earlier list
        out.append((notice.department or NO_DEPARTMENT, notice.notice_no, CHARGE_LABELS.get(notice.kind, notice.kind),
                    notice.payer, notice.amount_fen, "已缴" if payment is not None else "未缴",
                    business_date(payment.at).isoformat() if payment is not None else "", receipt_no or "",
                    payment.paper_receipt_no or "" if payment is not None else ""))  # fmt: skip
    out.sort(key=lambda r: (r[0], r[1]))
    return out


def _paid(lines: list[ReconciliationLine]) -> int:
    return sum(r[4] for r in lines if r[5] == "已缴")


def _subtotal(
    department: str, lines: list[ReconciliationLine]
) -> tuple[str, str, str, str, int, str, str, str, str]:
    unpaid = sum(r[4] for r in lines if r[5] != "已缴")
    return (
        f"{department} 小计",
        f"{len(lines)} 张",
        "",
        "",
        _paid(lines),
        "已缴",
        f"未缴 {format_yuan(unpaid)} 元",
        "",
        "",
    )


def reconciliation(session: Session, query: ReportQuery, progress: Progress | None = None) -> ReportTable:
    """All departments in one list, each followed by its subtotal line (小计: paid, and unpaid
    beside it); the total is what was paid."""
    lines = reconciliation_lines(session, query)
    body: list[tuple[str, str, str, str, int, str, str, str, str]] = []
    for department, group in groupby(lines, key=lambda r: r[0]):
        rows = list(group)
        body.extend([*rows, _subtotal(department, rows)])
    return ReportTable("reconciliation", "代收费用对账单（半月）", RECONCILIATION_COLUMNS, as_rows(body),
                       ("已缴合计", "", "", "", _paid(lines), "", "", "", ""),
                       (query.centre_name, f"期间：{query.range_text}"), wide=True,
                       sign_labels=("营业室", "开单部门"))  # fmt: skip


def department_reconciliations(session: Session, query: ReportQuery) -> dict[str, ReportTable]:
    """One list per issuing department, to hand to it for ticking off and signing: its notices,
    its paid total, and its name on the signature line."""
    out = {}
    for department, group in groupby(reconciliation_lines(session, query), key=lambda r: r[0]):
        rows = list(group)
        unpaid = sum(r[4] for r in rows if r[5] != "已缴")
        out[department] = ReportTable(
            "reconciliation", f"代收费用对账单（半月）— {department}", RECONCILIATION_COLUMNS, as_rows(rows),
            ("已缴合计", f"{len(rows)} 张", "", "", _paid(rows), "", "", "", ""),
            (query.centre_name, f"开单部门：{department}", f"期间：{query.range_text}"), wide=True,
            notes=(f"未缴合计 {format_yuan(unpaid)} 元",), sign_labels=("营业室", department),
        )  # fmt: skip
    return out


def low_balance_report(session: Session, query: ReportQuery, progress: Progress | None = None) -> ReportTable:
    rows = low_balance_rows(session, query.end)
    columns = (Column("楼栋"), Column("房间"), Column("估计剩余电量（kWh）", "kwh"), Column("截至日期"))
    body = [(r.building or "", r.room_code, r.estimated_ckwh, r.as_of.isoformat()) for r in rows]
    notes = ("估计剩余 = 最近一次电表返写剩余电量 + 其后售出及赠送电量；请尽快购电。",)
    if not rows:
        notes = ("本日无低电房间（或为不送电月份，不作通报）。",)
    return ReportTable("low-balance", "低电通报", columns, as_rows(body), None,
                       (query.centre_name, f"日期：{query.end.isoformat()}"), notes=notes)  # fmt: skip


def render_png(table: ReportTable, *, dpi: int = 110) -> bytes:
    """The first page of the table's PDF as PNG (PDFium: receipts/pdf_pages.py); the same as the
    report format `png`."""
    return page_pngs(render_pdf(table), dpi, first_only=True)[0]
