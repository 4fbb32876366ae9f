"""Backups: `backup create|verify|restore` (the file mechanics and the checks of a good backup are
counter_app/backup_files.py, shared with the automatic backups).

SQLite: create copies with the online backup API; restore refuses a backup that does not verify,
is co-signed by 主管 or 部门助理 (`--approver`, counter_app/powers.py), keeps a safety copy of the
live database first, and appends a `backup.restored` entry to the restored chain naming who
restored and who co-signed. PostgreSQL: `pg_dump -Fc` when it is on PATH (the password passed in the
environment, never on the command line); restoring is `pg_restore`'s job, by the database
administrator.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, make_url
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session

from base.clock import business_date, system_clock
from base.errors import (
    ApprovalInvalid,
    AuthFailed,
    InputInvalid,
    RoleForbidden,
    SelfApproval,
    UserFacingError,
)
from counter_app import high_water, keystore
from counter_app.admin.command import CommandContext, Invocation, acting
from counter_app.admin.door import AdminSession, admin_on
from counter_app.approvals import Approval
from counter_app.auth import default_hasher, find_operator, password_matches
from counter_app.backup_files import (
    BackupCheck,
    copy_sqlite,
    read_only_engine,
    record_sha256,
    sha256_of,
    verify_backup_file,
)
from counter_app.installation import InstallationInfo
from counter_app.powers import POWERS, co_sign
from counter_app.roles import has_any_role, has_role
from db.engine import make_engine, sqlite_file_path
from db.queries.security import audit_entries_of_kinds

if TYPE_CHECKING:
    import argon2  # annotations only: argon2 loads when a password is hashed or checked (auth.py)

# --- handlers --------------------------------------------------------------------------------------


def backup_create(ctx: CommandContext) -> int:
    with acting(ctx.invocation()) as admin:
        made = create_backup(admin, ctx.args.out)
    ctx.out.line(f"备份已写入 {made.path}（{made.size} 字节，SHA-256 {made.sha256}）")
    return 0


def backup_verify(ctx: CommandContext) -> int:
    check = verify_backup(ctx.invocation(), ctx.args.file)
    ctx.out.line(f"备份完好：{check.path}，审计记录 {check.entries} 条，链头 #{check.head[0]}")
    if check.sha256_checked:
        ctx.out.line("SHA-256 与备份时记录的一致")
    else:
        ctx.out.line("未找到备份时记录的 SHA-256（.sha256 文件或审计日志），只检查了完整性与审计链")
    return 0


def backup_restore(ctx: CommandContext) -> int:
    done = restore_backup(ctx.invocation(), ctx.args.file)
    ctx.out.line(
        f"已从 {done.check.path} 恢复（审计记录 {done.check.entries} 条），确认人 {ctx.credentials.approver}"
    )
    if done.safety_copy:
        ctx.out.line(f"恢复前的数据库已保存为 {done.safety_copy}")
    for code, ahead in sorted(done.ahead.items()):  # what the restore took back; the counters skip past it
        ctx.out.line(f"窗口 {code} 的高水位超过恢复的数据库：{ahead}（该窗口启动时票号将跳过已开出的号码）")
    return 0


# --- create ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BackupMade:
    path: Path
    size: int
    sha256: str


def create_backup(admin: AdminSession, out: str) -> BackupMade:
    ctx = admin.ctx
    with ctx.reading() as s:
        ctx.require_role(s, "admin")
    path = Path(out).absolute()
    if path.exists():
        raise InputInvalid(f"{path} 已存在，不覆盖", detail_en=f"{path} exists; not overwritten", field="out")
    path.parent.mkdir(parents=True, exist_ok=True)
    if sqlite_file_path(admin.engine.url) is not None:
        copy_sqlite(admin.engine, path)
    else:
        _pg_dump(admin.engine, path)
    made = BackupMade(path, path.stat().st_size, sha256_of(path))
    record_sha256(path, made.sha256)
    with ctx.uow() as s:
        ctx.audit(s, "backup.created", path=str(path), size=made.size, sha256=made.sha256)
    return made


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


def verify_backup(invocation: Invocation, file: str) -> BackupCheck:
    """Integrity, schema and audit chain of a SQLite backup, with the key of `--keystore` for the
    backup's installation; BackupBad naming what is wrong. Needs no database and no `--as`."""

    def audit_key(s: Session, info: InstallationInfo) -> bytes:
        store = keystore.keystore_from_spec(invocation.keystore, database_id=info.instance_id)
        return keystore.open_keys(s, store).audit_hmac

    return verify_backup_file(Path(file), audit_key, logged_sha256(invocation, Path(file)))


def logged_sha256(invocation: Invocation, path: Path) -> str | None:
    """The SHA-256 the live database's audit log recorded when `path` was made (`backup.created`
    or `backup.made`), when a live SQLite database is at hand; None otherwise (the `.sha256` file
    beside the backup is compared in any case). Never creates a database."""
    url = make_url(invocation.db_url) if invocation.db_url else None
    live = sqlite_file_path(url) if url is not None and url.get_backend_name() == "sqlite" else None
    if live is None or not Path(live).is_file():
        return None
    engine = read_only_engine(Path(live))
    try:
        with Session(engine) as s:
            wanted = str(path.absolute())
            for entry in audit_entries_of_kinds(s, ("backup.created", "backup.made")):
                payload = json.loads(entry.payload_json)
                if payload.get("path") == wanted and payload.get("sha256"):
                    return str(payload["sha256"])
    except (sqlite3.DatabaseError, sa_exc.DatabaseError, ValueError):
        return None  # an unreadable live database says nothing about the backup: the file check decides
    finally:
        engine.dispose()
    return None


# --- restore --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Restored:
    check: BackupCheck
    safety_copy: Path | None
    # Per workstation, what its high-water mark holds beyond the restored database (what the
    # restore took back; the counters continue past it: counter_app/high_water.py).
    ahead: dict[str, dict[str, Any]] = field(default_factory=dict)


def restore_backup(invocation: Invocation, file: str) -> Restored:
    """Verify, authenticate an administrator and the co-signer (`invocation.approval`: 主管 or
    部门助理, never the administrator), keep a safety copy, copy the backup in, record it. One
    engine on the live file throughout (the admin sessions below run on it).

    The approval is checked before anything is copied. On an initialised live database it is
    granted there (kind `backup.restore`, the backup's SHA-256, installation and chain head): that
    row stays in the safety copy, and the restored chain's `backup.restored` entry names the
    co-signer and that approval's id. On a new PC (no live database) both people are checked
    against the backup itself, and the approval is recorded in the restored database."""
    check = verify_backup(invocation, file)
    approval = invocation.approval
    if approval is None:
        raise POWERS["backup.restore"].refused_alone()
    payload = _restore_payload(check)
    # Restore creates the live file when it is gone (a new PC after a disk failure), like `init`.
    engine = make_engine(invocation.db_url, create=True)
    try:
        live = sqlite_file_path(engine.url)
        if live is None:
            raise InputInvalid(
                "PostgreSQL 数据库请用 pg_restore 恢复", detail_en="restore PostgreSQL with pg_restore"
            )
        approval_id = _authorise_restore(invocation, engine, check, approval, payload)
        safety = None
        if Path(live).exists() and Path(live).stat().st_size > 0:
            stamp = system_clock().astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
            safety = Path(live).parent / "backups" / f"{Path(live).stem}-before-restore-{stamp}.db"
            safety.parent.mkdir(parents=True, exist_ok=True)
            copy_sqlite(engine, safety)
        _copy_into(check.path, engine)
        ahead = _record_restore(invocation, engine, check, safety, approval_id, payload)
        return Restored(check, safety, ahead)
    finally:
        engine.dispose()


def _restore_payload(check: BackupCheck) -> dict[str, Any]:
    """What the co-signer approves: exactly this backup (its bytes, installation and chain head)."""
    return {"sha256": sha256_of(check.path), "instance_id": check.instance_id, "head": check.head[0]}


def _admin(invocation: Invocation, engine: Engine) -> AdminSession:
    return admin_on(
        engine, keystore=invocation.keystore, environ=invocation.environ, hasher=invocation.hasher
    )


def _authorise_restore(
    invocation: Invocation, engine: Engine, check: BackupCheck, approval: Approval, payload: dict[str, Any]
) -> int | None:
    """An administrator of the live database, when it is initialised (and only a backup of the same
    installation goes over it), co-signed there: the approval's id. Else both people as the backup
    knows them (None: the approval is recorded after the copy)."""
    try:
        admin = _admin(invocation, engine)
    except UserFacingError:
        _authorise_by_backup(invocation, check, approval)
        return None
    if admin.info.instance_id != check.instance_id:
        raise InputInvalid("备份属于另一套系统，不能恢复到本数据库",
                           detail_en="the backup is of another installation")  # fmt: skip
    admin.login(invocation.actor or "", invocation.actor_password or "")
    ctx = admin.ctx
    with ctx.uow() as s:
        ctx.require_role(s, "admin")
        return co_sign(ctx, s, approval, "backup.restore", payload)


def _authorise_by_backup(invocation: Invocation, check: BackupCheck, approval: Approval) -> None:
    engine = read_only_engine(check.path)
    hasher = invocation.hasher or default_hasher()
    today = business_date(system_clock())
    try:
        with Session(engine) as s:
            operator = find_operator(s, invocation.actor or "")
            if operator is None or not password_matches(
                hasher, operator.password_hash, invocation.actor_password or ""
            ):
                raise AuthFailed()
            if not has_role(s, operator.id, "admin", on=today):
                raise RoleForbidden(
                    "只有管理员可以恢复备份", detail_en="only an administrator restores backups"
                )
            _check_co_signer_in_backup(s, hasher, operator.id, approval, today)
    finally:
        engine.dispose()


def _check_co_signer_in_backup(
    s: Session, hasher: argon2.PasswordHasher, maker_id: int, approval: Approval, today: date
) -> None:
    """The checks `approvals.grant_approval` makes, against the backup (nothing can be recorded in
    it: the approval is recorded in the restored database)."""
    checker = find_operator(s, approval.name)
    if checker is not None and checker.id == maker_id:
        raise SelfApproval()
    if (
        checker is None
        or checker.disabled
        or not password_matches(hasher, checker.password_hash, approval.password)
    ):
        raise ApprovalInvalid("确认人用户名或密码错误", detail_en="wrong approver name or password")
    if not has_any_role(s, checker.id, POWERS["backup.restore"].signers, on=today):
        raise ApprovalInvalid(
            f"{checker.name} 无权确认恢复备份", detail_en=f"{checker.name} may not co-sign a restore"
        )


def _copy_into(backup: Path, engine: Engine) -> None:
    source = sqlite3.connect(f"file:{backup.absolute()}?mode=ro", uri=True)
    raw = engine.raw_connection()
    try:
        driver = raw.driver_connection
        assert driver is not None  # an open pool connection always has its sqlite3 connection
        source.backup(driver)
    finally:
        raw.close()
        source.close()
    engine.dispose()  # pooled connections may hold pages of the old file


def _record_restore(
    invocation: Invocation, engine: Engine, check: BackupCheck, safety: Path | None, approval_id: int | None,
    payload: dict[str, Any],
) -> dict[str, dict[str, Any]]:  # fmt: skip
    """The `backup.restored` entry: who, co-signed by whom, when, from which file, and which
    workstations' high-water marks (next to the keys and on the backup target) were ahead of the
    restored database. On a new PC the approval is granted and recorded here, in the restored
    database (its people are the backup's, already checked)."""
    admin = _admin(invocation, engine)
    approval = invocation.approval
    recorded_in = "safety_copy"
    if approval_id is None and approval is not None:
        admin.login(invocation.actor or "", invocation.actor_password or "")
        recorded_in = "restored"
    ctx = admin.ctx
    with ctx.uow() as s:
        if recorded_in == "restored" and approval is not None:
            approval_id = co_sign(ctx, s, approval, "backup.restore", payload)
        folders = [high_water.mark_folder(admin.keystore)]
        target = ctx.setting(s, "backup.target_dir")
        if target and Path(target).is_dir():
            folders.append(Path(target))
        ahead = high_water.marks_ahead(s, admin.keys, folders, admin.info.instance_id)
        # The chain continues from the backup's head: the restore is its next entry.
        ctx.audit(s, "backup.restored", file=str(check.path.absolute()), head=check.head[0],
                  sha256=payload["sha256"], safety_copy=str(safety) if safety else None,
                  by=invocation.actor, approver=approval.name if approval else None,
                  approval_id=approval_id, approval_recorded_in=recorded_in, marks_ahead=ahead)  # fmt: skip
    return ahead
