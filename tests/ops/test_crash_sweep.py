"""The crash-point sweep: a top-up in a subprocess killed by SIGKILL at each named point, then a
restart and recovery. After every kill: no card-write left open, the card and the ledger agree,
the meter loads exactly what the ledger sold (no double load, no lost sale), receipt numbers have
no gap, and a receipt that was not printed is printed whole.

Runs ≥ 20 kills per point when CI=true (3 locally); the long run (≥ 100 per point) is
bench/crash_sweep.py (issue "Proof").
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from opstesting import existing_world, make_world
from sqlalchemy import func, select

from base.crashpoints import ENV, TOP_UP_POINTS
from db.models import Account, LedgerEntry, Receipt
from db.session import unit_of_work

WORKER = Path(__file__).with_name("crash_worker.py")
KILLS_PER_POINT = 20 if os.environ.get("CI") == "true" else 3
AMOUNT = 3_000


@pytest.fixture
def prepared(tmp_path):
    world = make_world(tmp_path)
    s = world.login("zhang")
    s.open_shift(float_fen=0)
    serial = world.issue_card("D-5-308", s)
    world.close()
    return tmp_path, serial


def _kill_at(world_dir: Path, serial: str, point: str, rng: random.Random) -> None:
    args = [sys.executable, str(WORKER), str(world_dir), serial, str(AMOUNT)]
    if point == "mid_card_write":
        args.append(str(rng.randint(1, 60)))  # tear the purchase record somewhere inside it
    env = {**os.environ, ENV: point}
    done = subprocess.run(args, env=env, capture_output=True, timeout=120)
    assert done.returncode == -signal.SIGKILL, (
        f"{point}: the worker was not killed (rc {done.returncode}): {done.stderr.decode()[-2000:]}"
    )


def _recover_and_check(world_dir: Path, serial: str, point: str) -> None:
    world = existing_world(world_dir)
    try:
        world.sim.present_card(serial)
        card = world.login("zhang").read_card()  # settles the card's open intents
        assert world.counter.recover() == []
        assert world.login("zhang").open_intents() == [], f"{point}: an intent stayed open"
        with unit_of_work(world.counter.engine, read_only=True) as s:
            account_id, counter = s.execute(select(Account.id, Account.purchase_counter)
                                            .where(Account.account_no == "D-5-308")).one()  # fmt: skip
            sold = s.scalar(select(func.coalesce(func.sum(LedgerEntry.energy_ckwh), 0))
                            .where(LedgerEntry.account_id == account_id, LedgerEntry.kind == "sale"))  # fmt: skip
            sales = s.scalar(select(func.count()).where(LedgerEntry.kind == "sale"))
            seqs = sorted(s.scalars(select(Receipt.seq)))
        assert card.purchase_counter == counter == sales, f"{point}: card and ledger disagree"
        assert seqs == list(range(1, len(seqs) + 1)), f"{point}: receipt numbers have a gap"
        world.sim.insert_into_meter(serial)
        meter = world.sim.meter_state("M5308")
        assert meter.remaining_ckwh + meter.consumed_ckwh == sold, f"{point}: meter loaded ≠ energy sold"
        if point in ("before_print", "mid_print") and sales:
            assert any("购电凭条" in text for text in world.sim.printed()), f"{point}: receipt not printed"
    finally:
        world.close()


@pytest.mark.slow
@pytest.mark.parametrize("point", TOP_UP_POINTS)
def test_a_top_up_killed_at_any_point_loses_and_creates_nothing(prepared, point):
    """GIVEN a counter with an issued card WHEN a top-up dies by SIGKILL at `point`, repeatedly
    THEN after restart and recovery every invariant holds (see module docstring)."""
    world_dir, serial = prepared
    rng = random.Random(point)
    for _ in range(KILLS_PER_POINT):
        _kill_at(world_dir, serial, point, rng)
        _recover_and_check(world_dir, serial, point)
