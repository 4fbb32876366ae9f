"""Two workstations on one PostgreSQL database (issue "Counter operations" §5): each has its own
receipt series, and one account is never written by two counters at once."""

from __future__ import annotations

import threading

import pytest
from opstesting import CHEAP, PASSWORD, make_world
from sqlalchemy import func, select

from base.errors import UserFacingError
from counter_app.counter import open_counter
from db.models import LedgerEntry
from db.session import unit_of_work
from hardware.sim.control import SimControl

pytestmark = pytest.mark.pg


@pytest.fixture
def two_counters(tmp_path, pg_url):
    """W01 with its simulators; W02 on its own simulators that share W01's card files, as if the
    customer's card could be on either counter's reader."""
    world = make_world(tmp_path, db_url=pg_url)
    sim2 = SimControl(
        tmp_path / "sim2", mac_key=world.counter.keys.card_mac, cards_dir=tmp_path / "sim" / "cards"
    )
    w02 = open_counter(pg_url, workstation="W02", reader_url=sim2.reader_url, printer_url=sim2.printer_url,
                       clock=world.clock, keystore=world.keystore, hasher=CHEAP)  # fmt: skip
    yield world, w02, sim2
    w02.close()
    sim2.close()
    world.close()


def test_each_workstation_numbers_its_own_receipts(two_counters):
    world, w02, sim2 = two_counters
    s1 = world.login("zhang")
    s1.open_shift(float_fen=0)
    serial = world.issue_card("D-5-308", s1)
    other = world.issue_card("D-5-309", s1)
    world.sim.present_card(serial)
    assert s1.top_up(account_no="D-5-308", amount_fen=2_000).receipt_no == "W01-00000001"
    world.sim.present_card(None)
    sim2.present_card(other)
    s2 = w02.login("wu", PASSWORD)
    s2.open_shift(float_fen=0)
    assert s2.top_up(account_no="D-5-309", amount_fen=2_000).receipt_no == "W02-00000001"
    assert serial != other


def test_two_counters_selling_to_one_account_at_once_sell_once(two_counters):
    """GIVEN the same card on both readers WHEN both counters sell to it at the same moment THEN
    exactly one sale happens and the other counter gets a clear refusal."""
    world, w02, sim2 = two_counters
    s1 = world.login("zhang")
    s1.open_shift(float_fen=0)
    serial = world.issue_card("D-5-308", s1)
    s2 = w02.login("wu", PASSWORD)
    s2.open_shift(float_fen=0)
    sim2.present_card(serial)
    world.sim.reader_line.delay_s = sim2.reader_line.delay_s = 0.02  # widen the race window
    outcomes: list[object] = []
    start = threading.Barrier(2)

    winners: list[object] = []

    def sell(session):
        start.wait()
        try:
            outcomes.append(session.top_up(account_no="D-5-308", amount_fen=2_000))
            winners.append(session)
        except UserFacingError as error:
            outcomes.append(error.code)

    threads = [threading.Thread(target=sell, args=(s,)) for s in (s1, s2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    refusals = [o for o in outcomes if isinstance(o, str)]
    assert len(outcomes) == 2 and len(refusals) == 1, outcomes
    assert refusals[0] in ("ACCOUNT_BUSY", "PREVIOUS_NOT_LOADED", "CARD_REMOVED")
    with unit_of_work(world.counter.engine, read_only=True) as s:
        assert s.scalar(select(func.count()).where(LedgerEntry.kind == "sale")) == 1
    world.sim.reader_line.delay_s = sim2.reader_line.delay_s = 0
    # Read the card where it was written: each simulator caches the card files it has touched.
    assert winners[0].read_card().purchase_counter == 1
