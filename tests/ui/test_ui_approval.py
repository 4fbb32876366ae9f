"""The 监督人's approval dialog."""

from __future__ import annotations

import pytest
from fake_counter import Approval

from ui.approval_dialog import ApprovalDialog, ApprovalRequest, explain_refusal

pytestmark = pytest.mark.gui


def request():
    return ApprovalRequest(
        "更正", maker="wang", account="5-308", amount_fen=5000, energy_ckwh=8499, reason="房间号输错"
    )


def test_shows_exactly_what_is_approved(qtbot):
    dialog = ApprovalDialog(None, request(), Approval)
    qtbot.addWidget(dialog)
    rows = dict(request().rows())
    assert rows["操作"] == "更正" and rows["账户"] == "5-308"
    assert rows["金额"] == "￥50.00" and rows["电量"] == "84.99 kWh" and rows["原因"] == "房间号输错"


def test_refuses_the_makers_own_name_up_front(qtbot):
    dialog = ApprovalDialog(None, request(), Approval)
    qtbot.addWidget(dialog)
    dialog.name_edit.setText("wang")
    dialog.password_edit.setText("pw")
    dialog.try_accept()
    assert dialog.approval is None and dialog.result() == 0
    assert dialog.problem_label.text() == explain_refusal("SELF_APPROVAL")
    assert "本人" in dialog.problem_label.text()


def test_returns_the_supervisors_credentials(qtbot):
    dialog = ApprovalDialog(None, request(), Approval)
    qtbot.addWidget(dialog)
    dialog.name_edit.setText("li")
    dialog.password_edit.setText("pw")
    dialog.try_accept()
    assert dialog.approval == Approval("li", "pw")


def test_says_why_a_facade_refusal_happened(qtbot):
    dialog = ApprovalDialog(None, request(), Approval, problem=explain_refusal("APPROVAL_INVALID"))
    qtbot.addWidget(dialog)
    assert "密码错误" in dialog.problem_label.text()
