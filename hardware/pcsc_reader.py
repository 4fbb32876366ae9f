"""`PcscCardReader`: an SLE4442 reader behind PC/SC (WinSCard on Windows, pcsc-lite on Linux) through
pyscard, one command table per reader family (hardware/pcsc_commands.py; docs/hardware.md "PC/SC
readers"). Reached as `pcsc://<index>` or `pcsc://<url-quoted reader name>`, with `?family=acs|omnikey`
to override the family chosen from the reader's name.

All PC/SC calls run on the reader's own device thread, like SerialCardReader's port I/O. A card
session is a PC/SC connection: `power_on` connects afresh (shared mode) and selects the card type,
which on ACS firmware powers the card down and up, so a PSC verified in an earlier session is gone.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from types import ModuleType
from typing import TypeVar
from urllib.parse import parse_qs, unquote, urlsplit

from base.errors import CardAbsent, CardLocked, CardPscWrong, CardRemoved, DeviceOffline, UserFacingError
from hardware.card_reader import CardReader, CardStatus, DeviceDiagnostics, ReaderProtocolError
from hardware.device_thread import DeviceThread, runs_in_device_thread
from hardware.pcsc_commands import (
    SW_NO_MORE_RETRIES,
    TABLES,
    CommandTable,
    Family,
    family_for_reader,
    sw_text,
)
from hardware.protocol import MAIN_SIZE, attempts_left

log = logging.getLogger(__name__)
T = TypeVar("T")

SIMULATOR_READER = "Virtual PCD"  # vpcd (vsmartcard): in this project only ever our card simulator
# pcscd polls a reader without hot-plug events every 0.4 s: a card pulled during a command is seen
# gone within this, so an unanswered command waits this long to tell "pulled" from "lost".
REMOVAL_GRACE_MS = 1500
# The ISO 7816-3 wrapper ACS firmware puts around a synchronous card's 4-byte answer-to-reset
# (an SLE4442 reads as 3B 04 A2 13 10 91); the contract's ATR is the card's own 4 bytes.
_SYNC_ATR_PREFIX = b"\x3b\x04"


def _scard() -> ModuleType:
    """pyscard's PC/SC module, imported only when a PC/SC reader is used (an optional extra)."""
    try:
        from smartcard import scard
    except ImportError as exc:  # pyscard not installed, or libpcsclite missing
        raise DeviceOffline(
            "未安装 PC/SC 读卡器支持（pyscard / pcsc-lite）",
            detail_en=f"PC/SC support is not installed (pyscard / pcsc-lite): {exc}",
        ) from exc
    module: ModuleType = scard  # no type information in pyscard: a module of Any at this edge
    return module


class _Lost(Exception):
    """The command got no valid answer (transport error or an answer without a status word)."""


def parse_pcsc_url(url: str) -> tuple[str, Family | None]:
    """`pcsc://0`, `pcsc://ACS%20ACR39U%20ICC%20Reader%2000%2000?family=acs` -> (selector, family)."""
    parts = urlsplit(url)
    if parts.scheme != "pcsc":
        raise ValueError(f"not a pcsc:// URL: {url!r}")
    selector = unquote(parts.netloc + parts.path)
    family = parse_qs(parts.query).get("family", [None])[0]
    if family is None:
        return selector, None
    try:
        return selector, Family(family.lower())
    except ValueError:
        raise ValueError(f"unknown reader family {family!r} in {url!r}: acs or omnikey") from None


class PcscCardReader(CardReader):
    """A PC/SC contact reader with SLE4442 support. `timeout` and `write_timeout` are accepted for the
    same call shape as SerialCardReader (PC/SC bounds its own transfers); idempotent reads whose
    answer is lost are retried `read_retries` times; commands that change the card are sent once."""

    def __init__(
        self,
        url: str,
        *,
        timeout: float = 1.0,
        write_timeout: float = 1.0,
        read_retries: int = 2,
        removal_grace_ms: int = REMOVAL_GRACE_MS,
    ) -> None:
        self.url = url
        self.selector, self._family_override = parse_pcsc_url(url)
        self.timeout = timeout
        self.read_retries = read_retries
        self.removal_grace_ms = removal_grace_ms
        self._thread = DeviceThread(f"reader:{url}")
        self._context: int | None = None
        self._card: int | None = None
        self._protocol = 0
        self._reader_name: str | None = None
        self._version: str | None = None
        self._card_present: bool | None = None
        self._last_error: str | None = None

    # --- operations --------------------------------------------------------------------------
    def exclusive(self, fn: Callable[[], T]) -> T:
        return self._thread.call(fn)

    @property
    def table(self) -> CommandTable:
        return TABLES[self._family_override or family_for_reader(self._reader_name or self.selector)]

    @runs_in_device_thread
    def version(self) -> str:
        name = self._guarded(self._resolve_reader)
        family = self.table.family.value.upper()
        if name.startswith(SIMULATOR_READER):
            self._version = f"SIM-vpcd SLE4442 card simulator on {name} ({family} commands)"
        else:
            self._version = f"{name} ({family} commands{'' if self.table.verified else ', UNVERIFIED'})"
        return self._version

    @runs_in_device_thread
    def status(self) -> CardStatus:
        present, atr = self._guarded(self._reader_state)
        self._card_present = present
        return CardStatus(present=present, atr=_card_atr(atr) if present else None)

    @runs_in_device_thread
    def power_on(self) -> bytes:
        return self._guarded(self._connect)

    @runs_in_device_thread
    def read_main(self, *, address: int, length: int) -> bytes:
        if not (0 <= address < MAIN_SIZE and 1 <= length <= MAIN_SIZE - address):
            raise ValueError("read outside the 256-byte main memory")
        out = b""
        while len(out) < length:
            at, n = address + len(out), min(self.table.max_read, length - len(out))
            data = self._transact(self.table.read_apdu(at, n), idempotent=True)
            if self.table.read_answers_protection or len(data) == n + 4:
                data = data[:n]  # the v6.02 firmware appends the 4 protection bytes
            if len(data) != n:
                raise ReaderProtocolError(f"asked for {n} bytes, got {len(data)}")
            out += data
        return out

    @runs_in_device_thread
    def read_protection(self) -> bytes:
        return self._transact(self.table.read_protection, idempotent=True)[:4]

    @runs_in_device_thread
    def read_attempts_left(self) -> int:
        raw = self._transact(self.table.read_error_counter, idempotent=True)
        return attempts_left(raw[0]) if raw else 0

    @runs_in_device_thread
    def verify_psc(self, *, psc: bytes) -> None:
        self._transact(self.table.present_apdu(_three(psc)), idempotent=False)
        # SW2 carries the error counter on CCID firmware, the data does on older firmware: the
        # counter itself says what happened, whichever the firmware.
        left = attempts_left(self._transact(self.table.read_error_counter, idempotent=True)[0])
        if left == 3:
            return
        if left == 0:
            raise self._failed(CardLocked())
        raise self._failed(
            CardPscWrong(f"剩余 {left} 次", detail_en=f"{left} attempts left", data={"attempts_left": left})
        )

    @runs_in_device_thread
    def write_main(self, *, address: int, data: bytes) -> None:
        if not (0 <= address < MAIN_SIZE and 1 <= len(data) <= MAIN_SIZE - address):
            raise ValueError("write outside the 256-byte main memory")
        self._transact(self.table.write_apdu(address, data), idempotent=False)

    @runs_in_device_thread
    def change_psc(self, *, new_psc: bytes) -> None:
        self._transact(self.table.change_apdu(_three(new_psc)), idempotent=False)

    def beep(self, *, duration_ms: int = 100) -> None:
        """PC/SC readers beep (if at all) through vendor escape commands: nothing to do here."""

    def diagnostics(self) -> DeviceDiagnostics:
        return DeviceDiagnostics(
            port=self.url,
            version=self._version,
            simulated=bool(self._version and self._version.startswith("SIM")),
            connected=self._context is not None and self._reader_name is not None,
            card_present=self._card_present,
            last_error=self._last_error,
        )

    def close(self) -> None:
        self._thread.call(self._release)
        self._thread.shutdown()

    # --- PC/SC -------------------------------------------------------------------------------
    def _guarded(self, fn: Callable[[], T]) -> T:
        try:
            return fn()
        except UserFacingError as exc:
            self._last_error = f"{exc.code}: {exc.message_en}"
            raise

    def _failed(self, exc: UserFacingError) -> UserFacingError:
        self._last_error = f"{exc.code}: {exc.message_en}"
        return exc

    def _ctx(self) -> int:
        scard = _scard()
        if self._context is None:
            hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
            if hresult != scard.SCARD_S_SUCCESS:
                raise _offline(scard, hresult, "PC/SC 服务不可用", "PC/SC service not available")
            self._context = int(context)
        return self._context

    def _resolve_reader(self) -> str:
        scard = _scard()
        hresult, names = scard.SCardListReaders(self._ctx(), [])
        if hresult != scard.SCARD_S_SUCCESS:
            self._drop_context_on(scard, hresult)
            names = []
        names = [str(n) for n in names]
        if self.selector.isdigit() and int(self.selector) < len(names):
            self._reader_name = names[int(self.selector)]
        elif self.selector in names:
            self._reader_name = self.selector
        else:
            raise DeviceOffline(
                f"找不到读卡器 {self.selector}",
                detail_en=f"no PC/SC reader {self.selector!r} (readers: {', '.join(names) or 'none'})",
            )
        return self._reader_name

    def _reader_state(self) -> tuple[bool, bytes]:
        scard = _scard()
        name = self._reader_name or self._resolve_reader()
        hresult, states = scard.SCardGetStatusChange(self._ctx(), 0, [(name, scard.SCARD_STATE_UNAWARE)])
        if hresult != scard.SCARD_S_SUCCESS:
            self._drop_context_on(scard, hresult)
            raise _offline(scard, hresult, "读卡器状态读取失败", "reading the reader state failed")
        _reader, event, atr = states[0]
        present = bool(event & scard.SCARD_STATE_PRESENT) and not event & scard.SCARD_STATE_MUTE
        return present, bytes(atr)

    def _connect(self) -> bytes:
        scard = _scard()
        self._disconnect()
        name = self._reader_name or self._resolve_reader()
        hresult, card, protocol = scard.SCardConnect(
            self._ctx(), name, scard.SCARD_SHARE_SHARED, scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1
        )
        if hresult in (scard.SCARD_E_NO_SMARTCARD, scard.SCARD_W_REMOVED_CARD):
            self._card_present = False
            raise CardAbsent()
        if hresult != scard.SCARD_S_SUCCESS:
            self._drop_context_on(scard, hresult)
            raise _offline(scard, hresult, "读卡器连接失败", "connecting to the card failed")
        self._card, self._protocol, self._card_present = int(card), int(protocol), True
        if self.table.select_card:
            self._transact(self.table.select_card, idempotent=False)
        hresult, _reader, _state, _protocol, atr = scard.SCardStatus(self._card)
        if hresult != scard.SCARD_S_SUCCESS:
            raise CardRemoved()
        return _card_atr(bytes(atr))

    def _transact(self, apdu: bytes, *, idempotent: bool = False) -> bytes:
        """One APDU; the answer's data when the status word is 90 xx. Not idempotent unless said: sent once."""
        self._thread.assert_on_thread()
        tries = 1 + (self.read_retries if idempotent else 0)
        try:
            for attempt in range(tries):
                try:
                    return self._checked(self._exchange(apdu))
                except _Lost:
                    log.warning("reader %s: no valid answer (try %d/%d)", self.url, attempt + 1, tries)
                    if self._card_gone():
                        raise CardRemoved() from None
            raise DeviceOffline(
                "读卡器无响应",
                detail_en="card reader not answering",
                data={"outcome": "none" if idempotent else "unknown"},
            )
        except UserFacingError as exc:
            self._last_error = f"{exc.code}: {exc.message_en}"
            raise

    def _exchange(self, apdu: bytes) -> bytes:
        scard = _scard()
        if self._card is None:
            raise CardRemoved("卡片未上电", detail_en="no card session (power on first)")
        hresult, response = scard.SCardTransmit(self._card, self._protocol, list(apdu))
        if hresult in (scard.SCARD_W_REMOVED_CARD, scard.SCARD_E_NO_SMARTCARD, scard.SCARD_W_RESET_CARD):
            # Removed (or reset by someone else): this card session is over, whatever comes next.
            self._card_present = hresult == scard.SCARD_W_RESET_CARD
            raise CardRemoved()
        if hresult in (
            scard.SCARD_E_NO_SERVICE,
            scard.SCARD_E_READER_UNAVAILABLE,
            scard.SCARD_E_UNKNOWN_READER,
        ):
            self._drop_context_on(scard, hresult)
            raise _offline(scard, hresult, "读卡器连接中断", "card reader went away")
        if hresult != scard.SCARD_S_SUCCESS or len(response) < 2:
            raise _Lost
        return bytes(response)

    def _checked(self, answer: bytes) -> bytes:
        sw = int.from_bytes(answer[-2:], "big")
        if sw >> 8 == 0x90:  # 90 00, or PRESENT_CODE's 90 0X (X: error counter, ACR38x CCID §9.3.6.7)
            return answer[:-2]
        if sw == SW_NO_MORE_RETRIES:
            raise CardLocked()
        raise ReaderProtocolError(f"reader refused the command: SW {sw_text(sw)}")

    def _card_gone(self) -> bool:
        """After an unanswered command: did the card leave? Waits up to the removal grace for pcscd
        (or WinSCard) to notice, returning as soon as it does."""
        scard = _scard()
        if self._card is None or self._reader_name is None:
            return False
        hresult, _r, _state, _p, _atr = scard.SCardStatus(self._card)
        if hresult in (scard.SCARD_W_REMOVED_CARD, scard.SCARD_E_NO_SMARTCARD, scard.SCARD_W_RESET_CARD):
            return True
        deadline = time.monotonic() + self.removal_grace_ms / 1000
        known = scard.SCARD_STATE_UNAWARE
        first: int | None = None
        while True:
            wait_ms = 0 if first is None else int(max(0.0, deadline - time.monotonic()) * 1000)
            hresult, states = scard.SCardGetStatusChange(self._ctx(), wait_ms, [(self._reader_name, known)])
            if hresult != scard.SCARD_S_SUCCESS:
                return False  # timeout (still there) or a PC/SC failure the next command reports
            event = int(states[0][1])
            first = event if first is None else first
            # Gone, or gone and back (pcscd counts card events in the high 16 bits).
            if not event & scard.SCARD_STATE_PRESENT or event >> 16 != first >> 16:
                return True
            if wait_ms == 0 and known != scard.SCARD_STATE_UNAWARE:
                return False
            known = event & ~scard.SCARD_STATE_CHANGED

    def _disconnect(self) -> None:
        if self._card is not None:
            scard = _scard()
            # Reset: the next session must present the PSC again, as on the reference reader.
            scard.SCardDisconnect(self._card, scard.SCARD_RESET_CARD)
            self._card = None

    def _drop_context_on(self, scard: ModuleType, hresult: int) -> None:
        """pcscd restarted or the reader was unplugged: start over with a new context next time."""
        if hresult in (
            scard.SCARD_E_NO_SERVICE,
            scard.SCARD_E_INVALID_HANDLE,
            scard.SCARD_E_READER_UNAVAILABLE,
        ):
            self._card = None
            self._reader_name = None
            self._context = None

    def _release(self) -> None:
        try:
            self._disconnect()
            if self._context is not None:
                _scard().SCardReleaseContext(self._context)
        except DeviceOffline:
            pass
        self._context = None


def _offline(scard: ModuleType, hresult: int, zh: str, en: str) -> UserFacingError:
    return DeviceOffline(zh, detail_en=f"{en}: {scard.SCardGetErrorMessage(hresult)}")


def _card_atr(atr: bytes) -> bytes:
    return atr[2:] if atr[:2] == _SYNC_ATR_PREFIX and len(atr) == 6 else atr


def _three(psc: bytes) -> bytes:
    if len(psc) != 3:
        raise ValueError("a PSC is 3 bytes")
    return bytes(psc)
