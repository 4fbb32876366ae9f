"""Serve a simulated device so it is reached through pyserial like a real one: a TCP server for
`socket://127.0.0.1:PORT`, or a pty whose slave path a client opens like /dev/ttyUSB0.

A device is anything with `receive(bytes) -> bytes` (what it answers). `LineFaults` damages the
answers on the way out: garbage, bit flips, silence, slowness, a closed port.
"""

from __future__ import annotations

import logging
import os
import select
import socket
import threading
import time
import tty
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

log = logging.getLogger(__name__)


class Device(Protocol):
    def receive(self, data: bytes) -> bytes: ...


@dataclass
class LineFaults:
    """Faults on the line from device to host. Counters apply to the next answers."""

    garbage_before_next: bytes = b""
    flip_bits_next: int = 0  # answers that get one bit flipped
    drop_next: int = 0  # answers never sent
    mute: bool = False  # no answer at all until cleared
    delay_s: float = 0.0  # before each answer
    close_next: bool = False  # close the port instead of answering

    def shape(self, out: bytes) -> bytes | None:
        """The bytes to send; None means close the connection."""
        if self.close_next:
            self.close_next = False
            return None
        if self.mute:
            return b""
        if self.drop_next > 0:
            self.drop_next -= 1
            return b""
        if self.delay_s:
            time.sleep(self.delay_s)
        if self.flip_bits_next > 0 and out:
            self.flip_bits_next -= 1
            flipped = bytearray(out)
            flipped[len(out) // 2] ^= 0x10
            out = bytes(flipped)
        out, self.garbage_before_next = self.garbage_before_next + out, b""
        return out

    def clear(self) -> None:
        self.__init__()  # type: ignore[misc]


class _Server:
    def __init__(self, device: Device, faults: LineFaults, byte_delay_s: float) -> None:
        self.device = device
        self.faults = faults
        self.byte_delay_s = byte_delay_s
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def _answer(self, data: bytes, send: Callable[[bytes], object]) -> bool:
        """Feed the device, send its shaped answer. False: close the connection."""
        out = self.faults.shape(self.device.receive(data))
        if out is None:
            return False
        if self.byte_delay_s and out:
            self._paced(out, send)
        elif out:
            send(out)
        return True

    def _paced(self, out: bytes, send: Callable[[bytes], object]) -> None:
        """Send `out` as a line at the emulated baud delivers it: byte i complete at
        start + (i + 1) × byte time, on an absolute schedule, whatever is due sent together (as a
        UART's receive FIFO hands bytes over in bursts). One sleep per byte (what this did before
        issue 16) overshot every short sleep, so 115200 Bd ran at about half speed, and woke the
        reader once per byte, which no real line does."""
        start = time.perf_counter()
        sent = 0
        while sent < len(out):
            elapsed = time.perf_counter() - start
            due = min(len(out), int(elapsed / self.byte_delay_s))
            if due > sent:
                send(out[sent:due])
                sent = due
                continue
            # until the next byte is complete, but not less than half a millisecond (a burst)
            time.sleep(max((sent + 1) * self.byte_delay_s - elapsed, 0.0005))

    def _spawn(self, target: Callable[..., object], *args: object) -> None:
        t = threading.Thread(target=target, args=args, daemon=True, name=f"sim-{type(self.device).__name__}")
        t.start()
        self._threads.append(t)

    def close(self) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(timeout=2)


class SocketServer(_Server):
    """Listens on host:port (port 0 = a free one); `url` is the pyserial URL to open."""

    def __init__(
        self, device: Device, faults: LineFaults, *, host: str = "127.0.0.1", port: int = 0, byte_delay_s: float = 0.0
    ) -> None:
        super().__init__(device, faults, byte_delay_s)
        self._listener = socket.create_server((host, port))
        self._listener.settimeout(0.1)
        self._conns: list[socket.socket] = []
        self.host, self.port = self._listener.getsockname()[:2]
        self.url = f"socket://{self.host}:{self.port}"
        self._spawn(self._accept_loop)

    def _accept_loop(self) -> None:
        with self._listener:
            while not self._stop.is_set():
                try:
                    conn, _addr = self._listener.accept()
                except TimeoutError:
                    continue
                except OSError:
                    return  # closed by close()
                self._conns.append(conn)
                self._spawn(self._serve, conn)

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(0.1)
        # A serial line has no Nagle: without this, each paced burst after the first waited for
        # the reader's delayed ACK (40 ms on Linux), which made every exchange ~40 ms at any baud.
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with conn:
            while not self._stop.is_set():
                try:
                    data = conn.recv(4096)
                except TimeoutError:
                    continue
                except OSError:
                    return
                if not data or not self._answer(data, conn.sendall):
                    return

    def close(self) -> None:
        self._stop.set()
        # Wake the threads now instead of waiting for their poll timeouts.
        for sock in [self._listener, *self._conns]:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        super().close()


class PtyServer(_Server):
    """A pty pair (Linux): the device plays on the master; `url` is the slave's path."""

    def __init__(self, device: Device, faults: LineFaults, *, byte_delay_s: float = 0.0) -> None:
        super().__init__(device, faults, byte_delay_s)
        self._master, self._slave = os.openpty()
        tty.setraw(self._master)
        tty.setraw(self._slave)
        self.url = os.ttyname(self._slave)
        self._spawn(self._serve)

    def _serve(self) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([self._master], [], [], 0.1)
            if not ready:
                continue
            try:
                data = os.read(self._master, 4096)
            except OSError:
                continue  # no client has the slave open right now
            if not self._answer(data, lambda b: os.write(self._master, b)):
                self._hang_up()
                return

    def _hang_up(self) -> None:
        # "Port closed": the master goes away; the client's next read or write fails.
        os.close(self._master)
        self._master = -1

    def close(self) -> None:
        super().close()
        for fd in (self._master, self._slave):
            if fd >= 0:
                try:
                    os.close(fd)
                except OSError:
                    log.debug("pty fd already closed")
