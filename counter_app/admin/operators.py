"""People: `init`, `operator add|rename|disable|reset-password`, `supervisor appoint`.

An administrator acts (`--as`); adding an operator, resetting a password, and disabling or demoting
the head, an assistant or a 监督人 are co-signed by a second person (`--approver`; who may co-sign
what: counter_app/powers.py); appointing a 监督人 is done by the 主管 or 部门助理 (roles decides).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session as DbSession

from base.errors import InputInvalid
from counter_app import audit
from counter_app.admin.command import CommandContext, Invocation, acting, iso
from counter_app.admin.door import Acting, choose_clock
from counter_app.approvals import Approval
from counter_app.auth import create_operator, set_password
from counter_app.auth import disable_operator as disable
from counter_app.installation import InstallationInfo, initialise
from counter_app.powers import co_sign, protected_roles_of
from counter_app.roles import appoint_supervisor as appoint
from counter_app.roles import grant_role, revoke_role, roles_of
from db.engine import make_engine
from db.models.security import Operator
from db.queries.security import operator_id_by_name

# --- handlers --------------------------------------------------------------------------------------


def init_database(ctx: CommandContext) -> int:
    a = ctx.args
    info = initialise_database(
        ctx.invocation(), admin=(a.admin, ctx.credentials.new_password(a.admin)),
        head=(a.head, ctx.credentials.new_password(a.head)), dev=a.dev,
    )  # fmt: skip
    kind = "开发数据库（允许模拟设备）" if info.dev else "生产数据库"
    ctx.out.line(f"已初始化{kind}：实例 {info.instance_id}；管理员 {a.admin}，主管 {a.head}")
    return 0


def operator_add(ctx: CommandContext) -> int:
    a = ctx.args
    with acting(ctx.invocation()) as admin:
        add_operator(admin, name=a.name, role=a.role, password=ctx.credentials.new_password(a.name),
                     approval=ctx.approval, display_name=a.display_name)  # fmt: skip
    ctx.out.line(f"已添加操作员 {a.name}（{a.role}），确认人 {ctx.credentials.approver}")
    return 0


def operator_rename(ctx: CommandContext) -> int:
    a = ctx.args
    with acting(ctx.invocation()) as admin:
        shown = rename_operator(admin, name=a.name, display_name=a.display_name)
    ctx.out.line(f"{a.name} 的姓名已改为 {shown}（登录名不变）")
    return 0


def operator_disable(ctx: CommandContext) -> int:
    with acting(ctx.invocation()) as admin:
        co_signed = disable_operator(admin, name=ctx.args.name, approval=ctx.approval)
    signed = f"，确认人 {ctx.credentials.approver}" if co_signed else ""
    ctx.out.line(f"已停用操作员 {ctx.args.name}{signed}")
    return 0


def operator_reset_password(ctx: CommandContext) -> int:
    name = ctx.args.name
    with acting(ctx.invocation()) as admin:
        reset_password(admin, name=name, password=ctx.credentials.new_password(name), approval=ctx.approval)
    ctx.out.line(f"已重置 {name} 的密码，确认人 {ctx.credentials.approver}")
    return 0


def supervisor_appoint(ctx: CommandContext) -> int:
    a = ctx.args
    with acting(ctx.invocation()) as admin:
        appoint_supervisor(admin, name=a.name, start=a.start, end=a.end, approval=ctx.approval)
    ctx.out.line(f"已任命 {a.name} 为监督人：{a.start} 至 {a.end}")
    return 0


# --- services --------------------------------------------------------------------------------------


def initialise_database(invocation: Invocation, *, admin: tuple[str, str], head: tuple[str, str],
                        dev: bool) -> InstallationInfo:  # fmt: skip
    """Before there is anything to open: the schema, the keys, the administrator and the head."""
    engine = make_engine(invocation.db_url, create=True)  # the one command that creates the file
    try:
        return initialise(engine, keystore_spec=invocation.keystore, admin=admin, head=head, dev=dev,
                          clock=choose_clock(dev, invocation.environ), hasher=invocation.hasher)  # fmt: skip
    finally:
        engine.dispose()


def operator_id(s: DbSession, name: str) -> int:
    found = operator_id_by_name(s, name)
    if found is None:
        raise InputInvalid(f"没有这个操作员：{name}", detail_en=f"no operator named {name}", field="name")
    return found


def add_operator(admin: Acting, *, name: str, role: str, password: str,
                 approval: Approval | None, display_name: str | None = None) -> int:  # fmt: skip
    """A new person with one role: an administrator acts, a second person co-signs."""
    ctx = admin.ctx
    with ctx.uow() as s:
        ctx.require_role(s, "admin")
        shown = check_display_name(s, display_name, name) if display_name else None
        approval_id = co_sign(ctx, s, approval, "operator.add", {"name": name, "role": role})
        operator = create_operator(s, name=name, password=password, actor_id=ctx.operator_id,
                                   workstation=ctx.place, clock=ctx.clock, hasher=ctx.hasher,
                                   display_name=shown)  # fmt: skip
        grant_role(s, operator_id=operator.id, role=role, granted_by_id=ctx.operator_id,
                   workstation=ctx.place, clock=ctx.clock, approval_id=approval_id)  # fmt: skip
        return operator.id


def rename_operator(admin: Acting, *, name: str, display_name: str) -> str:
    """The name people read (login, lock screen, receipts' 经办人). Not co-signed: it grants no
    power (the login id, which grants and approvals name, stays); audited with both names."""
    ctx = admin.ctx
    with ctx.uow() as s:
        ctx.require_role(s, "admin")
        operator = s.get(Operator, operator_id(s, name))
        assert operator is not None
        shown = check_display_name(s, display_name, name)
        before = operator.display_name
        operator.display_name = shown
        s.flush()
        audit.record(s, kind="operator.renamed", actor_id=ctx.operator_id, workstation=ctx.place,
                     subject=operator, payload={"name": name, "from": before, "to": shown},
                     clock=ctx.clock)  # fmt: skip
        return shown


def check_display_name(s: DbSession, display_name: str, name: str) -> str:
    """A display name logs in too (auth.resolve_login_name), so it may not be another person's
    login id or display name: typing it would otherwise name two people."""
    shown = display_name.strip()
    if not shown or len(shown) > 64 or shown != " ".join(shown.split()):
        raise InputInvalid(f"姓名无效：{display_name!r}", detail_en=f"invalid display name {display_name!r}",
                           field="display_name")  # fmt: skip
    taken = s.scalar(select(Operator.name).where(
        Operator.name != name, or_(Operator.name == shown, Operator.display_name == shown)
    ))  # fmt: skip
    if taken is not None:
        raise InputInvalid(f"“{shown}”已是操作员 {taken} 的登录名或姓名", field="display_name",
                           detail_en=f"{shown!r} is already the login ID or name of operator {taken}")  # fmt: skip
    return shown


def disable_operator(admin: Acting, *, name: str, approval: Approval | None = None) -> bool:
    """Disabling a cashier reduces power: no co-signature. Disabling the head, an assistant or a
    监督人 (today's or appointed ahead) removes a co-signer or reviewer, so it is a power and is
    co-signed by 主管 or 部门助理 (DOMAIN "two people for every power"). An administrator never
    disables themself (the last way in could be lost). True when it was co-signed."""
    ctx = admin.ctx
    with ctx.uow() as s:
        ctx.require_role(s, "admin")
        target = operator_id(s, name)
        if target == ctx.operator_id:
            raise InputInvalid("不能停用自己的账号", detail_en="you cannot disable yourself", field="name")
        held = protected_roles_of(s, target, roles_of(s, target), on=ctx.today())
        if held:
            co_sign(ctx, s, approval, "operator.disable", {"name": name, "roles": held})
        disable(s, operator_id=target, actor_id=ctx.operator_id, workstation=ctx.place, clock=ctx.clock)
        return bool(held)


def demote_operator(admin: Acting, *, name: str, role: str, approval: Approval | None) -> None:
    """Take a role away. Demoting the head, an assistant or a 监督人 is co-signed like disabling
    them (no command of API.md's grammar calls this yet: the core is ready for one)."""
    ctx = admin.ctx
    with ctx.uow() as s:
        ctx.require_role(s, "admin")
        target = operator_id(s, name)
        approval_id = None
        if role in protected_roles_of(s, target, roles_of(s, target), on=ctx.today()):
            approval_id = co_sign(ctx, s, approval, "role.revoke", {"name": name, "role": role})
        revoke_role(s, operator_id=target, role=role, revoked_by_id=ctx.operator_id, workstation=ctx.place,
                    clock=ctx.clock, approval_id=approval_id)  # fmt: skip


def reset_password(admin: Acting, *, name: str, password: str, approval: Approval | None) -> None:
    """Another person's password, co-signed; the co-signer is never the person whose password it is."""
    ctx = admin.ctx
    if approval is not None and approval.name == name:
        raise InputInvalid(
            f"{name} 不能为重置自己的密码确认", detail_en=f"{name} cannot co-sign their own reset"
        )
    with ctx.uow() as s:
        ctx.require_role(s, "admin")
        target = operator_id(s, name)
        approval_id = co_sign(ctx, s, approval, "operator.reset_password", {"name": name})
        set_password(s, operator_id=target, new_password=password, actor_id=ctx.operator_id,
                     workstation=ctx.place, clock=ctx.clock, approval_id=approval_id,
                     hasher=ctx.hasher)  # fmt: skip


def appoint_supervisor(admin: Acting, *, name: str, start: date, end: date,
                       approval: Approval | None) -> None:  # fmt: skip
    """主管 or 部门助理 appoints a 监督人 (roles.appoint_supervisor checks who may); a co-signature is
    taken when one is given."""
    ctx = admin.ctx
    with ctx.uow() as s:
        target = operator_id(s, name)
        approval_id = None
        if approval is not None:
            approval_id = ctx.approve(s, approval, kind="supervisor.appoint",
                                      payload={"name": name, "from": iso(start), "to": iso(end)})  # fmt: skip
        appoint(s, operator_id=target, from_date=start, to_date=end, appointed_by_id=ctx.operator_id,
                workstation=ctx.place, clock=ctx.clock, approval_id=approval_id)  # fmt: skip
