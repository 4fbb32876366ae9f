"""The refund page's paper (issue 14 screens): a broken meter's refund signed by two different
监督人 on the core's words, its A4 退费审批单 saved as PDF, and the graduation clearance slip."""

from __future__ import annotations

import subprocess

import pytest
from uitesting import wait_idle

from counter_app.api import Approval
from ui.pages.refund import RefundPage
from ui.pages.refund_docs import RefundDocs

pytestmark = pytest.mark.gui


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip


@pytest.fixture
def page(qtbot, ctx):
    page = RefundPage(ctx)
    qtbot.addWidget(page)
    page.show()
    return page


def _fill(form, **values: str) -> None:
    for name, value in values.items():
        form.fields[name].set_text(value)


def test_a_broken_meter_refund_needs_two_different_supervisors_then_its_a4_form_saves(
    qtbot, page, world, ctx, runner, monkeypatch, tmp_path
):
    world.issue_card("D-5-308", ctx.session)
    ctx.session.top_up(account_no="D-5-308", amount_fen=10_000, tendered_fen=10_000)
    asked, signers = [], iter(["li", "li", "wang"])  # the first one's name twice: asked again
    monkeypatch.setattr(
        "ui.pages.form.ApprovalDialog.ask",
        classmethod(lambda cls, parent, request, factory=None, problem="": asked.append((request, problem))
                    or Approval(name=next(signers), password=world.approval().password)),
    )  # fmt: skip
    assert not page.form_pdf.isEnabled()
    form = page.broken_meter
    _fill(form, account_no="5-308", manual_reading_ckwh="100", reason="电表黑屏", payee_name="张敏",
          payee_id="2023001")  # fmt: skip
    form.submit()
    wait_idle(qtbot, runner)
    assert form.last_result is not None, form.result_label.text()
    assert len(asked) == 3 and asked[0][0] == asked[1][0] == asked[2][0]  # the same words, three asks
    assert asked[0][0].summary is not None and "第二位" in asked[1][1] and "li" in asked[2][1]
    form_no = form.last_result.form_no
    assert form_no in form.result_label.text() and page.form_pdf.isEnabled()

    target = tmp_path / "form.pdf"
    monkeypatch.setattr(RefundDocs, "ask_path", staticmethod(lambda parent, title, suggested: str(target)))
    page.form_pdf.click()
    wait_idle(qtbot, runner)
    text = pdf_text(target)
    assert "退费审批单" in text and form_no in text and "手工抄表" in text and "张敏" in text
    assert str(target) in page.form_pdf.result.text()


def test_the_clearance_tab_lists_what_stands_in_the_way_or_saves_the_slip(
    qtbot, page, world, ctx, runner, monkeypatch, tmp_path
):
    world.issue_card("D-5-308", ctx.session)
    ctx.session.top_up(account_no="D-5-308", amount_fen=5_000, tendered_fen=5_000)
    tab = page.clearance
    tab.account.set_text("5-308")
    tab.check()
    wait_idle(qtbot, runner)
    assert "尚未结清" in tab.result.text() and "退电" in tab.result.text() and not tab.save_button.isEnabled()

    tab.account.set_text("D-5-309")  # never bought, nothing owed
    tab.check()
    wait_idle(qtbot, runner)
    assert "已结清" in tab.result.text() and tab.save_button.isEnabled()
    target = tmp_path / "slip.pdf"
    monkeypatch.setattr(RefundDocs, "ask_path", staticmethod(lambda parent, title, suggested: str(target)))
    tab.save()
    wait_idle(qtbot, runner)
    text = pdf_text(target)
    assert "电费已结清" in text and "D-5-309" in text
