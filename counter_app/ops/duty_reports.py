"""Report kinds of the department's duties (listed in counter_app/settlement/report_catalogue.py):

- `collection-checks` (收账检查记录): each calendar half-month meeting the range, whether its
  half-month 收账检查 was done (who, when, what was found) and the spot checks (抽查) made in it,
  with the cash they counted. A half the checks do not fully cover is listed as 未检查.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from base.clock import business_date
from counter_app.ops.duties import HalfMonth, half_month_status
from counter_app.settlement.reports import Progress, ReportQuery
from receipts.reports.model import ReportTable, as_rows
from receipts.tables import Cell, Column

CHECK_COLUMNS = (Column("半月"), Column("收账检查"), Column("检查人"), Column("检查日期"), Column("抽查次数", "int"),
                 Column("抽查清点（元）", "yuan"), Column("检查结果"))  # fmt: skip


def _half_row(half: HalfMonth) -> tuple[Cell, ...]:
    checks = half.checks
    counted = [c.counted_fen for c in half.spot_checks if c.counted_fen is not None]
    findings = "；".join(c.findings for c in (*checks, *half.spot_checks))
    return (half.label, "已检查" if half.checked else "未检查",
            "、".join(dict.fromkeys(c.checked_by for c in checks)),
            "、".join(dict.fromkeys(business_date(c.at).isoformat() for c in checks)),
            len(half.spot_checks), sum(counted) if counted else None, findings)  # fmt: skip


def collection_checks_report(
    session: Session, query: ReportQuery, progress: Progress | None = None
) -> ReportTable:
    halves = half_month_status(session, query.start, query.end)
    rows = [_half_row(h) for h in halves]
    done = sum(1 for h in halves if h.checked)
    spots = sum(len(h.spot_checks) for h in halves)
    counted = sum(c.counted_fen or 0 for h in halves for c in h.spot_checks)
    missing = [h.label for h in halves if not h.checked]
    notes = (f"未检查的半月：{'，'.join(missing)}",) if missing else ("每个半月均已检查。",)
    return ReportTable("collection-checks", "收账检查记录", CHECK_COLUMNS, as_rows(rows),
                       (f"已检查 {done}/{len(halves)}", "", "", "", spots, counted, ""),
                       (query.centre_name, f"期间：{query.range_text}"), wide=True, notes=notes,
                       sign_labels=("部门助理", "主管"))  # fmt: skip
