"""Meter profiles through the facade: an account whose meter is of another maker's model gets its
card written in that model's format, sells onto it, and the simulated meter of that model loads
it; a check card for it and a replacement meter of the same model speak the same format."""

from __future__ import annotations

import pytest
from cardops_testing import rows
from opstesting import make_world
from profile_testing import SAMPLE_MODEL, register_sample_profile

from base.errors import UserFacingError
from db.models import Account, AccountEvent
from hardware.profile import ReferenceProfile
from hardware.profiles import load_profile


@pytest.fixture
def world(tmp_path, monkeypatch):
    register_sample_profile(tmp_path, monkeypatch)  # before the counter opens: it loads the profiles
    w = make_world(tmp_path)
    yield w
    w.close()


def _sample_account(world, s) -> str:
    info = s.open_account(room_code="7-701", cls="staff", meter_no="M701", holder="王老师", meter_model=SAMPLE_MODEL)
    assert rows(world, Account, Account.account_no == info.account_no)[0].meter_model == SAMPLE_MODEL
    (event,) = rows(world, AccountEvent, AccountEvent.kind == "opened")
    assert event.data["meter_model"] == SAMPLE_MODEL
    return info.account_no


def test_a_sale_onto_a_card_of_another_makers_format_is_loaded_by_its_meter(world):
    s = world.login("zhang")
    s.open_shift(float_fen=50_000)
    account_no = _sample_account(world, s)
    serial = world.issue_card(account_no, session=s)
    image = world.sim.card_image(serial)
    mac_key = world.counter.keys.card_mac
    assert load_profile(SAMPLE_MODEL).claims(image, mac_key=mac_key)
    assert not ReferenceProfile().claims(image, mac_key=mac_key)
    assert world.sim.meter_model("M701") == SAMPLE_MODEL  # the simulator met the meter as its model

    sale = s.top_up(account_no=account_no, amount_fen=10_000, tendered_fen=10_000)
    card = s.read_card()
    assert (card.account_no, card.purchase_counter, card.loaded) == (account_no, 1, False)
    assert world.sim.insert_into_meter(serial) == "loaded"
    assert world.sim.meter_state("M701").remaining_ckwh == sale.energy_ckwh
    world.sim.present_card(serial)
    card = s.read_card()
    assert card.loaded and card.write_back.remaining_ckwh == sale.energy_ckwh
    # The next sale is allowed (the previous one loaded) and lands under the next counter.
    assert s.top_up(account_no=account_no, amount_fen=5_000, tendered_fen=5_000).purchase_counter == 2


def test_a_check_card_and_a_replacement_meter_keep_the_accounts_model(world):
    s = world.login("zhang")
    account_no = _sample_account(world, s)
    world.issue_card(account_no, session=s)
    tool = world.sim.new_blank_card()
    world.sim.present_card(tool)
    s.issue_tool_card(kind="check", meter_no="M701", approval=world.approval("li"))
    assert load_profile(SAMPLE_MODEL).claims(world.sim.card_image(tool), mac_key=b"unused")
    assert world.sim.insert_into_meter(tool) == "check"

    param = world.sim.new_blank_card()
    world.sim.present_card(param)
    s.replace_meter(account_no=account_no, new_meter_no="M701B", carried_ckwh=0, approval=world.approval("li"))
    assert rows(world, Account, Account.account_no == account_no)[0].meter_model == SAMPLE_MODEL
    assert load_profile(SAMPLE_MODEL).claims(world.sim.card_image(param), mac_key=b"unused")
    assert world.sim.insert_into_meter(param) == "parameter"
    assert world.sim.meter_model("M701B") == SAMPLE_MODEL


def test_an_unknown_meter_model_is_refused_and_writes_nothing(world):
    s = world.login("zhang")
    with pytest.raises(UserFacingError) as err:
        s.open_account(room_code="7-701", cls="staff", meter_no="M701", holder="x", meter_model="no-such-meter")
    assert (err.value.code, err.value.field) == ("INPUT_INVALID", "meter_model")
    assert rows(world, AccountEvent) == []


def test_a_meter_replaced_by_another_makers_records_the_new_model(world):
    s = world.login("zhang")
    world.issue_card("D-5-308", session=s)
    param = world.sim.new_blank_card()
    world.sim.present_card(param)
    s.replace_meter(account_no="D-5-308", new_meter_no="M5308S", carried_ckwh=1_000, approval=world.approval("li"),
                    new_meter_model=SAMPLE_MODEL)  # fmt: skip
    assert rows(world, Account, Account.account_no == "D-5-308")[0].meter_model == SAMPLE_MODEL
    (event,) = rows(world, AccountEvent, AccountEvent.kind == "meter_replaced")
    assert event.data["new_meter_model"] == SAMPLE_MODEL
    assert world.sim.insert_into_meter(param) == "parameter"
    assert (world.sim.meter_model("M5308S"), world.sim.meter_state("M5308S").remaining_ckwh) == (SAMPLE_MODEL, 1_000)
