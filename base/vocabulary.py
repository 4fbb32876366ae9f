"""The counter's words every layer uses: card (account) classes, tenders and roles.

One definition each, in the base layer because the db models' CHECK constraints, the core, the
receipts and the UI all need them. Codes are API.md's; the Chinese labels are the ones receipts,
sheets and messages print (the UI translates its own, keyed by these codes).
"""

from __future__ import annotations

# --- card (account) classes --------------------------------------------------------------------------

CLASS_CODES = ("dorm", "staff", "business")
CLASS_LABELS = {"dorm": "学生公寓", "staff": "教职工", "business": "实体经营"}
CLASS_LETTERS = {"dorm": "D", "staff": "S", "business": "B"}  # the account number's prefix: D-…
# The report lines of DOMAIN.md: 寝室用户 = dorms, 业主用户 = staff households + businesses.
CLASS_GROUPS = {"dorm": "dorm", "staff": "owner", "business": "owner"}
CLASS_GROUP_LABELS = {"dorm": "寝室用户", "owner": "业主用户"}

# --- tenders -----------------------------------------------------------------------------------------

# The order the sale page offers them (cash first, the cheque rare), also the order of the shift's
# totals and the settlement sheet. The ledger's CHECK constraint keeps migration 0001's order.
TENDERS = ("cash", "campus_card", "wechat", "alipay", "cheque")
TENDER_LABELS = {
    "cash": "现金",
    "campus_card": "一卡通",
    "wechat": "微信",
    "alipay": "支付宝",
    "cheque": "支票",
}

# --- roles -------------------------------------------------------------------------------------------

ROLES = ("cashier", "supervisor", "assistant", "head", "finance", "admin", "auditor")
ROLE_LABELS = {
    "cashier": "营业员",
    "supervisor": "监督人",
    "assistant": "部门助理",
    "head": "主管",
    "finance": "财务",
    "admin": "管理员",
    "auditor": "审计",  # reads every report and the approvals matrix; changes nothing (counter_app/auditor.py)
}
SELLING_ROLES = ("cashier", "supervisor")  # who sells and handles cards at the counter
CO_SIGN_ROLES = ("supervisor", "assistant", "head")  # who may co-sign (approve) at the counter
APPOINTING_ROLES = ("head", "assistant")  # who appoints a 监督人 for some days
