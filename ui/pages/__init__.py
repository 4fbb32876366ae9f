"""The pages of the main window, in F-key order. Imported lazily so each stays its own module."""

from __future__ import annotations

from importlib import import_module

# key → (module, class); the order is the F-key order (F1 …).
PAGES = {
    "sale": ("ui.pages.sale", "SalePage"),
    "accounts": ("ui.pages.accounts", "AccountsPage"),
    "quota": ("ui.pages.quota", "QuotaPage"),
    "refund": ("ui.pages.refund", "RefundPage"),
    "charges": ("ui.pages.charges", "ChargesPage"),
    "cards": ("ui.pages.cards", "CardsPage"),
    "shift": ("ui.pages.shift", "ShiftPage"),
    "reports": ("ui.pages.reports", "ReportsPage"),
    "settings": ("ui.pages.settings", "SettingsPage"),
    "exceptions": ("ui.pages.exceptions", "ExceptionsPage"),
    "diagnostics": ("ui.pages.diagnostics", "DiagnosticsPage"),
}


def page_classes() -> dict[str, type]:
    return {key: getattr(import_module(module), name) for key, (module, name) in PAGES.items()}
