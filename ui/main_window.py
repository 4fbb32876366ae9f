"""The main window: a frame of pages (each its own module in ui/pages/), never a god window.

Left: the page list with F-keys; centre: the page; bottom: device status and the busy indicator;
top: the red 演示 banner when devices are simulated. Idle minutes lock the window to the lock screen.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ui import i18n
from ui.backup_warning import install_backup_warning
from ui.context import Workstation
from ui.demo_panel import DemoPanel
from ui.facade import WorkstationSession
from ui.idle import IdleWatcher
from ui.lock_screen import LockScreen
from ui.ops import FacadeOp, runner
from ui.pages import page_classes
from ui.pages.base import Page
from ui.status import DeviceStatusBar, PrinterBanner, simulated_banner

translate = QCoreApplication.translate
# Which pages a role sees (the facade still enforces roles on every call). DOMAIN "People and
# roles": the administrator keeps settings and devices and never sells; finance signs for sheets,
# records deposits and vouchers and closes the month; the assistant and head review sheets, check
# deposits, hand out receipt books and read the morning list; cashiers (and 监督人) sell, sign
# their own sheet, take the slip to the bank and void pages of their own receipt book. Anyone may
# check a receipt (验票, DOMAIN "Receipts and slips"): every role has the verify page.
ROLE_PAGES = {
    "admin": ("settings", "diagnostics", "verify"),
    "finance": ("reports", "sheets", "deposits", "books", "month", "verify"),
    "assistant": ("shift", "reports", "sheets", "deposits", "books", "exceptions", "diagnostics", "verify"),
    "head": ("shift", "reports", "sheets", "deposits", "books", "exceptions", "diagnostics", "verify"),
}
NOT_FOR_SELLERS = {"settings", "month"}


def visible_keys(role: str) -> list[str]:
    allowed = ROLE_PAGES.get(role)
    if allowed is None:  # cashier, 监督人
        return [key for key in page_classes() if key not in NOT_FOR_SELLERS]
    return [key for key in page_classes() if key in allowed]


def shortcut_for(position: int) -> str:
    """F1…F12 by position among the visible pages, then Ctrl+F1…: keyboard-first for every role."""
    return f"F{position + 1}" if position < 12 else f"Ctrl+F{position - 11}"


class MainWindow(QMainWindow):
    language_change_requested = Signal(str)
    logged_out = Signal()

    def __init__(self, ctx: Workstation, keys: list[str] | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle(translate("Main", "售电收费工作站 — {0}").format(ctx.operator))
        self.pages: dict[str, Page] = {}
        self.screens = QStackedWidget()
        self.screens.addWidget(self._work_area(keys or visible_keys(ctx.role)))
        self.lock_screen = LockScreen(ctx.counter, ctx.operator)
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
        self.show_page(next(iter(self.pages)))

    # --- layout ----------------------------------------------------------------------------------
    def _work_area(self, keys: list[str]) -> QWidget:
        self.nav = QListWidget()
        self.nav.setFixedWidth(170)
        self.nav.setStyleSheet("font-size: 15px;")
        self.stack = QStackedWidget()
        classes = page_classes()
        for position, key in enumerate(keys):
            page = classes[key](self.ctx)
            page.shortcut = shortcut_for(position)
            self.pages[key] = page
            self.stack.addWidget(page)
            item = QListWidgetItem(f"{page.shortcut}  {page.caption()}")
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.nav.addItem(item)
            QShortcut(QKeySequence(page.shortcut), self, lambda key=key: self.show_page(key))
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
        session_menu = self.menuBar().addMenu(translate("Main", "工作站"))
        lock = QAction(translate("Main", "锁屏"), self, shortcut=QKeySequence("Ctrl+L"))
        lock.triggered.connect(self.lock)
        logout = QAction(translate("Main", "退出登录"), self)
        logout.triggered.connect(self.logged_out.emit)
        session_menu.addActions([lock, logout])
        language_menu = self.menuBar().addMenu(translate("Main", "语言 / Language"))
        group = QActionGroup(self)
        for lang, name in (("zh_CN", "中文"), ("en", "English")):
            action = QAction(name, self, checkable=True, checked=i18n.current_language() == lang)
            action.triggered.connect(lambda _c=False, lang=lang: self.language_change_requested.emit(lang))
            group.addAction(action)
            language_menu.addAction(action)

    def _add_demo_panel(self) -> None:
        dock = self.demo_dock = QDockWidget(translate("Main", "演示控制"), self)
        self.demo_panel = DemoPanel(self.ctx)
        self.demo_panel.setMaximumWidth(300)
        dock.setWidget(self.demo_panel)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)

    # --- pages -----------------------------------------------------------------------------------
    def show_page(self, key: str) -> None:
        page = self.pages.get(key)
        if page is None or self.screens.currentIndex() != 0:
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
        self.idle.pause()
        self._set_demo_visible(False)
        self.screens.setCurrentWidget(self.lock_screen)
        self.lock_screen.activated()

    @property
    def locked(self) -> bool:
        return self.screens.currentWidget() is self.lock_screen

    def _set_demo_visible(self, visible: bool) -> None:
        if getattr(self, "demo_dock", None) is not None:
            self.demo_dock.setVisible(visible)

    def unlock(self, session: WorkstationSession) -> None:
        """The same operator is back: their fresh session replaces the old one."""
        old, self.ctx.session = self.ctx.session, session
        if old is not session:
            FacadeOp(self, old.logout).quiet().run()
        self.ctx.restricted = False
        self._set_nav_enabled(all_pages=True)
        self.screens.setCurrentIndex(0)
        self._set_demo_visible(True)
        self.idle.resume()
        self.current_page().activated()

    def unlock_for_shift_close(self, supervisor_session: WorkstationSession) -> None:
        """A 监督人 opened the screen: only the shift page, still on the cashier's session."""
        self.ctx.restricted = True
        self.ctx.extras["unlocked_by"] = supervisor_session.name
        self._set_nav_enabled(all_pages=False)
        self.screens.setCurrentIndex(0)
        self.idle.resume()
        if "shift" in self.pages:
            self.show_page("shift")

    def _set_nav_enabled(self, all_pages: bool) -> None:
        for row, page in enumerate(self.pages.values()):
            enabled = all_pages or page.allowed_when_restricted
            item = self.nav.item(row)
            flags = item.flags()
            item.setFlags(
                flags | Qt.ItemFlag.ItemIsEnabled if enabled else flags & ~Qt.ItemFlag.ItemIsEnabled
            )

    def closeEvent(self, event) -> None:
        self.idle.stop()
        super().closeEvent(event)
