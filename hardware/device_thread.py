"""One owner thread per device: all port I/O of a device runs on its thread.

Why: a serial port is one byte stream; two threads talking to it at once interleave commands and
answers (the UI thread asking for status while a card write is under way). Electrum solved the
same problem for hardware wallets with a single-worker executor and an assertion
(electrum/plugin.py `runs_in_hwd_thread`); this is that pattern.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Concatenate, ParamSpec, Protocol, TypeVar

T = TypeVar("T")
P = ParamSpec("P")


class DeviceThread:
    def __init__(self, name: str) -> None:
        self.name = name
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"device-{name}")
        self._ident: int | None = None
        self._executor.submit(self._remember_ident).result()

    def _remember_ident(self) -> None:
        self._ident = threading.get_ident()

    def on_thread(self) -> bool:
        return threading.get_ident() == self._ident

    def assert_on_thread(self) -> None:
        if not self.on_thread():
            raise RuntimeError(f"device I/O for {self.name} outside its thread")

    def call(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run `fn` on the device thread and wait. Bounded by the port's own timeouts."""
        if self.on_thread():
            return fn(*args, **kwargs)
        return self._executor.submit(fn, *args, **kwargs).result()

    def shutdown(self) -> None:
        self._executor.shutdown(wait=True)


class _OwnsDeviceThread(Protocol):
    _thread: DeviceThread


S = TypeVar("S", bound=_OwnsDeviceThread)


def runs_in_device_thread(method: Callable[Concatenate[S, P], T]) -> Callable[Concatenate[S, P], T]:
    """Decorate methods of an object with a `_thread: DeviceThread` attribute."""

    def wrapper(self: S, /, *args: P.args, **kwargs: P.kwargs) -> T:
        return self._thread.call(method, self, *args, **kwargs)

    # What @functools.wraps does, called directly: its return type would lose the signature.
    functools.update_wrapper(wrapper, method)
    return wrapper
