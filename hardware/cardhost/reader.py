"""The reference reader protocol (docs/hardware.md §1) answered by a vendor library.

`HostedReader.handle(cmd, data)` turns one request into library calls and returns the status and
payload, or None: no answer at all. The host stays silent when it cannot know what happened (the
reader stopped answering the library, or a card-changing call failed with the card still there),
so the app's driver reports what it reports for a silent reader: reads retried, writes "outcome
unknown". Never a made-up status.

Vendor libraries return only "error" (a negative number without a documented meaning), so after a
failure we ask the reader: is the card still there (get_status)? for a PSC: what does the error
counter say (rsct_4442)? The library has no card session either, so the host keeps one: POWER_ON
remembers the card's first 12 bytes (ATR and serial, protected at the factory) and every card
command first checks that the same card is still there, so a swapped card is CARD_REMOVED and is
never written to. The host also refuses what an SLE4442 would silently ignore (a write without a
verified PSC, a write to a protected byte): the chip answers nothing to those, and a library that
reports success for an ignored write would otherwise hide a driver bug.

Not thread-safe by design: the server calls it from its one thread (vendor libraries are not
safe across threads either).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from hardware.cardhost.library import LibraryError, ReaderLibrary
from hardware.protocol import PROTECTED_AREA, SLE4442_ATR, Cmd, Status, attempts_left

log = logging.getLogger(__name__)

HOST_VERSION = "counter-cardhost 1.0"
_IDENTITY = 12  # ATR (4) + card serial (8): protected at the factory, so they name the card
Answer = tuple[int, bytes] | None


class HostedReader:
    def __init__(self, library: ReaderLibrary) -> None:
        self.library = library
        self._open = False
        self._session: bytes | None = None  # the identity of the powered card
        self._verified = False
        self._commands: dict[int, Callable[[bytes], tuple[int, bytes]]] = {
            Cmd.READ_MAIN: self._read_main,
            Cmd.READ_PROTECTION: lambda data: (Status.OK, self.library.read_protection()),
            Cmd.READ_SECURITY: lambda data: (Status.OK, bytes([self.library.read_error_counter()])),
            Cmd.VERIFY_PSC: self._verify,
            Cmd.WRITE_MAIN: self._write_main,
            Cmd.WRITE_PROTECTION: self._write_protection,
            Cmd.CHANGE_PSC: self._change_psc,
        }

    def version(self) -> str:
        """Names the host and the library. A library that says it is a simulator (its version
        starts with "SIM", as our test stand-in's does) makes the host say so first: the protocol's
        rule is that a simulated reader's version starts with "SIM"."""
        library_version = self.library.version()
        text = f"{HOST_VERSION} / {self.library.name} {library_version}"
        return f"SIM {text}" if library_version.startswith("SIM") else text

    def close(self) -> None:
        if self._open:
            self._open = False
            self.library.close()

    def handle(self, cmd: int, data: bytes) -> Answer:
        if cmd == Cmd.IDENTIFY:
            return Status.OK, self.version().encode("ascii", errors="replace")
        if not self._ensure_open():
            return None
        try:
            return self._dispatch(cmd, data)
        except LibraryError as exc:
            log.warning("card host: %s failed (code %d) during command 0x%02x", exc.function, exc.code, cmd)
            return self._after_failure(cmd)

    # --- the commands --------------------------------------------------------------------------
    def _dispatch(self, cmd: int, data: bytes) -> tuple[int, bytes]:
        if cmd == Cmd.STATUS:
            return self._status()
        if cmd == Cmd.BEEP:
            self.library.beep(data[0] if data else 10)
            return Status.OK, b""
        if cmd == Cmd.POWER_ON:
            return self._power_on()
        command = self._commands.get(cmd)
        if command is None:
            return Status.BAD_COMMAND, b""
        if self._session is None:
            return Status.NOT_POWERED, b""
        gone = self._card_gone()
        return gone if gone is not None else command(data)

    def _status(self) -> tuple[int, bytes]:
        if not self.library.card_present():
            return Status.OK, b"\x00"
        try:
            atr = self.library.read_main(0, 4)
        except LibraryError:
            atr = SLE4442_ATR  # present but unreadable: POWER_ON will say what it is
        return Status.OK, b"\x01" + atr

    def _power_on(self) -> tuple[int, bytes]:
        self._end_session()
        if not self.library.card_present():
            return Status.NO_CARD, b""
        self.library.check_sle4442()
        identity = self.library.read_main(0, _IDENTITY)
        self._session = identity
        return Status.OK, identity[:4]

    def _card_gone(self) -> tuple[int, bytes] | None:
        """CARD_REMOVED when the powered card left or another one took its place."""
        if self.library.card_present() and self.library.read_main(0, _IDENTITY) == self._session:
            return None
        self._end_session()
        return Status.CARD_REMOVED, b""

    def _read_main(self, data: bytes) -> tuple[int, bytes]:
        if len(data) != 3:
            return Status.BAD_PARAM, b""
        address, count = data[0], int.from_bytes(data[1:3], "big")
        if not 1 <= count <= 256 - address:
            return Status.BAD_PARAM, b""
        return Status.OK, self.library.read_main(address, count)

    def _verify(self, data: bytes) -> tuple[int, bytes]:
        if len(data) != 3:
            return Status.BAD_PARAM, b""
        self._verified = False
        before = attempts_left(self.library.read_error_counter())
        if before == 0:
            return Status.CARD_LOCKED, b""
        try:
            self.library.verify_psc(bytes(data))
        except LibraryError as exc:
            return self._psc_refused(exc, before)
        self._verified = True
        return Status.OK, b""

    def _psc_refused(self, exc: LibraryError, before: int) -> tuple[int, bytes]:
        """csc_4442 failed: the error counter tells a wrong PSC (one attempt spent) from a call
        that never reached the card (nothing spent: re-raised, so the host stays silent)."""
        if not self.library.card_present():
            raise exc
        left = attempts_left(self.library.read_error_counter())
        if left == 0:
            return Status.CARD_LOCKED, b""
        if left < before:
            return Status.PSC_WRONG, bytes([left])
        raise exc

    def _write_main(self, data: bytes) -> tuple[int, bytes]:
        if len(data) < 2 or len(data) - 1 > 256 - data[0]:
            return Status.BAD_PARAM, b""
        address, payload = data[0], bytes(data[1:])
        refused = self._refuse_write(address, len(payload))
        if refused is not None:
            return refused
        self.library.write_main(address, payload)
        return Status.OK, b""

    def _refuse_write(self, address: int, length: int) -> tuple[int, bytes] | None:
        if not self._verified:
            return Status.NOT_VERIFIED, b""
        if address < PROTECTED_AREA:
            bits = int.from_bytes(self.library.read_protection(), "little")
            if any(not bits >> a & 1 for a in range(address, min(address + length, PROTECTED_AREA))):
                return Status.PROTECTED, b""
        return None

    def _write_protection(self, data: bytes) -> tuple[int, bytes]:
        if len(data) < 2 or data[0] + len(data) - 1 > PROTECTED_AREA:
            return Status.BAD_PARAM, b""
        if not self._verified:
            return Status.NOT_VERIFIED, b""
        self.library.write_protection(data[0], bytes(data[1:]))
        return Status.OK, b""

    def _change_psc(self, data: bytes) -> tuple[int, bytes]:
        if len(data) != 3:
            return Status.BAD_PARAM, b""
        if not self._verified:
            return Status.NOT_VERIFIED, b""
        self.library.change_psc(bytes(data))
        return Status.OK, b""

    # --- after a failure -----------------------------------------------------------------------
    def _after_failure(self, cmd: int) -> Answer:
        """Ask the reader what the failed call means: no answer from the reader → silent (and the
        library is reopened for the next request); card gone → NO_CARD / CARD_REMOVED; an
        unreadable card at POWER_ON → CARD_ERROR; otherwise silent (outcome unknown)."""
        try:
            present = self.library.card_present()
        except LibraryError:
            log.warning("card host: the reader does not answer the library; reopening it next time")
            self._reset()
            return None
        if not present:
            had_session = self._session is not None
            self._end_session()
            return (Status.CARD_REMOVED if had_session and cmd != Cmd.POWER_ON else Status.NO_CARD), b""
        if cmd == Cmd.POWER_ON:
            return Status.CARD_ERROR, b""
        return None

    def _ensure_open(self) -> bool:
        if self._open:
            return True
        try:
            self.library.open()
        except LibraryError as exc:
            log.warning("card host: ic_init failed (code %d): reader not connected?", exc.code)
            return False
        self._open = True
        return True

    def _reset(self) -> None:
        self._end_session()
        try:
            self.close()
        except LibraryError:
            log.debug("closing the library after a failure failed too", exc_info=True)
        self._open = False

    def _end_session(self) -> None:
        self._session = None
        self._verified = False
