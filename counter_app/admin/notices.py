"""`notice add`: a payment notice, as the notices area's `create_notice`.

Notice numbers run per workstation and the command line is none, so the notice is made as if at
a registered counter: COUNTER_WORKSTATION, else the only one registered.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from base.errors import InputInvalid
from base.money import format_yuan
from counter_app.admin.command import CommandContext, acting
from counter_app.admin.door import AdminSession
from counter_app.context import WorkstationRef
from counter_app.ops.notices import create_notice
from counter_app.results import Notice
from db.queries.places import workstations


def notice_add(ctx: CommandContext) -> int:
    a = ctx.args
    with acting(ctx.invocation()) as admin:
        notice = add_notice(admin, environ=ctx.environ, kind=a.kind, payer=a.payer, notice_no=a.notice_no,
                            amount_fen=a.amount_fen, area_dm2=a.area_dm2, repair_date=a.repair_date,
                            repairman=a.repairman, department=a.department)  # fmt: skip
    ctx.out.line(f"已开通知单 {notice.notice_no}：{notice.kind}，{format_yuan(notice.amount_fen)} 元")
    return 0


def add_notice(admin: AdminSession, *, environ: Mapping[str, str], kind: str, payer: str,
               notice_no: str | None, amount_fen: int | None, area_dm2: int | None,
               repair_date: date | None, repairman: str | None, department: str | None) -> Notice:  # fmt: skip
    """`create_notice` acting as `--as` at the counter `environ` names (COUNTER_WORKSTATION)."""
    ctx = admin.at_counter(notice_workstation(admin, environ.get("COUNTER_WORKSTATION")))
    return create_notice(ctx, kind=kind, payer=payer, notice_no=notice_no, amount_fen=amount_fen,
                         area_dm2=area_dm2, repair_date=repair_date, repairman=repairman,
                         department=department)  # fmt: skip


def notice_workstation(admin: AdminSession, code: str | None) -> WorkstationRef:
    with admin.ctx.reading() as s:
        rows = [
            WorkstationRef(w.id, w.code, w.campus_id, w.simulated) for w in workstations(s, code, limit=2)
        ]
    if len(rows) != 1:
        raise InputInvalid("请用环境变量 COUNTER_WORKSTATION 指定开单窗口",
                           detail_en="set COUNTER_WORKSTATION to the counter issuing the notice")  # fmt: skip
    return rows[0]
