"""Reliability 10: random tampering of ledger, approval and audit rows, caught by `audit.verify`.

    .venv/bin/python -m bench.reliability.tamper [--quick] [--n 1000]

A counter's history is made through the facade and the administrator's doors
(bench/reliability/history.py): four days of a counter in which every table of the schema gets at
least two rows (sales, overrides, a correction, notices, refunds, quota batches, the holiday queue,
receipt books, deposits, the sign-off chain, month closes …), ending with a shift closed with its Z
report (which records the audit chain head). Then, `--n`
times, a copy of the database is tampered with by SQL as someone with file access would (foreign
keys off): one of flip (a column changed), delete, insert (a row with no audit entry), swap (two
rows' values exchanged, or two audit entries' places), truncate (the newest rows removed), on
one of ledger_entries, approvals, audit_log. `audit.verify` must report the copy bad and name the
expected first bad entry (the audit sequence of the changed row's latest entry; None for a row
inserted behind the software's back). Audit-log truncation is only visible against a known head:
it is verified against the head printed on the Z report (z_reports.audit_seq / audit_head of the
untampered database), as a person holding the paper Z report would.

Then the insider run (issue 12 §7, bench/reliability/insider.py; docs/reliability.md §16): every
table × (edit, put back, insert, delete, reorder), classified refused at use / found by verify /
put back / accepted / n/a and printed per table, and the DB-level forgeries of co-signers and queued
payloads (0 accepted). --quick: 8 tables, one round.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
from collections import Counter
from pathlib import Path

from bench.common import Results, parser, scratch
from bench.reliability.history import THIN, make_history, thin_tables

TABLES = ("ledger_entries", "approvals", "audit_log")
ACTIONS = ("flip", "delete", "insert", "swap", "truncate")
FLIP = {"ledger_entries": ("fen", "fen + 1"), "approvals": ("reason", "'edited ' || COALESCE(reason, '')")}
SWAP = {"ledger_entries": "fen", "approvals": "payload_sha256"}
SWAP_GROUP = {"ledger_entries": "kind"}  # a sale's amount into a refund's row would break a CHECK
COPYABLE = {"ledger_entries": "WHERE kind <> 'void'"}  # rows an insert copies


def latest_entry(conn, table: str, row_id: int) -> int:
    return conn.execute("SELECT max(sequence) FROM audit_log WHERE subject_table = ? AND subject_id = ?",
                        (table, row_id)).fetchone()[0]  # fmt: skip


def tamper(conn: sqlite3.Connection, table: str, action: str, rng: random.Random) -> int | None:
    """Do the damage; return the audit sequence verification must name first (None: no entry)."""
    if table == "audit_log":
        return _tamper_audit(conn, action, rng)
    ids = [r[0] for r in conn.execute(f"SELECT id FROM {table} ORDER BY id")]
    if action == "flip":
        row_id = rng.choice(ids)
        column, value = FLIP[table]
        conn.execute(f"UPDATE {table} SET {column} = {value} WHERE id = ?", (row_id,))
        return latest_entry(conn, table, row_id)
    if action == "delete":
        row_id = rng.choice(ids)
        conn.execute(f"DELETE FROM {table} WHERE id = ?", (row_id,))
        return latest_entry(conn, table, row_id)
    if action == "insert":
        # a void names the entry it voids, at most once (a unique index): a forger copies a sale
        row_id = rng.choice([r[0] for r in conn.execute(f"SELECT id FROM {table} {COPYABLE.get(table, '')}")])
        columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[1] != "id"]
        # a copy of a real row under a new id (unique columns made unique), as a forger would
        values = ", ".join(_forged(c) for c in columns)
        conn.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) SELECT {values} FROM {table} WHERE id = ?", (row_id,)
        )
        return None
    if action == "swap":
        column, group = SWAP[table], SWAP_GROUP.get(table, "NULL")
        rows = conn.execute(f"SELECT id, {column}, {group} FROM {table}").fetchall()
        while True:  # two different values the schema's CHECKs accept in each other's row
            (a, va, ga), (b, vb, gb) = rng.sample(rows, 2)
            if va != vb and ga == gb:
                break
        conn.execute(f"UPDATE {table} SET {column} = ? WHERE id = ?", (vb, a))
        conn.execute(f"UPDATE {table} SET {column} = ? WHERE id = ?", (va, b))
        return min(latest_entry(conn, table, a), latest_entry(conn, table, b))
    k = rng.randint(1, min(3, len(ids)))  # truncate: the newest k rows
    gone = ids[-k:]
    conn.execute(f"DELETE FROM {table} WHERE id >= ?", (gone[0],))
    return min(latest_entry(conn, table, i) for i in gone)


def _forged(column: str) -> str:
    if column in ("nonce", "intent_id"):
        return f"{column} || '-forged'"
    return column


def _tamper_audit(conn: sqlite3.Connection, action: str, rng: random.Random) -> int:
    seqs = [r[0] for r in conn.execute("SELECT sequence FROM audit_log ORDER BY sequence")]
    if action == "flip":
        seq = rng.choice(seqs)
        column = rng.choice(
            ["kind", "payload_json", "actor_id", "at", "workstation", "subject_digest", "mac"]
        )
        value = {"actor_id": "999", "at": "'2020-01-01 00:00:00.000000'", "payload_json": "'{}'"}.get(
            column, f"'x' || COALESCE({column}, '')"
        )
        conn.execute(f"UPDATE audit_log SET {column} = {value} WHERE sequence = ?", (seq,))
        return seq
    if action == "delete":
        seq = rng.choice(seqs)
        conn.execute("DELETE FROM audit_log WHERE sequence = ?", (seq,))
        return seq
    if action == "insert":
        after = rng.randint(0, len(seqs))
        conn.execute("UPDATE audit_log SET sequence = sequence + 1000000 WHERE sequence > ?", (after,))
        conn.execute("UPDATE audit_log SET sequence = sequence - 999999 WHERE sequence > 1000000")
        conn.execute("INSERT INTO audit_log (sequence, at, kind, actor_id, workstation, payload_json, prev_mac, mac) "
                     "VALUES (?, '2026-11-23 01:00:00.000000', 'login.ok', 1, 'W01', '{}', ?, ?)",
                     (after + 1, "ab" * 32, "cd" * 32))  # fmt: skip
        return after + 1
    if action == "swap":
        i, j = sorted(rng.sample(seqs, 2))
        conn.execute("UPDATE audit_log SET sequence = -1 WHERE sequence = ?", (i,))
        conn.execute("UPDATE audit_log SET sequence = ? WHERE sequence = ?", (i, j))
        conn.execute("UPDATE audit_log SET sequence = ? WHERE sequence = -1", (j,))
        return i
    seq = rng.choice(seqs)  # truncate the tail from seq on
    conn.execute("DELETE FROM audit_log WHERE sequence >= ?", (seq,))
    return seq


def verify_copy(path: Path, keys, head):
    from counter_app.audit import verify
    from counter_app.keystore import bind_keys
    from db.engine import make_engine, sqlite_url_for
    from db.session import unit_of_work

    engine = make_engine(sqlite_url_for(path))
    try:
        with unit_of_work(engine, read_only=True) as s:
            bind_keys(s, keys)
            return verify(s, keys.audit_hmac, expected_head=head)
    finally:
        engine.dispose()


def main(argv: list[str] | None = None) -> int:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=None)
    args = p.parse_args(argv)
    n = args.n or (30 if args.quick else 1_000)
    results = Results("tampering", args)
    results.header()
    rng = random.Random(10)
    undetected, misnamed, by_kind = 0, 0, Counter()
    examples: list[str] = []
    with scratch("tamper") as tmp:
        keys, head = make_history(tmp / "base")
        base = tmp / "base" / "counter.db"
        clean = verify_copy(base, keys, head)
        results.count("clean history verifies against the Z report head", int(clean.ok), must_be=1)
        results.count("audit entries in the history", clean.entries_checked)
        thin = thin_tables(base)
        for table, rows in sorted(thin.items()):
            results.note(f"history: {table} has {rows} row(s): the insider run proves nothing for it")
        for table, reason in THIN.items():
            results.note(f"history: {table} has a single row ({reason})")
        results.count("tables empty in the history", sum(n == 0 for n in thin.values()), must_be=0)
        results.count("tables with a single row in the history (nothing to reorder)",
                      sum(n == 1 for n in thin.values()), must_be=0)  # fmt: skip
        copy = tmp / "t.db"
        for i in range(n):
            table, action = TABLES[i % 3], ACTIONS[(i // 3) % 5]
            shutil.copy(base, copy)
            conn = sqlite3.connect(copy)
            with conn:
                expected = tamper(conn, table, action, rng)
            conn.close()
            result = verify_copy(copy, keys, head)
            by_kind[(table, action)] += 1
            if result.ok:
                undetected += 1
                examples.append(f"undetected: {table} {action}")
            elif result.first_bad.sequence != expected:
                misnamed += 1
                if len(examples) < 10:
                    examples.append(f"{table} {action}: expected {expected}, named {result.first_bad}")
            copy.unlink()
        insider_phase(results, base, keys, head, quick=args.quick)
    results.count("tamperings", n)
    results.note("per kind: " + ", ".join(f"{t}/{a} {c}" for (t, a), c in sorted(by_kind.items())))
    for example in examples[:10]:
        results.note(example)
    results.count("undetected", undetected, must_be=0)
    results.count("first bad entry misnamed", misnamed, must_be=0)
    return results.finish()


QUICK_TABLES = ["accounts", "cards", "shifts", "operators", "queued_operations", "print_jobs", "ledger_entries",
                "audit_log", "card_classes", "sheet_freezes", "deposits", "row_census"]  # fmt: skip


def insider_phase(results: Results, base: Path, keys, head, *, quick: bool) -> None:
    """Issue 12 §7: every table × (edit, put back, insert, delete, reorder), and the forgeries."""
    from bench.reliability import insider

    tables = QUICK_TABLES if quick else insider.tables_of(base)
    rounds = 1 if quick else -(-1_000 // (len(tables) * len(insider.ACTIONS)))

    crashes: list[str] = []

    def verify_ok(path: Path) -> bool:
        try:
            return verify_copy(path, keys, head).ok
        except ValueError as error:  # a value no longer readable as its column's type: not passed
            crashes.append(type(error).__name__)
            return False

    outcomes, accepted = insider.run(base, keys, verify_ok, tables, rounds)
    for line in insider.table_lines(outcomes):
        results.note(line)
    totals: Counter = Counter()
    for tally in outcomes.values():
        totals.update(tally)
    results.count("insider tamperings (tables × actions × rounds)", sum(totals.values()))
    results.count("insider tables", len(tables))
    for outcome in insider.OUTCOMES:  # issue 12 §7: every tampering refused at use or found by verify
        results.count(f"insider {outcome}", totals[outcome], must_be=0 if outcome == "accepted" else None)
    results.count("audit verify stopped by an unreadable value (counted as found)", len(crashes))
    for line in sorted(set(accepted)):
        results.note(f"accepted: {line}")
    forged = insider.forgeries(base, keys, verify_ok)
    for name, outcome in forged.items():
        results.note(f"forgery: {name}: {outcome}")
    results.count("forgeries of co-signers and queued payloads accepted",
                  sum(o == "accepted" for o in forged.values()), must_be=0)  # fmt: skip


if __name__ == "__main__":
    raise SystemExit(main())
