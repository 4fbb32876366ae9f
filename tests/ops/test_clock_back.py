"""The PC's clock set back during a shift (issue "Counter operations" §4): sales go on, receipt
numbers stay consecutive, the audit chain verifies, and the writes out of time order are flagged
for the supervisor's morning list."""

from __future__ import annotations

from datetime import timedelta

import pytest
from cardops_testing import audit_ok, sell
from opstesting import START, make_world
from sqlalchemy import select

from counter_app.clock_watch import clock_back_marks
from db.models import LedgerEntry, Receipt
from db.session import unit_of_work


@pytest.fixture
def world(tmp_path):
    w = make_world(tmp_path)
    yield w
    w.close()


def _all(world, model):
    with unit_of_work(world.counter.engine, read_only=True) as s:
        found = list(s.scalars(select(model).order_by(model.id)))
        s.expunge_all()
        return found


def _marks(world, since):
    with unit_of_work(world.counter.engine, read_only=True) as s:
        found = clock_back_marks(s, since)
        s.expunge_all()
        return found


def test_a_clock_set_back_mid_shift_keeps_numbers_and_chain_and_flags_the_entries(world):
    s = world.login("zhang")
    s.open_shift(float_fen=50_000)
    serial = world.issue_card("D-5-308", s)
    world.clock.advance(hours=2)
    first = sell(world, s, "D-5-308", serial)
    assert _marks(world, START) == []  # time only moved forward: nothing flagged

    world.clock.advance(hours=-1)  # someone sets the PC's clock back an hour
    world.sim.insert_into_meter(serial)
    second = sell(world, s, "D-5-308", serial, amount_fen=5_000)
    world.sim.insert_into_meter(serial)
    third = sell(world, s, "D-5-308", serial, amount_fen=3_000)

    assert [first.receipt_no, second.receipt_no, third.receipt_no] == ["W01-00000001", "W01-00000002",
                                                                       "W01-00000003"]  # fmt: skip
    assert audit_ok(world)
    sales = [e for e in _all(world, LedgerEntry) if e.kind == "sale"]
    receipts = _all(world, Receipt)
    marks = _marks(world, START)
    flagged = {(m.what, m.subject_id) for m in marks}
    assert {("ledger_entry", e.id) for e in sales[1:]} <= flagged
    assert {("receipt", r.id) for r in receipts[1:]} <= flagged
    assert ("ledger_entry", sales[0].id) not in flagged and ("receipt", receipts[0].id) not in flagged
    assert any(m.what == "audit_entry" for m in marks)  # intents, print jobs … out of order too
    assert all(m.reason == "clock went back" and m.latest_at - m.at == timedelta(hours=1) for m in marks)
    # The morning list of the next day still sees them (by the later time they involve).
    assert [m.id for m in _marks(world, START + timedelta(hours=1, minutes=30))] == [m.id for m in marks]
    assert _marks(world, START + timedelta(hours=3)) == []


def test_the_clock_coming_back_to_the_right_time_stops_the_flags(world):
    s = world.login("zhang")
    s.open_shift(float_fen=50_000)
    serial = world.issue_card("D-5-308", s)
    world.clock.advance(hours=1)
    sell(world, s, "D-5-308", serial)
    world.clock.advance(hours=-1)
    world.sim.insert_into_meter(serial)
    sell(world, s, "D-5-308", serial)
    flagged = len(_marks(world, START))
    world.clock.advance(hours=2)  # corrected: later than anything written
    world.sim.insert_into_meter(serial)
    sell(world, s, "D-5-308", serial)
    assert len(_marks(world, START)) == flagged
    assert audit_ok(world)


def test_the_morning_list_shows_writes_made_while_the_clock_was_back(tmp_path):
    """GIVEN a sale WHEN the clock goes back an hour and a card is issued THEN the supervisor's
    morning list names the write made out of time order."""
    from datetime import timedelta

    from opstesting import make_world

    world = make_world(tmp_path)
    try:
        s = world.login("zhang")
        s.open_shift(float_fen=0)
        world.issue_card("D-5-308", s)
        s.top_up(account_no="D-5-308", amount_fen=2_000)
        world.clock.set(world.clock() - timedelta(hours=1))
        serial = world.sim.new_blank_card()
        world.sim.present_card(serial)
        s.issue_card(account_no="D-5-309")
        items = world.login("li").morning_list()
        assert any(item.kind == "clock_back" for item in items)
    finally:
        world.close()


def test_ledger_rows_of_one_transaction_are_judged_against_each_other(world):
    """The latest ledger time is read once per transaction and carried: a second entry of the same
    transaction written earlier than the first is still flagged, against the first."""
    from counter_app import audit
    from counter_app.keystore import bind_keys

    s = world.login("zhang")
    s.open_shift(float_fen=0)
    world.issue_card("D-5-308", s)
    s.top_up(account_no="D-5-308", amount_fen=2_000)
    later = world.clock.now + timedelta(hours=1)
    with unit_of_work(world.counter.engine) as db:
        bind_keys(db, world.counter.keys)
        shift_id = db.scalars(select(LedgerEntry.shift_id).where(LedgerEntry.kind == "sale")).first()
        written = []
        for at in (later, later - timedelta(minutes=10)):
            row = LedgerEntry(kind="bill_payment", charge="utility", fen=500, tender="campus_card",
                              shift_id=shift_id, workstation_id=world.counter.workstation.id, at=at,
                              reference="N-9")  # fmt: skip
            db.add(row)
            db.flush()
            audit.record(db, kind="ledger.bill_payment", actor_id=None, workstation="W01", subject=row,
                         payload={}, clock=lambda at=at: at)  # fmt: skip
            written.append(row.id)
    flagged = {m.subject_id: m for m in _marks(world, START) if m.what == "ledger_entry"}
    assert written[0] not in flagged  # later than every entry before it
    assert flagged[written[1]].latest_at == later  # judged against the first, carried
    assert audit_ok(world)
