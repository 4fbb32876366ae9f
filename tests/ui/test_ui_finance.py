"""The finance side of the workstation on the real facade: reports (preview = export, the hour
chart, progress), the sign-off chain of a settlement sheet, deposits, the administrator's settings."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess

import pytest
from uitesting import PASSWORD, wait_idle

from counter_app.api import Approval
from counter_app.roles import grant_role
from db.models.security import Operator
from ui.approval_dialog import ApprovalDialog
from ui.context import Workstation
from ui.facade import login_with_roles
from ui.pages.deposits import DepositsPage
from ui.pages.reports import ReportsPage
from ui.pages.settings import SettingsPage
from ui.pages.sheets import SheetsPage

pytestmark = pytest.mark.gui


def page_for(qtbot, world, name: str, cls):
    session = login_with_roles(world.counter, name, PASSWORD)
    page = cls(Workstation(world.counter, session, approval_factory=Approval))
    qtbot.addWidget(page)
    return page


def sell(world, session, amount_fen: int = 5_000, account_no: str = "D-5-308"):
    world.issue_card(account_no, session)
    return session.top_up(account_no=account_no, amount_fen=amount_fen, tendered_fen=amount_fen)


def choose(page: ReportsPage, kind: str) -> None:
    page.kind.setCurrentIndex(page.kind.findData(kind))


def displayed(model) -> list[list[str]]:
    return [
        [model.data(model.index(r, c)) for c in range(model.columnCount())] for r in range(model.rowCount())
    ]


# --- reports -----------------------------------------------------------------------------------------


def test_preview_shows_the_rows_of_the_facades_report_and_the_hour_chart(qtbot, world, ctx, runner):
    """GIVEN two sales today WHEN the day report is previewed THEN the table shows exactly the rows
    (and total) of `report(format="csv")` for the same range, and the hour chart paints the takings."""
    sell(world, ctx.session, 5_000)
    world.clock.advance(hours=2)
    sell(world, ctx.session, 3_000, "D-5-309")
    page = ReportsPage(ctx)
    qtbot.addWidget(page)
    page.activated()
    wait_idle(qtbot, runner)
    choose(page, "day")
    page.preview()
    wait_idle(qtbot, runner)
    query = page.query()
    assert query["start"] == query["end"] == world.clock().date()  # the default range: today
    raw = ctx.session.report(**query, format="csv").decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(raw)))
    model = page.view.model()
    assert [
        model.headerData(c, page.view.horizontalHeader().orientation()) for c in range(len(header))
    ] == header
    assert displayed(model) == rows and len(rows) == 2  # one row of sales, then the total
    values = page.chart.values
    assert sum(values) == 80 and values[9] == 50 and values[11] == 30  # whole yuan, by hour
    page.resize(900, 700)
    page.show()
    page.chart.grab()  # paints off-screen
    assert page.chart.isVisible() and page.chart.painted >= 1


def test_export_writes_a_pdf_pdftotext_reads_and_progress_reaches_100(
    qtbot, world, ctx, runner, tmp_path, monkeypatch
):
    sell(world, ctx.session)
    page = ReportsPage(ctx)
    qtbot.addWidget(page)
    page.activated()
    wait_idle(qtbot, runner)
    choose(page, "account-detail")
    target = tmp_path / "detail.pdf"
    monkeypatch.setattr(
        ReportsPage, "ask_save_path", classmethod(lambda cls, parent, suggested, fmt: str(target))
    )
    seen: list[tuple[int, int]] = []
    page.relay.progressed.connect(lambda done, total: seen.append((done, total)))
    with qtbot.waitSignal(
        page.relay.progressed, check_params_cb=lambda done, total: done == total, timeout=5000
    ):
        page.export("pdf")
    wait_idle(qtbot, runner)
    assert seen[-1][0] == seen[-1][1] == 4 and page.progress.maximum() == 4  # four accounts
    assert "已导出" in page.status.text() and target.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(target), "-"], capture_output=True, check=True, text=True
        ).stdout
        assert "电费分户明细表" in text and "D-5-308" in text


def test_every_kind_the_page_offers_is_one_the_facade_builds(qtbot, ctx, runner):
    page = ReportsPage(ctx)
    qtbot.addWidget(page)
    from counter_app.settlement.report_catalogue import REPORTS

    offered = {page.kind.itemData(i) for i in range(page.kind.count())}
    assert offered == set(REPORTS)


# --- the sign-off chain ------------------------------------------------------------------------------


def grant(world, name: str, role: str) -> None:
    ctx = world.counter.context()
    with ctx.uow() as s:
        operator_id = s.query(Operator.id).filter(Operator.name == name).scalar()
        grant_role(
            s, operator_id=operator_id, role=role, granted_by_id=None, workstation="TEST", clock=world.clock
        )


def sign_as(qtbot, runner, world, name: str, voucher: str = "") -> SheetsPage:
    page = page_for(qtbot, world, name, SheetsPage)
    page.activated()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    page.view.selectRow(0)
    wait_idle(qtbot, runner)
    page.show_pdf()  # nobody signs unread
    wait_idle(qtbot, runner)
    page.voucher.set_text(voucher)
    page.sign()
    wait_idle(qtbot, runner)
    return page


def test_sign_off_chain_refusals_and_the_frozen_sheet(qtbot, world, runner):
    """GIVEN zhao (主管) also sold in zhang's shift WHEN the chain is signed from the sheets page THEN
    zhang and wang sign, zhao is refused as a reviewer who sold (reason shown), another 主管 signs,
    finance signs for it with a voucher and the sheet shows frozen; a further signature is refused."""
    grant(world, "zhao", "cashier")
    grant(world, "wu", "head")
    zhang = login_with_roles(world.counter, "zhang", PASSWORD)
    zhang.open_shift(float_fen=50_000)
    sell(world, zhang)
    sell(world, login_with_roles(world.counter, "zhao", PASSWORD), 3_000, "D-5-309")
    world.clock.advance(hours=2)
    zhang.close_shift(counted={10000: 5, 5000: 1, 1000: 3})

    page = sign_as(qtbot, runner, world, "zhang")
    assert "已签字：营业员" in page.result.text() and "营业员：zhang" in page.signatures.text()
    page = sign_as(qtbot, runner, world, "qian")  # finance out of turn: the step is the assistant's
    assert "ROLE" not in page.result.text() and "部门助理" in page.result.text()
    sign_as(qtbot, runner, world, "wang")
    page = sign_as(qtbot, runner, world, "zhao")
    assert "审核人不能审核自己经手的班次" in page.result.text()
    assert "未在本班售电" in page.result.text()  # what to do next
    sign_as(qtbot, runner, world, "wu")
    page = page_for(qtbot, world, "qian", SheetsPage)
    page.activated()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    page.view.selectRow(0)
    wait_idle(qtbot, runner)
    page.show_pdf()
    wait_idle(qtbot, runner)
    page.sign()  # no voucher number yet
    wait_idle(qtbot, runner)
    assert "凭证号" in page.voucher.error.text()
    page.voucher.set_text("PZ-2026-118")
    page.sign()
    wait_idle(qtbot, runner)
    assert "已签收冻结" in page.model.data(page.model.index(0, 7))
    assert "PZ-2026-118" in page.model.data(page.model.index(0, 7))  # the voucher number is shown
    assert "凭证号：PZ-2026-118" in page.signatures.text()
    assert "本单已冻结" in page.signatures.text() and not page.sign_button.isEnabled()
    page.sign()  # the button is off; the facade refuses too
    wait_idle(qtbot, runner)
    assert "冻结" in page.result.text()


def test_sheet_is_read_before_it_is_signed_and_every_page_can_be_seen(qtbot, world, ctx, runner):
    """GIVEN a closed sheet WHEN its cashier selects it THEN the sign button stays off (and signing
    by other means does nothing) until the sheet is opened; the viewer pages through every page."""
    ctx.session.close_shift(counted={10000: 5})
    page = page_for(qtbot, world, "zhang", SheetsPage)
    page.activated()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    page.view.selectRow(0)
    wait_idle(qtbot, runner)
    assert page.view_button.isEnabled() and not page.sign_button.isEnabled()
    assert not page.must_view.isHidden()
    page.sign()  # a shortcut or a script: still refused before reading
    wait_idle(qtbot, runner)
    assert "尚无人签字" in page.signatures.text()
    page.show_pdf()
    wait_idle(qtbot, runner)
    assert page.sign_button.isEnabled() and page.must_view.isHidden()
    assert len(page.pages) >= 2, len(page.pages)  # the whole sheet, not page 1 only
    total = len(page.pages)
    assert page.page_label.text() == f"第 1 / {total} 页" and not page.prev_button.isEnabled()
    first = page.page_image.pixmap().toImage()
    for n in range(2, total + 1):
        assert page.next_button.isEnabled()
        page.next_button.click()
        assert page.page_label.text() == f"第 {n} / {total} 页"
    assert not page.next_button.isEnabled() and page.page_image.pixmap().toImage() != first
    page.prev_button.click()
    assert page.page_label.text() == f"第 {total - 1} / {total} 页"
    page.sign()
    wait_idle(qtbot, runner)
    assert "已签字：营业员" in page.result.text()


def test_sheet_pdf_first_page_shows(qtbot, world, ctx, runner, tmp_path, monkeypatch):
    ctx.session.close_shift(counted={10000: 5})
    page = page_for(qtbot, world, "zhang", SheetsPage)
    page.activated()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    page.view.selectRow(0)
    wait_idle(qtbot, runner)
    target = tmp_path / "sheet.pdf"
    monkeypatch.setattr(SheetsPage, "ask_save_path", classmethod(lambda cls, parent, suggested: str(target)))
    page.save_pdf()
    page.show_pdf()
    wait_idle(qtbot, runner)
    assert target.read_bytes().startswith(b"%PDF")
    # rendered in-process (PDFium): no poppler on the counters' Windows PCs
    assert page.page_image.pixmap() is not None and not page.page_image.pixmap().isNull()


# --- deposits and settings ---------------------------------------------------------------------------


def test_deposit_recorded_against_the_shift(qtbot, world, ctx, runner):
    sell(world, ctx.session)
    ctx.session.close_shift(counted={10000: 5, 5000: 1})
    page = page_for(qtbot, world, "wang", DepositsPage)
    page.activated()
    wait_idle(qtbot, runner)
    assert page.late.rowCount() == 0  # closed this morning: due today, not late yet
    form = page.form
    for name, text in (
        ("slip_no", "XJ-0001"),
        ("bank", "工行校内支行"),
        ("amount_fen", "50"),
        ("shift_ids", "1"),
    ):
        form.fields[name].set_text(text)
    form.fields["stamped_on"].set_text(world.clock().date().isoformat())
    form.submit()
    wait_idle(qtbot, runner)
    assert "已登记 XJ-0001" in form.result_label.text() and "￥50.00" in form.result_label.text()
    form.fields["shift_ids"].set_text("一")
    form.submit()
    wait_idle(qtbot, runner)
    assert "班次号" in form.fields["shift_ids"].error.text()  # refused next to the field


def test_a_co_signed_setting_asks_for_the_signature_and_refuses_the_maker(qtbot, world, runner, monkeypatch):
    """GIVEN the administrator changes 最低充值额 (money-affecting) WHEN they sign it themselves THEN the
    facade refuses (SELF_APPROVAL), the dialog comes back saying why, and li's signature saves it."""
    page = page_for(qtbot, world, "admin", SettingsPage)
    page.activated()
    wait_idle(qtbot, runner)
    assert page.prices.rowCount() == 3 and page.people.rowCount() == 7
    keys = [page.settings.row(i).key for i in range(page.settings.rowCount())]
    page.settings_view.selectRow(keys.index("min_top_up_fen"))
    assert page.key.text() == "min_top_up_fen" and page.value.text() == "10.00"
    asked: list[str] = []
    signers = iter([Approval(name="admin", password=PASSWORD), Approval(name="li", password=PASSWORD)])

    requests = []

    def ask(cls, parent, request, factory=None, problem=""):
        asked.append(problem)
        requests.append(dict(request.rows()))
        return next(signers)

    monkeypatch.setattr(ApprovalDialog, "ask", classmethod(ask))
    page.value.set_text("20.00")
    page.save()
    qtbot.waitUntil(lambda: "已保存" in page.result.text(), timeout=5000)
    wait_idle(qtbot, runner)
    assert len(asked) == 2 and asked[0] == "" and "本人" in asked[1]
    assert requests[0]["设置项"] == "min_top_up_fen" and requests[0]["新值"] == "20.00 元"  # the core's words
    assert world.login("admin").get_setting("min_top_up_fen") == 2000
    assert page.row_for("min_top_up_fen").set_by == "admin"


@pytest.mark.parametrize("key", ["deposit.evening_from", "stamped_receipt_for", "low_balance_ckwh.dorm"])
def test_the_settings_of_the_two_person_rule_ask_for_a_second_person(qtbot, world, runner, monkeypatch, key):
    """GIVEN a setting issue 12 found one person could change alone WHEN the administrator saves it
    THEN the page asks for the second person first; cancelled, nothing is saved; wang signs: saved."""
    page = page_for(qtbot, world, "admin", SettingsPage)
    page.activated()
    wait_idle(qtbot, runner)
    assert page.row_for(key).needs_approval
    keys = [page.settings.row(i).key for i in range(page.settings.rowCount())]
    page.settings_view.selectRow(keys.index(key))
    before = world.login("admin").get_setting(key)
    signers = iter([None, Approval(name="wang", password=PASSWORD)])
    monkeypatch.setattr(ApprovalDialog, "ask", classmethod(lambda cls, *a, **k: next(signers)))
    new = {"deposit.evening_from": "16:00", "stamped_receipt_for": "[]", "low_balance_ckwh.dorm": "0"}
    page.value.set_text(new[key])
    page.save()  # cancelled (after the core checked and worded the value)
    qtbot.waitUntil(lambda: "未保存" in page.result.text(), timeout=5000)
    assert world.login("admin").get_setting(key) == before
    page.save()
    qtbot.waitUntil(lambda: "已保存" in page.result.text(), timeout=5000)
    wait_idle(qtbot, runner)
    assert world.login("admin").get_setting(key) != before


def test_month_close_is_co_signed_and_refused_before_the_period_ends(qtbot, world, runner, monkeypatch):
    from ui.pages.month import MonthPage

    page = page_for(qtbot, world, "qian", MonthPage)
    page.activated()
    qtbot.waitUntil(lambda: page.form.fields["period"].text() != "")  # a quiet call: not "pending"
    # 2026-11-23 falls in period 2026-11 (to the 25th): the period that ended last is filled in
    assert page.form.fields["period"].text() == "2026-10"
    monkeypatch.setattr(
        ApprovalDialog, "ask", classmethod(lambda cls, *a, **k: Approval(name="wang", password=PASSWORD))
    )
    page.form.fields["period"].set_text("2026-11")
    page.form.submit()
    wait_idle(qtbot, runner)
    assert "尚未结束" in page.form.fields["period"].error.text()  # shown next to the period



def test_the_low_balance_notice_exports_as_a_picture_for_the_dorm_groups(
    qtbot, world, ctx, runner, tmp_path, monkeypatch
):
    """低电通报 as PNG (issue 14): the first page as a picture; offered only for one-page notices."""
    import io

    from PIL import Image

    page = ReportsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.activated()
    wait_idle(qtbot, runner)
    choose(page, "account-detail")
    assert not page.export_buttons["png"].isVisible()
    choose(page, "low-balance")
    assert page.export_buttons["png"].isVisible()
    target = tmp_path / "low.png"
    monkeypatch.setattr(ReportsPage, "ask_save_path", classmethod(lambda cls, parent, suggested, fmt: str(target)))
    page.export("png")
    wait_idle(qtbot, runner)
    picture = Image.open(io.BytesIO(target.read_bytes()))
    assert picture.format == "PNG" and picture.size[1] > picture.size[0] > 800  # an A4 page, readable
