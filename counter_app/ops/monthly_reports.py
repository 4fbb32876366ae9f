"""Report kinds of the month's checks (listed in counter_app/settlement/report_catalogue.py):

- `loss-check` (线损检查): buildings whose sub-meters differ from the main meter beyond the fixed
  loss, for the electrician; the month is the accounting month of the range's last day.
- `abnormal` (异常用电户): tamper alarms, no purchase while occupied, consumption per bed far from
  the building's median.
- `four-party` (四方对账): per building, counter / K3 / readings / system, with differences and
  the sign-off.
- `k3` (K3 记账凭证): the vouchers of the range by accounting subject, in the importable layout of
  docs/imports.md (the CSV output is the file K3 imports; no total row, debits equal credits).
- `module-stock` (模块库存) and `repair-prices` (维修价目表) as of the range's last day.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from base.money import format_yuan
from counter_app.ops import four_party as fp
from counter_app.ops import monthly_checks as checks
from counter_app.ops import repairs
from counter_app.settings import get_setting
from counter_app.settlement.months import day_bounds, period_of
from counter_app.settlement.reports import Progress, ReportQuery
from receipts.reports.model import ReportTable, as_rows
from receipts.tables import Column


def report_period(query: ReportQuery) -> str:
    return period_of(query.end, query.month_end_day)


def loss_check_report(session: Session, query: ReportQuery, progress: Progress | None = None) -> ReportTable:
    period = report_period(query)
    rows = [r for r in checks.loss_rows(session, period) if r.flagged]
    columns = (Column("楼栋"), Column("总表电量（kWh）", "kwh"), Column("分表合计（kWh）", "kwh"), Column("分表数", "int"),
               Column("差额（kWh）", "kwh"), Column("损耗率（%）"))  # fmt: skip
    body = [(r.building, r.main_ckwh, r.sub_ckwh, r.sub_meters, r.difference_ckwh, percent_text(r.loss_e2))
            for r in rows]  # fmt: skip
    total = ("合计", sum(r.main_ckwh for r in rows), sum(r.sub_ckwh for r in rows), sum(r.sub_meters for r in rows),
             sum(r.difference_ckwh for r in rows), "")  # fmt: skip
    limit = get_setting(session, "checks.loss_percent")
    notes = (
        f"固定损耗 {limit}%：总表与分表之差超过总表电量的 {limit}%，或分表合计大于总表的楼栋，请电工核查。",
    )
    return ReportTable("loss-check", "线损检查（总表与分表）", columns, as_rows(body), total,
                       (query.centre_name, f"月份：{period}"), notes=notes, sign_labels=("营业室", "电工"))  # fmt: skip


def percent_text(loss_e2: int | None) -> str:
    if loss_e2 is None:
        return ""
    sign = "-" if loss_e2 < 0 else ""
    whole, part = divmod(abs(loss_e2), 100)
    return f"{sign}{whole}.{part:02d}"


def abnormal_report(session: Session, query: ReportQuery, progress: Progress | None = None) -> ReportTable:
    period = report_period(query)
    rows = checks.abnormal_rows(session, period)
    columns = (Column("楼栋"), Column("房间"), Column("账户"), Column("异常"), Column("说明"))
    body = [(r.building, r.room_code, r.account_no, checks.ABNORMAL_LABELS[r.reason], r.detail) for r in rows]
    holiday = int(period[5:]) in get_setting(session, "checks.holiday_months")
    notes = ("本月为假期月份：只列防窃电报警，不作用电量和未购电检查。",) if holiday else ()
    return ReportTable("abnormal", "异常用电户", columns, as_rows(body), ("户数", "", len(rows), "", ""),
                       (query.centre_name, f"月份：{period}"), notes=notes, wide=True)  # fmt: skip


def four_party_report(session: Session, query: ReportQuery, progress: Progress | None = None) -> ReportTable:
    period = report_period(query)
    result = fp.four_party(session, period)
    columns = (Column("楼栋"), Column("柜台收费（元）", "yuan"), Column("柜台售电（kWh）", "kwh"),
               Column("K3 收入（元）", "yuan"), Column("K3 电量（kWh）", "kwh"), Column("电工抄表（kWh）", "kwh"),
               Column("系统报表（kWh）", "kwh"), Column("K3−柜台（元）", "yuan"), Column("K3−柜台（kWh）", "kwh"),
               Column("抄表−系统（kWh）", "kwh"))  # fmt: skip
    body = [(r.building, r.counter_fen, r.counter_ckwh, r.k3_fen, r.k3_ckwh, r.readings_ckwh, r.system_ckwh,
             r.k3_difference_fen, r.k3_difference_ckwh, r.readings_difference_ckwh) for r in result.rows]  # fmt: skip
    total = (
        ("合计", *(sum(v or 0 for v in column) for column in list(zip(*body, strict=True))[1:]))
        if body
        else None
    )
    signed = (f"已签字冻结：{result.signed_at.isoformat(timespec='minutes')}（数据摘要 {result.figures_sha256[:16]}）"
              if result.signed_at else f"未签字（数据摘要 {result.figures_sha256[:16]}）")  # fmt: skip
    return ReportTable("four-party", "四方对账（按楼栋）", columns, as_rows(body), total,
                       (query.centre_name, f"月份：{period}", signed), wide=True,
                       sign_labels=("营业室", "监督人", "财务"))  # fmt: skip


def k3_report(session: Session, query: ReportQuery, progress: Progress | None = None) -> ReportTable:
    start, end = day_bounds(query.start, query.end)
    lines = fp.voucher_lines(session, start, end)
    columns = (Column("凭证日期", "date"), Column("凭证字"), Column("凭证号", "int"), Column("分录号", "int"),
               Column("摘要"), Column("科目代码"), Column("科目名称"), Column("借方金额", "yuan"),
               Column("贷方金额", "yuan"))  # fmt: skip
    body = [(x.day, "收", x.voucher_no, x.entry_no, x.summary, x.subject_code, x.subject_name, x.debit_fen,
             x.credit_fen) for x in lines]  # fmt: skip
    debit, credit = sum(x.debit_fen for x in lines), sum(x.credit_fen for x in lines)
    notes = (f"借方合计 {format_yuan(debit)} 元，贷方合计 {format_yuan(credit)} 元",
             "维修费、水费为代收代付（其他应付款），不计收入。")  # fmt: skip
    return ReportTable("k3", "K3 记账凭证（按科目）", columns, as_rows(body), None,
                       (query.centre_name, f"期间：{query.range_text}"), notes=notes, wide=True)  # fmt: skip


def module_stock_report(
    session: Session, query: ReportQuery, progress: Progress | None = None
) -> ReportTable:
    lines = repairs.stock(session, query.end)
    columns = (Column("模块型号"), Column("入库", "int"), Column("发出", "int"), Column("故障退回", "int"),
               Column("修复入库", "int"), Column("报废", "int"), Column("库存", "int"), Column("待修", "int"))  # fmt: skip
    body = [(x.model, x.received, x.issued, x.faulty_returned, x.repaired, x.scrapped, x.in_stock,
             x.awaiting_repair) for x in lines]  # fmt: skip
    total = ("合计", *(sum(column) for column in list(zip(*body, strict=True))[1:])) if body else None
    return ReportTable("module-stock", "电表模块库存", columns, as_rows(body), total,
                       (query.centre_name, f"截至：{query.end.isoformat()}"))  # fmt: skip


def repair_prices_report(
    session: Session, query: ReportQuery, progress: Progress | None = None
) -> ReportTable:
    lines = repairs.price_list(session, query.end)
    columns = (Column("项目编号"), Column("维修项目"), Column("单位"), Column("收费（元）", "yuan"),
               Column("生效日期", "date"), Column("依据"))  # fmt: skip
    body = [(x.item_code, x.name, x.unit, x.price_fen, x.valid_from, x.basis) for x in lines]
    return ReportTable("repair-prices", "维修项目及收费标准", columns, as_rows(body), None,
                       (query.centre_name, f"执行日期：{query.end.isoformat()}"))  # fmt: skip
