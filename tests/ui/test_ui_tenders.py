"""对账 page and the deposit that differs, on the real facade: the statement checked (differences
listed, nothing written), recorded with a 监督人's co-signature and listed frozen; a 100-yuan slip
against 60 yuan of shift cash asks for the reason and the co-signature."""

from __future__ import annotations

import pytest
from uitesting import PASSWORD, wait_idle

from counter_app.api import Approval
from ui.approval_dialog import ApprovalDialog
from ui.context import Workstation
from ui.facade import login_with_roles
from ui.pages.deposits import DepositsPage
from ui.pages.tenders import TendersPage

pytestmark = pytest.mark.gui

WECHAT_CSV = """交易时间,微信订单号,商户订单号,交易状态,应结订单金额,退款金额
`2026-11-23 09:10:00,`WX-1,`o1,`SUCCESS,`20.00,`0.00
`2026-11-23 09:30:00,`WX-9,`o9,`SUCCESS,`5.00,`0.00
"""


def page_for(qtbot, world, name: str, cls):
    session = login_with_roles(world.counter, name, PASSWORD)
    page = cls(Workstation(world.counter, session, approval_factory=Approval))
    qtbot.addWidget(page)
    return page


def co_signed_by_li(monkeypatch) -> list[dict]:
    requests: list[dict] = []

    def ask(cls, parent, request, factory=None, problem=""):
        requests.append(dict(request.rows()))
        return Approval(name="li", password=PASSWORD)

    monkeypatch.setattr(ApprovalDialog, "ask", classmethod(ask))
    return requests


def test_a_slip_that_differs_asks_for_the_reason_then_the_co_signature(
    qtbot, world, ctx, runner, monkeypatch
):
    world.issue_card("D-5-308", ctx.session)
    ctx.session.top_up(account_no="D-5-308", amount_fen=6_000, tendered_fen=6_000)
    ctx.session.close_shift(counted={10000: 5, 1000: 6})
    requests = co_signed_by_li(monkeypatch)
    page = page_for(qtbot, world, "wang", DepositsPage)
    form = page.form
    for name, text in (("slip_no", "XJ-1"), ("bank", "工行"), ("amount_fen", "100"), ("shift_ids", "1"),
                       ("stamped_on", world.clock().date().isoformat())):  # fmt: skip
        form.fields[name].set_text(text)
    form.submit()
    wait_idle(qtbot, runner)
    assert "原因" in form.fields["difference_reason"].error.text() or "原因" in form.result_label.text()
    form.fields["difference_reason"].set_text("含备用金")
    form.submit()
    wait_idle(qtbot, runner)
    assert "已登记 XJ-1" in form.result_label.text() and "差额 ￥40.00" in form.result_label.text()
    assert requests and requests[-1]["差额"] == "￥40.00"  # the supervisor read the core's words


def test_statement_checked_then_recorded_co_signed_and_listed(
    qtbot, world, ctx, runner, monkeypatch, tmp_path
):
    world.issue_card("D-5-309", ctx.session)
    ctx.session.top_up(account_no="D-5-309", amount_fen=2_000, tender="wechat", reference="WX-1")
    path = tmp_path / "wechat.csv"
    path.write_text(WECHAT_CSV, encoding="utf-8")
    co_signed_by_li(monkeypatch)
    page = page_for(qtbot, world, "qian", TendersPage)
    page.activated()
    wait_idle(qtbot, runner)
    day = world.clock().date().isoformat()
    for name, text in (("period_from", day), ("period_to", day), ("path", str(path))):
        page.check.fields[name].set_text(text)
    page.check.submit()
    wait_idle(qtbot, runner)
    assert "相符 1，差异 1" in page.check.result_label.text() and page.differences.rowCount() == 1
    assert page.matches.rowCount() == 0  # checked, nothing written
    page.record.submit()
    wait_idle(qtbot, runner)
    assert "已记录并冻结：WX-" in page.record.result_label.text()
    qtbot.waitUntil(lambda: page.matches.rowCount() == 1, timeout=5000)
