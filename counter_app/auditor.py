"""The auditor (审计, issue 15 item 8): reads every report — the approvals matrix (report kind
`approvals`), free energy per room against entitlement, the sheets and the sales registers —
and changes nothing.

"Changes nothing" is enforced at the facade's door, not method by method: `guard_door`
(counter_app/ops/door.py) calls `refuse_unless_readable` before anything else, so a session whose
operator holds the auditor role may call only the methods of `AUDITOR_METHODS`, and a facade method
added later is refused to the auditor until someone decides it only reads. The role lists of those
methods (REPORT_ROLES, SHEET_READERS) name the auditor; the auditor holds no other role
(counter_app/roles.py refuses the mix), so no other grant can widen this.
"""

from __future__ import annotations

from typing import Any

from base.errors import RoleForbidden

AUDITOR = "auditor"
# Facade methods that only read (no log, no print, no write): what an auditor may call.
AUDITOR_METHODS = frozenset({
    "report", "report_table", "sales_register", "sales_register_table", "list_sheets", "sheet_info", "sheet_pdf",
    "verify_receipt", "get_setting", "roles_today", "logout",
})  # fmt: skip


def refuse_unless_readable(facade: Any, method_name: str) -> None:
    """ROLE_FORBIDDEN when `facade` is an auditor's session and `method_name` is not a read."""
    operator = getattr(facade, "operator", None)
    roles = getattr(operator, "roles", None) or ()
    if AUDITOR in roles and method_name not in AUDITOR_METHODS:
        raise RoleForbidden("审计人员只能查看报表，不能办理或修改任何业务",
                            detail_en=f"an auditor only reads; {method_name} is refused",
                            data={"method": method_name})  # fmt: skip
