"""月度检查 on the real facade: the month filled in, readings imported through the file dialog, the
loss check with its drill-down, the abnormal accounts, the four-party sign-off co-signed and frozen."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QFileDialog
from uitesting import PASSWORD, wait_idle

from counter_app.api import Approval
from ui.approval_dialog import ApprovalDialog
from ui.context import Workstation
from ui.facade import login_with_roles
from ui.main_window import visible_keys
from ui.pages.monthly_checks import MonthlyChecksPage

pytestmark = pytest.mark.gui
READINGS = "楼栋,表类型,表号,上次读数,本次读数\n5,总表,T5,0,1200\n5,分表,M5308,0,100\n5,分表,M5309,0,1000\n"


def cells(model) -> list[list[str]]:
    return [
        [model.data(model.index(r, c)) for c in range(model.columnCount())] for r in range(model.rowCount())
    ]


def test_the_page_is_for_the_assistant_the_head_and_finance_not_for_sellers():
    assert all("monthly" in visible_keys(role) for role in ("assistant", "head", "finance"))
    assert "monthly" not in visible_keys("cashier") and "monthly" not in visible_keys("admin")


def test_import_drill_down_and_sign_off(qtbot, world, runner, tmp_path, monkeypatch):
    session = login_with_roles(world.counter, "wang", PASSWORD)
    page = MonthlyChecksPage(Workstation(world.counter, session, approval_factory=Approval))
    qtbot.addWidget(page)
    page.activated()
    qtbot.waitUntil(lambda: page.period_edit.text() != "")
    assert page.period_edit.text() == "2026-10"  # the month that ended last
    page.period_edit.setText("2026-11")
    path = tmp_path / "抄表.csv"
    path.write_text(READINGS, encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), "")))
    page._import("readings")
    qtbot.waitUntil(lambda: "已导入 3 行" in page.status.text(), timeout=5000)
    wait_idle(qtbot, runner)
    assert cells(page.loss) == [["5", "1200.00", "1100.00", "100.00", "8.33%", "是"]]
    page._drill_down(page.loss.index(0, 0))
    wait_idle(qtbot, runner)
    assert [row[1:3] for row in cells(page.meters)] == [["T5", ""], ["M5308", "5-308"], ["M5309", "5-309"]]
    assert {row[2] for row in cells(page.abnormal)} == {"D-5-308", "D-5-309"}  # never bought, occupied
    assert "未签字" in page.signed.text()
    monkeypatch.setattr(
        ApprovalDialog, "ask", classmethod(lambda cls, *a, **k: Approval(name="li", password=PASSWORD))
    )
    page.sign.submit()
    wait_idle(qtbot, runner)
    assert "已签字冻结" in page.sign.result_label.text(), page.sign.result_label.text()
    page.refresh()
    wait_idle(qtbot, runner)
    assert "已签字冻结" in page.signed.text() and not page.sign.isEnabled()
