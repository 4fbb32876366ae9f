"""What a sale sends, statement by statement, where fewer statements are the point (issue 16):
on PostgreSQL each is a round trip. The rules behind each saving hold too: the account's claim is
released only when this transaction saw its own intent holding it, and the clock check of a
transaction's first audit entry still compares with the chain's latest times."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from opstesting import make_world
from sqlalchemy import event, select

from counter_app.keystore import bind_keys
from db.models import Account
from db.queries.accounts import claim_account, release_account
from db.session import unit_of_work


@pytest.fixture
def world(tmp_path):
    w = make_world(tmp_path)
    yield w
    w.close()


def _sale_statements(world) -> list[str]:
    s = world.login("zhang")
    s.open_shift(float_fen=50_000)
    world.issue_card("D-5-308", s)
    seen: list[str] = []

    def note(conn, cursor, statement, params, context, executemany):  # noqa: ANN001 - SQLAlchemy's event
        seen.append(" ".join(statement.split()))

    engine = world.counter.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        s.top_up(account_no="D-5-308", amount_fen=1_000, tendered_fen=1_000)
    finally:
        event.remove(engine, "before_cursor_execute", note)
    return seen


def test_a_sale_updates_its_account_twice_claim_then_result(world):
    statements = _sale_statements(world)
    updates = [st for st in statements if st.startswith("UPDATE accounts")]
    assert len(updates) == 2, updates  # the claim (intent), then the counter with the release (result)
    assert "busy_intent_id" in updates[1] and "purchase_counter" in updates[1]
    with unit_of_work(world.counter.engine) as s:
        account = s.scalars(select(Account).where(Account.account_no == "D-5-308")).one()
        assert account.busy_intent_id is None and account.purchase_counter == 1  # the first sale


def test_no_separate_read_of_the_chain_times(world):
    statements = _sale_statements(world)
    alone = [st for st in statements if st.startswith("SELECT (SELECT max(audit_log.at)")]
    assert alone == []  # read with the head, one statement per write transaction
    with_head = [
        st for st in statements if st.startswith("SELECT audit_log.sequence, audit_log.mac, (SELECT max")
    ]
    assert len(with_head) == 2  # the intent's and the result's transactions


def _account_id(world, account_no: str) -> int:
    with unit_of_work(world.counter.engine) as s:
        return s.scalars(select(Account.id).where(Account.account_no == account_no)).one()


def _claimed(world, account_id: int, intent_id: str) -> None:
    with unit_of_work(world.counter.engine) as s:
        assert claim_account(s, account_id, intent_id, workstation_id=1, at=datetime(2026, 12, 4, tzinfo=UTC))


def _holder(world, account_id: int) -> str | None:
    with unit_of_work(world.counter.engine) as s:
        return s.scalars(select(Account.busy_intent_id).where(Account.id == account_id)).one()


def test_release_of_a_loaded_account_held_by_another_intent_changes_nothing(world):
    account_id = _account_id(world, "D-5-308")
    _claimed(world, account_id, "theirs")
    with unit_of_work(world.counter.engine) as s:
        bind_keys(s, world.counter.keys)
        s.scalars(select(Account).where(Account.id == account_id)).one()  # loaded whole
        assert release_account(s, account_id, "mine") is False
    assert _holder(world, account_id) == "theirs"


def test_release_of_a_loaded_account_held_by_this_intent_clears_it(world):
    account_id = _account_id(world, "D-5-308")
    _claimed(world, account_id, "mine")
    with unit_of_work(world.counter.engine) as s:
        bind_keys(s, world.counter.keys)
        account = s.scalars(select(Account).where(Account.id == account_id)).one()
        version = account.version
        assert release_account(s, account_id, "mine") is True
        s.flush()
        assert account.version == version + 1  # the mapper's version column moved with it
    assert _holder(world, account_id) is None


def test_release_of_an_account_not_loaded_takes_the_guarded_update(world):
    account_id = _account_id(world, "D-5-308")
    _claimed(world, account_id, "theirs")
    with unit_of_work(world.counter.engine) as s:
        assert release_account(s, account_id, "mine") is False
        assert release_account(s, account_id, "theirs") is True
    assert _holder(world, account_id) is None
