"""Reading and switching a networked account's meter module over its bus (issue 17 §2).

The bus of an account is its metering row's bus name; the port behind a name is the setting
`meter_bus.ports` ({name: URL}). A development database may point a bus at the simulator
(hardware/sim/meter_bus.py, socket://127.0.0.1:…); a production database refuses a local or loop
URL like it refuses simulated card readers (SIMULATION_REFUSED).

No transaction is held across the bus: a read checks and resolves in one short transaction, talks
to the bus, then records in another. A switch is co-signed (approval kind `meter.switch`) and its
request committed with outcome "unknown" before any byte goes out; the answer is a new row. A crash
in between leaves the request "unknown" until a later read of the relay (or a person) resolves it.

Every call reaches the bus through the counter's one driver per port (counter_app/meter_buses.py),
the same one the scheduled rounds use (counter_app/meter_polling.py): the port is never opened twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy.orm import Session as DbSession

from base import crashpoints
from base.errors import DeviceOffline, InputInvalid, MeterRefused, SimulationRefused
from base.validation import REASON_MAX_LEN, checked_text
from counter_app.approvals import Approval
from counter_app.context import OpContext
from counter_app.ops.area import SessionArea
from counter_app.ops.common import add_audited, get_account
from db.models import Account, AccountMetering, MeterSwitch, RemoteMeterReading, Room
from db.models.metering import SWITCH_COMMANDS
from db.queries.metering import current_metering, open_switches, recent_readings, switch_history
from hardware.meter_bus import MeterBus

METER_READERS = ("cashier", "supervisor", "assistant", "head")
METER_SWITCHERS = ("cashier", "supervisor", "assistant", "head")
SWITCH_SIGNERS = ("supervisor",)  # 监督人
_LOCAL_HOSTS = ("127.", "localhost", "[::1]", "::1")
T = TypeVar("T")


@dataclass(frozen=True)
class RemoteReading:
    id: int
    account_no: str
    bus: str
    address: str
    energy_ckwh: int | None
    relay_closed: bool | None
    read_at: datetime
    source: str  # scheduled | manual
    outcome: str  # ok | unanswered
    detail: str | None


@dataclass(frozen=True)
class SwitchRecord:
    """A switch request and its outcome now (the newest row resolving it)."""

    id: int
    account_no: str
    bus: str
    address: str
    command: str  # trip | close
    asked_at: datetime
    outcome: str  # done | refused | unknown
    answered_at: datetime | None
    approval_id: int | None
    reason: str | None
    detail: str | None


@dataclass(frozen=True)
class BusTarget:
    account_id: int
    account_no: str
    room_code: str
    bus: str
    address: str
    protocol: str
    url: str
    operator_code: str  # DL/T 645 C0..C3, 8 hex digits (the password is the keystore's)


# --- which bus, which port ----------------------------------------------------------------------


def is_simulator_url(url: str) -> bool:
    """A port only a simulator serves: loop://, or a socket on this PC."""
    lowered = url.strip().lower()
    if lowered.startswith("loop://"):
        return True
    if lowered.startswith(("socket://", "rfc2217://")):
        host = lowered.split("://", 1)[1]
        return host.startswith(_LOCAL_HOSTS)
    return False


def target_for(ctx: OpContext, s: DbSession, account: Account) -> BusTarget:
    row = current_metering(s, account.id)
    if row is None or row.mode != "networked" or row.bus is None or row.address is None:
        raise InputInvalid(f"账户 {account.account_no} 不是联网计量", field="account_no",
                           detail_en=f"account {account.account_no} is not metered by a networked module")  # fmt: skip
    return target_of_row(ctx, s, account, row)


def target_of_row(ctx: OpContext, s: DbSession, account: Account, row: AccountMetering) -> BusTarget:
    assert row.bus is not None and row.address is not None and row.protocol is not None
    url = ctx.setting(s, "meter_bus.ports").get(row.bus)
    if not url:
        raise InputInvalid(f"总线 {row.bus} 未配置端口（设置 meter_bus.ports）", field="bus",
                           detail_en=f"bus {row.bus} has no port (setting meter_bus.ports)",
                           data={"bus": row.bus})  # fmt: skip
    if is_simulator_url(url) and not ctx.dev_database:
        raise SimulationRefused(
            f"总线 {row.bus}：{url}", detail_en=f"bus {row.bus} points at a simulator: {url}"
        )
    room = s.get(Room, account.room_id)
    return BusTarget(account.id, account.account_no, room.room_code if room else "", row.bus, row.address,
                     row.protocol, url, ctx.setting(s, "meter_bus.dlt645_operator_code"))  # fmt: skip


def bus_of(ctx: OpContext, target: BusTarget, password: bytes | None = None) -> MeterBus:
    """The counter's one driver of the target's port (counter_app/meter_buses.py): the page, the
    rules and the scheduled rounds share it, so the port is opened once and owned by one thread.
    For DL/T 645 with the operator code and the remote-control password from the keystore when it
    is set (a read needs none; a switch asks `_password` first: KEY_MISSING when it is not set). A
    changed password or operator code gives the port a new driver."""
    options: dict[str, Any] = {}
    if target.protocol == "dlt645":
        options["operator"] = bytes.fromhex(target.operator_code)
        secret = password if password is not None else ctx.keys.device_secret("dlt645_password")
        if secret is not None:
            options["password"] = secret
    return ctx.devices.meter_buses.driver(target.url, target.protocol, **options)


def _password(ctx: OpContext, target: BusTarget) -> bytes | None:
    """The DL/T 645 remote-control password (keystore `dlt645_password`): KEY_MISSING when it is
    not set, before any switch request is recorded or sent."""
    if target.protocol != "dlt645":
        return None
    return ctx.keys.require_device_secret("dlt645_password")


def _on_bus(ctx: OpContext, target: BusTarget, work: Callable[[MeterBus], T], password: bytes | None = None) -> T:
    """`work` on the bus's shared driver (no transaction is open while this runs)."""
    return work(bus_of(ctx, target, password))


# --- reading --------------------------------------------------------------------------------------


def _reading(account_no: str, row: RemoteMeterReading) -> RemoteReading:
    return RemoteReading(row.id, account_no, row.bus, row.address, row.energy_ckwh, row.relay_closed,
                         row.read_at, row.source, row.outcome, row.detail)  # fmt: skip


def _switch(account_no: str, request: MeterSwitch, last: MeterSwitch | None) -> SwitchRecord:
    now = last or request
    return SwitchRecord(request.id, account_no, request.bus, request.address, request.command, request.at,
                        now.outcome, now.at if last is not None else None, request.approval_id,
                        request.reason, now.detail)  # fmt: skip


def read_meter(ctx: OpContext, *, account_no: str, source: str = "manual") -> RemoteReading:
    """Read energy and relay now, record the reading (unanswered too), and resolve any switch of
    this room left "unknown" by what the relay shows."""
    with ctx.reading() as s:
        ctx.require_role(s, *METER_READERS)
        target = target_for(ctx, s, get_account(s, account_no))

    def work(bus: MeterBus) -> tuple[int, bool]:
        return bus.read_energy(target.address), bus.read_relay(target.address)

    energy: int | None = None
    relay: bool | None = None
    outcome, detail = "ok", None
    try:
        energy, relay = _on_bus(ctx, target, work)
    except (DeviceOffline, MeterRefused) as exc:
        outcome, detail = "unanswered", f"{exc.code}: {exc.data.get('reason') or exc.data.get('error')}"
    return record_reading(
        ctx, target, energy=energy, relay=relay, outcome=outcome, detail=detail, source=source
    )


def record_reading(
    ctx: OpContext, target: BusTarget, *, energy: int | None, relay: bool | None, outcome: str,
    detail: str | None, source: str,
) -> RemoteReading:  # fmt: skip
    """One reading (or that the meter did not answer), insert-only and audited, in its own short
    transaction after the bus was talked to; a relay read resolves the room's unknown switches."""
    with ctx.uow() as s:
        row = RemoteMeterReading(
            account_id=target.account_id, bus=target.bus, address=target.address, energy_ckwh=energy,
            relay_closed=relay, read_at=ctx.now(), source=source, outcome=outcome, detail=detail,
            operator_id=ctx.operator_id if source == "manual" else None, workstation_id=ctx.workstation_id,
        )  # fmt: skip
        add_audited(ctx, s, row, "meter.read", account_no=target.account_no, bus=target.bus,
                    address=target.address, energy_ckwh=energy, relay_closed=relay, outcome=outcome)  # fmt: skip
        if relay is not None:
            _resolve_by_relay(ctx, s, target, relay)
        return _reading(target.account_no, row)


def _resolve_by_relay(ctx: OpContext, s: DbSession, target: BusTarget, relay_closed: bool) -> None:
    """Every unknown switch of this room: the relay as read says whether the meter acted."""
    for request in open_switches(s, target.account_id):
        acted = relay_closed == (request.command == "close")
        _record_outcome(ctx, s, target, request, "done" if acted else "refused",
                        f"relay read {'closed' if relay_closed else 'open'}")  # fmt: skip


def _record_outcome(
    ctx: OpContext, s: DbSession, target: BusTarget, request: MeterSwitch, outcome: str, detail: str | None,
    *, reason: str | None = None,
) -> MeterSwitch:  # fmt: skip
    row = MeterSwitch(
        account_id=request.account_id, resolves_id=request.id, bus=request.bus, address=request.address,
        command=request.command, outcome=outcome, at=ctx.now(), operator_id=ctx.operator_id,
        workstation_id=ctx.workstation_id, reason=reason, detail=detail,
    )  # fmt: skip
    return add_audited(ctx, s, row, "meter.switch_outcome", account_no=target.account_no, switch_id=request.id,
                       command=request.command, outcome=outcome)  # fmt: skip


# --- switching ------------------------------------------------------------------------------------


def switch_meter(
    ctx: OpContext, *, account_no: str, command: str, reason: str, approval: Approval | None
) -> SwitchRecord:
    """Trip or allow closing a room's relay, co-signed by a 监督人; recorded before and after."""
    if command not in SWITCH_COMMANDS:
        raise InputInvalid(f"开关命令 {command!r}", detail_en=f"switch command {command!r}", field="command")
    reason = checked_text(reason, field="reason", label="原因", max_len=REASON_MAX_LEN)
    with ctx.uow() as s:
        ctx.require_role(s, *METER_SWITCHERS)
        target = target_for(ctx, s, get_account(s, account_no))
        _password(ctx, target)  # KEY_MISSING before anyone co-signs what could not be sent
        payload = {"account_no": target.account_no, "room": target.room_code, "bus": target.bus,
                   "address": target.address, "command": command, "reason": reason}  # fmt: skip
        approval_id = ctx.approve(s, approval, kind="meter.switch", payload=payload, reason=reason,
                                  allowed_roles=SWITCH_SIGNERS)  # fmt: skip
        request = request_switch(ctx, s, target, command, reason, approval_id)
        request_id = request.id
    return send_switch(ctx, target, request_id)


def request_switch(
    ctx: OpContext, s: DbSession, target: BusTarget, command: str, reason: str | None, approval_id: int | None
) -> MeterSwitch:
    _password(ctx, target)  # no request is recorded that could not be sent
    row = MeterSwitch(
        account_id=target.account_id, bus=target.bus, address=target.address, command=command,
        outcome="unknown", at=ctx.now(), operator_id=ctx.operator_id, workstation_id=ctx.workstation_id,
        approval_id=approval_id, reason=reason, detail="requested",
    )  # fmt: skip
    return add_audited(ctx, s, row, "meter.switch", account_no=target.account_no, bus=target.bus,
                       address=target.address, command=command, approval_id=approval_id)  # fmt: skip


def send_switch(ctx: OpContext, target: BusTarget, request_id: int) -> SwitchRecord:
    """The committed request goes out; its answer is recorded in a new transaction."""
    with ctx.reading() as s:
        command = s.get(MeterSwitch, request_id).command  # type: ignore[union-attr]
    password = _password(ctx, target)
    crashpoints.crash_point("meter_switch_requested")  # request committed, nothing sent
    outcome, detail = "done", None
    try:
        _on_bus(ctx, target, lambda bus: bus.switch(target.address, command), password)  # type: ignore[arg-type]
    except MeterRefused as exc:
        outcome, detail = "refused", f"error {exc.data.get('error')}"
    except DeviceOffline as exc:
        outcome, detail = (
            ("unknown", f"no answer ({exc.data.get('reason')})")
            if exc.data.get("outcome") == "unknown"
            else ("refused", f"not sent ({exc.data.get('reason')})")
        )
    crashpoints.crash_point("meter_switch_answered")  # the meter acted, nothing recorded yet
    with ctx.uow() as s:
        request = s.get(MeterSwitch, request_id)
        assert request is not None
        last = _record_outcome(ctx, s, target, request, outcome, detail)
        return _switch(target.account_no, request, last)


def resolve_meter_switch(ctx: OpContext, *, switch_id: int, outcome: str, reason: str) -> SwitchRecord:
    """A person's finding (the electrician saw the relay) on a switch left "unknown"."""
    if outcome not in ("done", "refused"):
        raise InputInvalid(f"结果 {outcome!r}", detail_en=f"outcome {outcome!r}", field="outcome")
    reason = checked_text(reason, field="reason", label="原因", max_len=REASON_MAX_LEN)
    with ctx.uow() as s:
        ctx.require_role(s, *METER_SWITCHERS)
        request = s.get(MeterSwitch, int(switch_id))
        if request is None or request.resolves_id is not None:
            raise InputInvalid(f"开关记录 {switch_id}", detail_en=f"switch {switch_id}", field="switch_id")
        account = s.get(Account, request.account_id)
        assert account is not None
        if request.id not in {r.id for r in open_switches(s, account.id)}:
            raise InputInvalid(f"开关记录 {switch_id} 结果已明确", field="switch_id",
                               detail_en=f"switch {switch_id} already has an outcome")  # fmt: skip
        target = BusTarget(account.id, account.account_no, "", request.bus, request.address, "", "", "00000000")
        last = _record_outcome(ctx, s, target, request, outcome, "resolved by hand", reason=reason)
        return _switch(account.account_no, request, last)


# --- what the screen shows --------------------------------------------------------------------


def meter_readings(ctx: OpContext, *, account_no: str, limit: int = 20) -> list[RemoteReading]:
    with ctx.reading() as s:
        ctx.require_role(s, *METER_READERS)
        account = get_account(s, account_no)
        return [_reading(account.account_no, r) for r in recent_readings(s, account.id, limit=limit)]


def meter_switches(ctx: OpContext, *, account_no: str, limit: int = 20) -> list[SwitchRecord]:
    with ctx.reading() as s:
        ctx.require_role(s, *METER_READERS)
        account = get_account(s, account_no)
        return [_switch(account.account_no, request, last)
                for request, last in switch_history(s, account.id, limit=limit)]  # fmt: skip


class NetworkedOps(SessionArea):
    """Facade mixin (counter_app/session.py)."""

    def switch_meter(
        self, *, account_no: str, command: str, reason: str, approval: Approval | None = None
    ) -> SwitchRecord:
        return switch_meter(
            self.ctx, account_no=account_no, command=command, reason=reason, approval=approval
        )

    def resolve_meter_switch(self, *, switch_id: int, outcome: str, reason: str) -> SwitchRecord:
        return resolve_meter_switch(self.ctx, switch_id=switch_id, outcome=outcome, reason=reason)

    def meter_readings(self, *, account_no: str, limit: int = 20) -> list[RemoteReading]:
        return meter_readings(self.ctx, account_no=account_no, limit=limit)

    def meter_switches(self, *, account_no: str, limit: int = 20) -> list[SwitchRecord]:
        return meter_switches(self.ctx, account_no=account_no, limit=limit)
