"""A backup file of a SQLite counter: made with SQLite's online backup API, and checked.

Shared by the automatic backups (counter_app/backups.py) and `counter-admin backup
create|verify|restore` (counter_app/admin/backup.py), so a file that one calls good the other does.

SQLite's online backup API in both directions (a file copy taken while a counter writes can be
corrupt: sqlite.org/howtocorrupt.html). The copy is switched to rollback-journal mode so it is one
self-contained file that can be opened read-only. A backup is good when `PRAGMA integrity_check`
says "ok", no foreign key is broken, its schema is one this program knows, and its audit chain
verifies with the keys of the keystore (whose fingerprints it must carry), and — first — its bytes
still have the SHA-256 recorded when it was made (a damaged byte in free space passes every other
check).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, select
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session

from base.errors import InputInvalid, UserFacingError
from counter_app import audit, row_seals, seals
from counter_app.installation import InstallationInfo, read_installation
from db.engine import PRIVATE_MODE, make_private
from db.health import sqlite_integrity
from db.migrate import check_schema
from db.models import Installation

_CHUNK = 1 << 20

# Given a session on the backup and its installation row, the audit key to verify its chain with.
AuditKey = Callable[[Session, InstallationInfo], bytes]


class BackupBad(UserFacingError):
    """A backup that must not be trusted (damaged, foreign keys, broken chain). Reported with the
    INPUT_INVALID code: the file given is what is wrong."""

    code = "INPUT_INVALID"
    message_zh = "备份文件不可用"
    message_en_base = "The backup cannot be used"


@dataclass(frozen=True)
class BackupCheck:
    path: Path
    instance_id: str
    dev: bool
    entries: int
    head: tuple[int, str]
    sha256_checked: bool = False  # compared with the SHA-256 recorded when the backup was made


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# --- the SHA-256 recorded when a backup is made ----------------------------------------------------
# Integrity, schema and chain say nothing of a byte changed in a free page or in an index SQLite does
# not re-read: only the file's own digest does. It is recorded twice when a backup is made: in the
# audit log of the live database (`backup.made` / `backup.created`, with the path) and in a
# `<file>.sha256` file beside the backup (`sha256sum -c` reads it), so `backup verify` can compare
# even with no database at hand.

_HEX = frozenset("0123456789abcdef")


def sidecar_of(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def record_sha256(path: Path, digest: str) -> None:
    """Write `<file>.sha256` in `sha256sum` format."""
    sidecar_of(path).write_text(f"{digest}  {path.name}\n", encoding="ascii")


def recorded_sha256(path: Path) -> str | None:
    """The digest in `<file>.sha256`, or None when there is none (a backup made before this rule, or
    copied without it)."""
    try:
        text = sidecar_of(path).read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    digest = text.split()[0].lower() if text.split() else ""
    if len(digest) != 64 or not set(digest) <= _HEX:
        raise BackupBad(
            f"{sidecar_of(path).name} 不是 SHA-256 校验文件", detail_en="the .sha256 file is not a digest"
        )
    return digest


def _compare_sha256(path: Path, logged: str | None) -> bool:
    """BackupBad when the file's digest differs from the one recorded when it was made; whether a
    recorded digest was found to compare with."""
    expected = [d for d in (logged, recorded_sha256(path)) if d]
    if not expected:
        return False
    actual = sha256_of(path)
    if any(actual != digest for digest in expected):
        raise BackupBad("文件与备份时记录的 SHA-256 不符（文件已被改动或损坏）",
                        detail_en="the file's SHA-256 differs from the one recorded when it was made",
                        data={"sha256": actual, "recorded": expected})  # fmt: skip
    return True


def copy_sqlite(engine: Engine, destination: Path) -> None:
    """A consistent copy of the live database (backups, safety copies), created 0600 on POSIX."""
    os.close(os.open(destination, os.O_WRONLY | os.O_CREAT, PRIVATE_MODE))
    make_private(destination)  # an existing file keeps its mode through O_CREAT
    raw = engine.raw_connection()
    try:
        target = sqlite3.connect(str(destination))
        try:
            source: sqlite3.Connection = raw.driver_connection  # type: ignore[assignment]  # SQLite engine only
            source.backup(target)
            # One self-contained file: a WAL-mode copy needs -wal/-shm files to be opened read-only.
            target.execute("PRAGMA journal_mode=DELETE")
        finally:
            target.close()
    finally:
        raw.close()


def read_only_engine(path: Path) -> Engine:
    uri = f"file:{path.absolute()}?mode=ro"
    return create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True))


def verify_backup_file(path: Path, audit_key: AuditKey, logged_sha256: str | None = None) -> BackupCheck:
    """The SHA-256 recorded when the backup was made (`logged_sha256` from the audit log, and the
    `<file>.sha256` beside it), then integrity, schema and audit chain of a SQLite backup, with the
    audit key given by `audit_key(session, installation_info)`; BackupBad naming what is wrong."""
    file = str(path)
    if not path.is_file():
        raise InputInvalid(f"找不到备份文件 {file}", detail_en=f"no backup file {file}", field="file")
    sha256_checked = _compare_sha256(path, logged_sha256)
    engine = read_only_engine(path)
    try:
        _integrity(engine)
        check_schema(engine)
        with Session(engine) as s:
            info = read_installation(s)
            key = audit_key(s, info)
            _installation_genuine(s, key)
            result = audit.verify(s, key)
        if not result.ok:
            bad = result.first_bad
            assert bad is not None  # a failed verify names its first bad entry
            raise BackupBad(f"审计链不完整：{bad.reason}", detail_en=f"audit chain broken at entry {bad.sequence}",
                            data={"sequence": bad.sequence, "reason": bad.reason})  # fmt: skip
        return BackupCheck(
            path, info.instance_id, info.dev, result.entries_checked, result.head, sha256_checked
        )
    except (sqlite3.DatabaseError, sa_exc.DatabaseError) as exc:
        # Whatever SQLite says about a damaged file ("file is not a database", "malformed"…).
        raise BackupBad("文件已损坏或不是数据库", detail_en="damaged or not a database") from exc
    finally:
        engine.dispose()


def _installation_genuine(session: Session, key: bytes) -> None:
    """A backup whose installation row (its id, development flag) was changed is refused: restoring
    it would bring the change in (TAMPERED)."""
    row = session.execute(select(Installation)).scalar_one()
    if not row_seals.genuine(key, row):
        raise seals.tampered(None, "installation", row.id)


def _integrity(engine: Engine) -> None:
    rows, broken = sqlite_integrity(engine)
    if rows != ["ok"]:
        raise BackupBad(
            f"数据库完整性检查未通过：{'；'.join(rows[:3])}", detail_en=f"integrity_check: {rows[:3]}"
        )
    if broken:
        raise BackupBad("外键不一致", detail_en=f"foreign_key_check: {broken[:3]}")
