"""Automatic backups of a SQLite counter: at every shift close and at the first start of each
business day, to a second disk (setting `backup.target_dir`), keeping `backup.generations` copies.

Each backup is made with SQLite's online backup API (backup_files.copy_sqlite: one self-contained
file), under a `.part` name, then VERIFIED exactly as `counter-admin backup verify` does
(integrity_check, foreign keys, schema, audit chain with this counter's key) and only then renamed
to its real name: a file named `counter-….db` in the target is a good backup. Older generations of
this installation are then removed (never files the counter did not write).

Quiet: a backup runs after the close (or the start) has committed and never fails it. A failure is
logged and recorded as a `backup.failed` audit entry; `backup_status` reports it, with the time of
the last good backup and a warning flag when that is older than the setting
`backup.warn_after_days` (1). The UI shows it (status bar, the morning list).

PostgreSQL: the server is backed up by its administrator's pg_dump routine (docs/operations.md);
the counters do not dump it themselves, and `backup_status().automatic` is False there.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session as DbSession

from base.clock import BUSINESS_TZ, Clock
from base.errors import UserFacingError
from counter_app import audit, settings
from counter_app.backup_files import (
    BackupCheck,
    copy_sqlite,
    record_sha256,
    sha256_of,
    sidecar_of,
    verify_backup_file,
)
from counter_app.high_water import HighWater, copy_to_target
from counter_app.installation import read_installation
from counter_app.keystore import Keys, bind_keys
from db.engine import is_sqlite, sqlite_file_of
from db.models.security import AuditEntry
from db.queries.security import latest_audit_entry
from db.session import unit_of_work

log = logging.getLogger(__name__)

MADE, FAILED = "backup.made", "backup.failed"
STALE_AFTER = timedelta(days=1)  # the default of the setting `backup.warn_after_days`
REASONS = ("close", "daily", "manual")


class BackupFailed(RuntimeError):
    """Why an automatic backup was not made (Chinese and English in the message)."""


@dataclass(frozen=True)
class BackupStatus:
    """`Counter.backup_status()` (docs/api.md)."""

    automatic: bool  # False on PostgreSQL: the server's own routine backs it up
    target_dir: str | None  # the setting; None when not set
    last_good_at: datetime | None  # the last verified automatic backup
    last_good_path: str | None
    stale: bool  # warning: no good backup within `backup.warn_after_days` (or never)
    last_failure_at: datetime | None  # the latest failure AFTER the last good backup, if any
    last_failure: str | None
    warn_after_days: int = 1  # the setting `backup.warn_after_days` that `stale` was judged by


@dataclass(frozen=True)
class Backend:
    """What a backup needs of an open counter (a Counter's or an OpContext's parts)."""

    engine: Engine
    keys: Keys
    clock: Clock
    workstation: str
    high_water: HighWater | None = None  # copied beside each backup (counter_app/high_water.py)


# --- making one -----------------------------------------------------------------------------------


def make_backup(backend: Backend, reason: str) -> Path:
    """Copy, verify, rename, prune, record. Raises BackupFailed (nothing recorded: the caller
    records the failure) when there is no target or the copy is not good."""
    live = sqlite_file_of(backend.engine)
    if live is None:
        raise BackupFailed("只有 SQLite 数据库自动备份 / only SQLite databases are backed up automatically")
    with unit_of_work(backend.engine, read_only=True) as s:
        target = settings.get_setting(s, "backup.target_dir")
        generations = settings.get_setting(s, "backup.generations")
        instance = read_installation(s).instance_id
    folder = _usable_target(target, live)
    stamp = backend.clock().astimezone(BUSINESS_TZ).strftime("%Y%m%dT%H%M%S")
    final = _free_name(folder, f"{_prefix(instance)}{stamp}-{reason}")
    partial = folder / f".{final.name}.part"
    try:
        copy_sqlite(backend.engine, partial)
        _fsync(partial)
        check = _verify(partial, backend.keys, instance)
        os.replace(partial, final)
    except BackupFailed:
        partial.unlink(missing_ok=True)
        raise
    except Exception as exc:  # any OS or SQLite error: the target is full, gone, read-only…
        partial.unlink(missing_ok=True)
        raise BackupFailed(f"备份写入失败 / writing the backup failed: {type(exc).__name__}: {exc}") from exc
    digest = sha256_of(final)
    record_sha256(final, digest)
    _prune(folder, instance, generations)
    copy_to_target(backend.high_water, folder)  # a PC that loses its own mark rebuilds from this copy
    _record(backend, MADE, path=str(final), reason=reason, size=final.stat().st_size,
            sha256=digest, audit_entries=check.entries)  # fmt: skip
    log.info("backup %s made (%s)", final, reason)
    return final


def backup_quietly(backend: Backend, reason: str) -> Path | None:
    """`make_backup` that never raises: a failure is logged and recorded (`backup.failed`).
    Does nothing when no target is set or the database is not SQLite."""
    try:
        if not _applies(backend):
            return None
        return make_backup(backend, reason)
    except Exception as exc:  # the close / the start has committed; a backup never undoes it
        log.exception("automatic backup (%s) failed", reason)
        try:
            _record(backend, FAILED, reason=reason, error=str(exc)[:500])
        except Exception:
            log.exception("recording the failed backup failed too")
        return None


def daily_backup_quietly(backend: Backend) -> Path | None:
    """At start: the day's backup when there is none yet for this business day."""
    try:
        if not _applies(backend):
            return None
        last = _latest(backend.engine, MADE)
        start_of_day = (
            backend.clock().astimezone(BUSINESS_TZ).replace(hour=0, minute=0, second=0, microsecond=0)
        )
        if last is not None and last.at >= start_of_day:
            return None
    except Exception:
        log.exception("daily backup: reading the last backup failed")
        return None
    return backup_quietly(backend, "daily")


def _applies(backend: Backend) -> bool:
    if sqlite_file_of(backend.engine) is None:
        return False
    with unit_of_work(backend.engine, read_only=True) as s:
        return bool(settings.get_setting(s, "backup.target_dir"))


def _usable_target(target: str, live: str) -> Path:
    if not target:
        raise BackupFailed("未设置备份目录 backup.target_dir / no backup target set (backup.target_dir)")
    folder = Path(target)
    if not folder.is_dir():
        raise BackupFailed(
            f"备份目录不存在或未连接：{target} / backup target missing or not mounted: {target}"
        )
    if same_disk(folder, Path(live)):
        raise BackupFailed(
            f"备份目录与数据库在同一磁盘：{target} / the backup target is on the database's own disk"
        )
    return folder


def same_disk(folder: Path, database: Path) -> bool:
    """True when `folder` is on the file system holding `database` (a backup there dies with it).
    Windows: the same drive letter; elsewhere the same st_dev."""
    try:
        if os.name == "nt":  # pragma: no cover - Windows only
            return os.path.splitdrive(os.path.abspath(folder))[0].lower() == (
                os.path.splitdrive(os.path.abspath(database))[0].lower()
            )
        return folder.stat().st_dev == database.parent.stat().st_dev
    except OSError:
        return False


def _prefix(instance_id: str) -> str:
    return f"counter-{instance_id[:8]}-"


def _free_name(folder: Path, stem: str) -> Path:
    path, n = folder / f"{stem}.db", 1
    while path.exists():
        n += 1
        path = folder / f"{stem}-{n}.db"
    return path


def _fsync(path: Path) -> None:
    with path.open("rb") as f:
        os.fsync(f.fileno())


def _verify(path: Path, keys: Keys, instance: str) -> BackupCheck:
    try:
        check = verify_backup_file(path, lambda _s, _info: keys.audit_hmac)
    except UserFacingError as exc:
        raise BackupFailed(f"备份校验未通过：{exc.message} / verification failed: {exc.message_en}") from exc
    if check.instance_id != instance:  # cannot happen for a copy, but a restore relies on it
        raise BackupFailed("备份的实例号不符 / the backup names another installation")
    return check


def generations(folder: Path, instance_id: str) -> list[Path]:
    """This installation's good backups in `folder`, oldest first (the names sort by time)."""
    return sorted(p for p in folder.glob(f"{_prefix(instance_id)}*.db") if p.is_file())


def _prune(folder: Path, instance: str, keep: int) -> None:
    for old in generations(folder, instance)[:-keep]:
        try:
            old.unlink()
            sidecar_of(old).unlink(missing_ok=True)
        except OSError:
            log.warning("could not remove old backup %s", old)


# --- recording and status -------------------------------------------------------------------------


def _record(backend: Backend, kind: str, **payload: object) -> None:
    with unit_of_work(backend.engine) as s:
        bind_keys(s, backend.keys)
        audit.record(s, kind=kind, actor_id=None, workstation=backend.workstation, payload=payload,
                     clock=backend.clock)  # fmt: skip


def _latest(engine: Engine, kind: str) -> AuditEntry | None:
    with unit_of_work(engine, read_only=True) as s:
        row = latest_audit_entry(s, kind)
        if row is not None:
            s.expunge(row)
        return row


def backup_status(backend: Backend) -> BackupStatus:
    with unit_of_work(backend.engine, read_only=True) as s:
        return status_in(s, automatic=is_sqlite(backend.engine), now=backend.clock())


def status_in(s: DbSession, *, automatic: bool, now: datetime) -> BackupStatus:
    """`backup_status` read inside the caller's transaction (the morning list reads it with the rest).
    Stale: no good backup, or the last one older than the setting `backup.warn_after_days`."""
    target = settings.get_setting(s, "backup.target_dir") or None
    warn_after = timedelta(days=settings.get_setting(s, "backup.warn_after_days"))
    good, bad = latest_audit_entry(s, MADE), latest_audit_entry(s, FAILED)
    if bad is not None and good is not None and bad.sequence < good.sequence:
        bad = None  # failed before the last good one: no longer news
    return BackupStatus(
        automatic=automatic,
        target_dir=target,
        last_good_at=good.at if good else None,
        last_good_path=json.loads(good.payload_json).get("path") if good else None,
        stale=automatic and (good is None or now - good.at > warn_after),
        last_failure_at=bad.at if bad else None,
        last_failure=json.loads(bad.payload_json).get("error") if bad else None,
        warn_after_days=warn_after.days,
    )


def warning(status: BackupStatus) -> str | None:
    """The one-line Chinese warning for the head and the administrator, or None when all is well."""
    if status.last_failure is not None and status.last_failure_at is not None:
        when = status.last_failure_at.astimezone(BUSINESS_TZ)
        return f"最近一次自动备份失败（{when:%Y-%m-%d %H:%M}）：{status.last_failure}"
    if not status.stale:
        return None
    if status.last_good_at is None:
        return "尚无经校验的备份" + ("（未设置备份目录）" if status.target_dir is None else "")
    when = status.last_good_at.astimezone(BUSINESS_TZ)
    return f"最近一次经校验的备份在 {when:%Y-%m-%d %H:%M}，已超过 {status.warn_after_days} 天"
