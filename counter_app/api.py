"""The facade: the one door of the counter (../shared/API.md). The UI, the command line, the tests
and the acceptance suite all come in here; additions beside API.md are listed in docs/api.md.

    from counter_app.api import open_counter, Approval
    counter = open_counter(db_url, workstation="W01", simulate=True, …)
    s = counter.login("zhang", "…")

    from counter_app.api import open_admin       # the administrator's door (counter-admin uses it)
    with open_admin(db_url, keystore="file:keys.json") as admin:
        admin.login("admin", "…")
"""

from base.errors import UserFacingError
from counter_app.admin.door import AdminSession, open_admin
from counter_app.approvals import Approval
from counter_app.counter import Counter, open_counter
from counter_app.receipt_signing import ReceiptCheck
from counter_app.results import *  # noqa: F403  (the result dataclasses are part of the contract)
from counter_app.session import Session

__all__ = [
    "AdminSession", "Approval", "Counter", "ReceiptCheck", "Session", "UserFacingError", "open_admin",
    "open_counter",
]  # fmt: skip
