"""Automatic backups: at shift close and at the first start of the day, to a second disk, N
generations, each verified; a failed one never fails the close and is shown; restore refuses a
backup that does not verify."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import timedelta

import pytest
from opstesting import CHEAP, PASSWORD, make_world, open_world_counter
from sqlalchemy import func, select

from base.errors import InputInvalid
from counter_app import backups
from counter_app.admin.backup import restore_backup, verify_backup
from counter_app.admin.command import Invocation
from counter_app.backup_files import BackupBad
from db.engine import make_engine
from db.models import ShiftClosure
from db.models.security import Operator
from db.session import unit_of_work

FLOAT = 50_000


@pytest.fixture
def world(tmp_path):
    w = make_world(tmp_path)
    yield w
    w.close()


def set_target(world, folder, generations=None):
    admin = world.login("admin")
    admin.set_setting("backup.target_dir", str(folder), approval=world.approval("zhao"))
    if generations is not None:
        admin.set_setting("backup.generations", generations, approval=world.approval("zhao"))


def close_a_shift(world):
    s = world.login("zhang")
    s.open_shift(float_fen=FLOAT, supervisor="li")
    return s.close_shift(counted={10000: 5})


def invocation(world, **kw):
    return Invocation(db_url=world.db_url, keystore=world.keystore, environ={}, hasher=CHEAP, **kw)


def restorer(world) -> Invocation:
    """The administrator restores, the head co-signs (issue 12 §3)."""
    return invocation(
        world, actor="admin", actor_password=PASSWORD, approver="zhao", approver_password=PASSWORD
    )


def test_no_target_no_backup_and_the_status_warns(world):
    status = world.counter.backup_status()
    assert status.automatic and status.target_dir is None
    assert status.last_good_at is None and status.stale  # never backed up: the UI warns
    close_a_shift(world)
    assert world.counter.backup_status().last_failure is None  # nothing attempted, nothing failed


def test_every_close_makes_a_verified_backup_keeping_n_generations(world, usb):
    set_target(world, usb, generations=2)
    for _ in range(3):
        close_a_shift(world)
        world.clock.advance(hours=1)
    kept = backups.generations(usb, world.counter.installation.instance_id)
    assert len(kept) == 2 and all(p.name.endswith("-close.db") for p in kept)
    assert not list(usb.glob(".*.part"))
    for path in kept:  # each one passes `counter-admin backup verify`
        check = verify_backup(invocation(world), str(path))
        assert check.instance_id == world.counter.installation.instance_id
    status = world.counter.backup_status()
    assert status.last_good_path == str(kept[-1]) and not status.stale and status.last_failure is None
    world.clock.advance(hours=25)
    assert world.counter.backup_status().stale  # more than a day: the warning comes back


def test_the_first_start_of_a_day_backs_up_once(world, usb):
    set_target(world, usb)
    instance = world.counter.installation.instance_id
    world.reopen()
    world.reopen()
    assert [p.name.endswith("-daily.db") for p in backups.generations(usb, instance)] == [True]
    world.clock.advance(hours=24)
    world.reopen()
    assert len(backups.generations(usb, instance)) == 2


def test_a_failed_backup_never_fails_the_close_and_is_shown(world, usb):
    set_target(world, usb)
    usb.rmdir()  # the USB drive was pulled
    info = close_a_shift(world)
    assert info.sheet_no  # the close stands
    status = world.counter.backup_status()
    assert status.last_good_at is None and status.stale
    assert "backup target missing" in status.last_failure
    usb.mkdir()
    close_a_shift(world)
    status = world.counter.backup_status()
    assert status.last_good_at is not None and status.last_failure is None  # fixed: news no more


def test_the_database_disk_is_refused_as_a_target(world, tmp_path):
    set_target(world, tmp_path / "same-disk")
    (tmp_path / "same-disk").mkdir()
    close_a_shift(world)
    status = world.counter.backup_status()
    assert status.last_good_at is None
    assert "database's own disk" in status.last_failure
    assert not list((tmp_path / "same-disk").iterdir())


def _backup(world):
    return backups.make_backup(world.counter.backup_backend(), "manual")


def _count(db_url, model):
    engine = make_engine(db_url)
    try:
        with unit_of_work(engine, read_only=True) as s:
            return s.scalar(select(func.count()).select_from(model))
    finally:
        engine.dispose()


def test_restore_brings_an_automatic_backup_back(world, usb):
    set_target(world, usb)
    backup = _backup(world)
    close_a_shift(world)  # work done after the backup, undone by the restore
    assert _count(world.db_url, ShiftClosure) == 1
    world.close()
    done = restore_backup(restorer(world), str(backup))
    assert done.check.path == backup and done.safety_copy is not None and done.safety_copy.is_file()
    assert _count(world.db_url, ShiftClosure) == 0
    world.counter = open_world_counter(world)  # the restored database opens and its chain holds
    assert world.counter.recover() == []


@pytest.mark.parametrize("damage", ["bytes", "tampered_row", "truncated"])
def test_restore_refuses_a_backup_that_does_not_verify(world, usb, damage):
    set_target(world, usb)
    backup = _backup(world)
    if damage == "bytes":
        data = bytearray(backup.read_bytes())
        for i in range(4096, min(len(data), 4096 * 6)):
            data[i] ^= 0x5A
        backup.write_bytes(bytes(data))
    elif damage == "tampered_row":  # a well-formed database whose history was edited behind the chain
        with sqlite3.connect(backup) as conn:
            conn.execute("UPDATE operators SET name = 'mallory' WHERE name = 'zhang'")
    else:
        backup.write_bytes(backup.read_bytes()[: backup.stat().st_size // 2])
    with pytest.raises((BackupBad, InputInvalid)):
        verify_backup(invocation(world), str(backup))
    live_before = _count(world.db_url, Operator)
    with pytest.raises((BackupBad, InputInvalid)):
        restore_backup(restorer(world), str(backup))
    assert _count(world.db_url, Operator) == live_before


def test_a_backup_that_fails_verification_is_not_kept(world, usb, monkeypatch):
    set_target(world, usb)

    def broken(path, key):
        raise BackupBad("审计链不完整", detail_en="audit chain broken")

    monkeypatch.setattr(backups, "verify_backup_file", broken)
    assert backups.backup_quietly(world.counter.backup_backend(), "manual") is None
    assert list(usb.iterdir()) == []  # neither the .part nor a real name
    assert "verification failed" in world.counter.backup_status().last_failure


def test_same_disk(tmp_path):
    db = tmp_path / "counter.db"
    db.write_bytes(b"")
    assert backups.same_disk(tmp_path, db)
    assert not backups.same_disk(tmp_path / "absent", db)  # unknown: the missing folder is refused elsewhere
    assert timedelta(days=1) == backups.STALE_AFTER


def _flip_a_byte_no_check_reads(path) -> None:
    """The header's application id (offset 68): integrity_check, the schema and the chain all pass."""
    data = bytearray(path.read_bytes())
    data[68] ^= 0x01
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("recorded", ["sidecar_and_log", "log_only", "sidecar_only"])
def test_a_damaged_byte_anywhere_is_refused_by_the_sha256_recorded_when_made(world, usb, recorded):
    """Issue 12: verify compares the SHA-256 recorded when the backup was made (the audit log of the
    live database and the `.sha256` beside the file), so a byte no other check reads is refused."""
    set_target(world, usb)
    backup = _backup(world)
    sidecar = backups.sidecar_of(backup)
    assert sidecar.read_text().split() == [backups.sha256_of(backup), backup.name]
    assert verify_backup(invocation(world), str(backup)).sha256_checked
    _flip_a_byte_no_check_reads(backup)
    if recorded == "log_only":
        sidecar.unlink()
    at = invocation(world)
    if recorded == "sidecar_only":  # no database at hand: the .sha256 file decides
        at = Invocation(db_url=None, keystore=world.keystore, environ={}, hasher=CHEAP)
    with pytest.raises(BackupBad) as bad:
        verify_backup(at, str(backup))
    assert "SHA-256" in bad.value.message
    with pytest.raises(BackupBad):
        restore_backup(invocation(world, actor="admin", actor_password=PASSWORD), str(backup))


def test_a_backup_without_a_recorded_sha256_is_still_checked_and_says_so(world, usb):
    set_target(world, usb)
    backup = _backup(world)
    moved = usb / "moved.db"
    backup.rename(moved)  # neither the log (another path) nor a .sha256 names it
    check = verify_backup(invocation(world), str(moved))
    assert not check.sha256_checked and check.instance_id == world.counter.installation.instance_id
    _flip_a_byte_no_check_reads(moved)  # what only the recorded digest can catch: the other checks pass
    assert not verify_backup(invocation(world), str(moved)).sha256_checked


def _backup_items(session) -> list:
    return [item for item in session.morning_list() if item.kind == "backup"]


def test_the_head_sees_an_old_or_missing_backup_first_on_the_morning_list(world, usb):
    """Issue 14 "a backup warning": the threshold is the setting `backup.warn_after_days` (1)."""
    head, li = world.login("zhao"), world.login("li")
    [item] = _backup_items(head)
    assert "尚无经校验的备份" in item.summary and "未设置备份目录" in item.summary
    assert _backup_items(li) == []  # a 监督人 sells; the department looks after backups
    set_target(world, usb)
    close_a_shift(world)
    assert _backup_items(head) == []
    world.clock.advance(days=2)
    [item] = _backup_items(head)
    assert "已超过 1 天" in item.summary and head.morning_list()[0].kind == "backup"  # first: it is now
    admin = world.login("admin")
    admin.set_setting("backup.warn_after_days", 7, approval=world.approval("zhao"))
    status = world.counter.backup_status()
    assert not status.stale and status.warn_after_days == 7 and _backup_items(head) == []
    world.clock.advance(days=6)
    [item] = _backup_items(head)
    assert "已超过 7 天" in item.summary
    assert all(i.kind != "backup" for i in head.morning_list(on=world.clock().date()))  # a chosen day: no


def test_a_failed_backup_is_on_the_head_s_morning_list(world, usb):
    set_target(world, usb)
    close_a_shift(world)
    shutil.rmtree(usb)  # the USB drive was pulled
    close_a_shift(world)
    [item] = _backup_items(world.login("zhao"))
    assert item.summary.startswith("最近一次自动备份失败") and "backup target missing" in item.summary
