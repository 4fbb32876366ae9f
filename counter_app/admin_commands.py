"""What each `counter-admin` command does, once the grammar (admin_cli) has parsed it and the
passwords (admin_passwords) have been read.

A handler takes a `CommandContext` and returns the exit code. It raises `UserFacingError` for
anything a person can fix (exit 1). The checks of the import files are pure and done here;
everything that needs the database, the keystore, authentication or approvals is a named stub
raising NotImplementedError with what it must do, for the composition root to wire.
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from counter_app.admin_output import Output
from counter_app.admin_passwords import Credentials
from counter_app.errors import InputInvalid
from counter_app.imports.accounts_file import CLASS_ZH, ImportRow, ParsedImport, RoomKey, parse_accounts_file
from counter_app.imports.accounts_plan import ExistingRoom, ImportPlan, diff_import, preview_lines
from counter_app.imports.legacy_file import ParsedLegacy, parse_legacy_file
from counter_app.imports.table import LineError
from counter_app.money import format_kwh

# Given the campuses a file covers, the rooms the database knows there (see accounts_plan).
ExistingRooms = Callable[[frozenset[str]], Mapping[RoomKey, ExistingRoom]]


@dataclass
class CommandContext:
    args: argparse.Namespace
    credentials: Credentials
    out: Output
    db_url: str | None = None
    keystore: str | None = None  # "file:PATH", or None for the OS keyring
    existing_rooms: ExistingRooms | None = None  # wired once the database layer is there


Handler = Callable[[CommandContext], int]


# --- imports: checked here, applied by the services --------------------------------------------


def accounts_import(ctx: CommandContext) -> int:
    """Check the yearly file, print every bad line or the preview; apply unless --dry-run."""
    parsed = parse_accounts_file(ctx.args.file)
    _report_file(ctx.out, ctx.args.file, parsed.encoding, len(parsed.rows), parsed.errors)
    _refuse_errors(parsed.errors, "导入文件", "import file")
    plan = None
    if ctx.existing_rooms is not None:
        plan = diff_import(parsed.rows, ctx.existing_rooms(frozenset(r.campus for r in parsed.rows)))
        for line in preview_lines(plan):
            ctx.out.line(line)
        _refuse_errors(plan.conflicts, "导入计划", "import plan")
    else:
        for line in rows_summary(parsed.rows):
            ctx.out.line(line)
    if ctx.args.dry_run:
        ctx.out.line("预览完成，未写入任何内容（--dry-run）")
        return 0
    return apply_accounts_import(ctx, parsed, plan)


def legacy_import(ctx: CommandContext) -> int:
    """Check the legacy file, print every bad line or a summary; apply unless --dry-run."""
    parsed = parse_legacy_file(ctx.args.file)
    _report_file(ctx.out, ctx.args.file, parsed.encoding, len(parsed.accounts), parsed.errors)
    _refuse_errors(parsed.errors, "接管文件", "legacy file")
    purchases = sum(len(a.purchases) for a in parsed.accounts)
    balance = sum(a.balance_ckwh for a in parsed.accounts)
    ctx.out.line(
        f"账户 {len(parsed.accounts)} 个，购电记录 {purchases} 条，余额合计 {format_kwh(balance)} kWh"
    )
    if ctx.args.dry_run:
        ctx.out.line("检查完成，未写入任何内容（--dry-run）")
        return 0
    return apply_legacy_import(ctx, parsed)


def rows_summary(rows: Iterable[ImportRow]) -> list[str]:
    """Without a database to compare with: rooms per campus and class, beds and occupants."""
    rows = tuple(rows)
    by_group = Counter((r.campus, r.cls) for r in rows)
    lines = [f"文件共 {len(rows)} 间（未与数据库比较）"]
    for (campus, cls), count in sorted(by_group.items()):
        group = [r for r in rows if (r.campus, r.cls) == (campus, cls)]
        beds = sum(r.beds for r in group)
        people = sum(r.occupants.total for r in group)
        lines.append(f"{campus} {CLASS_ZH[cls]}：{count} 间，床位 {beds}，入住 {people} 人")
    return lines


def _report_file(
    out: Output, path: str, encoding: str | None, good: int, errors: tuple[LineError, ...]
) -> None:
    out.line(f"文件：{path}（{encoding or '无法识别'}），有效 {good} 行，错误 {len(errors)} 处")
    for error in errors:
        out.line(error.describe())


def _refuse_errors(errors: tuple[LineError, ...], what_zh: str, what_en: str) -> None:
    if errors:
        raise InputInvalid(
            f"{what_zh}有 {len(errors)} 处错误（见上），未写入任何内容",
            detail_en=f"{len(errors)} errors in the {what_en} (listed above); nothing written",
            data={"errors": [e.__dict__ for e in errors]},
        )


def apply_accounts_import(ctx: CommandContext, parsed: ParsedImport, plan: ImportPlan | None) -> int:
    raise NotImplementedError(
        "accounts import: authenticate --as and --approver, rebuild the plan inside one transaction, "
        "apply it all-or-nothing with the approval bound to the file's hash, audit it"
    )


def apply_legacy_import(ctx: CommandContext, parsed: ParsedLegacy) -> int:
    raise NotImplementedError(
        "legacy import: authenticate --as/--approver, match each LegacyAccount to its room's account, "
        "set card serial, purchase counter, balance and purchase history in one co-signed transaction"
    )


# --- stubs: need the database, keystore, auth and approval services ---------------------------


def init_database(ctx: CommandContext) -> int:
    raise NotImplementedError(
        "init: create the schema and keys (keystore_from_spec + init_keys), the admin and the head with the passwords read; mark the database dev with --dev"
    )


def operator_add(ctx: CommandContext) -> int:
    raise NotImplementedError(
        "operator add: authenticate --as (admin), verify --approver, create the operator with --role and the new password"
    )


def operator_disable(ctx: CommandContext) -> int:
    raise NotImplementedError(
        "operator disable: authenticate --as (admin), disable the operator's login, audit it"
    )


def operator_reset_password(ctx: CommandContext) -> int:
    raise NotImplementedError(
        "operator reset-password: authenticate --as, verify --approver, set the new password, audit it"
    )


def supervisor_appoint(ctx: CommandContext) -> int:
    raise NotImplementedError(
        "supervisor appoint: authenticate --as (head or assistant), record the appointment for [--from, --to]"
    )


def workstation_add(ctx: CommandContext) -> int:
    raise NotImplementedError(
        "workstation add: authenticate --as (admin), register the workstation code on --campus"
    )


def tariff_set(ctx: CommandContext) -> int:
    raise NotImplementedError(
        "tariff set: authenticate --as, verify --approver, add the tariff of --class from --from with --basis"
    )


def fee_set(ctx: CommandContext) -> int:
    raise NotImplementedError(
        "fee set: authenticate --as, verify --approver, add fee KIND = --fen from --from with --basis"
    )


def setting_set(ctx: CommandContext) -> int:
    raise NotImplementedError(
        "setting set: authenticate --as, parse VALUE for KEY, set it (money-affecting keys need --approver)"
    )


def notice_add(ctx: CommandContext) -> int:
    raise NotImplementedError(
        "notice add: authenticate --as, create_notice(kind, payer, …) and print the notice number"
    )


def audit_verify(ctx: CommandContext) -> int:
    raise NotImplementedError(
        "audit verify: authenticate --as, verify the audit chain; 0 only when intact, else print the first bad entry and return 1"
    )


def receipt_verify(ctx: CommandContext) -> int:
    raise NotImplementedError(
        "receipt verify: authenticate --as, verify_receipt(TEXT) and print the ReceiptCheck"
    )


def backup_create(ctx: CommandContext) -> int:
    raise NotImplementedError("backup create: authenticate --as, write a consistent backup to --out")


def backup_verify(ctx: CommandContext) -> int:
    raise NotImplementedError("backup verify: check the backup file's integrity, no login")


def backup_restore(ctx: CommandContext) -> int:
    raise NotImplementedError("backup restore: authenticate --as, restore FILE (refuse a newer schema)")


def keys_export(ctx: CommandContext) -> int:
    raise NotImplementedError(
        "keys export: authenticate --as, write keystore.export_keys(keystore, credentials.passphrase) to --out"
    )


def keys_import(ctx: CommandContext) -> int:
    raise NotImplementedError(
        "keys import: authenticate --as, keystore.import_keys(FILE bytes, credentials.passphrase, into=keystore)"
    )


def db_upgrade(ctx: CommandContext) -> int:
    raise NotImplementedError("db upgrade: run the Alembic migrations to head")


def report(ctx: CommandContext) -> int:
    raise NotImplementedError(
        "report: authenticate --as, build report KIND for [--from, --to] as --format into --out"
    )


HANDLERS: dict[str, Handler] = {
    "init": init_database,
    "operator add": operator_add,
    "operator disable": operator_disable,
    "operator reset-password": operator_reset_password,
    "supervisor appoint": supervisor_appoint,
    "workstation add": workstation_add,
    "accounts import": accounts_import,
    "legacy import": legacy_import,
    "tariff set": tariff_set,
    "fee set": fee_set,
    "setting set": setting_set,
    "notice add": notice_add,
    "audit verify": audit_verify,
    "receipt verify": receipt_verify,
    "backup create": backup_create,
    "backup verify": backup_verify,
    "backup restore": backup_restore,
    "keys export": keys_export,
    "keys import": keys_import,
    "db upgrade": db_upgrade,
    "report": report,
}
