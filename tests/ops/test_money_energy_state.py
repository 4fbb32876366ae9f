"""A hypothesis state machine over the counter and the simulated meter: sell, load into the meter,
consume, tear a card write, restart. After every step DOMAIN's balances hold:

- energy sold (+ free) = energy the meter loaded + energy still unloaded on the card;
- cash in the ledger = the money the customer handed over for sales that happened;
- purchase counters rise by exactly one per sale;
- receipt numbers are consecutive.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from opstesting import make_world
from sqlalchemy import func, select

from base.errors import UserFacingError
from db.models import LedgerEntry, Receipt
from db.session import unit_of_work

ACCOUNT, METER = "D-5-308", "M5308"


class CounterMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.world = make_world(Path(tempfile.mkdtemp(prefix="counter-state-")))
        self.session = self.world.login("zhang")
        self.session.open_shift(float_fen=0)
        self.serial = self.world.issue_card(ACCOUNT, self.session)
        self.cash_taken = 0
        self.counter = 0
        self.card_unloaded = False  # the card carries a purchase the meter has not loaded

    def teardown(self) -> None:
        self.world.close()

    @rule(amount=st.integers(min_value=1_000, max_value=50_000))
    def top_up(self, amount: int) -> None:
        try:
            result = self.session.top_up(account_no=ACCOUNT, amount_fen=amount, tendered_fen=amount)
        except UserFacingError as error:
            assert self.card_unloaded and error.code == "PREVIOUS_NOT_LOADED", error
            return
        assert not self.card_unloaded
        assert result.purchase_counter == self.counter + 1
        self.counter, self.cash_taken, self.card_unloaded = (
            result.purchase_counter,
            self.cash_taken + amount,
            True,
        )

    @rule(at_byte=st.integers(min_value=1, max_value=60))
    def torn_write(self, at_byte: int) -> None:
        """The card is pulled mid-write; the customer puts it back; nothing was sold."""
        if self.card_unloaded:  # the sale would be refused before any write: nothing to tear
            return
        self.world.sim.pull_card_at_byte(at_byte)
        try:
            self.session.top_up(account_no=ACCOUNT, amount_fen=1_000, tendered_fen=1_000)
        except UserFacingError:
            pass
        else:  # the tear landed after the record was complete: the sale stands
            self.counter, self.cash_taken = self.counter + 1, self.cash_taken + 1_000
            assert not self.card_unloaded
            self.card_unloaded = True
        self.world.sim.present_card(self.serial)
        self.session.read_card()

    @rule()
    def insert_into_meter(self) -> None:
        self.world.sim.insert_into_meter(self.serial)
        self.world.sim.present_card(self.serial)
        self.card_unloaded = False

    @rule(share=st.integers(min_value=1, max_value=100))
    def consume(self, share: int) -> None:
        remaining = self.world.sim.meter_state(METER).remaining_ckwh
        if remaining:
            self.world.sim.consume(METER, max(1, remaining * share // 100))

    @rule()
    def restart(self) -> None:
        self.world.reopen()
        self.world.sim.present_card(self.serial)
        self.session = self.world.login("zhang")

    @invariant()
    def balances_hold(self) -> None:
        with unit_of_work(self.world.counter.engine, read_only=True) as s:
            sold = s.scalar(select(func.coalesce(func.sum(LedgerEntry.energy_ckwh + LedgerEntry.free_ckwh), 0))
                            .where(LedgerEntry.kind == "sale"))  # fmt: skip
            cash = s.scalar(
                select(func.coalesce(func.sum(LedgerEntry.fen), 0)).where(LedgerEntry.kind == "sale")
            )
            seqs = sorted(s.scalars(select(Receipt.seq)))
        meter = self.world.sim.meter_state(METER)
        card = self.world.counter.devices.card.read_card()
        unloaded = 0
        if card.purchase and not card.loaded:
            unloaded = card.purchase.energy_ckwh + card.purchase.free_ckwh
        assert sold == meter.remaining_ckwh + meter.consumed_ckwh + unloaded
        assert cash == self.cash_taken
        assert seqs == list(range(1, len(seqs) + 1))


CounterMachine.TestCase.settings = settings(
    max_examples=10, stateful_step_count=12, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)  # fmt: skip
test_money_and_energy_balance = CounterMachine.TestCase
