"""The printed calculation of a back-charge for software control (补交电费计算单), apart from
software_control.py so that the theft back-charge's `back_charge_calculation` and the payment
receipt can print it without importing the sale (no import cycle)."""

from __future__ import annotations

from datetime import datetime

from base.clock import BUSINESS_TZ
from base.money import format_kwh, format_price, format_yuan
from db.models.notices import Notice

BASIS = "software_control"  # the notice's data.basis (kept for the printed calculation)
KIND = "software_control"  # the notice kind (db.models.notices.NOTICE_KINDS): never the theft `back_charge`
NOTICE_TITLE = "补交电费"


def is_software_control_notice(notice: Notice) -> bool:
    return notice.kind == KIND


def _local(iso: str | None) -> str:
    """A stored UTC moment as Beijing time, to the minute."""
    return datetime.fromisoformat(iso).astimezone(BUSINESS_TZ).strftime("%Y-%m-%d %H:%M") if iso else ""


def _source(d: dict) -> str:  # type: ignore[type-arg]
    if d.get("method") == "readings":
        return (f"电量（同一模块读数）：{format_kwh(d['reading_after_ckwh'])} − {format_kwh(d['reading_before_ckwh'])}"
                f" = {format_kwh(d['energy_ckwh'])} kWh")  # fmt: skip
    text = f"电量（估算，{d.get('estimate_basis', '')}）：{format_kwh(d.get('estimate_ckwh') or 0)} kWh"
    if d.get("module_replaced"):
        text += (f" + 新模块计量 {format_kwh(d['reading_after_ckwh'])} − {format_kwh(d['new_start_ckwh'] or 0)}"
                 f" = {format_kwh(d['energy_ckwh'])} kWh")  # fmt: skip
    return text


def calculation_text(notice: Notice) -> str:
    """补交电费计算单: the period, the energy and where it came from, the price, what the balance
    covered and the shortfall. The word 罚款 never appears."""
    d = notice.data or {}
    return "\n".join([
        f"{NOTICE_TITLE}计算单（软件控制期间用电）",
        f"通知单号：{notice.notice_no}    户号：{d.get('account_no', '')}    房间：{d.get('room', '')}",
        f"软件控制：{_local(d.get('begun_at'))} 至 {_local(d.get('ended_at'))}（第 {d.get('period_no', '')} 次）",
        _source(d),
        f"电价（结束时执行）：{format_price(d.get('price_e4', 0))} 元/kWh",
        f"当时账户余额：{format_kwh(d.get('balance_ckwh', 0))} kWh，已抵扣 {format_kwh(d.get('covered_ckwh', 0))} kWh",
        f"所差电量：{format_kwh(d.get('energy_ckwh', 0) - d.get('covered_ckwh', 0))} kWh × "
        f"{format_price(d.get('price_e4', 0))} 元/kWh",
        f"补交电费：{format_yuan(notice.amount_fen)} 元（四舍五入到分）",
    ])  # fmt: skip
