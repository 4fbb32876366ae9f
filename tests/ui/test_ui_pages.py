"""The frame: every page builds, F-keys switch pages, the 演示 banner, languages."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from ui import i18n
from ui.main_window import MainWindow, visible_keys
from ui.pages.form import ActionForm

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, ctx):
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_f_keys_switch_pages(qtbot, window):
    for key, page in window.pages.items():
        qtbot.keyClick(window, getattr(Qt.Key, f"Key_{page.shortcut}"))
        assert window.current_page() is page, key


def test_simulated_counter_shows_the_banner(window):
    banners = [w for w in window.findChildren(QLabel) if w.objectName() == "simulatedBanner"]
    assert banners and "演示 / SIMULATED" in banners[0].text() and banners[0].isVisible()


def test_status_bar_shows_devices(qtbot, window, counter):
    counter.world.paper_out = True
    window.statusBar().refresh()
    qtbot.waitUntil(lambda: "缺纸" in window.statusBar().labels["paper"].text())


def test_administrator_sees_no_sale_page():
    assert "sale" not in visible_keys("admin") and "settings" in visible_keys("admin")


def test_an_action_form_routes_a_refusal_to_its_field(qtbot, window, runner):
    form: ActionForm = window.pages["cards"].lost
    form.fields["account_no"].set_text("A9999")
    form.submit()
    field = form.fields["account_no"]
    qtbot.waitUntil(lambda: not field.error.isHidden())
    assert "账户不存在" in field.error.text() and field.text() == "A9999"


def test_exceptions_page_lists_open_writes(qtbot, window, runner):
    window.show_page("exceptions")
    page = window.pages["exceptions"]
    qtbot.waitUntil(lambda: page.intents.rowCount() == 1)
    assert page.intents.row(0).intent_id == "I-7"


def test_english_falls_back_to_chinese_without_the_qm(qapp, monkeypatch, tmp_path):
    monkeypatch.setattr(i18n, "HERE", tmp_path)
    assert i18n.install(qapp, "en") == "zh_CN"
    assert i18n.current_language() == "zh_CN"


def test_english_translation_compiles_and_loads(qapp, monkeypatch, tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    from PySide6.QtCore import QCoreApplication

    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    ts = Path(i18n.__file__).with_name("counter_en.ts")
    subprocess.run(
        [str(lrelease), str(ts), "-qm", str(tmp_path / "counter_en.qm")], check=True, capture_output=True
    )
    monkeypatch.setattr(i18n, "HERE", tmp_path)
    try:
        assert i18n.install(qapp, "en") == "en"
        assert QCoreApplication.translate("Sale", "售电") == "Sale"
    finally:
        i18n.install(qapp, "zh_CN")
    assert QCoreApplication.translate("Sale", "售电") == "售电"
