"""The card host itself (hardware/cardhost): what the shared reader tests cannot show — how library
failures are mapped, that the host is a standard-library program, and that it runs as its own
process (the way it runs on Windows, where the library is a 32-bit DLL)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cardhost_rig import build_standin, cardhost_control
from hw_helpers import FAST, MAC_KEY, PSC_KEY, issue_user_card

from base.errors import CardLocked, CardMac, CardRemoved, DeviceOffline
from hardware.card_reader import ReaderProtocolError, SerialCardReader
from hardware.card_service import CardService
from hardware.cardhost.library import device_port_number, error_counter_bits
from hardware.cardhost.reader import HostedReader
from hardware.cardhost.server import CardHostServer
from hardware.protocol import Cmd, attempts_left
from hardware.psc import derive_psc

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def host(tmp_path):
    with cardhost_control(tmp_path, mac_key=MAC_KEY) as control:
        yield control


def test_identify_names_the_host_and_the_library(host, make_reader):
    """GIVEN the host on the stand-in library WHEN asked its version THEN it names the host and the
    library, and says SIM because the library says it is a simulator."""
    version = make_reader(host.reader_url).version()
    assert version.startswith("SIM counter-cardhost 1.0 / libmwic_standin.so SIM mwic_32 stand-in")


def test_reader_not_answering_the_library_is_offline_then_recovers(host, make_reader):
    """GIVEN a reader whose line to the library fails for a few calls WHEN reading THEN the host stays
    silent (DeviceOffline, outcome none for a read) and works again once the reader answers."""
    reader = make_reader(host.reader_url)
    host.present_card(host.new_blank_card())
    reader.power_on()
    host.standin.dll.standin_fail_comm(20)
    with pytest.raises(DeviceOffline) as caught:
        reader.read_main(address=0, length=4)
    assert caught.value.data["outcome"] == "none"
    host.standin.dll.standin_fail_comm(0)
    assert reader.status().present is True
    with pytest.raises(CardRemoved):  # the reopened library has no session: power on again
        reader.read_main(address=0, length=4)
    reader.power_on()
    assert len(reader.read_main(address=0, length=4)) == 4


def test_write_when_the_library_fails_with_the_card_present_is_outcome_unknown(host, make_reader):
    """GIVEN a verified session WHEN swr_4442 fails and the card is still there THEN the host does not
    guess: DeviceOffline with outcome unknown, sent once."""
    service = CardService(make_reader(host.reader_url), mac_key=MAC_KEY, psc_master_key=PSC_KEY)
    issue_user_card(host, service)
    reader = make_reader(host.reader_url)
    reader.power_on()
    reader.verify_psc(psc=_derived_psc(host))
    host.standin.dll.standin_fail_next_write()  # swr_4442 fails; the card stays, nothing written
    host.reader.commands_seen.clear()
    with pytest.raises(DeviceOffline) as caught:
        reader.write_main(address=0x40, data=b"x")
    assert caught.value.data["outcome"] == "unknown"
    assert host.reader.commands_seen.count(Cmd.WRITE_MAIN) == 1


def test_not_an_sle4442_is_card_mac(host, make_reader):
    """GIVEN a card chk_4442 refuses WHEN powering on THEN CardMac (not one of our cards)."""
    reader = make_reader(host.reader_url)
    host.present_card(host.new_blank_card())
    host.standin.dll.standin_not_4442(1)
    with pytest.raises(CardMac):
        reader.power_on()


def test_locked_card_is_card_locked_without_an_attempt(host, make_reader):
    """GIVEN a card whose error counter is 0 WHEN a PSC is presented THEN CardLocked, and csc_4442
    is never called (the counter stays 0, nothing to spend)."""
    serial = host.new_blank_card()
    card = host.cards.get(serial)
    card.error_counter = 0
    host.cards.save(card)
    host.present_card(serial)
    reader = make_reader(host.reader_url)
    reader.power_on()
    with pytest.raises(CardLocked):
        reader.verify_psc(psc=b"\xff\xff\xff")
    assert host.card_attempts_left(serial) == 0


def test_write_to_a_protected_byte_is_refused_not_silently_ignored(host, make_reader):
    """GIVEN a verified session WHEN writing into the factory-protected area THEN the host refuses
    (the chip would silently ignore it and the library report success)."""
    host.present_card(host.new_blank_card())
    reader = make_reader(host.reader_url)
    reader.power_on()
    reader.verify_psc(psc=b"\xff\xff\xff")
    with pytest.raises(ReaderProtocolError):
        reader.write_main(address=4, data=b"\x00")


@pytest.mark.parametrize(
    ("value", "form", "left"),
    [(7, "bits", 3), (6, "bits", 2), (4, "bits", 1), (0, "bits", 0), (3, "count", 3), (1, "count", 1)],
)
def test_error_counter_forms(value, form, left):
    """GIVEN rsct_4442's counter in either form WHEN converted THEN the attempts left are right."""
    assert attempts_left(error_counter_bits(value, form)) == left


@pytest.mark.parametrize("count", [0, 1, 2, 3])
def test_count_form_read_as_bits_never_shows_more_attempts(count):
    """GIVEN a count-form library run with the default (bits) WHEN read THEN never more attempts than
    the card has (so the never-lock rule holds even when misconfigured)."""
    assert attempts_left(error_counter_bits(count, "bits")) <= count


@pytest.mark.parametrize(("text", "port"), [("COM1", 0), ("com3", 2), ("USB", 100), ("5", 5)])
def test_device_port_number(text, port):
    assert device_port_number(text) == port


def test_device_port_number_refuses_nonsense():
    with pytest.raises(ValueError):
        device_port_number("COM0")


def test_host_imports_only_the_standard_library_and_ours():
    """GIVEN the host program WHEN imported THEN no pyserial, Qt, db or core module is loaded (it is
    frozen alone into a 32-bit executable)."""
    code = (
        "import sys, hardware.cardhost.__main__\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        "{'serial', 'PySide6', 'db', 'counter_app', 'ui', 'sqlalchemy'}]\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_host_as_its_own_process(tmp_path):
    """GIVEN `python -m hardware.cardhost --lib … --port 0` WHEN the driver connects THEN it answers
    IDENTIFY and STATUS (no card: the stand-in's controls live in that process)."""
    lib = build_standin(tmp_path / "build")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "hardware.cardhost",
            "--lib",
            str(lib),
            "--port",
            "0",
            "--device-port",
            "COM1",
        ],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("counter-cardhost: listening on socket://127.0.0.1:"), line
        reader = SerialCardReader(line.split(" on ", 1)[1].strip(), **FAST)
        try:
            assert reader.version().startswith("SIM counter-cardhost")
            assert reader.status().present is False
            reader.beep(duration_ms=50)
        finally:
            reader.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_missing_library_is_a_clear_error(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "hardware.cardhost", "--lib", str(tmp_path / "mwic_32.dll"), "--port", "0"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=30,
    )
    assert out.returncode == 2 and "cannot use" in out.stderr


def _derived_psc(host) -> bytes:
    assert host.loaded_serial is not None
    return derive_psc(PSC_KEY, host.loaded_serial)


class _BrokenLibrary:
    """A ReaderLibrary whose get_status raises something that is not a LibraryError (a bug in a
    library binding): the host must survive it."""

    name = "broken.dll"

    def open(self) -> None: ...

    def close(self) -> None: ...

    def version(self) -> str:
        return "1.0"

    def card_present(self) -> bool:
        raise RuntimeError("binding bug")


def test_a_request_the_host_mishandles_does_not_kill_it(make_reader):
    """GIVEN a library call raising an unexpected error WHEN STATUS is asked THEN no answer
    (DeviceOffline), and the host still answers the next request."""
    server = CardHostServer(HostedReader(_BrokenLibrary()))  # type: ignore[arg-type]  # a partial fake
    server.start()
    try:
        reader = make_reader(server.url)
        with pytest.raises(DeviceOffline):
            reader.status()
        assert reader.version() == "counter-cardhost 1.0 / broken.dll 1.0"
    finally:
        server.close()
