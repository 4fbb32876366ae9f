"""Report kinds of the department's duties (listed in counter_app/settlement/report_catalogue.py):

- `collection-checks` (收账检查记录): each calendar half-month meeting the range, whether its
  half-month 收账检查 was done (who, when, what was found) and the spot checks (抽查) made in it,
  with the cash they counted. A half the checks do not fully cover is listed as 未检查.
- `visitor-log` (来电来访登记): every question received in the range, where it went, the answer and
  when the customer was told; an item not yet told is 未办结 (as of now: steps taken after the
  range still show, so the list the head reads is current).
- `rotation` (轮岗): who held which post, terms begun by the range's end and not ended before its
  start, months held as of the range's end, those beyond `rotation.max_months` marked 超期 and counted.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from base.clock import business_date
from counter_app.ops.duties import HalfMonth, half_month_status
from counter_app.ops.rotation import POST_LABELS, post_terms
from counter_app.ops.visitor_log import items
from counter_app.settings import get_setting
from counter_app.settlement.months import day_bounds
from counter_app.settlement.reports import Progress, ReportQuery
from db.queries.duties import visitor_entries
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


VISITOR_COLUMNS = (
    Column("登记时间", "datetime", 22), Column("方式", width=12), Column("来电来访人"), Column("房间", width=16),
    Column("问题"), Column("登记人", width=16), Column("上报至", width=16), Column("答复"), Column("答复人", width=16),
    Column("告知用户", "datetime", 22), Column("状态", width=16),
)  # fmt: skip
CHANNEL_LABELS = {"phone": "来电", "visit": "来访"}


def visitor_log_report(session: Session, query: ReportQuery, progress: Progress | None = None) -> ReportTable:
    start, end = day_bounds(query.start, query.end)
    logged = items(session, visitor_entries(session, since=start, until=end))
    rows = [(i.logged_at, CHANNEL_LABELS.get(i.channel, i.channel), i.caller or "", i.room_code or "", i.question,
             i.logged_by, i.escalated_to or "", i.answer or "", i.answered_by or "", i.told_at,
             "未办结" if i.open else "已办结") for i in logged]  # fmt: skip
    still_open = sum(1 for i in logged if i.open)
    return ReportTable("visitor-log", "来电来访登记", VISITOR_COLUMNS, as_rows(rows),
                       (None, "", "", "", f"共 {len(logged)} 条", "", "", f"未办结 {still_open} 条", "", None, ""),
                       (query.centre_name, f"期间：{query.range_text}"), wide=True,
                       sign_labels=("营业室", "部门主管"))  # fmt: skip


ROTATION_COLUMNS = (Column("岗位"), Column("姓名"), Column("起始日期", "date"), Column("结束日期", "date"),
                    Column("任职月数", "int"), Column("超期"))  # fmt: skip


def rotation_report(session: Session, query: ReportQuery, progress: Progress | None = None) -> ReportTable:
    limit = get_setting(session, "rotation.max_months")
    terms = [t for t in post_terms(session, query.end) if t.to_date is None or t.to_date >= query.start]
    rows = [(POST_LABELS.get(t.post, t.post), t.person, t.from_date, t.to_date, t.months, "超期" if t.over_limit else "")
            for t in terms]  # fmt: skip
    over = sum(1 for t in terms if t.over_limit)
    return ReportTable("rotation", "轮岗：岗位任职记录", ROTATION_COLUMNS, as_rows(rows),
                       (f"共 {len(terms)} 任", "", None, None, None, f"超期 {over} 任"),
                       (query.centre_name, f"截至：{query.end.isoformat()}", f"连续任职上限：{limit} 个月"),
                       notes=("结束日期为空：仍在任；任职月数算至截至日。",))  # fmt: skip
