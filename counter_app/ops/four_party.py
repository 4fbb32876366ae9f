"""The month's four-party reconciliation per building (DOMAIN "Monthly checks"; issue 15 §6) and the
K3 voucher export. Facade mixin `FourPartyOps`.

The four parties, per building and accounting month:
1. the counter: money taken and energy sold there (ledger sales, voids, corrections, and the
   electricity owed after software control paid on a notice: money only);
2. finance's K3 ledger: money and energy as imported from K3 (counter_app/imports/k3_file.py);
3. the electricians: the sub-meters' consumption (the month's readings, ops/monthly_checks.py);
4. the system report: energy delivered to the rooms' cards, sold and free together (what the
   month report counts).
Differences are K3 − counter (money and energy) and readings − system (energy). The maker signs
with a supervisor's co-signature; the sign-off binds the SHA-256 of the rows as shown and, one per
month (UNIQUE), freezes the month: no readings or K3 file for it is accepted afterwards.

K3 voucher (记账凭证) export: one voucher per business day, debit the tender's account and credit
the charge's subject; repair fees and water (utility) are pass-through (代收代付), credited to a
payable, never to revenue. The subjects and the file layout: docs/imports.md "K3 voucher export".
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.orm import Session as DbSession

from base.clock import business_date
from base.errors import InputInvalid
from counter_app.approvals import Approval
from counter_app.context import OpContext
from counter_app.imports.k3_file import parse_k3_file
from counter_app.ops.area import SessionArea
from counter_app.ops.common import add_audited
from counter_app.ops.monthly_checks import (
    check_period,
    file_sha256,
    natural,
    period_bounds,
    refuse_errors,
    refuse_if_signed,
)
from db.models.monthly import FourPartySignOff, K3Figure, MonthlyImport
from db.queries import monthly as q

SIGN_ROLES = ("assistant", "head", "finance")
K3_ROLES = ("assistant", "head", "finance", "admin")

# Debit side: where the money is (the tender).
TENDER_SUBJECTS = {
    "cash": ("1001", "库存现金"),
    "cheque": ("1002", "银行存款"),
    "campus_card": ("1122.01", "应收账款-校园一卡通"),
    "wechat": ("1012.01", "其他货币资金-微信"),
    "alipay": ("1012.02", "其他货币资金-支付宝"),
}
# Credit side: what it is for. Repair and water (utility) are collected for others: 代收代付.
PASS_THROUGH = ("2241.01", "其他应付款-代收代付")
CHARGE_SUBJECTS = {
    "electricity": ("6001.01", "主营业务收入-电费"),
    "back_charge": ("6001.01", "主营业务收入-电费"),
    "heating": ("6051.01", "其他业务收入-采暖费"),
    "card_fee": ("6051.02", "其他业务收入-卡费"),
    "repair": PASS_THROUGH,
    "utility": PASS_THROUGH,
}
SUSPENSE = ("2241.02", "其他应付款-暂收款")  # money held for an unfinished card write
UNKNOWN = ("2241.99", "其他应付款-待查")


@dataclass(frozen=True)
class K3Imported:
    period: str
    rows: int


@dataclass(frozen=True)
class FourPartyRow:
    building: str
    counter_fen: int
    counter_ckwh: int
    k3_fen: int | None
    k3_ckwh: int | None
    readings_ckwh: int | None
    system_ckwh: int

    @property
    def k3_difference_fen(self) -> int | None:
        return None if self.k3_fen is None else self.k3_fen - self.counter_fen

    @property
    def k3_difference_ckwh(self) -> int | None:
        return None if self.k3_ckwh is None else self.k3_ckwh - self.counter_ckwh

    @property
    def readings_difference_ckwh(self) -> int | None:
        return None if self.readings_ckwh is None else self.readings_ckwh - self.system_ckwh


@dataclass(frozen=True)
class FourParty:
    period: str
    rows: tuple[FourPartyRow, ...]
    figures_sha256: str
    signed_at: datetime | None = None
    signed_by: int | None = None
    approval_id: int | None = None


@dataclass(frozen=True)
class VoucherLine:
    day: date
    voucher_no: int
    entry_no: int
    summary: str
    subject_code: str
    subject_name: str
    debit_fen: int
    credit_fen: int


def import_k3(ctx: OpContext, *, path: str, period: str) -> K3Imported:
    check_period(period)
    parsed = parse_k3_file(path)
    refuse_errors(parsed.errors, "K3 文件", "K3 file")
    with ctx.uow() as s:
        ctx.require_role(s, *K3_ROLES)
        refuse_if_signed(s, period)
        batch = add_audited(ctx, s, MonthlyImport(
            kind="k3", period=period, file_name=Path(path).name[:255], file_sha256=file_sha256(Path(path)),
            row_count=len(parsed.rows), at=ctx.now(), operator_id=ctx.operator_id,
            workstation_id=ctx.workstation_id,
        ), "monthly.import", file_kind="k3", period=period)  # fmt: skip
        for row in parsed.rows:
            add_audited(ctx, s, K3Figure(import_id=batch.id, period=period, building=row.building,
                                         takings_fen=row.takings_fen, energy_ckwh=row.energy_ckwh, line=row.line),
                        "monthly.k3_figure", period=period)  # fmt: skip
    return K3Imported(period, len(parsed.rows))


def four_party(s: DbSession, period: str) -> FourParty:
    start, end = period_bounds(s, period)
    sales = q.sales_by_building(s, start, end)
    k3 = {f.building: f for f in q.latest_k3(s, period)}
    readings: dict[str, int] = defaultdict(int)
    for r in q.latest_readings(s, period):
        if r.kind == "sub":
            readings[r.building] += r.current_ckwh - r.previous_ckwh
    rows = []
    for building in sorted(set(sales) | set(k3) | set(readings), key=natural):
        fen, ckwh, free = sales.get(building, (0, 0, 0))
        figure = k3.get(building)
        rows.append(FourPartyRow(building, fen, ckwh, figure.takings_fen if figure else None,
                                 figure.energy_ckwh if figure else None, readings.get(building),
                                 ckwh + free))  # fmt: skip
    digest = figures_digest(period, rows)
    signed = q.signoff(s, period)
    if signed is None:
        return FourParty(period, tuple(rows), digest)
    return FourParty(period, tuple(rows), digest, signed.at, signed.operator_id, signed.approval_id)


def figures_digest(period: str, rows: list[FourPartyRow]) -> str:
    text = json.dumps(
        {"period": period, "rows": [asdict(r) for r in rows]}, sort_keys=True, ensure_ascii=False
    )
    return hashlib.sha256(text.encode()).hexdigest()


def sign_four_party(ctx: OpContext, *, period: str, figures_sha256: str, note: str | None,
                    approval: Approval | None) -> FourParty:  # fmt: skip
    """Sign what was shown: refused when the figures changed since (`figures_sha256`)."""
    check_period(period)
    with ctx.uow() as s:
        ctx.require_role(s, *SIGN_ROLES)
        refuse_if_signed(s, period)
        shown = four_party(s, period)
        if shown.figures_sha256 != figures_sha256:
            raise InputInvalid("对账数据在显示后已变化，请刷新后重新核对", detail_en="the figures changed since shown",
                               field="figures_sha256")  # fmt: skip
        approval_id = ctx.approve(s, approval, kind="four_party.sign",
                                  payload={"period": period, "figures_sha256": figures_sha256, "buildings": len(shown.rows),
                                           "counter_fen": sum(r.counter_fen for r in shown.rows),
                                           "k3_fen": sum(r.k3_fen or 0 for r in shown.rows)})  # fmt: skip
        add_audited(ctx, s, FourPartySignOff(period=period, figures_sha256=figures_sha256, note=note, at=ctx.now(),
                                             operator_id=ctx.operator_id, approval_id=approval_id),
                    "monthly.four_party_signed", period=period)  # fmt: skip
        return four_party(s, period)


def voucher_lines(s: DbSession, start: datetime, end: datetime) -> list[VoucherLine]:
    """The K3 vouchers of [start, end): per business day, debits per tender then credits per subject."""
    by_day: dict[date, dict[tuple[str, tuple[str, str]], int]] = defaultdict(lambda: defaultdict(int))
    for entry in q.money_by_day(s, start, end):
        day = business_date(entry.at)
        by_day[day][("debit", TENDER_SUBJECTS.get(entry.tender or "", UNKNOWN))] += entry.fen
        by_day[day][("credit", credit_subject(entry.kind, entry.charge))] += entry.fen
    out = []
    for voucher_no, day in enumerate(sorted(by_day), start=1):
        entry_no = 0
        for (side, (code, name)), fen in sorted(
            by_day[day].items(), key=lambda kv: (kv[0][0] != "debit", kv[0][1])
        ):
            if fen == 0:
                continue
            entry_no += 1
            out.append(VoucherLine(day, voucher_no, entry_no, f"{day.isoformat()} 营业室收款", code, name,
                                   fen if side == "debit" else 0, fen if side == "credit" else 0))  # fmt: skip
    return out


def credit_subject(kind: str, charge: str | None) -> tuple[str, str]:
    if kind in ("suspense", "suspense_resolved"):
        return SUSPENSE
    return CHARGE_SUBJECTS.get(charge or "electricity", UNKNOWN)


def read_four_party(ctx: OpContext, *, period: str) -> FourParty:
    with ctx.reading() as s:
        ctx.require_role(s, *K3_ROLES)
        return four_party(s, check_period(period))


class FourPartyOps(SessionArea):
    """Four-party reconciliation and K3 (docs/api.md "The month's checks")."""


    def import_k3(self, *, path: str, period: str) -> K3Imported:
        return import_k3(self.ctx, path=path, period=period)

    def four_party(self, *, period: str) -> FourParty:
        return read_four_party(self.ctx, period=period)

    def sign_four_party(self, *, period: str, figures_sha256: str, note: str | None = None,
                        approval: Approval | None = None) -> FourParty:  # fmt: skip
        return sign_four_party(
            self.ctx, period=period, figures_sha256=figures_sha256, note=note, approval=approval
        )
