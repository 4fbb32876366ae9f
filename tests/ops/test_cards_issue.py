"""issue_card through the facade with the simulator: a blank card becomes the account's card."""

from __future__ import annotations

import pytest
from cardops_testing import audit_ok, rows
from opstesting import make_world

from base.errors import UserFacingError
from db.models import Account, AccountEvent, Card, CardEvent, CardWriteIntent


@pytest.fixture
def world(tmp_path):
    w = make_world(tmp_path)
    yield w
    w.close()


def account(world, account_no):
    return rows(world, Account, Account.account_no == account_no)[0]


def test_issue_card_makes_the_blank_card_the_accounts_card(world):
    s = world.login("zhang")
    serial = world.sim.new_blank_card()
    world.sim.present_card(serial)
    info = s.issue_card(account_no="S-12-101")
    assert (info.card_serial, info.kind, info.account_no, info.purchase_counter) == (
        serial,
        "user",
        "S-12-101",
        0,
    )
    assert s.find_account(account_no="S-12-101").card_serial == serial
    read = s.read_card()
    assert (read.kind, read.account_no, read.purchase_counter) == ("user", "S-12-101", 0)
    assert read.loaded is None  # a card that never bought has no previous purchase to load
    (card,) = rows(world, Card, Card.serial == serial)
    assert (card.status, card.kind, card.simulated) == ("issued", "user", True)
    assert [e.kind for e in rows(world, CardEvent, CardEvent.card_id == card.id)] == ["received", "issued"]
    acc = account(world, "S-12-101")
    assert acc.card_serial == serial and acc.busy_intent_id is None
    assert [e.kind for e in rows(world, AccountEvent, AccountEvent.account_id == acc.id)] == ["card_issued"]
    assert audit_ok(world)


def test_a_new_card_sells_and_the_meter_loads_it(world):
    s = world.login("zhang")
    s.open_shift(float_fen=50_000)
    serial = world.issue_card("D-5-308", session=s)
    sale = s.top_up(account_no="D-5-308", amount_fen=5_883, tendered_fen=5_883)
    assert sale.purchase_counter == 1
    assert s.read_card().loaded is False  # now energy waits on the card for its meter
    world.sim.insert_into_meter(serial)
    assert world.sim.meter_state("M5308").remaining_ckwh == sale.energy_ckwh == 10_000


def test_issue_card_installs_an_unknown_meter_in_the_simulator(world):
    s = world.login("zhang")
    opened = s.open_account(room_code="7-201", cls="staff", meter_no="M7201", holder="李老师")
    assert not world.sim.meter_exists("M7201")
    world.issue_card(opened.account_no, session=s)
    assert world.sim.meter_exists("M7201") and world.sim.meter_state("M7201").counter == 0


@pytest.mark.parametrize("make_card", ["issued", "tool"])
def test_issue_card_refuses_a_card_that_is_not_blank(world, make_card):
    if make_card == "issued":
        serial = world.issue_card("D-5-308")
    else:
        serial = world.sim.new_blank_card()
        world.sim.present_card(serial)
        world.login("zhang").issue_tool_card(kind="check", meter_no="M5309", approval=world.approval("li"))
    world.sim.present_card(serial)
    with pytest.raises(UserFacingError) as err:
        world.login("zhang").issue_card(account_no="D-5-309")
    assert err.value.code == "INPUT_INVALID"
    assert account(world, "D-5-309").card_serial is None
    assert not rows(
        world, CardWriteIntent, CardWriteIntent.kind == "issue", CardWriteIntent.card_serial == serial
    )[1:]


def test_issue_card_refuses_a_lost_card_and_an_account_that_has_a_card(world):
    s = world.login("zhang")
    lost = world.issue_card("D-5-308", session=s)
    s.report_lost_card(account_no="D-5-308")
    world.sim.present_card(lost)
    with pytest.raises(UserFacingError) as err:
        s.issue_card(account_no="D-5-309")
    assert err.value.code == "CARD_BLACKLISTED"
    world.issue_card("D-5-309", session=s)
    world.sim.present_card(world.sim.new_blank_card())
    with pytest.raises(UserFacingError) as err:
        s.issue_card(account_no="D-5-309")  # already has a live card: 挂失/补卡 instead
    assert err.value.code == "INPUT_INVALID"
    world.sim.present_card(world.sim.new_blank_card())
    with pytest.raises(UserFacingError) as err:
        s.issue_card(account_no="D-5-308")  # its card is lost: replace_card carries purchases and the fee
    assert err.value.code == "INPUT_INVALID"


def test_issue_card_refusals_write_nothing(world):
    s = world.login("zhang")
    world.sim.present_card(world.sim.new_blank_card())
    for account_no, code in (("X-1", "ACCOUNT_UNKNOWN"),):
        with pytest.raises(UserFacingError) as err:
            s.issue_card(account_no=account_no)
        assert err.value.code == code
    world.sim.present_card(None)
    with pytest.raises(UserFacingError) as err:
        s.issue_card(account_no="D-5-308")
    assert err.value.code == "CARD_ABSENT"
    assert rows(world, Card) == [] and rows(world, CardWriteIntent) == []


def test_admin_may_not_issue_cards(world):
    world.sim.present_card(world.sim.new_blank_card())
    with pytest.raises(UserFacingError) as err:
        world.login("admin").issue_card(account_no="D-5-308")
    assert err.value.code == "ROLE_FORBIDDEN"
    assert rows(world, Card) == []
