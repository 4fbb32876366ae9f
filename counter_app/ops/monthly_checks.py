"""The month's checks (DOMAIN "Monthly checks"): the electricians' readings imported per building,
the loss check and the abnormal accounts. Facade mixin `MonthlyCheckOps`.

- Readings: one file a month (counter_app/imports/readings_file.py), insert-only; a corrected file
  is imported again and its buildings' newest rows count (db/queries/monthly.py `latest_readings`).
  Refused once the month's four-party reconciliation is signed (frozen).
- Loss check: a building whose sub-meters' sum differs from its main meter by more than the fixed
  loss (`checks.loss_percent` of the main meter's consumption) is listed for the electrician;
  sub-meters above the main meter are listed whatever the setting (a meter read wrong or bypassed).
- Abnormal accounts: tamper or cover-open alarms in the write-backs the counters saw in the month;
  rooms with occupants and no purchase for `checks.no_purchase_days`; consumption per bed outside
  median ÷ `checks.low_divisor` … median × `checks.high_factor` of the building (sub-meter
  readings matched to the account by meter number). Holiday months (`checks.holiday_months`) skip
  the last two (rooms stand empty), never the alarms.

The period is the accounting month "YYYY-MM" (counter_app/settlement/months.py). Medians are exact
fractions: a per-bed figure is compared without rounding.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction
from pathlib import Path

from sqlalchemy.orm import Session as DbSession

from base.errors import InputInvalid
from counter_app.context import OpContext
from counter_app.imports.readings_file import ParsedReadings, parse_readings_file
from counter_app.imports.table import LineError
from counter_app.ops.area import SessionArea
from counter_app.ops.common import add_audited
from counter_app.settings import get_setting
from counter_app.settlement.months import day_bounds, period_days
from db.models import Account
from db.models.monthly import MeterReading, MonthlyImport
from db.queries import monthly as q
from db.queries.metering import networked_accounts

CHECK_ROLES = ("assistant", "head", "admin", "finance")
TAMPER_ALARMS = frozenset({"tamper", "cover_open"})
Place = tuple[Account, str, str]  # (account, room code, building code)
ABNORMAL_LABELS = {
    "tamper": "防窃电报警",
    "no_purchase": "长期未购电",
    "low_use": "用电过低",
    "high_use": "用电过高",
}


@dataclass(frozen=True)
class ReadingsImported:
    period: str
    rows: int
    buildings: tuple[str, ...]


@dataclass(frozen=True)
class LossRow:
    """One building's month: main and sub-meter consumption, the difference and its share of the
    main meter in hundredths of a percent (`loss_e2` 512 = 5.12 %); `flagged` beyond the fixed loss."""

    building: str
    main_ckwh: int
    sub_ckwh: int
    sub_meters: int
    loss_e2: int | None
    flagged: bool

    @property
    def difference_ckwh(self) -> int:
        return self.main_ckwh - self.sub_ckwh


@dataclass(frozen=True)
class MeterLine:
    """One meter of a building's drill-down."""

    kind: str
    meter_no: str
    previous_ckwh: int
    current_ckwh: int
    reader: str
    room_code: str | None

    @property
    def consumption_ckwh(self) -> int:
        return self.current_ckwh - self.previous_ckwh


@dataclass(frozen=True)
class AbnormalRow:
    building: str
    room_code: str
    account_no: str
    reason: str  # tamper | no_purchase | low_use | high_use (ABNORMAL_LABELS)
    detail: str
    detail_en: str = ""


def check_period(period: str) -> str:
    """An accounting month YYYY-MM, or INPUT_INVALID naming `period`."""
    if not (isinstance(period, str) and len(period) == 7 and period[4] == "-" and period[:4].isdigit()
            and period[5:].isdigit() and 1 <= int(period[5:]) <= 12):  # fmt: skip
        raise InputInvalid(f"月份应为 YYYY-MM：{period!r}", detail_en=f"period must be YYYY-MM: {period!r}",
                           field="period")  # fmt: skip
    return period


def period_bounds(s: DbSession, period: str) -> tuple[datetime, datetime]:
    first, last = period_days(period, int(get_setting(s, "month_end_day")))
    return day_bounds(first, last)


def refuse_if_signed(s: DbSession, period: str) -> None:
    if q.signoff(s, period) is not None:
        raise InputInvalid(f"{period} 的四方对账已签字，数据已冻结", detail_en=f"{period} is signed off and frozen",
                           field="period")  # fmt: skip


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def refuse_errors(errors: tuple[LineError, ...], what_zh: str, what_en: str) -> None:
    if errors:
        shown = "；".join(e.describe() for e in errors[:5])
        raise InputInvalid(f"{what_zh}有 {len(errors)} 处错误，未写入任何内容：{shown}",
                           detail_en=f"{len(errors)} errors in the {what_en}; nothing written",
                           field="path", data={"errors": [e.__dict__ for e in errors]})  # fmt: skip


# --- import ----------------------------------------------------------------------------------------


def import_readings(ctx: OpContext, *, path: str, period: str) -> ReadingsImported:
    """Check the whole file first (every bad line named), then insert it in one transaction."""
    check_period(period)
    parsed: ParsedReadings = parse_readings_file(path)
    refuse_errors(parsed.errors or (() if parsed.rows else (LineError(0, "文件", "文件中没有读数", "no readings"),)),
                  "抄表文件", "readings file")  # fmt: skip
    with ctx.uow() as s:
        ctx.require_role(s, *CHECK_ROLES)
        refuse_if_signed(s, period)
        batch = add_audited(ctx, s, MonthlyImport(
            kind="readings", period=period, file_name=Path(path).name[:255], file_sha256=file_sha256(Path(path)),
            row_count=len(parsed.rows), at=ctx.now(), operator_id=ctx.operator_id,
            workstation_id=ctx.workstation_id,
        ), "monthly.import", file_kind="readings", period=period)  # fmt: skip
        for row in parsed.rows:
            add_audited(ctx, s, MeterReading(
                import_id=batch.id, period=period, building=row.building, kind=row.kind, meter_no=row.meter_no,
                previous_ckwh=row.previous_ckwh, current_ckwh=row.current_ckwh, reader=row.reader or None,
                line=row.line,
            ), "monthly.reading", period=period)  # fmt: skip
    return ReadingsImported(period, len(parsed.rows), tuple(sorted({r.building for r in parsed.rows})))


# --- loss check ----------------------------------------------------------------------------------


def loss_rows(s: DbSession, period: str) -> list[LossRow]:
    """Every building read in `period`, flagged or not (the report lists the flagged ones)."""
    loss_percent = int(get_setting(s, "checks.loss_percent"))
    main: dict[str, int] = defaultdict(int)
    sub: dict[str, int] = defaultdict(int)
    subs: dict[str, int] = defaultdict(int)
    for r in q.latest_readings(s, period):
        used = r.current_ckwh - r.previous_ckwh
        if r.kind == "main":
            main[r.building] += used
        else:
            sub[r.building] += used
            subs[r.building] += 1
    out = []
    for building in sorted(main, key=natural):
        diff = main[building] - sub[building]
        loss_e2 = diff * 10_000 // main[building] if main[building] else None
        flagged = diff < 0 or diff * 100 > main[building] * loss_percent
        out.append(LossRow(building, main[building], sub[building], subs[building], loss_e2, flagged))
    return out


def building_meters(s: DbSession, period: str, building: str) -> list[MeterLine]:
    """The drill-down: every meter of `building` in `period`, with the room its number belongs to."""
    rooms = {account.meter_no: room for account, room, _b in q.accounts_with_place(s)}
    return [MeterLine(r.kind, r.meter_no, r.previous_ckwh, r.current_ckwh, r.reader or "", rooms.get(r.meter_no))
            for r in q.latest_readings(s, period) if r.building == building]  # fmt: skip


# --- abnormal accounts ---------------------------------------------------------------------------


def abnormal_rows(s: DbSession, period: str) -> list[AbnormalRow]:
    start, end = period_bounds(s, period)
    places = q.accounts_with_place(s)
    out = _tampered(s, places, start, end)
    if int(period[5:]) not in get_setting(s, "checks.holiday_months"):
        out += _no_purchase(s, places, end)
        out += _consumption(s, places, period)
    return sorted(out, key=lambda r: (natural(r.building), natural(r.room_code), r.reason))


def _tampered(s: DbSession, places: list[Place], start: datetime, end: datetime) -> list[AbnormalRow]:
    where = {account.id: (account, room, building) for account, room, building in places}
    seen: dict[int, set[str]] = defaultdict(set)
    for event in q.write_backs_between(s, start, end):
        alarms = TAMPER_ALARMS & set((event.data or {}).get("alarms") or ())
        if alarms and event.account_id in where:
            seen[event.account_id] |= alarms
    return [AbnormalRow(where[i][2], where[i][1], where[i][0].account_no, "tamper", "、".join(sorted(a)),
                        ", ".join(sorted(a))) for i, a in seen.items()]  # fmt: skip


def _no_purchase(s: DbSession, places: list[Place], end: datetime) -> list[AbnormalRow]:
    days = int(get_setting(s, "checks.no_purchase_days"))
    occupied = [(a, room, b) for a, room, b in places
                if a.occupants_undergrad + a.occupants_master + a.occupants_phd > 0]  # fmt: skip
    last = q.last_purchases(s, (a.id for a, _r, _b in occupied), end)
    cutoff = end - timedelta(days=days)
    out = []
    for account, room, building in occupied:
        bought = last.get(account.id)
        if bought is None and datetime.combine(account.opened_on, datetime.min.time(), end.tzinfo) > cutoff:
            continue  # a new account has not had the time yet
        if bought is not None and bought > cutoff:
            continue
        since = bought.date().isoformat() if bought is not None else None
        out.append(AbnormalRow(building, room, account.account_no, "no_purchase", f"末次购电 {since or '从未购电'}",
                               f"last purchase {since or 'never'}"))  # fmt: skip
    return out


def _consumption(s: DbSession, places: list[Place], period: str) -> list[AbnormalRow]:
    low, high = int(get_setting(s, "checks.low_divisor")), int(get_setting(s, "checks.high_factor"))
    used = {
        r.meter_no: r.current_ckwh - r.previous_ckwh for r in q.latest_readings(s, period) if r.kind == "sub"
    }
    modules = _module_use(s, period)  # a networked room's own module, where no sub-meter was imported
    per_bed: dict[str, list[tuple[Fraction, Account, str]]] = defaultdict(list)
    for account, room, building in places:
        month = used.get(account.meter_no, modules.get(account.id))
        if account.beds > 0 and month is not None:
            per_bed[building].append((Fraction(month, account.beds), account, room))
    out = []
    for building, rooms in per_bed.items():
        median = exact_median([value for value, _a, _r in rooms])
        for value, account, room in rooms:
            reason = "low_use" if value * low < median else "high_use" if value > median * high else None
            if reason is not None:
                out.append(
                    AbnormalRow(
                        building,
                        room,
                        account.account_no,
                        reason,
                        f"每床 {kwh_text(value)} kWh，本楼中位数 {kwh_text(median)} kWh",
                        f"{kwh_text(value)} kWh per bed, building median {kwh_text(median)} kWh",
                    )
                )
    return out


def _module_use(s: DbSession, period: str) -> dict[int, int]:
    """What each networked room's module counted over the month (issue 17: the modules' readings
    feed the month's checks like an imported sub-meter reading)."""
    start, end = period_bounds(s, period)
    addresses = {account.id: row.address for account, row in networked_accounts(s) if row.address}
    return q.module_use_between(s, addresses, start, end)


def natural(code: str) -> tuple[tuple[int, int | str], ...]:
    """Building 5 before building 12 (numbers compared as numbers)."""
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"(\d+)", code) if p)


def exact_median(values: list[Fraction]) -> Fraction:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def kwh_text(value: Fraction) -> str:
    """A ckwh fraction as kWh with two decimals, rounded half up, without floats."""
    hundredths = (value * 2 + 1) // 2  # ckwh rounded half up
    return f"{hundredths // 100}.{hundredths % 100:02d}"


# --- facade ----------------------------------------------------------------------------------------


def read_loss_check(ctx: OpContext, *, period: str) -> list[LossRow]:
    with ctx.reading() as s:
        ctx.require_role(s, *CHECK_ROLES)
        return loss_rows(s, check_period(period))


def read_building_meters(ctx: OpContext, *, period: str, building: str) -> list[MeterLine]:
    with ctx.reading() as s:
        ctx.require_role(s, *CHECK_ROLES)
        return building_meters(s, check_period(period), building)


def read_abnormal(ctx: OpContext, *, period: str) -> list[AbnormalRow]:
    with ctx.reading() as s:
        ctx.require_role(s, *CHECK_ROLES)
        return abnormal_rows(s, check_period(period))


class MonthlyCheckOps(SessionArea):
    """Readings, loss check, abnormal accounts (docs/api.md "The month's checks")."""


    def import_readings(self, *, path: str, period: str) -> ReadingsImported:
        return import_readings(self.ctx, path=path, period=period)

    def loss_check(self, *, period: str) -> list[LossRow]:
        return read_loss_check(self.ctx, period=period)

    def building_meters(self, *, period: str, building: str) -> list[MeterLine]:
        return read_building_meters(self.ctx, period=period, building=building)

    def abnormal_accounts(self, *, period: str) -> list[AbnormalRow]:
        return read_abnormal(self.ctx, period=period)
