"""pytest-qt fixtures for the UI. QT_QPA_PLATFORM must be set before Qt is imported."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from fake_counter import Approval, FakeCounter  # noqa: E402

from ui import ops  # noqa: E402
from ui.context import Workstation  # noqa: E402


@pytest.fixture
def runner(qtbot):
    """A fresh single worker per test, shut down afterwards."""
    fresh = ops.FacadeRunner()
    ops.set_runner(fresh)
    yield fresh
    fresh.shutdown()
    ops.set_runner(None)


@pytest.fixture
def counter():
    return FakeCounter()


@pytest.fixture
def ctx(counter, runner):
    session = counter.login("wang", "pw")
    session.open_shift(float_fen=50000)
    return Workstation(counter, session, approval_factory=Approval)


def wait_idle(qtbot, runner, timeout=3000):
    """Until the worker has answered every visible call."""
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=timeout)
