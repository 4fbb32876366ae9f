"""Opening a device's port by URL: the one way every serial driver here opens its line.

`serial.serial_for_url` takes COM3, /dev/ttyUSB0, a pty path, `socket://host:port` (a serial device
server on the network, or our simulator) and `rfc2217://…`, so a real device and the simulator take
the same code path. Over TCP one thing differs from a wire: Nagle's algorithm holds a small write
back while an earlier one is unacknowledged, and the other end delays its ACK (40 ms on Linux) —
a short command after a receipt, or the second burst of an answer, then waits 40 ms for nothing
(issue 16: every printer job and reader exchange did). A serial line has no such delay, so the
socket gets TCP_NODELAY, as serial device servers' own drivers set.
"""

from __future__ import annotations

import logging
import socket
from typing import Any

import serial

log = logging.getLogger(__name__)


def open_port(url: str, **options: Any) -> serial.Serial:
    """`serial.serial_for_url(url, **options)`, with Nagle off when the line is a TCP socket. Raises
    what serial_for_url raises (SerialException, OSError, ValueError): each driver words its own
    DEVICE_OFFLINE."""
    port = serial.serial_for_url(url, **options)
    _no_nagle(port)
    return port


def _no_nagle(port: serial.Serial) -> None:
    sock = getattr(port, "_socket", None)  # socket:// and rfc2217:// keep their socket here
    if not isinstance(sock, socket.socket):
        return
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    except OSError:  # not TCP after all (a Unix socket): nothing to turn off
        log.debug("port %s: TCP_NODELAY not set", getattr(port, "port", "?"), exc_info=True)
