"""部门事务 (ui/pages/duties.py) on the real facade: a cashier logs a call, the assistant sees it
open on the page, answers it; the assistant records a half-month check and the month's halves show
it; the receivables import checks before it writes; posts held are listed."""

from __future__ import annotations

from datetime import date

import pytest
from uitesting import PASSWORD, wait_idle

from counter_app.api import Approval
from ui.context import Workstation
from ui.facade import login_with_roles
from ui.pages.duties import DutiesPage

pytestmark = pytest.mark.gui


def page_for(qtbot, world, name: str) -> DutiesPage:
    session = login_with_roles(world.counter, name, PASSWORD)
    page = DutiesPage(Workstation(world.counter, session, approval_factory=Approval))
    qtbot.addWidget(page)
    return page


def fill(form, **texts: str) -> None:
    for name, text in texts.items():
        form.fields[name].set_text(text)


def test_the_visitor_log_from_the_counter_to_the_assistant_and_back(qtbot, world, runner):
    cashier = page_for(qtbot, world, "zhang")
    assert not hasattr(cashier, "check_form") and not hasattr(cashier, "import_form")  # the assistant's
    fill(cashier.log_form, caller="李同学", room_code="5-308", question="电表不走字")
    cashier.log_form.submit()
    wait_idle(qtbot, runner)
    assert "待处理" in cashier.log_form.result_label.text() and cashier.visitors.rowCount() == 1
    entry = cashier.visitors.row(0).entry_id
    fill(cashier.step_form, entry_id=str(entry), text="wang")
    cashier.step_form.submit()  # first choice: escalate to the assistant
    wait_idle(qtbot, runner)
    assistant = page_for(qtbot, world, "wang")
    assistant.activated()
    wait_idle(qtbot, runner)
    assert assistant.visitors.rowCount() == 1 and "1" in assistant.status.text()
    step = assistant.step_form
    step.choices["action"].setCurrentIndex(step.choices["action"].findData("answer"))
    fill(step, entry_id=str(entry), text="明天派电工上门")
    step.submit()
    wait_idle(qtbot, runner)
    assert assistant.visitors.row(0).answer == "明天派电工上门"


def test_the_assistant_records_a_check_and_sees_the_halves(qtbot, world, runner, tmp_path):
    page = page_for(qtbot, world, "wang")
    fill(page.check_form, covers_from="2026-11-01", covers_to="2026-11-15", findings="票款一致")
    page.check_form.submit()
    wait_idle(qtbot, runner)
    assert "已记录检查" in page.check_form.result_label.text()
    assert [page.halves.row(i).checked for i in range(page.halves.rowCount())] == [True, False]
    assert page.terms.rowCount() >= 5  # the posts held, from the role grants
    path = tmp_path / "list.csv"
    path.write_text("通知单号,类别,缴费人,金额（元）\nJC-1,交费,超市,12.5\nJC-2,电费,x,1\n", encoding="utf-8")
    fill(page.import_form, path=str(path), department="能源稽查科")
    page.import_form.submit()
    wait_idle(qtbot, runner)
    assert "第 3 行" in page.import_form.result_label.text()
    assert world.login("wang").collection_checks(start=date(2026, 11, 1), end=date(2026, 11, 15))[0].checked
