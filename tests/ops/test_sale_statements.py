"""What a sale sends, statement by statement, where fewer statements are the point (issue 16):
on PostgreSQL each is a round trip. The rules behind each saving hold too: the account's claim is
released only when this transaction saw its own intent holding it, and the clock check of a
transaction's first audit entry still compares with the chain's latest times."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from opstesting import make_world
from sqlalchemy import event, select, text

from base.errors import UserFacingError
from counter_app import row_seals
from counter_app.keystore import bind_keys
from db.models import Account, ReceiptCounter
from db.numbering import next_seq
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
    return _statements_of(world, lambda: s.top_up(account_no="D-5-308", amount_fen=1_000, tendered_fen=1_000))


def _statements_of(world, act) -> list[str]:  # noqa: ANN001
    seen: list[str] = []

    def note(conn, cursor, statement, params, context, executemany):  # noqa: ANN001 - SQLAlchemy's event
        seen.append(" ".join(statement.split()))

    engine = world.counter.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        act()
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


# --- the receipt counter: one statement from a state this process sealed -------------------------


def _selling(world):
    s = world.login("zhang")
    s.open_shift(float_fen=50_000)
    serial = world.issue_card("D-5-308", s)
    return s, serial


def _sell(world, s, serial) -> str:
    world.sim.present_card(serial)
    receipt_no = s.top_up(account_no="D-5-308", amount_fen=1_000, tendered_fen=1_000).receipt_no
    world.sim.insert_into_meter(serial)  # loaded: the next sale needs no override
    return receipt_no


def _counter_statements(statements: list[str]) -> list[str]:
    return [st for st in statements if "receipt_counters" in st and not st.startswith("SELECT")]


def _seq(receipt_no: str) -> int:
    return int(receipt_no.rsplit("-", 1)[1])


def test_a_second_sale_takes_its_number_in_one_conditional_update(world):
    s, serial = _selling(world)
    first = _sell(world, s, serial)
    writes = _counter_statements(_statements_of(world, lambda: _sell(world, s, serial)))
    assert len(writes) == 1, writes  # no upsert, no separate seal
    assert (
        writes[0].startswith("UPDATE receipt_counters SET value=?, row_mac=?") and "row_mac = ?" in writes[0]
    )
    with unit_of_work(world.counter.engine) as db:
        bind_keys(db, world.counter.keys)
        row = db.scalars(select(ReceiptCounter).where(ReceiptCounter.series == "main")).one()
        assert row_seals.check(db, row).value == _seq(first) + 1  # sealed as it now is


def test_a_number_rolled_back_is_taken_again_not_skipped(world):
    s, serial = _selling(world)
    first = _sell(world, s, serial)
    with pytest.raises(RuntimeError), unit_of_work(world.counter.engine) as db:
        bind_keys(db, world.counter.keys)
        next_seq(db, world.counter.workstation.id)  # the known state moves on, the database does not
        raise RuntimeError("the sale failed after its number")
    assert _seq(_sell(world, s, serial)) == _seq(first) + 1


def test_a_counter_edited_after_the_known_state_is_refused_not_overwritten(world):
    s, serial = _selling(world)
    _sell(world, s, serial)
    # Moved on by SQL: the known state no longer matches, and the checks refuse before the card is
    # written (the counter's seal is checked at the start of the sale and by the upsert).
    with unit_of_work(world.counter.engine) as db:
        db.execute(text("UPDATE receipt_counters SET value = value + 5 WHERE series = 'main'"))
    with pytest.raises(UserFacingError) as refused:
        _sell(world, s, serial)
    assert refused.value.code == "TAMPERED"
