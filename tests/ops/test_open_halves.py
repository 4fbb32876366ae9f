"""The open in two halves (issue 16; counter_app/counter.py steps 1–7): `open_for_login` passes every
check a login depends on, `Counter.finish_open` does the rest (high-water mark, recovery, the print
queue, the day's backup), and no login is accepted in between."""

from __future__ import annotations

import pytest
from opstesting import CHEAP, PASSWORD, make_world, set_columns

from base.errors import SimulationRefused
from counter_app.counter import open_for_login
from db.models import Installation


@pytest.fixture
def world(tmp_path):
    w = make_world(tmp_path)
    w.counter.close()  # each test opens its own
    return w


def _open_for_login(world):
    return open_for_login(world.db_url, workstation="W01", simulate=True, sim_dir=world.tmp / "sim",
                          clock=world.clock, keystore=world.keystore, hasher=CHEAP)  # fmt: skip


def test_no_login_before_the_rest_of_the_open_and_one_after(world):
    counter = _open_for_login(world)
    try:
        assert counter.high_water is None and counter.open_finished is False
        with pytest.raises(RuntimeError, match="has not finished"):
            counter.login("zhang", PASSWORD)
        counter.finish_open()
        assert counter.high_water is not None and counter.open_finished is True
        assert counter.login("zhang", PASSWORD).operator.name == "zhang"
    finally:
        counter.close()


def test_the_first_half_still_refuses_simulated_devices_on_production(world):
    world.counter = _open_for_login(world)
    try:
        set_columns(world, Installation, dev=False)  # re-sealed as the software writes it
    finally:
        world.counter.close()
    with pytest.raises(SimulationRefused):
        _open_for_login(world)
