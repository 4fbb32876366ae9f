"""What is connected to this PC, for a person setting up a counter (`counter-admin devices list`, the
workstation's device page): serial ports with their USB VID:PID, PC/SC readers with the command
family the driver would choose, and a card host answering on its default port.

Each finding names the URL to give the counter (`--reader`, `--printer`, the device page). Nothing
here raises for a missing library or service: that is a finding too ("pyscard not installed"), so
the listing is a plain table, never a traceback. Pure (no Qt, no database).
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from urllib.parse import quote

from serial.tools import list_ports

from hardware.card_reader import SerialCardReader
from hardware.pcsc_commands import TABLES, family_for_reader
from hardware.readers import PCSC_SCHEME

log = logging.getLogger(__name__)

CARD_HOST_PORT = 4442  # hardware/cardhost/__main__.py DEFAULT_PORT (not imported: it loads ctypes)
PROBE_TIMEOUT = 0.5  # seconds: a card host on 127.0.0.1 answers IDENTIFY in milliseconds

SERIAL, PCSC, CARD_HOST, PROBLEM = "serial", "pcsc", "cardhost", "problem"


@dataclass(frozen=True)
class Found:
    """One device (or one reason a kind of device cannot be listed)."""

    kind: str  # serial | pcsc | cardhost | problem
    url: str  # what to give the counter; "" for a problem
    description: str
    note: str = ""

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def discover(*, card_host_ports: tuple[int, ...] = (CARD_HOST_PORT,)) -> list[Found]:
    """Everything we can see, serial ports first (printers and reference readers), then PC/SC
    readers, then card hosts."""
    found = serial_ports()
    found += pcsc_readers()
    for port in card_host_ports:
        host = card_host(port)
        if host is not None:
            found.append(host)
    return found


def serial_ports() -> list[Found]:
    found = []
    for port in sorted(list_ports.comports(), key=lambda p: p.device):
        usb = f"USB {port.vid:04X}:{port.pid:04X}" if port.vid is not None and port.pid is not None else ""
        text = " ".join(t for t in (port.description, f"({port.manufacturer})" if port.manufacturer else "")
                        if t and t != "n/a")  # fmt: skip
        found.append(Found(SERIAL, port.device, text or port.device, usb))
    return found


def pcsc_readers() -> list[Found]:
    """The PC/SC readers pcscd/WinSCard knows, as `pcsc://<name>` with the family the driver uses."""
    try:
        return _pcsc_readers()
    except Exception as exc:  # noqa: BLE001 - a listing never fails: any PC/SC fault is a line of it
        log.warning("listing PC/SC readers failed", exc_info=True)
        return [Found(PROBLEM, "", "无法列出 PC/SC 读卡器 / cannot list PC/SC readers", str(exc))]


def _pcsc_readers() -> list[Found]:
    try:
        from smartcard import scard  # optional extra `pcsc`; needs libpcsclite / WinSCard
    except ImportError as exc:
        return [Found(PROBLEM, "", "未安装 PC/SC 支持（pyscard / pcsc-lite） / PC/SC support not installed",
                      f"pip install 'counter[pcsc]'; Linux: apt install pcscd ({exc})")]  # fmt: skip
    hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if hresult != scard.SCARD_S_SUCCESS:
        return [Found(PROBLEM, "", "PC/SC 服务未运行 / PC/SC service not running",
                      f"Linux: systemctl start pcscd; Windows: 智能卡服务 Smart Card service "
                      f"({scard.SCardGetErrorMessage(hresult)})")]  # fmt: skip
    try:
        hresult, names = scard.SCardListReaders(context, [])
    finally:
        scard.SCardReleaseContext(context)
    if hresult != scard.SCARD_S_SUCCESS:  # "no readers available" is an error code in PC/SC
        return []
    return [_pcsc_reader(str(name)) for name in names]


def _pcsc_reader(name: str) -> Found:
    table = TABLES[family_for_reader(name)]
    note = f"{table.family.value.upper()} 命令表 / commands"
    if not table.verified:
        note += "，未经实机验证 / UNVERIFIED on a real reader"
    return Found(PCSC, PCSC_SCHEME + quote(name, safe=""), name, note)


def card_host(port: int, *, host: str = "127.0.0.1", timeout: float = PROBE_TIMEOUT) -> Found | None:
    """A card host (or any reference-protocol reader) answering IDENTIFY on `host:port`; None when
    nothing listens there."""
    url = f"socket://{host}:{port}"
    reader = SerialCardReader(url, timeout=timeout, write_timeout=timeout, read_retries=0)
    try:
        version = reader.version()
    except Exception as exc:  # nothing listening, or something that is not a card host
        log.debug("no card host on %s: %s", url, exc)
        return None
    finally:
        reader.close()
    return Found(CARD_HOST, url, version, "读卡器库经读卡主机 / vendor library through the card host")
