"""How a reader URL becomes a `CardReader`: `pcsc://<index or reader name>` is a PC/SC reader
(hardware/pcsc_reader.py), anything else a pyserial URL for the reference reader (COM3,
/dev/ttyUSB0, socket://host:port, a pty path)."""

from __future__ import annotations

from hardware.card_reader import WRITE_TIMEOUT_S, CardReader, SerialCardReader
from hardware.pcsc_reader import PcscCardReader

PCSC_SCHEME = "pcsc://"


def open_card_reader(
    url: str, *, timeout: float = 1.0, write_timeout: float = WRITE_TIMEOUT_S, read_retries: int = 2
) -> CardReader:
    """The reader on `url`. Opening does no I/O: a missing device shows at the first command."""
    if url.startswith(PCSC_SCHEME):
        return PcscCardReader(url, timeout=timeout, write_timeout=write_timeout, read_retries=read_retries)
    return SerialCardReader(url, timeout=timeout, write_timeout=write_timeout, read_retries=read_retries)
