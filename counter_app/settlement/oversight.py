"""Lists for the leaders and the auditors (issue 15 item 8):

- `arrears` (欠费及违规用电, seed 003 §4.2.5): as of the range's end, every notice (repair, water
  and electricity, heating, theft back-charge) not yet paid, with the days it has been owed; then
  the meters whose write-back, brought to the counter within the range, carried a tamper or
  cover-open alarm (what the data has on theft: DOMAIN "Monthly checks");
- `free-per-room` (人情电): per room, the free energy its approved batches entitle it to (batches
  whose period starts within the range) against the free energy the ledger shows delivered to it
  within the range; more than the entitlement is marked.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from counter_app.settlement.months import day_bounds
from counter_app.settlement.reports import Progress, ReportQuery
from db.models import Account, AccountEvent, LedgerEntry, Room
from db.models.notices import Notice, NoticePayment
from db.models.quota import QuotaBatch, QuotaBatchApproval, QuotaBatchRoom
from receipts.reports.model import ReportTable, as_rows
from receipts.tables import Cell, Column

NOTICE_LABELS = {
    "repair": "维修费未缴",
    "utility": "水电费未缴",
    "heating": "采暖费未缴",
    "back_charge": "违规用电补缴未缴",
    "software_control": "补交电费（软件控制期间）未缴",
}
ALARM_LABELS = {"tamper": "窃电（篡改）报警", "cover_open": "开盖报警"}
ARREARS_COLUMNS = (Column("类型"), Column("单号"), Column("户号"), Column("房间"), Column("缴费人"),
                   Column("金额（元）", "yuan"), Column("日期", "date"), Column("欠费天数", "int"), Column("说明"))  # fmt: skip



def _total(rows: Sequence[Sequence[object]], i: int) -> int:
    """The sum of column `i` (integer fen or 0.01 kWh; blank cells count 0)."""
    return sum(int(cast(Any, r[i]) or 0) for r in rows)

def arrears(session: Session, query: ReportQuery, progress: Progress | None = None) -> ReportTable:
    start, end = day_bounds(query.start, query.end)
    paid = select(NoticePayment.notice_id).where(NoticePayment.at < end)
    unpaid = session.execute(
        select(Notice, Account.account_no, Room.room_code)
        .outerjoin(Account, Account.id == Notice.account_id).outerjoin(Room, Room.id == Account.room_id)
        .where(Notice.created_at < end, Notice.id.not_in(paid)).order_by(Notice.created_at, Notice.id)
    ).tuples()  # fmt: skip
    rows: list[tuple[Cell, ...]] = []
    for notice, account_no, room_code in unpaid:
        created = notice.created_at.astimezone(end.tzinfo).date()
        rows.append((NOTICE_LABELS.get(notice.kind, notice.kind), notice.notice_no, account_no or "", room_code or "",
                     notice.payer, notice.amount_fen, created, (query.end - created).days, _notice_note(notice)))  # fmt: skip
    owed = _total(rows, 5)
    alarms = session.execute(
        select(AccountEvent.at, AccountEvent.data, Account.account_no, Room.room_code)
        .join(Account, Account.id == AccountEvent.account_id).join(Room, Room.id == Account.room_id)
        .where(AccountEvent.kind == "write_back_seen", AccountEvent.at >= start, AccountEvent.at < end)
        .order_by(AccountEvent.id)
    ).tuples()  # fmt: skip
    for at, data, account_no, room_code in alarms:
        found = [ALARM_LABELS[a] for a in (data or {}).get("alarms", []) if a in ALARM_LABELS]
        if found:
            rows.append(("电表报警", "", account_no, room_code, "", None, at.astimezone(end.tzinfo).date(), None,
                         "、".join(found)))  # fmt: skip
    return ReportTable("arrears", "欠费及违规用电情况", ARREARS_COLUMNS, as_rows(rows),
                       ("合计欠费", "", "", "", "", owed, None, None, ""),
                       (query.centre_name, f"截至：{query.end.isoformat()}；电表报警：{query.range_text}"), wide=True,
                       notes=("欠费为截至当日已开具、未缴清的通知单；电表报警为售电时读到的电表返写。",),
                       sign_labels=("制表", "审核"))  # fmt: skip


def _notice_note(notice: Notice) -> str:
    data = notice.data or {}
    if notice.kind == "back_charge":
        parts = [f"发现日期 {data['discovered_on']}" if data.get("discovered_on") else "",
                 f"电工 {data['electrician']}" if data.get("electrician") else ""]  # fmt: skip
        return "，".join(p for p in parts if p)
    return notice.department or ""


FREE_COLUMNS = (Column("楼栋"), Column("房间"), Column("户号"), Column("应送（kWh）", "kwh"),
                Column("实送（kWh）", "kwh"), Column("超出应送（kWh）", "kwh"), Column("标记"))  # fmt: skip


def free_per_room(session: Session, query: ReportQuery, progress: Progress | None = None) -> ReportTable:
    start, end = day_bounds(query.start, query.end)
    first, last = f"{query.start:%Y-%m}", f"{query.end:%Y-%m}"
    entitled: dict[int | None, tuple[str, str, int]] = {a: (b, r, int(c)) for a, b, r, c in session.execute(
        select(QuotaBatchRoom.account_id, func.min(QuotaBatchRoom.building), func.min(QuotaBatchRoom.room_code),
               func.sum(QuotaBatchRoom.entitlement_ckwh))
        .join(QuotaBatch, QuotaBatch.id == QuotaBatchRoom.batch_id)
        .join(QuotaBatchApproval, QuotaBatchApproval.batch_id == QuotaBatch.id)
        .where(QuotaBatch.period >= first, QuotaBatch.period <= last, QuotaBatchApproval.at < end)
        .group_by(QuotaBatchRoom.account_id)
    ).tuples()}  # fmt: skip
    delivered: dict[int | None, int] = {a: int(c) for a, c in session.execute(
        select(LedgerEntry.account_id, func.sum(LedgerEntry.free_ckwh))
        .where(LedgerEntry.at >= start, LedgerEntry.at < end, LedgerEntry.account_id.is_not(None))
        .group_by(LedgerEntry.account_id).having(func.sum(LedgerEntry.free_ckwh) != 0)
    ).tuples()}  # fmt: skip
    places: dict[int | None, tuple[str, str]] = {a: (no, code) for a, no, code in session.execute(
        select(Account.id, Account.account_no, Room.room_code).join(Room, Room.id == Account.room_id)
        .where(Account.id.in_(list({*entitled, *delivered}) or [0]))
    ).tuples()}  # fmt: skip
    rows = []
    for account_id in {*entitled, *delivered}:
        building, room_code, due = entitled.get(account_id, ("", places.get(account_id, ("", ""))[1], 0))
        given = delivered.get(account_id, 0)
        over = max(0, given - due)
        rows.append((building, room_code, places.get(account_id, ("", ""))[0], due, given, over,
                     "超出应送" if over else ""))  # fmt: skip
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    total: tuple[Cell, ...] = ("合计", "", "", *(_total(rows, i) for i in (3, 4, 5)), "")
    return ReportTable("free-per-room", "免费电量分户核对（应送与实送）", FREE_COLUMNS, as_rows(rows), total,
                       (query.centre_name, f"期间：{query.range_text}"),
                       notes=("应送：期间内开始的已批准定额批次；实送：期间内账上记录的免费电量。",),
                       sign_labels=("制表", "审计"))  # fmt: skip
