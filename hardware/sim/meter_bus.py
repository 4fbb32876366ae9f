"""A simulated RS-485 bus of networked meter modules (远程模块), speaking DL/T 645-2007 or
Modbus-RTU, served on a pty or a socket like every simulator (hardware/sim/transport.py).

Each meter has its own address, an energy register advancing with its load (times a load profile)
while its relay is closed, and a relay. Faults per meter: `mute` (never answers), `bad_checksum`
(answers with a damaged checksum/CRC), `answers_for` (answers requests meant for another address,
under its own address: a miswired or misaddressed module), `refuse` (refuses every switch).
Line faults (garbage, bit flips, silence) are the transport's `LineFaults`.

The Modbus side frames RTU itself here, in the simulator only; the driver uses pymodbus. Our
reference register map (docs/hardware.md §9): holding registers 0-1 = total active energy, u32 in
0.01 kWh, high word first; coil 0 = relay (1 closed). Real makers' maps differ.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from base.clock import BUSINESS_TZ, Clock, local_moment, system_clock
from hardware import dlt645
from hardware.dlt645 import ControlCommand, DataId, ErrorBit, Frame, Function
from hardware.sim.transport import LineFaults, PtyServer, SocketServer

log = logging.getLogger(__name__)

WMS_PER_CKWH = 36_000_000  # watt-milliseconds in 0.01 kWh
DEFAULT_PASSWORD = bytes.fromhex("02123456")  # PA (level 02) + P0..P2 of the simulated meters
ENERGY_REGISTER = 0
RELAY_COIL = 0
ENERGY_MAX_CKWH = 99_999_999  # XXXXXX.XX


def flat_profile(moment: datetime) -> int:
    """Load as per mille of each meter's `load_w`: always all of it."""
    return 1000


def dorm_profile(moment: datetime) -> int:
    """A dormitory's day: little at night and in class hours, most in the evening."""
    hour = local_moment(moment).hour
    if hour < 7:
        return 150
    if hour < 12:
        return 300
    if hour < 18:
        return 400
    return 1000 if hour < 23 else 500


@dataclass
class BusMeter:
    address: str
    energy_ckwh: int = 0
    relay_closed: bool = True
    load_w: int = 0
    password: bytes = DEFAULT_PASSWORD
    mute: bool = False
    bad_checksum: bool = False
    answers_for: str | None = None
    refuse: bool = False
    clock_set_to: datetime | None = None  # the last broadcast time it took
    commands: list[tuple[int, bytes]] = field(default_factory=list)  # (N1 / coil value, operator)
    _wms: int = 0


class MeterBusSim:
    """The bus and its meters; both protocol front-ends act on it under one lock."""

    def __init__(
        self, *, clock: Clock | None = None, profile: Callable[[datetime], int] = flat_profile
    ) -> None:
        self.clock = clock or system_clock
        self.profile = profile
        self.lock = threading.RLock()
        self.meters: dict[str, BusMeter] = {}
        self._last = self.clock()

    def add(self, address: str, **state: object) -> BusMeter:
        with self.lock:
            self.advance()
            meter = BusMeter(address, **state)  # type: ignore[arg-type]
            self.meters[address] = meter
            return meter

    def remove(self, address: str) -> None:
        with self.lock:
            self.meters.pop(address, None)

    def meter(self, address: str) -> BusMeter:
        with self.lock:
            self.advance()
            return self.meters[address]

    def advance(self) -> None:
        """Run every closed relay's load from the last call to now."""
        with self.lock:
            now = self.clock()
            elapsed_ms = int((now - self._last).total_seconds() * 1000)
            self._last = now
            if elapsed_ms <= 0:
                return
            per_mille = self.profile(now)
            for meter in self.meters.values():
                if meter.relay_closed and meter.load_w > 0:
                    meter._wms += meter.load_w * per_mille * elapsed_ms // 1000
                    whole, meter._wms = divmod(meter._wms, WMS_PER_CKWH)
                    meter.energy_ckwh = min(ENERGY_MAX_CKWH, meter.energy_ckwh + whole)

    def responders(self, address: str) -> list[tuple[BusMeter, str]]:
        """Who answers a request for `address`, each with the address it answers under: an
        impostor (`answers_for`) first, then the meter itself."""
        out = [(m, m.address) for m in self.meters.values() if m.answers_for == address and not m.mute]
        own = self.meters.get(address)
        if own is not None and not own.mute:
            out.append((own, own.address))
        return out


# --- DL/T 645-2007 ---------------------------------------------------------------------------
class Dlt645Device:
    """`receive(bytes) -> bytes` for the transport: every meter on the bus hears every frame."""

    def __init__(self, bus: MeterBusSim) -> None:
        self.bus = bus
        self._parser = dlt645.FrameParser()

    def receive(self, data: bytes) -> bytes:
        out = b""
        for frame in self._parser.feed(data):
            if frame.is_reply:
                continue  # another master's or a meter's frame: not for us
            with self.bus.lock:
                self.bus.advance()
                out += self._answer(frame)
        return out

    def _answer(self, frame: Frame) -> bytes:
        bus = self.bus
        if frame.function == Function.BROADCAST_TIME and frame.address == dlt645.BROADCAST_ADDRESS:
            moment = _decode_time(frame.data)
            for meter in bus.meters.values():
                meter.clock_set_to = moment
            return b""
        if frame.function == Function.READ_ADDRESS and frame.address == dlt645.WILDCARD_ADDRESS:
            answers = [
                _encode(m, dlt645.normal_reply(frame, dlt645.address_bytes(m.address), address=m.address))
                for m in bus.meters.values()
                if not m.mute
            ]
            return _collide(answers)
        return b"".join(
            _encode(meter, self._handle(meter, under, frame))
            for meter, under in bus.responders(frame.address)
        )

    def _handle(self, meter: BusMeter, under: str, frame: Frame) -> Frame:
        if frame.function == Function.READ_DATA and len(frame.data) == 4:
            di = int.from_bytes(frame.data, "little")
            if di in (DataId.COMBINED_ACTIVE_TOTAL, DataId.FORWARD_ACTIVE_TOTAL):
                return dlt645.normal_reply(
                    frame, frame.data + dlt645.bcd_encode(meter.energy_ckwh, 4), address=under
                )
            if di == DataId.STATUS_WORD_3:
                word = 0 if meter.relay_closed else dlt645.RELAY_OPEN_BIT
                return dlt645.normal_reply(frame, frame.data + word.to_bytes(2, "little"), address=under)
            return dlt645.abnormal_reply(frame, ErrorBit.NO_DATA, address=under)
        if frame.function == Function.CONTROL and len(frame.data) == 16:
            return self._control(meter, under, frame)
        return dlt645.abnormal_reply(frame, ErrorBit.OTHER, address=under)

    def _control(self, meter: BusMeter, under: str, frame: Frame) -> Frame:
        password, operator, command = frame.data[:4], frame.data[4:8], frame.data[8]
        deadline = _decode_time(frame.data[10:16])
        meter.commands.append((command, bytes(operator)))
        if password != meter.password or meter.refuse:
            return dlt645.abnormal_reply(frame, ErrorBit.UNAUTHORISED, address=under)
        if deadline is None or deadline < self.bus.clock():
            return dlt645.abnormal_reply(frame, ErrorBit.OTHER, address=under)
        if command == ControlCommand.TRIP:
            meter.relay_closed = False
        elif command == ControlCommand.ALLOW_CLOSE:
            # Many modules only allow closing and wait for the occupant's button; ours closes.
            meter.relay_closed = True
        return dlt645.normal_reply(frame, address=under)


def _encode(meter: BusMeter, frame: Frame) -> bytes:
    raw = bytearray(frame.encode())
    if meter.bad_checksum:
        raw[-2] ^= 0x5A
    return bytes(raw)


def _collide(answers: list[bytes]) -> bytes:
    """Several meters talking at once: what reaches the master is their bytes mixed up."""
    if len(answers) <= 1:
        return b"".join(answers)
    mixed = bytearray(max(len(a) for a in answers))
    for answer in answers:
        for i, b in enumerate(answer):
            mixed[i] |= b
    return bytes(mixed)


def _decode_time(raw: bytes) -> datetime | None:
    values = [dlt645.bcd_decode(raw[i : i + 1]) for i in range(6)] if len(raw) == 6 else []
    if len(values) != 6 or any(v is None for v in values):
        return None
    second, minute, hour, day, month, year = (int(v) for v in values)  # type: ignore[arg-type]
    try:
        return datetime(2000 + year, month, day, hour, minute, second, tzinfo=BUSINESS_TZ)
    except ValueError:
        return None


# --- Modbus-RTU ------------------------------------------------------------------------------
READ_COILS, READ_HOLDING, WRITE_COIL = 0x01, 0x03, 0x05
ILLEGAL_FUNCTION, ILLEGAL_ADDRESS, DEVICE_FAILURE = 0x01, 0x02, 0x04
_REQUEST_SIZE = 8  # id, function, 4 bytes of arguments, CRC: every request we serve


def _crc(frame: bytes) -> bytes:
    # pymodbus's own CRC (the peer's), imported when a simulated Modbus meter first answers: the
    # core imports this simulator's module, and pymodbus pulls in asyncio (issue 16, start).
    from pymodbus.framer.rtu import FramerRTU

    return FramerRTU.compute_CRC(frame).to_bytes(2, "big")


class ModbusDevice:
    """Modbus-RTU slaves 1..247 on the bus (a meter's address is its decimal slave id)."""

    def __init__(self, bus: MeterBusSim) -> None:
        self.bus = bus
        self._buf = bytearray()

    def receive(self, data: bytes) -> bytes:
        self._buf += data
        out = b""
        while len(self._buf) >= _REQUEST_SIZE:
            candidate = bytes(self._buf[:_REQUEST_SIZE])
            if _crc(candidate[:6]) != candidate[6:]:
                del self._buf[:1]  # resync one byte at a time
                continue
            del self._buf[:_REQUEST_SIZE]
            with self.bus.lock:
                self.bus.advance()
                out += self._answer(candidate[:6])
        return out

    def _answer(self, request: bytes) -> bytes:
        unit, function = request[0], request[1]
        start, value = int.from_bytes(request[2:4], "big"), int.from_bytes(request[4:6], "big")
        out = b""
        for meter, under in self.bus.responders(str(unit)):
            pdu = self._pdu(meter, function, start, value)
            frame = bytes([int(under)]) + pdu
            crc = bytearray(_crc(frame))
            if meter.bad_checksum:
                crc[0] ^= 0x5A
            out += frame + bytes(crc)
        return out

    def _pdu(self, meter: BusMeter, function: int, start: int, value: int) -> bytes:
        if function == READ_HOLDING:
            if start != ENERGY_REGISTER or value != 2:
                return bytes([function | 0x80, ILLEGAL_ADDRESS])
            return bytes([function, 4]) + meter.energy_ckwh.to_bytes(4, "big")
        if function == READ_COILS:
            if start != RELAY_COIL or value != 1:
                return bytes([function | 0x80, ILLEGAL_ADDRESS])
            return bytes([function, 1, 1 if meter.relay_closed else 0])
        if function == WRITE_COIL:
            if start != RELAY_COIL or value not in (0x0000, 0xFF00):
                return bytes([function | 0x80, ILLEGAL_ADDRESS])
            meter.commands.append((value, b""))
            if meter.refuse:
                return bytes([function | 0x80, DEVICE_FAILURE])
            meter.relay_closed = value == 0xFF00
            return bytes([function]) + start.to_bytes(2, "big") + value.to_bytes(2, "big")
        return bytes([function | 0x80, ILLEGAL_FUNCTION])


# --- serving ---------------------------------------------------------------------------------
PROTOCOLS = ("dlt645", "modbus")


class SimMeterBus:
    """A bus of meters on a pty or socket. `url` is what the driver opens; `line` its faults."""

    simulated = True

    def __init__(
        self,
        protocol: str,
        *,
        transport: str = "socket",
        clock: Clock | None = None,
        profile: Callable[[datetime], int] = flat_profile,
        meters: Iterable[str] = (),
        byte_delay_s: float = 0.0,
    ) -> None:
        if protocol not in PROTOCOLS:
            raise ValueError(f"protocol is one of {PROTOCOLS}")
        self.protocol = protocol
        self.bus = MeterBusSim(clock=clock, profile=profile)
        for address in meters:
            self.bus.add(address)
        device = Dlt645Device(self.bus) if protocol == "dlt645" else ModbusDevice(self.bus)
        self.line = LineFaults()
        self._server: PtyServer | SocketServer = (
            PtyServer(device, self.line, byte_delay_s=byte_delay_s)
            if transport == "pty"
            else SocketServer(device, self.line, byte_delay_s=byte_delay_s)
        )
        self.url = self._server.url

    # What SimControl and tests change.
    def add_meter(self, address: str, **state: object) -> BusMeter:
        return self.bus.add(address, **state)

    def meter(self, address: str) -> BusMeter:
        return self.bus.meter(address)

    def set_fault(self, address: str, **faults: object) -> None:
        """mute / bad_checksum / answers_for / refuse = value."""
        with self.bus.lock:
            meter = self.bus.meters[address]
            for name, value in faults.items():
                if name not in ("mute", "bad_checksum", "answers_for", "refuse"):
                    raise ValueError(f"unknown fault {name}")
                setattr(meter, name, value)

    def consume(self, address: str, energy_ckwh: int) -> None:
        with self.bus.lock:
            meter = self.bus.meter(address)
            meter.energy_ckwh = min(ENERGY_MAX_CKWH, meter.energy_ckwh + energy_ckwh)

    def close(self) -> None:
        self._server.close()
