"""The registry of settings (API.md "Setting keys") with DOMAIN.md defaults, and their storage.

Each key has a default, a validator and two flags:
- `money_affecting`: changing it moves money or power (tariff-, fee-, limit-, quota-, refund-float-
  and close-difference-related keys, the low-balance thresholds, the paper trail of a payment
  (stamped receipts, confirmation slips), the accounting month's end and the evening deposit time). DOMAIN.md: "every change that moves money or power" needs a
  co-signature; the facade checks the approval, this module only says which keys need one.
- `security_sensitive`: it weakens or strengthens the controls themselves (login lockout, approval
  lifetime, single-operator mode, the backup target and generations…); also co-signed, for the
  same reason (one administrator must never act alone). Unflagged keys change only wording, layout
  or input formats (shift times, room-code pattern, report form numbers, the centre's name).

Values are stored as JSON in append-only rows (db/models/settings.py); the current value is the
latest row, or the default when a key was never set. Dates travel as ISO text in JSON and come back
as `datetime.date`.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any, TypedDict

from sqlalchemy.orm import Session

from base.clock import system_clock
from base.errors import InputInvalid
from base.vocabulary import CLASS_CODES
from counter_app import row_seals
from counter_app.room_codes import DEFAULT_ROOM_CODE_PATTERN, check_room_code_pattern
from db import transaction_memo
from db.models.settings import SettingValue
from db.queries.settings import add_setting_row, latest_settings

OCCUPANT_CATEGORIES = ("undergrad", "master", "phd")  # 本科 / 研究生 / 博士
CHARGE_KINDS = ("electricity", "repair", "utility", "heating", "back_charge", "card_fee")
_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


@dataclass(frozen=True)
class Setting:
    key: str
    default: Any
    check: Callable[[Any], Any]  # returns the value to store (JSON-ready) or raises ValueError
    description: str
    money_affecting: bool = False
    security_sensitive: bool = False
    load: Callable[[Any], Any] = lambda v: v  # JSON → Python

    @property
    def needs_approval(self) -> bool:
        return self.money_affecting or self.security_sensitive


# --- validators (each returns the JSON form or raises ValueError) ---------------------------------


def _int(minimum: int = 0, maximum: int | None = None) -> Callable[[Any], int]:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("an integer is needed")
        if value < minimum or (maximum is not None and value > maximum):
            raise ValueError(
                f"must be between {minimum} and {maximum}" if maximum else f"must be >= {minimum}"
            )
        return value

    return check


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("true or false is needed")
    return value


def _choice(*choices: str) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if not isinstance(value, str) or value not in choices:
            raise ValueError(f"one of {', '.join(choices)} is needed")
        return value

    return check


def _months(value: Any) -> list[int]:
    if not isinstance(value, list | tuple):
        raise ValueError("a list of months is needed")
    months = [_int(1, 12)(m) for m in value]
    if len(set(months)) != len(months):
        raise ValueError("a month is listed twice")
    return sorted(months)


def _dates(value: Any) -> list[str]:
    if not isinstance(value, list | tuple):
        raise ValueError("a list of dates is needed")
    out = []
    for item in value:
        if isinstance(item, datetime) or not isinstance(item, date | str):
            raise ValueError("dates as YYYY-MM-DD")
        out.append((item if isinstance(item, date) else date.fromisoformat(item)).isoformat())
    return sorted(set(out))


def _load_dates(value: list[str]) -> list[date]:
    return [date.fromisoformat(v) for v in value]


def _charge_kinds(value: Any) -> list[str]:
    if not isinstance(value, list | tuple) or any(v not in CHARGE_KINDS for v in value):
        raise ValueError(f"a list of charge kinds ({', '.join(CHARGE_KINDS)}) is needed")
    return list(dict.fromkeys(value))


def _shifts(value: Any) -> list[list[str]]:
    if not isinstance(value, list | tuple) or not value:
        raise ValueError('a list of ["HH:MM", "HH:MM"] pairs is needed')
    out = []
    for pair in value:
        if (
            not isinstance(pair, list | tuple)
            or len(pair) != 2
            or not all(isinstance(t, str) and _HHMM.match(t) for t in pair)
        ):
            raise ValueError('each shift is ["HH:MM", "HH:MM"]')
        if pair[0] >= pair[1]:
            raise ValueError("a shift ends after it starts")
        out.append([pair[0], pair[1]])
    return out


def _pattern(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("a regular expression is needed")
    try:
        check_room_code_pattern(value)
    except re.error as error:
        raise ValueError(f"not a regular expression: {error}") from error
    return value


DEFAULT_SIGN_CHAIN = [["营业员", "cashier"], ["部门助理", "assistant"], ["主管", "head"], ["财务", "finance"]]
_ROLES = ("cashier", "supervisor", "assistant", "head", "finance")


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("a non-empty text is needed")
    return value.strip()


def _hhmm(value: Any) -> str:
    if not isinstance(value, str) or not _HHMM.match(value):
        raise ValueError("a time as HH:MM is needed")
    return value


def _folder(value: Any) -> str:
    """An absolute folder (a USB drive, a mounted share, a UNC path \\\\server\\share), or "" for none."""
    if not isinstance(value, str):
        raise ValueError("a folder path is needed")
    text = value.strip()
    if text and not (text.startswith(("\\\\", "//")) or PurePosixPath(text).is_absolute()
                     or PureWindowsPath(text).is_absolute()):  # fmt: skip
        raise ValueError("an absolute folder path is needed")
    return text


def _sign_chain(value: Any) -> list[list[str]]:
    """[[label, role], …]: the cashier's step first and finance's 签收 last (it records the voucher)."""
    if not isinstance(value, list | tuple) or len(value) < 2:
        raise ValueError("at least two [label, role] steps are needed")
    steps = []
    for step in value:
        if not isinstance(step, list | tuple) or len(step) != 2 or step[1] not in _ROLES:
            raise ValueError(f"each step is [label, role] with role in {', '.join(_ROLES)}")
        steps.append([_text(step[0]), step[1]])
    if steps[0][1] != "cashier" or steps[-1][1] != "finance":
        raise ValueError("the chain starts with the cashier and ends with finance")
    return steps


# --- the registry ---------------------------------------------------------------------------------


def _bus_ports(value: Any) -> dict[str, str]:
    """{bus name: port URL} (COM3, /dev/ttyUSB0, socket://10.1.2.3:4001 for a serial server)."""
    if not isinstance(value, dict):
        raise ValueError("a mapping of bus name to port URL")
    out: dict[str, str] = {}
    for name, url in value.items():
        if not isinstance(name, str) or not name.strip() or not isinstance(url, str) or not url.strip():
            raise ValueError(f"bus {name!r}: {url!r}")
        out[name.strip()] = url.strip()
    return out


def _hex4(value: Any) -> str:
    """Four bytes as 8 hex digits (the DL/T 645 operator code C0..C3)."""
    text = str(value).strip().lower()
    if len(text) != 8 or any(c not in "0123456789abcdef" for c in text):
        raise ValueError("8 hex digits")
    return text


def _station_or_any(value: Any) -> str:
    """A workstation code, or "" for any workstation."""
    if not isinstance(value, str) or len(value.strip()) > 16 or any(c.isspace() for c in value.strip()):
        raise ValueError("a workstation code (W01), or empty for any workstation")
    return value.strip()


class _Flags(TypedDict, total=False):
    money_affecting: bool
    security_sensitive: bool


def _registry() -> dict[str, Setting]:
    money: _Flags = {"money_affecting": True}
    security: _Flags = {"security_sensitive": True}
    items = [
        Setting("min_top_up_fen", 1000, _int(0), "最低充值额（分）", **money),
        Setting("min_top_up_september_fen", 3000, _int(0), "九月最低充值额（分）", **money),
        *(Setting(f"max_top_up_fen.{cls}", fen, _int(1), f"最高充值额（分）{cls}", **money)
          for cls, fen in (("dorm", 200_000), ("staff", 200_000), ("business", 2_000_000))),
        Setting("meter_max_ckwh", 999_999, _int(1), "电表最大囤积电量（0.01 kWh）", **money),
        # 实收 is at most the amount due plus this many 100-yuan notes (base.validation.tendered_maximum):
        # a larger figure is a typo that would print on the receipt and in the drawer's change.
        Setting("tendered_max_notes", 5, _int(1, 100), "实收金额最多超出应收的百元张数", **money),
        Setting("energy_resolution_ckwh", 1, _int(1), "电表电量分辨率（0.01 kWh）", **money),
        Setting("quota.basis", "occupant", _choice("occupant", "bed", "room"), "定额依据", **money),
        *(Setting(f"quota.ckwh_per_unit.{cat}", 1000, _int(0), f"每单位定额电量 {cat}", **money)
          for cat in OCCUPANT_CATEGORIES),
        Setting("quota.period", "month", _choice("month", "semester", "year"), "定额周期", **money),
        Setting("quota.excluded_months", [7, 8, 2], _months, "不送电月份", **money),
        Setting("term_ends", [], _dates, "学期结束日（定额当期有效）", load=_load_dates, **money),
        Setting("back_charge.ckwh_per_day", 2000, _int(0), "违规用电每天补缴电量", **money),
        Setting("back_charge.blocks_top_up", True, _bool, "未缴补缴电费禁止售电", **money),
        # Which rooms are told to buy before they go dark: raising it to 0 hides every room (issue 12).
        *(Setting(f"low_balance_ckwh.{cls}", 1000, _int(0), f"低电通报阈值 {cls}", **money) for cls in CLASS_CODES),
        Setting("approval_ttl_s", 120, _int(10, 3600), "监督人确认有效期（秒）", **security),
        Setting("close_difference_fen", 1000, _int(0), "结账长短款需监督人确认的限额（分）", **money),
        Setting("refund_float", False, _bool, "退款备用金", **money),
        # The paper trail of a payment: a bill paid without a numbered stamped receipt, or a top-up
        # without the payer's signed slip, leaves cash no paper accounts for (issue 12).
        Setting("stamped_receipt_for", ["repair", "utility", "heating", "back_charge"], _charge_kinds,
                "需开学校结算收据的收费", **money),
        Setting("confirmation_slip", True, _bool, "售电打印缴费确认单", **money),
        # Which accounting month a sale falls in, so which period a month close freezes.
        Setting("month_end_day", 25, _int(1, 28), "会计月结日", **money),
        Setting("single_operator_mode", False, _bool, "单人值班模式", **security),
        Setting("shifts", [["11:30", "13:30"], ["17:00", "22:00"]], _shifts, "班次时间"),
        Setting("room_code_pattern", DEFAULT_ROOM_CODE_PATTERN, _pattern, "房间号格式"),
        Setting("login.max_failures", 5, _int(1, 100), "登录失败锁定次数", **security),
        Setting("login.lockout_minutes", 15, _int(1), "锁定时长（分钟）", **security),
        Setting("idle_lock_minutes", 5, _int(1, 15), "无操作自动锁屏（分钟）", **security),
        Setting("clock_skew_max_s", 120, _int(1), "允许的时钟偏差（秒）", **security),
        # Fewer generations delete older backups: a power over the records.
        Setting("backup.generations", 10, _int(1), "保留备份份数", **security),
        # Where the automatic backups go (counter_app/backups.py): a second disk, never the database's
        # own. Security-sensitive: a backup is the whole database, so pointing it elsewhere is co-signed.
        Setting("backup.target_dir", "", _folder, "备份目标目录（U盘或网络路径）", **security),
        # The head and the administrator are warned when the last verified backup is older than this
        # (counter_app/backups.py `status_in`). Longer silences a safeguard: co-signed.
        Setting("backup.warn_after_days", 1, _int(1, 30), "备份过期提醒（天）", **security),
        Setting("settlement.sign_chain", DEFAULT_SIGN_CHAIN, _sign_chain, "交账单签字流程（[称谓, 角色]）",
                **security),
        Setting("report.form_no.collection", "HNKJ/C4/1012", _text, "电费月收费报表表号"),
        Setting("report.form_no.account_detail", "HNKJ/C4/1013", _text, "电费分户明细表表号"),
        # When takings may wait for the next banking day: moving it earlier hides late deposits (issue 12).
        Setting("deposit.evening_from", "17:00", _hhmm, "晚班收入次一银行工作日缴存（此时刻后结账）", **money),
        # The month's checks (DOMAIN "Monthly checks", counter_app/ops/monthly_checks.py): what the
        # electrician and the head are shown; they move no money, so they are not co-signed.
        Setting("checks.loss_percent", 5, _int(0, 100), "线损检查：总表与分表之差超过总表电量的百分之几列出（%）"),
        Setting("checks.no_purchase_days", 60, _int(1, 366), "有人入住而连续多少天未购电列为异常（天）"),
        Setting("checks.low_divisor", 3, _int(1, 100), "每床用电低于本楼中位数的几分之一列为异常"),
        Setting("checks.high_factor", 3, _int(1, 100), "每床用电高于本楼中位数的几倍列为异常"),
        Setting("checks.holiday_months", [1, 2, 7, 8], _months, "异常检查不计的假期月份"),
        # Networked meter modules (issue 17): which port each bus is on (a command sent to the wrong
        # line switches another building's rooms: co-signed), and the rules that switch rooms.
        Setting("meter_bus.ports", {}, _bus_ports, "远程模块总线端口（总线名 → 串口地址）", **security),
        # The DL/T 645 password (PA P0 P1 P2) is a secret: the keystore's `dlt645_password`
        # (counter_app/keystore.py DEVICE_SECRETS), never a setting. The operator code is not secret.
        Setting("meter_bus.dlt645_operator_code", "00000000", _hex4, "DL/T 645 操作者代码（C0 C1 C2 C3）",
                **security),
        Setting("meter_bus.auto_close", True, _bool, "充值后余额为正时自动合闸", **money),
        Setting("meter_bus.auto_trip", False, _bool, "余额为零时自动拉闸（关闭时拉闸需监督人确认）", **money),
        # The scheduled rounds (counter_app/meter_polling.py): how often every meter is read (0: never;
        # the auto-trip rule acts on what they read, so a change is co-signed), and which counter PC
        # runs them ("" any: a one-PC centre; with several PCs, the one the buses are wired to).
        Setting("meter_bus.poll_minutes", 15, _int(0, 1440), "远程模块定时抄表间隔（分钟，0 为不定时抄表）", **money),
        Setting("meter_bus.poll_workstation", "", _station_or_any, "定时抄表的工作站（空为任一工作站）", **security),
        Setting("centre_name", "能源中心营业室", _text, "中心名称（报表抬头）"),
        # 轮岗 (seed 001:19): "任期不超过二届"; a term is three years at most schools, so 72 months.
        Setting("rotation.max_months", 72, _int(1, 600), "轮岗：同一岗位连续任职最长月数"),
    ]  # fmt: skip
    return {s.key: s for s in items}


SETTINGS: dict[str, Setting] = _registry()


def setting(key: str) -> Setting:
    """The registry entry of `key`; InputInvalid naming the key when there is none."""
    try:
        return SETTINGS[key]
    except KeyError:
        raise InputInvalid(f"没有这个设置项：{key}", detail_en=f"unknown setting: {key}", field=key) from None


def validate(key: str, value: Any) -> Any:
    """The JSON form of `value` for `key`, or InputInvalid naming the key and the reason."""
    entry = setting(key)
    try:
        return entry.check(value)
    except (ValueError, TypeError) as error:
        raise InputInvalid(f"设置项 {key} 的值无效：{value!r}（{error}）",
                           detail_en=f"invalid value for {key}: {value!r} ({error})", field=key) from error  # fmt: skip


def get_setting(session: Session, key: str) -> Any:
    """The current value of `key`: the latest stored row, else the default; its seal checked here,
    where it is used (a value changed by SQL: TAMPERED).

    The latest rows of ALL keys are read in one statement the first time a transaction asks for a
    setting, and kept in the session's `info` for the rest of that transaction (issue 16: a sale
    asked for nine settings, one query each). The memo lives as long as the unit of work; writing a
    setting in the same session, a commit or a rollback empties it. Each row's seal is checked the
    first time its key is used in the transaction, as before."""
    entry = setting(key)
    memo: _SettingsRead = transaction_memo.recall_or_keep(
        session, _READ_IN_THIS_TRANSACTION, lambda: _SettingsRead(latest_settings(session))
    )
    row = memo.rows.get(key)
    if row is not None and key not in memo.checked:
        row_seals.check_values(session, SettingValue.__table__, row)
        memo.checked.add(key)
    return entry.load(copy.deepcopy(row["value"]) if row is not None else entry.check(entry.default))


@dataclass
class _SettingsRead:
    rows: dict[str, Any]
    checked: set[str] = field(default_factory=set)


_READ_IN_THIS_TRANSACTION = "settings_read"  # (db/transaction_memo.py)


def put_setting(
    session: Session, key: str, value: Any, set_by: int, approval_id: int | None = None,
    *, at: datetime | None = None,
) -> Any:  # fmt: skip
    """Validate and store a new value (a new row); returns the value as `get_setting` will.

    Whether an approval is needed (`setting(key).needs_approval`) is checked by the facade before
    calling this; `at` comes from the counter's clock (the system clock if omitted).
    """
    stored = validate(key, value)
    transaction_memo.forget(session, _READ_IN_THIS_TRANSACTION)  # the next read sees the new row
    add_setting_row(session, key, stored, set_by=set_by, at=at or system_clock(), approval_id=approval_id)
    return SETTINGS[key].load(stored)


def all_settings(session: Session) -> dict[str, Any]:
    return {key: get_setting(session, key) for key in SETTINGS}
