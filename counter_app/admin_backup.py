"""Backups (`counter-admin backup create|verify|restore`).

SQLite: SQLite's online backup API in both directions (a file copy taken while a counter writes
can be corrupt: sqlite.org/howtocorrupt.html). The copy is switched to rollback-journal mode so it
is one self-contained file that can be opened read-only. A backup is good when `PRAGMA
integrity_check` says "ok", its schema is one this program knows, and its audit chain verifies
with the keys of the keystore (whose fingerprints it must carry). Restore refuses a backup that is
not good, keeps a safety copy of the live database first, and appends a `backup.restored` entry to
the restored chain.

PostgreSQL: `pg_dump -Fc` when it is on PATH (the password passed in the environment, never on the
command line); restoring is `pg_restore`'s job, by the database administrator.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session

from base.clock import system_clock
from base.errors import AuthFailed, InputInvalid, RoleForbidden, UserFacingError
from counter_app import audit, keystore
from counter_app.admin_services import AdminRun, Invocation, admin_context, choose_clock
from counter_app.auth import default_hasher, find_operator, password_matches
from counter_app.installation import read_installation
from db.engine import make_engine, sqlite_file_path
from db.health import sqlite_integrity
from db.migrate import check_schema

_CHUNK = 1 << 20


class BackupBad(UserFacingError):
    """A backup that must not be trusted (damaged, foreign keys, broken chain). Reported with the
    INPUT_INVALID code: the file given is what is wrong."""

    code = "INPUT_INVALID"
    message_zh = "备份文件不可用"
    message_en_base = "The backup cannot be used"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# --- create ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BackupMade:
    path: Path
    size: int
    sha256: str


def create_backup(run: AdminRun, out: str) -> BackupMade:
    ctx = run.ctx
    with ctx.reading() as s:
        ctx.require_role(s, "admin")
    path = Path(out).absolute()
    if path.exists():
        raise InputInvalid(f"{path} 已存在，不覆盖", detail_en=f"{path} exists; not overwritten", field="out")
    path.parent.mkdir(parents=True, exist_ok=True)
    if sqlite_file_path(run.engine.url) is not None:
        copy_sqlite(run.engine, path)
    else:
        _pg_dump(run.engine, path)
    made = BackupMade(path, path.stat().st_size, sha256_of(path))
    with ctx.uow() as s:
        ctx.audit(s, "backup.created", path=str(path), size=made.size, sha256=made.sha256)
    return made


def copy_sqlite(engine: Engine, destination: Path) -> None:
    raw = engine.raw_connection()
    try:
        target = sqlite3.connect(str(destination))
        try:
            raw.driver_connection.backup(target)
            # One self-contained file: a WAL-mode copy needs -wal/-shm files to be opened read-only.
            target.execute("PRAGMA journal_mode=DELETE")
        finally:
            target.close()
    finally:
        raw.close()


def _pg_dump(engine: Engine, path: Path) -> None:
    program = shutil.which("pg_dump")
    if program is None:
        raise InputInvalid("PostgreSQL 数据库请用 pg_dump 备份（本机未找到 pg_dump）",
                           detail_en="back up PostgreSQL with pg_dump (not found on PATH)")  # fmt: skip
    url = engine.url.set(drivername="postgresql")
    env = dict(os.environ, PGPASSWORD=url.password or "")
    libpq = url.set(password=None).render_as_string(hide_password=False)
    done = subprocess.run([program, "-Fc", "-f", str(path), libpq], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        path.unlink(missing_ok=True)
        raise InputInvalid("pg_dump 失败", detail_en=f"pg_dump failed: {done.stderr.strip()[:300]}")


# --- verify ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BackupCheck:
    path: Path
    instance_id: str
    dev: bool
    entries: int
    head: tuple[int, str]


def _read_only_engine(path: Path) -> Engine:
    uri = f"file:{path.absolute()}?mode=ro"
    return create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True))


def verify_backup(invocation: Invocation, file: str) -> BackupCheck:
    """Integrity, schema and audit chain of a SQLite backup; BackupBad naming what is wrong."""

    def audit_key(s: Session, info) -> bytes:
        store = keystore.keystore_from_spec(invocation.keystore, database_id=info.instance_id)
        return keystore.open_keys(s, store).audit_hmac

    return verify_backup_file(Path(file), audit_key)


def verify_backup_file(path: Path, audit_key: Callable[[Session, Any], bytes]) -> BackupCheck:
    """`verify_backup` with the audit key given by `audit_key(session, installation_info)` (the
    automatic backups of counter_app.backups pass the open counter's key)."""
    file = str(path)
    if not path.is_file():
        raise InputInvalid(f"找不到备份文件 {file}", detail_en=f"no backup file {file}", field="file")
    engine = _read_only_engine(path)
    try:
        _integrity(engine)
        check_schema(engine)
        with Session(engine) as s:
            info = read_installation(s)
            result = audit.verify(s, audit_key(s, info))
        if not result.ok:
            bad = result.first_bad
            raise BackupBad(f"审计链不完整：{bad.reason}", detail_en=f"audit chain broken at entry {bad.sequence}",
                            data={"sequence": bad.sequence, "reason": bad.reason})  # fmt: skip
        return BackupCheck(path, info.instance_id, info.dev, result.entries_checked, result.head)
    except (sqlite3.DatabaseError, sa_exc.DatabaseError) as exc:
        # Whatever SQLite says about a damaged file ("file is not a database", "malformed"…).
        raise BackupBad("文件已损坏或不是数据库", detail_en="damaged or not a database") from exc
    finally:
        engine.dispose()


def _integrity(engine: Engine) -> None:
    rows, broken = sqlite_integrity(engine)
    if rows != ["ok"]:
        raise BackupBad(
            f"数据库完整性检查未通过：{'；'.join(rows[:3])}", detail_en=f"integrity_check: {rows[:3]}"
        )
    if broken:
        raise BackupBad("外键不一致", detail_en=f"foreign_key_check: {broken[:3]}")


# --- restore --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Restored:
    check: BackupCheck
    safety_copy: Path | None


def restore_backup(invocation: Invocation, file: str) -> Restored:
    """Verify, authenticate an administrator, keep a safety copy, copy the backup in, record it."""
    check = verify_backup(invocation, file)
    engine = make_engine(invocation.db_url)
    try:
        live = sqlite_file_path(engine.url)
        if live is None:
            raise InputInvalid(
                "PostgreSQL 数据库请用 pg_restore 恢复", detail_en="restore PostgreSQL with pg_restore"
            )
        _authorise_restore(invocation, engine, check)
        safety = None
        if Path(live).exists() and Path(live).stat().st_size > 0:
            stamp = system_clock().astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
            safety = Path(live).parent / "backups" / f"{Path(live).stem}-before-restore-{stamp}.db"
            safety.parent.mkdir(parents=True, exist_ok=True)
            copy_sqlite(engine, safety)
        _copy_into(check.path, engine)
        _record_restore(invocation, engine, check, safety)
        return Restored(check, safety)
    finally:
        engine.dispose()


def _authorise_restore(invocation: Invocation, engine: Engine, check: BackupCheck) -> None:
    """An administrator of the live database, when it is initialised (and only a backup of the same
    installation goes over it); else an administrator as the backup knows them."""
    from counter_app.admin_services import login
    from counter_app.installation import load_keys

    try:
        check_schema(engine)
        keys, info, _ = load_keys(engine, invocation.keystore)
    except UserFacingError:
        return _authorise_by_backup(invocation, check)
    if info.instance_id != check.instance_id:
        raise InputInvalid("备份属于另一套系统，不能恢复到本数据库",
                           detail_en="the backup is of another installation")  # fmt: skip
    ctx = admin_context(engine, keys, info, choose_clock(info.dev, invocation.environ), invocation.hasher)
    ctx = replace(ctx, operator=login(ctx, invocation.actor or "", invocation.actor_password or ""))
    with ctx.reading() as s:
        ctx.require_role(s, "admin")


def _authorise_by_backup(invocation: Invocation, check: BackupCheck) -> None:
    from base.clock import business_date, system_clock
    from counter_app.roles import has_role

    engine = _read_only_engine(check.path)
    try:
        with Session(engine) as s:
            operator = find_operator(s, invocation.actor or "")
            hasher = invocation.hasher or default_hasher()
            if operator is None or not password_matches(
                hasher, operator.password_hash, invocation.actor_password or ""
            ):
                raise AuthFailed()
            if not has_role(s, operator.id, "admin", on=business_date(system_clock())):
                raise RoleForbidden(
                    "只有管理员可以恢复备份", detail_en="only an administrator restores backups"
                )
    finally:
        engine.dispose()


def _copy_into(backup: Path, engine: Engine) -> None:
    source = sqlite3.connect(f"file:{backup.absolute()}?mode=ro", uri=True)
    raw = engine.raw_connection()
    try:
        source.backup(raw.driver_connection)
    finally:
        raw.close()
        source.close()
    engine.dispose()  # pooled connections may hold pages of the old file


def _record_restore(invocation: Invocation, engine: Engine, check: BackupCheck, safety: Path | None) -> None:
    from counter_app.installation import load_keys

    keys, info, _ = load_keys(engine, invocation.keystore)
    ctx = admin_context(engine, keys, info, choose_clock(info.dev, invocation.environ), invocation.hasher)
    with ctx.uow() as s:
        # The chain continues from the backup's head: the restore is its next entry.
        ctx.audit(s, "backup.restored", file=str(check.path.absolute()), head=check.head[0],
                  safety_copy=str(safety) if safety else None, by=invocation.actor)  # fmt: skip
