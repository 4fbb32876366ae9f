"""TEMPORARY in-memory fake of the facade `counter_app.api`, for the UI tests and screenshots only.

The real facade is being written in parallel. This fake implements just the calls the pages use,
with API.md's names, keyword arguments, units, result dataclasses (counter_app.results) and error
codes (counter_app.errors). It will be replaced by the real facade opened with `simulate=True`
(`open_counter(db_url, workstation="W01", simulate=True, ...)`) once that exists; nothing in ui/
imports this module.

Calls beyond API.md the UI reaches through adapters (ui/facade.py) are marked "adapter".
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from counter_app import errors
from counter_app.clock import BUSINESS_TZ
from counter_app.money import energy_for_money, money_for_energy
from counter_app.results import (
    AccountInfo,
    CardInfo,
    IntentInfo,
    Quote,
    SaleResult,
    SettlementInfo,
    ShiftInfo,
    ShiftTotals,
    WriteBack,
)
from ui.facade import DeviceStatus

NOW = datetime(2025, 3, 12, 18, 30, tzinfo=BUSINESS_TZ)


@dataclass(frozen=True)
class Approval:
    name: str
    password: str


@dataclass
class _Account:
    account_no: str
    room_code: str
    cls: str
    meter_no: str
    card_serial: str | None
    holder: str | None = None
    status: str = "active"
    price_e4: int = 5883
    purchase_counter: int = 0
    free_owed_ckwh: int = 0


@dataclass
class _Card:
    serial: str
    kind: str = "blank"
    account_no: str | None = None
    counter: int = 0


@dataclass
class _Meter:
    counter: int = 0
    remaining_ckwh: int = 0
    consumed_ckwh: int = 0
    alarms: tuple[str, ...] = ()


@dataclass
class FakeWorld:
    operators: dict[str, tuple[str, str]] = field(
        default_factory=lambda: {
            "wang": ("pw", "cashier"),
            "zhao": ("pw", "cashier"),
            "li": ("pw", "supervisor"),
            "admin": ("pw", "admin"),
        }
    )
    accounts: dict[str, _Account] = field(default_factory=dict)
    cards: dict[str, _Card] = field(default_factory=dict)
    meters: dict[str, _Meter] = field(default_factory=dict)
    reader: str | None = None
    paper_out: bool = False
    printed: list[str] = field(default_factory=list)
    queued_receipts: list[str] = field(default_factory=list)
    next_receipt: int = 1
    failures: dict[str, int] = field(default_factory=dict)
    shifts: dict[str, ShiftInfo] = field(default_factory=dict)
    intents: list[IntentInfo] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=lambda: {"idle_lock_minutes": 5, "min_top_up_fen": 1000})
    calls: list[tuple[str, dict]] = field(default_factory=list)


def seeded_world() -> FakeWorld:
    world = FakeWorld()
    for i, (room, cls, free) in enumerate(
        [("5-308", "dorm", 2000), ("5-309", "dorm", 0), ("12-101", "staff", 0)], start=1
    ):
        serial, meter = f"C{i:05d}", f"M{i:05d}"
        world.accounts[f"A{i:04d}"] = _Account(
            f"A{i:04d}",
            room,
            cls,
            meter,
            serial,
            holder=f"住户{i}",
            price_e4=5883 if cls == "dorm" else 6083,
            purchase_counter=3,
            free_owed_ckwh=free,
        )
        world.cards[serial] = _Card(serial, "user", f"A{i:04d}", 3)
        world.meters[meter] = _Meter(3, 4250, 123400)
    world.intents.append(IntentInfo("I-7", "A0003", 5000, 8219, "open", 1))
    return world


class FakeCounter:
    def __init__(self, world: FakeWorld | None = None, simulate: bool = True, clock=None) -> None:
        self.world = world or seeded_world()
        self.clock = clock or (lambda: NOW)
        self.gate: threading.Event | None = None  # when set, every session call waits on it
        if simulate:
            self.sim = FakeSim(self.world)

    def login(self, name: str, password: str) -> FakeSession:
        self._wait()
        w = self.world
        if w.failures.get(name, 0) >= 3:
            raise errors.Locked(data={"until": self.clock() + timedelta(minutes=4, seconds=30)})
        if w.operators.get(name, (None,))[0] != password:
            w.failures[name] = w.failures.get(name, 0) + 1
            raise errors.AuthFailed()
        w.failures[name] = 0
        return FakeSession(self, name, w.operators[name][1])

    def device_status(self) -> DeviceStatus:  # adapter
        sim = hasattr(self, "sim")
        return DeviceStatus(
            "ok",
            "ok",
            "out" if self.world.paper_out else "ok",
            "sim" if sim else "COM3/COM4",
            len(self.world.queued_receipts),
        )

    def close(self) -> None:
        pass

    def _wait(self) -> None:
        if self.gate is not None:
            self.gate.wait()


class FakeSession:
    def __init__(self, counter: FakeCounter, name: str, role: str) -> None:
        self.counter, self.world, self.name, self.role = counter, counter.world, name, role

    def _record(self, call: str, **kwargs: Any) -> None:
        self.counter._wait()
        self.world.calls.append((call, kwargs))

    def logout(self) -> None:
        self._record("logout")

    def get_setting(self, key: str) -> Any:
        return self.world.settings.get(key)

    def set_setting(self, key: str, value: Any, approval: Any = None) -> None:
        self._record("set_setting", key=key, value=value)
        self.world.settings[key] = value

    def open_shift(self, *, float_fen: int, supervisor: str | None = None) -> ShiftInfo:
        self._record("open_shift", float_fen=float_fen, supervisor=supervisor)
        info = ShiftInfo(len(self.world.shifts) + 1, self.counter.clock(), float_fen, supervisor)
        self.world.shifts[self.name] = info
        return info

    def find_account(self, *, room_code=None, account_no=None, meter_no=None) -> AccountInfo:
        self._record("find_account", room_code=room_code, account_no=account_no, meter_no=meter_no)
        for a in self.world.accounts.values():
            if (
                (room_code and a.room_code == room_code)
                or (account_no and a.account_no == account_no)
                or (meter_no and a.meter_no == meter_no)
            ):
                return self._info(a)
        raise errors.AccountUnknown(room_code or account_no or meter_no, field="room_code")

    def _info(self, a: _Account) -> AccountInfo:
        m = self.world.meters[a.meter_no]
        wb = WriteBack(m.remaining_ckwh, m.consumed_ckwh, m.counter, m.alarms, None, self.counter.clock())
        return AccountInfo(
            a.account_no,
            a.room_code,
            a.cls,
            a.status,
            a.holder,
            None,
            a.meter_no,
            a.card_serial,
            a.price_e4,
            a.purchase_counter,
            wb,
            a.free_owed_ckwh,
            date(2020, 9, 1),
        )

    def read_card(self) -> CardInfo:
        self._record("read_card")
        serial = self.world.reader
        if serial is None:
            raise errors.CardAbsent()
        card = self.world.cards[serial]
        if card.kind != "user":
            return CardInfo(serial, card.kind, None, None, None, None, simulated=True)
        a = self.world.accounts[card.account_no]
        m = self.world.meters[a.meter_no]
        wb = WriteBack(m.remaining_ckwh, m.consumed_ckwh, m.counter, m.alarms, None, self.counter.clock())
        return CardInfo(
            serial, "user", card.account_no, card.counter, m.counter >= card.counter, wb, simulated=True
        )

    def quote(self, account_no: str, amount_fen: int | None = None, energy_ckwh: int | None = None) -> Quote:
        self._record("quote", account_no=account_no, amount_fen=amount_fen, energy_ckwh=energy_ckwh)
        a = self.world.accounts[account_no]
        if amount_fen is not None:
            return Quote(amount_fen, energy_for_money(amount_fen, a.price_e4), a.price_e4, a.free_owed_ckwh)
        return Quote(
            money_for_energy(energy_ckwh or 0, a.price_e4), energy_ckwh or 0, a.price_e4, a.free_owed_ckwh
        )

    def top_up(
        self,
        account_no: str,
        amount_fen=None,
        energy_ckwh=None,
        tender="cash",
        tendered_fen=None,
        reference=None,
        override_reason=None,
        approval=None,
    ) -> SaleResult:
        self._record(
            "top_up",
            account_no=account_no,
            amount_fen=amount_fen,
            energy_ckwh=energy_ckwh,
            tender=tender,
            tendered_fen=tendered_fen,
            override_reason=override_reason,
        )
        if self.name not in self.world.shifts:
            raise errors.ShiftNotOpen()
        a = self.world.accounts[account_no]
        q = self.quote(account_no, amount_fen, energy_ckwh)
        if q.amount_fen < self.world.settings["min_top_up_fen"]:
            raise errors.BelowMinimum("￥10.00", field="amount_fen")
        card = self._card_for(a)
        carried = self._check_previous(a, card, override_reason, approval)
        if tender == "cash" and tendered_fen is not None and tendered_fen < q.amount_fen:
            raise errors.InputInvalid("实收少于应收", field="tendered_fen")
        a.purchase_counter += 1
        card.counter = a.purchase_counter
        a.free_owed_ckwh = 0
        return self._receipt(a, q, carried, (tendered_fen or q.amount_fen) - q.amount_fen)

    def _card_for(self, a: _Account) -> _Card:
        if self.world.reader is None:
            raise errors.CardAbsent()
        card = self.world.cards[self.world.reader]
        if card.account_no != a.account_no:
            raise errors.CardMismatch()
        return card

    def _check_previous(self, a: _Account, card: _Card, reason, approval) -> int:
        if self.world.meters[a.meter_no].counter >= card.counter:
            return 0
        if not reason:
            raise errors.PreviousNotLoaded()
        self._check_approval(approval)
        return 1000

    def _check_approval(self, approval: Any) -> None:
        if approval is None:
            raise errors.ApprovalRequired()
        if approval.name == self.name:
            raise errors.SelfApproval()
        password, role = self.world.operators.get(approval.name, (None, None))
        if password != approval.password or role not in {"supervisor", "head"}:
            raise errors.ApprovalInvalid()

    def _receipt(self, a: _Account, q: Quote, carried: int, change: int) -> SaleResult:
        no = f"W01-{self.world.next_receipt:06d}"
        self.world.next_receipt += 1
        text = f"购电凭条 {no} {a.room_code} {q.amount_fen}"
        (self.world.queued_receipts if self.world.paper_out else self.world.printed).append(text)
        return SaleResult(
            no, q.amount_fen, q.energy_ckwh, q.free_ckwh, carried, q.price_e4, a.purchase_counter, change
        )

    def reprint_receipt(self, receipt_no: str) -> None:  # adapter
        self._record("reprint_receipt", receipt_no=receipt_no)
        self.world.printed.append(f"补打 {receipt_no}")

    def open_intents(self) -> list[IntentInfo]:
        self._record("open_intents")
        return list(self.world.intents)

    def x_report(self) -> ShiftTotals:
        self._record("x_report")
        return ShiftTotals({"dorm": 10000}, {"cash": 10000}, ("W01-000001", "W01-000001"), 0, 2000)

    def close_shift(
        self, *, counted: dict[int, int], difference_reason=None, approval=None
    ) -> SettlementInfo:
        self._record("close_shift", counted=counted, difference_reason=difference_reason)
        counted_fen = sum(d * n for d, n in counted.items())
        expected = self.world.shifts[self.name].float_fen if self.name in self.world.shifts else 0
        return SettlementInfo("S-0001", expected, counted_fen, counted_fen - expected, None)

    def report_lost_card(self, account_no: str) -> AccountInfo:
        self._record("report_lost_card", account_no=account_no)
        if account_no not in self.world.accounts:
            raise errors.AccountUnknown(account_no, field="account_no")
        return self._info(self.world.accounts[account_no])


class FakeSim:
    """API.md "Simulator control" on the in-memory world."""

    def __init__(self, world: FakeWorld) -> None:
        self.world = world

    def new_blank_card(self) -> str:
        serial = f"C{len(self.world.cards) + 1:05d}"
        self.world.cards[serial] = _Card(serial)
        return serial

    def present_card(self, card_serial: str | None) -> None:
        self.world.reader = card_serial

    def insert_into_meter(self, card_serial: str) -> None:
        card = self.world.cards[card_serial]
        a = self.world.accounts[card.account_no]
        meter = self.world.meters[a.meter_no]
        if card.counter == meter.counter + 1:
            meter.counter = card.counter
            meter.remaining_ckwh += 5000

    def consume(self, meter_no: str, energy_ckwh: int) -> None:
        meter = self.world.meters[meter_no]
        used = min(energy_ckwh, meter.remaining_ckwh)
        meter.remaining_ckwh -= used
        meter.consumed_ckwh += used

    def meter_state(self, meter_no: str) -> _Meter:
        return self.world.meters[meter_no]

    def printer(self, paper_out: bool = False, cover_open: bool = False, offline: bool = False) -> None:
        self.world.paper_out = paper_out
        if not paper_out:
            self.world.printed.extend(self.world.queued_receipts)
            self.world.queued_receipts.clear()

    def printed(self) -> list[str]:
        return list(self.world.printed)
