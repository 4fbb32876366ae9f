"""Read-only listings the finance and administrator pages of the workstation need (additions beside
API.md, docs/api.md "Lists for the finance and settings pages").

Each returns frozen rows (never ORM objects: the UI shows them on the GUI thread). Nothing here
writes; the roles are those of the matching write (who signs sheets reads them, who sets settings
reads them).

`report_table` is the table a report's bytes are rendered from (`report` renders the same table):
the UI previews exactly the rows it exports, plus the hour chart, which CSV cannot carry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session as DbSession

from base.clock import BUSINESS_TZ
from counter_app import settings
from counter_app.context import OpContext
from counter_app.ops.area import SessionArea
from counter_app.roles import roles_of
from counter_app.settlement.report_catalogue import build_report
from counter_app.settlement.reports import query_from_settings
from counter_app.settlement.sheet_content import name_of
from db.models import Shift, ShiftClosure, Workstation
from db.models.security import Operator, SupervisorAppointment
from db.models.settlement import SettlementSheet, SheetFreeze, SheetSignature
from db.models.tariffs import Fee, Tariff
from db.queries.settings import latest_setting
from receipts.reports.model import ReportTable

SHEET_READERS = ("cashier", "supervisor", "assistant", "head", "finance", "auditor")
REPORT_ROLES = ("cashier", "supervisor", "assistant", "head", "finance", "auditor")
# The administrator keeps settings and people; the head and assistant appoint 监督人 and co-sign.
SETUP_READERS = ("admin", "head", "assistant")


@dataclass(frozen=True)
class SheetRow:
    sheet_no: str
    shift_id: int
    workstation: str
    cashier: str
    closed_at: datetime
    expected_fen: int
    counted_fen: int
    difference_fen: int
    signed_steps: int
    next_step: str | None  # the label of the step to sign next; None once frozen
    frozen: bool
    voucher_no: str | None = None  # finance's voucher number, recorded at 签收 (frozen sheets)


@dataclass(frozen=True)
class SettingRow:
    key: str
    value: Any
    description: str
    needs_approval: bool  # money-affecting or security-sensitive: co-signed
    is_default: bool
    set_at: datetime | None
    set_by: str | None


@dataclass(frozen=True)
class PriceRow:
    """A tariff (`what="tariff"`, code = class, value price_e4) or a fee (`what="fee"`, value fen)."""

    what: str
    code: str
    value: int
    effective_from: datetime
    basis: str


@dataclass(frozen=True)
class PersonRow:
    name: str
    display_name: str
    roles: tuple[str, ...]  # standing roles
    disabled: bool
    appointments: tuple[tuple[date, date], ...]  # 监督人 periods, oldest first


# --- sheets -----------------------------------------------------------------------------------------


def list_sheets(ctx: OpContext, *, since: date | None = None) -> list[SheetRow]:
    """Settlement sheets, newest first; `since` = closed on or after that business date."""
    with ctx.reading() as s:
        ctx.require_role(s, *SHEET_READERS)
        signed = (
            select(SheetSignature.sheet_id, func.count().label("n"))
            .group_by(SheetSignature.sheet_id)
            .subquery()
        )
        stmt = (
            select(SettlementSheet, ShiftClosure, Shift.operator_id, Workstation.code, signed.c.n, SheetFreeze.id,
                   SheetFreeze.voucher_no)
            .join(ShiftClosure, ShiftClosure.shift_id == SettlementSheet.shift_id)
            .join(Shift, Shift.id == SettlementSheet.shift_id)
            .join(Workstation, Workstation.id == SettlementSheet.workstation_id)
            .outerjoin(signed, signed.c.sheet_id == SettlementSheet.id)
            .outerjoin(SheetFreeze, SheetFreeze.sheet_id == SettlementSheet.id)
            .order_by(SettlementSheet.id.desc())
        )  # fmt: skip
        if since is not None:
            stmt = stmt.where(
                ShiftClosure.closed_at >= datetime(since.year, since.month, since.day, tzinfo=BUSINESS_TZ)
            )
        return [_sheet_row(s, *row) for row in s.execute(stmt).tuples()]


def _sheet_row(s: DbSession, sheet: SettlementSheet, closure: ShiftClosure, cashier_id: int, code: str,
               signed: int | None, freeze_id: int | None, voucher_no: str | None = None) -> SheetRow:  # fmt: skip
    steps = int(signed or 0)
    frozen = freeze_id is not None
    next_step = None if frozen or steps >= len(sheet.chain) else sheet.chain[steps][0]
    return SheetRow(sheet.sheet_no, sheet.shift_id, code, name_of(s, cashier_id) or "", closure.closed_at,
                    closure.expected_fen, closure.counted_fen, closure.difference_fen, steps, next_step, frozen,
                    voucher_no)  # fmt: skip


# --- reports ----------------------------------------------------------------------------------------


def report_table(
    ctx: OpContext, *, kind: str, start: date, end: date, progress: Callable[[int, int], None] | None = None
) -> ReportTable:
    with ctx.reading() as s:
        ctx.require_role(s, *REPORT_ROLES)
        return build_report(s, kind, query_from_settings(s, start, end), progress)


# --- settings, prices, people (the administrator's page) -------------------------------------------


def list_settings(ctx: OpContext) -> list[SettingRow]:
    with ctx.reading() as s:
        ctx.require_role(s, *SETUP_READERS)
        return [_setting_row(s, spec) for spec in settings.SETTINGS.values()]


def _setting_row(s: DbSession, spec: settings.Setting) -> SettingRow:
    row = latest_setting(s, spec.key)
    value = settings.get_setting(s, spec.key)
    return SettingRow(spec.key, value, spec.description, spec.needs_approval, row is None,
                      row.set_at if row is not None else None,
                      name_of(s, row.set_by) if row is not None else None)  # fmt: skip


def list_prices(ctx: OpContext) -> list[PriceRow]:
    """Every tariff and fee row ever set (append-only), by kind then effective time."""
    with ctx.reading() as s:
        ctx.require_role(s, *SETUP_READERS)
        tariffs = s.scalars(select(Tariff).order_by(Tariff.cls, Tariff.effective_from, Tariff.id))
        fees = s.scalars(select(Fee).order_by(Fee.kind, Fee.effective_from, Fee.id))
        return [PriceRow("tariff", t.cls, t.price_e4, t.effective_from, t.basis) for t in tariffs] + [
            PriceRow("fee", f.kind, f.fen, f.effective_from, f.basis) for f in fees
        ]


def list_people(ctx: OpContext) -> list[PersonRow]:
    with ctx.reading() as s:
        ctx.require_role(s, *SETUP_READERS)
        people = list(s.scalars(select(Operator).order_by(Operator.name)))
        return [_person(s, p) for p in people]


def _person(s: DbSession, operator: Operator) -> PersonRow:
    periods = s.execute(
        select(SupervisorAppointment.from_date, SupervisorAppointment.to_date)
        .where(SupervisorAppointment.operator_id == operator.id)
        .order_by(SupervisorAppointment.from_date, SupervisorAppointment.id)
    ).tuples()
    return PersonRow(operator.name, operator.display_name, tuple(sorted(roles_of(s, operator.id))),
                     bool(operator.disabled), tuple(periods))  # fmt: skip


class ListingOps(SessionArea):
    """The facade methods (mixed into SettlementOps, hence into Session)."""

    def list_sheets(self, *, since: date | None = None) -> list[SheetRow]:
        return list_sheets(self.ctx, since=since)

    def report_table(self, *, kind: str, start: date, end: date,
                     progress: Callable[[int, int], None] | None = None) -> ReportTable:  # fmt: skip
        return report_table(self.ctx, kind=kind, start=start, end=end, progress=progress)

    def list_settings(self) -> list[SettingRow]:
        return list_settings(self.ctx)

    def list_prices(self) -> list[PriceRow]:
        return list_prices(self.ctx)

    def list_people(self) -> list[PersonRow]:
        return list_people(self.ctx)
