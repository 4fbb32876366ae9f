"""Shipping: the frozen bundle, the installer, self-test, backups, upgrades, multi-counter PostgreSQL."""
