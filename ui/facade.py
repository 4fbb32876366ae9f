"""The narrow, typed surface the UI needs from `counter_app.api` (../shared/API.md and the additions
listed in docs/api.md).

Each page depends on one small Protocol below rather than on a concrete class. Everything here is
Qt-free on purpose; anything that touches the database or a device runs on the worker (ui/ops.py).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any, Protocol

from counter_app.device_status import DeviceState, DeviceStatus
from counter_app.results import AccountInfo, CardInfo, IntentInfo, Quote, SaleResult, ShiftInfo

__all__ = ["DeviceState", "DeviceStatus"]


class SaleSession(Protocol):
    def read_card(self) -> CardInfo: ...
    def find_account(
        self, *, room_code: str | None = None, account_no: str | None = None, meter_no: str | None = None
    ) -> AccountInfo: ...
    def quote(
        self, *, account_no: str, amount_fen: int | None = None, energy_ckwh: int | None = None
    ) -> Quote: ...
    def top_up(
        self,
        *,
        account_no: str,
        amount_fen: int | None = None,
        energy_ckwh: int | None = None,
        tender: str = "cash",
        tendered_fen: int | None = None,
        reference: str | None = None,
        override_reason: str | None = None,
        approval: Any = None,
    ) -> SaleResult: ...
    def collect_free(self, *, account_no: str) -> SaleResult: ...
    def reprint_receipt(self, *, receipt_no: str) -> int: ...


class ShiftSession(Protocol):
    def open_shift(self, *, float_fen: int, supervisor: str | None = None) -> ShiftInfo: ...
    def x_report(self) -> Any: ...
    def close_shift(
        self, *, counted: dict[int, int], difference_reason: str | None = None, approval: Any = None
    ) -> Any: ...


class IntentSession(Protocol):
    def open_intents(self) -> list[IntentInfo]: ...


class Counter(Protocol):
    def login(self, name: str, password: str) -> Any: ...
    def device_status(self) -> DeviceStatus: ...
    def test_print(self) -> DeviceState: ...
    def close(self) -> None: ...


def optional_call(target: Any, name: str) -> Callable[..., Any] | None:
    """`target.name` when the facade offers it; None otherwise (the page says what is missing)."""
    return getattr(target, name, None)


# --- who is logged in ------------------------------------------------------------------------------
# Roles decide which pages show. `Session.roles` holds standing roles only; a 监督人 is often a
# cashier appointed for a period, which `roles_today()` knows (a database read). The read happens on
# the worker right after login and is remembered here, so the GUI thread never touches the database.
_ROLES: weakref.WeakKeyDictionary[Any, frozenset[str]] = weakref.WeakKeyDictionary()
PRIMARY_ORDER = ("admin", "supervisor", "cashier", "head", "assistant", "finance")


def login_with_roles(counter: Any, name: str, password: str) -> Any:
    """On the worker: log in and learn today's roles (AUTH_FAILED / LOCKED as the facade raises)."""
    session = counter.login(name, password)
    today = optional_call(session, "roles_today")
    _ROLES[session] = frozenset(today() if today else getattr(session, "roles", ()))
    return session


def session_roles(session: Any) -> frozenset[str]:
    try:
        known = _ROLES.get(session)
    except TypeError:  # not weak-referenceable: fall back to what the object says
        known = None
    return known if known is not None else frozenset(getattr(session, "roles", ()) or ())


def session_role(session: Any) -> str:
    """The role that decides the layout: admin and finance see their own pages; a 监督人 sells and
    also sees the morning list."""
    roles = session_roles(session)
    return next((role for role in PRIMARY_ORDER if role in roles), "cashier")


def session_name(session: Any) -> str:
    return str(getattr(session, "name", "") or "")


def is_simulated(counter: Any) -> bool:
    """`counter.sim` exists only with simulate=True (API.md); AttributeError otherwise."""
    try:
        counter.sim  # noqa: B018 — the attribute's presence is the answer
    except AttributeError:
        return False
    return True
