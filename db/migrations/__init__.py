"""Alembic migrations (a package so that installers and PyInstaller collect it)."""
