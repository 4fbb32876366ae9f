"""Simulated meters, one per meter number, behaving exactly as DOMAIN.md's meter table
(docs/hardware.md §3). Persisted as JSON under `<sim_dir>/meters/` so they survive restarts.

Each meter is of a model, and reads cards through that model's profile only, as a real meter
speaks only its maker's format; a card in another format is a bad card to it. A meter started by a
parameter card takes the model of the card's format."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from base.clock import Clock
from hardware.profile import MeterProfile
from hardware.records import ALARMS, CardRecord, ClearRecord, ParameterRecord, PurchaseRecord, WriteBack
from hardware.sim.card import VirtualCard, _atomic_write

log = logging.getLogger(__name__)

METER_MAX_CKWH = 999_999  # 9,999.99 kWh (DOMAIN "card/meter maximum balance")


@dataclass(frozen=True)
class MeterState:
    """API.md `MeterState`."""

    counter: int
    remaining_ckwh: int
    consumed_ckwh: int
    alarms: frozenset[str]


@dataclass
class _Meter:
    meter_no: str
    counter: int = 0
    remaining_ckwh: int = 0
    consumed_ckwh: int = 0
    alarms: list[str] = field(default_factory=list)
    alarm_threshold_ckwh: int = 0
    never_loaded: bool = True
    last_clear_seq: int = 0
    last_cleared_ckwh: int = 0
    broken: bool = False
    max_ckwh: int = METER_MAX_CKWH
    model: str = ""  # its profile's name; "" (files from before models): the bank's default


class MeterBank:
    def __init__(
        self,
        directory: Path,
        lock: threading.RLock,
        *,
        profile: MeterProfile,
        mac_key: bytes,
        clock: Clock,
        profiles: Sequence[MeterProfile] = (),
    ) -> None:
        """`profile`: the default model; `profiles`: the other models meters may be of."""
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.lock = lock
        self.profile = profile
        self.profiles: dict[str, MeterProfile] = {profile.name: profile}
        for other in profiles:
            self.profiles.setdefault(other.name, other)
        self._mac_key = mac_key
        self._clock = clock
        self.tear_write_back_at: int | None = None

    # --- state -------------------------------------------------------------------------------
    def exists(self, meter_no: str) -> bool:
        return self._path(meter_no).exists()

    def install(
        self, meter_no: str, *, counter: int = 0, remaining_ckwh: int = 0, model: str | None = None
    ) -> MeterState:
        """A meter of `model` (a profile name; None: the default) at `counter`."""
        model = model or self.profile.name
        if model not in self.profiles:
            raise KeyError(f"no meter profile {model!r} in the simulator")
        with self.lock:
            self._save(_Meter(meter_no=meter_no, counter=counter, remaining_ckwh=remaining_ckwh, model=model))
            return self.state(meter_no)

    def model_of(self, meter_no: str) -> str:
        return self._load(meter_no).model or self.profile.name

    def _profile_of(self, m: _Meter) -> MeterProfile:
        return self.profiles[m.model or self.profile.name]

    def _card_profile(self, raw_image: bytes) -> MeterProfile:
        """The format a card is in (the first profile that claims it), else the default."""
        for profile in self.profiles.values():
            if profile.claims(raw_image, mac_key=self._mac_key):
                return profile
        return self.profile

    def state(self, meter_no: str) -> MeterState:
        m = self._load(meter_no)
        return MeterState(m.counter, m.remaining_ckwh, m.consumed_ckwh, frozenset(self._alarms(m)))

    def consume(self, meter_no: str, energy_ckwh: int) -> None:
        with self.lock:
            m = self._load(meter_no)
            used = min(max(0, energy_ckwh), m.remaining_ckwh)
            m.remaining_ckwh -= used
            m.consumed_ckwh += used
            self._save(m)

    def set_alarm(self, meter_no: str, alarm: str, on: bool = True) -> None:
        if alarm not in ALARMS:
            raise ValueError(f"alarm must be one of {ALARMS}")
        with self.lock:
            m = self._load(meter_no)
            m.alarms = sorted(set(m.alarms) | {alarm} if on else set(m.alarms) - {alarm})
            self._save(m)

    def set_broken(self, meter_no: str, broken: bool = True) -> None:
        with self.lock:
            m = self._load(meter_no)
            m.broken = broken
            self._save(m)

    # --- a card goes in ----------------------------------------------------------------------
    def meter_for(self, card: VirtualCard) -> str | None:
        """The meter a card belongs to: its valid record's, else (forged or damaged) the newest slot's."""
        raw_image = bytes(card.memory)
        profile = self._card_profile(raw_image)
        reading = profile.parse(raw_image, mac_key=self._mac_key)
        if reading.record is not None:
            return reading.record.meter_no
        for each in (profile, *self.profiles.values()):
            raw_meter = each.peek_meter_no(raw_image)
            if raw_meter and raw_meter.isprintable():
                return raw_meter
        return None

    def insert(self, card: VirtualCard, meter_no: str) -> str | None:
        """What the meter does with `card` (DOMAIN's table). Returns the write-back event, or None
        when the meter ignores the card (broken, or a parameter card is needed first)."""
        with self.lock:
            raw_image = bytes(card.memory)
            if not self.exists(meter_no):
                profile = self._card_profile(raw_image)
                if not isinstance(profile.parse(raw_image, mac_key=self._mac_key).record, ParameterRecord):
                    return None  # no meter there yet: only a parameter card starts one
                self._save(_Meter(meter_no=meter_no, model=profile.name))
            m = self._load(meter_no)
            if m.broken:
                return None
            profile = self._profile_of(m)
            record = profile.parse(raw_image, mac_key=self._mac_key).record
            event, error = self._apply(m, profile.blank_state(raw_image) is not None, record)
            self._save(m)
            self._write_back(card, m, event, error)
            return event

    def _apply(self, m: _Meter, blank: bool, record: CardRecord | None) -> tuple[str, str | None]:
        if record is None:  # a blank card, or no slot whose MAC verifies (forged or damaged)
            return "error", "bad_card" if blank else "mac"
        if record.meter_no != m.meter_no:
            return "error", "wrong_meter"
        if isinstance(record, PurchaseRecord):
            return self._load_purchase(m, record)
        if isinstance(record, ClearRecord):
            if record.clear_seq > m.last_clear_seq:
                m.last_clear_seq, m.last_cleared_ckwh, m.remaining_ckwh = (
                    record.clear_seq,
                    m.remaining_ckwh,
                    0,
                )
            return "cleared", None
        if isinstance(record, ParameterRecord):
            m.alarm_threshold_ckwh = record.alarm_threshold_ckwh
            if m.never_loaded:
                m.counter = m.counter if record.starting_counter is None else record.starting_counter
                if record.starting_balance_ckwh is not None:
                    m.remaining_ckwh = record.starting_balance_ckwh
            return "parameter", None
        return "check", None

    @staticmethod
    def _load_purchase(m: _Meter, record: PurchaseRecord) -> tuple[str, str | None]:
        if record.purchase_counter == m.counter:
            return "no_load", None
        if record.purchase_counter != m.counter + 1:
            return "error", "counter_gap"
        energy = record.energy_ckwh + record.free_ckwh
        if m.remaining_ckwh + energy > m.max_ckwh:
            return "error", "over_maximum"
        m.remaining_ckwh += energy
        m.counter = record.purchase_counter
        m.never_loaded = False
        return "loaded", None

    def _write_back(self, card: VirtualCard, m: _Meter, event: str, error: str | None) -> None:
        wb = WriteBack(
            remaining_ckwh=m.last_cleared_ckwh if event == "cleared" else m.remaining_ckwh,
            consumed_ckwh=m.consumed_ckwh,
            last_loaded_counter=m.counter,
            alarms=frozenset(self._alarms(m)),
            error=error,
            at=self._clock(),
            event=event,
            meter_no=m.meter_no,
        )
        address, data = self._profile_of(m).write_back_write(wb)
        if self.tear_write_back_at is not None:
            data, self.tear_write_back_at = data[: self.tear_write_back_at], None
        card.memory[address : address + len(data)] = data

    @staticmethod
    def _alarms(m: _Meter) -> list[str]:
        low = m.alarm_threshold_ckwh > 0 and m.remaining_ckwh < m.alarm_threshold_ckwh
        return sorted(set(m.alarms) | ({"low_balance"} if low else set()))

    # --- files -------------------------------------------------------------------------------
    def _path(self, meter_no: str) -> Path:
        if not meter_no or not meter_no.replace("-", "").isalnum():
            raise KeyError(f"bad meter number {meter_no!r}")
        return self.directory / f"{meter_no}.json"

    def _load(self, meter_no: str) -> _Meter:
        path = self._path(meter_no)
        if not path.exists():
            raise KeyError(f"no simulated meter {meter_no}")
        return _Meter(**json.loads(path.read_text()))

    def _save(self, m: _Meter) -> None:
        _atomic_write(self._path(m.meter_no), json.dumps(asdict(m)))
