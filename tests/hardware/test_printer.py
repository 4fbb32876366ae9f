"""Printer driver against the simulated printer: status, faults, never a hang, never "paper OK"
when the printer is silent. Waits are bounded by the driver's timeouts."""

from __future__ import annotations

import pytest

from base.errors import DeviceOffline, PrinterPaperOut
from hardware.printer import PrinterStatus, SerialPrinter, decode_status, status_byte_valid

RECEIPT = b"\x1b@\x1c&" + "购电凭条\n".encode("gb18030") + b"\x1dV\x00"


@pytest.fixture
def printer(sim):
    p = SerialPrinter(sim.printer_url, timeout=0.2, write_timeout=1.0)
    yield p
    p.close()


def test_simulated_printer_identifies_itself(printer):
    """GIVEN the simulated printer WHEN asked its model THEN it says SIM…, and diagnostics show a simulator."""
    assert printer.version().startswith("SIM")
    diag = printer.diagnostics()
    assert diag.simulated and diag.connected and diag.port.startswith("socket://")


def test_ready_printer_prints(sim, printer):
    """GIVEN a ready printer WHEN a job is sent THEN the status is ready and the receipt is printed."""
    status = printer.print_job(RECEIPT)
    assert status.ready and status.paper == "ok"
    assert sim.printed() == ["购电凭条"]


@pytest.mark.parametrize(
    ("state", "error", "field"),
    [
        ({"paper_out": True}, PrinterPaperOut, ("paper", "out")),
        ({"cover_open": True}, DeviceOffline, ("cover_open", True)),
        ({"offline": True}, DeviceOffline, ("online", False)),
    ],
)
def test_faults_refuse_the_job_and_print_nothing(sim, printer, state, error, field):
    """GIVEN paper out / cover open / offline WHEN a job is sent THEN the matching error, nothing printed."""
    sim.printer(**state)
    assert getattr(printer.status(), field[0]) == field[1]
    with pytest.raises(error):
        printer.print_job(RECEIPT)
    assert sim.printed() == []


def test_paper_near_end_still_prints(sim, printer):
    """GIVEN paper near its end WHEN printing THEN it prints and says near_end."""
    sim.printer(near_end=True)
    assert printer.print_job(RECEIPT).paper == "near_end"


def test_silent_printer_is_unknown_never_paper_ok(sim, printer):
    """GIVEN a printer that does not answer WHEN status is asked THEN unknown; a job raises DeviceOffline."""
    sim.printer_line.mute = True
    status = printer.status()
    assert status == PrinterStatus(known=False) and status.paper == "unknown" and not status.ready
    with pytest.raises(DeviceOffline):
        printer.print_job(RECEIPT)


def test_invalid_status_byte_is_unknown(sim, printer):
    """GIVEN an answer that breaks the 0xx1xx10 pattern WHEN status is asked THEN unknown."""
    sim.printer_line.garbage_before_next = b"\xff"  # arrives first; read(1) takes it
    assert printer.status().known is False


def test_stale_status_bytes_are_discarded_before_a_query(sim, printer):
    """GIVEN stray bytes waiting in the input buffer WHEN status is asked THEN they are not the answer."""
    sim.printer(paper_out=True)
    printer.status()
    sim.printer()
    sim.printer_line.garbage_before_next = b""
    printer.send(b"\x10\x04\x04")  # its answer (paper out? no: now fine) waits unread
    assert printer.status().paper == "ok"


def test_paper_running_out_mid_receipt_loses_that_receipt(sim, printer):
    """GIVEN paper running out while a receipt is being sent WHEN the receipt completes THEN it is not
    counted as printed (it must be printed whole again)."""
    printer.send(b"\x1b@" + "第一行\n".encode("gb18030"))
    printer.status()  # a round trip: the simulator has taken everything sent before it
    sim.printer(paper_out=True)
    printer.send("第二行\n".encode("gb18030") + b"\x1dV\x00")
    printer.status()
    assert sim.printed() == [] and sim.printer_device.lost_receipts == 1
    with pytest.raises(PrinterPaperOut):
        printer.status().raise_for_fault()


def test_questions_asked_while_the_paper_is_out_spoil_no_later_receipt(sim, printer):
    """GIVEN paper out WHEN the printer is only asked (status, GS I model: its parameter byte 'C' is
    no text) and the paper comes back THEN the next receipt prints whole (issue 14 §3: the receipt
    held by paper-out must come out when the paper is back)."""
    sim.printer(paper_out=True)
    assert printer.status().paper == "out"
    assert printer.version() and printer.version().startswith("SIM")
    sim.printer()
    printer.print_job(RECEIPT)
    assert sim.printed() == ["购电凭条"] and sim.printer_device.lost_receipts == 0


def test_missing_port_is_unknown_status_and_offline_job(tmp_path):
    """GIVEN no such port WHEN status / print THEN unknown / DeviceOffline, no exception of another kind."""
    p = SerialPrinter(str(tmp_path / "nope"), timeout=0.1)
    try:
        assert p.status().known is False
        with pytest.raises(DeviceOffline):
            p.print_job(RECEIPT)
        assert p.diagnostics().last_error
    finally:
        p.close()


def test_status_bits():
    """GIVEN the DLE EOT bytes of a printer WHEN decoded THEN the documented bits mean what they say."""
    assert status_byte_valid(0x12) and status_byte_valid(0x1A) and not status_byte_valid(0x13)
    assert not status_byte_valid(0x00) and not status_byte_valid(0xFF)
    assert decode_status(0x12, 0x12, 0x12) == PrinterStatus(True, True, False, "ok", False)
    assert decode_status(0x1A, 0x32, 0x72).paper == "out"
    assert decode_status(0x1A, 0x16, 0x12).cover_open is True
