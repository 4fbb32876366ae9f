"""Recovery of every card-write intent kind besides top_up (issue, replace_card, parameter, clear,
correction): the card written but the commit lost → a restart with the card back rolls it forward
exactly once; a torn write → aborted, nothing recorded (notes/reliability.md §1)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from cardops_testing import audit_ok, sell
from opstesting import make_world
from quotatesting import count

from base.errors import UserFacingError
from counter_app.ops import card_writes
from db.models import AccountEvent, CardEvent, CardWriteIntent, LedgerEntry


@pytest.fixture
def world(tmp_path):
    w = make_world(tmp_path)
    yield w
    w.close()


@dataclass
class Case:
    run: Callable[[], object]  # the operation, with its card on the reader
    card: str  # the card the write goes to (put back after the restart)
    done: Callable[[], bool]  # the operation's records, exactly once
    nothing: Callable[[], bool]  # none of its records


def _shift(world):
    s = world.login("zhang")
    s.open_shift(float_fen=50_000)
    return s


def _events(world, model, kind) -> int:
    return count(world, model, model.kind == kind)


def issue(world) -> Case:
    s = _shift(world)
    blank = world.sim.new_blank_card()
    world.sim.present_card(blank)
    return Case(lambda: s.issue_card(account_no="S-12-101"), blank,
                lambda: s.find_account(account_no="S-12-101").card_serial == blank
                and _events(world, AccountEvent, "card_issued") == 1,
                lambda: s.find_account(account_no="S-12-101").card_serial is None
                and _events(world, AccountEvent, "card_issued") == 0)  # fmt: skip


def replace_card(world) -> Case:
    s = _shift(world)
    old = world.issue_card("D-5-308", s)
    s.report_lost_card(account_no="D-5-308")
    new = world.sim.new_blank_card()
    world.sim.present_card(new)
    return Case(lambda: s.replace_card(account_no="D-5-308"), new,
                lambda: s.find_account(account_no="D-5-308").card_serial == new
                and _events(world, AccountEvent, "card_replaced") == 1,
                lambda: s.find_account(account_no="D-5-308").card_serial == old
                and _events(world, AccountEvent, "card_replaced") == 0)  # fmt: skip


def parameter(world) -> Case:
    s = _shift(world)
    tool = world.sim.new_blank_card()
    world.sim.present_card(tool)
    return Case(lambda: s.replace_meter(account_no="D-5-308", new_meter_no="M5308B", carried_ckwh=1_500,
                                        approval=world.approval("li")), tool,
                lambda: s.find_account(account_no="D-5-308").meter_no == "M5308B"
                and _events(world, LedgerEntry, "carried") == 1,
                lambda: s.find_account(account_no="D-5-308").meter_no == "M5308"
                and _events(world, LedgerEntry, "carried") == 0)  # fmt: skip


def clear(world) -> Case:
    s = _shift(world)
    serial = world.issue_card("D-5-308", s)
    sell(world, s, "D-5-308", serial)
    world.sim.insert_into_meter(serial)
    world.sim.present_card(serial)
    return Case(lambda: s.issue_clear_card(account_no="D-5-308", reason="毕业离校", approval=world.approval("li")),
                serial, lambda: _events(world, CardEvent, "made_clear") == 1,
                lambda: _events(world, CardEvent, "made_clear") == 0)  # fmt: skip


def correction(world) -> Case:
    s = _shift(world)
    serial = world.issue_card("D-5-308", s)
    sale = sell(world, s, "D-5-308", serial, amount_fen=10_000)
    return Case(lambda: s.correct(receipt_no=sale.receipt_no, reason="多输了", amount_fen=5_000,
                                  approval=world.approval("li")), serial,
                lambda: _events(world, LedgerEntry, "void") == 1 and _events(world, LedgerEntry, "correction") == 1,
                lambda: _events(world, LedgerEntry, "void") == 0
                and _events(world, LedgerEntry, "correction") == 0)  # fmt: skip


KINDS = {"issue": issue, "replace_card": replace_card, "parameter": parameter, "clear": clear,
         "correction": correction}  # fmt: skip


def _kind_of_last_intent(world) -> str:
    from quotatesting import rows

    return rows(world, CardWriteIntent)[-1].kind


@pytest.mark.parametrize("kind", KINDS)
def test_a_written_card_whose_commit_was_lost_rolls_forward_once_after_a_restart(world, kind, monkeypatch):
    case = KINDS[kind](world)

    def lose_commit(ctx, intent_id, *, recovered):
        raise RuntimeError("power cut")

    monkeypatch.setattr(card_writes, "commit_intent", lose_commit)
    with pytest.raises(RuntimeError):
        case.run()
    monkeypatch.undo()
    assert _kind_of_last_intent(world) == kind
    assert case.nothing()  # written on the card, not yet in the books
    world.reopen()
    world.sim.present_card(case.card)
    results = world.counter.recover()
    assert [r.action for r in results] == ["rolled_forward"]
    assert case.done()
    assert world.counter.recover() == []  # exactly once: a second pass and a card read change nothing
    world.login("zhang").read_card()
    assert case.done() and world.login("zhang").open_intents() == []
    assert audit_ok(world)


@pytest.mark.parametrize("kind", KINDS)
def test_a_torn_write_is_aborted_and_nothing_is_recorded(world, kind):
    case = KINDS[kind](world)
    world.sim.pull_card_at_byte(10)
    with pytest.raises(UserFacingError) as err:
        case.run()
    assert err.value.code == "CARD_REMOVED" and err.value.intent_id, err.value  # outcome unknown: stays open
    assert _kind_of_last_intent(world) == kind
    assert [i.state for i in world.login("zhang").open_intents()] == ["open"]
    world.reopen()
    world.sim.present_card(case.card)
    results = world.counter.recover()
    assert [r.action for r in results] == ["aborted"]  # the card still shows its previous record
    assert world.login("zhang").open_intents() == []
    assert case.nothing()
    assert audit_ok(world)
