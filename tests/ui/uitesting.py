"""Helpers for UI tests, importable by name (`from uitesting import wait_idle`): several conftest
modules exist under tests/, so `from conftest import …` would pick whichever was imported first."""

from __future__ import annotations

from opstesting import PASSWORD


def wait_idle(qtbot, runner, timeout=5000):
    """Until the worker has answered every visible call."""
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=timeout)


__all__ = ["PASSWORD", "wait_idle"]
