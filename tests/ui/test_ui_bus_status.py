"""总线状态 page (issue 17 §5) on the real facade and the simulated bus over a socket: the buses with
their port and answered count, the chosen bus's meters, a round now with its progress, the keys."""

from __future__ import annotations

import pytest
from opstesting import PASSWORD
from PySide6.QtCore import Qt
from uitesting import wait_idle

from counter_app.api import Approval
from hardware.sim.meter_bus import SimMeterBus
from ui.context import Workstation
from ui.facade import login_with_roles
from ui.pages.bus_status import BusStatusPage

LIVE, SILENT = "D-5-308", "D-5-309"


def set_setting(world, key, value) -> None:
    world.login("admin").set_setting(key, value, approval=world.approval("li"))


@pytest.fixture
def bus(world):
    sim = SimMeterBus("modbus", clock=world.clock)
    sim.add_meter("7", energy_ckwh=12_345)
    sim.add_meter("9", energy_ckwh=10)
    sim.set_fault("9", mute=True)
    set_setting(world, "meter_bus.ports", {"dorm-5": sim.url})
    zhao = world.login("zhao")
    for account, address in ((LIVE, "7"), (SILENT, "9")):
        zhao.set_metering(
            account_no=account, mode="networked", bus="dorm-5", address=address, protocol="modbus"
        )
    yield sim
    sim.close()


def texts(model, column: int) -> list[str]:
    return [model.data(model.index(r, column)) for r in range(model.rowCount())]


def test_the_buses_their_meters_and_a_round_now(qtbot, ctx, runner, bus):
    page = BusStatusPage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.activated()
    qtbot.waitUntil(lambda: page.buses.rowCount() == 1, timeout=5000)
    wait_idle(qtbot, runner)
    assert texts(page.buses, 0) == ["dorm-5"] and texts(page.buses, 1) == [bus.url]
    assert texts(page.buses, 4) == ["0/2"]  # never read yet
    assert sorted(texts(page.meters, 1)) == [LIVE, SILENT] and set(texts(page.meters, 6)) == {"未抄过"}
    qtbot.keyClick(page.read_all_button, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: "应答 1，无应答 1" in page.status.text(), timeout=10000)
    wait_idle(qtbot, runner)
    qtbot.waitUntil(lambda: texts(page.buses, 4) == ["1/2"], timeout=5000)
    assert page.read_all_button.isEnabled() and page.progress.isHidden()
    meters = {page.meters.row(r).account_no: r for r in range(page.meters.rowCount())}
    assert page.meters.data(page.meters.index(meters[LIVE], 3)) == "123.45"
    assert page.meters.data(page.meters.index(meters[LIVE], 5)) == "闭合（通电）"
    silent = page.meters.data(page.meters.index(meters[SILENT], 6))
    assert silent.startswith("无应答，自 ") and silent.endswith(" 起")  # since when: a moment shown
    assert "定时抄表" in page.polling.text()


def test_a_login_starts_the_rounds_and_the_page_says_so(qtbot, world, runner, bus):
    session = login_with_roles(world.counter, "zhang", PASSWORD)
    state = session.start_meter_polling()
    assert state.buses == ("dorm-5",)
    page = BusStatusPage(Workstation(world.counter, session, approval_factory=Approval))
    qtbot.addWidget(page)
    page.activated()
    qtbot.waitUntil(lambda: "dorm-5" in page.polling.text(), timeout=5000)
    qtbot.waitUntil(lambda: texts(page.buses, 5) == ["运行中"], timeout=5000)
    session.logout()
    assert not world.counter.meter_polling.state().running
