"""`counter-admin` checks and tools: audit verify, receipt verify, keys export/import, db upgrade,
reports and notices. Each returns plain data; `admin_commands` prints it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from datetime import UTC, date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from base.clock import system_clock
from base.errors import InputInvalid
from counter_app import audit, keystore
from counter_app.admin_services import AdminRun, Invocation, admin_context, choose_clock, login
from counter_app.context import WorkstationRef
from counter_app.installation import keystore_for, read_installation
from counter_app.receipt_signing import ReceiptCheck, verify_receipt_text
from db.engine import make_engine, sqlite_file_path
from db.migrate import backup_sqlite, check_schema, current_revisions, head_revision, upgrade_to_head
from db.session import unit_of_work

# --- audit and receipts ----------------------------------------------------------------------------


def verify_audit(
    run: AdminRun, *, head: tuple[int, str] | None = None, head_from_z: str | None = None
) -> audit.VerifyResult:
    """Check the chain; against `head` (SEQ, MAC as printed on a Z report) or the head a Z
    report / settlement sheet of this database recorded, when given — without one, a consistent
    truncation of the newest entries (with the rows they name) cannot be seen."""
    ctx = run.ctx
    with ctx.reading() as s:
        if head_from_z is not None:
            head = z_report_head(s, head_from_z)
        result = audit.verify(s, expected_head=head)
    with ctx.uow() as s:  # that the chain was checked, and what was found, is itself on record
        ctx.audit(s, "audit.verified", ok=result.ok, entries=result.entries_checked,
                  first_bad=result.first_bad.sequence if result.first_bad else None,
                  expected_seq=head[0] if head else None, head_from_z=head_from_z)  # fmt: skip
    return result


def z_report_head(s: Any, number: str) -> tuple[int, str]:
    """The chain head stored with a Z report, named by its settlement sheet number or Z number.
    Weaker than the printed copy: whoever can rewrite the database can rewrite this row too."""
    from db.models.settlement import SettlementSheet, ZReport

    sheet_shift = select(SettlementSheet.shift_id).where(SettlementSheet.sheet_no == number)
    z = s.scalars(
        select(ZReport).where((ZReport.shift_id.in_(sheet_shift)) | (ZReport.z_no == number))
    ).first()
    if z is None:
        raise InputInvalid(f"没有交账单或日结单 {number}", detail_en=f"no settlement sheet or Z report {number}",
                           field="head_from_z")  # fmt: skip
    return (z.audit_seq, z.audit_head)


@dataclass(frozen=True)
class ReceiptFinding:
    check: ReceiptCheck
    on_record: bool | None  # the receipt number is in this database with the same amount; None unknown


def verify_receipt(run: AdminRun, text: str) -> ReceiptFinding:
    from db.models import Receipt

    check = verify_receipt_text(run.keys.receipt_public_key_bytes(), text.strip())
    if not check.receipt_no:
        return ReceiptFinding(check, None)
    with run.ctx.reading() as s:
        amount = s.scalar(select(Receipt.amount_fen).where(Receipt.receipt_no == check.receipt_no))
    return ReceiptFinding(check, amount is not None and amount == check.amount_fen)


# --- keys ------------------------------------------------------------------------------------------


def export_keys(run: AdminRun, *, out: str, passphrase: str) -> None:
    ctx = run.ctx
    with ctx.reading() as s:
        ctx.require_role(s, "admin")
    blob = keystore.export_keys(run.keystore, passphrase)
    _write_private(Path(out), blob)
    with ctx.uow() as s:
        ctx.audit(s, "keys.exported", out=str(Path(out).absolute()))


def _write_private(path: Path, data: bytes) -> None:
    """Only the owner may read a key export (it is as good as the keys to whoever guesses the
    passphrase)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)


class _Staged:
    """A keystore in memory: the imported keys are checked against the database before any is
    written to the real store."""

    is_development = True
    description = "导入文件"

    def __init__(self) -> None:
        self.values: dict[str, bytes] = {}

    def get(self, kind: str) -> bytes | None:
        return self.values.get(kind)

    def put(self, kind: str, value: bytes) -> None:
        self.values[kind] = value


def import_keys(invocation: Invocation, *, file: str, passphrase: str) -> tuple[str, ...]:
    """Keys exported from another counter of the same database into this PC's keystore. The keys
    must match the database's fingerprints (a counter's keys never go into another database), and
    `--as` is authenticated with them: this PC may have no keys of its own yet."""
    try:
        blob = Path(file).read_bytes()
    except OSError as exc:
        raise InputInvalid(f"无法读取 {file}：{exc.strerror}", detail_en=f"cannot read {file}") from exc
    staged = _Staged()
    keystore.import_keys(blob, passphrase, into=staged)  # decrypt and check before anything else
    engine = make_engine(invocation.db_url)
    try:
        check_schema(engine)
        with unit_of_work(engine, read_only=True) as s:
            keys = keystore.open_keys(s, staged)
            info = read_installation(s)
            target = keystore_for(s, invocation.keystore)
        ctx = admin_context(engine, keys, info, choose_clock(info.dev, invocation.environ), invocation.hasher)
        ctx = replace(ctx, operator=login(ctx, invocation.actor or "", invocation.actor_password or ""))
        with ctx.reading() as s:
            ctx.require_role(s, "admin")
        written = keystore.import_keys(blob, passphrase, into=target)
        with ctx.uow() as s:
            ctx.audit(s, "keys.imported", kinds=list(written), keystore=target.description)
        return written
    finally:
        engine.dispose()


# --- schema ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Upgrade:
    before: tuple[str, ...]
    after: str
    backup: Path | None


def upgrade_database(invocation: Invocation) -> Upgrade:
    """Alembic to head; a SQLite file is backed up first (online backup API) when it has a schema."""
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


# --- reports and notices ---------------------------------------------------------------------------


def write_report(run: AdminRun, *, kind: str, start: date, end: date, fmt: str, out: str) -> int:
    """Build the report from the ledger and write it; the number of bytes written."""
    from counter_app.settlement.report_catalogue import build_report
    from counter_app.settlement.reports import query_from_settings
    from receipts.reports.render import render

    ctx = run.ctx
    with ctx.reading() as s:
        table = build_report(s, kind, query_from_settings(s, start, end))
    data = render(table, fmt)
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    with ctx.uow() as s:
        ctx.audit(s, "report.generated", report=kind, start=start, end=end, format=fmt)
    return len(data)


def add_notice(run: AdminRun, **fields: Any) -> Any:
    """`create_notice` of the notices area, acting as `--as` at a registered counter: notice
    numbers are per workstation, and the command line is none. The counter is COUNTER_WORKSTATION,
    else the only one registered."""
    from counter_app.ops.notices import create_notice

    ctx = replace(run.ctx, workstation=_notice_workstation(run))
    return create_notice(ctx, **fields)


def _notice_workstation(run: AdminRun) -> WorkstationRef:
    from db.models import Workstation

    code = run.invocation.environ.get("COUNTER_WORKSTATION")
    with run.ctx.reading() as s:
        query = select(Workstation)
        rows = [WorkstationRef(w.id, w.code, w.campus_id, w.simulated)
                for w in s.scalars(query.where(Workstation.code == code) if code else query.limit(2))]  # fmt: skip
    if len(rows) != 1:
        raise InputInvalid("请用环境变量 COUNTER_WORKSTATION 指定开单窗口",
                           detail_en="set COUNTER_WORKSTATION to the counter issuing the notice")  # fmt: skip
    return rows[0]
