"""换表补电 and tool cards through the facade with the simulator."""

from __future__ import annotations

import pytest
from cardops_testing import audit_ok, rows, sell
from opstesting import make_world

from base.errors import UserFacingError
from db.models import Account, AccountEvent, Card, CardEvent, CardWriteIntent, LedgerEntry


@pytest.fixture
def world(tmp_path):
    w = make_world(tmp_path)
    yield w
    w.close()


def refused(code, call, **kwargs):
    with pytest.raises(UserFacingError) as err:
        call(**kwargs)
    assert err.value.code == code, err.value
    return err.value


def test_parameter_card_starts_the_new_meter_at_the_counter_and_carried_balance(world):
    s = world.login("zhang")
    s.open_shift(float_fen=50_000)
    user = world.issue_card("D-5-308", session=s)
    for _ in range(2):
        sell(world, s, "D-5-308", user)
        world.sim.insert_into_meter(user)
    tool = world.sim.new_blank_card()
    world.sim.present_card(tool)
    result = s.replace_meter(account_no="D-5-308", new_meter_no="M5308B", carried_ckwh=15_000,
                             approval=world.approval("li"))  # fmt: skip
    assert (result.account_no, result.parameter_card_serial) == ("D-5-308", tool)
    assert s.find_account(account_no="D-5-308").meter_no == "M5308B"
    world.sim.insert_into_meter(tool)
    state = world.sim.meter_state("M5308B")
    assert (state.counter, state.remaining_ckwh) == (2, 15_000)

    sale = sell(world, s, "D-5-308", user)
    assert sale.purchase_counter == 3
    world.sim.insert_into_meter(user)
    state = world.sim.meter_state("M5308B")
    assert (state.counter, state.remaining_ckwh) == (3, 15_000 + sale.energy_ckwh)

    (entry,) = rows(world, LedgerEntry, LedgerEntry.kind == "carried")
    assert (entry.energy_ckwh, entry.fen, entry.purchase_counter) == (15_000, 0, 2) and entry.approval_id
    (card,) = rows(world, Card, Card.serial == tool)
    assert (card.status, card.kind, card.meter_no) == ("tool", "parameter", "M5308B")
    (event,) = rows(world, AccountEvent, AccountEvent.kind == "meter_replaced")
    assert event.data["old_meter_no"] == "M5308" and event.data["carried_ckwh"] == 15_000
    assert audit_ok(world)


def test_replace_meter_refusals_write_nothing(world):
    s = world.login("zhang")
    tool = world.sim.new_blank_card()
    world.sim.present_card(tool)
    ok = {"account_no": "D-5-308", "new_meter_no": "M9999", "carried_ckwh": 100}
    refused("APPROVAL_REQUIRED", s.replace_meter, **ok)
    refused("SELF_APPROVAL", s.replace_meter, **ok, approval=world.approval("zhang"))
    refused(
        "APPROVAL_INVALID", s.replace_meter, **ok, approval=world.approval("wu")
    )  # a cashier cannot co-sign
    refused(
        "INPUT_INVALID", s.replace_meter, **{**ok, "new_meter_no": "M5309"}, approval=world.approval("li")
    )
    refused(
        "INPUT_INVALID", s.replace_meter, **{**ok, "new_meter_no": "M5308"}, approval=world.approval("li")
    )
    refused("INPUT_INVALID", s.replace_meter, **{**ok, "carried_ckwh": -1}, approval=world.approval("li"))
    refused(
        "OVER_METER_MAXIMUM", s.replace_meter, **{**ok, "carried_ckwh": 10**9}, approval=world.approval("li")
    )
    user = world.issue_card("D-5-309", session=s)
    world.sim.present_card(user)
    refused(
        "INPUT_INVALID", s.replace_meter, **ok, approval=world.approval("li")
    )  # a user card is no tool stock
    assert rows(world, CardWriteIntent, CardWriteIntent.kind == "parameter") == []
    assert rows(world, Account, Account.account_no == "D-5-308")[0].meter_no == "M5308"
    assert not world.sim.meter_exists("M9999")


def test_tool_cards_are_co_signed_and_logged(world):
    s = world.login("zhang")
    serial = world.sim.new_blank_card()
    world.sim.present_card(serial)
    refused("APPROVAL_REQUIRED", s.issue_tool_card, kind="check", meter_no="M5308")
    refused("INPUT_INVALID", s.issue_tool_card, kind="clear", meter_no="M5308", approval=world.approval("li"))
    refused("INPUT_INVALID", s.issue_tool_card, kind="parameter", meter_no="M5308",
            params={"starting_balance_ckwh": 100}, approval=world.approval("li"))  # fmt: skip
    assert rows(world, Card) == []
    info = s.issue_tool_card(kind="check", meter_no="M5308", approval=world.approval("li"))
    assert (info.card_serial, info.kind, info.account_no) == (serial, "check", None)
    assert world.sim.insert_into_meter(serial) is not None
    world.sim.present_card(serial)  # back from the meter
    again = s.issue_tool_card(kind="parameter", meter_no="M5308", params={"alarm_threshold_ckwh": 500},
                              approval=world.approval("li"))  # a tool card may be rewritten  # fmt: skip
    assert again.kind == "parameter"
    (card,) = rows(world, Card, Card.serial == serial)
    assert (card.status, card.kind, card.meter_no) == ("tool", "parameter", "M5308")
    events = rows(world, CardEvent, CardEvent.card_id == card.id)
    assert [e.kind for e in events] == ["received", "made_tool", "made_tool"]
    assert all(e.approval_id for e in events[1:])
    assert audit_ok(world)
