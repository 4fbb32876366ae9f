"""The audit chain: a clean history verifies; every kind of tampering (entry edited, deleted,
inserted, swapped, tail truncated; subject row edited, deleted, inserted behind our back) is
caught and the first bad entry named; concurrent appends never fork the chain."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from base.errors import AuthFailed
from counter_app import audit
from counter_app.approvals import Approval, approve
from counter_app.audit import chain_head, recording_refusals, verify
from counter_app.auth import authenticate
from counter_app.keystore import Keys
from db.engine import make_engine, sqlite_url_for
from db.migrate import upgrade_to_head
from security.helpers import PASSWORD, WS, make_people, work

# A column of each audited table that tampering may change (any non-key column would do).
EDITABLE = {
    "operators": ("display_name", "'someone else'"),
    "role_grants": ("at", "'2001-01-01 00:00:00.000000'"),
    "approvals": ("reason", "'edited'"),
    "approval_uses": ("used_at", "'2025-03-11 00:00:00.000000'"),
    "login_attempts": ("workstation", "'W99'"),
    "approval_failures": ("reason", "'edited'"),
}


def build_history(engine, keys, clock, hasher) -> None:
    """People, approvals and logins, refused ones included; each subject named by one entry."""
    with work(engine, keys) as session:
        people = make_people(session, clock=clock, hasher=hasher)
    for n in range(8):
        clock.advance(minutes=3)
        with work(engine, keys) as session:
            approve(session, approval=Approval(name="li", password=PASSWORD), kind="refund_room",
                    payload={"account_no": f"A{n:04}", "refund_fen": 100 * n}, maker_id=people.cashier,
                    workstation=WS, clock=clock, hasher=hasher)  # fmt: skip
        with recording_refusals(engine, keys=keys) as session:
            authenticate(session, name="zhang", password=PASSWORD, workstation=WS, clock=clock, hasher=hasher)
    with pytest.raises(AuthFailed), recording_refusals(engine, keys=keys) as session:
        authenticate(
            session, name="zhang", password="not-it-at-all", workstation=WS, clock=clock, hasher=hasher
        )


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """A SQLite file with a history, its keys and its head; each example tampers with a copy."""
    import argon2

    from base.clock import BUSINESS_TZ, FixedClock

    path = tmp_path_factory.mktemp("history") / "base.db"
    engine = make_engine(sqlite_url_for(path), create=True)
    upgrade_to_head(engine)
    keys = Keys.generate()
    from datetime import datetime

    clock = FixedClock(datetime(2025, 3, 10, 9, 0, tzinfo=BUSINESS_TZ))
    build_history(engine, keys, clock, argon2.PasswordHasher.from_parameters(argon2.profiles.CHEAPEST))
    with work(engine, keys) as session:
        head = chain_head(session)
        assert verify(session, keys.audit_hmac, expected_head=head).ok
    engine.dispose()
    return path, keys, head


def verify_copy(path: Path, keys: Keys, head):
    engine = make_engine(sqlite_url_for(path))
    try:
        with work(engine, keys) as session:
            return verify(session, keys.audit_hmac, expected_head=head)
    finally:
        engine.dispose()


def entries(conn) -> list[tuple]:
    return conn.execute(
        "SELECT sequence, subject_table, subject_id, mac FROM audit_log ORDER BY sequence"
    ).fetchall()


# Each tamper takes the raw connection and a drawn index, does its damage like someone with SQL
# access would (foreign keys off), and returns the sequence verification must name first
# (None: a row with no entry at all).


def edit_entry(conn, data):
    seq = data.draw(st.sampled_from([e[0] for e in entries(conn)]), label="seq")
    column = data.draw(
        st.sampled_from(["kind", "payload_json", "actor_id", "at", "workstation", "subject_digest", "mac"])
    )
    value = {"actor_id": "999", "at": "'2020-01-01 00:00:00.000000'", "payload_json": "'{}'"}.get(
        column, f"'x' || COALESCE({column}, '')"
    )
    conn.execute(f"UPDATE audit_log SET {column} = {value} WHERE sequence = ?", (seq,))
    return seq


def delete_entry(conn, data):
    seq = data.draw(st.sampled_from([e[0] for e in entries(conn)]), label="seq")
    conn.execute("DELETE FROM audit_log WHERE sequence = ?", (seq,))
    return seq


def insert_entry(conn, data):
    rows = entries(conn)
    after = data.draw(st.integers(0, len(rows)), label="after")
    conn.execute("UPDATE audit_log SET sequence = sequence + 1000000 WHERE sequence > ?", (after,))
    conn.execute("UPDATE audit_log SET sequence = sequence - 999999 WHERE sequence > 1000000")
    conn.execute(
        "INSERT INTO audit_log (sequence, at, kind, actor_id, workstation, payload_json, prev_mac, mac) "
        "VALUES (?, '2025-03-10 01:00:00.000000', 'login.ok', 1, 'W01', '{}', ?, ?)",
        (after + 1, "ab" * 32, "cd" * 32),
    )
    return after + 1


def swap_entries(conn, data):
    seqs = [e[0] for e in entries(conn)]
    i, j = sorted(
        data.draw(st.lists(st.sampled_from(seqs), min_size=2, max_size=2, unique=True), label="pair")
    )
    conn.execute("UPDATE audit_log SET sequence = -1 WHERE sequence = ?", (i,))
    conn.execute("UPDATE audit_log SET sequence = ? WHERE sequence = ?", (i, j))
    conn.execute("UPDATE audit_log SET sequence = ? WHERE sequence = -1", (j,))
    return i


def truncate_tail(conn, data):
    seq = data.draw(st.sampled_from([e[0] for e in entries(conn)]), label="from")
    conn.execute("DELETE FROM audit_log WHERE sequence >= ?", (seq,))
    return seq


def edit_subject(conn, data):
    seq, table, row_id, _mac = data.draw(st.sampled_from([e for e in entries(conn) if e[1]]), label="entry")
    column, value = EDITABLE[table]
    conn.execute(f"UPDATE {table} SET {column} = {value} WHERE id = ?", (row_id,))
    return seq


def delete_subject(conn, data):
    seq, table, row_id, _mac = data.draw(st.sampled_from([e for e in entries(conn) if e[1]]), label="entry")
    conn.execute(f"DELETE FROM {table} WHERE id = ?", (row_id,))
    return seq


def insert_subject(conn, data):
    conn.execute("INSERT INTO login_attempts (operator_name, workstation, outcome, at) "
                 "VALUES ('zhang', 'W01', 'ok', '2025-03-10 02:00:00.000000')")  # fmt: skip
    return None


TAMPERS = [
    edit_entry,
    delete_entry,
    insert_entry,
    swap_entries,
    truncate_tail,
    edit_subject,
    delete_subject,
    insert_subject,
]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tamper=st.sampled_from(TAMPERS), data=st.data())
def test_any_tampering_is_caught_and_the_first_bad_entry_named(history, tmp_path_factory, tamper, data):
    base, keys, head = history
    copy = tmp_path_factory.mktemp("tampered") / "t.db"
    shutil.copy(base, copy)
    conn = sqlite3.connect(copy)
    with conn:
        expected = tamper(conn, data)
    conn.close()
    result = verify_copy(copy, keys, head)
    assert not result.ok
    assert result.first_bad.sequence == expected, result.problems


def test_clean_history_verifies_with_its_head(history):
    base, keys, head = history
    result = verify_copy(base, keys, head)
    assert result.ok and result.first_bad is None
    assert result.head == head and result.entries_checked == head[0]


def test_another_key_fails_at_the_first_entry(history):
    base, _keys, head = history
    result = verify_copy(base, Keys.generate(), head)
    assert result.first_bad.sequence == 1


def test_truncation_is_only_seen_against_a_known_head(history, tmp_path):
    base, keys, head = history
    copy = tmp_path / "t.db"
    shutil.copy(base, copy)
    with sqlite3.connect(copy) as conn:  # drop the last entry and the row it named: consistent
        _seq, table, row_id, _mac = entries(conn)[-1]
        conn.execute(f"DELETE FROM {table} WHERE id = ?", (row_id,))
        conn.execute("DELETE FROM audit_log WHERE sequence = ?", (head[0],))
    engine = make_engine(sqlite_url_for(copy))
    with work(engine, keys) as session:
        assert verify(session).ok  # without the Z report's head nothing looks wrong
        result = verify(session, expected_head=head)
    engine.dispose()
    assert result.first_bad.sequence == head[0] and "截断" in result.first_bad.reason


def test_empty_chain_head(engine, keys):
    with work(engine, keys) as session:
        assert chain_head(session) == (0, audit.GENESIS_MAC)
        assert verify(session).ok


def test_concurrent_appends_do_not_fork_the_chain(engine, keys, clock):
    """Two counters append at once (PostgreSQL: the advisory lock; SQLite: BEGIN IMMEDIATE)."""
    errors: list[BaseException] = []

    def counter(name: str) -> None:
        try:
            for n in range(25):
                with work(engine, keys) as session:
                    audit.record(session, kind="test.append", actor_id=None, workstation=name,
                                 payload={"n": n}, clock=clock)  # fmt: skip
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=counter, args=(f"W0{i}",)) for i in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    with work(engine, keys) as session:
        result = verify(session)
    assert result.ok and result.head[0] == 50


def test_a_value_edited_into_an_unreadable_shape_is_named_not_raised(history, tmp_path):
    """GIVEN a timestamp rewritten with SQL into text its column type cannot read WHEN verified THEN
    verify names that row as unreadable (and still checks the others) instead of raising."""
    base, keys, head = history
    copy = tmp_path / "u.db"
    shutil.copy(base, copy)
    with sqlite3.connect(copy) as conn:
        row_id = conn.execute("SELECT min(id) FROM approval_uses").fetchone()[0]
        conn.execute("UPDATE approval_uses SET used_at = 'not a time at all' WHERE id = ?", (row_id,))
    result = verify_copy(copy, keys, head)
    assert not result.ok
    assert any(f"approval_uses#{row_id} 内容无法读取" in p.reason for p in result.problems)
    assert not any("已被删除" in p.reason for p in result.problems)  # unreadable is not "deleted"
