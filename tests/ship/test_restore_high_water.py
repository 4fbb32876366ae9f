"""Restore and rollback that lose nothing (issue 12 §4): sell, back up, sell 3, restore, sell — on
SQLite (`backup restore`) and on PostgreSQL (`pg_dump` / `pg_restore`): no receipt number issued
twice, no sale written at a counter the meter refuses, the 3 lost sales in suspense. And the
workstation's high-water mark itself: tampered → not trusted and recorded; missing → rebuilt from
the backup target's copy, else started from the database with a warning."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from dbtesting import create_pg_database, drop_pg_database, pg_server_url, unique_db_name
from opstesting import CHEAP, PASSWORD, make_world, open_world_counter
from sqlalchemy import make_url, select

from base.errors import CardAhead
from counter_app import audit, backups, high_water
from counter_app.admin.backup import restore_backup
from counter_app.admin.command import Invocation
from counter_app.installation import load_keys
from db.engine import make_engine
from db.models.security import AuditEntry
from db.session import unit_of_work

LOST = ("D-5-308", "D-5-309", "S-12-101")  # the 3 sales made after the backup
QUIET = "B-1-001"  # an account with no lost sale: its next sale still must not re-use a number


def _sell(world, s, account_no: str, issued: list[str]) -> str:
    card = world.cards[account_no]
    world.sim.present_card(card)
    sold = s.top_up(account_no=account_no, amount_fen=10_000, tendered_fen=10_000)
    issued.append(sold.receipt_no)
    event = world.sim.insert_into_meter(card)  # the customer goes home and loads it
    world.meter_events.append((account_no, sold.purchase_counter, event))
    return sold.receipt_no


def _prepare(world) -> tuple[object, list[str]]:
    world.meter_events = []
    s = world.login("zhang")
    s.open_shift(float_fen=50_000, supervisor="li")
    world.cards = {a: world.issue_card(a, session=s) for a in (*LOST, QUIET)}
    issued: list[str] = []
    _sell(world, s, "D-5-308", issued)  # sell
    return s, issued


def _after_restore(world, issued: list[str]) -> None:
    """Sell to each account: a lost sale's card is refused once (CARD_AHEAD, into suspense), then
    sold to at the next counter; every number new; every record loaded by its meter."""
    s = world.login("zhang")
    for account_no in (*LOST, QUIET):
        world.sim.present_card(world.cards[account_no])
        if account_no in LOST:
            with pytest.raises(CardAhead) as refused:
                s.top_up(account_no=account_no, amount_fen=10_000, tendered_fen=10_000)
            assert refused.value.code == "CARD_AHEAD"
        _sell(world, s, account_no, issued)
    assert len(issued) == len(set(issued)), f"re-issued: {sorted(issued)}"  # 0 re-issued numbers
    refused_by_meter = [e for e in world.meter_events if e[2] != "loaded"]
    assert refused_by_meter == []  # 0 sales at a counter the meter refuses
    items = world.login("li").open_intents()
    suspense = sorted((i.account_no, i.amount_fen) for i in items if i.state == "suspense")
    assert suspense == sorted((a, 10_000) for a in LOST)  # the 3 sales in suspense
    with unit_of_work(world.counter.engine, read_only=True) as db:
        keys, _, _ = load_keys(world.counter.engine, world.keystore)
        assert audit.verify(db, keys.audit_hmac).ok
        kinds = list(db.scalars(select(AuditEntry.kind).where(AuditEntry.kind.like("high_water.%"))))
    assert high_water.BEHIND in kinds  # recorded, and on the morning list
    morning = world.login("li").morning_list()
    assert any(item.kind == "high_water" for item in morning)


def _invocation(world, **kw) -> Invocation:
    return Invocation(db_url=world.db_url, keystore=world.keystore, environ={}, hasher=CHEAP, **kw)


def _restorer(world) -> Invocation:
    """The administrator restores, the head co-signs (issue 12 §3)."""
    return _invocation(
        world, actor="admin", actor_password=PASSWORD, approver="zhao", approver_password=PASSWORD
    )


def _scenario(world, back_up: Callable[[], object], restore: Callable[[object], None]) -> None:
    s, issued = _prepare(world)
    saved = back_up()  # back up
    for account_no in LOST:  # sell 3
        _sell(world, s, account_no, issued)
    world.close()
    restore(saved)  # restore
    world.counter = open_world_counter(world)
    _after_restore(world, issued)  # sell


@pytest.fixture
def world(tmp_path):
    w = make_world(tmp_path)
    yield w
    w.close()


def _set_target(world, folder: Path) -> None:
    world.login("admin").set_setting("backup.target_dir", str(folder), approval=world.approval("zhao"))


def test_sqlite_sell_back_up_sell_3_restore_sell(world, usb):
    _set_target(world, usb)

    def restore(backup) -> None:
        done = restore_backup(_restorer(world), str(backup))
        assert done.ahead, "the restore reports the marks that were ahead of the backup"

    _scenario(world, lambda: backups.make_backup(world.counter.backup_backend(), "manual"), restore)
    assert list(usb.glob("high-water-*.json"))  # copied beside the backup
    _the_head_rolls_one_forward(world)


def _the_head_rolls_one_forward(world) -> None:
    """Resolving a purchase found on a card never writes the card again: it may hold a newer,
    unloaded purchase (the account sold on past the found counter)."""
    s = world.login("zhang")
    card = world.cards["D-5-309"]
    world.sim.present_card(card)
    s.top_up(account_no="D-5-309", amount_fen=5_000, tendered_fen=5_000)  # on the card, not yet loaded
    item = next(i for i in s.open_intents() if i.account_no == "D-5-309")
    before = world.sim.card_image(card)
    resolved = s.resolve_suspense(intent_id=item.intent_id, action="roll_forward", approval=world.approval())
    assert resolved.state == "rolled_forward"
    assert world.sim.card_image(card) == before
    assert world.sim.insert_into_meter(card) == "loaded"  # the newest purchase still loads


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.mark.pg
@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump not installed")
def test_postgresql_sell_back_up_sell_3_pg_restore_sell(tmp_path, pg_url):
    world = make_world(tmp_path, db_url=pg_url)
    server, name = pg_server_url(), unique_db_name("hw")
    dump = tmp_path / "counter.dump"

    def back_up() -> Path:
        done = subprocess.run(["pg_dump", "-Fc", "-f", str(dump), _libpq(world.db_url)], capture_output=True,
                              text=True)  # fmt: skip
        assert done.returncode == 0, done.stderr
        return dump

    def restore(path) -> None:
        restored = create_pg_database(server, name)
        done = subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", "-d", _libpq(restored), str(path)],
                              capture_output=True, text=True)  # fmt: skip
        assert done.returncode == 0, done.stderr
        world.db_url = restored  # the counter now runs on the restored database

    try:
        _scenario(world, back_up, restore)
    finally:
        world.close()
        drop_pg_database(server, name)


# --- the mark itself ----------------------------------------------------------------------------


def _mark_path(world) -> Path:
    info = world.counter.installation
    return world.tmp / high_water.file_name(info.instance_id, "W01")


def _kinds(world) -> list[str]:
    engine = make_engine(world.db_url)
    try:
        with unit_of_work(engine, read_only=True) as db:
            return list(db.scalars(select(AuditEntry.kind).where(AuditEntry.kind.like("high_water.%"))))
    finally:
        engine.dispose()


def test_the_mark_follows_every_sale_and_is_signed(world):
    s, issued = _prepare(world)
    header, body = (json.loads(line) for line in _mark_path(world).read_bytes().split(b"\n", 1))
    assert header["format"] == "counter-high-water" and len(header["mac"]) == 64
    assert body["receipts"]["main"] >= 1
    counter, fen, _ckwh, receipt_no = body["accounts"]["D-5-308"]
    assert (counter, fen, receipt_no) == (1, 10_000, issued[-1])
    key = high_water.mark_key(world.counter.keys)
    info = world.counter.installation
    assert high_water.decode(_mark_path(world).read_bytes(), key, instance_id=info.instance_id, workstation="W01")


def test_a_sale_returns_only_once_its_mark_is_on_disk_though_written_on_another_thread(world, monkeypatch):
    """The mark is written on a thread of its own (base/latest_writer.py), alongside the printing;
    the facade door waits for it, so even a slow disk cannot let a call return ahead of its mark."""
    inner = high_water.write_atomic

    def slow_write(path: Path, data: bytes) -> None:
        time.sleep(0.3)  # a slow disk: the call would return long before this write without the wait
        inner(path, data)

    monkeypatch.setattr(high_water, "write_atomic", slow_write)
    s, issued = _prepare(world)
    _header, body = (json.loads(line) for line in _mark_path(world).read_bytes().split(b"\n", 1))
    assert body["accounts"]["D-5-308"][3] == issued[-1]


def test_a_tampered_mark_is_not_trusted_and_recorded_and_the_target_copy_is_used(world, usb):
    _set_target(world, usb)
    s, issued = _prepare(world)
    backup = backups.make_backup(world.counter.backup_backend(), "manual")
    for account_no in LOST:
        _sell(world, s, account_no, issued)
    world.reopen()  # the start copies the mark to the backup target too
    world.close()
    path = _mark_path(world)
    header, body = path.read_bytes().split(b"\n", 1)
    doc = json.loads(body)
    doc["receipts"]["main"] = 1  # an insider lowers the mark (without the key)
    path.write_bytes(header + b"\n" + json.dumps(doc).encode())
    restore_backup(_restorer(world), str(backup))
    world.counter = open_world_counter(world)
    assert high_water.TAMPERED in _kinds(world)
    assert list(world.tmp.glob(path.name + ".bad-*"))  # kept aside for the head
    _after_restore(world, issued)  # the backup target's copy held: nothing re-issued


def test_a_missing_mark_on_a_fresh_pc_is_rebuilt_from_the_backup_target(world, usb):
    _set_target(world, usb)
    s, issued = _prepare(world)
    backup = backups.make_backup(world.counter.backup_backend(), "manual")
    for account_no in LOST:
        _sell(world, s, account_no, issued)
    world.reopen()
    world.close()
    _mark_path(world).unlink()  # a new PC: keys imported, no mark of its own
    restore_backup(_restorer(world), str(backup))
    world.counter = open_world_counter(world)
    assert high_water.FROM_TARGET in _kinds(world)
    _after_restore(world, issued)


def test_a_missing_mark_without_a_copy_starts_from_the_database_with_a_warning(world):
    _prepare(world)
    world.close()
    _mark_path(world).unlink()
    world.counter = open_world_counter(world)
    assert high_water.FROM_DATABASE in _kinds(world)
    assert _mark_path(world).is_file()  # written again from what the database says
    s = world.login("zhang")
    world.sim.present_card(world.cards["D-5-308"])
    sold = s.top_up(account_no="D-5-308", amount_fen=10_000, tendered_fen=10_000)
    assert sold.receipt_no
