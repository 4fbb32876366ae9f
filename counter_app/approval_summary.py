"""What a 监督人 signs, in words: the human summary of exactly the payload an approval binds.

`approvals.grant_approval` hashes `(kind, payload)`; `summarise(kind, payload)` turns the SAME
payload into the lines the supervisor reads (Chinese, with English): amounts in yuan from fen,
energy in kWh from ckwh, room counts, the account, the reason, the period. One function per
approval kind (`_SUMMARISERS`); a kind without one gets every payload field, labelled, so nothing
is ever signed unseen.

How what was shown is tied to what is signed (issue 14 item 4):

1. The UI asks the core first: `Session.approval_preview(operation, **kwargs)` runs the operation
   with every check (account, card, limits…) up to its co-signature and stops there, rolled back
   (`previewing`, `ApprovalPreviewReached`): nothing is written and no card is touched. It returns an
   `ApprovalPreview` with this summary and its digest.
2. The dialog shows `preview.summary` and hands the credentials back as
   `Approval(name, password, shown_sha256=preview.summary.sha256)`.
3. At the real call `grant_approval` summarises the payload it binds again and refuses
   (APPROVAL_INVALID, "summary_changed") when the digest differs from what was shown; the approval
   row records the summary it bound (`approvals.summary`, signed with the row) and whether the
   supervisor was shown it.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from base.canonical import canonical_json, normalise, sha256_hex
from base.clock import local_moment
from base.money import format_kwh, format_price, format_yuan
from base.vocabulary import CLASS_LABELS, ROLE_LABELS
from counter_app.setting_units import shown_with_unit

# --- the summary -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SummaryLine:
    label_zh: str
    label_en: str
    value_zh: str
    value_en: str

    def label(self, lang: str = "zh") -> str:
        return self.label_en if lang == "en" else self.label_zh

    def value(self, lang: str = "zh") -> str:
        return self.value_en if lang == "en" else self.value_zh


@dataclass(frozen=True)
class ApprovalSummary:
    """The words for one approval kind's payload: a title and labelled lines, in both languages."""

    kind: str
    title_zh: str
    title_en: str
    lines: tuple[SummaryLine, ...]

    def title(self, lang: str = "zh") -> str:
        return self.title_en if lang == "en" else self.title_zh

    def rows(self, lang: str = "zh") -> list[tuple[str, str]]:
        return [(line.label(lang), line.value(lang)) for line in self.lines]

    def text(self, lang: str = "zh") -> str:
        """Several lines: the title, then `label: value` per line."""
        colon = ": " if lang == "en" else "："
        return "\n".join([self.title(lang), *(f"{label}{colon}{value}" for label, value in self.rows(lang))])

    def one_line(self, lang: str = "zh") -> str:
        sep, colon = ("; ", ": ") if lang == "en" else ("；", "：")
        body = sep.join(f"{label}{colon}{value}" for label, value in self.rows(lang))
        return f"{self.title(lang)}（{body}）" if lang != "en" else f"{self.title(lang)} ({body})"

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "title": [self.title_zh, self.title_en],
                "lines": [[ln.label_zh, ln.label_en, ln.value_zh, ln.value_en] for ln in self.lines]}  # fmt: skip

    @property
    def sha256(self) -> str:
        """What the dialog hands back (`Approval.shown_sha256`) and the core compares."""
        return sha256_hex(canonical_json(self.to_json()))


@dataclass(frozen=True)
class ApprovalPreview:
    """What `Session.approval_preview` found: the co-signature the operation will ask for.

    `needed` False: the operation as given asks for no co-signature (nothing was written either).
    `queued` True: single-operator mode will queue it instead of checking an approval."""

    needed: bool
    kind: str = ""
    payload_sha256: str = ""
    summary: ApprovalSummary | None = None
    queued: bool = False


# --- formatting ------------------------------------------------------------------------------------


def _thousands(text: str) -> str:
    """'5780.00' → '5,780.00' (the digits before the point grouped by three)."""
    sign = "-" if text.startswith("-") else ""
    whole, _, frac = text.lstrip("-").partition(".")
    grouped = f"{int(whole):,}"
    return f"{sign}{grouped}.{frac}" if frac else f"{sign}{grouped}"


def yuan(fen: int) -> str:
    return "￥" + _thousands(format_yuan(int(fen)))


def kwh(ckwh: int) -> str:
    return _thousands(format_kwh(int(ckwh))) + " kWh"


def _line(label_zh: str, label_en: str, value_zh: Any, value_en: Any = None) -> SummaryLine:
    zh = "—" if value_zh is None or value_zh == "" else str(value_zh)
    en = zh if value_en is None else str(value_en)
    return SummaryLine(label_zh, label_en, zh, en)


def _money(label_zh: str, label_en: str, fen: Any) -> SummaryLine:
    return _line(label_zh, label_en, None if fen is None else yuan(fen))


def _energy(label_zh: str, label_en: str, ckwh: Any) -> SummaryLine:
    return _line(label_zh, label_en, None if ckwh is None else kwh(ckwh))


def _listed(values: Any) -> tuple[str, str]:
    items = [str(v) for v in (values or [])]
    return "、".join(items), ", ".join(items)


Summariser = Callable[[Mapping[str, Any]], ApprovalSummary]


# --- one function per approval kind ---------------------------------------------------------------


def _quota_batch(p: Mapping[str, Any]) -> ApprovalSummary:
    buildings_zh, buildings_en = _listed(p.get("buildings"))
    months_zh, months_en = _listed(p.get("months"))
    return ApprovalSummary("quota.approve_batch", "定额送电批次复核", "Free quota batch", (
        _line("批次号", "Batch", p["batch_id"]),
        _line("期间", "Period", p["period"]),
        _line("覆盖月份", "Months", months_zh, months_en),
        _line("楼栋", "Buildings", buildings_zh or None, buildings_en or None),
        _line("房间数", "Rooms", f"{int(p['rooms']):,} 间", f"{int(p['rooms']):,} rooms"),
        _energy("送电总量", "Total energy", p["total_ckwh"]),
    ))  # fmt: skip


def _refund(p: Mapping[str, Any]) -> ApprovalSummary:
    manual = p.get("manual_reading_ckwh")
    lines = [
        _line("账户", "Account", p["account_no"]),
        _money("退款金额", "Refund amount", p["refund_fen"]),
        _energy("可退电量", "Refundable energy", p["refundable_ckwh"]),
        _line("收款人", "Payee", f"{p['payee_name']}（{p['payee_id']}）", f"{p['payee_name']} ({p['payee_id']})"),
        _line("银行卡号", "Bank card", p.get("payee_account") or "无（原渠道退回）",
              p.get("payee_account") or "none (back through the original channel)"),
    ]  # fmt: skip
    if manual is not None:
        lines.append(_energy("手工抄表剩余电量", "Manual meter reading", manual))
    if p.get("reason"):
        lines.append(_line("原因", "Reason", p["reason"]))
    return ApprovalSummary("refund_room", "房间退电（退费审批单）", "Room refund (refund form)", tuple(lines))


def _correction(p: Mapping[str, Any]) -> ApprovalSummary:
    if p.get("amount_fen") is not None:
        new_zh = new_en = yuan(p["amount_fen"])
    elif p.get("energy_ckwh") is not None:
        new_zh = new_en = kwh(p["energy_ckwh"])
    else:
        new_zh, new_en = "按原金额", "the original amount"
    lines = [_line("原凭条", "Receipt", p["receipt_no"])]
    if p.get("original_fen") is not None:
        lines.append(_line("原金额/电量", "Original amount/energy",
                           f"{yuan(p['original_fen'])}，{kwh(p['original_ckwh'])}",
                           f"{yuan(p['original_fen'])}, {kwh(p['original_ckwh'])}"))  # fmt: skip
    lines.append(_line("更正为", "Corrected to", new_zh, new_en))
    lines.append(_line("原账户", "Account", p["from_account"]))
    if p.get("to_account") and p["to_account"] != p["from_account"]:
        lines.append(_line("正确账户（换房间）", "Right account (wrong room)", p["to_account"]))
    lines.append(_line("原因", "Reason", p["reason"]))
    return ApprovalSummary("correction", "更正（作废重开）", "Correction (void and reissue)", tuple(lines))


def _clear(p: Mapping[str, Any]) -> ApprovalSummary:
    return ApprovalSummary("clear.issue", "制作清零卡", "Make a clear card", (
        _line("账户", "Account", p["account_no"]),
        _line("电表", "Meter", p["meter_no"]),
        _line("卡号", "Card", p["card_serial"]),
        _line("原因", "Reason", p["reason"]),
    ))  # fmt: skip


def _override(p: Mapping[str, Any]) -> ApprovalSummary:
    return ApprovalSummary("top_up.override_not_loaded", "放行：上次购电未入表时再次售电",
                           "Override: sell while the previous purchase is not loaded", (
        _line("账户", "Account", p["account_no"]),
        _money("金额", "Amount", p["amount_fen"]),
        _energy("电量", "Energy", p["energy_ckwh"]),
        _energy("并入的未入表电量", "Unloaded energy carried", p["carried_ckwh"]),
        _line("原因", "Reason", p["reason"]),
    ))  # fmt: skip


def _shift_difference(p: Mapping[str, Any]) -> ApprovalSummary:
    difference = int(p["difference_fen"])
    over_zh, over_en = ("长款", "over") if difference > 0 else ("短款", "short")
    return ApprovalSummary("shift.close_difference", "结班现金差额", "Cash difference at the shift close", (
        _line("班次", "Shift", p["shift_id"]),
        _money("实点现金", "Cash counted", p["counted_fen"]),
        _money("应有现金", "Cash expected", p["expected_fen"]),
        _line("差额", "Difference", f"{yuan(abs(difference))} {over_zh}", f"{yuan(abs(difference))} {over_en}"),
        _line("原因", "Reason", p.get("reason")),
    ))  # fmt: skip


def _close_account(p: Mapping[str, Any]) -> ApprovalSummary:
    return ApprovalSummary(
        "account.close", "销户", "Close account", (_line("账户", "Account", p["account_no"]),)
    )


# --- the administrator's powers (counter_app/powers.py POWERS; issue 14) -------------------------

_ROLES_EN = {"cashier": "cashier", "supervisor": "supervisor", "assistant": "assistant", "head": "head",
             "finance": "finance", "admin": "administrator"}  # fmt: skip
_CLASSES_EN = {"dorm": "student dorm", "staff": "staff household", "business": "business"}
_FEES = {
    "card": ("补卡费", "card replacement fee"),
    "heating_rate_per_m2": ("采暖费（每平方米）", "heating (per m²)"),
}


def _role(role: Any) -> tuple[str, str]:
    return ROLE_LABELS.get(str(role), str(role)), _ROLES_EN.get(str(role), str(role))


def _roles(roles: Any) -> tuple[str, str]:
    pairs = [_role(r) for r in roles or []]
    return "、".join(zh for zh, _ in pairs), ", ".join(en for _, en in pairs)


def _moment(text: Any) -> str:
    """An ISO moment of the payload as the Beijing time a person reads ("2026-12-01 00:00")."""
    moment = datetime.fromisoformat(str(text))
    if moment.tzinfo is not None:
        moment = local_moment(moment)
    return moment.strftime("%Y-%m-%d %H:%M")


def _person_line(p: Mapping[str, Any]) -> SummaryLine:
    return _line("登录名", "Login ID", p["name"])


def _operator_add(p: Mapping[str, Any]) -> ApprovalSummary:
    zh, en = _role(p["role"])
    return ApprovalSummary("operator.add", "添加操作员（授予角色）", "Add an operator (grant a role)",
                           (_person_line(p), _line("角色", "Role", zh, en)))  # fmt: skip


def _operator_disable(p: Mapping[str, Any]) -> ApprovalSummary:
    zh, en = _roles(p.get("roles"))
    return ApprovalSummary("operator.disable", "停用操作员", "Disable an operator",
                           (_person_line(p), _line("所任角色", "Roles held", zh or None, en or None)))  # fmt: skip


def _role_revoke(p: Mapping[str, Any]) -> ApprovalSummary:
    zh, en = _role(p["role"])
    return ApprovalSummary("role.revoke", "撤销角色", "Revoke a role",
                           (_person_line(p), _line("撤销的角色", "Role revoked", zh, en)))  # fmt: skip


def _reset_password(p: Mapping[str, Any]) -> ApprovalSummary:
    return ApprovalSummary("operator.reset_password", "重置他人密码", "Reset another person's password",
                           (_person_line(p),))  # fmt: skip


def _appoint(p: Mapping[str, Any]) -> ApprovalSummary:
    return ApprovalSummary("supervisor.appoint", "任命监督人", "Appoint a supervisor", (
        _person_line(p), _line("任期", "Period", f"{p['from']} 至 {p['to']}", f"{p['from']} to {p['to']}"),
    ))  # fmt: skip


def _tariff(p: Mapping[str, Any]) -> ApprovalSummary:
    cls = str(p["cls"])
    price = format_price(int(p["price_e4"]))
    return ApprovalSummary("tariff.set", "设定电价", "Set a tariff", (
        _line("类别", "Class", CLASS_LABELS.get(cls, cls), _CLASSES_EN.get(cls, cls)),
        _line("电价", "Price", f"{price} 元/kWh", f"{price} yuan/kWh"),
        _line("生效时间", "Effective from", _moment(p["from"])),
        _line("依据文件", "Basis document", p["basis"]),
    ))  # fmt: skip


def _fee(p: Mapping[str, Any]) -> ApprovalSummary:
    kind = str(p["kind"])
    zh, en = _FEES.get(kind, (kind, kind))
    return ApprovalSummary("fee.set", "设定收费标准", "Set a fee", (
        _line("收费项目", "Fee", zh, en),
        _money("标准", "Amount", p["fen"]),
        _line("生效时间", "Effective from", _moment(p["from"])),
        _line("依据文件", "Basis document", p["basis"]),
    ))  # fmt: skip


def _workstation(p: Mapping[str, Any]) -> ApprovalSummary:
    return ApprovalSummary("workstation.add", "登记窗口", "Register a workstation", (
        _line("窗口代码", "Workstation", p["code"]), _line("校区", "Campus", p["campus"]),
    ))  # fmt: skip


def _setting(p: Mapping[str, Any]) -> ApprovalSummary:
    """The value in people's units (10.00 元, 15 分钟), as the administrator typed it."""
    key, value = str(p["key"]), p["value"]
    return ApprovalSummary("setting.set", "修改设置", "Change a setting", (
        _line("设置项", "Setting", key),
        _line("新值", "New value", shown_with_unit(key, value), shown_with_unit(key, value, "en")),
    ))  # fmt: skip


_SWITCH_COMMANDS = {
    "trip": ("拉闸（断电）", "trip (power off)"),
    "close": ("合闸（允许送电）", "allow closing (power on)"),
}


def _meter_switch(p: Mapping[str, Any]) -> ApprovalSummary:
    command = str(p["command"])
    zh, en = _SWITCH_COMMANDS.get(command, (command, command))
    return ApprovalSummary("meter.switch", "远程拉闸/合闸", "Remote trip / close", (
        _line("房间", "Room", p["room"]),
        _line("账户", "Account", p["account_no"]),
        _line("命令", "Command", zh, en),
        _line("总线/表地址", "Bus / address", f"{p['bus']} / {p['address']}"),
        _line("原因", "Reason", p["reason"]),
    ))  # fmt: skip


_SUMMARISERS: dict[str, Summariser] = {
    "meter.switch": _meter_switch,
    "quota.approve_batch": _quota_batch,
    "refund_room": _refund,
    "refund_room.manual_reading": _refund,  # the second supervisor signs the same refund
    "correction": _correction,
    "correction.new_sale": _correction,  # the same approval covers both halves of a wrong room
    "clear.issue": _clear,
    "top_up.override_not_loaded": _override,
    "account.close": _close_account,
    "shift.close_difference": _shift_difference,
    "operator.add": _operator_add,
    "operator.disable": _operator_disable,
    "operator.reset_password": _reset_password,
    "role.revoke": _role_revoke,
    "supervisor.appoint": _appoint,
    "tariff.set": _tariff,
    "fee.set": _fee,
    "workstation.add": _workstation,
    "setting.set": _setting,
}

# Labels of payload fields for the kinds without a function of their own.
_FIELD_LABELS: dict[str, tuple[str, str]] = {
    "account_no": ("账户", "Account"), "reason": ("原因", "Reason"), "cls": ("类别", "Class"),
    "new_meter_no": ("新电表", "New meter"), "meter_no": ("电表", "Meter"), "kind": ("种类", "Kind"),
    "intent_id": ("写卡编号", "Card-write id"), "period": ("期间", "Period"), "key": ("设置项", "Setting"),
    "value": ("新值", "New value"), "electrician": ("电工", "Electrician"), "evidence": ("证据", "Evidence"),
    "discovered_on": ("发现日期", "Discovered on"), "days": ("天数", "Days"), "sheet_no": ("交账单", "Sheet"),
    "slip_no": ("缴款单号", "Slip"), "tender": ("支付方式", "Tender"), "shift_ids": ("班次", "Shifts"),
    "amount_fen": ("缴款金额", "Slip amount"), "expected_fen": ("应缴金额", "Expected"),
    "difference_fen": ("差额", "Difference"), "period_from": ("期间起", "From"), "period_to": ("期间止", "To"),
    "match_by": ("核对方式", "Matched by"), "file_sha256": ("文件摘要", "File digest"),
    "ledger_fen": ("账面金额", "Ledger"), "statement_fen": ("对账单金额", "Statement"),
    "differences": ("差异条数", "Differences"),
    "item_code": ("项目编号", "Item code"), "name": ("名称", "Name"), "unit": ("单位", "Unit"),
    "price_fen": ("价格", "Price"), "valid_from": ("生效日期", "Valid from"), "basis": ("依据", "Basis"),
    "buildings": ("楼栋数", "Buildings"), "counter_fen": ("柜台收费", "Counter takings"),
    "k3_fen": ("K3 收入", "K3 takings"),
    "room": ("房间", "Room"), "repair_move_id": ("维修记录", "Repair log entry"),
    "reading_before_ckwh": ("期前读数", "Reading before"), "reading_after_ckwh": ("期后读数", "Reading after"),
    "period_no": ("第几次", "Period"), "method": ("电量来源", "Energy from"),
    "module_replaced": ("更换模块", "Module replaced"), "new_start_ckwh": ("新模块起始读数", "New module start"),
    "new_module_ckwh": ("新模块计量", "Counted by the new module"), "estimate_ckwh": ("估算电量", "Estimate"),
    "estimate_basis": ("估算依据", "Estimate basis"), "energy_ckwh": ("期间电量", "Energy in the period"),
    "price_e4": ("电价(0.0001元)", "Price (0.0001 yuan)"), "balance_ckwh": ("当时余额", "Balance then"),
    "covered_ckwh": ("余额抵扣", "Covered by the balance"), "shortfall_fen": ("补交电费", "Shortfall"),
}  # fmt: skip

_TITLES: dict[str, tuple[str, str]] = {
    "account.confirm_class": ("确认账户类别", "Confirm the account class"),
    "account.replace_meter": ("换表补电", "Replace the meter"),
    "card.issue_tool_card": ("制作工具卡", "Make a tool card"),
    "intent.suspense": ("转挂账", "Move to suspense"),
    "intent.roll_forward": ("挂账处理：补写入账", "Suspense: write to the card"),
    "intent.refund": ("挂账处理：开退费审批单", "Suspense: refund form"),
    "back_charge": ("违规用电追补", "Back charge"),
    "setting.set": ("修改设置", "Change a setting"),
    "deposit.difference": ("缴款单金额与班次收入不符", "Deposit slip differs from the shifts' takings"),
    "tender_match.sign": ("对账核对签字（一卡通/微信/支付宝）", "Tender statement match sign-off"),
    "four_party.sign": ("四方对账签字冻结", "Sign and freeze the four-party reconciliation"),
    "repair.price": ("维修项目收费标准", "Repair price"),
    "software_control.begin": (
        "软件控制：保持供电（暂停余额控制）",
        "Software control: keep power on (balance not enforced)",
    ),
    "software_control.end": ("结束软件控制并补交所差电费", "End software control; back-charge the shortfall"),
}


def _generic(kind: str, p: Mapping[str, Any]) -> ApprovalSummary:
    lines = []
    for key in sorted(p):
        value = p[key]
        if key.endswith("_sha256") or isinstance(value, (dict, list)) and not value:
            continue
        label_zh, label_en = _FIELD_LABELS.get(key, (key, key))
        if key.endswith("_fen") and isinstance(value, int):
            lines.append(_money(label_zh, label_en, value))
        elif key.endswith("_ckwh") and isinstance(value, int):
            lines.append(_energy(label_zh, label_en, value))
        elif isinstance(value, (dict, list)):
            lines.append(_line(label_zh, label_en, canonical_json(value).decode()))
        else:
            lines.append(_line(label_zh, label_en, value))
    title_zh, title_en = _TITLES.get(kind, (kind, kind))
    return ApprovalSummary(kind, title_zh, title_en, tuple(lines))


def summarise(kind: str, payload: Mapping[str, Any]) -> ApprovalSummary:
    """The words for exactly `payload` (normalised as it is hashed: dates as ISO text)."""
    bound = normalise(dict(payload))
    summariser = _SUMMARISERS.get(kind)
    if summariser is not None:
        try:
            return summariser(bound)
        except (KeyError, TypeError, ValueError):  # a payload of another shape: show every field instead
            pass
    return _generic(kind, bound)


# --- preview: run an operation up to its co-signature ---------------------------------------------

_PREVIEWING: contextvars.ContextVar[bool] = contextvars.ContextVar("approval_previewing", default=False)


class ApprovalPreviewReached(Exception):  # noqa: N818  (a signal, not an error: never reaches a person)
    """Raised by `OpContext.approve` while previewing: the operation got to its co-signature."""

    def __init__(self, preview: ApprovalPreview) -> None:
        super().__init__(preview.kind)
        self.preview = preview


class PreviewWouldWrite(Exception):  # noqa: N818
    """Raised by `OpContext.uow` while previewing, before a commit: the operation needs no
    co-signature and would have written; it is rolled back instead."""


def previewing() -> bool:
    return _PREVIEWING.get()


@contextmanager
def preview_mode() -> Iterator[None]:
    token = _PREVIEWING.set(True)
    try:
        yield
    finally:
        _PREVIEWING.reset(token)
