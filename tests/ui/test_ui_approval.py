"""The 监督人's approval dialog."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from uitesting import wait_idle

from counter_app.api import Approval
from counter_app.approval_summary import ApprovalPreview, summarise
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
    dialog.name_edit.setText("wang")  # the maker of the request
    dialog.password_edit.setText("pw")
    dialog.try_accept()
    assert dialog.approval is None and dialog.result() == 0
    assert dialog.problem_label.text() == explain_refusal("SELF_APPROVAL")
    assert "本人" in dialog.problem_label.text()


def test_the_maker_is_shown_by_name_and_refused_by_name_or_login_id(qtbot):
    """Either logs in (issue 14 §2), so either is the maker's own signature; people read the name."""
    named = ApprovalRequest("更正", maker="wang", maker_name="王芳", amount_fen=5000)
    assert dict(named.rows())["经办人"] == "王芳"
    for typed in ("王芳", "wang"):
        dialog = ApprovalDialog(None, named, Approval)
        qtbot.addWidget(dialog)
        dialog.name_edit.setText(typed)
        dialog.password_edit.setText("pw")
        dialog.try_accept()
        assert dialog.approval is None and dialog.problem_label.text() == explain_refusal("SELF_APPROVAL")
    dialog = ApprovalDialog(None, named, Approval)
    qtbot.addWidget(dialog)
    dialog.name_edit.setText("李强")
    dialog.password_edit.setText("pw")
    dialog.try_accept()
    assert dialog.approval is not None and dialog.approval.name == "李强"


def test_returns_the_supervisors_credentials(qtbot):
    dialog = ApprovalDialog(None, request(), Approval)
    qtbot.addWidget(dialog)
    dialog.name_edit.setText("li")
    dialog.password_edit.setText("pw")
    dialog.try_accept()
    assert dialog.approval == Approval(name="li", password="pw")


def test_says_why_a_facade_refusal_happened(qtbot):
    dialog = ApprovalDialog(None, request(), Approval, problem=explain_refusal("APPROVAL_INVALID"))
    qtbot.addWidget(dialog)
    assert "密码错误" in dialog.problem_label.text()


def test_the_facade_refuses_the_makers_own_signature_and_the_dialog_asks_again(
    qtbot, world, ctx, runner, monkeypatch
):
    """GIVEN a sale over an unloaded purchase WHEN the cashier signs the override themselves THEN the
    real facade refuses it (SELF_APPROVAL), the dialog comes back saying why, and li's signature
    lets the sale through."""
    from PySide6.QtCore import Qt
    from uitesting import PASSWORD

    from ui.pages.sale import SalePage

    page = SalePage(ctx)
    qtbot.addWidget(page)
    world.issue_card("D-5-308", ctx.session)
    ctx.session.top_up(account_no="D-5-308", amount_fen=3_000)  # not yet in the meter
    signers = iter(["zhang", "li"])
    problems = []

    def ask(cls, parent, request, factory=None, problem=""):
        problems.append(problem)
        return Approval(name=next(signers), password=PASSWORD)

    monkeypatch.setattr(ApprovalDialog, "ask", classmethod(ask))
    qtbot.keyClick(page.room.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.account is not None)
    page.amount.set_text("50")
    page.confirm_amount()
    qtbot.waitUntil(lambda: page.quote is not None)
    page.override_reason.set_text("电表故障已报修")
    page.override_button.click()
    qtbot.waitUntil(lambda: page.last_sale is not None, timeout=5000)
    assert problems == ["", explain_refusal("SELF_APPROVAL")]
    assert page.last_sale.carried_ckwh > 0


# --- the core's words (issue 14 items 4 and 5) --------------------------------------------------------------

BATCH = {"batch_id": 1, "period": "2026-09", "months": ["2026-09", "2026-10"], "buildings": ["5", "6"],
         "rooms": 125, "total_ckwh": 578_000, "rooms_sha256": "ab" * 32}  # fmt: skip


def _preview(kind, payload):
    from counter_app.approvals import payload_sha256

    return ApprovalPreview(needed=True, kind=kind, payload_sha256=payload_sha256(kind, payload),
                           summary=summarise(kind, payload))  # fmt: skip


def _shown_texts(dialog) -> list[str]:
    return [label.text() for label in dialog.summary_labels]


def test_the_dialog_shows_the_cores_words_for_a_quota_batch_not_a_batch_number(qtbot):
    request = ApprovalRequest.from_preview(_preview("quota.approve_batch", BATCH), "zhang")
    dialog = ApprovalDialog(None, request, Approval)
    qtbot.addWidget(dialog)
    shown = _shown_texts(dialog)
    assert "2026-09" in shown and "5、6" in shown and "125 间" in shown and "5,780.00 kWh" in shown
    assert dict(request.rows())["经办人"] == "zhang"


def test_the_dialog_shows_the_english_words_in_english(qtbot, monkeypatch):
    import ui.approval_dialog as approval_dialog

    monkeypatch.setattr(approval_dialog, "current_language", lambda: "en")
    request = ApprovalRequest.from_preview(_preview("quota.approve_batch", BATCH), "zhang")
    dialog = ApprovalDialog(None, request, Approval)
    qtbot.addWidget(dialog)
    rows = dict(request.rows())
    assert (
        rows["Rooms"] == "125 rooms"
        and rows["Total energy"] == "5,780.00 kWh"
        and rows["Buildings"] == "5, 6"
    )
    assert request.operation == "Free quota batch"


def test_the_credentials_carry_the_digest_of_the_words_shown(qtbot):
    preview = _preview("quota.approve_batch", BATCH)
    dialog = ApprovalDialog(None, ApprovalRequest.from_preview(preview, "zhang"), Approval)
    qtbot.addWidget(dialog)
    dialog.name_edit.setText("li")
    dialog.password_edit.setText("pw")
    dialog.try_accept()
    assert dialog.approval == Approval(name="li", password="pw", shown_sha256=preview.summary.sha256)


def test_the_quota_page_asks_the_core_first_and_the_approval_records_the_words(
    qtbot, world, ctx, runner, monkeypatch
):
    from uitesting import PASSWORD

    from counter_app.approvals import read_summary
    from db.models.security import Approval as ApprovalRow
    from db.session import unit_of_work
    from ui.approval_dialog import with_shown
    from ui.pages.quota import QuotaPage

    draft = ctx.session.prepare_quota_batch(period="2026-11", buildings=["5"])
    page = QuotaPage(ctx)
    qtbot.addWidget(page)
    asked = []

    def ask(cls, parent, request, factory=None, problem=""):
        asked.append(request)
        return with_shown(Approval(name="li", password=PASSWORD), request.shown_sha256)

    monkeypatch.setattr(ApprovalDialog, "ask", classmethod(ask))
    page.approve.fields["batch_id"].set_text(str(draft.batch_id))
    page.approve.submit()
    qtbot.waitUntil(lambda: page.approve.last_result is not None, timeout=5000)
    (request,) = asked
    rows = dict(request.rows())
    assert rows["期间"] == "2026-11" and rows["楼栋"] == "5" and rows["房间数"] == f"{draft.rooms} 间"
    assert rows["送电总量"].endswith(" kWh") and "批次号" in rows
    with unit_of_work(world.counter.engine, read_only=True) as s:
        recorded = read_summary(s.scalars(select(ApprovalRow.summary)).one())
    assert recorded == {**request.summary.to_json(), "shown": True}


def test_a_clear_with_another_rooms_card_is_refused_before_the_supervisor_is_asked(
    qtbot, world, ctx, runner, monkeypatch
):
    from ui.pages.refund import RefundPage

    world.issue_card("D-5-308", ctx.session)  # 5-308's card on the reader
    page = RefundPage(ctx)
    qtbot.addWidget(page)
    asked = []
    monkeypatch.setattr(ApprovalDialog, "ask", classmethod(lambda cls, *a, **k: asked.append(a)))
    form = page.issue_clear
    form.fields["account_no"].set_text("D-5-309")
    form.fields["reason"].set_text("毕业离校")
    form.submit()
    qtbot.waitUntil(lambda: form.result_label.text() != "", timeout=5000)
    wait_idle(qtbot, runner)
    assert asked == []  # the supervisor is never called over for a refusal
    assert "卡属于" in form.result_label.text() and form.button.isEnabled()


def test_a_core_prompt_with_the_cores_words_shows_them(qtbot, monkeypatch):
    from PySide6.QtWidgets import QWidget

    from ui.prompts import QtPrompts

    window = QWidget()
    qtbot.addWidget(window)
    prompts = QtPrompts(window)
    asked = []
    monkeypatch.setattr(
        ApprovalDialog, "ask", classmethod(lambda cls, parent, request, *a: asked.append(request))
    )
    words = summarise("quota.approve_batch", BATCH)
    prompts._on_approval(words)  # the GUI-thread slot the worker's ask_approval signals
    (request,) = asked
    assert request.summary == words and dict(request.rows())["房间数"] == "125 间"


def test_a_retry_keeps_the_name_and_puts_the_focus_in_the_empty_password(qtbot):
    """Issue 14 item 7: after a wrong password the next dialog for the same request has the name
    typed, the password empty and the focus in the password field (never the name field, where a
    password typed next would show in clear)."""
    first = ApprovalDialog(None, request(), Approval)
    qtbot.addWidget(first)
    first.name_edit.setText("li")
    first.password_edit.setText("wrong-password")
    first.try_accept()
    assert first.approval == Approval(name="li", password="wrong-password")

    retry = ApprovalDialog(None, request(), Approval, problem=explain_refusal("APPROVAL_INVALID"))
    qtbot.addWidget(retry)
    retry.show()
    qtbot.waitExposed(retry)
    assert retry.name_edit.text() == "li" and retry.password_edit.text() == ""
    assert retry.focusWidget() is retry.password_edit
    assert "密码错误" in retry.problem_label.text()

    other = ApprovalDialog(None, ApprovalRequest("放行", maker="wang"), Approval, problem="x")
    qtbot.addWidget(other)  # another request: nothing carried over
    assert other.name_edit.text() == "" and other.focusWidget() is other.name_edit


def test_after_the_makers_own_name_the_name_is_asked_again(qtbot):
    first = ApprovalDialog(None, request(), Approval)
    qtbot.addWidget(first)
    first.name_edit.setText("wang")  # the maker: refused up front, the password cleared
    first.password_edit.setText("secret-123")
    first.try_accept()
    assert first.password_edit.text() == "" and first.focusWidget() is first.name_edit
    first.name_edit.setText("wu")
    first.password_edit.setText("secret-123")
    first.try_accept()
    retry = ApprovalDialog(None, request(), Approval, problem=explain_refusal("SELF_APPROVAL"))
    qtbot.addWidget(retry)
    assert retry.name_edit.text() == "" and retry.focusWidget() is retry.name_edit


def test_a_wrong_supervisor_password_on_the_real_facade_is_retried_in_the_password_field(
    qtbot, world, ctx, runner, monkeypatch
):
    """The sale page's override: li's wrong password is refused by the facade (APPROVAL_INVALID); the
    dialog comes back with li's name kept and the focus in the empty password field."""
    from PySide6.QtCore import Qt
    from uitesting import PASSWORD

    from ui.pages.sale import SalePage

    page = SalePage(ctx)
    qtbot.addWidget(page)
    world.issue_card("D-5-308", ctx.session)
    ctx.session.top_up(account_no="D-5-308", amount_fen=3_000)  # not yet in the meter
    seen = []
    passwords = iter(["wrong-password", PASSWORD])

    def exec_(dialog):  # what the supervisor finds, then what they type
        seen.append(
            (
                dialog.name_edit.text(),
                dialog.password_edit.text(),
                dialog.focusWidget() is dialog.password_edit,
            )
        )
        if not dialog.name_edit.text():
            dialog.name_edit.setText("li")
        dialog.password_edit.setText(next(passwords))
        dialog.try_accept()
        return dialog.result()

    monkeypatch.setattr(ApprovalDialog, "exec", exec_)
    qtbot.keyClick(page.room.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.account is not None)
    page.amount.set_text("50")
    page.confirm_amount()
    qtbot.waitUntil(lambda: page.quote is not None)
    page.override_reason.set_text("电表故障已报修")
    page.override_button.click()
    qtbot.waitUntil(lambda: page.last_sale is not None, timeout=5000)
    assert len(seen) == 2
    assert seen[0] == ("", "", False)  # the first time: nothing typed, the focus in the name field
    assert seen[1] == ("li", "", True)  # the retry: li kept, the password empty and focused
