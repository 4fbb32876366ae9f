"""The head's and administrator's work at the workstation (issue 14 "without a command line"):
people, 监督人 appointments, tariffs and fees, workstations, and the keys' fingerprints.

Each write is the very service `counter-admin` runs (counter_app/admin/operators.py, tariffs.py,
workstations.py), handed this session's context instead of the command line's: the roles, the
checks, the co-signature (counter_app/powers.py POWERS) and the audit entry are one code path.
What the co-signer signs is worded by counter_app/approval_summary.py from the payload the service
binds, so `Session.approval_preview("add_operator", …)` shows exactly that before anyone is asked.

The lists (workstations, key fingerprints) are read-only: a receipt book is handed out on the books
page (`issue_receipt_book`), keys are exported with `counter-admin keys export` (a file on a USB
stick is not a workstation's business).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from counter_app.admin import operators as people
from counter_app.admin import tariffs as prices
from counter_app.admin import workstations as places
from counter_app.approvals import Approval
from counter_app.context import OpContext
from counter_app.keystore import DEVICE_SECRET_LABELS, DEVICE_SECRETS
from counter_app.ops.area import SessionArea
from counter_app.ops.finance_lists import SETUP_READERS, PersonRow, _person
from db.models import Campus, Workstation
from db.models.security import KeyFingerprint, Operator


@dataclass(frozen=True)
class _Acting:
    """What the admin services read of an `AdminSession`: the context to act in (here a
    workstation's, so the audit entries name the counter the change was made at)."""

    ctx: OpContext


@dataclass(frozen=True)
class WorkstationRow:
    code: str
    campus: str
    simulated: bool
    created_at: datetime


@dataclass(frozen=True)
class KeyRow:
    """One key the database was created with: its kind and fingerprint (never the key)."""

    kind: str
    fingerprint: str
    created_at: datetime


@dataclass(frozen=True)
class DeviceSecretRow:
    """A secret shared with devices (counter_app/keystore.py DEVICE_SECRETS): whether this PC's
    keystore holds it. Never its value, nor a fingerprint of it."""

    kind: str
    label: str
    is_set: bool


# --- services on a workstation's context ------------------------------------------------------------


def person(ctx: OpContext, name: str) -> PersonRow:
    with ctx.reading() as s:
        operator = s.scalar(select(Operator).where(Operator.name == name))
        assert operator is not None  # just written by the caller
        return _person(s, operator)


def add_operator(ctx: OpContext, *, name: str, role: str, password: str, display_name: str | None,
                 approval: Approval | None) -> PersonRow:  # fmt: skip
    people.add_operator(_Acting(ctx), name=name, role=role, password=password, approval=approval,
                        display_name=display_name)  # fmt: skip
    return person(ctx, name)


def rename_operator(ctx: OpContext, *, name: str, display_name: str) -> PersonRow:
    people.rename_operator(_Acting(ctx), name=name, display_name=display_name)
    return person(ctx, name)


def disable_operator(ctx: OpContext, *, name: str, approval: Approval | None) -> PersonRow:
    people.disable_operator(_Acting(ctx), name=name, approval=approval)
    return person(ctx, name)


def reset_password(ctx: OpContext, *, name: str, password: str, approval: Approval | None) -> PersonRow:
    people.reset_password(_Acting(ctx), name=name, password=password, approval=approval)
    return person(ctx, name)


def appoint_supervisor(ctx: OpContext, *, name: str, start: date, end: date,
                       approval: Approval | None) -> PersonRow:  # fmt: skip
    people.appoint_supervisor(_Acting(ctx), name=name, start=start, end=end, approval=approval)
    return person(ctx, name)


def set_tariff(ctx: OpContext, *, cls: str, price_e4: int, start: datetime, basis: str,
               approval: Approval | None) -> None:  # fmt: skip
    prices.set_tariff(_Acting(ctx), cls=cls, price_e4=price_e4, start=start, basis=basis, approval=approval)


def set_fee(
    ctx: OpContext, *, kind: str, fen: int, start: datetime, basis: str, approval: Approval | None
) -> None:
    prices.set_fee(_Acting(ctx), kind=kind, fen=fen, start=start, basis=basis, approval=approval)


def add_workstation(ctx: OpContext, *, code: str, campus: str, approval: Approval | None) -> bool:
    return places.add_workstation(_Acting(ctx), code=code, campus=campus, approval=approval)


def list_workstations(ctx: OpContext) -> list[WorkstationRow]:
    with ctx.reading() as s:
        ctx.require_role(s, *SETUP_READERS)
        rows = s.execute(
            select(Workstation, Campus.name)
            .join(Campus, Campus.id == Workstation.campus_id)
            .order_by(Workstation.code)
        ).tuples()
        return [WorkstationRow(w.code, campus, bool(w.simulated), w.created_at) for w, campus in rows]


def list_key_fingerprints(ctx: OpContext) -> list[KeyRow]:
    with ctx.reading() as s:
        ctx.require_role(s, *SETUP_READERS)
        rows = s.scalars(select(KeyFingerprint).order_by(KeyFingerprint.key_kind))
        return [KeyRow(k.key_kind, k.fingerprint, k.created_at) for k in rows]


def list_device_secrets(ctx: OpContext) -> list[DeviceSecretRow]:
    with ctx.reading() as s:
        ctx.require_role(s, *SETUP_READERS)
    return [DeviceSecretRow(kind, DEVICE_SECRET_LABELS[kind], ctx.keys.device_secret(kind) is not None)
            for kind in DEVICE_SECRETS]  # fmt: skip


# --- the facade methods ---------------------------------------------------------------------------------


class PeopleAdminOps(SessionArea):
    """Mixed into Session. Administrators add, rename, disable operators and reset passwords, set
    tariffs and fees and register workstations; the head or an assistant appoints a 监督人."""

    def add_operator(self, *, name: str, role: str, password: str, display_name: str | None = None,
                     approval: Approval | None = None) -> PersonRow:  # fmt: skip
        return add_operator(self.ctx, name=name, role=role, password=password, display_name=display_name,
                            approval=approval)  # fmt: skip

    def rename_operator(self, *, name: str, display_name: str) -> PersonRow:
        return rename_operator(self.ctx, name=name, display_name=display_name)

    def disable_operator(self, *, name: str, approval: Approval | None = None) -> PersonRow:
        return disable_operator(self.ctx, name=name, approval=approval)

    def reset_password(self, *, name: str, password: str, approval: Approval | None = None) -> PersonRow:
        return reset_password(self.ctx, name=name, password=password, approval=approval)

    def appoint_supervisor(self, *, name: str, start: date, end: date,
                           approval: Approval | None = None) -> PersonRow:  # fmt: skip
        return appoint_supervisor(self.ctx, name=name, start=start, end=end, approval=approval)

    def set_tariff(self, *, cls: str, price_e4: int, start: datetime, basis: str,
                   approval: Approval | None = None) -> None:  # fmt: skip
        set_tariff(self.ctx, cls=cls, price_e4=price_e4, start=start, basis=basis, approval=approval)

    def set_fee(
        self, *, kind: str, fen: int, start: datetime, basis: str, approval: Approval | None = None
    ) -> None:
        set_fee(self.ctx, kind=kind, fen=fen, start=start, basis=basis, approval=approval)

    def add_workstation(self, *, code: str, campus: str, approval: Approval | None = None) -> bool:
        return add_workstation(self.ctx, code=code, campus=campus, approval=approval)

    def list_workstations(self) -> list[WorkstationRow]:
        return list_workstations(self.ctx)

    def list_key_fingerprints(self) -> list[KeyRow]:
        return list_key_fingerprints(self.ctx)

    def list_device_secrets(self) -> list[DeviceSecretRow]:
        """Whether this PC's keystore holds each device secret (set by `counter-admin keys
        set-device-secret`); never a value."""
        return list_device_secrets(self.ctx)
