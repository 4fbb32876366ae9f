"""The supervisors' morning list (晨检清单, docs/api.md "Morning list"): everything out of the
ordinary that a 监督人 looks over before the day goes on — voids, corrections, reprints (补打),
manual meter readings, ledger marks (sales over an unloaded purchase, late repair money, unpriced
refund energy, recovered writes), 长款/短款 at shift close, and operations queued for a co-signature.

Read-only and plain rows, newest first. `on=None` covers yesterday and today so far (the morning
after an evening shift); `on=<date>` covers that business day. Every workstation of the
workstation's campus, each row naming its counter.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from base.clock import BUSINESS_TZ
from base.money import format_kwh, format_yuan
from counter_app import backups, high_water, queueing
from counter_app.clock_watch import clock_back_marks
from counter_app.context import OpContext
from counter_app.ops.area import SessionArea
from counter_app.roles import CO_SIGN_ROLES, roles_of
from counter_app.row_seals import tamper_alarms
from db.engine import is_sqlite
from db.models import Account, LedgerEntry, LedgerMark, Receipt, ReceiptEvent, Shift, Workstation
from db.models.security import Approval, AuditEntry, Operator
from db.models.shifts import ShiftClosure

MARK_TEXT = {
    "override_previous_not_loaded": ("override", "上次购电未入表时放行再售"),
    "late_hand_in": ("late_hand_in", "维修费迟交"),
    "unpriced_energy": ("unpriced_energy", "退电电量无购电记录，按最早电价计"),
    "flagged": ("flagged", "已标记"),
    "recovered": ("recovered", "断电/拔卡后恢复完成的写卡"),
}
MARK_TEXT_EN = {
    "override_previous_not_loaded": "sold again while the previous purchase was not loaded",
    "late_hand_in": "repair money handed in late",
    "unpriced_energy": "refund energy without a purchase, priced at the earliest tariff",
    "flagged": "flagged",
    "recovered": "card write finished after a power cut or a pulled card",
}


@dataclass(frozen=True)
class MorningItem:
    kind: str  # void | correction | reprint | manual_reading | override | late_hand_in |
    #            unpriced_energy | flagged | recovered | over | short | queued | clock_back | tampered |
    #            high_water (a restore, a database behind the mark, a lost sale found on a card) |
    #            backup (today's list only: the last verified backup is old, or the last one failed)
    at: datetime
    who: str  # the person who did it (the maker)
    summary: str  # Chinese, one line
    workstation: str | None = None
    reference: str | None = None  # receipt no, queue id, shift id …
    checker: str | None = None  # who co-signed, when someone did
    amount_fen: int | None = None
    summary_en: str = ""  # the same line in English (a reason or queued summary typed in Chinese stays so)


def morning_list(ctx: OpContext, *, on: date | None = None) -> list[MorningItem]:
    start, end = _window(ctx, on)
    with ctx.reading() as s:
        ctx.require_role(s, *CO_SIGN_ROLES)
        names: dict[int | None, str] = dict(
            s.execute(select(Operator.id, Operator.display_name)).tuples().all()
        )
        stations: dict[int | None, str] = dict(
            s.execute(
                select(Workstation.id, Workstation.code).where(Workstation.campus_id == ctx.workstation.campus_id)
            ).tuples().all()
        )  # fmt: skip
        look = _Look(s, names, stations, start, end)
        items = (
            look.ledger()
            + look.marks()
            + look.reprints()
            + look.closures()
            + look.queued()
            + _clock_back(s, start)
            + _went_back_in_time(s, start, end)
            + _tampered(s, start)
            + (_backup(ctx, s) if on is None and BACKUP_READERS & roles_of(s, ctx.operator_id) else [])
        )
    return sorted(items, key=lambda item: item.at, reverse=True)


def _clock_back(s: DbSession, start: datetime) -> list[MorningItem]:
    """Writes made while this PC's clock was behind the latest time already recorded."""
    return [
        MorningItem(kind="clock_back", at=m.latest_at, who=m.workstation or "", workstation=m.workstation,
                    reference=f"{m.what} #{m.subject_id or m.audit_sequence}",
                    summary=f"时钟回拨：记录时间 {m.at.astimezone(BUSINESS_TZ):%Y-%m-%d %H:%M} 早于已记录的 "
                            f"{m.latest_at.astimezone(BUSINESS_TZ):%H:%M}",
                    summary_en=f"Clock set back: recorded at {m.at.astimezone(BUSINESS_TZ):%Y-%m-%d %H:%M}, "
                               f"before the {m.latest_at.astimezone(BUSINESS_TZ):%H:%M} already recorded")
        for m in clock_back_marks(s, start)
    ]  # fmt: skip


HIGH_WATER_TEXT_EN = {
    high_water.BEHIND: "The database is behind this counter's high-water mark (an old backup restored?): "
    "receipt numbers skip those already issued",
    high_water.TAMPERED: "The high-water file failed its check and was not used (kept aside)",
    high_water.FROM_DATABASE: "No high-water file on this counter; rebuilt from the database "
    "(an earlier rollback cannot be seen)",
    "backup.restored": "The database was restored from a backup",
    "intent.found_on_card": "A purchase on a card is missing from the database; moved to suspense for the head",
}
HIGH_WATER_TEXT = {
    high_water.BEHIND: "数据库落后于本窗口的高水位（恢复了旧备份？）：票号已跳过已开出的号码",
    high_water.TAMPERED: "高水位文件校验失败，未采用（已另存）",
    high_water.FROM_DATABASE: "本窗口没有高水位文件，按数据库重建（无法发现此前的回退）",
    "backup.restored": "已从备份恢复数据库",
    "intent.found_on_card": "卡上的购电记录数据库中没有，已转挂账待主管处理",
}


def _went_back_in_time(s: DbSession, start: datetime, end: datetime) -> list[MorningItem]:
    """Restores, a database behind a workstation's high-water mark, lost sales found on cards
    (issue 12 §4): the head resolves them."""
    rows = s.scalars(select(AuditEntry).where(AuditEntry.kind.in_(tuple(HIGH_WATER_TEXT)),
                                              AuditEntry.at >= start, AuditEntry.at < end))  # fmt: skip
    return [
        MorningItem(kind="high_water", at=e.at, who=e.workstation or "", workstation=e.workstation,
                    reference=f"#{e.sequence}", summary=HIGH_WATER_TEXT[e.kind],
                    summary_en=HIGH_WATER_TEXT_EN[e.kind])
        for e in rows
    ]  # fmt: skip


BACKUP_READERS = frozenset({"head", "assistant"})  # the department's people; a 监督人 sells


def _backup(ctx: OpContext, s: DbSession) -> list[MorningItem]:
    """The state of the backups NOW (not of a past day): when the last verified one is older than
    `backup.warn_after_days` or the last attempt failed, the head sees it first thing."""
    status = backups.status_in(s, automatic=is_sqlite(ctx.engine), now=ctx.now())
    text = backups.warning(status)
    if text is None:
        return []
    return [MorningItem(kind="backup", at=ctx.now(), who="", summary=text, reference=status.last_good_path)]


TAMPER_LOOKBACK = timedelta(days=30)


def _tampered(s: DbSession, start: datetime) -> list[MorningItem]:
    """Uses refused because a sealed row did not match its seal (counter_app/row_seals.py): the
    alarm for the head. Kept on the list for 30 days, not only the day's window: it must be seen."""
    items = []
    for entry in tamper_alarms(s, start - TAMPER_LOOKBACK):
        what = json.loads(entry.payload_json)
        items.append(MorningItem(
            kind="tampered", at=entry.at, who=entry.workstation or "", workstation=entry.workstation,
            reference=f"{what.get('table')} #{what.get('row_id')}",
            summary=f"数据校验失败：{what.get('table')} #{what.get('row_id')} 与校验码不符，操作已拒绝",
            summary_en=f"Data check failed: {what.get('table')} #{what.get('row_id')} does not match its seal; "
                       "the operation was refused",
        ))  # fmt: skip
    return items


def _window(ctx: OpContext, on: date | None) -> tuple[datetime, datetime]:
    if on is None:
        today = ctx.today()
        return _midnight(today - timedelta(days=1)), ctx.now() + timedelta(seconds=1)
    return _midnight(on), _midnight(on + timedelta(days=1))


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=BUSINESS_TZ)


class _Look:
    # (keyed by id; `.get(None)` of a row without one is None)
    def __init__(self, s: DbSession, names: dict[int | None, str], stations: dict[int | None, str], start: datetime,
                 end: datetime) -> None:  # fmt: skip
        self.s, self.names, self.stations, self.start, self.end = s, names, stations, start, end

    def _checker(self, approval_id: int | None) -> str | None:
        if approval_id is None:
            return None
        return self.names.get(self.s.scalar(select(Approval.checker_id).where(Approval.id == approval_id)))

    def _receipt_no(self, receipt_id: int | None) -> str | None:
        if receipt_id is None:
            return None
        return self.s.scalar(select(Receipt.receipt_no).where(Receipt.id == receipt_id))

    def _account_no(self, account_id: int | None) -> str:
        if account_id is None:
            return "—"
        return self.s.scalar(select(Account.account_no).where(Account.id == account_id)) or "—"

    def ledger(self) -> list[MorningItem]:
        rows = self.s.scalars(
            select(LedgerEntry).where(
                LedgerEntry.at >= self.start, LedgerEntry.at < self.end,
                LedgerEntry.kind.in_(("void", "correction", "cleared")),
                LedgerEntry.workstation_id.in_(self.stations),
            )
        )  # fmt: skip
        items = []
        for e in rows:
            if e.kind == "cleared" and (e.data or {}).get("source") != "manual":
                continue  # a clear card's reading is exact; only hand-typed readings need a look
            items.append(self._ledger_item(e))
        return items

    def _ledger_item(self, e: LedgerEntry) -> MorningItem:
        account, receipt = self._account_no(e.account_id), self._receipt_no(e.receipt_id)
        if e.kind == "void":
            kind = "void"
            text = f"作废 {receipt or ''}：{account} ￥{format_yuan(abs(e.fen))}，原因：{e.reason or '—'}"
            text_en = f"Void {receipt or ''}: {account} ¥{format_yuan(abs(e.fen))}, reason: {e.reason or '—'}"
        elif e.kind == "correction":
            kind = "correction"
            text = (
                f"更正重开 {receipt or ''}：{account} ￥{format_yuan(e.fen)}，{format_kwh(e.energy_ckwh)} kWh"
            )
            text_en = f"Corrected, reissued {receipt or ''}: {account} ¥{format_yuan(e.fen)}, {format_kwh(e.energy_ckwh)} kWh"
        else:
            kind = "manual_reading"
            text = f"手工抄表 {account}：{format_kwh(abs(e.energy_ckwh))} kWh，原因：{e.reason or '—'}"
            text_en = (
                f"Manual reading {account}: {format_kwh(abs(e.energy_ckwh))} kWh, reason: {e.reason or '—'}"
            )
        return MorningItem(kind, e.at, self.names.get(e.operator_id, ""), text, self.stations.get(e.workstation_id),
                           receipt, self._checker(e.approval_id), e.fen, text_en)  # fmt: skip

    def marks(self) -> list[MorningItem]:
        rows = self.s.execute(
            select(LedgerMark, LedgerEntry)
            .join(LedgerEntry, LedgerEntry.id == LedgerMark.entry_id)
            .where(LedgerMark.at >= self.start, LedgerMark.at < self.end,
                   LedgerEntry.workstation_id.in_(self.stations))
        ).all()  # fmt: skip
        items = []
        for mark, entry in rows:
            kind, label = MARK_TEXT.get(mark.kind, (mark.kind, mark.kind))
            receipt = self._receipt_no(entry.receipt_id)
            text = f"{label}：{self._account_no(entry.account_id)} {receipt or ''}"
            text_en = f"{MARK_TEXT_EN.get(mark.kind, mark.kind)}: {self._account_no(entry.account_id)} {receipt or ''}"
            if mark.reason:
                text += f"，原因：{mark.reason}"
                text_en += f", reason: {mark.reason}"
            who = self.names.get(mark.operator_id or entry.operator_id, "")
            items.append(MorningItem(kind, mark.at, who, text, self.stations.get(entry.workstation_id), receipt,
                                     self._checker(mark.approval_id), entry.fen, text_en))  # fmt: skip
        return items

    def reprints(self) -> list[MorningItem]:
        rows = self.s.execute(
            select(ReceiptEvent, Receipt)
            .join(Receipt, Receipt.id == ReceiptEvent.receipt_id)
            .where(ReceiptEvent.kind == "reprinted", ReceiptEvent.at >= self.start, ReceiptEvent.at < self.end,
                   Receipt.workstation_id.in_(self.stations))
        ).all()  # fmt: skip
        return [
            MorningItem(
                "reprint",
                ev.at,
                self.names.get(ev.operator_id, ""),
                f"补打 {r.receipt_no}（第 {ev.reprint_count or 1} 次）￥{format_yuan(r.amount_fen)}",
                self.stations.get(r.workstation_id),
                r.receipt_no,
                None,
                r.amount_fen,
                f"Reprint {r.receipt_no} (#{ev.reprint_count or 1}) ¥{format_yuan(r.amount_fen)}",
            )  # fmt: skip
            for ev, r in rows
        ]

    def closures(self) -> list[MorningItem]:
        rows = self.s.execute(
            select(ShiftClosure, Shift)
            .join(Shift, Shift.id == ShiftClosure.shift_id)
            .where(ShiftClosure.closed_at >= self.start, ShiftClosure.closed_at < self.end,
                   ShiftClosure.difference_fen != 0, Shift.workstation_id.in_(self.stations))
        ).all()  # fmt: skip
        items = []
        for c, shift in rows:
            over = c.difference_fen > 0
            text = (f"{'长款' if over else '短款'} ￥{format_yuan(abs(c.difference_fen))}（班次 {shift.id}，"
                    f"应有 ￥{format_yuan(c.expected_fen)}，实点 ￥{format_yuan(c.counted_fen)}），"
                    f"原因：{c.difference_reason or '—'}")  # fmt: skip
            text_en = (f"{'Over' if over else 'Short'} ¥{format_yuan(abs(c.difference_fen))} (shift {shift.id}, "
                       f"expected ¥{format_yuan(c.expected_fen)}, counted ¥{format_yuan(c.counted_fen)}), "
                       f"reason: {c.difference_reason or '—'}")  # fmt: skip
            items.append(MorningItem("over" if over else "short", c.closed_at, self.names.get(c.operator_id, ""),
                                     text, self.stations.get(shift.workstation_id), str(shift.id),
                                     self._checker(c.approval_id), c.difference_fen, text_en))  # fmt: skip
        return items

    def queued(self) -> list[MorningItem]:
        """Every entry still waiting, whenever it was queued: it blocks the hand-over to finance."""
        return [
            MorningItem(
                "queued",
                row.queued_at,
                self.names.get(row.maker_id, ""),
                f"待监督人确认：{row.summary}",
                self.stations.get(row.workstation_id),
                str(row.id),
                summary_en=f"Waiting for a supervisor: {row.summary}",
            )  # fmt: skip
            for row in queueing.pending(self.s)
            if row.workstation_id in self.stations
        ]


class MorningOps(SessionArea):
    """Facade mixin (counter_app/session.py)."""

    def morning_list(self, on: date | None = None) -> list[MorningItem]:
        return morning_list(self.ctx, on=on)
