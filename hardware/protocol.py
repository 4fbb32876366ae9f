"""Command and status codes of the reference reader (docs/hardware.md §1), shared by the driver
and the simulator so the two cannot drift apart."""

from __future__ import annotations

from enum import IntEnum


class Cmd(IntEnum):
    STATUS = 0x01
    IDENTIFY = 0x02
    POWER_ON = 0x03
    READ_MAIN = 0x10
    READ_PROTECTION = 0x11
    READ_SECURITY = 0x12
    VERIFY_PSC = 0x20
    WRITE_MAIN = 0x21
    WRITE_PROTECTION = 0x22
    CHANGE_PSC = 0x23
    BEEP = 0x30


class Status(IntEnum):
    OK = 0x00
    NO_CARD = 0x01
    CARD_REMOVED = 0x02
    PSC_WRONG = 0x03
    CARD_LOCKED = 0x04
    NOT_VERIFIED = 0x05
    PROTECTED = 0x06
    BAD_PARAM = 0x07
    BAD_COMMAND = 0x08
    NOT_POWERED = 0x09
    CARD_ERROR = 0x0A


# Commands whose repetition cannot change the card: only these are retried after a timeout.
IDEMPOTENT = frozenset({Cmd.STATUS, Cmd.IDENTIFY, Cmd.READ_MAIN, Cmd.READ_PROTECTION, Cmd.READ_SECURITY})

SLE4442_ATR = bytes.fromhex("A2131091")
FACTORY_PSC = b"\xff\xff\xff"
MAIN_SIZE = 256
PROTECTED_AREA = 32


ALL_ATTEMPTS = 3  # an SLE4442 error counter's 0b111


def attempts_left(raw_ec: int) -> int:
    """SLE4442 error counter: one set bit per attempt left among the low 3 bits."""
    return bin(raw_ec & 0b111).count("1")
