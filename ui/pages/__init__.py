"""The pages of the main window, in F-key order. Imported lazily so each stays its own module."""

from __future__ import annotations

from importlib import import_module

# key → (module, class), in F-key order. ONE key map for every role (issue 14 §13): a page's key is
# its position here (`PAGE_KEYS`), whoever is logged in; a page a role does not see is simply absent
# and its key does nothing, it never means another page. The pages every seller uses come first
# (F1…F12); month and settings (finance, administrator) come last, on Ctrl+F2 / Ctrl+F3.
PAGES = {
    "sale": ("ui.pages.sale", "SalePage"),
    "accounts": ("ui.pages.accounts", "AccountsPage"),
    "quota": ("ui.pages.quota", "QuotaPage"),
    "refund": ("ui.pages.refund", "RefundPage"),
    "charges": ("ui.pages.charges", "ChargesPage"),
    "cards": ("ui.pages.cards", "CardsPage"),
    "shift": ("ui.pages.shift", "ShiftPage"),
    "reports": ("ui.pages.reports", "ReportsPage"),
    "sheets": ("ui.pages.sheets", "SheetsPage"),
    "deposits": ("ui.pages.deposits", "DepositsPage"),
    "books": ("ui.pages.books", "BooksPage"),
    "exceptions": ("ui.pages.exceptions", "ExceptionsPage"),
    "diagnostics": ("ui.pages.diagnostics", "DiagnosticsPage"),
    "month": ("ui.pages.month", "MonthPage"),
    "settings": ("ui.pages.settings", "SettingsPage"),
    "verify": ("ui.pages.verify", "VerifyPage"),  # every role's earlier F-keys stay as they were
    # pages added by issue 15 and 14, after every earlier key (Ctrl+F5 onwards, in this order)
    "duties": ("ui.pages.duties", "DutiesPage"),  # 部门事务: the cashier logs calls too, so the first
    "tenders": ("ui.pages.tenders", "TendersPage"),  # 对账 (issue 15 item 2)
    "monthly": ("ui.pages.monthly_checks", "MonthlyChecksPage"),  # 月度检查 (issue 15 §5-6)
    # the head's and administrator's work (issue 14)
    "people": ("ui.pages.people", "PeoplePage"),
    "prices": ("ui.pages.prices", "PricesPage"),
    "stations": ("ui.pages.stations", "StationsPage"),
    "networked": ("ui.pages.networked", "NetworkedPage"),  # 远程抄表 (issue 17), after every earlier key
    "buses": ("ui.pages.bus_status", "BusStatusPage"),  # 总线状态 (issue 17 §5), Ctrl+F12
}


def shortcut_for(position: int) -> str:
    """F1…F12, then Ctrl+F1…: the key of the page at `position` in PAGES."""
    return f"F{position + 1}" if position < 12 else f"Ctrl+F{position - 11}"


PAGE_KEYS = {key: shortcut_for(position) for position, key in enumerate(PAGES)}


def page_classes() -> dict[str, type]:
    return {key: getattr(import_module(module), name) for key, (module, name) in PAGES.items()}
