"""Setting up this PC's devices (the device page on 设备诊断, `counter-admin devices list`): what is
connected, a test read on a reader and a test slip on a printer the person picked, and saving the
choice for this PC (counter_app/local_config.py, never the shared database).

A picked device is opened for the test and closed again; when it is the device the counter already
runs, the counter's own driver is used (a serial port opens once). The choice takes effect at the
next start of the workstation: the open devices are not swapped under a running shift.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from base.errors import CardMac
from counter_app.context import OpContext
from counter_app.local_config import DeviceChoice, load_device_choice, save_device_choice
from hardware.card_reader import CardReader
from hardware.card_service import CardService
from hardware.discovery import Found, discover
from hardware.printer import SerialPrinter
from hardware.profiles import known_profiles
from hardware.readers import open_card_reader
from receipts.printer_test_slip import printer_test_slip


@dataclass(frozen=True)
class ReaderCheck:
    """What a test read found: the reader's own name (and PC/SC command family), whether a card is
    in it and, for a card this counter can read, its kind and serial. `problem` names why a card
    present could not be read (blank, foreign)."""

    url: str
    version: str
    card_present: bool
    card_kind: str | None = None
    card_serial: str | None = None
    problem: str | None = None


@dataclass(frozen=True)
class PrinterCheck:
    url: str
    version: str | None
    online: bool | None
    paper: str


def list_devices() -> list[Found]:
    return discover()


def test_read_card(ctx: OpContext, url: str) -> ReaderCheck:
    """Read only: version, card present, and the card's kind and serial when one is in."""
    active = ctx.devices.card
    if active is not None and active.reader.url == url:
        return _read_with(active.reader, ctx)
    reader = open_card_reader(url, timeout=1.0, read_retries=1)
    try:
        return _read_with(reader, ctx)
    finally:
        reader.close()


def _read_with(reader: CardReader, ctx: OpContext) -> ReaderCheck:
    version = reader.version()
    if not reader.status().present:
        return ReaderCheck(reader.url, version, card_present=False)
    service = CardService(reader, mac_key=ctx.keys.card_mac, psc_master_key=ctx.keys.psc_master,
                          profiles=known_profiles(), clock=ctx.clock)  # fmt: skip
    try:
        card = service.read_card()
    except CardMac as exc:  # blank or not this system's: the reader works, the card is not ours
        serial = exc.data.get("card_serial")
        return ReaderCheck(reader.url, version, True, card_serial=serial, problem=str(exc))
    return ReaderCheck(reader.url, version, True, card.kind.value, card.card_serial)


def print_test_slip(ctx: OpContext, url: str) -> PrinterCheck:
    """The test slip on the printer at `url` (the counter's own printer when it is that one)."""
    active = ctx.devices.printer
    stamp = ctx.now().strftime("%Y-%m-%d %H:%M:%S")
    printer = active if active is not None and active.url == url else SerialPrinter(url, timeout=1.0)
    try:
        status = printer.print_job(printer_test_slip(ctx.workstation.code, stamp, port=url))
        version = printer.version()
    finally:
        if printer is not active:
            printer.close()
    return PrinterCheck(url, version, status.online, status.paper)


def saved_device_choice() -> DeviceChoice:
    return load_device_choice()


def save_choice(reader_url: str | None, printer_url: str | None) -> Path:
    """This PC's reader and printer, for the next start (an empty URL clears that device)."""
    return save_device_choice(DeviceChoice(reader_url or None, printer_url or None))
