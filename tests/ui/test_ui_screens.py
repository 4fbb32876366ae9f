"""The screens issue 14 asked for: 验票 (receipt check), the account detail, the backup warning."""

from __future__ import annotations

from datetime import UTC

import pytest
from PySide6.QtCore import Qt
from uitesting import PASSWORD, wait_idle

from counter_app.api import Approval
from ui.context import Workstation
from ui.facade import login_with_roles
from ui.main_window import MainWindow
from ui.pages.verify import FORGED_STYLE, GENUINE_STYLE, VOIDED_STYLE, VerifyPage

pytestmark = pytest.mark.gui


def _qr_of_last_receipt(world) -> str:
    printed = "\n".join(world.sim.printed())
    return [line[5:] for line in printed.splitlines() if line.startswith("[QR] ")][-1]


@pytest.fixture
def sold(world, ctx):
    """A real sale of ¥100 on the test world: its receipt's QR as the printer printed it."""
    world.issue_card("D-5-308", ctx.session)
    ctx.session.top_up(account_no="D-5-308", amount_fen=10_000, tendered_fen=10_000)
    world.counter.wait_for_printing()
    return _qr_of_last_receipt(world)


@pytest.fixture
def verify_page(qtbot, ctx):
    page = VerifyPage(ctx)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    page.activated()
    return page


def _scan(qtbot, page, text: str) -> None:
    """What a USB scanner does: type the text into the focused field, then Enter."""
    assert page.field.edit.hasFocus()
    page.field.edit.insert(text)
    qtbot.keyClick(page.field.edit, Qt.Key.Key_Return)


def test_a_real_receipt_scans_as_genuine_with_its_data_in_beijing_time(qtbot, verify_page, sold, runner):
    _scan(qtbot, verify_page, sold)
    wait_idle(qtbot, runner)
    page = verify_page
    assert page.check is not None and page.check.genuine
    assert "真票" in page.verdict.text() and page.verdict.styleSheet() == GENUINE_STYLE
    values = [v.text() for v in page.values]
    assert values[0] == "W01" and values[1] == "W01-00000001" and values[2] == "¥100.00"
    stamp = sold.split("|")[4]  # 20261123T152000+0800: the QR carries Beijing time
    assert values[3] == f"{stamp[:4]}-{stamp[4:6]}-{stamp[6:8]} {stamp[9:11]}:{stamp[11:13]}:{stamp[13:15]}"
    # ready for the next scan: empty field with the focus, the answer still shown
    assert page.field.edit.text() == "" and page.field.edit.hasFocus() and page.verdict.isVisible()


def test_a_voided_sales_receipt_scans_genuine_but_voided_in_its_own_colour(
    qtbot, verify_page, sold, runner, world, ctx
):
    receipt_no = sold.split("|")[2]
    ctx.session.correct(receipt_no=receipt_no, reason="多输了", amount_fen=5_000, approval=world.approval("li"))
    _scan(qtbot, verify_page, sold)
    wait_idle(qtbot, runner)
    page = verify_page
    assert page.check.genuine and page.check.standing == "voided"
    assert "已作废" in page.verdict.text() and page.verdict.styleSheet() == VOIDED_STYLE
    assert "不能据此退费" in page.hint.text()


def test_a_tampered_amount_is_not_genuine_but_shows_what_it_claims(qtbot, verify_page, sold, runner):
    parts = sold.split("|")
    parts[3] = "100000"  # ¥100 → ¥1,000, signature kept
    _scan(qtbot, verify_page, "|".join(parts))
    wait_idle(qtbot, runner)
    page = verify_page
    assert not page.check.genuine
    assert "不是真票" in page.verdict.text() and page.verdict.styleSheet() == FORGED_STYLE
    assert page.values[2].text() == "¥1000.00" and "改动或伪造" in page.hint.text()


def test_garbage_is_not_genuine_and_esc_clears(qtbot, verify_page, runner):
    _scan(qtbot, verify_page, "hello world")
    wait_idle(qtbot, runner)
    page = verify_page
    assert not page.check.genuine and page.values[1].text() == "—" and "不是本系统凭条" in page.hint.text()
    qtbot.keyClick(page.field.edit, Qt.Key.Key_Escape)
    assert page.check is None and page.verdict.isHidden() and page.details.isHidden()
    assert page.field.edit.hasFocus()


def test_the_result_stays_until_the_next_scan_replaces_it(qtbot, verify_page, sold, runner):
    parts = sold.split("|")
    parts[2] = "W01-00000002"
    _scan(qtbot, verify_page, "|".join(parts))
    wait_idle(qtbot, runner)
    assert not verify_page.check.genuine
    _scan(qtbot, verify_page, sold)
    wait_idle(qtbot, runner)
    assert verify_page.check.genuine and "真票" in verify_page.verdict.text()


# --- the account detail ------------------------------------------------------------------------------


def test_double_click_on_a_search_hit_opens_the_detail_with_the_sale(qtbot, ctx, world, runner, sold):
    from ui.pages.account_detail import AccountDetailDialog
    from ui.pages.accounts import AccountsPage

    page = AccountsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    page.query.set_text("5-308")
    page.run_search()
    qtbot.waitUntil(lambda: page.model.rowCount() >= 1)
    row = next(i for i in range(page.model.rowCount()) if page.model.row(i).account_no == "D-5-308")
    index = page.model.index(row, 0)
    rect = page.table.visualRect(index)
    # a person's double-click: press/release, then the second press as a double-click (QTest's
    # mouseDClick alone sends no first press, and an item view opens only the item pressed)
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(
        lambda: isinstance(getattr(page, "detail", None), AccountDetailDialog) and page.detail.isVisible()
    )
    dialog = page.detail
    purchases = dialog.models["purchases"]
    receipts = [purchases.row(i).receipt_no for i in range(purchases.rowCount())]
    assert "W01-00000001" in receipts
    first = receipts.index("W01-00000001")
    shown = [purchases.data(purchases.index(first, c)) for c in range(purchases.columnCount())]
    assert "购电" in shown and "100.00" in shown
    assert dialog.models["cards"].rowCount() >= 1 and dialog.summary["账户号"] == "D-5-308"
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    # keyboard: Enter in the search field opens the (first) hit as well
    qtbot.keyClick(page.query.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.detail is not dialog and page.detail.isVisible())


# --- the backup warning --------------------------------------------------------------------------------


def _window_of(qtbot, world, name):
    win = MainWindow(Workstation(world.counter, login_with_roles(world.counter, name, PASSWORD), Approval))
    qtbot.addWidget(win)
    win.show()
    return win


def test_an_old_backup_warns_the_head_in_the_status_bar_and_on_the_morning_list(qtbot, world, runner):
    from counter_app import backups

    backups._record(world.counter.backup_backend(), backups.MADE, path="/media/usb/counter-x.db")  # verified
    world.clock.advance(hours=2)
    head = _window_of(qtbot, world, "zhao")
    wait_idle(qtbot, runner)
    assert head.backup_warning is not None and head.backup_warning.isHidden()  # 2 hours old: fine
    head.close()
    world.clock.advance(days=3)
    head = _window_of(qtbot, world, "zhao")
    warning = head.backup_warning
    qtbot.waitUntil(lambda: warning.isVisible())
    assert "最近一次备份在" in warning.text() and "已超过 1 天" in warning.text() and "⚠" in warning.text()
    head.show_page("exceptions")
    page = head.pages["exceptions"]
    qtbot.waitUntil(lambda: page.morning.rowCount() >= 1)
    assert page.morning.data(page.morning.index(0, 0)) == "备份"
    cashier = _window_of(qtbot, world, "zhang")
    assert cashier.backup_warning is None  # a cashier's window has no backup line


def test_no_backup_at_all_warns_the_administrator(qtbot, world, runner):
    admin = _window_of(qtbot, world, "admin")
    qtbot.waitUntil(lambda: admin.backup_warning.isVisible())
    assert "未设置备份目录" in admin.backup_warning.text()


def test_the_morning_list_shows_beijing_time():
    from datetime import datetime

    from counter_app.ops.exceptions_list import MorningItem
    from ui.pages.exceptions import morning_model

    model = morning_model()
    model.set_rows(
        [MorningItem(kind="backup", at=datetime(2026, 12, 3, 0, 30, tzinfo=UTC), who="", summary="")]
    )
    assert model.data(model.index(0, 1)) == "12-03 08:30"


# --- the queue co-signed from the list; intents picked, not typed ----------------------------------


def test_a_queued_operation_is_co_signed_from_the_list_on_the_cores_words(qtbot, world, runner, monkeypatch):
    """Holiday mode: zhang's quota batch waits in the queue; on a staffed day li selects it, reads
    the core's summary of the batch (not a queue number) and signs; it runs and leaves the list."""
    from datetime import datetime

    from base.clock import BUSINESS_TZ
    from ui.pages.exceptions import ExceptionsPage

    admin = world.login("admin")
    admin.set_setting("single_operator_mode", True, approval=world.approval("li"))
    zhang = world.login("zhang")
    draft = zhang.prepare_quota_batch(period="2026-11", buildings=["5"])
    with pytest.raises(Exception) as queued:
        zhang.approve_quota_batch(batch_id=draft.batch_id)
    assert getattr(queued.value, "code", "") == "QUEUED"
    world.clock.set(datetime(2026, 11, 24, 9, 0, tzinfo=BUSINESS_TZ))
    admin.set_setting("single_operator_mode", False, approval=world.approval("li"))

    session = login_with_roles(world.counter, "li", PASSWORD)
    page = ExceptionsPage(Workstation(world.counter, session, approval_factory=Approval))
    qtbot.addWidget(page)
    page.show()
    page.activated()
    wait_idle(qtbot, runner)
    page.approve_selected()  # nothing selected: said, nothing asked
    assert "请先" in page.approve_result.text()
    assert page.queued.rowCount() == 1
    page.queued_view.selectRow(0)
    asked = []
    monkeypatch.setattr(
        "ui.pages.exceptions.ApprovalDialog.ask",
        classmethod(lambda cls, parent, request, factory=None, problem="": asked.append(request)
                    or Approval(name="li", password=PASSWORD)),
    )  # fmt: skip
    page.approve_selected()
    wait_idle(qtbot, runner)
    (request,) = asked
    assert request.summary is not None and request.maker == "zhang"  # the maker is who queued it
    assert request.summary.kind == "quota.approve_batch"
    assert "已确认" in page.approve_result.text(), page.approve_result.text()
    wait_idle(qtbot, runner)
    assert page.queued.rowCount() == 0


def test_an_unfinished_write_is_picked_from_the_list_not_typed(qtbot, world, ctx, runner):
    from base.errors import UserFacingError
    from ui.pages.exceptions import ExceptionsPage

    serial = world.issue_card("D-5-308", ctx.session)
    world.sim.present_card(serial)
    world.sim.pull_card_at_byte(10)
    with pytest.raises(UserFacingError) as torn:
        ctx.session.top_up(account_no="D-5-308", amount_fen=5_000, tendered_fen=5_000)
    page = ExceptionsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.activated()
    wait_idle(qtbot, runner)
    assert page.intents.rowCount() == 1
    page.intents_view.selectRow(0)
    for form in (page.suspense, page.resolve):
        assert form.fields["intent_id"].text() == torn.value.intent_id


def test_quota_batches_are_picked_from_the_waiting_list(qtbot, world, ctx, runner):
    """Pick lists (issue 14): a batch just prepared fills the 复核 form; the waiting list shows who
    made which batch; selecting a row fills its number; an approved batch leaves the list."""
    from ui.pages.quota import QuotaPage

    older = ctx.session.prepare_quota_batch(period="2026-11", buildings=["5"])
    page = QuotaPage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.activated()
    wait_idle(qtbot, runner)
    assert page.waiting.rowCount() == 1 and page.waiting.row(0).batch_id == older.batch_id
    assert page.waiting.row(0).maker == ctx.operator_name and page.waiting.row(0).buildings == ("5",)
    page.prepare.fields["period"].set_text("2026-12")
    page.prepare.fields["buildings"].set_text("5")
    page.prepare.submit()
    qtbot.waitUntil(lambda: page.prepare.button.isEnabled(), timeout=10_000)
    newer = page.prepare.last_result
    assert newer is not None, page.prepare.result_label.text()
    assert page.approve.fields["batch_id"].text() == str(newer.batch_id)
    wait_idle(qtbot, runner)
    assert page.waiting.rowCount() == 2
    page.waiting_view.selectRow(0)
    assert page.approve.fields["batch_id"].text() == str(older.batch_id)
    with pytest.raises(Exception):  # noqa: B017 — the cashier is no reader of another campus's list
        world.login("qian").waiting_quota_batches()
