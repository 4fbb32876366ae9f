"""Places: `workstation add`, and the campuses the imports and workstations name.

A campus is named by its name or its code; one named for the first time is created (code = the
name, cut to 32 characters) and audited. Adding a workstation is a power over the records (a new
counter issues receipt numbers and writes cards): co-signed by 主管 or 部门助理 (counter_app/powers.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.orm import Session as DbSession

from base.errors import InputInvalid
from counter_app.admin.command import CommandContext, acting
from counter_app.admin.door import Acting
from counter_app.approvals import Approval
from counter_app.context import OpContext
from counter_app.powers import co_sign
from db.queries import places as place_queries

if TYPE_CHECKING:
    from db.models import Campus


def workstation_add(ctx: CommandContext) -> int:
    a = ctx.args
    with acting(ctx.invocation()) as admin:
        new_campus = add_workstation(admin, code=a.code, campus=a.campus, approval=ctx.approval)
    ctx.out.line(
        f"已登记窗口 {a.code}（{a.campus}{'，新校区' if new_campus else ''}），确认人 {ctx.credentials.approver}"
    )
    return 0


def campus_for(ctx: OpContext, s: DbSession, name: str) -> Campus:
    """The campus whose name or code is `name`; created and audited when new."""
    campus = place_queries.campus_by_name(s, name)
    if campus is None:
        campus = place_queries.add_campus(s, code=name[:32], name=name)
        ctx.audit(s, "campus.added", subject=campus, name=name)
    return campus


def add_workstation(admin: Acting, *, code: str, campus: str, approval: Approval | None) -> bool:
    """Register a counter on a campus, co-signed; True when the campus was new."""
    ctx = admin.ctx
    with ctx.uow() as s:
        ctx.require_role(s, "admin")
        if place_queries.workstation_id_by_code(s, code) is not None:
            raise InputInvalid(
                f"窗口 {code} 已登记", detail_en=f"workstation {code} already exists", field="code"
            )
        approval_id = co_sign(ctx, s, approval, "workstation.add", {"code": code, "campus": campus})
        existed = place_queries.campus_by_name(s, campus) is not None
        row = place_queries.add_workstation(
            s, code=code, campus_id=campus_for(ctx, s, campus).id, created_at=ctx.now()
        )
        ctx.audit(s, "workstation.added", subject=row, code=code, campus=campus, approval_id=approval_id)
        return not existed
