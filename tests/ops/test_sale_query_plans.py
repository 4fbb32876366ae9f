"""A sale costs the same on the first day and after ten years: none of its statements scans a table
that grows with every sale (issue 16).

Timings cannot show this on a test database of a few rows, but the query plans can: SQLite's plan
for each statement the sale sends says SCAN (every row) or SEARCH (an index). Two such scans were
found this way — every card read grouped all intent events ever written (1.45 s a read at 200,000
intents), and the open-shift look-up missed its partial index — and are fixed; this keeps them out.
Plans are read without ANALYZE statistics, as a counter's database runs.
"""

from __future__ import annotations

import sqlite3

import pytest
from opstesting import make_world
from sqlalchemy import event

# Tables that gain rows with sales, shifts and days (a scan of one grows with the counter's age).
# Settings, tariffs, operators, census rows and the like stay small: scanning them is fine.
GROWING = (
    "ledger_entries", "ledger_marks", "receipts", "receipt_events", "receipt_counters", "audit_log",
    "card_write_intents", "intent_events", "account_events", "print_jobs", "print_job_events", "shifts",
    "cards", "accounts", "rooms", "notices", "quota_deliveries", "meter_readings", "clock_marks",
    "approvals", "login_attempts",
)  # fmt: skip


@pytest.fixture
def world(tmp_path):
    w = make_world(tmp_path)
    yield w
    w.close()


def _statements_of(world, action) -> dict[str, tuple]:
    seen: dict[str, tuple] = {}

    def note(conn, cursor, statement, params, context, executemany):  # noqa: ANN001 - SQLAlchemy's event
        if not executemany and statement.lstrip().upper().startswith(("SELECT", "UPDATE", "DELETE", "WITH")):
            seen.setdefault(statement, params)

    engine = world.counter.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", note)
    return seen


def _reads_every_row(detail: str, statement: str) -> bool:
    """SCAN t: every row — unless it walks an index from one end for ORDER BY … LIMIT. "SEARCH t"
    with no index at all is SQLite's min()/max() shortcut over the table: every row too."""
    if detail.startswith("SCAN "):
        return not (" USING " in detail and "LIMIT" in statement.upper())
    return detail.startswith("SEARCH ") and " USING " not in detail


def _scans(db_path, statements: dict[str, tuple]) -> list[tuple[str, str]]:
    db = sqlite3.connect(db_path)
    try:
        found = []
        for statement, params in statements.items():
            for *_, detail in db.execute("EXPLAIN QUERY PLAN " + statement, params).fetchall():
                if _reads_every_row(detail, statement) and detail.split()[1] in GROWING:
                    found.append((detail.split()[1], " ".join(statement.split())[:200]))
        return found
    finally:
        db.close()


def test_no_statement_of_a_sale_scans_a_table_that_grows(world):
    s = world.login("zhang")
    s.open_shift(float_fen=50_000)
    serial = world.issue_card("D-5-308", s)
    s.top_up(account_no="D-5-308", amount_fen=1_000, tendered_fen=1_000)
    world.sim.insert_into_meter(serial)
    world.sim.consume("M5308", 500)
    world.sim.present_card(serial)
    statements = _statements_of(
        world, lambda: (s.read_card(), s.top_up(account_no="D-5-308", amount_fen=1_000, tendered_fen=1_000))
    )
    assert len(statements) > 20  # the sale's own statements were seen
    assert _scans(world.counter.engine.url.database, statements) == []


def test_the_check_sees_a_scan(world):
    """The rule can fail: a statement with no usable index is reported."""
    statements = {"SELECT max(fen) FROM ledger_entries WHERE reference = ?": ("x",),
                  "SELECT id FROM receipts WHERE amount_fen = ?": (1,)}  # fmt: skip
    assert [table for table, _ in _scans(world.counter.engine.url.database, statements)] == [
        "ledger_entries",
        "receipts",
    ]
