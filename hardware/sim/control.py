"""`SimControl`: the simulated reader, meters and printer, reached through pyserial like real ones
(API.md "Simulator control"). Gating (dev/demo databases only) is the facade's job; everything here
identifies itself as a simulator: `simulated = True`, version strings start with "SIM"."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from base.clock import Clock, system_clock
from hardware.profile import MeterProfile, ReferenceProfile
from hardware.profiles import known_profiles
from hardware.protocol import Cmd, attempts_left
from hardware.sim.card import CardStore
from hardware.sim.meter import MeterBank, MeterState
from hardware.sim.meter_bus import SimMeterBus, flat_profile
from hardware.sim.printer import SimPrinter
from hardware.sim.reader import SimReader
from hardware.sim.transport import LineFaults, PtyServer, SocketServer
from hardware.sim.vpcd_card import VpcdCard

log = logging.getLogger(__name__)

__all__ = ["MeterState", "SimControl"]


class SimControl:
    """Start with `SimControl(sim_dir, mac_key=…)`; open `reader_url` / `printer_url` with the
    ordinary drivers; `close()` when done. `transport="pty"` serves pty paths instead of sockets
    (Linux). `baud` emulates a line speed by delaying each byte. `transport="vpcd"` puts the card in
    vpcd's virtual PC/SC reader instead (pcscd must run: scripts/start-pcscd.sh); `reader_url` is then
    its `pcsc://` URL and the printer stays on a socket."""

    simulated = True

    def __init__(
        self,
        sim_dir: str | Path,
        *,
        mac_key: bytes,
        cards_dir: str | Path | None = None,
        clock: Clock | None = None,
        profile: MeterProfile | None = None,
        profiles: Sequence[MeterProfile] | None = None,
        transport: str = "socket",
        baud: int | None = None,
        reader_listen: tuple[str, int] = ("127.0.0.1", 0),
        printer_listen: tuple[str, int] = ("127.0.0.1", 0),
    ) -> None:
        self.sim_dir = Path(sim_dir)
        self.lock = threading.RLock()
        self._clock = clock or system_clock
        self._bus_transport = "pty" if transport == "pty" else "socket"
        self._byte_delay = 10.0 / baud if baud else 0.0
        self.meter_buses: list[SimMeterBus] = []
        self.cards = CardStore(Path(cards_dir) if cards_dir else self.sim_dir / "cards", self.lock)
        self.meters = MeterBank(
            self.sim_dir / "meters",
            self.lock,
            profile=profile or ReferenceProfile(),
            mac_key=mac_key,
            clock=clock or system_clock,
            # Meters of every registered model (hardware/profiles.py) unless told which.
            profiles=known_profiles() if profiles is None else profiles,
        )
        sim_reader = SimReader(self.cards, self.lock)
        self.reader: SimReader | VpcdCard = sim_reader
        self.printer_device = SimPrinter(self.lock)
        self.reader_line = LineFaults()
        self.printer_line = LineFaults()
        byte_delay = 10.0 / baud if baud else 0.0  # 10 bits per byte on an 8N1 line
        self._reader_server: PtyServer | SocketServer | VpcdCard
        self._printer_server: PtyServer | SocketServer
        if transport == "vpcd":
            card = VpcdCard(self.cards, self.lock)
            self.reader, self.reader_line, self._reader_server = card, card.line, card
            self._printer_server = SocketServer(
                self.printer_device,
                self.printer_line,
                host=printer_listen[0],
                port=printer_listen[1],
                byte_delay_s=byte_delay,
            )
        elif transport == "pty":
            self._reader_server = PtyServer(sim_reader, self.reader_line, byte_delay_s=byte_delay)
            self._printer_server = PtyServer(self.printer_device, self.printer_line, byte_delay_s=byte_delay)
        else:
            self._reader_server = SocketServer(
                sim_reader,
                self.reader_line,
                host=reader_listen[0],
                port=reader_listen[1],
                byte_delay_s=byte_delay,
            )
            self._printer_server = SocketServer(
                self.printer_device,
                self.printer_line,
                host=printer_listen[0],
                port=printer_listen[1],
                byte_delay_s=byte_delay,
            )
        self.reader_url: str = self._reader_server.url
        self.printer_url: str = self._printer_server.url
        log.info(
            "simulators: reader %s, printer %s (sim dir %s)", self.reader_url, self.printer_url, self.sim_dir
        )

    # --- API.md ------------------------------------------------------------------------------
    def new_blank_card(self) -> str:
        return self.cards.new_blank().serial

    def present_card(self, card_serial: str | None) -> None:
        self.reader.present(card_serial)

    def insert_into_meter(self, card_serial: str, *, meter_no: str | None = None) -> str | None:
        """Into the meter it belongs to (or `meter_no`). Takes the card off the reader first.
        Returns the write-back event (loaded, no_load, cleared, parameter, check, error) or None
        when no meter answered (broken, or none installed and not a parameter card)."""
        with self.lock:
            if self.reader.card_serial == card_serial:
                self.reader.present(None)
            card = self.cards.get(card_serial)
            target = meter_no or self.meters.meter_for(card)
            if not target:
                raise ValueError(f"card {card_serial} names no meter; pass meter_no")
            event = self.meters.insert(card, target)
            self.cards.save(card)
            return event

    def consume(self, meter_no: str, energy_ckwh: int) -> None:
        self.meters.consume(meter_no, energy_ckwh)

    def set_alarm(self, meter_no: str, alarm: str, on: bool = True) -> None:
        self.meters.set_alarm(meter_no, alarm, on)

    def break_meter(self, meter_no: str, broken: bool = True) -> None:
        self.meters.set_broken(meter_no, broken)

    def meter_state(self, meter_no: str) -> MeterState:
        return self.meters.state(meter_no)

    def pull_card_at_byte(self, n: int) -> None:
        with self.lock:
            self.reader.pull_at_byte = n

    def printer(
        self, paper_out: bool = False, cover_open: bool = False, offline: bool = False, near_end: bool = False
    ) -> None:
        with self.lock:
            s = self.printer_device.state
            s.paper_out, s.cover_open, s.offline, s.near_end = paper_out, cover_open, offline, near_end

    def printed(self) -> list[str]:
        return self.printer_device.printed()

    # --- additions (docs/hardware.md §5) -----------------------------------------------------
    def install_meter(
        self, meter_no: str, *, counter: int = 0, remaining_ckwh: int = 0, model: str | None = None
    ) -> MeterState:
        """A meter of `model` (a meter profile's name; None: the reference) at `counter`."""
        return self.meters.install(meter_no, counter=counter, remaining_ckwh=remaining_ckwh, model=model)

    def meter_model(self, meter_no: str) -> str:
        return self.meters.model_of(meter_no)

    def meter_exists(self, meter_no: str) -> bool:
        return self.meters.exists(meter_no)

    def pull_card_during(self, command: str) -> None:
        """The card is pulled as the reader runs `command` (e.g. "READ_MAIN") next: the reader
        answers CARD_REMOVED and the card is gone (a read torn by the customer's hand)."""
        with self.lock:
            self.reader.pull_on = Cmd[command]

    def tear_write_back_at_byte(self, n: int) -> None:
        """The meter's next write-back stops after `n` bytes (its state change still happens)."""
        with self.lock:
            self.meters.tear_write_back_at = n

    def lose_reader_answer(self, command: str) -> None:
        """The next answer to reader command `command` (e.g. "VERIFY_PSC") is lost on the line,
        after the card acted on it: the outcome-unknown case."""
        with self.lock:
            self.reader.lose_answer_to.add(Cmd[command])

    def card_image(self, card_serial: str) -> bytes:
        with self.lock:
            return bytes(self.cards.get(card_serial).memory)

    def card_attempts_left(self, card_serial: str) -> int:
        with self.lock:
            return attempts_left(self.cards.get(card_serial).error_counter)

    def render_last_receipt(self, path: str | Path) -> Path:
        return self.printer_device.render_png(Path(path))

    def start_meter_bus(
        self, protocol: str, *, meters: Sequence[str] = (), profile: Callable[[datetime], int] = flat_profile
    ) -> SimMeterBus:
        """A bus of networked meter modules ("dlt645" or "modbus"; docs/hardware.md §9) on its own
        pty or socket, on this simulator's clock. Open its `url` with hardware.meter_bus."""
        bus = SimMeterBus(
            protocol,
            transport=self._bus_transport,
            clock=self._clock,
            profile=profile,
            meters=meters,
            byte_delay_s=self._byte_delay,
        )
        self.meter_buses.append(bus)
        return bus

    def close(self) -> None:
        for bus in self.meter_buses:
            bus.close()
        self._reader_server.close()
        self._printer_server.close()

    def __enter__(self) -> SimControl:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
