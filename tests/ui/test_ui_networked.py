"""远程抄表 page (issue 17) on the real facade and the simulated bus over a socket: the room's
metering and balance, a manual read, and a trip co-signed by the 监督人 with the core's words."""

from __future__ import annotations

import pytest
from opstesting import PASSWORD
from uitesting import wait_idle

from counter_app.api import Approval
from hardware.sim.meter_bus import SimMeterBus
from ui.approval_dialog import ApprovalDialog
from ui.pages.networked import NetworkedPage

DORM = "D-5-308"


def set_setting(world, key, value) -> None:
    world.login("admin").set_setting(key, value, approval=world.approval("li"))


@pytest.fixture
def bus(world):
    sim = SimMeterBus("modbus", clock=world.clock)
    sim.add_meter("7", energy_ckwh=12_345)
    set_setting(world, "meter_bus.ports", {"dorm-5": sim.url})
    world.login("zhao").set_metering(account_no=DORM, mode="networked", bus="dorm-5", address="7",
                                     protocol="modbus")  # fmt: skip
    yield sim
    sim.close()


def test_read_and_trip_a_networked_room(qtbot, ctx, runner, bus, monkeypatch):
    page = NetworkedPage(ctx)
    qtbot.addWidget(page)
    page.account_edit.setText(DORM)
    page.refresh()
    qtbot.waitUntil(lambda: "dorm-5" in page.summary.text(), timeout=5000)
    page.read_now()
    qtbot.waitUntil(lambda: "123.45" in page.status.text(), timeout=5000)
    wait_idle(qtbot, runner)
    qtbot.waitUntil(lambda: page.readings.rowCount() == 1, timeout=5000)
    shown = []

    def ask(cls, parent, request, factory=None, problem=""):
        shown.append(dict(request.rows()))
        return Approval(name="li", password=PASSWORD)

    monkeypatch.setattr(ApprovalDialog, "ask", classmethod(ask))
    page.switch_form.fields["reason"].set_text("欠费")
    page.switch_form.submit()
    qtbot.waitUntil(lambda: "已执行" in page.switch_form.result_label.text(), timeout=5000)
    wait_idle(qtbot, runner)
    assert shown and shown[0]["房间"] == "5-308" and "拉闸" in shown[0]["命令"] and shown[0]["原因"] == "欠费"
    assert bus.meter("7").relay_closed is False
    qtbot.waitUntil(lambda: page.switches.rowCount() == 1, timeout=5000)


def test_software_control_begun_and_ended_from_the_page(qtbot, ctx, runner, bus, monkeypatch, world):
    """开始 / 结束软件控制 through the page's forms, each co-signed with the core's words; the periods
    list shows the ended period with its energy and back-charge notice."""
    signed = []

    def ask(cls, parent, request, factory=None, problem=""):
        signed.append(dict(request.rows()))
        return Approval(name="li", password=PASSWORD)

    monkeypatch.setattr(ApprovalDialog, "ask", classmethod(ask))
    page = NetworkedPage(ctx)
    qtbot.addWidget(page)
    page.account_edit.setText(DORM)
    page.read_now()
    qtbot.waitUntil(lambda: "123.45" in page.status.text(), timeout=5000)
    wait_idle(qtbot, runner)
    page.begin_form.fields["reason"].set_text("中卫机故障")
    page.begin_form.submit()
    qtbot.waitUntil(lambda: "已开始" in page.begin_form.result_label.text(), timeout=5000)
    wait_idle(qtbot, runner)
    qtbot.waitUntil(lambda: page.periods.rowCount() == 1, timeout=5000)
    assert signed[-1]["原因"] == "中卫机故障"
    bus.meter("7").energy_ckwh += 1_000
    page.read_now()
    wait_idle(qtbot, runner)
    page.end_form.fields["reason"].set_text("中卫机修复")
    page.end_form.submit()
    qtbot.waitUntil(lambda: "补交电费" in page.end_form.result_label.text(), timeout=5000)
    wait_idle(qtbot, runner)
    assert "10.00" in page.end_form.result_label.text() and "5.88" in page.end_form.result_label.text()
    [period] = world.login("zhang").software_control_periods(account_no=DORM)
    assert (period.energy_ckwh, period.shortfall_fen, period.notice_no is not None) == (1_000, 588, True)
    qtbot.waitUntil(lambda: page.periods.index(0, 6).data() == period.notice_no, timeout=5000)
