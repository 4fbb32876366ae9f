"""The sale page's reads as look-ups (db/session.py `look_up`): on PostgreSQL they run with no
transaction, on SQLite in a read transaction; either way the cashier gets the same answers and
refusals, and the sale that follows goes through (docs/architecture.md "Look-ups")."""

from __future__ import annotations

import pytest
from opstesting import make_world
from sqlalchemy import event

from base.errors import UserFacingError


@pytest.fixture(params=["sqlite", pytest.param("pg", marks=pytest.mark.pg)])
def world(request, tmp_path):
    w = make_world(tmp_path, db_url=request.getfixturevalue("pg_url") if request.param == "pg" else None)
    yield w
    w.close()


def test_the_sale_pages_reads_answer_alike_and_the_sale_follows(world):
    """GIVEN a cashier with a card on the reader WHEN the sale page finds the room, quotes an
    amount, checks a too-small and a right amount and reads the card THEN each answers as it always
    has (on PostgreSQL with no transaction opened for them), and the sale then goes through."""
    s = world.login("zhang")
    s.open_shift(float_fen=50_000)
    serial = world.issue_card("D-5-308", s)
    world.sim.present_card(serial)
    began: list[object] = []
    event.listen(world.counter.engine, "begin", lambda conn: began.append(conn))
    found = s.find_account(room_code="5-308")
    quoted = s.quote(account_no=found.account_no, amount_fen=2_000)
    with pytest.raises(UserFacingError) as low:
        s.check_top_up(account_no=found.account_no, amount_fen=1)
    checked = s.check_top_up(account_no=found.account_no, amount_fen=2_000)
    card = s.read_card()
    on_pg = world.counter.engine.dialect.name == "postgresql"
    transactions = [c for c in began if not c.get_execution_options().get("counter_look_up")]
    assert found.account_no == card.account_no == "D-5-308"
    assert quoted.amount_fen == checked.amount_fen == 2_000 and quoted.energy_ckwh == checked.energy_ckwh > 0
    assert low.value.code == "BELOW_MINIMUM" and low.value.field == "amount_fen"
    assert (transactions == []) if on_pg else (len(transactions) >= 4)
    sold = s.top_up(account_no="D-5-308", amount_fen=2_000, tendered_fen=2_000)
    assert sold.purchase_counter == 1 and sold.energy_ckwh == quoted.energy_ckwh
