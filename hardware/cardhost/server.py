"""The card host's socket: the reference frame protocol on 127.0.0.1:PORT, so the app reaches a
vendor-library reader with its ordinary serial driver at `socket://127.0.0.1:PORT` (SEQ, CRC,
timeouts and the device thread all stay the driver's).

One thread does everything: it accepts, reads, and answers one request at a time, and it is the
only thread that ever calls the library (vendor reader libraries are not thread-safe, and the
library must be opened and used on one thread). Several connections may be open (the app's reader
and, say, a diagnostic), but their requests are served strictly one after another, like the one
reader they share. Bound to 127.0.0.1 only: whoever reaches this port can write cards.

`answer_hook` (tests only) sees each request and its encoded answer after the library acted and
returns the bytes to send (b"" = the answer is lost, None = close the connection): the simulator's
line faults, applied to the host.
"""

from __future__ import annotations

import logging
import selectors
import socket
import threading
from collections.abc import Callable

from hardware.cardhost.reader import HostedReader
from hardware.frames import Frame, FrameParser

log = logging.getLogger(__name__)

AnswerHook = Callable[[Frame, bytes], bytes | None]


class CardHostServer:
    def __init__(self, reader: HostedReader, *, port: int = 0, answer_hook: AnswerHook | None = None) -> None:
        self.reader = reader
        self.answer_hook = answer_hook
        self._listener = socket.create_server(("127.0.0.1", port))
        self._listener.setblocking(False)
        self.port: int = self._listener.getsockname()[1]
        self.url = f"socket://127.0.0.1:{self.port}"
        self._selector = selectors.DefaultSelector()
        self._selector.register(self._listener, selectors.EVENT_READ)
        self._parsers: dict[socket.socket, FrameParser] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Serve on a thread of its own (tests; the program itself calls serve_forever)."""
        self._thread = threading.Thread(target=self.serve_forever, daemon=True, name="cardhost")
        self._thread.start()

    def serve_forever(self) -> None:
        try:
            while not self._stop.is_set():
                for key, _mask in self._selector.select(timeout=0.1):
                    sock = key.fileobj
                    assert isinstance(sock, socket.socket)
                    if sock is self._listener:
                        self._accept()
                    else:
                        self._serve(sock)
        finally:
            for conn in list(self._parsers):
                self._drop(conn)
            self._selector.close()
            self._listener.close()
            self.reader.close()  # ic_exit on the thread that did ic_init

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _accept(self) -> None:
        try:
            conn, _addr = self._listener.accept()
        except BlockingIOError:
            return
        conn.setblocking(True)
        conn.settimeout(2.0)  # bounds sendall to a client that stopped reading
        self._parsers[conn] = FrameParser()
        self._selector.register(conn, selectors.EVENT_READ)

    def _serve(self, conn: socket.socket) -> None:
        try:
            data = conn.recv(4096)
        except OSError:
            data = b""
        if not data:
            self._drop(conn)
            return
        for frame in self._parsers[conn].feed(data):
            if not self._answer(conn, frame):
                self._drop(conn)
                return

    def _answer(self, conn: socket.socket, frame: Frame) -> bool:
        """Run one request; False: the connection is to be closed."""
        try:
            result = self.reader.handle(frame.cmd, frame.data)
        except Exception:
            # Broad on purpose: one request the host mishandles must not kill the only thread, and
            # with it the counter's reader; unanswered, it is a silent reader to the driver.
            log.exception("card host: request 0x%02x failed", frame.cmd)
            result = None
        out = b"" if result is None else Frame(frame.seq, frame.cmd, bytes([result[0]]) + result[1]).encode()
        if self.answer_hook is not None:
            shaped = self.answer_hook(frame, out)
            if shaped is None:
                return False
            out = shaped
        if out:
            try:
                conn.sendall(out)
            except OSError:
                return False
        return True

    def _drop(self, conn: socket.socket) -> None:
        self._parsers.pop(conn, None)
        try:
            self._selector.unregister(conn)
        except (KeyError, ValueError):
            pass
        conn.close()
