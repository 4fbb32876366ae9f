"""The insider run (issue 12 §7): every table × (edit, edit-and-put-back, insert, delete, reorder).

Called by bench/reliability/tamper.py. Someone with the SQLite file (the data folder) changes rows
directly with SQL; each tampering is then classified:

- refused: a row of the table no longer matches its seal. `row_seals.check` runs at every use of
  that table's rows (docs/row-seals.md "Checked where used"), so the next sale, login, co-sign,
  close, reprint or approve_queued that reads the row refuses with TAMPERED. The uses themselves
  are driven end to end by tests/security/test_row_seals.py; here the seal is checked directly so
  that 1,000 tamperings run in minutes.
- found: `audit verify` against the head printed on the Z report reports the copy bad.
- put back: edit-and-put-back left the file's content as it was; harmless if nothing used the row
  in between (what a use in between meets is the "edit" column of the same table).
- accepted: none of the above. Listed per table; the reason is in docs/reliability.md.
- n/a: nothing to tamper with (the table is empty in this world, or has a single row to reorder).
"""

from __future__ import annotations

import json
import random
import re
import shutil
import sqlite3
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ACTIONS = ("edit", "put_back", "insert", "delete", "reorder")
OUTCOMES = ("refused", "found", "put back", "accepted", "n/a")
SKIP = ("alembic_version",)
_DATE = re.compile(r"^(\d{4})-\d\d-\d\d")

# DB-level forgeries of co-signers and queued payloads (issue 12 list), as SQL on the file.
FORGERIES: dict[str, tuple[str, str]] = {
    "swapped supervisor password hash": (
        "operators", "UPDATE operators SET password_hash = 'pbkdf2_sha256$1$known$known' WHERE name = 'li'"),
    "inserted role grant": ("role_grants", ""),  # a copy of a real grant under a new id
    "extended 监督人 appointment": (
        "supervisor_appointments", "UPDATE supervisor_appointments SET to_date = '2030-12-31'"),
    "re-enabled supervisor": ("operators", "UPDATE operators SET disabled = 1 - disabled"),
    "queued payload rewritten, SHA-256 recomputed": ("queued_operations", ""),  # _rewrite_queued
}  # fmt: skip


def tables_of(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
        return sorted(r[0] for r in rows if r[0] not in SKIP)


def _columns(conn: sqlite3.Connection, table: str) -> tuple[list[str], str]:
    info = conn.execute(f"PRAGMA table_info({table})").fetchall()
    pk = next((r[1] for r in info if r[5] == 1), "rowid")
    return [r[1] for r in info], pk


def _changed(value: Any) -> Any:
    if isinstance(value, int):
        return 1 - value if value in (0, 1) else value + 1
    if isinstance(value, float):
        return value + 1
    if isinstance(value, bytes):
        return bytes([value[0] ^ 1]) + value[1:] if value else b"x"
    if value[:1] in ("{", "["):  # JSON stays JSON, as a forger would keep it
        try:
            data = json.loads(value)
            return json.dumps({"forged": 1, **data} if isinstance(data, dict) else [*data, 1])
        except ValueError:
            pass
    match = _DATE.match(value)
    if match:  # a moment or a date: a year earlier, still readable
        return f"{int(match.group(1)) - 1}{value[4:]}"
    return value + "x"


def _edit(
    conn: sqlite3.Connection, table: str, pk: str, columns: list[str], rng: random.Random
) -> str | None:
    row_id = rng.choice([r[0] for r in conn.execute(f"SELECT {pk} FROM {table}")])
    row = dict(
        zip(columns, conn.execute(f"SELECT * FROM {table} WHERE {pk} = ?", (row_id,)).fetchone(), strict=True)
    )
    candidates = [c for c in columns if c not in (pk, "row_mac") and row[c] is not None]
    rng.shuffle(candidates)
    for column in candidates:  # the first change the schema's CHECKs let through
        try:
            conn.execute("SAVEPOINT edit")
            conn.execute(f"UPDATE {table} SET {column} = ? WHERE {pk} = ?", (_changed(row[column]), row_id))
            conn.execute("RELEASE edit")
            return column
        except sqlite3.IntegrityError:
            conn.execute("ROLLBACK TO edit")
    return None


def _insert(
    conn: sqlite3.Connection, table: str, pk: str, columns: list[str], rng: random.Random
) -> str | None:
    """A copy of a real row, seal and all, under a new key; a column a UNIQUE constraint names is
    made unique in turn (None: the schema accepts no such copy)."""
    row_id = rng.choice([r[0] for r in conn.execute(f"SELECT {pk} FROM {table}")])
    row = dict(
        zip(columns, conn.execute(f"SELECT * FROM {table} WHERE {pk} = ?", (row_id,)).fetchone(), strict=True)
    )
    row[pk] = (
        conn.execute(f"SELECT max({pk}) + 1 FROM {table}").fetchone()[0]
        if isinstance(row_id, int)
        else f"{row_id}-f"
    )
    tried: set[str] = set()
    free: list[str] = []
    last: tuple[str, Any] | None = None
    for _ in range(8):
        try:
            conn.execute("SAVEPOINT copy")
            conn.execute(f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                         tuple(row.values()))  # fmt: skip
            conn.execute("RELEASE copy")
            return ",".join(sorted(tried))
        except sqlite3.IntegrityError as error:
            conn.execute("ROLLBACK TO copy")
            if "UNIQUE" in str(error):
                named = [c.split(".")[-1].strip() for c in str(error).partition(":")[2].split(",")]
                free = [c for c in named if c in row and c not in tried]
            elif last is not None:  # the changed value broke a CHECK: put it back, change another
                row[last[0]] = last[1]
            if not free:
                return None
            column = free.pop(0)
            tried.add(column)
            last = (column, row[column])
            value = row[column]
            row[column] = (
                value + 1_000_000 if isinstance(value, int) else f"{value}-f" if value is not None else None
            )
    return None


# The column that gives a table its order, where it is not the key: the chain's sequence.
ORDER_COLUMN = {"audit_log": "sequence"}


def _reorder(conn: sqlite3.Connection, table: str, pk: str, rng: random.Random) -> None:
    """Two rows exchange their places (their keys, or the column that orders them)."""
    pk = ORDER_COLUMN.get(table, pk)
    a, b = rng.sample([r[0] for r in conn.execute(f"SELECT {pk} FROM {table}")], 2)
    spare = -987_654 if isinstance(a, int) else "~spare"
    conn.execute(f"UPDATE {table} SET {pk} = ? WHERE {pk} = ?", (spare, a))
    conn.execute(f"UPDATE {table} SET {pk} = ? WHERE {pk} = ?", (a, b))
    conn.execute(f"UPDATE {table} SET {pk} = ? WHERE {pk} = ?", (b, spare))


def tamper(conn: sqlite3.Connection, table: str, action: str, rng: random.Random) -> str | None:
    """Do the damage; return what was done ("" when done, None when not applicable)."""
    columns, pk = _columns(conn, table)
    count = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    if count == 0 or (action == "reorder" and count < 2):
        return None
    if action == "edit":
        return _edit(conn, table, pk, columns, rng)
    if action == "put_back":
        before = conn.execute(f"SELECT * FROM {table}").fetchall()
        column = _edit(conn, table, pk, columns, rng)  # … a use could happen here: see "edit" …
        conn.execute(f"DELETE FROM {table}")
        conn.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * len(columns))})", before)
        return column
    if action == "insert":
        return _insert(conn, table, pk, columns, rng)
    if action == "delete":
        row_id = rng.choice([r[0] for r in conn.execute(f"SELECT {pk} FROM {table}")])
        conn.execute(f"DELETE FROM {table} WHERE {pk} = ?", (row_id,))
    else:
        _reorder(conn, table, pk, rng)
    return ""


def seals_broken(path: Path, keys: Any, table: str) -> bool:
    """True when a row of `table` fails its seal: what row_seals.check refuses at use."""
    from counter_app.row_seals import genuine
    from db.engine import make_engine, sqlite_url_for
    from db.models import SEALED_TABLES
    from db.session import unit_of_work

    model = next((m for m in SEALED_TABLES if m.__tablename__ == table), None)
    if model is None:
        return False
    engine = make_engine(sqlite_url_for(path))
    try:
        with unit_of_work(engine, read_only=True) as s:
            return not all(genuine(keys.audit_hmac, row) for row in s.query(model).all())
    except (ValueError, TypeError):  # content no longer readable as the column's type: refused too
        return True
    finally:
        engine.dispose()


Verify = Callable[[Path], bool]  # True: `audit verify` passes


def classify(copy: Path, base_dump: list[str], keys: Any, table: str, verify_ok: Verify) -> str:
    if seals_broken(copy, keys, table):
        return "refused"
    if not verify_ok(copy):
        return "found"
    with sqlite3.connect(copy) as conn:
        if list(conn.iterdump()) == base_dump:
            return "put back"
    return "accepted"


def run(base: Path, keys: Any, verify_ok: Verify, tables: list[str], rounds: int, seed: int = 12
        ) -> tuple[dict[tuple[str, str], Counter[str]], list[str]]:  # fmt: skip
    rng = random.Random(seed)
    with sqlite3.connect(base) as conn:
        base_dump = list(conn.iterdump())
    outcomes: dict[tuple[str, str], Counter[str]] = {}
    accepted: list[str] = []
    copy = base.parent / "insider.db"
    for table in tables:
        for action in ACTIONS:
            tally = outcomes.setdefault((table, action), Counter())
            for _ in range(rounds):
                shutil.copy(base, copy)
                conn = sqlite3.connect(copy)
                conn.execute("PRAGMA foreign_keys = OFF")
                with conn:
                    done = tamper(conn, table, action, rng)
                conn.close()
                outcome = "n/a" if done is None else classify(copy, base_dump, keys, table, verify_ok)
                tally[outcome] += 1
                if outcome == "accepted":
                    accepted.append(f"{table} {action} {done or ''}".strip())
                copy.unlink()
    return outcomes, accepted


def forgeries(base: Path, keys: Any, verify_ok: Verify) -> dict[str, str]:
    with sqlite3.connect(base) as conn:
        base_dump = list(conn.iterdump())
    result: dict[str, str] = {}
    copy = base.parent / "forged.db"
    for name, (table, statement) in FORGERIES.items():
        shutil.copy(base, copy)
        conn = sqlite3.connect(copy)
        with conn:
            if conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0:
                result[name] = "n/a (no such row in this world; driven in tests/security/test_row_seals.py)"
                conn.close()
                continue
            if table == "role_grants":
                _insert(conn, table, "id", _columns(conn, table)[0], random.Random(1))
            elif table == "queued_operations":
                _rewrite_queued(conn)
            else:
                conn.execute(statement)
        conn.close()
        result[name] = classify(copy, base_dump, keys, table, verify_ok)
        copy.unlink()
    return result


def _rewrite_queued(conn: sqlite3.Connection) -> None:
    """Another account in the stored payload, its plain SHA-256 recomputed (as the issue found)."""
    from base.canonical import canonical_json
    from counter_app.approvals import payload_sha256

    for row_id, kind, stored in conn.execute("SELECT id, kind, payload FROM queued_operations").fetchall():
        payload = json.loads(stored)
        payload["account_no"] = "D-5-309"
        conn.execute("UPDATE queued_operations SET payload = ?, payload_sha256 = ? WHERE id = ?",
                     (canonical_json(payload).decode(), payload_sha256(kind, payload), row_id))  # fmt: skip


def table_lines(outcomes: dict[tuple[str, str], Counter[str]]) -> list[str]:
    """One line per table: action → outcome counts."""
    lines = [f"{'table':<26}" + "".join(f"{a:<20}" for a in ACTIONS)]
    for table in sorted({t for t, _ in outcomes}):
        cells = []
        for action in ACTIONS:
            tally = outcomes[(table, action)]
            cells.append(" ".join(f"{o[:3]} {tally[o]}" for o in OUTCOMES if tally[o]))
        lines.append(f"{table:<26}" + "".join(f"{c:<20}" for c in cells))
    return lines
