"""One driver per meter bus port, shared by every caller of the counter (docs/hardware.md §12).

A networked meter's port is opened once and kept: the manual read and switch of the 远程抄表 page
(counter_app/ops/networked.py), the rules that switch a room after a sale or a reading
(networked_sale.py) and the scheduled rounds (counter_app/meter_polling.py) all ask `driver` and
get the same `MeterBus`. Its device thread (hardware/device_thread.py) owns the port, so two
callers never interleave on the line and the port is never opened twice (a COM port opens once;
a serial server on socket:// often takes one connection).

One line speaks one protocol: a second protocol asked for a port already open is refused
(INPUT_INVALID naming the port) rather than opening it a second time. A changed DL/T 645 password
(keystore `dlt645_password`) or operator code (setting `meter_bus.dlt645_operator_code`) replaces
the driver. `close` closes every port (Devices.close).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import Any

from base.errors import InputInvalid
from hardware.meter_bus import MeterBus, open_meter_bus

log = logging.getLogger(__name__)


@dataclass
class _Open:
    protocol: str
    options: dict[str, Any]
    bus: MeterBus


@dataclass
class MeterBuses:
    """The open meter bus drivers of one counter, by port URL. Thread-safe."""

    _open: dict[str, _Open] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _closed: bool = False

    def driver(self, url: str, protocol: str, **options: Any) -> MeterBus:
        """The driver of `url`, opened on first use (the port itself opens on its first exchange)."""
        stale: MeterBus | None = None
        with self._lock:
            if self._closed:
                raise InputInvalid("工作站正在关闭", detail_en="the counter is closing", field="bus")
            held = self._open.get(url)
            if held is not None and held.protocol != protocol:
                raise InputInvalid(
                    f"端口 {url} 已按 {held.protocol} 协议打开，不能同时用 {protocol}",
                    detail_en=f"port {url} is open as {held.protocol}; one line speaks one protocol, not {protocol}",
                    field="bus", data={"url": url, "open_as": held.protocol, "asked": protocol},
                )  # fmt: skip
            if held is not None and held.options == options:
                return held.bus
            if held is not None:
                stale = held.bus  # the password changed: a new driver on the same port
            bus = open_meter_bus(url, protocol, **options)
            self._open[url] = _Open(protocol, dict(options), bus)
        if stale is not None:
            _close_quietly(stale)
        return bus

    def is_current(self, bus: MeterBus) -> bool:
        """Still the driver of its port (a poller holding a replaced one starts again)."""
        with self._lock:
            held = self._open.get(bus.url)
            return held is not None and held.bus is bus

    def close(self) -> None:
        with self._lock:
            self._closed = True
            buses = [held.bus for held in self._open.values()]
            self._open.clear()
        for bus in buses:
            _close_quietly(bus)


def _close_quietly(bus: MeterBus) -> None:
    try:
        bus.close()
    except Exception:  # closing goes on for the other ports
        log.exception("closing meter bus %s failed", bus.url)
