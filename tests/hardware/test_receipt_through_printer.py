"""The receipts the counter builds, received by the simulated printer over a real serial line:
what the printer decodes is exactly what the builder meant to print (both paper widths)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from hardware.printer import SerialPrinter
from hardware.sim.control import SimControl
from receipts.thermal import ReceiptBuilder

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "receipts"))
import receipt_samples  # noqa: E402


@pytest.fixture
def sim(tmp_path):
    with SimControl(tmp_path, mac_key=b"k" * 32) as control:
        yield control


@pytest.mark.parametrize("columns", [32, 48])
@pytest.mark.parametrize("kind", ["sale", "payment", "void", "refund", "confirmation"])
def test_the_printer_prints_what_the_builder_laid_out(sim, columns, kind):
    """GIVEN a receipt laid out for the paper width WHEN its bytes go to the printer through pyserial
    THEN each copy the printer cuts reads exactly as the layout's own text for that copy."""
    printout = getattr(ReceiptBuilder(columns=columns), kind)(getattr(receipt_samples, kind)())
    printer = SerialPrinter(sim.printer_url)
    try:
        printer.print_job(printout.data)
    finally:
        printer.close()
    copies = sim.printed()
    assert len(copies) == 2  # customer and counter copies, each ending in a cut
    assert _printed_lines("\n".join(copies)) == _printed_lines(printout.text)


def _printed_lines(text: str) -> list[str]:
    """The lines with ink on them, in order (feeds before a cut differ only in blank lines)."""
    return [line for line in text.splitlines() if line.strip()]
