"""The 售电登记表 of one shift as a file (docs/api.md `sales_register`): the open shift of this
workstation beside the X report (中途自查), or any shift beside its settlement sheet.

Read-only: nothing is logged (the X report itself is), nothing is printed. The date-range register
is the report kind `sales-register` of the catalogue.
"""

from __future__ import annotations

from base.errors import InputInvalid, ShiftNotOpen
from counter_app.context import OpContext
from counter_app.ops.settlement_close import X_REPORT_ROLES
from counter_app.ops.settlement_finance import REPORT_ROLES
from counter_app.settlement.register import shift_register
from db.queries.shifts import open_shift_id
from receipts.reports.model import ReportTable
from receipts.reports.render import FORMATS, render

REGISTER_ROLES = tuple(dict.fromkeys((*X_REPORT_ROLES, *REPORT_ROLES)))


def sales_register_table(ctx: OpContext, *, shift_id: int | None = None) -> ReportTable:
    """The shift's register (None: the shift open at this workstation, SHIFT_NOT_OPEN without one)."""
    if shift_id is not None and (isinstance(shift_id, bool) or not isinstance(shift_id, int)):
        raise InputInvalid("班次号须为整数", detail_en="shift_id is an integer", field="shift_id")
    with ctx.reading() as s:
        ctx.require_role(s, *REGISTER_ROLES)
        if shift_id is None:
            shift_id = open_shift_id(s, ctx.workstation.id)
            if shift_id is None:
                raise ShiftNotOpen()
        return shift_register(s, shift_id, ctx.setting(s, "centre_name"))


def sales_register(ctx: OpContext, *, shift_id: int | None = None, format: str = "pdf") -> bytes:
    if format not in FORMATS:
        raise InputInvalid(f"报表格式应为 {'、'.join(FORMATS)}", detail_en=f"format is one of {', '.join(FORMATS)}",
                           field="format")  # fmt: skip
    return render(sales_register_table(ctx, shift_id=shift_id), format)
