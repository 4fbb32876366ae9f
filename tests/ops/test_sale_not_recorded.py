"""Issue 12 §5: after the card write, never a raw error.

A real database failure is injected at each point after the card was written — `before_commit`
(the named crash point: card verified, nothing committed) and `inside_commit` (the commit's own
transaction, at the intent's "committed" mark) — and the sale must end as SALE_NOT_RECORDED carrying
the intent id, the intent open, and the next card read (or a restart) recording it exactly once.

    fault            SQLite                                   PostgreSQL
    lock timeout     another connection holds BEGIN IMMEDIATE before_commit only (*)
                     (busy timeout 0.3 s for the test)
    full disk        the database on a small tmpfs, filled    —
                     (WAL truncated first, so the commit
                     must grow it); root only
    dropped          —                                        pg_terminate_backend; before_commit
    connection                                                also refuses new connections

(*) inside the commit's transaction the counter already holds SQLite's write lock (BEGIN IMMEDIATE),
so no other program can make it wait there.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from opstesting import World, make_world
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from base import crashpoints
from base.errors import SaleNotRecorded
from counter_app.ops import card_writes
from db import engine as engine_module
from db.engine import sqlite_file_of
from db.models import LedgerEntry
from db.session import unit_of_work

POINTS = ("before_commit", "inside_commit")


def _sales(world: World) -> int:
    with unit_of_work(world.counter.engine, read_only=True) as s:
        return s.scalar(select(func.count()).select_from(LedgerEntry).where(LedgerEntry.kind == "sale"))


def _inject_at(monkeypatch: pytest.MonkeyPatch, point: str, fault: Callable[..., None]) -> None:
    """Run `fault` once at `point`: the crash point's name, or the commit's "committed" mark (with
    the commit's own database session)."""
    fired: list[bool] = []
    if point == "before_commit":
        real_point = crashpoints.crash_point

        def at_point(name: str) -> None:
            if name == point and not fired:
                fired.append(True)
                fault(None)
            real_point(name)

        monkeypatch.setattr(crashpoints, "crash_point", at_point)
        return
    real_mark = card_writes.mark_intent

    def mark(ctx, s, intent, state, **kwargs):  # type: ignore[no-untyped-def]
        if state == "committed" and not fired:
            fired.append(True)
            fault(s)
        return real_mark(ctx, s, intent, state, **kwargs)

    monkeypatch.setattr(card_writes, "mark_intent", mark)


def _sell_and_expect_not_recorded(world: World, s, cause: str) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(SaleNotRecorded) as raised:
        s.top_up(account_no="D-5-308", amount_fen=2_000)
    error = raised.value
    assert error.code == "SALE_NOT_RECORDED" and error.intent_id
    assert "请勿退款" in error.message and "do not refund" in error.message_en
    assert error.intent_id in error.message
    assert error.data["cause"] == cause and error.data["log_id"]  # the driver's error is in the log
    return error.intent_id


def _recorded_once_at_next_read(world: World, s, serial: str, intent_id: str) -> None:  # type: ignore[no-untyped-def]
    """With the database back: the intent is listed open (the exceptions page), nothing recorded;
    the next card read records the sale once, a second read changes nothing."""
    assert intent_id in [i.intent_id for i in s.open_intents()]
    assert _sales(world) == 0
    world.sim.present_card(serial)
    s.read_card()
    s.read_card()
    assert s.open_intents() == []
    assert _sales(world) == 1


# --- SQLite: a lock held by another program ----------------------------------------------------------


@pytest.fixture
def quick_busy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 300)


def _selling(world: World):  # type: ignore[no-untyped-def]
    s = world.login("zhang")
    s.open_shift(float_fen=50_000)
    serial = world.issue_card("D-5-308", s)
    return s, serial


def test_a_lock_held_before_the_commit_is_sale_not_recorded_then_recorded_at_the_next_read(
    tmp_path: Path, quick_busy: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = make_world(tmp_path)
    try:
        s, serial = _selling(world)
        path = sqlite_file_of(world.counter.engine)
        holder = sqlite3.connect(str(path), isolation_level=None)

        def hold_lock(_s: object) -> None:
            holder.execute("BEGIN IMMEDIATE")

        _inject_at(monkeypatch, "before_commit", hold_lock)
        intent_id = _sell_and_expect_not_recorded(world, s, "DB_BUSY")
        holder.execute("ROLLBACK")
        holder.close()
        monkeypatch.undo()
        _recorded_once_at_next_read(world, s, serial, intent_id)
    finally:
        world.close()


def test_after_a_lock_timeout_a_restart_records_the_sale(
    tmp_path: Path, quick_busy: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = make_world(tmp_path)
    try:
        s, serial = _selling(world)
        holder = sqlite3.connect(str(sqlite_file_of(world.counter.engine)), isolation_level=None)
        _inject_at(monkeypatch, "before_commit", lambda _s: holder.execute("BEGIN IMMEDIATE"))
        _sell_and_expect_not_recorded(world, s, "DB_BUSY")
        holder.execute("ROLLBACK")
        holder.close()
        monkeypatch.undo()
        world.reopen()
        world.sim.present_card(serial)  # the card back on the reader of the restarted counter
        assert [r.action for r in world.counter.recover()] == ["rolled_forward"]
        assert _sales(world) == 1
        world.reopen()
        world.sim.present_card(serial)
        assert world.counter.recover() == []
        assert _sales(world) == 1
    finally:
        world.close()


# --- SQLite: a full disk ----------------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 48 MB tmpfs (root only; skipped elsewhere)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if shutil.which("mount") is None:
        pytest.skip("no mount")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", str(disk)],
                          capture_output=True, check=False)  # fmt: skip
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def fill(folder: Path) -> Path:
    """Fill the file system of `folder` to the last byte; the filler's path."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError:
        pass
    try:
        while True:
            os.write(fd, b"\0")
    except OSError:
        pass
    os.close(fd)
    return filler


def _truncate_wal(path: str) -> None:
    """Checkpoint and empty the WAL, so the next commit must grow it (a WAL reset after an earlier
    checkpoint would otherwise reuse its frames and need no new space)."""
    side = sqlite3.connect(path, isolation_level=None)
    try:
        side.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        side.close()


@pytest.mark.parametrize("point", POINTS)
def test_a_full_disk_after_the_write_is_sale_not_recorded_then_recorded_at_the_next_read(
    small_disk: Path, monkeypatch: pytest.MonkeyPatch, point: str
) -> None:
    world = make_world(small_disk)
    try:
        s, serial = _selling(world)
        path = str(sqlite_file_of(world.counter.engine))
        fillers: list[Path] = []
        # The WAL is emptied before the commit's transaction (a checkpoint cannot run inside it),
        # the disk filled at the point under test.
        if point == "inside_commit":
            _inject_at(monkeypatch, "before_commit", lambda _s: _truncate_wal(path))

        def full(_s: object) -> None:
            if point == "before_commit":
                _truncate_wal(path)
            fillers.append(fill(small_disk))

        _inject_at(monkeypatch, point, full)
        intent_id = _sell_and_expect_not_recorded(world, s, "DISK_FULL")
        for filler in fillers:
            filler.unlink()
        monkeypatch.undo()
        _recorded_once_at_next_read(world, s, serial, intent_id)
    finally:
        world.close()


# --- PostgreSQL: a dropped connection ---------------------------------------------------------------


def _server(world: World):  # type: ignore[no-untyped-def]
    """A superuser connection to the server's maintenance database (not the counter's)."""
    url = make_url(world.db_url)
    import psycopg

    return psycopg.connect(
        host=url.host, port=url.port or 5432, user=url.username, password=url.password or None,
        dbname="postgres", autocommit=True,
    )  # fmt: skip


@pytest.mark.pg
@pytest.mark.parametrize("point", POINTS)
def test_a_dropped_connection_after_the_write_is_sale_not_recorded_then_recorded(
    tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch, point: str
) -> None:
    world = make_world(tmp_path, db_url=pg_url)
    name = make_url(pg_url).database
    server = _server(world)
    try:
        s, serial = _selling(world)

        def drop(session) -> None:  # type: ignore[no-untyped-def]
            if session is not None:  # inside the commit: kill the very connection it runs on
                pid = session.execute(text("SELECT pg_backend_pid()")).scalar_one()
                server.execute("SELECT pg_terminate_backend(%s)", (pid,))
                return
            # before the commit: the server goes away for the counter (no new connection either)
            server.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false')
            server.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))

        _inject_at(monkeypatch, point, drop)
        intent_id = _sell_and_expect_not_recorded(world, s, "DB_UNREACHABLE")
        server.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS true')
        monkeypatch.undo()
        _recorded_once_at_next_read(world, s, serial, intent_id)
    finally:
        server.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS true')
        world.close()
        server.close()
