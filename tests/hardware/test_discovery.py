"""What `counter-admin devices list` and the device page find (hardware/discovery.py): a card host
(here the reference simulator on a socket, which answers IDENTIFY the same way), nothing on a closed
port, PC/SC readers with their family (through pcscd + vpcd when running), and a missing pyscard as
a plain finding, never a traceback. Real serial ports with USB VID:PID cannot be made here (a pty
has none): `serial_ports` is checked with pyserial's own ListPortInfo."""

from __future__ import annotations

import socket
import sys

import pytest
from hw_helpers import MAC_KEY
from pcsc_rig import require_pcsc
from serial.tools.list_ports_common import ListPortInfo

from hardware import discovery
from hardware.sim.control import SimControl


def _port(url: str) -> int:
    return int(url.rsplit(":", 1)[1])


def test_a_card_host_answering_identify_is_found(tmp_path):
    with SimControl(tmp_path / "sim", mac_key=MAC_KEY) as sim:
        found = discovery.card_host(_port(sim.reader_url))
    assert found is not None and found.kind == discovery.CARD_HOST
    assert found.url == sim.reader_url and found.description.startswith("SIM")


def test_nothing_listening_is_no_card_host():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        free = s.getsockname()[1]  # closed again below: nobody listens there
    assert discovery.card_host(free) is None


def test_serial_ports_name_usb_vid_pid(monkeypatch):
    port = ListPortInfo("/dev/ttyUSB0", skip_link_detection=True)
    port.vid, port.pid, port.description, port.manufacturer = (
        0x067B,
        0x2303,
        "USB-Serial Controller",
        "Prolific",
    )
    monkeypatch.setattr(discovery.list_ports, "comports", lambda: [port])
    [found] = discovery.serial_ports()
    assert (found.kind, found.url, found.note) == ("serial", "/dev/ttyUSB0", "USB 067B:2303")
    assert "Prolific" in found.description


def test_missing_pyscard_is_a_plain_finding(monkeypatch):
    monkeypatch.setitem(sys.modules, "smartcard", None)  # import fails as when not installed
    [found] = discovery.pcsc_readers()
    assert found.kind == discovery.PROBLEM and "pyscard" in found.description and not found.url


def test_pcsc_readers_carry_family_and_url():
    require_pcsc()  # the PC/SC rig's own check: skip here, fail in CI
    readers = [f for f in discovery.pcsc_readers() if f.kind == discovery.PCSC]
    assert readers and all(f.url.startswith("pcsc://") for f in readers)
    assert "ACS" in readers[0].note  # vpcd speaks the ACS table (family_for_reader)


def test_pcsc_url_found_opens_the_same_reader():
    require_pcsc()
    from hardware.pcsc_reader import parse_pcsc_url

    for f in discovery.pcsc_readers():
        if f.kind == discovery.PCSC:
            assert parse_pcsc_url(f.url)[0] == f.description


@pytest.mark.parametrize("name,family", [("ACS ACR39U ICC Reader 00 00", "ACS"),
                                         ("HID Global OMNIKEY 3x21 Smart Card Reader 0", "OMNIKEY")])  # fmt: skip
def test_family_is_named_from_the_reader_name(name, family):
    assert discovery._pcsc_reader(name).note.startswith(family)


def test_a_pcsc_fault_while_listing_is_a_line_not_a_traceback(monkeypatch):
    def broken() -> list[discovery.Found]:
        raise OSError("SCardListReaders: service stopped")

    monkeypatch.setattr(discovery, "_pcsc_readers", broken)
    [found] = discovery.pcsc_readers()
    assert found.kind == discovery.PROBLEM and "service stopped" in found.note
