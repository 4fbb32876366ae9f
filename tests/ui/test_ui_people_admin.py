"""The head's and administrator's pages (issue 14) on the real facade: people (add with a display
name, disable, reset a password, appoint a 监督人), tariffs and fees, workstations and key
fingerprints, and settings typed in people's units. Co-signatures through the approval dialog show
the core's words; nothing is asked before the input is checked."""

from __future__ import annotations

import pytest
from uitesting import PASSWORD, wait_idle

from counter_app.api import Approval
from ui.approval_dialog import ApprovalDialog
from ui.context import Workstation
from ui.facade import login_with_roles
from ui.main_window import visible_keys
from ui.pages.people import PeoplePage
from ui.pages.prices import PricesPage
from ui.pages.settings import SettingsPage
from ui.pages.stations import StationsPage

pytestmark = pytest.mark.gui


def page_for(qtbot, world, name: str, cls):
    session = login_with_roles(world.counter, name, PASSWORD)
    page = cls(Workstation(world.counter, session, approval_factory=Approval))
    qtbot.addWidget(page)
    page.activated()
    return page


def signing(monkeypatch, *names):
    """ApprovalDialog.ask answers with these people in turn (None = cancelled); what it showed."""
    signers = iter([None if n is None else Approval(name=n, password=PASSWORD) for n in names])
    shown: list[dict[str, str]] = []

    def ask(cls, parent, request, factory=None, problem=""):
        shown.append(dict(request.rows()))
        return next(signers)

    monkeypatch.setattr(ApprovalDialog, "ask", classmethod(ask))
    return shown


def fill(form, **values):
    for name, text in values.items():
        if name in form.choices:
            form.choices[name].setCurrentIndex(form.choices[name].findData(text))
        else:
            form.fields[name].set_text(text)


def names(page) -> list[str]:
    return [page.people.row(i).name for i in range(page.people.rowCount())]


def test_the_pages_are_the_administrator_s_and_the_head_s_never_a_cashier_s() -> None:
    for role in ("admin", "head", "assistant"):
        assert {"people", "prices", "stations"} <= set(visible_keys(role))
    assert not {"people", "prices", "stations"} & set(visible_keys("cashier"))


def test_the_administrator_adds_a_person_co_signed_with_the_core_s_words(qtbot, world, runner, monkeypatch):
    page = page_for(qtbot, world, "admin", PeoplePage)
    wait_idle(qtbot, runner)
    assert "zhang" in names(page) and "appoint" not in page.forms
    shown = signing(monkeypatch, "li")
    form = page.forms["add"]
    fill(
        form,
        name="sun",
        display_name="孙丽",
        role="cashier",
        password="sun-pass-1",
        password_again="sun-pass-2",
    )
    form.submit()
    assert form.fields["password_again"].error_text() and shown == []  # checked before anyone is called
    fill(form, password_again="sun-pass-1")
    form.submit()
    qtbot.waitUntil(lambda: "已添加" in form.result_label.text(), timeout=5000)
    wait_idle(qtbot, runner)
    assert shown == [{**shown[0], "登录名": "sun", "角色": "营业员"}]
    assert "孙丽" in form.result_label.text() and "sun" in names(page)
    assert world.counter.login("孙丽", "sun-pass-1").name == "sun"


def test_picking_a_person_fills_the_forms_disabling_a_cashier_asks_nobody(qtbot, world, runner, monkeypatch):
    page = page_for(qtbot, world, "admin", PeoplePage)
    wait_idle(qtbot, runner)
    page.view.selectRow(names(page).index("wu"))
    assert all(f.fields["name"].text() == "wu" for key, f in page.forms.items() if key != "add")
    assert page.forms["add"].fields["name"].text() == ""  # a new person's login ID is typed
    shown = signing(monkeypatch)
    page.forms["disable"].submit()
    qtbot.waitUntil(lambda: "已停用" in page.forms["disable"].result_label.text(), timeout=5000)
    wait_idle(qtbot, runner)
    assert shown == [] and page.people.row(names(page).index("wu")).disabled


def test_a_password_reset_is_refused_to_its_owner_then_signed_by_another(qtbot, world, runner, monkeypatch):
    page = page_for(qtbot, world, "admin", PeoplePage)
    wait_idle(qtbot, runner)
    shown = signing(monkeypatch, "admin", "li")
    form = page.forms["reset"]
    fill(form, name="zhang", password="new-pass-1", password_again="new-pass-1")
    form.submit()
    qtbot.waitUntil(lambda: "已重置" in form.result_label.text(), timeout=5000)
    assert len(shown) == 2 and shown[0]["登录名"] == "zhang"  # the maker's own signature refused, asked again
    assert world.counter.login("zhang", "new-pass-1").name == "zhang"


def test_the_head_appoints_a_supervisor_and_keeps_no_administrator_form(qtbot, world, runner):
    page = page_for(qtbot, world, "zhao", PeoplePage)
    wait_idle(qtbot, runner)
    assert set(page.forms) == {"appoint"}
    form = page.forms["appoint"]
    fill(form, name="zhang", start="2026-12-01", end="2026-12-07")
    form.submit()
    qtbot.waitUntil(lambda: "已任命" in form.result_label.text(), timeout=5000)
    wait_idle(qtbot, runner)
    row = page.people.row(names(page).index("zhang"))
    assert [(a.isoformat(), b.isoformat()) for a, b in row.appointments] == [("2026-12-01", "2026-12-07")]


def test_a_tariff_is_typed_in_yuan_per_kwh_and_signed_with_its_basis(qtbot, world, runner, monkeypatch):
    page = page_for(qtbot, world, "admin", PricesPage)
    wait_idle(qtbot, runner)
    assert page.prices.rowCount() == 3
    shown = signing(monkeypatch, "li")
    form = page.forms["tariff"]
    fill(form, cls="dorm", price="0.61234", start="2026-12-01", basis="校发〔2026〕9号")
    form.submit()
    assert form.fields["price"].error_text() and shown == []
    fill(form, price="0.6123")
    form.submit()
    qtbot.waitUntil(lambda: "已设定" in form.result_label.text(), timeout=5000)
    wait_idle(qtbot, runner)
    assert shown[0]["电价"] == "0.6123 元/kWh" and shown[0]["依据文件"] == "校发〔2026〕9号"
    assert page.prices.rowCount() == 4
    fee = page.forms["fee"]
    fill(fee, kind="card", fen="15", start="2026-12-01", basis="校发〔2026〕10号")
    signing(monkeypatch, None)  # cancelled: nothing set
    fee.submit()
    wait_idle(qtbot, runner)
    assert page.prices.rowCount() == 4


def test_workstations_and_key_fingerprints(qtbot, world, runner, monkeypatch):
    page = page_for(qtbot, world, "admin", StationsPage)
    wait_idle(qtbot, runner)
    assert page.stations.rowCount() == 2 and page.keys.rowCount() >= 1
    shown = signing(monkeypatch, "wang")
    fill(page.form, code="W03", campus="东校区")
    page.form.submit()
    qtbot.waitUntil(lambda: "已登记" in page.form.result_label.text(), timeout=5000)
    wait_idle(qtbot, runner)
    assert shown[0]["窗口代码"] == "W03" and page.stations.rowCount() == 3
    head = page_for(qtbot, world, "zhao", StationsPage)
    wait_idle(qtbot, runner)
    assert head.form is None and head.stations.rowCount() == 3


def test_settings_are_read_and_typed_in_yuan_kwh_and_minutes(qtbot, world, runner, monkeypatch):
    page = page_for(qtbot, world, "admin", SettingsPage)
    wait_idle(qtbot, runner)
    keys = [page.settings.row(i).key for i in range(page.settings.rowCount())]
    shown_values = {
        page.settings.row(i).key: page.settings.data(page.settings.index(i, 3)) for i in range(len(keys))
    }
    assert shown_values["min_top_up_fen"] == "10.00 元"
    assert shown_values["meter_max_ckwh"] == "9999.99 kWh"
    assert shown_values["login.lockout_minutes"] == "15 分钟"
    description = page.settings.data(page.settings.index(keys.index("min_top_up_fen"), 1))
    assert description == "最低充值额"  # not "（分）": the page takes yuan
    page.settings_view.selectRow(keys.index("min_top_up_fen"))
    assert (page.value.text(), page.unit.text()) == ("10.00", "元")
    shown = signing(monkeypatch, "li")
    page.value.set_text("20.001")
    page.save()
    assert page.value.error_text() and shown == []  # a third decimal: refused, not rounded
    page.value.set_text("20")
    page.save()
    qtbot.waitUntil(lambda: "已保存" in page.result.text(), timeout=5000)
    wait_idle(qtbot, runner)
    assert shown[0]["新值"] == "20.00 元" and world.login("admin").get_setting("min_top_up_fen") == 2000


def test_the_stations_page_says_whether_the_dlt645_password_is_set_never_what_it_is(qtbot, world, runner):
    from counter_app.keystore import keystore_from_spec, set_device_secret

    page = page_for(qtbot, world, "admin", StationsPage)
    wait_idle(qtbot, runner)
    assert "未设置" in page.secrets.text() and "set-device-secret dlt645_password" in page.secrets.text()
    set_device_secret(keystore_from_spec(world.keystore), "dlt645_password", bytes.fromhex("02123456"))
    page.refresh()
    wait_idle(qtbot, runner)
    assert "已设置" in page.secrets.text() and "02123456" not in page.secrets.text()
