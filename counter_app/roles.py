"""Roles (DOMAIN "People and roles"): who holds what, on which day.

- The latest grant/revoke row per (operator, role) is the state (rows are append-only).
- The administrator holds no other role, and is never appointed 监督人: a grant that would mix
  them is refused (RoleForbidden), so one administrator cannot create a puppet supervisor.
- 监督人 is a standing "supervisor" grant or an appointment by 主管/部门助理 covering the day.
- Granting a role needs an administrator and a co-signature (pass the approval id from
  `counter_app.approvals.approve`); only the two people `counter-admin init` creates get their
  roles without one (`granted_by_id=None`). Revoking needs none (it reduces power), except
  demoting a co-signer (head, assistant, 监督人): a power over the co-signers, co-signed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from base.clock import Clock, business_date
from base.errors import ApprovalRequired, InputInvalid, RoleForbidden
from base.vocabulary import APPOINTING_ROLES as APPOINTING_ROLES  # (`X as X`: role sets re-exported)
from base.vocabulary import CO_SIGN_ROLES as CO_SIGN_ROLES
from base.vocabulary import ROLES as ROLES
from base.vocabulary import SELLING_ROLES as SELLING_ROLES
from counter_app import audit, row_seals
from db.models.security import Operator, RoleGrant, SupervisorAppointment
from db.queries.rows import by_id
from db.queries.security import grant_rows, operator_and_grants, roles_from_grants


def _existing(session: Session, operator_id: int) -> Operator:
    operator = row_seals.check(session, by_id(session, Operator, operator_id))
    if operator is None:
        raise InputInvalid(f"没有编号为 {operator_id} 的操作员", detail_en=f"no operator {operator_id}")
    return operator


def roles_of(session: Session, operator_id: int) -> frozenset[str]:
    """Standing roles: per role, the latest grant/revoke row decides. Every row is checked against
    its seal (a grant inserted by SQL is refused, TAMPERED)."""
    return roles_from_grants(row_seals.check_all(session, grant_rows(session, operator_id)))


def _appointed(session: Session, operator_id: int, *, on: date | None = None) -> bool:
    """An appointment covers the day. Checked against its seal: an appointment extended or inserted
    by SQL is refused (TAMPERED), not silently ignored."""
    query = select(SupervisorAppointment).where(SupervisorAppointment.operator_id == operator_id)
    if on is not None:
        query = query.where(SupervisorAppointment.from_date <= on, SupervisorAppointment.to_date >= on)
    return bool(row_seals.check_all(session, session.scalars(query.limit(1))))


def has_role(session: Session, operator_id: int, role: str, *, on: date) -> bool:
    """True when the (enabled) operator holds `role` on that day; "supervisor" also by appointment."""
    return has_any_role(session, operator_id, (role,), on=on)


def has_any_role(session: Session, operator_id: int, roles: Iterable[str], *, on: date) -> bool:
    """One pass for all `roles`: the operator's row with its grants (one statement) and (for
    "supervisor") an appointment are each read and checked once (every sale asks twice; issue 16)."""
    operator, grants = operator_and_grants(session, operator_id)
    operator = row_seals.check(session, operator)
    if operator is None or operator.disabled:
        return False
    wanted = tuple(roles)
    if not roles_from_grants(row_seals.check_all(session, grants)).isdisjoint(wanted):
        return True
    return "supervisor" in wanted and _appointed(session, operator_id, on=on)


def grant_role(
    session: Session,
    *,
    operator_id: int,
    role: str,
    granted_by_id: int | None,
    workstation: str,
    clock: Clock,
    approval_id: int | None = None,
) -> RoleGrant:
    """Grant `role`. By an administrator with a co-signature (`approval_id`), except at init."""
    if role not in ROLES:
        raise InputInvalid(f"未知角色：{role}", detail_en=f"unknown role {role}", field="role")
    _check_granter(session, granted_by_id, approval_id, on=business_date(clock()))
    target = _existing(session, operator_id)
    current = roles_of(session, operator_id)
    if role in current:
        raise InputInvalid(f"{target.name} 已有角色 {role}", detail_en=f"{target.name} already has {role}")
    _refuse_admin_mix(session, target, role, current)
    return _role_row(session, target, role, "grant", granted_by_id, approval_id, workstation, clock)


def revoke_role(
    session: Session, *, operator_id: int, role: str, revoked_by_id: int, workstation: str, clock: Clock,
    approval_id: int | None = None,
) -> RoleGrant:  # fmt: skip
    """Taking a role away; only an administrator. Demoting a co-signer (主管, 部门助理, 监督人) is a
    power over the co-signers and needs a co-signature (`approval_id`, counter_app/powers.py);
    other roles need none (it reduces power)."""
    if not has_role(session, revoked_by_id, "admin", on=business_date(clock())):
        raise RoleForbidden("只有管理员可以撤销角色", detail_en="only an administrator revokes roles")
    target = _existing(session, operator_id)
    if role not in roles_of(session, operator_id):
        raise InputInvalid(f"{target.name} 没有角色 {role}", detail_en=f"{target.name} does not have {role}")
    if role in CO_SIGN_ROLES and approval_id is None:
        raise ApprovalRequired("撤销主管、部门助理或监督人的角色需要第二人确认",
                               detail_en="demoting a co-signer needs approval")  # fmt: skip
    return _role_row(session, target, role, "revoke", revoked_by_id, approval_id, workstation, clock)


def _check_granter(session: Session, granted_by_id: int | None, approval_id: int | None, *, on: date) -> None:
    if granted_by_id is None:
        return  # counter-admin init: the first administrator and head
    if not has_role(session, granted_by_id, "admin", on=on):
        raise RoleForbidden("只有管理员可以授予角色", detail_en="only an administrator grants roles")
    if approval_id is None:
        raise ApprovalRequired("授予角色需要监督人确认", detail_en="granting a role needs approval")


def _refuse_admin_mix(session: Session, target: Operator, role: str, current: frozenset[str]) -> None:
    others = current - {"admin"}
    if role == "admin" and (others or _appointed(session, target.id)):
        raise RoleForbidden(f"管理员不能兼任其他角色（{target.name} 已有 {', '.join(sorted(others)) or '监督人任命'}）",
                            detail_en="the administrator holds no other role")  # fmt: skip
    if role != "admin" and "admin" in current:
        raise RoleForbidden(
            f"{target.name} 是管理员，不能兼任其他角色", detail_en="the administrator holds no other role"
        )
    # The auditor only reads (counter_app/auditor.py): a second role would let them act.
    if (role == "auditor" and current) or (role != "auditor" and "auditor" in current):
        raise RoleForbidden(
            f"审计人员不能兼任其他角色（{target.name}）", detail_en="the auditor holds no other role"
        )


def _role_row(
    session: Session, target: Operator, role: str, action: str, by_id: int | None, approval_id: int | None,
    workstation: str, clock: Clock,
) -> RoleGrant:  # fmt: skip
    row = RoleGrant(
        operator_id=target.id,
        role=role,
        action=action,
        granted_by_id=by_id,
        approval_id=approval_id,
        at=clock(),
    )
    session.add(row)
    session.flush()
    audit.record(session, kind=f"role.{action}", actor_id=by_id, workstation=workstation, subject=row,
                 payload={"operator": target.name, "role": role, "approval_id": approval_id}, clock=clock)  # fmt: skip
    return row


def appoint_supervisor(
    session: Session,
    *,
    operator_id: int,
    from_date: date,
    to_date: date,
    appointed_by_id: int,
    workstation: str,
    clock: Clock,
    approval_id: int | None = None,
) -> SupervisorAppointment:
    """主管 or 部门助理 appoints a 监督人 for [from_date, to_date]."""
    today = business_date(clock())
    if not has_any_role(session, appointed_by_id, APPOINTING_ROLES, on=today):
        raise RoleForbidden(
            "只有主管或部门助理可以任命监督人", detail_en="only head or assistant appoints supervisors"
        )
    target = _existing(session, operator_id)
    if operator_id == appointed_by_id:
        raise RoleForbidden("不能任命自己为监督人", detail_en="cannot appoint oneself")
    if target.disabled or roles_of(session, operator_id) & {"admin", "auditor"}:
        raise RoleForbidden(
            f"{target.name} 不能被任命为监督人（管理员或已停用）", detail_en="administrator or disabled"
        )
    if to_date < from_date:
        raise InputInvalid(
            "任期结束日期早于开始日期", detail_en="period ends before it starts", field="to_date"
        )
    row = SupervisorAppointment(operator_id=operator_id, from_date=from_date, to_date=to_date,
                                appointed_by_id=appointed_by_id, approval_id=approval_id, at=clock())  # fmt: skip
    session.add(row)
    session.flush()
    audit.record(session, kind="supervisor.appointed", actor_id=appointed_by_id, workstation=workstation, subject=row,
                 payload={"operator": target.name, "from": from_date, "to": to_date}, clock=clock)  # fmt: skip
    return row
