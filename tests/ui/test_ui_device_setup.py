"""本机设备设置 on the 设备诊断 page: it lists what is connected, tests the picked reader and
printer through the facade on the worker, and only the administrator saves (to this PC's file)."""

from __future__ import annotations

import pytest
from uitesting import PASSWORD

from counter_app.api import Approval
from hardware.discovery import Found
from ui.context import Workstation
from ui.facade import login_with_roles
from ui.pages.device_setup import chosen_url
from ui.pages.diagnostics import DiagnosticsPage

pytestmark = pytest.mark.gui


@pytest.fixture
def local_file(tmp_path, monkeypatch):
    path = tmp_path / "cfg" / "devices.json"
    monkeypatch.setenv("COUNTER_LOCAL_CONFIG", str(path))
    return path


def _page(qtbot, world, name: str, monkeypatch) -> DiagnosticsPage:
    found = [Found("serial", world.sim.printer_url, "模拟打印机", ""),
             Found("cardhost", world.sim.reader_url, "SIM reader", "读卡器库经读卡主机"),
             Found("problem", "", "未安装 PC/SC 支持", "pip install 'counter[pcsc]'")]  # fmt: skip
    monkeypatch.setattr("counter_app.device_setup.discover", lambda: found)
    session = login_with_roles(world.counter, name, PASSWORD)
    page = DiagnosticsPage(Workstation(world.counter, session, approval_factory=Approval))
    qtbot.addWidget(page)
    page.show()
    page.activated()
    qtbot.waitUntil(lambda: "找到" in page.setup.output.text())
    return page


def _pick(combo, url: str) -> None:
    combo.setCurrentIndex(combo.findData(url))


def test_lists_tests_and_saves_as_administrator(qtbot, world, runner, local_file, monkeypatch):
    page = _page(qtbot, world, "admin", monkeypatch)
    box = page.setup
    assert "未安装 PC/SC 支持" in box.output.text()  # a missing library is a line, not a traceback
    _pick(box.reader, world.sim.reader_url)
    _pick(box.printer, world.sim.printer_url)
    assert chosen_url(box.reader) == world.sim.reader_url
    serial = world.issue_card("D-5-308")
    box.test_read()
    qtbot.waitUntil(lambda: serial in box.output.text())
    box.test_print()
    qtbot.waitUntil(lambda: "测试页已发送" in box.output.text())
    assert "TEST PRINT" in world.sim.printed()[-1]
    assert box.save_button.isEnabled()
    box.save()
    qtbot.waitUntil(local_file.exists)
    assert world.counter.saved_device_choice().reader_url == world.sim.reader_url


def test_a_cashier_may_test_but_not_save(qtbot, world, runner, local_file, monkeypatch):
    box = _page(qtbot, world, "zhang", monkeypatch).setup
    assert not box.save_button.isEnabled() and "管理员" in box.save_button.toolTip()


def test_the_saved_choice_is_shown_even_when_not_connected(qtbot, world, runner, local_file, monkeypatch):
    world.counter.save_device_choice(reader_url="pcsc://ACS%20ACR39U", printer_url=None)
    box = _page(qtbot, world, "admin", monkeypatch).setup
    assert chosen_url(box.reader) == "pcsc://ACS%20ACR39U" and "现在未找到" in box.reader.currentText()
    assert chosen_url(box.printer) == ""
