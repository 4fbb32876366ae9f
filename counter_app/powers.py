"""Two people for every power (DOMAIN "What needs a co-signature"; issue 12 §3).

Every power over money, rights or the records themselves is co-signed by a second authorised
person, refused alone, in the command line and on the workstation alike: both call `co_sign` from
their service, so there is one list of powers and one check.

    approval_id = co_sign(ctx, s, approval, "keys.export", {"out": "/media/usb/keys.bin"})

Who may co-sign (DOMAIN "People and roles"):
- money and rights at the counter's level (tariffs, fees, money-affecting or security settings,
  adding an operator, resetting a password): any co-signer, 监督人, 部门助理 or 主管
  (`CO_SIGN_ROLES`), as for every other co-signed operation;
- powers over the records and over the co-signers themselves (restore, key export, workstation
  add, disabling or demoting the head, an assistant or a 监督人): 主管 or 部门助理 only
  (`APPOINTING_ROLES`). A 监督人 is appointed by them for some days; letting the appointee sign
  away the appointer, roll history back or take the keys would turn the chain of trust upside down.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from base.errors import ApprovalRequired
from base.vocabulary import APPOINTING_ROLES, CO_SIGN_ROLES
from counter_app import settings
from counter_app.approvals import Approval
from counter_app.context import OpContext
from counter_app.roles import has_any_role
from db.models.security import SupervisorAppointment
from db.queries.settings import latest_setting


@dataclass(frozen=True)
class Power:
    kind: str  # the approval's kind (what the second person signs)
    zh: str  # the operation, as a person names it
    en: str
    signers: tuple[str, ...]  # roles that may co-sign it

    def refused_alone(self) -> Exception:
        """APPROVAL_REQUIRED naming the operation and who may co-sign it."""
        who = "、".join(_ROLE_ZH[r] for r in self.signers)
        return ApprovalRequired(
            f"{self.zh}须由第二人（{who}）确认", detail_en=f"{self.en} needs a co-signer ({', '.join(self.signers)})",
            data={"operation": self.kind, "signers": self.signers},
        )  # fmt: skip


_ROLE_ZH = {"supervisor": "监督人", "assistant": "部门助理", "head": "主管"}
RECORD_SIGNERS: tuple[str, ...] = tuple(APPOINTING_ROLES)
MONEY_SIGNERS: tuple[str, ...] = tuple(CO_SIGN_ROLES)
# Roles whose holder is a co-signer or reviewer: disabling or demoting one is itself a power.
PROTECTED_ROLES = frozenset(CO_SIGN_ROLES)

POWERS: dict[str, Power] = {
    p.kind: p
    for p in (
        Power("backup.restore", "恢复备份", "restoring a backup", RECORD_SIGNERS),
        Power("keys.export", "导出密钥", "exporting the keys", RECORD_SIGNERS),
        Power("keys.device_secret", "设置设备密钥（远程拉闸/合闸密码）", "setting a device secret (remote trip/close password)",
              MONEY_SIGNERS),
        Power("workstation.add", "登记窗口", "adding a workstation", RECORD_SIGNERS),
        Power("operator.disable", "停用主管、部门助理或监督人", "disabling the head, an assistant or a supervisor",
              RECORD_SIGNERS),
        Power("role.revoke", "撤销主管、部门助理或监督人的角色", "demoting the head, an assistant or a supervisor",
              RECORD_SIGNERS),
        Power("tariff.set", "设定电价", "setting a tariff", MONEY_SIGNERS),
        Power("fee.set", "设定收费标准", "setting a fee", MONEY_SIGNERS),
        Power("setting.set", "修改涉及金额或安全的参数", "changing a money-affecting or security setting",
              MONEY_SIGNERS),
        Power("operator.add", "添加操作员（授予角色）", "adding an operator (granting a role)", MONEY_SIGNERS),
        Power("operator.reset_password", "重置他人密码", "resetting another person's password", MONEY_SIGNERS),
    )
}  # fmt: skip


def co_sign(
    ctx: OpContext, s: DbSession, approval: Approval | None, kind: str, payload: Mapping[str, Any]
) -> int:
    """The second person's approval of power `kind` with exactly `payload`, checked and recorded
    by `ctx.approve` (approver ≠ maker, approver holding one of the power's roles); the approval
    id. Without an approval: APPROVAL_REQUIRED naming the operation."""
    power = POWERS[kind]
    if approval is None:
        raise power.refused_alone()
    return ctx.approve(s, approval, kind=kind, payload=payload, allowed_roles=power.signers)


def protected_roles_of(s: DbSession, operator_id: int, roles: frozenset[str], *, on: date) -> list[str]:
    """Of the co-signing roles, those the operator holds today or by an appointment not yet ended
    (a 监督人 appointed from next week is one already): disabling them is a power."""
    held = set(roles & PROTECTED_ROLES)
    if has_any_role(s, operator_id, ("supervisor",), on=on):
        held.add("supervisor")
    coming = select(SupervisorAppointment.id).where(
        SupervisorAppointment.operator_id == operator_id, SupervisorAppointment.to_date >= on
    )
    if s.scalar(coming.limit(1)) is not None:
        held.add("supervisor")
    return sorted(held)


def change_setting(ctx: OpContext, key: str, value: Any, approval: Approval | None) -> Any:
    """`Session.set_setting` and `counter-admin setting set`: administrators; a key flagged
    money-affecting or security (counter_app/settings.py) is co-signed. The stored value."""
    with ctx.uow() as s:
        ctx.require_role(s, "admin")
        spec = settings.setting(key)
        value = settings.validate(key, value)
        approval_id = None
        if spec.needs_approval:
            approval_id = co_sign(ctx, s, approval, "setting.set", {"key": key, "value": value})
        stored = settings.put_setting(s, key, value, set_by=ctx.operator_id, approval_id=approval_id,
                                      at=ctx.now())  # fmt: skip
        ctx.audit(s, "setting.set", subject=latest_setting(s, key), key=key)
        return stored
