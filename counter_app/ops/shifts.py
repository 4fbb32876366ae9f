"""Opening a shift with its float (备用金), naming its 监督人 (API.md `open_shift`)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as DbSession

from base.errors import InputInvalid, RoleForbidden
from base.validation import FLOAT_MAX_FEN, checked_fen, optional_checked_text
from counter_app.context import OpContext
from counter_app.ops.area import SessionArea
from counter_app.results import ShiftInfo
from counter_app.roles import SELLING_ROLES, has_any_role
from db.models import Shift
from db.models.security import Operator


def open_shift(ctx: OpContext, *, float_fen: int, supervisor: str | None = None) -> ShiftInfo:
    checked_fen(float_fen, field="float_fen", label="备用金", maximum=FLOAT_MAX_FEN)
    supervisor = optional_checked_text(supervisor, field="supervisor", label="监督人")
    with ctx.uow() as s:
        ctx.require_role(s, *SELLING_ROLES)
        supervisor_id = _supervisor_id(ctx, s, supervisor)
        shift = Shift(workstation_id=ctx.workstation.id, operator_id=ctx.operator_id, supervisor_id=supervisor_id,
                      opened_at=ctx.now(), float_fen=float_fen, is_open=True, simulated=ctx.simulated)  # fmt: skip
        s.add(shift)
        try:
            s.flush()
        except IntegrityError:
            raise InputInvalid(
                "本窗口已有未结账的班次", detail_en="this workstation already has an open shift"
            ) from None
        ctx.audit(s, "shift.opened", shift_id=shift.id, float_fen=float_fen, supervisor=supervisor)
        return ShiftInfo(
            shift_id=shift.id, opened_at=shift.opened_at, float_fen=float_fen, supervisor=supervisor
        )


def _supervisor_id(ctx: OpContext, s: DbSession, name: str | None) -> int | None:
    if not name:
        return None
    supervisor = s.scalar(select(Operator).where(Operator.name == name))
    if supervisor is None or supervisor.id == ctx.operator_id:
        raise InputInvalid(f"监督人无效：{name}", detail_en=f"invalid supervisor {name}", field="supervisor")
    if not has_any_role(s, supervisor.id, ("supervisor", "assistant", "head"), on=ctx.today()):
        raise RoleForbidden(f"{name} 不是本日的监督人", detail_en=f"{name} is not a supervisor today",
                            field="supervisor")  # fmt: skip
    return supervisor.id


class ShiftOps(SessionArea):
    def open_shift(self, *, float_fen: int, supervisor: str | None = None) -> ShiftInfo:
        return open_shift(self.ctx, float_fen=float_fen, supervisor=supervisor)
