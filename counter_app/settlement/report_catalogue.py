"""The report catalogue: every report kind of `counter-admin report KIND` and of the facade's
`report` / `report_table` (docs/api.md), with the function that builds it, in one table.

A new report is written as a builder `(session, ReportQuery, progress) -> ReportTable` in its
area's module and added to `REPORTS` here; the kinds are the names API.md "Command line" lists
and the reports page (ui/pages/reports.py) offers (tests/settlement/test_report_catalogue.py
keeps the three in step).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from sqlalchemy.orm import Session

from base.errors import InputInvalid
from counter_app.ops import monthly_reports as monthly
from counter_app.ops.duty_reports import collection_checks_report, rotation_report, visitor_log_report
from counter_app.ops.notice_reports import low_balance_report, reconciliation
from counter_app.ops.quota_report import quota_report
from counter_app.settlement import figures, oversight
from counter_app.settlement import reports_finance as finance
from counter_app.settlement.register import sales_register
from counter_app.settlement.reports import (
    Builder,
    Progress,
    ReportQuery,
    day_report,
    month_report,
    week_report,
    year_report,
)
from counter_app.settlement.reports_tenders import tender_match_report
from receipts.reports.model import ReportTable

REPORTS: Mapping[str, Builder] = MappingProxyType({
    # period tables: one row per (period, class group, charge); settlement/reports.py
    "day": day_report,
    "week": week_report,
    "month": month_report,
    "year": year_report,
    # finance: settlement/reports_finance.py
    "collection": finance.collection,  # 电费月收费报表
    "account-detail": finance.account_detail,  # 电费分户明细表
    "deposits": finance.deposits,
    "card-stock": finance.card_stock,
    "tariff-board": finance.tariff_board,  # 收费标准公示
    "approvals": finance.approvals_report,
    "tender-match": tender_match_report,  # 一卡通/微信/支付宝对账核对 (issue 15 item 2; docs/api.md)
    # per transaction: settlement/register.py
    "sales-register": sales_register,  # 售电登记表 (by shift: the facade's `sales_register`)
    # figures the procedures ask for: settlement/figures.py
    "weekly-figures": figures.weekly_figures,  # 周例会数据 (003 §4.2.6)
    "power-company": figures.power_company,  # 供电局电费结算统计 (003 §4.1.9)
    "monthly-trend": figures.monthly_trend,  # twelve accounting months, with a chart
    "arrears": oversight.arrears,  # 欠费及违规用电 for the leaders (003 §4.2.5)
    "free-per-room": oversight.free_per_room,  # free energy per room vs entitlement (人情电)
    # free quota: ops/quota_report.py
    "quota": quota_report,
    # notices: ops/notice_reports.py
    "reconciliation": reconciliation,  # half-month list per issuing department
    "low-balance": low_balance_report,  # 低电通报
    # the month's checks: ops/monthly_reports.py
    "loss-check": monthly.loss_check_report,  # 线损检查
    "abnormal": monthly.abnormal_report,  # 异常用电户
    "four-party": monthly.four_party_report,  # 四方对账
    "k3": monthly.k3_report,  # K3 记账凭证
    "module-stock": monthly.module_stock_report,  # 电表模块库存
    "repair-prices": monthly.repair_prices_report,  # 维修项目及收费标准
    # the department's duties: ops/duty_reports.py (docs/api.md "Department duties")
    "collection-checks": collection_checks_report,  # 收账检查记录
    "visitor-log": visitor_log_report,  # 来电来访登记
    "rotation": rotation_report,  # 轮岗
})  # fmt: skip


def build_report(
    session: Session, kind: str, query: ReportQuery, progress: Progress | None = None
) -> ReportTable:
    """The report `kind` for `query`; INPUT_INVALID (field `kind`) for a kind not in the catalogue."""
    builder = REPORTS.get(kind)
    if builder is None:
        raise InputInvalid(f"没有这种报表：{kind}", detail_en=f"unknown report kind {kind}", field="kind")
    return builder(session, query, progress)
