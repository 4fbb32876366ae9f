"""How an account is metered (issue 17 §1): by card, or by a networked meter module on an RS-485
bus (a bus name, the module's address there, its protocol).

Only the declaration lives here: who set which metering when (insert-only, audited rows,
db/models/metering.py). What follows from it is refused until it is built: a networked account is
not sold to by card (`require_card_metering`, called by the card sale), and the networked sale
(a ledger sale with no card write, balance = paid − read × price) is the next step (docs/api.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session as DbSession

from base.errors import InputInvalid
from base.validation import REASON_MAX_LEN, optional_checked_text
from counter_app.context import OpContext
from counter_app.ops.area import SessionArea
from counter_app.ops.common import add_audited, get_account
from db.models import Account, AccountMetering
from db.models.metering import BUS_NAME_LENGTH, BUS_PROTOCOLS, METERING_MODES
from db.queries.metering import current_metering, networked_accounts
from hardware.meter_bus import PROTOCOLS, Dlt645Bus, ModbusRtuBus

METERING_SETTERS = ("head", "assistant")  # a change of how a room is billed: the department's people
METERING_READERS = ("cashier", "supervisor", "assistant", "head", "finance", "admin")
_ADDRESS_RULES = {"dlt645": Dlt645Bus.is_address, "modbus": ModbusRtuBus.is_address}
assert set(PROTOCOLS) == set(BUS_PROTOCOLS) == set(_ADDRESS_RULES)  # db's copy of the list


@dataclass(frozen=True)
class Metering:
    """An account's metering in force. `since` is None for a card account never set otherwise."""

    account_no: str
    mode: str  # card | networked
    bus: str | None
    address: str | None
    protocol: str | None
    since: datetime | None


def _result(account: Account, row: AccountMetering | None) -> Metering:
    if row is None:
        return Metering(account.account_no, "card", None, None, None, None)
    return Metering(account.account_no, row.mode, row.bus, row.address, row.protocol, row.at)


def _checked(
    mode: Any, bus: Any, address: Any, protocol: Any
) -> tuple[str, str | None, str | None, str | None]:
    if mode not in METERING_MODES:
        raise InputInvalid(f"计量方式 {mode!r}", detail_en=f"metering mode {mode!r}", field="mode")
    if mode == "card":
        if bus is not None or address is not None or protocol is not None:
            raise InputInvalid("插卡计量不用总线", detail_en="card metering takes no bus", field="bus")
        return "card", None, None, None
    if protocol not in BUS_PROTOCOLS:
        raise InputInvalid(f"协议 {protocol!r}", detail_en=f"bus protocol {protocol!r}", field="protocol")
    if (
        not isinstance(bus, str)
        or not bus.strip()
        or len(bus.strip()) > BUS_NAME_LENGTH
        or not bus.isprintable()
    ):
        raise InputInvalid(f"总线 {bus!r}", detail_en=f"bus name {bus!r}", field="bus")
    if not isinstance(address, str) or not _ADDRESS_RULES[protocol](address):
        raise InputInvalid(
            f"表地址 {address!r}", detail_en=f"{protocol} address {address!r}", field="address"
        )
    return "networked", bus.strip(), address, protocol


def set_metering(
    ctx: OpContext, *, account_no: str, mode: str, bus: str | None, address: str | None,
    protocol: str | None, reason: str | None,
) -> Metering:  # fmt: skip
    mode, bus, address, protocol = _checked(mode, bus, address, protocol)
    reason = optional_checked_text(reason, field="reason", label="原因", max_len=REASON_MAX_LEN)
    with ctx.uow() as s:
        ctx.require_role(s, *METERING_SETTERS)
        account = get_account(s, account_no)
        if account.status == "closed":
            raise InputInvalid(
                f"账户 {account.account_no} 已销户", detail_en="closed account", field="account_no"
            )
        if bus is not None and address is not None:  # networked
            _require_address_free(s, account, bus, address)
        current = _result(account, current_metering(s, account.id))
        if (current.mode, current.bus, current.address, current.protocol) == (mode, bus, address, protocol):
            return current  # nothing changes: no row, no audit entry
        row = AccountMetering(
            account_id=account.id, mode=mode, bus=bus, address=address, protocol=protocol, at=ctx.now(),
            operator_id=ctx.operator_id, workstation_id=ctx.workstation_id, reason=reason,
        )  # fmt: skip
        add_audited(ctx, s, row, "account.metering_set", account_no=account.account_no, mode=mode,
                    bus=bus, address=address, protocol=protocol)  # fmt: skip
        return _result(account, row)


def _require_address_free(s: DbSession, account: Account, bus: str, address: str) -> None:
    """One live account per module on a bus."""
    for other, row in networked_accounts(s, bus=bus):
        if row.address == address and other.id != account.id:
            raise InputInvalid(f"总线 {bus} 地址 {address} 已属于账户 {other.account_no}", field="address",
                               detail_en=f"{address} on {bus} belongs to {other.account_no}",
                               data={"account_no": other.account_no})  # fmt: skip


def metering(ctx: OpContext, *, account_no: str) -> Metering:
    with ctx.reading() as s:
        ctx.require_role(s, *METERING_READERS)
        account = get_account(s, account_no)
        return _result(account, current_metering(s, account.id))


def require_card_metering(s: DbSession, account: Account) -> None:
    """The card sale's check: a networked account's energy is not sold onto a card."""
    row = current_metering(s, account.id)
    if row is not None and row.mode != "card":
        raise InputInvalid(
            f"账户 {account.account_no} 为联网计量（远程模块），不能写卡售电",
            detail_en=f"account {account.account_no} is metered by a networked module: no card sale",
            field="account_no",
            data={"metering": row.mode, "bus": row.bus, "address": row.address},
        )


class MeteringOps(SessionArea):
    """Facade mixin (counter_app/session.py)."""

    def set_metering(
        self, *, account_no: str, mode: str, bus: str | None = None, address: str | None = None,
        protocol: str | None = None, reason: str | None = None,
    ) -> Metering:  # fmt: skip
        return set_metering(self.ctx, account_no=account_no, mode=mode, bus=bus, address=address,
                            protocol=protocol, reason=reason)  # fmt: skip

    def metering(self, *, account_no: str) -> Metering:
        return metering(self.ctx, account_no=account_no)
