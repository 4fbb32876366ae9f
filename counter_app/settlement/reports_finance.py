"""The finance reports of `counter-admin report KIND`: collection (电费月收费报表), account-detail
(电费分户明细表), deposits, card-stock, tariff-board (收费标准公示) and approvals (who approved whom).

Every figure is as of the end of the query's range, from append-only rows, so a past range
regenerates the same. The account detail's balances are *estimates* from the ledger (legacy
balance + energy sold and given − energy cleared): consumption is only known from meter
write-backs, which the ledger does not hold.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from base.vocabulary import CLASS_LABELS
from counter_app import approvals
from counter_app.settlement.deposit_check import reconciliation_of
from counter_app.settlement.ledger_view import DRAWER_KINDS, PAYMENT_KINDS, EntryRow, entries_between
from counter_app.settlement.months import day_bounds
from counter_app.settlement.reports import (
    CHARGE_LABELS,
    Progress,
    ReportQuery,
    charge_of,
    entries_in,
)
from db.models import Account, Card, CardEvent, Fee, Room
from db.models.settlement import Deposit, DepositShift
from db.queries.tariffs import current_fee, current_tariff
from receipts.reports.model import ReportTable, as_rows
from receipts.tables import Cell, Column

ENERGY_KINDS = ("sale", "correction", "void", "free", "carried", "legacy_purchase")
_CARD_STATUS_AFTER = {"received": "blank", "issued": "issued", "reported_lost": "lost", "replaced": "issued",
                      "spoiled": "spoiled", "locked": "locked", "made_clear": "tool", "made_tool": "tool",
                      "returned": "blank"}  # fmt: skip
CARD_STATUS_LABELS = {"blank": "空白卡", "issued": "已发卡", "lost": "挂失", "spoiled": "坏卡", "locked": "锁死",
                      "tool": "工具卡"}  # fmt: skip



def _total(rows: Sequence[Sequence[object]], i: int) -> int:
    """The sum of column `i` (integer fen or 0.01 kWh; blank cells count 0)."""
    return sum(int(cast(Any, r[i]) or 0) for r in rows)

def collection(session: Session, query: ReportQuery, progress: Progress | None = None) -> ReportTable:
    """Electricity by card class, then the other charges: count, energy, amount, free, refunds."""
    entries = entries_in(session, query)
    acc: dict[str, list[int]] = {}
    for e in entries:
        label = _collection_label(session, e)
        row = acc.setdefault(label, [0, 0, 0, 0, 0])
        row[0] += e.kind in PAYMENT_KINDS
        row[1] += e.energy_ckwh if e.kind in DRAWER_KINDS else 0
        row[2] += e.fen if e.kind in DRAWER_KINDS else 0
        row[3] += e.free_ckwh
        row[4] += -e.fen if e.kind == "refund_raised" else 0
    order = [*CLASS_LABELS.values(), *(v for k, v in CHARGE_LABELS.items() if k != "electricity")]
    labels = [k for k in order if k in acc] + sorted(k for k in acc if k not in order)
    rows: list[tuple[Cell, ...]] = [(k, *acc[k]) for k in labels]
    columns = (Column("项目"), Column("笔数", "int"), Column("售电量（kWh）", "kwh"), Column("金额（元）", "yuan"),
               Column("免费电量（kWh）", "kwh"), Column("退费（元）", "yuan"))  # fmt: skip
    total: tuple[Cell, ...] = ("合计", *(sum(acc[k][i] for k in labels) for i in range(5)))
    return ReportTable("collection", "电费月收费报表", columns, as_rows(rows), total,
                       (query.centre_name, f"期间：{query.range_text}"), form_no=query.form_no_collection,
                       sign_labels=("制表", "复核", "财务"))  # fmt: skip


def _collection_label(session: Session, e: EntryRow) -> str:
    if charge_of(e) != "electricity":
        return CHARGE_LABELS[charge_of(e)] if charge_of(e) in CHARGE_LABELS else charge_of(e)
    cls = session.scalar(select(Account.cls).where(Account.id == e.account_id)) if e.account_id else None
    return CLASS_LABELS.get(cls or "", "其他")


def account_detail(session: Session, query: ReportQuery, progress: Progress | None = None) -> ReportTable:
    start, end = day_bounds(query.start, query.end)
    accounts = session.execute(
        select(Account.id, Account.account_no, Room.room_code, Account.legacy_balance_ckwh)
        .join(Room, Room.id == Account.room_id).order_by(Account.account_no)
    ).all()  # fmt: skip
    before = _energy_by_account(entries_between(session, datetime(1970, 1, 1, tzinfo=start.tzinfo), start))
    during = entries_between(session, start, end)
    rows: list[tuple[str, str, int, int, int, int, int]] = []
    for done, (account_id, account_no, room_code, legacy) in enumerate(accounts, start=1):
        mine = [e for e in during if e.account_id == account_id]
        opening = (legacy or 0) + before.get(account_id, 0)
        bought = sum(e.energy_ckwh for e in mine if e.kind in ("sale", "correction", "void"))
        free = sum(e.free_ckwh for e in mine)
        refunds = -sum(e.fen for e in mine if e.kind == "refund_raised")
        closing = opening + _energy_by_account(mine).get(account_id, 0)
        if mine or opening:
            rows.append((account_no, room_code, opening, bought, free, refunds, closing))
        if progress is not None:
            progress(done, len(accounts))
    columns = (Column("户号"), Column("房间"), Column("期初余额估算（kWh）", "kwh"), Column("购电量（kWh）", "kwh"),
               Column("免费电量（kWh）", "kwh"), Column("退费（元）", "yuan"), Column("期末余额估算（kWh）", "kwh"))  # fmt: skip
    amounts = [r[2:] for r in rows]  # (the numeric columns: summed for the total line)
    total: tuple[Cell, ...] = ("合计", "", *(sum(a[i] for a in amounts) for i in range(5)))
    return ReportTable("account-detail", "电费分户明细表", columns, as_rows(rows), total,
                       (query.centre_name, f"期间：{query.range_text}"), form_no=query.form_no_account_detail,
                       wide=True, notes=("余额为估算：历史余额加售电、免费电量，减清零电量，未扣用电。",))  # fmt: skip


def _energy_by_account(entries: Iterable[EntryRow]) -> dict[int, int]:
    out: dict[int, int] = {}
    for e in entries:
        if e.account_id is None:
            continue
        if e.kind in ENERGY_KINDS:
            out[e.account_id] = out.get(e.account_id, 0) + e.energy_ckwh + e.free_ckwh
        elif e.kind == "cleared":
            out[e.account_id] = out.get(e.account_id, 0) - abs(e.energy_ckwh)
    return out


def deposits(session: Session, query: ReportQuery, progress: Progress | None = None) -> ReportTable:
    """Each slip with the shifts it covers and its comparison with their takings (deposit_check):
    what the slip should carry, the difference and the reason it was accepted with."""
    stmt = (select(Deposit).where(Deposit.stamped_on >= query.start, Deposit.stamped_on <= query.end)
            .order_by(Deposit.stamped_on, Deposit.id))  # fmt: skip
    rows: list[tuple[Cell, ...]] = []
    for d in session.scalars(stmt):
        shifts = session.scalars(
            select(DepositShift.shift_id)
            .where(DepositShift.deposit_id == d.id)
            .order_by(DepositShift.shift_id)
        )
        kind = "现金缴款单" if d.kind == "cash_slip" else "进账单"
        check = reconciliation_of(session, d.id)  # None: recorded before slips were compared
        rows.append((d.slip_no, kind, d.bank, d.stamped_on, d.amount_fen, "、".join(str(s) for s in shifts),
                     check.expected_fen if check else None, check.difference_fen if check else None,
                     (check.reason or "") if check else "未核对"))  # fmt: skip
    columns = (Column("单号"), Column("类型"), Column("银行/结算中心"), Column("盖章日期", "date"),
               Column("金额（元）", "yuan"), Column("所缴班次"), Column("应缴（元）", "yuan"),
               Column("差额（元）", "yuan"), Column("差额原因"))  # fmt: skip
    total: tuple[Cell, ...] = ("合计", "", "", None, _total(rows, 4), "",
                               _total(rows, 6), _total(rows, 7), "")  # fmt: skip
    return ReportTable("deposits", "缴款登记表", columns, as_rows(rows), total,
                       (query.centre_name, f"期间：{query.range_text}"), wide=True)  # fmt: skip


def card_stock(session: Session, query: ReportQuery, progress: Progress | None = None) -> ReportTable:
    """Cards by status as of the end of the range, replayed from card events (not today's status)."""
    _start, end = day_bounds(query.start, query.end)
    status: dict[int, str] = {
        cid: "blank" for cid in session.scalars(select(Card.id).where(Card.received_at < end))
    }
    for card_id, kind in session.execute(
        select(CardEvent.card_id, CardEvent.kind).where(CardEvent.at < end).order_by(CardEvent.id)
    ).tuples():  # fmt: skip
        if card_id in status:
            status[card_id] = _CARD_STATUS_AFTER.get(kind, status[card_id])
    counts = {k: 0 for k in CARD_STATUS_LABELS}
    for value in status.values():
        counts[value] = counts.get(value, 0) + 1
    rows = [(CARD_STATUS_LABELS.get(k, k), n) for k, n in counts.items()]
    return ReportTable("card-stock", "卡库存表", (Column("状态"), Column("张数", "int")), as_rows(rows),
                       ("合计", sum(counts.values())), (query.centre_name, f"截至：{query.end.isoformat()}"))  # fmt: skip


def tariff_board(session: Session, query: ReportQuery, progress: Progress | None = None) -> ReportTable:
    """收费标准公示: the tariff and fees in force at the end of the range, with 依据文件号."""
    _start, end = day_bounds(query.start, query.end)
    rows: list[tuple[Cell, ...]] = []
    for cls, label in CLASS_LABELS.items():
        t = current_tariff(session, cls, end, inclusive=False)
        if t is not None:
            rows.append((f"电价（{label}）", "元/kWh", t.price_e4, None, t.effective_from, t.basis))
    for kind in sorted(set(session.scalars(select(Fee.kind)))):
        f = current_fee(session, kind, end, inclusive=False)
        if f is not None:
            rows.append((_fee_label(kind), "元", None, f.fen, f.effective_from, f.basis))
    columns = (Column("收费项目"), Column("单位"), Column("单价（元/kWh）", "price"), Column("金额（元）", "yuan"),
               Column("执行时间", "datetime"), Column("依据文件号"))  # fmt: skip
    return ReportTable("tariff-board", "收费标准公示", columns, as_rows(rows), None,
                       (query.centre_name, f"执行日期：{query.end.isoformat()}"))  # fmt: skip


def _fee_label(kind: str) -> str:
    return {"card": "补卡费", "heating_rate_per_m2": "采暖费（每平方米）"}.get(kind, kind)


def approvals_report(session: Session, query: ReportQuery, progress: Progress | None = None) -> ReportTable:
    start, end = day_bounds(query.start, query.end)
    rows: list[tuple[str, str, int, str, str]] = []
    for pair in approvals.approvals_matrix(session, since=start, until=end):
        hours = "、".join(f"{h}时×{n}" for h, n in enumerate(pair.by_hour) if n)
        rows.append((pair.checker, pair.maker, pair.count, hours, "、".join(pair.kinds)))
    columns = (Column("确认人"), Column("操作人"), Column("次数", "int"), Column("时段"), Column("业务"))
    return ReportTable("approvals", "监督确认统计", columns, as_rows(rows), ("合计", "", sum(r[2] for r in rows), "", ""),
                       (query.centre_name, f"期间：{query.range_text}"), wide=True)  # fmt: skip
