"""The `quota` report (DOMAIN "Reports": free-quota entitlement vs delivered vs lapsed), one row
per approved batch and building whose period starts within the range, as of the range's last day:
entitled, delivered (deliveries up to that day), lapsed (term ended by then, not delivered),
still collectable, and the value of what was delivered at the dorm tariff in force that day
(the subsidy the school pays for; half-up to the fen, as a charge that is not an energy sale).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from base.money import charge_half_up
from counter_app.settlement.months import day_bounds
from counter_app.settlement.reports import Progress, ReportQuery
from db.models.quota import QuotaBatch, QuotaBatchApproval, QuotaBatchRoom, QuotaDelivery
from db.queries.tariffs import current_tariff
from receipts.reports.model import ReportTable, as_rows
from receipts.tables import Cell, Column

COLUMNS = (Column("批次"), Column("期间"), Column("楼栋"), Column("房间数", "int"), Column("应送（kWh）", "kwh"),
           Column("已送（kWh）", "kwh"), Column("已失效（kWh）", "kwh"), Column("待领（kWh）", "kwh"),
           Column("已送电量价值（元）", "yuan"))  # fmt: skip


def quota_rows(
    session: Session, start: date, end: date
) -> list[tuple[str, str, str, int, int, int, int, int, int]]:
    _, until = day_bounds(end, end)
    first, last = f"{start.year:04d}-{start.month:02d}", f"{end.year:04d}-{end.month:02d}"
    tariff = current_tariff(session, "dorm", until)
    delivered = {(b, a): int(c) for b, a, c in session.execute(
        select(QuotaDelivery.batch_id, QuotaDelivery.account_id, func.sum(QuotaDelivery.ckwh))
        .where(QuotaDelivery.at < until).group_by(QuotaDelivery.batch_id, QuotaDelivery.account_id)
    ).tuples()}  # fmt: skip
    batches = session.execute(
        select(QuotaBatch).join(QuotaBatchApproval, QuotaBatchApproval.batch_id == QuotaBatch.id)
        .where(QuotaBatch.period >= first, QuotaBatch.period <= last, QuotaBatchApproval.at < until)
        .order_by(QuotaBatch.period, QuotaBatch.id)
    ).scalars()  # fmt: skip
    rows: list[tuple[str, str, str, int, int, int, int, int, int]] = []
    for batch in batches:
        lapsed_term = batch.term_end is not None and batch.term_end < end
        by_building: dict[str, list[int]] = {}
        for room in session.scalars(select(QuotaBatchRoom).where(QuotaBatchRoom.batch_id == batch.id)):
            done = delivered.get((batch.id, room.account_id), 0)
            acc = by_building.setdefault(room.building, [0, 0, 0, 0, 0])
            rest = max(room.entitlement_ckwh - done, 0)
            acc[0] += 1
            acc[1] += room.entitlement_ckwh
            acc[2] += done
            acc[3 if lapsed_term else 4] += rest
        for building in sorted(by_building):
            n, ent, done, lapsed, open_ = by_building[building]
            value = charge_half_up(done, tariff.price_e4) if tariff and done else 0
            rows.append((str(batch.id), batch.period, building, n, ent, done, lapsed, open_, value))
    return rows


def quota_report(session: Session, query: ReportQuery, progress: Progress | None = None) -> ReportTable:
    rows = quota_rows(session, query.start, query.end)
    amounts = [r[3:] for r in rows]  # (the numeric columns: summed for the total line)
    total: tuple[Cell, ...] = ("合计", "", "", *(sum(a[i] for a in amounts) for i in range(6)))
    return ReportTable("quota", "定额送电统计表（应送、已送、失效）", COLUMNS, as_rows(rows), total,
                       (query.centre_name, f"期间：{query.range_text}", f"截至 {query.end.isoformat()}"),
                       wide=True, notes=("免费电量不退不兑现；失效 = 学期结束仍未领取。",),
                       sign_labels=("制表", "监督人", "财务"))  # fmt: skip
