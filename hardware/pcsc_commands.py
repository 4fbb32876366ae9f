"""The pseudo-APDUs a PC/SC contact reader takes for SLE4442 memory cards, one table per reader family,
and what their status words mean (docs/hardware.md "PC/SC readers").

Memory cards have no APDU interface of their own: the reader's firmware turns class-FF pseudo-APDUs
into the chip's 3-wire commands. Each maker has its own set.

ACS (ACR38U, ACR39U and their compatibles) — "ACR38x (CCID) Reference Manual" v6.04, §9.3.6
"Memory Card – SLE 4432/SLE 4442/SLE 5532/SLE 5542" (pages of §9.3.6.1-4 read; the rest see below):
  §9.3.6.1 SELECT_CARD_TYPE   FF A4 00 00 01 06        -> 90 00 (powers the card down and up: a reset)
  §9.3.6.2 READ_MEMORY_CARD   FF B0 00 addr MEM_L      -> data 90 00
  §9.3.6.3 READ_PRESENTATION_ERROR_COUNTER
                              FF B1 00 00 04           -> ERRCNT DUMMY×3 90 00 (07 = last verify good,
                                                          00 = locked)
  §9.3.6.4 READ_PROTECTION_BITS FF B2 00 00 04         -> PROT1..PROT4 90 00 (PROT1 bit0 = byte 0)
  WRITE_MEMORY_CARD           FF D0 00 addr MEM_L data -> 90 00
  WRITE_PROTECTION_MEMORY_CARD FF D1 00 addr MEM_L data -> 90 00 (protects where the byte matches)
  PRESENT_CODE_MEMORY_CARD    FF 20 00 00 03 PSC       -> 90 0X (X: error counter after the try)
  CHANGE_CODE_MEMORY_CARD     FF D2 00 01 03 PSC       -> 90 00
The last four follow the non-CCID "ACR38x Reference Manual" v6.02 §9.2.2.6 and the 2006 "ACR38
Reference Manual" v1.9 §8.2.7 (where READ_MEMORY_CARD appends 4 protection bytes and PRESENT_CODE
answers ERRCNT CODE 90 00) and public programs driving ACS readers (90 07 after a good PRESENT_CODE).
The driver accepts both shapes: it strips the 4 extra bytes, and reads the error counter after every
PRESENT_CODE instead of trusting its answer.

OMNIKEY (HID OMNIKEY 3x21): UNVERIFIED. HID documents synchronous-card access in the "OMNIKEY Contact
Smart Card Readers Software Developer Guide" (PLT-03099); its pages were not available here, so this
table is the PC/SC Part 3 storage-card shape (READ BINARY B0, UPDATE BINARY D6, VERIFY 20) that HID
readers use for storage cards. Check every line against PLT-03099 and a real reader before use.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Family(StrEnum):
    ACS = "acs"
    OMNIKEY = "omnikey"


@dataclass(frozen=True)
class CommandTable:
    """APDU headers for one reader family. `verified` is False until checked on a real reader."""

    family: Family
    select_card: bytes  # b"" when the family needs no card-type selection
    read: bytes  # + addr + length
    read_error_counter: bytes  # complete APDU
    read_protection: bytes  # complete APDU
    write: bytes  # + addr + length + data
    present_psc: bytes  # + 03 + psc
    change_psc: bytes  # + 03 + psc
    read_answers_protection: bool  # READ answers 4 protection bytes after the data (v6.02 manual)
    verified: bool
    max_read: int = 0xF0  # bytes per READ (ACR38 manual: "Max. allowable size is EC/F0h" on some cards)

    def read_apdu(self, address: int, length: int) -> bytes:
        return self.read + bytes([address, length])

    def write_apdu(self, address: int, data: bytes) -> bytes:
        return self.write + bytes([address, len(data)]) + bytes(data)

    def present_apdu(self, psc: bytes) -> bytes:
        return self.present_psc + b"\x03" + bytes(psc)

    def change_apdu(self, psc: bytes) -> bytes:
        return self.change_psc + b"\x03" + bytes(psc)


ACS = CommandTable(
    family=Family.ACS,
    select_card=bytes.fromhex("FFA4000001") + b"\x06",
    read=bytes.fromhex("FFB000"),
    read_error_counter=bytes.fromhex("FFB1000004"),
    read_protection=bytes.fromhex("FFB2000004"),
    write=bytes.fromhex("FFD000"),
    present_psc=bytes.fromhex("FF200000"),
    change_psc=bytes.fromhex("FFD20001"),
    read_answers_protection=False,
    verified=True,  # against the manual; a real ACR38U/ACR39U has not run these tests
)

# UNVERIFIED (see the module docstring): PC/SC Part 3 storage-card commands as HID readers take them.
OMNIKEY = CommandTable(
    family=Family.OMNIKEY,
    select_card=b"",
    read=bytes.fromhex("FFB000"),
    read_error_counter=bytes.fromhex("FFB0010004"),
    read_protection=bytes.fromhex("FFB0020004"),
    write=bytes.fromhex("FFD600"),
    present_psc=bytes.fromhex("FF200000"),
    change_psc=bytes.fromhex("FF240000"),
    read_answers_protection=False,
    verified=False,
)

TABLES: dict[Family, CommandTable] = {Family.ACS: ACS, Family.OMNIKEY: OMNIKEY}


def family_for_reader(reader_name: str) -> Family:
    """ACS readers name themselves "ACS ACR38U…" / "ACS ACR39U ICC Reader"; HID's "HID Global OMNIKEY
    3x21…" / "OMNIKEY CardMan 3121". vpcd ("Virtual PCD") is our simulator, which speaks ACS."""
    name = reader_name.upper()
    if "OMNIKEY" in name or "CARDMAN" in name:
        return Family.OMNIKEY
    return Family.ACS


# --- status words (ISO 7816-4 classes as the ACS firmware uses them) ---------------------------
SW_OK = 0x9000
SW_NO_MORE_RETRIES = 0x6300  # ACR38x (CCID) manual: "63 00h if there are no more retries"
SW_SECURITY_NOT_SATISFIED = 0x6982  # a write before PRESENT_CODE
SW_WRONG_LENGTH = 0x6700
SW_WRONG_P1P2 = 0x6B00
SW_INS_NOT_SUPPORTED = 0x6D00
SW_CLASS_NOT_SUPPORTED = 0x6E00
SW_WRONG_DATA = 0x6A80  # e.g. a write onto a protected byte


def sw_text(sw: int) -> str:
    return f"{sw >> 8:02X} {sw & 0xFF:02X}"
