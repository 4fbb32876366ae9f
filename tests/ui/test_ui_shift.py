"""The blind close on the shift page (issue 14 §9): count first, commit, then the difference; a
reason after the count is committed, which cannot change it; 结班 only after a confirmation."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from db.models import ShiftClosure
from db.models.settlement import ShiftCount
from db.session import unit_of_work
from ui.pages import shift as shift_module
from ui.pages.shift import ShiftPage

pytestmark = pytest.mark.gui


@pytest.fixture
def asked(monkeypatch):
    """The confirmation dialogs, answered from a list (True = 是); each question is recorded."""
    answers: list[bool] = []
    questions: list[str] = []

    def confirm(parent, text):
        questions.append(text)
        return answers.pop(0)

    monkeypatch.setattr(shift_module, "confirm", confirm)
    return answers, questions


@pytest.fixture
def page(qtbot, ctx, world):
    world.issue_card("D-5-308", ctx.session)
    ctx.session.top_up(account_no="D-5-308", amount_fen=10_000)  # float 500 + 100 cash: 600 expected
    page = ShiftPage(ctx)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    return page


def db_rows(world, model):
    with unit_of_work(world.counter.engine, read_only=True) as s:
        found = list(s.scalars(select(model)))
        s.expunge_all()
        return found


def texts(page) -> str:
    from PySide6.QtWidgets import QLabel

    return " ".join(label.text() for label in page.findChildren(QLabel) if label.isVisible())


def test_nothing_expected_shows_before_the_count_is_committed(qtbot, page, world, runner, asked):
    answers, questions = asked
    page.counts[10000].setValue(5)  # 500: short by 100
    assert "应有" not in texts(page) and "短款" not in texts(page) and "600.00" not in texts(page)
    assert page.difference_box.isHidden() and not page.close_button.isVisible()

    answers.append(False)  # 否: nothing is committed
    page.declare()
    assert "不能更改" in questions[-1] and "￥500.00" in questions[-1]
    assert db_rows(world, ShiftCount) == [] and page.declared is None

    answers.append(True)
    page.declare()
    qtbot.waitUntil(lambda: page.declared is not None, timeout=5000)
    (count,) = db_rows(world, ShiftCount)
    assert count.counted_fen == 50_000  # committed before the difference is shown
    assert "应有 ￥600.00" in page.comparison.text() and "短款 ￥100.00" in page.comparison.text()
    assert all(not spin.isEnabled() for spin in page.counts.values())  # the count is locked
    assert page.declare_button.isHidden() and page.reason.isVisible()


def test_a_reason_then_the_supervisor_then_a_confirmed_close(qtbot, page, world, runner, asked, monkeypatch):
    from counter_app.api import Approval
    from ui.approval_dialog import ApprovalDialog

    answers, questions = asked
    page.counts[10000].setValue(5)
    answers.append(True)
    page.declare()
    qtbot.waitUntil(lambda: page.declared is not None, timeout=5000)

    page.close_shift()  # no reason yet: refused next to the field, no question asked
    assert "短款" in page.reason.error.text() and len(questions) == 1

    page.reason.set_text("找零多找")
    answers.append(False)  # 否 to 结班: nothing happens
    page.close_shift()
    assert "锁定" in questions[-1] and db_rows(world, ShiftClosure) == []

    signed = []
    monkeypatch.setattr(
        ApprovalDialog, "ask",
        classmethod(lambda cls, parent, request, factory=None, problem="": signed.append(request)
                    or Approval(name="li", password=world.approval().password)),
    )  # fmt: skip
    answers.append(True)
    page.close_shift()
    qtbot.waitUntil(lambda: "交账单" in page.result.text(), timeout=10_000)
    # The supervisor reads the core's words for the payload the approval binds, not UI-built text
    shown = dict(signed[0].rows())
    assert signed[0].summary is not None and signed[0].shown_sha256 == signed[0].summary.sha256
    assert (shown["差额"], shown["原因"], shown["应有现金"]) == ("￥100.00 短款", "找零多找", "￥600.00")
    assert shown["经办人"] == page.ctx.operator_name
    (closure,) = db_rows(world, ShiftClosure)
    assert (closure.counted_fen, closure.difference_fen, closure.difference_reason) == (
        50_000,
        -10_000,
        "找零多找",
    )
    assert len(questions) == 3  # the count, the refused close, the close: the approval retry asks no more


def test_back_on_the_page_a_committed_count_stays_committed(qtbot, ctx, world, runner, asked):
    world.issue_card("D-5-308", ctx.session)
    ctx.session.declare_count(counted={10000: 5})  # committed before the window was rebuilt
    page = ShiftPage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.activated()
    qtbot.waitUntil(lambda: page.declared is not None, timeout=5000)
    assert page.counts[10000].value() == 5 and not page.counts[10000].isEnabled()
    assert "无差额" in page.comparison.text() and page.reason.isHidden()


def test_the_x_tab_writes_the_open_shifts_sales_register(qtbot, page, runner, tmp_path, monkeypatch):
    import subprocess

    from ui import register_export

    target = tmp_path / "register.pdf"
    monkeypatch.setattr(register_export, "ask_register_path", lambda parent, suggested: (str(target), "pdf"))
    page.tabs.setCurrentIndex(1)
    page.register_button.click()
    qtbot.waitUntil(lambda: "已保存" in page.x_label.text(), timeout=10_000)
    out = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True, check=True).stdout
    assert "售电登记表" in out and "100.00" in out and "5-308" in out
    assert page.register_button.text() == "售电登记表"
