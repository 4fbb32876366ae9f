"""Networked meter modules on an RS-485 bus: one interface, two protocols (docs/hardware.md §9).

`MeterBus` reads a meter's energy (integer 0.01 kWh), its relay, switches it (trip / close) and
reads the address of the only meter on a line (commissioning). `Dlt645Bus` speaks DL/T 645-2007
with our frames (hardware/dlt645.py); `ModbusRtuBus` speaks Modbus-RTU through pymodbus. Both open
their port by URL (`serial.serial_for_url`: COM3, /dev/ttyUSB0, socket://host:port, a pty path)
and do all port I/O on the bus's own thread (hardware/device_thread.py).

Errors are the person-readable family only: `DeviceOffline` (port missing or failing, no answer,
an answer under another address, an answer we cannot read; `data["reason"]`, and for a switch
`data["outcome"] = "unknown"`: the meter may have acted), `MeterRefused` (the meter answered no;
`data["error"]`) and `InputInvalid` (an address this protocol cannot have).
"""

from __future__ import annotations

import functools
import logging
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Literal

import serial

from base.clock import Clock, local_moment, system_clock
from base.errors import DeviceOffline, InputInvalid, MeterRefused
from hardware import dlt645
from hardware.device_thread import DeviceThread, runs_in_device_thread
from hardware.dlt645 import ControlCommand, DataId, Frame
from hardware.ports import open_port

if TYPE_CHECKING:  # pymodbus (and the asyncio it pulls in) loads with the first Modbus bus, not at the
    from pymodbus.pdu import ModbusPDU  # core's import: the counter opens behind the login (issue 16)

log = logging.getLogger(__name__)
# pymodbus logs an ERROR of its own for every request a meter leaves unanswered: a round over a bus
# with one dead module would fill the log each time. `_call` logs what matters once, in our words
# (a warning per try, then DEVICE_OFFLINE to the caller); pymodbus speaks only when it is critical.
logging.getLogger("pymodbus").setLevel(logging.CRITICAL)

SwitchAction = Literal["trip", "close"]
SWITCH_ACTIONS: tuple[SwitchAction, ...] = ("trip", "close")
PROTOCOLS = ("dlt645", "modbus")


def _offline(
    url: str, address: str | None, reason: str, detail_en: str, *, outcome: str = "none"
) -> Exception:
    where = f"{address}@{url}" if address else url
    return DeviceOffline(
        f"电表模块 {where}",
        detail_en=f"meter module {where}: {detail_en}",
        data={"bus": url, "address": address, "reason": reason, "outcome": outcome},
    )


class MeterBus(ABC):
    """One RS-485 line and the meters on it. Methods block the caller (never the GUI thread) for at
    most a few serial timeouts."""

    protocol: str
    url: str

    @abstractmethod
    def read_energy(self, address: str) -> int:
        """Total active energy in 0.01 kWh."""

    @abstractmethod
    def read_relay(self, address: str) -> bool:
        """True when the relay is closed (the room has power)."""

    @abstractmethod
    def switch(self, address: str, action: SwitchAction) -> None:
        """Trip, or close / allow closing. Not retried: after a lost answer the outcome is unknown
        (`DeviceOffline` with `data["outcome"] == "unknown"`); read the relay to find out."""

    @abstractmethod
    def read_address(self) -> str:
        """The address of the only meter on the line."""

    @abstractmethod
    def close(self) -> None: ...

    def check_address(self, address: str) -> str:
        if not self.is_address(address):
            raise InputInvalid(
                f"表地址 {address!r}",
                detail_en=f"not a {self.protocol} meter address: {address!r}",
                field="address",
            )
        return address

    @staticmethod
    @abstractmethod
    def is_address(address: str) -> bool: ...


def _check_action(action: str) -> SwitchAction:
    if action not in SWITCH_ACTIONS:
        raise InputInvalid(f"开关命令 {action!r}", detail_en=f"switch action {action!r}", field="action")
    return action


class Dlt645Bus(MeterBus):
    """DL/T 645-2007 on `url`. `password` is PA P0 P1 P2 (level first), `operator` C0..C3: both
    go into every remote-control frame. A remote control is valid for `control_validity`."""

    protocol = "dlt645"

    def __init__(
        self,
        url: str,
        *,
        baudrate: int = 2400,
        parity: str = serial.PARITY_EVEN,  # the standard's default line: 2400 8E1
        timeout: float = 1.0,
        write_timeout: float = 1.0,
        read_retries: int = 1,
        password: bytes = b"\x02\x00\x00\x00",
        operator: bytes = b"\x00\x00\x00\x00",
        control_validity: timedelta = timedelta(minutes=5),
        clock: Clock | None = None,
    ) -> None:
        if len(password) != 4 or len(operator) != 4:
            raise ValueError("password and operator code are 4 bytes each")
        self.url = url
        self.baudrate, self.parity = baudrate, parity
        self.timeout, self.write_timeout = timeout, write_timeout
        self.read_retries = read_retries
        self.password, self.operator = bytes(password), bytes(operator)
        self.control_validity = control_validity
        self.clock = clock or system_clock
        self._thread = DeviceThread(f"meterbus:{url}")
        self._port: serial.Serial | None = None
        self._parser = dlt645.FrameParser()

    @staticmethod
    def is_address(address: str) -> bool:
        return isinstance(address, str) and len(address) == 12 and address.isascii() and address.isdigit()

    @runs_in_device_thread
    def read_energy(self, address: str) -> int:
        payload = self._read(self.check_address(address), DataId.COMBINED_ACTIVE_TOTAL)
        value = dlt645.energy_ckwh(payload)
        if value is None:
            raise _offline(self.url, address, "bad_answer", f"energy not BCD: {payload.hex()}")
        return value

    @runs_in_device_thread
    def read_relay(self, address: str) -> bool:
        payload = self._read(self.check_address(address), DataId.STATUS_WORD_3)
        if len(payload) != 2:
            raise _offline(self.url, address, "bad_answer", f"status word of {len(payload)} bytes")
        return not int.from_bytes(payload, "little") & dlt645.RELAY_OPEN_BIT

    @runs_in_device_thread
    def switch(self, address: str, action: SwitchAction) -> None:
        command = ControlCommand.TRIP if _check_action(action) == "trip" else ControlCommand.ALLOW_CLOSE
        request = dlt645.control_request(
            self.check_address(address),
            command,
            password=self.password,
            operator=self.operator,
            valid_until=local_moment(self.clock() + self.control_validity),
        )
        self._checked(request, self._exchange(request, tries=1, outcome="unknown"))

    @runs_in_device_thread
    def read_address(self) -> str:
        request = dlt645.read_address_request()
        reply = self._checked(request, self._exchange(request, tries=1 + self.read_retries))
        address = dlt645.address_text(reply.data[:6]) if len(reply.data) == 6 else ""
        if not self.is_address(address) or address != reply.address:
            raise _offline(self.url, None, "bad_answer", f"address answer {reply.data.hex()}")
        return address

    @runs_in_device_thread
    def set_time(self, moment: datetime) -> None:
        """Broadcast time (08H): every meter takes it, none answers."""
        self._send(dlt645.broadcast_time_request(local_moment(moment)))

    def close(self) -> None:
        self._thread.call(self._close_port)
        self._thread.shutdown()

    # --- the line ----------------------------------------------------------------------------
    def _read(self, address: str, di: int) -> bytes:
        request = dlt645.read_request(address, di)
        reply = self._checked(request, self._exchange(request, tries=1 + self.read_retries))
        if reply.data[:4] != request.data:
            raise _offline(self.url, address, "bad_answer", f"answer for data item {reply.data[:4].hex()}")
        return reply.data[4:]

    def _checked(self, request: Frame, reply: Frame) -> Frame:
        if reply.is_abnormal:
            error = reply.data[0] if reply.data else 0
            raise MeterRefused(
                f"{reply.address} 错误字 {error:02X}",
                detail_en=f"{reply.address} error byte {error:02X}",
                data={"bus": self.url, "address": reply.address, "error": error},
            )
        return reply

    def _exchange(self, request: Frame, *, tries: int, outcome: str = "none") -> Frame:
        self._thread.assert_on_thread()
        foreign: set[str] = set()
        for attempt in range(tries):
            reply = self._send(request, await_reply=True, foreign=foreign)
            if reply is not None:
                return reply
            log.warning(
                "meter bus %s: no answer from %s (try %d/%d)", self.url, request.address, attempt + 1, tries
            )
        address = None if request.address == dlt645.WILDCARD_ADDRESS else request.address
        if foreign:
            raise _offline(
                self.url,
                address,
                "foreign",
                f"answered only by {', '.join(sorted(foreign))}",
                outcome=outcome,
            )
        raise _offline(self.url, address, "no_answer", "no answer", outcome=outcome)

    def _send(
        self, request: Frame, *, await_reply: bool = False, foreign: set[str] | None = None
    ) -> Frame | None:
        port = self._open()
        try:
            # A late answer to an earlier request must not be read as this one's.
            port.reset_input_buffer()
            self._parser.reset()
            port.write(request.encode())
            return (
                self._await(port, request, foreign if foreign is not None else set()) if await_reply else None
            )
        except (serial.SerialException, OSError) as exc:
            self._close_port()
            raise _offline(self.url, None, "port", f"line failed: {exc}", outcome="unknown") from exc

    def _await(self, port: serial.Serial, request: Frame, foreign: set[str]) -> Frame | None:
        deadline = time.monotonic() + self.timeout
        while True:
            expired = time.monotonic() >= deadline
            chunk = b"" if expired else port.read(max(1, port.in_waiting))
            frames = self._parser.feed(chunk) if chunk else self._parser.expire()
            for frame in frames:
                if not frame.is_reply or frame.function != request.function:
                    continue
                if request.address in (frame.address, dlt645.WILDCARD_ADDRESS):
                    return frame
                foreign.add(frame.address)  # another meter answering for this one: never its data
                log.warning("meter bus %s: %s answered for %s", self.url, frame.address, request.address)
            if expired:
                return None

    def _open(self) -> serial.Serial:
        if self._port is None:
            try:
                self._port = open_port(
                    self.url,
                    baudrate=self.baudrate,
                    parity=self.parity,
                    timeout=min(0.05, self.timeout),
                    write_timeout=self.write_timeout,
                )
            except (serial.SerialException, OSError, ValueError) as exc:
                raise _offline(self.url, None, "port", f"cannot open the port: {exc}") from exc
        return self._port

    def _close_port(self) -> None:
        if self._port is not None:
            try:
                self._port.close()
            except (serial.SerialException, OSError):
                log.debug("closing %s failed", self.url, exc_info=True)
            self._port = None


# Our reference Modbus map (the simulator's); a maker's module is described by another ModbusMap.
ENERGY_REGISTER = 0
RELAY_COIL = 0


class ModbusRtuBus(MeterBus):
    """Modbus-RTU through pymodbus on `url`. A meter's address is its slave id, "1".."247".
    Energy: holding registers `energy_register`, +1 (u32, high word first, 0.01 kWh); relay: coil
    `relay_coil` (1 closed). `read_address` probes ids 1..`probe_max` (one module on the line)."""

    protocol = "modbus"

    def __init__(
        self,
        url: str,
        *,
        baudrate: int = 9600,
        parity: str = "N",
        timeout: float = 1.0,
        read_retries: int = 1,
        energy_register: int = ENERGY_REGISTER,
        relay_coil: int = RELAY_COIL,
        probe_max: int = 247,
    ) -> None:
        self.url = url
        self.timeout = timeout
        self.read_retries = read_retries
        self.energy_register, self.relay_coil = energy_register, relay_coil
        self.probe_max = probe_max
        self._thread = DeviceThread(f"meterbus:{url}")
        from pymodbus.client import ModbusSerialClient  # see TYPE_CHECKING above

        self._client = ModbusSerialClient(
            url, baudrate=baudrate, parity=parity, timeout=timeout, retries=0, reconnect_delay=0
        )

    @staticmethod
    def is_address(address: str) -> bool:
        return (
            isinstance(address, str) and address.isascii() and address.isdigit() and 1 <= int(address) <= 247
        )

    @runs_in_device_thread
    def read_energy(self, address: str) -> int:
        unit = int(self.check_address(address))
        reply = self._call(
            address,
            lambda: self._client.read_holding_registers(self.energy_register, count=2, device_id=unit),
        )
        registers: list[int] = list(getattr(reply, "registers", []))
        if len(registers) != 2:
            raise _offline(self.url, address, "bad_answer", f"{len(registers)} energy registers")
        return (registers[0] << 16) | registers[1]

    @runs_in_device_thread
    def read_relay(self, address: str) -> bool:
        unit = int(self.check_address(address))
        reply = self._call(address, lambda: self._client.read_coils(self.relay_coil, count=1, device_id=unit))
        bits = getattr(reply, "bits", [])
        if not bits:
            raise _offline(self.url, address, "bad_answer", "no relay coil")
        return bool(bits[0])

    @runs_in_device_thread
    def switch(self, address: str, action: SwitchAction) -> None:
        unit = int(self.check_address(address))
        closed = _check_action(action) == "close"
        self._call(
            address,
            lambda: self._client.write_coil(self.relay_coil, closed, device_id=unit),
            tries=1,
            outcome="unknown",
        )

    @runs_in_device_thread
    def read_address(self) -> str:
        for unit in range(1, self.probe_max + 1):
            try:
                self._call(str(unit), functools.partial(self._probe, unit), tries=1)
            except DeviceOffline as exc:
                if exc.data.get("reason") == "port":
                    raise
                continue
            except MeterRefused:
                pass  # it answered: that is its address
            return str(unit)
        raise _offline(self.url, None, "no_answer", f"no module answered ids 1..{self.probe_max}")

    def close(self) -> None:
        self._thread.call(self._close_client)
        self._thread.shutdown()

    def _call(
        self,
        address: str,
        request: Callable[[], ModbusPDU],
        *,
        tries: int | None = None,
        outcome: str = "none",
    ) -> ModbusPDU:
        from pymodbus.exceptions import ModbusException  # see TYPE_CHECKING above

        self._thread.assert_on_thread()
        if not self._client.connected and not self._client.connect():
            raise _offline(self.url, None, "port", "cannot open the port")
        for attempt in range(tries or 1 + self.read_retries):
            try:
                reply = request()
            except ModbusException as exc:
                log.warning(
                    "meter bus %s: %s gave no answer (try %d): %s", self.url, address, attempt + 1, exc
                )
                if not self._client.connected:
                    raise _offline(self.url, None, "port", f"line failed: {exc}", outcome=outcome) from exc
                continue
            except (serial.SerialException, OSError) as exc:
                self._close_client()
                raise _offline(self.url, None, "port", f"line failed: {exc}", outcome=outcome) from exc
            if reply.isError():
                code = getattr(reply, "exception_code", 0)
                raise MeterRefused(
                    f"{address} 异常码 {code:02X}",
                    detail_en=f"{address} exception code {code:02X}",
                    data={"bus": self.url, "address": address, "error": code},
                )
            return reply
        raise _offline(self.url, address, "no_answer", "no answer", outcome=outcome)

    def _probe(self, unit: int) -> ModbusPDU:
        return self._client.read_coils(self.relay_coil, count=1, device_id=unit)

    def _close_client(self) -> None:
        self._client.close()  # type: ignore[no-untyped-call]  # pymodbus leaves it unannotated


def open_meter_bus(url: str, protocol: str, **options: object) -> MeterBus:
    """The driver for `protocol` ("dlt645" or "modbus") on `url`."""
    if protocol == "dlt645":
        return Dlt645Bus(url, **options)  # type: ignore[arg-type]
    if protocol == "modbus":
        return ModbusRtuBus(url, **options)  # type: ignore[arg-type]
    raise InputInvalid(f"协议 {protocol!r}", detail_en=f"meter bus protocol {protocol!r}", field="protocol")
