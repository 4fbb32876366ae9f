"""The incremental, resynchronising frame parser both serial protocols share (the card reader's
STX…ETX frames, hardware/frames.py; DL/T 645-2007, hardware/dlt645.py).

Bytes are fed as they arrive; complete, checked frames come out. Nothing raises: a candidate that
fails its checks loses only its start byte, because the real frame may begin inside what looked
like this one. A protocol supplies its start byte and `_try_frame` (a frame, "incomplete", or a
reason it is not one).
"""

from __future__ import annotations

from typing import Generic, TypeVar

F = TypeVar("F")
INCOMPLETE = "incomplete"


class ResyncingParser(Generic[F]):
    """`rejected` counts candidates dropped for a failed check (diagnostics)."""

    start_byte: int

    def __init__(self) -> None:
        self._buf = bytearray()
        self.rejected = 0

    def feed(self, data: bytes) -> list[F]:
        self._buf += data
        return self._drain(expire=False)

    def expire(self) -> list[F]:
        """A read timed out: anything incomplete is garbage. Returns frames found behind it."""
        return self._drain(expire=True)

    def reset(self) -> None:
        self._buf.clear()

    @property
    def pending(self) -> int:
        return len(self._buf)

    def wanted(self) -> int:
        """How many more bytes would complete the frame begun in the buffer (at least 1). A
        reader asks the port for that many at once instead of one byte per wake-up (issue 16:
        at 115200 Bd a top-up spent more time waking for single bytes than on the wire). A guess
        may be wrong (garbage that looks like a header): the read then ends at its timeout with
        what came, and the parser resynchronises as always."""
        return 1

    def _try_frame(self) -> F | str:
        """The frame at the start of the buffer (removed from it), INCOMPLETE, or why it is not one."""
        raise NotImplementedError

    def _drain(self, *, expire: bool) -> list[F]:
        frames: list[F] = []
        while True:
            start = self._buf.find(self.start_byte)
            del self._buf[: start if start >= 0 else len(self._buf)]
            if not self._buf:
                return frames
            outcome = self._try_frame()
            if not isinstance(outcome, str):
                frames.append(outcome)
            elif outcome == INCOMPLETE and not expire:
                return frames
            else:
                self.rejected += 1
                del self._buf[:1]
