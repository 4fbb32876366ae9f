"""A durable write done on a thread of its own, newest state only (see `LatestWriter`)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)


class LatestWriter:
    """Runs `write` on a thread of its own whenever asked, so a slow durable write (an fsync) overlaps
    the caller's next work. Requests coalesce: `write` always writes the newest state, so asking
    twice while one write runs makes one more write, not two. `wait` returns once every request made
    before it has been written, and raises what the write raised.

    The high-water mark uses it (counter_app/high_water.py): its fsync overlaps the receipt's
    printing, and the facade door waits before any call returns (issue 16)."""

    def __init__(self, write: Callable[[], None], *, name: str) -> None:
        self._write = write
        self._changed = threading.Condition()
        self._wanted = self._written = 0
        self._error: BaseException | None = None
        self._closing = False
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def request(self) -> None:
        with self._changed:
            self._wanted += 1
            self._changed.notify_all()

    def wait(self) -> None:
        with self._changed:
            target = self._wanted
            while self._written < target and self._thread.is_alive():
                self._changed.wait(timeout=1.0)
            error, self._error = self._error, None
        if error is not None:
            raise error

    def close(self) -> None:
        self.wait()
        with self._changed:
            self._closing = True
            self._changed.notify_all()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while True:
            with self._changed:
                while self._written >= self._wanted and not self._closing:
                    self._changed.wait()
                if self._written >= self._wanted:
                    return
                target = self._wanted
            try:
                self._write()
            except BaseException as error:  # noqa: BLE001 - handed to whoever waits, and logged
                log.exception("background write failed")
                with self._changed:
                    self._error = error
            with self._changed:
                self._written = target
                self._changed.notify_all()
