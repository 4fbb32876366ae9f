"""The two import files: `accounts import` (the housing office's yearly room list) and `legacy
import` (accounts taken over from the old vending system), docs/imports.md.

The files are checked here without the database (counter_app/imports: every bad line named), the
plan or summary printed, and — unless `--dry-run` — applied in one co-signed transaction by
`accounts_import` / `legacy_import`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from base.errors import InputInvalid
from base.money import format_kwh
from base.vocabulary import CLASS_LABELS
from counter_app.admin import accounts_import as yearly
from counter_app.admin import legacy_import as legacy
from counter_app.admin.command import CommandContext, acting
from counter_app.admin.output import Output
from counter_app.imports.accounts_file import ImportRow, RoomKey, parse_accounts_file
from counter_app.imports.accounts_plan import ExistingRoom, diff_import, preview_lines
from counter_app.imports.legacy_file import parse_legacy_file
from counter_app.imports.table import LineError


def accounts_import(ctx: CommandContext) -> int:
    """Check the yearly file, print every bad line or the preview; apply unless --dry-run."""
    parsed = parse_accounts_file(ctx.args.file)
    _report_file(ctx.out, ctx.args.file, parsed.encoding, len(parsed.rows), parsed.errors)
    _refuse_errors(parsed.errors, "导入文件", "import file")
    campuses = frozenset(r.campus for r in parsed.rows)
    if ctx.existing_rooms is not None:  # rooms supplied by the caller (tests): a preview only
        return _preview(ctx, parsed.rows, ctx.existing_rooms(campuses), dry_run=True) or 0
    with acting(ctx.invocation()) as admin:
        rooms = yearly.existing_rooms(admin, campuses, parsed.rows)
        if _preview(ctx, parsed.rows, rooms, dry_run=ctx.args.dry_run) == 0:
            return 0
        done = yearly.apply_accounts_import(admin, parsed, ctx.args.file, approval=ctx.approval)
    ctx.out.line(f"已导入：新建账户 {len(done.created)} 个，更新 {done.updated} 个，"
                 f"转为待确认 {len(done.pending)} 个，文件中缺少 {done.missing} 间（保留）")  # fmt: skip
    for account_no in done.pending:
        ctx.out.line(f"待确认类别：{account_no}")
    return 0


def _preview(ctx: CommandContext, rows: tuple[ImportRow, ...], rooms: Mapping[RoomKey, ExistingRoom],
             *, dry_run: bool) -> int | None:  # fmt: skip
    """Print the plan and the file's totals; 0 when that is all (dry run), None to go on."""
    plan = diff_import(rows, rooms)
    for line in [*preview_lines(plan), *rows_summary(rows)]:
        ctx.out.line(line)
    _refuse_errors(plan.conflicts, "导入计划", "import plan")
    if dry_run:
        ctx.out.line("预览完成，未写入任何内容（--dry-run）")
        return 0
    return None


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
    with acting(ctx.invocation()) as admin:
        if ctx.args.dry_run:  # the same checks as the import, against the database
            errors = legacy.check_legacy_import(admin, parsed)
            _report_lines(ctx.out, errors)
            _refuse_errors(tuple(errors), "接管文件", "legacy file")
            ctx.out.line("检查完成，未写入任何内容（--dry-run）")
            return 0
        done = legacy.apply_legacy_import(admin, parsed, ctx.args.file, approval=ctx.approval)
    ctx.out.line(f"已接管：账户 {done.accounts} 个，购电记录 {done.purchases} 条，"
                 f"余额合计 {format_kwh(done.balance_ckwh)} kWh")  # fmt: skip
    return 0


def rows_summary(rows: Iterable[ImportRow]) -> list[str]:
    """The file's totals: rooms per campus and class, beds and occupants."""
    rows = tuple(rows)
    by_group = Counter((r.campus, r.cls) for r in rows)
    lines = [f"文件共 {len(rows)} 间"]
    for (campus, cls), count in sorted(by_group.items()):
        group = [r for r in rows if (r.campus, r.cls) == (campus, cls)]
        beds = sum(r.beds for r in group)
        people = sum(r.occupants.total for r in group)
        lines.append(f"{campus} {CLASS_LABELS[cls]}：{count} 间，床位 {beds}，入住 {people} 人")
    return lines


def _report_file(
    out: Output, path: str, encoding: str | None, good: int, errors: tuple[LineError, ...]
) -> None:
    out.line(f"文件：{path}（{encoding or '无法识别'}），有效 {good} 行，错误 {len(errors)} 处")
    _report_lines(out, errors)


def _report_lines(out: Output, errors: Iterable[LineError]) -> None:
    for error in errors:
        out.line(error.describe())


def _refuse_errors(errors: tuple[LineError, ...], what_zh: str, what_en: str) -> None:
    if errors:
        raise InputInvalid(
            f"{what_zh}有 {len(errors)} 处错误（见上），未写入任何内容",
            detail_en=f"{len(errors)} errors in the {what_en} (listed above); nothing written",
            data={"errors": [e.__dict__ for e in errors]},
        )
