"""The narrow, typed surface the UI needs from `counter_app.api` (../shared/API.md).

Each page depends on one small Protocol below rather than on a concrete class, so the facade (or
the temporary fake in tests/ui/fake_counter.py) can be swapped without touching a page. Calls the
UI needs that API.md does not list yet are reached through the `optional_*` adapters: they return
None / [] when the facade lacks them, and the page says "not available yet" instead of crashing.
Everything here is Qt-free on purpose.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from counter_app.results import AccountInfo, CardInfo, IntentInfo, Quote, SaleResult, ShiftInfo


class SaleSession(Protocol):
    def read_card(self) -> CardInfo: ...
    def find_account(
        self, *, room_code: str | None = None, account_no: str | None = None, meter_no: str | None = None
    ) -> AccountInfo: ...
    def quote(
        self, account_no: str, amount_fen: int | None = None, energy_ckwh: int | None = None
    ) -> Quote: ...
    def top_up(
        self,
        account_no: str,
        amount_fen: int | None = None,
        energy_ckwh: int | None = None,
        tender: str = "cash",
        tendered_fen: int | None = None,
        reference: str | None = None,
        override_reason: str | None = None,
        approval: Any = None,
    ) -> SaleResult: ...
    def collect_free(self, account_no: str) -> SaleResult: ...


class ShiftSession(Protocol):
    def open_shift(self, *, float_fen: int, supervisor: str | None = None) -> ShiftInfo: ...
    def x_report(self) -> Any: ...
    def close_shift(
        self, *, counted: dict[int, int], difference_reason: str | None = None, approval: Any = None
    ) -> Any: ...


class IntentSession(Protocol):
    def open_intents(self) -> list[IntentInfo]: ...


class SettingsSession(Protocol):
    def get_setting(self, key: str) -> Any: ...
    def set_setting(self, key: str, value: Any, approval: Any = None) -> Any: ...


class Counter(Protocol):
    def login(self, name: str, password: str) -> Any: ...
    def close(self) -> None: ...


# --- not in API.md yet: adapters -------------------------------------------------------------------


@dataclass(frozen=True)
class DeviceStatus:
    """What the status bar shows. Filled from `counter.device_status()` once the facade has it."""

    reader: str  # ok | offline | unknown
    printer: str  # ok | offline | unknown
    paper: str  # ok | out | unknown
    port: str  # e.g. "COM3 / COM4" or "sim"
    queued_receipts: int = 0


def optional_device_status(counter: Any) -> DeviceStatus:
    fn = getattr(counter, "device_status", None)
    if fn is None:
        return DeviceStatus("unknown", "unknown", "unknown", "—")
    raw = fn()
    return (
        raw
        if isinstance(raw, DeviceStatus)
        else DeviceStatus(
            **{
                k: getattr(raw, k)
                for k in ("reader", "printer", "paper", "port", "queued_receipts")
                if hasattr(raw, k)
            }
        )
    )


def optional_call(target: Any, name: str) -> Callable[..., Any] | None:
    """`target.name` when the facade offers it (reprint_receipt, list_rooms, morning_list, …)."""
    return getattr(target, name, None)


def session_name(session: Any) -> str:
    return str(getattr(session, "name", "") or getattr(session, "operator", "") or "")


def session_role(session: Any) -> str:
    return str(getattr(session, "role", "") or "cashier")


def is_simulated(counter: Any) -> bool:
    """`counter.sim` exists only with simulate=True (API.md); AttributeError otherwise."""
    try:
        counter.sim  # noqa: B018 — the attribute's presence is the answer
    except AttributeError:
        return False
    return True
