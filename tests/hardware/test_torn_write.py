"""Torn card writes (reliability.md test 3): the card pulled at every byte of a purchase write,
3 times each. Every read-back is the old record or the new one, valid, never a corrupt one; and
the simulated meter loads exactly the energy of valid records."""

from __future__ import annotations

import pytest
from hw_helpers import buy, issue_user_card

from base.errors import CardRemoved

SLOT_SIZE = 64


@pytest.mark.parametrize("repetition", range(3))
def test_purchase_write_torn_at_every_byte(sim, service, repetition):
    """GIVEN a user card with a loaded purchase WHEN the next purchase write is torn after n bytes,
    for every n from 0 to the slot size THEN the card reads as old-valid or new-valid, n = 0 is old,
    n = whole slot is new, and the meter's energy equals the energy of records it really loaded."""
    serial = issue_user_card(sim, service, account_no=f"A{repetition}", meter_no=f"M{repetition}")
    sim.install_meter(f"M{repetition}")
    counter, loaded_energy = 0, 0
    for n in range(SLOT_SIZE + 1):
        old = service.read_card().purchase
        energy = 100 + n + repetition
        sim.pull_card_at_byte(n)
        with pytest.raises(CardRemoved):
            buy(
                service,
                serial,
                counter + 1,
                energy,
                account_no=f"A{repetition}",
                meter_no=f"M{repetition}",
                intent_id=f"r{repetition}-n{n}",
            )
        sim.present_card(serial)
        now = service.read_card().purchase
        is_new = now.is_from_intent(f"r{repetition}-n{n}")
        assert now == old or (is_new and (now.purchase_counter, now.energy_ckwh) == (counter + 1, energy))
        assert is_new == (n == SLOT_SIZE) or 0 < n < SLOT_SIZE
        if is_new:
            counter += 1
        assert sim.insert_into_meter(serial) in ("loaded", "no_load")
        loaded_energy += energy if is_new else 0
        assert sim.meter_state(f"M{repetition}").remaining_ckwh == loaded_energy
        sim.present_card(serial)
    assert counter >= 1
