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

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
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
from ui.context import Workstation
from ui.demo_panel import DemoPanel
from ui.facade import WorkstationSession, session_name
from ui.idle import IdleWatcher
from ui.lock_screen import LockScreen
from ui.ops import FacadeOp, runner
from ui.pages import page_classes
from ui.pages.base import Page
from ui.status import DeviceStatusBar, simulated_banner

translate = QCoreApplication.translate
# Which pages a role sees (the facade still enforces roles on every call). DOMAIN "People and
# roles": the administrator keeps settings and devices and never sells; finance signs for sheets,
# records deposits and vouchers and closes the month; the assistant and head review sheets, check
# deposits, hand out receipt books and read the morning list; cashiers (and 监督人) sell, sign
# their own sheet, take the slip to the bank and void pages of their own receipt book.
ROLE_PAGES = {
    "admin": ("settings", "diagnostics"),
    "finance": ("reports", "sheets", "deposits", "books", "month"),
    "assistant": ("shift", "reports", "sheets", "deposits", "books", "exceptions", "diagnostics"),
    "head": ("shift", "reports", "sheets", "deposits", "books", "exceptions", "diagnostics"),
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
        self.work_area = self._work_area(keys or visible_keys(ctx.role))
        self.screens.addWidget(self.work_area)
        self.lock_screen = LockScreen(ctx.counter, ctx.operator)
        self.lock_screen.unlocked.connect(self.unlock)
        self.lock_screen.supervisor_unlocked.connect(self.unlock_for_shift_close)
        self.screens.addWidget(self.lock_screen)
        self.setCentralWidget(self._with_banner(self.screens))
        self.setStatusBar(DeviceStatusBar(ctx.counter, runner()))
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
        row = QHBoxLayout()
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
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
            action.triggered.connect(lambda _c=False, lang=lang: self.language_change_requested.emit(lang))
            group.addAction(action)
            language_menu.addAction(action)
            self.language_actions[lang] = action

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

    def closeEvent(self, event) -> None:
        self.idle.stop()
        super().closeEvent(event)
