"""The print queue asks only about jobs after its cursor (counter_app/print_queue.py), and the
cursor never passes a job that waits or that is too young to be surely committed in id order:
whatever waits is still found, printed and counted (issue 16: asking about every job ever queued
grew with the counter's age)."""

from __future__ import annotations

import pytest
from opstesting import make_world
from sqlalchemy import select

from counter_app import print_queue, printing
from db.models import PrintJob
from db.session import unit_of_work


@pytest.fixture
def world(tmp_path):
    w = make_world(tmp_path)
    yield w
    w.sim.printer()
    w.close()


@pytest.fixture
def selling(world):
    s = world.login("zhang")
    s.open_shift(float_fen=0)
    world.issue_card("D-5-308", s)
    return s


def _job_ids(world) -> list[int]:
    with unit_of_work(world.counter.engine, read_only=True) as s:
        return list(s.scalars(select(PrintJob.id).order_by(PrintJob.id)))


def _cursor(world) -> print_queue.QueueCursor:
    return world.counter.devices.print_queue


def _ask_now(world, s) -> int:
    """The queue's count, with the cursor free to move now."""
    _cursor(world).advanced_at = float("-inf")
    return world.counter.device_status().queued_receipts


def test_the_cursor_passes_printed_jobs_only_once_they_are_ten_minutes_old(world, selling):
    s = selling
    s.top_up(account_no="D-5-308", amount_fen=1_000, tendered_fen=1_000)
    assert _ask_now(world, s) == 0
    assert _cursor(world).done_through < min(_job_ids(world))  # printed, but too young to pass
    world.clock.advance(minutes=11)
    assert _ask_now(world, s) == 0
    assert _cursor(world).done_through == max(_job_ids(world))  # every job done and settled


def test_a_waiting_job_stops_the_cursor_and_is_still_found_and_printed(world, selling):
    s = selling
    world.sim.printer(paper_out=True)
    s.top_up(account_no="D-5-308", amount_fen=1_000, tendered_fen=1_000)
    waiting = _job_ids(world)[-2:]  # the receipt and its slip
    world.clock.advance(minutes=30)
    assert _ask_now(world, s) == 2
    assert _cursor(world).done_through == waiting[0] - 1  # up to the first job that waits
    world.sim.printer()  # paper back
    assert printing.drain(s.ctx) == 2
    assert _ask_now(world, s) == 0
    assert _cursor(world).done_through == waiting[-1]
