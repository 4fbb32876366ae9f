"""A receipt held by a printer fault prints when the printer comes back, not with the next sale
(issue 14 §3): the workstation's background printing watches the printer while jobs wait.

Through the simulated printer over its real pyserial line; what is asserted is what the printer
decoded from the bytes it received."""

from __future__ import annotations

import time

import pytest
from opstesting import make_world

RETRY_S = 0.1


@pytest.fixture
def world(tmp_path):
    w = make_world(tmp_path)
    w.counter.devices.print_retry_s = RETRY_S
    w.counter.print_in_background(True)  # as the workstation runs
    yield w
    w.sim.printer()
    w.close()


def copies_of(world, receipt_no: str) -> list[str]:
    return [text for text in world.sim.printed() if receipt_no in text]


def wait_until(predicate, timeout_s: float = 5.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_paper_back_prints_the_waiting_receipt_without_another_sale_exactly_once(world):
    """GIVEN paper out WHEN a sale is made THEN nothing is printed and its receipt waits; WHEN the
    paper is back (and no other sale follows) THEN the receipt prints by itself, each copy once."""
    s = world.login("zhang")
    s.open_shift(float_fen=0)
    world.issue_card("D-5-308", s)
    world.counter.wait_for_printing()
    world.sim.printer(paper_out=True)
    printed_before = len(world.sim.printed())

    sale = s.top_up(account_no="D-5-308", amount_fen=5_000)
    world.counter.wait_for_printing()
    time.sleep(5 * RETRY_S)  # several polls of a printer still without paper
    assert len(world.sim.printed()) == printed_before  # nothing reached the paper
    assert world.sim.printer_device.lost_receipts == 0  # and nothing was sent to be lost
    assert world.counter.device_status().queued_receipts == 2  # the receipt and its 确认单
    assert world.counter.devices.print_retry_pending  # the printer is being watched

    world.sim.printer()  # paper back; no sale, no reprint, nothing else asked
    wait_until(lambda: world.counter.device_status().queued_receipts == 0)
    time.sleep(5 * RETRY_S)  # more polls: the receipt must not come out again
    world.counter.wait_for_printing()
    copies = copies_of(world, sale.receipt_no)
    titles = [c.splitlines()[0] + "/" + c.splitlines()[2] for c in copies]
    # the receipt and its confirmation slip, customer's copy and counter's, each exactly once
    assert titles == ["购电凭条/客户联", "购电凭条/存根联", "缴费确认单/客户联", "缴费确认单/存根联"]
    assert "￥50.00" in copies[0] and "84.99 kWh" in copies[0]
    assert not any("补打" in c for c in copies)  # the first printing of it, not a reprint
    assert len(world.sim.printed()) == printed_before + 4
    assert world.sim.printer_device.lost_receipts == 0
    assert not world.counter.devices.print_retry_pending  # nothing waits: the watch has stopped


def test_a_printer_that_stays_faulty_is_asked_again_and_close_stops_the_watch(world):
    """The watch goes on while the fault lasts (cover open here) and ends with the counter."""
    s = world.login("zhang")
    s.open_shift(float_fen=0)
    world.issue_card("D-5-308", s)
    world.counter.wait_for_printing()
    world.sim.printer(cover_open=True)
    s.top_up(account_no="D-5-308", amount_fen=5_000)
    world.counter.wait_for_printing()
    time.sleep(4 * RETRY_S)
    assert world.counter.devices.print_retry_pending
    assert world.counter.device_status().queued_receipts == 2
    world.counter.devices.close()
    assert not world.counter.devices.print_retry_pending
