"""The simulated meter against every row of DOMAIN.md's meter table, through real card writes."""

from __future__ import annotations

import pytest
from hw_helpers import buy, issue_user_card

from hardware.records import CardKind
from hardware.sim.meter import METER_MAX_CKWH


@pytest.fixture
def card(sim, service):
    """A user card for A0001 / meter M001, meter installed at counter 0, empty."""
    sim.install_meter("M001")
    return issue_user_card(sim, service)


def numbers(state):
    return state.counter, state.remaining_ckwh, state.consumed_ckwh


def back_at_counter(sim, service, serial):
    sim.present_card(serial)
    return service.read_card()


def test_next_counter_with_good_mac_loads(sim, service, card):
    """GIVEN purchase counter = meter counter + 1 WHEN inserted THEN energy added, counter set, written back."""
    buy(service, card, 1, 5000)
    assert sim.insert_into_meter(card) == "loaded"
    assert numbers(sim.meter_state("M001")) == (1, 5000, 0)
    reading = back_at_counter(sim, service, card)
    assert reading.loaded and reading.write_back.last_loaded_counter == 1
    assert (reading.write_back.remaining_ckwh, reading.write_back.event) == (5000, "loaded")


def test_same_counter_loads_nothing_but_writes_back(sim, service, card):
    """GIVEN a purchase already loaded WHEN inserted again THEN nothing added, write-back refreshed."""
    buy(service, card, 1, 5000)
    sim.insert_into_meter(card)
    sim.consume("M001", 1200)
    assert sim.insert_into_meter(card) == "no_load"
    assert numbers(sim.meter_state("M001")) == (1, 3800, 1200)
    wb = back_at_counter(sim, service, card).write_back
    assert (wb.remaining_ckwh, wb.consumed_ckwh, wb.event, wb.error) == (3800, 1200, "no_load", None)


def test_counter_gap_is_an_error(sim, service, card):
    """GIVEN purchase counter > meter counter + 1 WHEN inserted THEN nothing loaded, error written back."""
    buy(service, card, 3, 5000)
    assert sim.insert_into_meter(card) == "error"
    assert sim.meter_state("M001").remaining_ckwh == 0
    assert back_at_counter(sim, service, card).write_back.error == "counter_gap"


def test_bad_mac_is_an_error(sim, service, card):
    """GIVEN a card whose records fail the MAC (forged energy) WHEN inserted THEN nothing loaded, error 'mac'."""
    buy(service, card, 1, 5000)
    forged = sim.cards.get(card)
    for slot_at in (0x50, 0x90):
        forged.memory[slot_at + 12] ^= 0x40  # energy field, MAC left as it was
    sim.cards.save(forged)
    assert sim.insert_into_meter(card, meter_no="M001") == "error"
    assert sim.meter_state("M001").remaining_ckwh == 0
    raw_wb = sim.card_image(card)[0xD0 : 0xD0 + 48]
    assert raw_wb[13] == 2  # error code "mac" (the card's records themselves no longer verify)


def test_another_meters_card_is_an_error(sim, service, card):
    """GIVEN a card for meter M001 WHEN inserted into meter M002 THEN nothing loaded there, 'wrong_meter'."""
    sim.install_meter("M002")
    buy(service, card, 1, 5000)
    assert sim.insert_into_meter(card, meter_no="M002") == "error"
    assert sim.meter_state("M002").remaining_ckwh == 0
    assert back_at_counter(sim, service, card).write_back.error == "wrong_meter"


def test_over_maximum_loads_nothing(sim, service, card):
    """GIVEN a load that would exceed the meter's maximum WHEN inserted THEN nothing loaded, 'over_maximum'."""
    sim.install_meter("M001", remaining_ckwh=METER_MAX_CKWH - 100)
    buy(service, card, 1, 101)
    assert sim.insert_into_meter(card) == "error"
    assert sim.meter_state("M001").remaining_ckwh == METER_MAX_CKWH - 100
    assert back_at_counter(sim, service, card).write_back.error == "over_maximum"


def test_clear_card_zeroes_remaining_keeps_counter_and_reports_it(sim, service, card):
    """GIVEN a meter with 3800 left WHEN its clear card is inserted (twice) THEN remaining 0, counter
    kept, the write-back gives 3800 both times."""
    buy(service, card, 1, 5000)
    sim.insert_into_meter(card)
    sim.consume("M001", 1200)
    sim.present_card(card)
    cleared = service.make_clear_card(
        card_serial=card, account_no="A0001", meter_no="M001", clear_seq=1, intent_id="clear-1"
    )
    assert cleared.kind == CardKind.CLEAR
    for _ in range(2):
        assert sim.insert_into_meter(card) == "cleared"
        assert numbers(sim.meter_state("M001")) == (1, 0, 1200)
        wb = back_at_counter(sim, service, card).write_back
        assert (wb.event, wb.remaining_ckwh, wb.last_loaded_counter) == ("cleared", 3800, 1)
    user_again = service.restore_user_card(
        card_serial=card, account_no="A0001", meter_no="M001", purchase_counter=1, intent_id="back"
    )
    assert user_again.kind == CardKind.USER and user_again.purchase.energy_ckwh == 0


def test_parameter_card_starts_a_new_meter(sim, service):
    """GIVEN no meter M009 yet WHEN a parameter card with start counter 7 and 2000 ckwh is inserted
    THEN the meter exists at counter 7 with 2000 left and the threshold set."""
    sim.present_card(sim.new_blank_card())
    tool = service.make_tool_card(
        kind="parameter",
        meter_no="M009",
        intent_id="p1",
        alarm_threshold_ckwh=1000,
        starting_counter=7,
        starting_balance_ckwh=2000,
    )
    assert tool.kind == CardKind.PARAMETER
    assert sim.insert_into_meter(tool.card_serial) == "parameter"
    assert numbers(sim.meter_state("M009")) == (7, 2000, 0)
    sim.consume("M009", 1500)
    assert sim.meter_state("M009").alarms == {"low_balance"}


def test_parameter_card_on_a_used_meter_sets_only_the_threshold(sim, service, card):
    """GIVEN a meter that has loaded WHEN a parameter card with a start counter is inserted THEN only the
    alarm threshold changes."""
    buy(service, card, 1, 5000)
    sim.insert_into_meter(card)
    sim.present_card(sim.new_blank_card())
    tool = service.make_tool_card(
        kind="parameter",
        meter_no="M001",
        intent_id="p2",
        alarm_threshold_ckwh=6000,
        starting_counter=40,
        starting_balance_ckwh=1,
    )
    sim.insert_into_meter(tool.card_serial)
    state = sim.meter_state("M001")
    assert (state.counter, state.remaining_ckwh, state.alarms) == (1, 5000, {"low_balance"})


def test_check_card_changes_nothing_and_reports_state(sim, service, card):
    """GIVEN a meter with alarms WHEN a check card is inserted THEN nothing changes; the state is written back."""
    buy(service, card, 1, 5000)
    sim.insert_into_meter(card)
    sim.set_alarm("M001", "tamper")
    before = sim.meter_state("M001")
    sim.present_card(sim.new_blank_card())
    tool = service.make_tool_card(kind="check", meter_no="M001", intent_id="c1")
    assert sim.insert_into_meter(tool.card_serial) == "check"
    assert sim.meter_state("M001") == before
    wb = back_at_counter(sim, service, tool.card_serial).write_back
    assert (wb.event, wb.remaining_ckwh, wb.alarms) == ("check", 5000, {"tamper"})


def test_broken_meter_ignores_cards(sim, service, card):
    """GIVEN a broken meter WHEN a card is inserted THEN nothing happens to meter or card."""
    buy(service, card, 1, 5000)
    sim.break_meter("M001")
    image = sim.card_image(card)
    assert sim.insert_into_meter(card) is None
    assert sim.card_image(card) == image and sim.meter_state("M001").counter == 0


def test_torn_write_back_reads_as_torn_then_reinsertion_repairs(sim, service, card):
    """GIVEN the meter's write-back torn after 10 bytes WHEN the card is read THEN no write-back values
    are trusted; inserting again loads nothing more and writes back whole."""
    buy(service, card, 1, 5000)
    sim.tear_write_back_at_byte(10)
    assert sim.insert_into_meter(card) == "loaded"
    reading = back_at_counter(sim, service, card)
    assert reading.write_back is None and reading.write_back_torn and not reading.loaded
    assert sim.insert_into_meter(card) == "no_load"
    assert back_at_counter(sim, service, card).loaded
    assert sim.meter_state("M001").remaining_ckwh == 5000


def test_cards_and_meters_survive_a_simulator_restart(sim, service, card, tmp_path):
    """GIVEN a loaded card and meter WHEN the simulator is restarted on the same directory THEN both
    are as they were."""
    from hw_helpers import MAC_KEY

    from hardware.sim.control import SimControl

    buy(service, card, 1, 5000)
    sim.insert_into_meter(card)
    image, state = sim.card_image(card), sim.meter_state("M001")
    sim.close()
    again = SimControl(tmp_path / "sim", mac_key=MAC_KEY)
    try:
        assert again.card_image(card) == image and again.meter_state("M001") == state
    finally:
        again.close()
