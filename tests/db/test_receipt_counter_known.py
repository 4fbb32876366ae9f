"""A hypothesis state machine over one receipt counter: numbers taken and committed, taken and
rolled back, taken by another PC (a process that never sealed this counter's state), and the
counter row edited by SQL. The fast path (`row_seals.advance_known`: one conditional UPDATE from
the state this process sealed) and the checked upsert must together keep DOMAIN's rule — every
committed number is the next one, none skipped, none reused — and refuse an edited counter."""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from opstesting import make_world
from sqlalchemy import select, text

from base.errors import UserFacingError
from counter_app import row_seals
from counter_app.keystore import bind_keys
from db.models import ReceiptCounter
from db.numbering import next_seq
from db.session import unit_of_work

_WORLD = None
_SERIES = itertools.count(1)


def _world():
    global _WORLD
    if _WORLD is None:
        _WORLD = make_world(Path(tempfile.mkdtemp(prefix="counter-numbers-")))
    return _WORLD


@pytest.fixture(autouse=True, scope="module")
def _close_world():
    global _WORLD
    yield
    if _WORLD is not None:
        _WORLD.close()
        _WORLD = None


class _Rollback(Exception):
    pass


class CounterNumbers(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.world = _world()
        self.series = f"p{next(_SERIES)}"  # a counter of its own for each example
        self.issued: list[int] = []  # committed numbers, in order
        self.edited = False

    def _take(self, *, commit: bool, other_pc: bool = False) -> int | None:
        known = row_seals._KNOWN_COUNTERS
        if other_pc:  # a process that never sealed this counter: nothing known
            row_seals._KNOWN_COUNTERS = {}
        try:
            with unit_of_work(self.world.counter.engine) as db:
                bind_keys(db, self.world.counter.keys)
                value = next_seq(db, self.world.counter.workstation.id, self.series)
                if not commit:
                    raise _Rollback
            return value
        except _Rollback:
            return None
        finally:
            if other_pc:
                row_seals._KNOWN_COUNTERS = known

    @rule()
    def take_and_commit(self) -> None:
        if self.edited:
            return
        assert self._take(commit=True) == len(self.issued) + 1
        self.issued.append(len(self.issued) + 1)

    @rule()
    def take_and_roll_back(self) -> None:
        if self.edited:
            return
        self._take(commit=False)  # the number goes back with its transaction

    @rule()
    def another_pc_takes(self) -> None:
        if self.edited:
            return
        assert self._take(commit=True, other_pc=True) == len(self.issued) + 1
        self.issued.append(len(self.issued) + 1)

    @rule()
    def edited_by_sql(self) -> None:
        """An insider moves the counter (back or on): the next number is refused, not taken."""
        if not self.issued or self.edited:
            return
        with unit_of_work(self.world.counter.engine) as db:
            db.execute(
                text("UPDATE receipt_counters SET value = value - 1 WHERE series = :s"), {"s": self.series}
            )
        with pytest.raises(UserFacingError) as refused:
            self._take(commit=True)
        assert refused.value.code == "TAMPERED"
        self.edited = True

    @invariant()
    def the_counter_is_the_last_number_committed_and_sealed(self) -> None:
        if self.edited:
            return
        with unit_of_work(self.world.counter.engine, read_only=True) as db:
            bind_keys(db, self.world.counter.keys)
            row = db.scalars(select(ReceiptCounter).where(ReceiptCounter.series == self.series)).one_or_none()
            if not self.issued:
                return  # (a counter created by a rolled-back take is gone with it)
            assert row is not None and row_seals.check(db, row).value == len(self.issued)


CounterNumbers.TestCase.settings = settings(
    max_examples=25, stateful_step_count=12, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
TestCounterNumbers = CounterNumbers.TestCase
