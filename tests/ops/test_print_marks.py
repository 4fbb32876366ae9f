"""The print queue marks each job printed right after ITS bytes went to the printer (issue 16 kept
the rule when the mark left the ORM): a crash between a sale's two jobs leaves the printed one
marked and the other waiting, so nothing is printed twice and nothing is lost.

What is asserted is what the simulated printer decoded from the bytes it received."""

from __future__ import annotations

import pytest
from opstesting import make_world

from counter_app import audit, printing
from counter_app.keystore import bind_keys
from db.session import unit_of_work


class PowerCut(BaseException):
    """The process dying at this point: nothing catches it (the crash sweep kills with SIGKILL)."""


@pytest.fixture
def world(tmp_path):
    w = make_world(tmp_path)
    yield w
    w.sim.printer()
    w.close()


def titles_of(world, receipt_no: str) -> list[str]:
    return [text.splitlines()[0] for text in world.sim.printed() if receipt_no in text]


def test_a_crash_between_two_jobs_marks_the_printed_one_only_and_nothing_prints_twice(world, monkeypatch):
    """GIVEN a sale's receipt and 确认单 waiting (paper out) WHEN the power goes after the receipt's
    bytes reached the printer, before the slip's THEN the receipt alone is marked printed; the next
    drain prints the slip alone, and every mark is sealed and counted (audit verify finds nothing)."""
    s = world.login("zhang")
    s.open_shift(float_fen=0)
    world.issue_card("D-5-308", s)
    world.sim.printer(paper_out=True)
    sale = s.top_up(account_no="D-5-308", amount_fen=5_000)
    assert world.counter.device_status().queued_receipts == 2
    world.sim.printer()  # paper back

    real_send, sent = printing._send, []

    def send_one_then_die(printer, data: bytes) -> None:
        if sent:
            raise PowerCut
        sent.append(data)
        real_send(printer, data)

    monkeypatch.setattr(printing, "_send", send_one_then_die)
    with pytest.raises(PowerCut):
        printing.drain(s.ctx)
    monkeypatch.setattr(printing, "_send", real_send)
    assert titles_of(world, sale.receipt_no) == ["购电凭条", "购电凭条"]  # both copies of the receipt
    assert world.counter.device_status().queued_receipts == 1  # the slip waits

    assert printing.drain(s.ctx) == 1
    assert titles_of(world, sale.receipt_no) == ["购电凭条", "购电凭条", "缴费确认单", "缴费确认单"]
    assert world.counter.device_status().queued_receipts == 0
    with unit_of_work(world.counter.engine, read_only=True) as db:
        bind_keys(db, world.counter.keys)
        assert [p.reason for p in audit.verify(db).problems] == []
