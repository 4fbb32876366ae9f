"""The pages of the main window, in F-key order. Imported lazily so each stays its own module."""

from __future__ import annotations

from importlib import import_module

# key → (module, class), in F-key order. The keys are given by position among the pages a role SEES
# (ui/main_window.py `shortcut_for`), so finance's few pages sit on F1…F5 rather than scattered.
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
    "month": ("ui.pages.month", "MonthPage"),
    "settings": ("ui.pages.settings", "SettingsPage"),
    "exceptions": ("ui.pages.exceptions", "ExceptionsPage"),
    "diagnostics": ("ui.pages.diagnostics", "DiagnosticsPage"),
    "verify": ("ui.pages.verify", "VerifyPage"),  # last: every role's earlier F-keys stay as they were
}


def page_classes() -> dict[str, type]:
    return {key: getattr(import_module(module), name) for key, (module, name) in PAGES.items()}
