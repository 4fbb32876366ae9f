"""The report `tender-match` (对账核对表): the recorded campus-card and WeChat/Alipay matches whose
period meets the range, each with its totals (ledger, statement) and every difference listed, from
the snapshot written when it was co-signed (counter_app/settlement/tender_match.py)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from counter_app.settlement.reports import Progress, ReportQuery
from counter_app.settlement.tender_match import DIFFERENCE_KINDS, recorded, tender_label
from receipts.reports.model import ReportTable, as_rows
from receipts.tables import Cell, Column


def tender_match_report(
    session: Session, query: ReportQuery, progress: Progress | None = None
) -> ReportTable:
    rows: list[tuple[Cell, ...]] = []
    ledger_total = statement_total = 0
    for m in recorded(session, start=query.start, end=query.end):
        period = f"{m.period_from.isoformat()}～{m.period_to.isoformat()}"
        signed = f"{m.operator or ''} / {m.approved_by or ''}"
        rows.append((m.match_no, tender_label(m.tender), period, "（合计）", f"相符 {m.matched}，差异 {len(m.differences)}",
                     m.ledger_fen, m.statement_fen, m.statement_fen - m.ledger_fen, signed))  # fmt: skip
        ledger_total += m.ledger_fen
        statement_total += m.statement_fen
        for d in m.differences:
            rows.append((m.match_no, tender_label(m.tender), period, d.key, DIFFERENCE_KINDS.get(d.kind, d.kind),
                         d.ledger_fen, d.statement_fen, d.difference_fen, ""))  # fmt: skip
    columns = (Column("核对编号"), Column("支付方式"), Column("期间"), Column("交易号/日期"), Column("结果"),
               Column("账面（元）", "yuan"), Column("对账单（元）", "yuan"), Column("差额（元）", "yuan"),
               Column("核对人/复核人"))  # fmt: skip
    total: tuple[Cell, ...] = ("合计", "", "", "", "", ledger_total, statement_total,
                               statement_total - ledger_total, "")  # fmt: skip
    return ReportTable("tender-match", "一卡通、微信、支付宝对账核对表", columns, as_rows(rows), total,
                       (query.centre_name, f"期间：{query.range_text}"), wide=True,
                       sign_labels=("核对人", "复核人"))  # fmt: skip
