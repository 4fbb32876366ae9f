"""What the self-test and the backup check ask the database itself: are commits durable, is the
file whole. Pragmas and server settings are dialect-specific, so they are read here."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine

from db.engine import is_sqlite


def durability(engine: Engine) -> tuple[bool, str]:
    """(good, what was read). SQLite: WAL, synchronous=FULL, foreign keys on and quick_check ok;
    PostgreSQL: fsync on and synchronous_commit at least on (and whether the connection uses SSL)."""
    with engine.connect() as conn:
        if is_sqlite(engine):
            got = {p: conn.exec_driver_sql(f"PRAGMA {p}").scalar()
                   for p in ("journal_mode", "synchronous", "foreign_keys")}  # fmt: skip
            quick = conn.exec_driver_sql("PRAGMA quick_check").scalar()
            text = ", ".join(f"{k}={v}" for k, v in got.items()) + f", quick_check={quick}"
            good = (str(got["journal_mode"]).lower() == "wal" and got["synchronous"] == 2
                    and got["foreign_keys"] == 1 and quick == "ok")  # fmt: skip
        else:
            fsync = conn.exec_driver_sql("SHOW fsync").scalar()
            sync = conn.exec_driver_sql("SHOW synchronous_commit").scalar()
            ssl = _pg_ssl(conn)
            text = f"fsync={fsync}, synchronous_commit={sync}, ssl={ssl}"
            good = fsync == "on" and sync in ("on", "remote_write", "remote_apply")
    return good, text


def _pg_ssl(conn: Connection) -> str:
    try:
        row = conn.exec_driver_sql("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").scalar()
        return "on" if row else "off"
    except Exception:  # a restricted role may not read pg_stat_ssl
        return "?"


def sqlite_integrity(engine: Engine) -> tuple[list[str], list[Any]]:
    """(PRAGMA integrity_check lines, ["ok"] when whole; PRAGMA foreign_key_check rows) of a SQLite file."""
    with engine.connect() as conn:
        rows = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check").fetchall()]
        broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    return rows, list(broken)
