"""What `counter-admin` does on the real services: the database, the keys, the login of `--as`,
the co-signature of `--approver`, the audit chain. `admin_commands` keeps the handlers thin and
calls in here; imports live in `admin_imports`, backups in `admin_backup`.

The command line is not a counter: it authenticates and audits as the workstation code
`ADMIN` (`installation.INIT_WORKSTATION`), which is never registered in `workstations`, so rows
that name a workstation by id get NULL ("not at a counter"). Approvals given to the CLI are
throttled on that code like a counter's.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

import argon2
from sqlalchemy import Engine, select

from base.clock import Clock, clock_from_env, system_clock
from base.errors import ApprovalRequired, InputInvalid
from counter_app.approvals import Approval
from counter_app.auth import AuthenticatedOperator, authenticate
from counter_app.context import OpContext, WorkstationRef
from counter_app.devices import Devices
from counter_app.installation import INIT_WORKSTATION, InstallationInfo, load_keys
from counter_app.keystore import Keys, Keystore
from db.engine import make_engine
from db.migrate import check_schema

# The CLI's place in audit entries and approvals; id/campus None: not a registered counter.
ADMIN_STATION = WorkstationRef(id=None, code=INIT_WORKSTATION, campus_id=None, simulated=False)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Invocation:
    """What a command brings from the command line: where, who, and the secrets read."""

    db_url: str | None
    keystore: str | None
    environ: Mapping[str, str]
    actor: str | None = None
    actor_password: str | None = None
    approver: str | None = None
    approver_password: str | None = None
    hasher: argon2.PasswordHasher | None = None

    @property
    def approval(self) -> Approval | None:
        if not self.approver:
            return None
        return Approval(name=self.approver, password=self.approver_password or "")


@dataclass(frozen=True)
class AdminRun:
    """An open database with its keys and clock; `ctx` acts as the authenticated `--as`."""

    engine: Engine
    keys: Keys
    info: InstallationInfo
    keystore: Keystore
    ctx: OpContext
    invocation: Invocation

    @property
    def approval(self) -> Approval | None:
        return self.invocation.approval

    def require_approval(self) -> Approval:
        if self.approval is None:
            raise ApprovalRequired(
                "请用 --approver 指定监督人", detail_en="name the co-signer with --approver"
            )
        return self.approval


def choose_clock(info_dev: bool, environ: Mapping[str, str]) -> Clock:
    """COUNTER_CLOCK only on a development database (API.md "Command line")."""
    from_env = clock_from_env(dict(environ))
    return from_env if (from_env is not None and info_dev) else system_clock


@contextmanager
def open_database(invocation: Invocation) -> Iterator[tuple[Engine, Keys, InstallationInfo, Keystore, Clock]]:
    engine = make_engine(invocation.db_url)
    try:
        check_schema(engine)
        keys, info, keystore = load_keys(engine, invocation.keystore)
        yield engine, keys, info, keystore, choose_clock(info.dev, invocation.environ)
    finally:
        engine.dispose()


def admin_context(engine: Engine, keys: Keys, info: InstallationInfo, clock: Clock,
                  hasher: argon2.PasswordHasher | None = None) -> OpContext:  # fmt: skip
    return OpContext(engine=engine, keys=keys, clock=clock, workstation=ADMIN_STATION, devices=Devices(),
                     dev_database=info.dev, hasher=hasher)  # fmt: skip


def login(ctx: OpContext, name: str, password: str) -> AuthenticatedOperator:
    """`--as`, checked like a login at a counter (lockout, attempts recorded, refusals kept)."""
    with ctx.uow() as s:
        return authenticate(s, name=name, password=password, workstation=ctx.workstation.code,
                            clock=ctx.clock, hasher=ctx.hasher)  # fmt: skip


@contextmanager
def acting(invocation: Invocation) -> Iterator[AdminRun]:
    """The database opened and `--as` authenticated; the run's ctx acts as that person."""
    with open_database(invocation) as (engine, keys, info, keystore, clock):
        ctx = admin_context(engine, keys, info, clock, invocation.hasher)
        operator = login(ctx, invocation.actor or "", invocation.actor_password or "")
        yield AdminRun(engine, keys, info, keystore, replace(ctx, operator=operator), invocation)


def iso(moment: date | datetime) -> str:
    return moment.isoformat()


def operator_id(s: Any, name: str) -> int:
    from db.models.security import Operator

    found = s.scalar(select(Operator.id).where(Operator.name == name))
    if found is None:
        raise InputInvalid(f"没有这个操作员：{name}", detail_en=f"no operator named {name}", field="name")
    return found


# --- people ---------------------------------------------------------------------------------------


def initialise_database(invocation: Invocation, *, admin: tuple[str, str], head: tuple[str, str],
                        dev: bool) -> InstallationInfo:  # fmt: skip
    from counter_app.installation import initialise

    engine = make_engine(invocation.db_url)
    try:
        return initialise(engine, keystore_spec=invocation.keystore, admin=admin, head=head, dev=dev,
                          clock=choose_clock(dev, invocation.environ), hasher=invocation.hasher)  # fmt: skip
    finally:
        engine.dispose()


def add_operator(run: AdminRun, *, name: str, role: str, password: str) -> int:
    """A new person with one role: an administrator acts, a second person co-signs."""
    from counter_app.auth import create_operator
    from counter_app.roles import grant_role

    ctx = run.ctx
    with ctx.uow() as s:
        ctx.require_role(s, "admin")
        approval_id = ctx.approve(
            s, run.require_approval(), kind="operator.add", payload={"name": name, "role": role}
        )
        operator = create_operator(s, name=name, password=password, actor_id=ctx.operator_id,
                                   workstation=ctx.workstation.code, clock=ctx.clock, hasher=ctx.hasher)  # fmt: skip
        grant_role(s, operator_id=operator.id, role=role, granted_by_id=ctx.operator_id,
                   workstation=ctx.workstation.code, clock=ctx.clock, approval_id=approval_id)  # fmt: skip
        return operator.id


def disable_operator(run: AdminRun, *, name: str) -> None:
    """Disabling reduces power, so no co-signature; an administrator never disables themself (the
    last way in could be lost)."""
    from counter_app.auth import disable_operator as disable

    ctx = run.ctx
    with ctx.uow() as s:
        ctx.require_role(s, "admin")
        target = operator_id(s, name)
        if target == ctx.operator_id:
            raise InputInvalid("不能停用自己的账号", detail_en="you cannot disable yourself", field="name")
        disable(
            s, operator_id=target, actor_id=ctx.operator_id, workstation=ctx.workstation.code, clock=ctx.clock
        )


def reset_password(run: AdminRun, *, name: str, password: str) -> None:
    """Another person's password, co-signed; the co-signer is never the person whose password it is."""
    from counter_app.auth import set_password

    ctx = run.ctx
    if run.invocation.approver == name:
        raise InputInvalid(
            f"{name} 不能为重置自己的密码确认", detail_en=f"{name} cannot co-sign their own reset"
        )
    with ctx.uow() as s:
        ctx.require_role(s, "admin")
        target = operator_id(s, name)
        approval_id = ctx.approve(
            s, run.require_approval(), kind="operator.reset_password", payload={"name": name}
        )
        set_password(s, operator_id=target, new_password=password, actor_id=ctx.operator_id,
                     workstation=ctx.workstation.code, clock=ctx.clock, approval_id=approval_id,
                     hasher=ctx.hasher)  # fmt: skip


def appoint_supervisor(run: AdminRun, *, name: str, start: date, end: date) -> None:
    """主管 or 部门助理 appoints a 监督人 (roles.appoint_supervisor checks who may); a co-signature is
    taken when one is given."""
    from counter_app.roles import appoint_supervisor as appoint

    ctx = run.ctx
    with ctx.uow() as s:
        target = operator_id(s, name)
        approval_id = None
        if run.approval is not None:
            approval_id = ctx.approve(s, run.approval, kind="supervisor.appoint",
                                      payload={"name": name, "from": iso(start), "to": iso(end)})  # fmt: skip
        appoint(s, operator_id=target, from_date=start, to_date=end, appointed_by_id=ctx.operator_id,
                workstation=ctx.workstation.code, clock=ctx.clock, approval_id=approval_id)  # fmt: skip


# --- places ---------------------------------------------------------------------------------------


def campus_named(s: Any, name: str, *, create: bool, ctx: OpContext | None = None) -> Any:
    """The campus whose name or code is `name`; created (code = name) when asked and new."""
    from db.models import Campus

    campus = s.scalar(select(Campus).where((Campus.name == name) | (Campus.code == name)).limit(1))
    if campus is None and create:
        campus = Campus(code=name[:32], name=name)
        s.add(campus)
        s.flush()
        if ctx is not None:
            ctx.audit(s, "campus.added", subject=campus, name=name)
    return campus


def add_workstation(run: AdminRun, *, code: str, campus: str) -> bool:
    """Register a counter on a campus; True when the campus was new."""
    from db.models import Workstation

    ctx = run.ctx
    with ctx.uow() as s:
        ctx.require_role(s, "admin")
        if s.scalar(select(Workstation.id).where(Workstation.code == code)) is not None:
            raise InputInvalid(
                f"窗口 {code} 已登记", detail_en=f"workstation {code} already exists", field="code"
            )
        existed = campus_named(s, campus, create=False) is not None
        row = Workstation(code=code, campus_id=campus_named(s, campus, create=True, ctx=ctx).id,
                          simulated=False, created_at=ctx.now())  # fmt: skip
        s.add(row)
        s.flush()
        ctx.audit(s, "workstation.added", subject=row, code=code, campus=campus)
        return not existed


# --- money: tariffs, fees, settings ----------------------------------------------------------------


def set_tariff(run: AdminRun, *, cls: str, price_e4: int, start: datetime, basis: str) -> None:
    from db.models import Tariff

    _add_rate(run, Tariff, "tariff.set", key=("cls", cls), value=("price_e4", price_e4), start=start, basis=basis,
              taken_zh=f"{cls} 在 {iso(start)} 已有电价", taken_en=f"{cls} already has a tariff from {iso(start)}")


def set_fee(run: AdminRun, *, kind: str, fen: int, start: datetime, basis: str) -> None:
    from db.models import Fee

    _add_rate(run, Fee, "fee.set", key=("kind", kind), value=("fen", fen), start=start, basis=basis,
              taken_zh=f"{kind} 在 {iso(start)} 已有收费标准", taken_en=f"{kind} already set from {iso(start)}")


def _add_rate(run: AdminRun, model, kind: str, *, key: tuple[str, str], value: tuple[str, int], start: datetime,
              basis: str, taken_zh: str, taken_en: str) -> None:  # fmt: skip
    """A new tariff or fee row (append-only, effective from `start`, with its basis document),
    co-signed and audited; refused when one already starts at that moment."""
    from counter_app.ops.common import add_audited

    ctx = run.ctx
    basis = _basis(basis)
    with ctx.uow() as s:
        ctx.require_role(s, "admin")
        existing = select(model.id).where(getattr(model, key[0]) == key[1], model.effective_from == start)
        if s.scalar(existing) is not None:
            raise InputInvalid(taken_zh, detail_en=taken_en)
        payload = {key[0]: key[1], value[0]: value[1], "from": iso(start), "basis": basis}
        approval_id = ctx.approve(s, run.require_approval(), kind=kind, payload=payload)
        row = model(**{key[0]: key[1], value[0]: value[1]}, effective_from=start, basis=basis,
                    set_by=ctx.operator_id, approval_id=approval_id, created_at=ctx.now())  # fmt: skip
        add_audited(ctx, s, row, kind, content=payload, approval_id=approval_id)


def _basis(text: str) -> str:
    text = text.strip()
    if not text or len(text) > 100:
        raise InputInvalid(
            "依据文件号不能为空，最多 100 字", detail_en="--basis: 1 to 100 characters", field="basis"
        )
    return text


def parse_setting_value(text: str) -> Any:
    """JSON when the text parses as JSON (`5000`, `true`, `[7, 8]`), else the text itself."""
    import json

    try:
        return json.loads(text)
    except ValueError:
        return text


def set_setting(run: AdminRun, *, key: str, text: str) -> Any:
    """As `Session.set_setting`: administrators; money-affecting and security keys co-signed."""
    from counter_app import settings
    from db.queries.settings import latest_setting

    ctx = run.ctx
    spec = settings.setting(key)
    value = settings.validate(key, parse_setting_value(text))
    with ctx.uow() as s:
        ctx.require_role(s, "admin")
        approval_id = None
        if spec.needs_approval:
            approval_id = ctx.approve(
                s, run.require_approval(), kind="setting.set", payload={"key": key, "value": value}
            )
        stored = settings.put_setting(
            s, key, value, set_by=ctx.operator_id, approval_id=approval_id, at=ctx.now()
        )
        ctx.audit(s, "setting.set", subject=latest_setting(s, key), key=key)
        return stored
