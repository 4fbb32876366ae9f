"""Vendor reader libraries as the card host sees them: `ReaderLibrary`, and `MwicLibrary` for the
Mingwah (明华) `mwic_32.dll` and the clones that ship a compatible one.

The Mingwah API, as declared by the vendor header `mwic_32.h` and by the open-source programs that
call it (e.g. DuBin1988/newsellinggas CardService/mwwrapper, celeron633/mwrd6.6 Examples/Vfp
rd32_42.prg, Delphi units declaring `external 'Mwic_32.dll'`):

    HANDLE  ic_init(__int16 port, unsigned long baud)     port 0 = COM1, 1 = COM2, …; 100 = USB
    __int16 ic_exit(HANDLE icdev)
    __int16 lib_ver(char *ver)
    __int16 get_status(HANDLE icdev, __int16 *state)      state 1 = a card in the reader, 0 = none
    __int16 chk_4442(HANDLE icdev)                        0 = the card is an SLE4442
    __int16 srd_4442(HANDLE icdev, __int16 offset, __int16 len, unsigned char *buf)
    __int16 swr_4442(HANDLE icdev, __int16 offset, __int16 len, unsigned char *buf)
    __int16 prd_4442(HANDLE icdev, __int16 len, unsigned char *buf)      protection memory
    __int16 pwr_4442(HANDLE icdev, __int16 offset, __int16 len, unsigned char *buf)
    __int16 csc_4442(HANDLE icdev, __int16 len, unsigned char *psc)      present (verify) the PSC
    __int16 wsc_4442(HANDLE icdev, __int16 len, unsigned char *psc)      change the PSC
    __int16 rsct_4442(HANDLE icdev, __int16 *counter)     the PSC error counter
    __int16 dv_beep(HANDLE icdev, __int16 time)

All stdcall on 32-bit Windows. Return value: 0 = success, negative = error (ic_init: a handle, or
negative). The vendor documents no meaning for the individual negative numbers, and clones differ,
so nothing here interprets them: a failed call raises `LibraryError(function, code)` and the host
(hardware/cardhost/reader.py) asks the reader afterwards what happened (card still there? error
counter?). The raw code goes to the log.

`rsct_4442`'s counter comes in two forms among the libraries seen: the raw error-counter bits (the
vendor's own demo prints it in base 2: 111, 110, 100, 000) or a count of attempts left (3…0).
`counter_form="bits"` (the default) reads it as bits: for a count-form library that never shows
*more* attempts than there are (a count n has at most n bits set), so the driver's "never lock a
card" rule still holds; `counter_form="count"` is exact for count-form libraries.
"""

from __future__ import annotations

import ctypes
import logging
import sys
from pathlib import Path
from typing import Literal, Protocol

log = logging.getLogger(__name__)

CounterForm = Literal["bits", "count"]

_HANDLE = ctypes.c_ssize_t  # HANDLE: pointer-sized; negative = ic_init failed
_SHORT = ctypes.c_short


class LibraryError(Exception):
    """A library function returned an error code (the code itself means nothing portable)."""

    def __init__(self, function: str, code: int) -> None:
        super().__init__(f"{function} returned {code}")
        self.function = function
        self.code = code


class ReaderLibrary(Protocol):
    """What the card host needs from a vendor library. Every method raises `LibraryError` when the
    library reports a failure; none of them may be called from more than one thread."""

    name: str

    def open(self) -> None: ...

    def close(self) -> None: ...

    def version(self) -> str: ...

    def card_present(self) -> bool: ...

    def check_sle4442(self) -> None: ...

    def read_main(self, offset: int, length: int) -> bytes: ...

    def write_main(self, offset: int, data: bytes) -> None: ...

    def read_protection(self) -> bytes: ...

    def write_protection(self, offset: int, data: bytes) -> None: ...

    def verify_psc(self, psc: bytes) -> None: ...

    def change_psc(self, psc: bytes) -> None: ...

    def read_error_counter(self) -> int:
        """The SLE4442 error counter as raw bits (low 3 bits: one per attempt left)."""
        ...

    def beep(self, units_10ms: int) -> None: ...


def error_counter_bits(value: int, form: CounterForm) -> int:
    """rsct_4442's counter as SLE4442 error-counter bits (see the module docstring)."""
    if form == "count":
        return (1 << max(0, min(3, value))) - 1
    return value & 0b111


def device_port_number(device_port: str) -> int:
    """ic_init's port: COM1 → 0, COM2 → 1, …; "USB" → 100 (the vendor's USB port number); a plain
    number is passed through."""
    text = device_port.strip().upper()
    if text == "USB":
        return 100
    if text.startswith("COM") and text[3:].isdigit() and int(text[3:]) >= 1:
        return int(text[3:]) - 1
    if text.isdigit():
        return int(text)
    raise ValueError(f"not a reader port: {device_port!r} (COM1, COM2, …, USB or a number)")


def _load(path: Path) -> ctypes.CDLL:
    # The vendor DLL is stdcall (WinDLL); our stand-in on Linux is cdecl (CDLL).
    if sys.platform == "win32":
        return ctypes.WinDLL(str(path))
    return ctypes.CDLL(str(path))


class MwicLibrary:
    """`mwic_32.dll` (or a compatible library at `path`) on reader port `port` at `baud`."""

    def __init__(
        self, path: str | Path, *, port: int = 0, baud: int = 9600, counter_form: CounterForm = "bits"
    ) -> None:
        self.path = Path(path)
        self.name = self.path.name
        self.port = port
        self.baud = baud
        self.counter_form: CounterForm = counter_form
        self._dll = _load(self.path)
        self._declare()
        self._icdev: int | None = None

    def _declare(self) -> None:
        buf = ctypes.c_char_p  # unsigned char * (we pass create_string_buffer buffers)
        signatures: dict[str, list[type]] = {
            "ic_exit": [_HANDLE],
            "get_status": [_HANDLE, buf],
            "chk_4442": [_HANDLE],
            "srd_4442": [_HANDLE, _SHORT, _SHORT, buf],
            "swr_4442": [_HANDLE, _SHORT, _SHORT, buf],
            "prd_4442": [_HANDLE, _SHORT, buf],
            "pwr_4442": [_HANDLE, _SHORT, _SHORT, buf],
            "csc_4442": [_HANDLE, _SHORT, buf],
            "wsc_4442": [_HANDLE, _SHORT, buf],
            "rsct_4442": [_HANDLE, buf],
            "dv_beep": [_HANDLE, _SHORT],
        }
        for name, argtypes in signatures.items():
            function = getattr(self._dll, name)
            function.argtypes = argtypes
            function.restype = _SHORT
        self._dll.ic_init.argtypes = [_SHORT, ctypes.c_ulong]
        self._dll.ic_init.restype = _HANDLE

    # --- the reader ----------------------------------------------------------------------------
    def open(self) -> None:
        handle = int(self._dll.ic_init(self.port, self.baud))
        if handle < 0:
            raise LibraryError("ic_init", handle)
        self._icdev = handle

    def close(self) -> None:
        if self._icdev is not None:
            code = int(self._dll.ic_exit(self._icdev))
            self._icdev = None
            if code != 0:
                log.info("ic_exit returned %d", code)

    def version(self) -> str:
        """lib_ver's text; clones without lib_ver say so."""
        lib_ver = getattr(self._dll, "lib_ver", None)
        if lib_ver is None:
            return "no lib_ver"
        lib_ver.argtypes = [ctypes.c_char_p]
        lib_ver.restype = _SHORT
        text = ctypes.create_string_buffer(256)
        if int(lib_ver(text)) != 0:
            return "lib_ver failed"
        return text.value.decode("ascii", errors="replace").strip()

    def card_present(self) -> bool:
        state = ctypes.create_string_buffer(4)  # __int16 in the header, int in some clones
        self._call("get_status", state)
        return int.from_bytes(state.raw[:4], "little") & 1 == 1

    def check_sle4442(self) -> None:
        self._call("chk_4442")

    def beep(self, units_10ms: int) -> None:
        self._call("dv_beep", units_10ms)

    # --- the SLE4442 ---------------------------------------------------------------------------
    def read_main(self, offset: int, length: int) -> bytes:
        data = ctypes.create_string_buffer(length)
        self._call("srd_4442", offset, length, data)
        return data.raw

    def write_main(self, offset: int, data: bytes) -> None:
        self._call("swr_4442", offset, len(data), ctypes.create_string_buffer(bytes(data), len(data)))

    def read_protection(self) -> bytes:
        bits = ctypes.create_string_buffer(4)
        self._call("prd_4442", 4, bits)
        return bits.raw

    def write_protection(self, offset: int, data: bytes) -> None:
        self._call("pwr_4442", offset, len(data), ctypes.create_string_buffer(bytes(data), len(data)))

    def verify_psc(self, psc: bytes) -> None:
        self._call("csc_4442", 3, ctypes.create_string_buffer(bytes(psc), 3))

    def change_psc(self, psc: bytes) -> None:
        self._call("wsc_4442", 3, ctypes.create_string_buffer(bytes(psc), 3))

    def read_error_counter(self) -> int:
        counter = ctypes.create_string_buffer(4)
        self._call("rsct_4442", counter)
        return error_counter_bits(int.from_bytes(counter.raw[:4], "little"), self.counter_form)

    def _call(self, function: str, *args: object) -> None:
        if self._icdev is None:
            raise LibraryError(function, -1)  # not open: the caller reopens
        code = int(getattr(self._dll, function)(self._icdev, *args))
        if code != 0:
            raise LibraryError(function, code)
