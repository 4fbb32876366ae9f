"""Virtual SLE4442 cards: 256 bytes of main memory, 32 protection bits, a 3-byte PSC and an error
counter that locks the card for ever at 0. One JSON file per card, so cards survive a restart of
the simulator like real cards survive a crash of the counter."""

from __future__ import annotations

import json
import os
import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path

from hardware.protocol import FACTORY_PSC, MAIN_SIZE, PROTECTED_AREA, SLE4442_ATR


@dataclass
class VirtualCard:
    serial: str
    memory: bytearray
    protection: int = 0  # bit i set = byte i still writable (SLE4442: 0 = protected)
    psc: bytes = FACTORY_PSC
    error_counter: int = 0b111
    verified: bool = field(default=False, repr=False)  # per reader session, not persisted

    @classmethod
    def new_blank(cls) -> VirtualCard:
        serial = secrets.token_bytes(8)
        memory = bytearray(b"\xff" * MAIN_SIZE)
        memory[0:4] = SLE4442_ATR
        memory[4:12] = serial
        memory[12:PROTECTED_AREA] = bytes(PROTECTED_AREA - 12)
        # The manufacturer area is protected at the factory (write-once bits cleared).
        return cls(serial=serial.hex().upper(), memory=memory, protection=0)

    @property
    def locked(self) -> bool:
        return self.error_counter & 0b111 == 0

    def verify(self, psc: bytes) -> bool:
        """SLE4442 order: spend an attempt first, restore all three only on a match."""
        if self.locked:
            return False
        self.error_counter = (self.error_counter << 1) & 0b110 if self.error_counter != 0b111 else 0b110
        self.verified = psc == self.psc
        if self.verified:
            self.error_counter = 0b111
        return self.verified

    def writable(self, address: int) -> bool:
        return address >= PROTECTED_AREA or bool(self.protection >> address & 1)

    def to_json(self) -> str:
        return json.dumps(
            {
                "serial": self.serial,
                "memory": self.memory.hex(),
                "protection": self.protection,
                "psc": self.psc.hex(),
                "error_counter": self.error_counter,
            }
        )

    @classmethod
    def from_json(cls, text: str) -> VirtualCard:
        d = json.loads(text)
        return cls(
            serial=d["serial"],
            memory=bytearray.fromhex(d["memory"]),
            protection=d["protection"],
            psc=bytes.fromhex(d["psc"]),
            error_counter=d["error_counter"],
        )


class CardStore:
    """Cards on disk. Callers hold `lock` while they change a card and save it."""

    def __init__(self, directory: Path, lock: threading.RLock) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.lock = lock
        self._cache: dict[str, VirtualCard] = {}

    def new_blank(self) -> VirtualCard:
        with self.lock:
            card = VirtualCard.new_blank()
            self.save(card)
            return card

    def get(self, serial: str) -> VirtualCard:
        with self.lock:
            if serial not in self._cache:
                path = self._path(serial)
                if not path.exists():
                    raise KeyError(f"no simulated card {serial}")
                self._cache[serial] = VirtualCard.from_json(path.read_text())
            return self._cache[serial]

    def save(self, card: VirtualCard) -> None:
        with self.lock:
            self._cache[card.serial] = card
            _atomic_write(self._path(card.serial), card.to_json())

    def _path(self, serial: str) -> Path:
        if not serial.isalnum():
            raise KeyError(f"bad card serial {serial!r}")
        return self.directory / f"{serial}.json"


def _atomic_write(path: Path, text: str) -> None:
    """Whole or not at all for a reader in another process, also when this one is killed mid-write
    (the crash sweep): a temp file and `os.replace`. No fsync: a simulated card need not survive the
    machine losing power, and three fsyncs per sale were the simulator's, not the counter's, time
    in the sale benchmark (issue 16)."""
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)
