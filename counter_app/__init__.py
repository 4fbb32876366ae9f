"""Cashier workstation core: domain, services, settings, CLI. No Qt here (see docs/architecture.md)."""

__version__ = "0.1.0"
