"""Cashier workstation core: domain, services, settings, CLI. No Qt here (see docs/architecture.md)."""
