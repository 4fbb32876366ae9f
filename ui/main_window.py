"""The main window: a frame of pages (each its own module in ui/pages/), never a god window.

Left: the page list with F-keys; centre: the page; bottom: device status and the busy indicator;
top: the red 演示 banner when devices are simulated. Idle minutes lock the window to the lock screen.

The lock: `ctx.locked` is the one lock state (ui/context.py). While it is set the work area, the
demo panel and 退出登录 are disabled, page switching is refused, and every open dialog is cancelled
(a supervisor's co-sign or a yes/no answered "no"); only the lock screen's password check clears it
(`unlock`, `unlock_for_shift_close`). A window built while `ctx.locked` is set (the language switch
rebuilds the window) starts on the lock screen; one built while `ctx.restricted` is set starts on
the shift page alone.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDockWidget,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ui import i18n
from ui.backup_warning import install_backup_warning
from ui.context import Workstation
from ui.demo_panel import DemoPanel
from ui.facade import WorkstationSession, session_name
from ui.idle import IdleWatcher
from ui.lock_screen import LockScreen
from ui.ops import FacadeOp, runner
from ui.pages import PAGE_KEYS, page_classes
from ui.pages import shortcut_for as pages_shortcut_for
from ui.pages.base import Page
from ui.status import DeviceStatusBar, PrinterBanner, simulated_banner

translate = QCoreApplication.translate
# Which pages a role sees (the facade still enforces roles on every call). DOMAIN "People and
# roles": the administrator keeps settings and devices and never sells; finance signs for sheets,
# records deposits and vouchers and closes the month; the assistant and head review sheets, check
# deposits, hand out receipt books and read the morning list; cashiers (and 监督人) sell, sign
# their own sheet, take the slip to the bank and void pages of their own receipt book. Anyone may
# check a receipt (验票, DOMAIN "Receipts and slips"): every role has the verify page.
# The 部门助理 and the head work the same pages.
_OFFICE_PAGES = ("reports", "sheets", "deposits", "books", "exceptions", "diagnostics", "verify", "duties",
                 "tenders", "monthly", "people", "prices", "stations", "networked", "buses")  # fmt: skip
ROLE_PAGES = {
    "admin": ("settings", "diagnostics", "verify", "people", "prices", "stations"),
    "finance": ("reports", "sheets", "deposits", "books", "month", "verify", "duties", "tenders", "monthly"),
    # no shift page: the assistant and head never open a shift (ui/login.NO_SHIFT_ROLES), so its
    # 结班 form and X report could only refuse them
    "assistant": _OFFICE_PAGES,
    "head": _OFFICE_PAGES,
    # reads every report (the approvals matrix is one) and the sheets; changes nothing (counter_app/auditor.py)
    "auditor": ("reports", "sheets", "verify"),
}
NOT_FOR_SELLERS = {"settings", "month", "tenders", "monthly", "people", "prices", "stations"}
NAV_MIN_WIDTH, NAV_MAX_WIDTH = 170, 240
# where a role lands when it is not its first page in key order; the assistant and head land on
# 部门事务, whose first list is the visitor log's open items (issue 15 item 9)
HOME_PAGE = {"admin": "settings", "assistant": "duties", "head": "duties"}


def visible_keys(role: str) -> list[str]:
    allowed = ROLE_PAGES.get(role)
    if allowed is None:  # cashier, 监督人
        return [key for key in page_classes() if key not in NOT_FOR_SELLERS]
    return [key for key in page_classes() if key in allowed]


def shortcut_for(key_or_position: str | int) -> str:
    """A page's key, the same for every role (ui/pages PAGE_KEYS); a position in PAGES also works."""
    if isinstance(key_or_position, int):
        return pages_shortcut_for(key_or_position)
    return PAGE_KEYS[key_or_position]


class MainWindow(QMainWindow):
    language_change_requested = Signal(str)
    logged_out = Signal()

    def __init__(self, ctx: Workstation, keys: list[str] | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle(translate("Main", "售电收费工作站 — {0}").format(ctx.operator_name))
        self.pages: dict[str, Page] = {}
        self.screens = QStackedWidget()
        self.work_area = self._work_area(keys or visible_keys(ctx.role))
        self.screens.addWidget(self.work_area)
        self.lock_screen = LockScreen(ctx.counter, ctx.operator, shown_name=ctx.operator_name)
        self.lock_screen.unlocked.connect(self.unlock)
        self.lock_screen.supervisor_unlocked.connect(self.unlock_for_shift_close)
        self.screens.addWidget(self.lock_screen)
        self.setCentralWidget(self._with_banner(self.screens))
        status_bar = DeviceStatusBar(ctx.counter, runner())
        status_bar.status_changed.connect(self.printer_banner.show_status)
        self.setStatusBar(status_bar)
        self.backup_warning = install_backup_warning(self, ctx)  # head, assistant, admin
        self._build_menu()
        self.idle = IdleWatcher(ctx.idle_lock_minutes, self)
        self.idle.idle.connect(self.lock)
        if ctx.simulated:
            self._add_demo_panel()
        if ctx.locked:  # rebuilt while locked (language switch): the lock stays
            self.lock()
        elif ctx.restricted:  # rebuilt while a 监督人 has it open for the shift only
            self._enter_restricted()
        else:
            home = HOME_PAGE.get(ctx.role)
            self.show_page(home if home in self.pages else next(iter(self.pages)))

    # --- layout ----------------------------------------------------------------------------------
    def _work_area(self, keys: list[str]) -> QWidget:
        self.nav = QListWidget()
        self.nav.setObjectName("pageList")  # styled by ui/style.py (15 px, dark rail)
        # Never a sideways scroll bar: as wide as the longest entry (within bounds), elided beyond.
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nav.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.stack = QStackedWidget()
        classes = page_classes()
        for key in keys:
            page = classes[key](self.ctx)
            page.shortcut = PAGE_KEYS[key]
            self.pages[key] = page
            self.stack.addWidget(page)
            item = QListWidgetItem(f"{page.shortcut}  {page.caption()}")
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.nav.addItem(item)
            QShortcut(QKeySequence(page.shortcut), self, lambda key=key: self.show_page(key))
        self._fit_nav()
        self.nav.currentItemChanged.connect(
            lambda item, _prev: item and self.show_page(item.data(Qt.ItemDataRole.UserRole))
        )
        # Above the page, whichever it is (the sale page first): the printer's fault and the
        # receipts it holds, until both are gone.
        self.printer_banner = PrinterBanner()
        column = QVBoxLayout()
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.printer_banner)
        column.addWidget(self.stack, 1)
        row = QHBoxLayout()
        row.addWidget(self.nav)
        row.addLayout(column, 1)
        area = QWidget()
        area.setLayout(row)
        return area

    def _fit_nav(self) -> None:
        self.nav.ensurePolished()  # the style sheet's font size, before measuring
        metrics = self.nav.fontMetrics()
        widest = max(
            (metrics.horizontalAdvance(self.nav.item(i).text()) for i in range(self.nav.count())), default=0
        )
        frame = 2 * self.nav.frameWidth() + self.nav.verticalScrollBar().sizeHint().width() + 16
        self.nav.setFixedWidth(max(NAV_MIN_WIDTH, min(NAV_MAX_WIDTH, widest + frame)))

    def _with_banner(self, screens: QWidget) -> QWidget:
        """The 演示 banner sits above every screen, the lock screen included."""
        frame = QWidget()
        column = QVBoxLayout(frame)
        column.setContentsMargins(0, 0, 0, 0)
        if self.ctx.simulated:
            column.addWidget(simulated_banner())
        column.addWidget(screens, 1)
        return frame

    def _build_menu(self) -> None:
        """Every action here is safe while locked: 锁屏 locks again, 退出登录 is disabled (and refused
        in `request_logout`), a language switch rebuilds the window locked (ui/app.py)."""
        session_menu = self.menuBar().addMenu(translate("Main", "工作站"))
        self.lock_action = QAction(translate("Main", "锁屏"), self, shortcut=QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(self.lock)
        self.logout_action = QAction(translate("Main", "退出登录"), self)
        self.logout_action.triggered.connect(self.request_logout)
        session_menu.addActions([self.lock_action, self.logout_action])
        language_menu = self.menuBar().addMenu(translate("Main", "语言 / Language"))
        group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for lang, name in (("zh_CN", "中文"), ("en", "English")):
            action = QAction(name, self, checkable=True, checked=i18n.current_language() == lang)
            action.triggered.connect(lambda _c=False, lang=lang: self.request_language(lang))
            group.addAction(action)
            language_menu.addAction(action)
            self.language_actions[lang] = action

    def request_language(self, lang: str) -> None:
        """Switch only to a language that can be loaded; otherwise say so on screen (issue 14 §11)."""
        if lang == i18n.current_language():
            return
        if not i18n.available(lang):
            self.language_actions[i18n.current_language()].setChecked(True)
            self.language_problem = QMessageBox(
                QMessageBox.Icon.Warning,
                "语言 / Language",
                i18n.missing_text(),
                QMessageBox.StandardButton.Ok,
                self,
            )
            self.language_problem.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.language_problem.open()
            return
        self.language_change_requested.emit(lang)

    def request_logout(self) -> None:
        """退出登录 from the menu; refused while locked (leaving the lock screen needs the password)."""
        if self.locked:
            return
        self.logged_out.emit()

    def _add_demo_panel(self) -> None:
        dock = self.demo_dock = QDockWidget(translate("Main", "演示控制"), self)
        self.demo_panel = DemoPanel(self.ctx)
        self.demo_panel.setMaximumWidth(300)
        dock.setWidget(self.demo_panel)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)

    # --- pages -----------------------------------------------------------------------------------
    def show_page(self, key: str) -> None:
        page = self.pages.get(key)
        if page is None or self.locked or self.screens.currentIndex() != 0:
            return
        if self.ctx.restricted and not page.allowed_when_restricted:
            return
        self.stack.setCurrentWidget(page)
        row = list(self.pages).index(key)
        if self.nav.currentRow() != row:
            self.nav.setCurrentRow(row)
        page.activated()

    def current_page(self) -> Page:
        return self.stack.currentWidget()

    # --- locking ---------------------------------------------------------------------------------
    def lock(self) -> None:
        """Show the lock screen; idempotent (Ctrl+L or the idle timer while locked change nothing)."""
        self.ctx.locked = True
        self.idle.pause()
        self._dismiss_dialogs()
        self._set_demo_visible(False)
        self.work_area.setEnabled(False)
        self.logout_action.setEnabled(False)
        if self.screens.currentWidget() is not self.lock_screen:
            self.screens.setCurrentWidget(self.lock_screen)
            self.lock_screen.activated()

    @property
    def locked(self) -> bool:
        return self.ctx.locked

    def _dismiss_dialogs(self) -> None:
        """Cancel every dialog left open: behind the lock nobody may answer a co-sign, a yes/no or a
        file dialog for the operator. Cancelling is always safe (the operation is not done)."""
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                widget.reject()

    def _set_demo_visible(self, visible: bool) -> None:
        if getattr(self, "demo_dock", None) is not None:
            self.demo_panel.setEnabled(visible)
            self.demo_dock.setVisible(visible)

    def unlock(self, session: WorkstationSession) -> None:
        """The same operator is back: their fresh session replaces the old one."""
        if session_name(session) != self.ctx.operator:  # the lock screen checks this too
            FacadeOp(self, session.logout).quiet().run()
            return
        old, self.ctx.session = self.ctx.session, session
        if old is not session:
            FacadeOp(self, old.logout).quiet().run()
        self.ctx.restricted = False
        self._set_nav_enabled(all_pages=True)
        self._leave_lock()
        self._set_demo_visible(True)
        self.current_page().activated()

    def unlock_for_shift_close(self, supervisor_session: WorkstationSession) -> None:
        """A 监督人 opened the screen: only the shift page, still on the cashier's session."""
        if not any(page.allowed_when_restricted for page in self.pages.values()):
            self.lock_screen.message.setText(
                translate("Main", "此工作站没有班次页：监督人解锁仅用于结班/交班")
            )
            FacadeOp(self, supervisor_session.logout).quiet().run()
            return
        self.ctx.restricted = True
        self.ctx.extras["unlocked_by"] = supervisor_session.name
        self._leave_lock()
        self._enter_restricted()

    def _leave_lock(self) -> None:
        self.ctx.locked = False
        self.work_area.setEnabled(True)
        self.logout_action.setEnabled(True)
        self.screens.setCurrentIndex(0)
        self.idle.resume()

    def _enter_restricted(self) -> None:
        """The shift page alone: every other page disabled in the list and refused by `show_page`."""
        self._set_nav_enabled(all_pages=False)
        self._set_demo_visible(False)
        key = next(key for key, page in self.pages.items() if page.allowed_when_restricted)
        self.show_page(key)

    def _set_nav_enabled(self, all_pages: bool) -> None:
        for row, page in enumerate(self.pages.values()):
            enabled = all_pages or page.allowed_when_restricted
            item = self.nav.item(row)
            flags = item.flags()
            item.setFlags(
                flags | Qt.ItemFlag.ItemIsEnabled if enabled else flags & ~Qt.ItemFlag.ItemIsEnabled
            )

    def showEvent(self, event) -> None:
        super().showEvent(event)
        # A window rebuilt for a language switch appears while the old one still has the focus; once
        # that one is gone nothing is active and the F-keys did nothing until a click (issue 14 §11).
        QTimer.singleShot(0, self.take_focus)

    def take_focus(self) -> None:
        if not self.isVisible():
            return
        self.activateWindow()
        focus = QApplication.focusWidget()
        if focus is None or focus.window() is not self:
            (self.lock_screen if self.locked else self.current_page()).setFocus(
                Qt.FocusReason.OtherFocusReason
            )

    def closeEvent(self, event) -> None:
        self.idle.stop()
        super().closeEvent(event)
