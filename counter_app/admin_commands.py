"""What each `counter-admin` command does, once the grammar (admin_cli) has parsed it and the
passwords (admin_passwords) have been read.

A handler takes a `CommandContext` and returns the exit code. It raises `UserFacingError` for
anything a person can fix (exit 1). Handlers stay thin: the checks of the import files are pure
(counter_app/imports); the database, keystore, login, approvals and audit work is done by
`admin_services` (people, places, money), `admin_imports`, `admin_tools` and `admin_backup`.
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import argon2

from base.errors import InputInvalid
from base.money import format_kwh, format_price, format_yuan
from base.vocabulary import CLASS_LABELS
from counter_app import admin_backup as backups
from counter_app import admin_services as services
from counter_app import admin_tools as tools
from counter_app.admin_output import Output
from counter_app.admin_passwords import Credentials
from counter_app.admin_services import Invocation
from counter_app.imports.accounts_file import ImportRow, RoomKey, parse_accounts_file
from counter_app.imports.accounts_plan import ExistingRoom, diff_import, preview_lines
from counter_app.imports.legacy_file import parse_legacy_file
from counter_app.imports.table import LineError

# Given the campuses a file covers, the rooms the database knows there (see accounts_plan).
ExistingRooms = Callable[[frozenset[str]], Mapping[RoomKey, ExistingRoom]]


@dataclass
class CommandContext:
    args: argparse.Namespace
    credentials: Credentials
    out: Output
    db_url: str | None = None
    keystore: str | None = None  # "file:PATH", or None for the OS keyring
    existing_rooms: ExistingRooms | None = None  # replaces the database's rooms (tests)
    environ: Mapping[str, str] = field(default_factory=dict)  # COUNTER_CLOCK (development databases)
    hasher: argon2.PasswordHasher | None = None  # tests pass a cheap one; None = the default

    def invocation(self) -> Invocation:
        c = self.credentials
        return Invocation(db_url=self.db_url, keystore=self.keystore, environ=self.environ, actor=c.actor,
                          actor_password=c.actor_password, approver=c.approver,
                          approver_password=c.approver_password, hasher=self.hasher)  # fmt: skip


Handler = Callable[[CommandContext], int]


# --- imports: checked here, applied by the services --------------------------------------------


def accounts_import(ctx: CommandContext) -> int:
    """Check the yearly file, print every bad line or the preview; apply unless --dry-run."""
    from counter_app import admin_imports

    parsed = parse_accounts_file(ctx.args.file)
    _report_file(ctx.out, ctx.args.file, parsed.encoding, len(parsed.rows), parsed.errors)
    _refuse_errors(parsed.errors, "导入文件", "import file")
    campuses = frozenset(r.campus for r in parsed.rows)
    if ctx.existing_rooms is not None:  # rooms supplied by the caller (tests): a preview only
        return _preview(ctx, parsed.rows, ctx.existing_rooms(campuses), dry_run=True)
    with services.acting(ctx.invocation()) as run:
        with run.ctx.reading() as s:
            run.ctx.require_role(s, "admin")
            rooms = admin_imports.existing_rooms(s, campuses)
        if _preview(ctx, parsed.rows, rooms, dry_run=ctx.args.dry_run) == 0:
            return 0
        done = admin_imports.apply_accounts_import(run, parsed, ctx.args.file)
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
    from counter_app import admin_imports

    parsed = parse_legacy_file(ctx.args.file)
    _report_file(ctx.out, ctx.args.file, parsed.encoding, len(parsed.accounts), parsed.errors)
    _refuse_errors(parsed.errors, "接管文件", "legacy file")
    purchases = sum(len(a.purchases) for a in parsed.accounts)
    balance = sum(a.balance_ckwh for a in parsed.accounts)
    ctx.out.line(
        f"账户 {len(parsed.accounts)} 个，购电记录 {purchases} 条，余额合计 {format_kwh(balance)} kWh"
    )
    with services.acting(ctx.invocation()) as run:
        if ctx.args.dry_run:
            with run.ctx.reading() as s:  # the same checks as the import, against the database
                run.ctx.require_role(s, "admin")
                known = admin_imports.known_rooms(s, (a.key.campus for a in parsed.accounts))
                _targets, errors = admin_imports.legacy_targets(s, parsed.accounts, known)
            _report_lines(ctx.out, errors)
            _refuse_errors(tuple(errors), "接管文件", "legacy file")
            ctx.out.line("检查完成，未写入任何内容（--dry-run）")
            return 0
        done = admin_imports.apply_legacy_import(run, parsed, ctx.args.file)
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
    for error in errors:
        out.line(error.describe())


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


# --- people and places -------------------------------------------------------------------------


def init_database(ctx: CommandContext) -> int:
    a = ctx.args
    info = services.initialise_database(
        ctx.invocation(), admin=(a.admin, ctx.credentials.new_password(a.admin)),
        head=(a.head, ctx.credentials.new_password(a.head)), dev=a.dev,
    )  # fmt: skip
    kind = "开发数据库（允许模拟设备）" if info.dev else "生产数据库"
    ctx.out.line(f"已初始化{kind}：实例 {info.instance_id}；管理员 {a.admin}，主管 {a.head}")
    return 0


def operator_add(ctx: CommandContext) -> int:
    a = ctx.args
    with services.acting(ctx.invocation()) as run:
        services.add_operator(run, name=a.name, role=a.role, password=ctx.credentials.new_password(a.name))
    ctx.out.line(f"已添加操作员 {a.name}（{a.role}），确认人 {ctx.credentials.approver}")
    return 0


def operator_disable(ctx: CommandContext) -> int:
    with services.acting(ctx.invocation()) as run:
        services.disable_operator(run, name=ctx.args.name)
    ctx.out.line(f"已停用操作员 {ctx.args.name}")
    return 0


def operator_reset_password(ctx: CommandContext) -> int:
    name = ctx.args.name
    with services.acting(ctx.invocation()) as run:
        services.reset_password(run, name=name, password=ctx.credentials.new_password(name))
    ctx.out.line(f"已重置 {name} 的密码，确认人 {ctx.credentials.approver}")
    return 0


def supervisor_appoint(ctx: CommandContext) -> int:
    a = ctx.args
    with services.acting(ctx.invocation()) as run:
        services.appoint_supervisor(run, name=a.name, start=a.start, end=a.end)
    ctx.out.line(f"已任命 {a.name} 为监督人：{a.start} 至 {a.end}")
    return 0


def workstation_add(ctx: CommandContext) -> int:
    a = ctx.args
    with services.acting(ctx.invocation()) as run:
        new_campus = services.add_workstation(run, code=a.code, campus=a.campus)
    ctx.out.line(f"已登记窗口 {a.code}（{a.campus}{'，新校区' if new_campus else ''}）")
    return 0


# --- money ---------------------------------------------------------------------------------------


def tariff_set(ctx: CommandContext) -> int:
    a = ctx.args
    with services.acting(ctx.invocation()) as run:
        services.set_tariff(run, cls=a.cls, price_e4=a.price_e4, start=a.start, basis=a.basis)
    ctx.out.line(
        f"电价已设定：{CLASS_LABELS[a.cls]} {format_price(a.price_e4)} 元/kWh，自 {a.start.isoformat()} 起（{a.basis}）"
    )
    return 0


def fee_set(ctx: CommandContext) -> int:
    a = ctx.args
    with services.acting(ctx.invocation()) as run:
        services.set_fee(run, kind=a.kind, fen=a.fen, start=a.start, basis=a.basis)
    ctx.out.line(
        f"收费标准已设定：{a.kind} = {format_yuan(a.fen)} 元，自 {a.start.isoformat()} 起（{a.basis}）"
    )
    return 0


def setting_set(ctx: CommandContext) -> int:
    with services.acting(ctx.invocation()) as run:
        stored = services.set_setting(run, key=ctx.args.key, text=ctx.args.value)
    ctx.out.line(f"设置 {ctx.args.key} = {stored!r}")
    return 0


def notice_add(ctx: CommandContext) -> int:
    a = ctx.args
    fields = {"kind": a.kind, "payer": a.payer, "notice_no": a.notice_no, "amount_fen": a.amount_fen,
              "area_dm2": a.area_dm2, "repair_date": a.repair_date, "repairman": a.repairman,
              "department": a.department}  # fmt: skip
    with services.acting(ctx.invocation()) as run:
        notice = tools.add_notice(run, **fields)
    ctx.out.line(f"已开通知单 {notice.notice_no}：{notice.kind}，{format_yuan(notice.amount_fen)} 元")
    return 0


# --- checks --------------------------------------------------------------------------------------


def audit_verify(ctx: CommandContext) -> int:
    with services.acting(ctx.invocation()) as run:
        result = tools.verify_audit(run, head=ctx.args.head, head_from_z=ctx.args.head_from_z)
    # In full, as SEQ:MAC, so it can be compared with (or passed back as --head) a Z report's head.
    ctx.out.line(f"当前链头 / head: {result.head[0]}:{result.head[1]}")
    if result.ok:
        checked = (
            "（已与给定链头核对）" if ctx.args.head or ctx.args.head_from_z else "（未与日结单链头核对）"
        )
        ctx.out.line(f"审计链完好：共 {result.entries_checked} 条{checked}")
        return 0
    bad = result.first_bad
    where = f"第 {bad.sequence} 条" if bad.sequence is not None else "无审计记录的行"
    ctx.out.line(f"审计链被破坏：共发现 {len(result.problems)} 处问题；首处：{where}：{bad.reason}")
    for problem in result.problems[1:20]:
        ctx.out.line(f"  {problem.reason}")
    return 1


def receipt_verify(ctx: CommandContext) -> int:
    with services.acting(ctx.invocation()) as run:
        found = tools.verify_receipt(run, ctx.args.text)
    c = found.check
    if not c.genuine:
        ctx.out.line("收据二维码无效：签名不符或内容无法识别（可能伪造或抄错）")
        return 1
    ctx.out.line(
        f"收据真实：{c.workstation} {c.receipt_no} {format_yuan(c.amount_fen)} 元 {c.at.isoformat()}"
    )
    if found.on_record is False:  # signed by this centre's key, but not a receipt of this database
        ctx.out.line("注意：本数据库中没有这张收据（或金额不同），请核对开票窗口")
    return 0


def keys_export(ctx: CommandContext) -> int:
    with services.acting(ctx.invocation()) as run:
        tools.export_keys(run, out=ctx.args.out, passphrase=ctx.credentials.passphrase or "")
    ctx.out.line(f"密钥已导出到 {ctx.args.out}（请与口令分开保管）")
    return 0


def keys_import(ctx: CommandContext) -> int:
    kinds = tools.import_keys(
        ctx.invocation(), file=ctx.args.file, passphrase=ctx.credentials.passphrase or ""
    )
    ctx.out.line(f"已导入密钥：{', '.join(kinds)}")
    return 0


def db_upgrade(ctx: CommandContext) -> int:
    done = tools.upgrade_database(ctx.invocation())
    before = ", ".join(done.before) or "空库"
    ctx.out.line(
        f"数据库已升级：{before} → {done.after}" + (f"（升级前备份：{done.backup}）" if done.backup else "")
    )
    return 0


def backup_create(ctx: CommandContext) -> int:
    with services.acting(ctx.invocation()) as run:
        made = backups.create_backup(run, ctx.args.out)
    ctx.out.line(f"备份已写入 {made.path}（{made.size} 字节，SHA-256 {made.sha256}）")
    return 0


def backup_verify(ctx: CommandContext) -> int:
    check = backups.verify_backup(ctx.invocation(), ctx.args.file)
    ctx.out.line(f"备份完好：{check.path}，审计记录 {check.entries} 条，链头 #{check.head[0]}")
    return 0


def backup_restore(ctx: CommandContext) -> int:
    done = backups.restore_backup(ctx.invocation(), ctx.args.file)
    ctx.out.line(f"已从 {done.check.path} 恢复（审计记录 {done.check.entries} 条）")
    if done.safety_copy:
        ctx.out.line(f"恢复前的数据库已保存为 {done.safety_copy}")
    return 0


def report(ctx: CommandContext) -> int:
    a = ctx.args
    with services.acting(ctx.invocation()) as run:
        size = tools.write_report(run, kind=a.kind, start=a.start, end=a.end, fmt=a.fmt, out=a.out)
    ctx.out.line(f"报表 {a.kind}（{a.start} 至 {a.end}）已写入 {a.out}（{size} 字节）")
    return 0


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
