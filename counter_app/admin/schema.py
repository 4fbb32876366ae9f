"""`db upgrade`: Alembic to head. A SQLite file with a schema is backed up first (SQLite's online
backup API) into `backups/` beside it. Needs no `--as`: an old schema cannot be logged into."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from pathlib import Path

from base.clock import system_clock
from counter_app.admin.command import CommandContext, Invocation
from db.engine import make_engine, sqlite_file_path
from db.migrate import backup_sqlite, current_revisions, head_revision, upgrade_to_head


def db_upgrade(ctx: CommandContext) -> int:
    done = upgrade_database(ctx.invocation())
    before = ", ".join(done.before) or "空库"
    ctx.out.line(
        f"数据库已升级：{before} → {done.after}" + (f"（升级前备份：{done.backup}）" if done.backup else "")
    )
    return 0


@dataclass(frozen=True)
class Upgrade:
    before: tuple[str, ...]
    after: str
    backup: Path | None


def upgrade_database(invocation: Invocation) -> Upgrade:
    engine = make_engine(invocation.db_url)
    try:
        before = current_revisions(engine)
        backup = None
        path = sqlite_file_path(engine.url)
        if path is not None and before and set(before) != {head_revision()}:
            stamp = system_clock().astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
            backup = backup_sqlite(
                engine, Path(path).parent / "backups" / f"{Path(path).stem}-before-upgrade-{stamp}.db"
            )
        upgrade_to_head(engine)
        return Upgrade(before, head_revision(), backup)
    finally:
        engine.dispose()
