"""pytest-qt fixtures for the UI, on the REAL facade: `opstesting.make_world` opens
`open_counter(simulate=True)` on a fresh development database with simulated reader, meters and
printer, people and accounts. QT_QPA_PLATFORM must be set before Qt is imported."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from opstesting import PASSWORD, make_world  # noqa: E402

from counter_app.api import Approval  # noqa: E402
from ui import ops  # noqa: E402
from ui.context import Workstation  # noqa: E402
from ui.facade import login_with_roles  # noqa: E402
from ui.style import apply as apply_style  # noqa: E402


@pytest.fixture(autouse=True)
def styled(qapp):
    """The application's look (ui/style.py) as the workstation applies it: sizes measured here are
    the sizes a cashier sees."""
    apply_style(qapp)


@pytest.fixture
def runner(qtbot):
    """A fresh single worker per test, shut down afterwards."""
    fresh = ops.FacadeRunner()
    ops.set_runner(fresh)
    yield fresh
    fresh.shutdown()
    ops.set_runner(None)


@pytest.fixture
def world(tmp_path):
    world = make_world(tmp_path)
    yield world
    world.sim.reader_line.clear()
    world.sim.printer_line.clear()
    world.close()


@pytest.fixture
def counter(world):
    return world.counter


@pytest.fixture
def ctx(world, runner):
    """Cashier zhang logged in with an open shift (float ￥500)."""
    session = login_with_roles(world.counter, "zhang", PASSWORD)
    session.open_shift(float_fen=50000)
    return Workstation(world.counter, session, approval_factory=Approval)


from uitesting import wait_idle  # noqa: E402,F401  (fixtures below may use it)
