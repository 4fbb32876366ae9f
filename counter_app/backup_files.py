"""A backup file of a SQLite counter: made with SQLite's online backup API, and checked.

Shared by the automatic backups (counter_app/backups.py) and `counter-admin backup
create|verify|restore` (counter_app/admin/backup.py), so a file that one calls good the other does.

SQLite's online backup API in both directions (a file copy taken while a counter writes can be
corrupt: sqlite.org/howtocorrupt.html). The copy is switched to rollback-journal mode so it is one
self-contained file that can be opened read-only. A backup is good when `PRAGMA integrity_check`
says "ok", no foreign key is broken, its schema is one this program knows, and its audit chain
verifies with the keys of the keystore (whose fingerprints it must carry).
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
from counter_app import audit, row_seals
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


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


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


def verify_backup_file(path: Path, audit_key: AuditKey) -> BackupCheck:
    """Integrity, schema and audit chain of a SQLite backup, with the audit key given by
    `audit_key(session, installation_info)`; BackupBad naming what is wrong."""
    file = str(path)
    if not path.is_file():
        raise InputInvalid(f"找不到备份文件 {file}", detail_en=f"no backup file {file}", field="file")
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
        return BackupCheck(path, info.instance_id, info.dev, result.entries_checked, result.head)
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
        raise row_seals.tampered(None, "installation", row.id)


def _integrity(engine: Engine) -> None:
    rows, broken = sqlite_integrity(engine)
    if rows != ["ok"]:
        raise BackupBad(
            f"数据库完整性检查未通过：{'；'.join(rows[:3])}", detail_en=f"integrity_check: {rows[:3]}"
        )
    if broken:
        raise BackupBad("外键不一致", detail_en=f"foreign_key_check: {broken[:3]}")
