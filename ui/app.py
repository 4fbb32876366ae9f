"""The workstation's screens in order: login (+ shift) → main window → lock/logout → login.

The composition root (counter_app/main.py) shows the first login window itself (`ui.login.show_first`)
before the core is imported, and imports this module (the main window and every page) only once the
counter is open, handing that window over (`WorkstationApp.take_over`; issue 16, docs/architecture.md
"The start"). `run(app, counter)` starts with an open counter; tests build `WorkstationApp` directly
with the fake counter.

The lock state of a login is `self.ctx.locked` (ui/context.py), kept here for the whole login and
handed to every window built for it: a rebuilt window (language switch) starts locked when the old
one was, and logging out is refused while locked. Only the lock screen's password clears it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtWidgets import QApplication

from ui import i18n, style
from ui.context import Workstation
from ui.facade import Counter, WorkstationSession
from ui.login import LOGIN_SIZE, LoginWindow
from ui.main_window import MainWindow
from ui.ops import FacadeOp

IDLE_KEY = "idle_lock_minutes"


class WorkstationApp:
    def __init__(
        self, app: QApplication, counter: Counter, approval_factory: Callable[..., Any] | None = None
    ) -> None:
        self.app, self.counter, self.approval_factory = app, counter, approval_factory
        style.apply(app)  # the one look (ui/style.py), before the first window
        self.login: LoginWindow | None = None
        self.window: MainWindow | None = None
        self.ctx: Workstation | None = None

    @property
    def locked(self) -> bool:
        return self.ctx is not None and self.ctx.locked

    def start(self) -> None:
        self.show_login()

    def take_over(self, login: LoginWindow) -> None:
        """Adopt the login window the start showed while the counter was opening (`ui.login.show_first`,
        issue 16): from now on a login goes on to the main window, and the window lets it happen."""
        self.login = login
        login.logged_in.connect(self._logged_in)
        login.counter_ready(self.counter)

    def show_login(self) -> None:
        if self.window is not None and shiboken6.isValid(self.window):
            self.window.close()
            self.window.deleteLater()
        self.window = None
        self.login = LoginWindow(self.counter)
        self.login.logged_in.connect(self._logged_in)
        self.login.resize(*LOGIN_SIZE)
        self.login.show()

    def _logged_in(self, session: WorkstationSession) -> None:
        self.ctx = Workstation(self.counter, session, self.approval_factory)
        FacadeOp(self.login, lambda: session.get_setting(IDLE_KEY)).success(self._open_main).failure(
            lambda _exc: self._open_main(None)
        ).run()

    def _open_main(self, idle_minutes: Any) -> None:
        if isinstance(idle_minutes, int | float) and idle_minutes > 0:
            self.ctx.idle_lock_minutes = idle_minutes
        if self.login is not None:
            self.login.close()
            self.login.deleteLater()
            self.login = None
        self._show_main()
        # Scheduled meter rounds (issue 17) run in the core on their own threads while someone is
        # logged in here; starting them is a short call on the worker, and a login without a
        # meter-reading role just gets "not running" (the 总线状态 page shows the state).
        if self.ctx is not None:
            FacadeOp(None, self.ctx.session.start_meter_polling).quiet().run()

    def _show_main(self) -> None:
        self.window = MainWindow(self.ctx)
        self.window.language_change_requested.connect(self.change_language)
        self.window.logged_out.connect(self.log_out)
        style.fit_to_screen(self.window)  # 1366×768 less a taskbar fits; larger screens get more
        self.window.show()

    def change_language(self, lang: str) -> None:
        """Pages read their texts when built, so the window is rebuilt with the same session and the
        same `ctx`: a locked window comes back locked (on the lock screen, in the new language)."""
        i18n.save_language(lang)
        i18n.install(self.app, lang)
        old = self.window
        if old is not None and shiboken6.isValid(old):
            old.idle.stop()  # the old window's timer must not fire into the shared ctx meanwhile
        self._show_main()
        if old is not None and shiboken6.isValid(old):
            old.close()
            old.deleteLater()

    def log_out(self) -> None:
        if self.locked:  # leaving the lock screen takes the password, never a menu
            return
        session = self.ctx.session if self.ctx else None
        if session is not None:
            FacadeOp(None, session.logout).quiet().run()
        self.ctx = None
        self.show_login()


def run(app: QApplication, counter: Counter, approval_factory: Callable[..., Any] | None = None) -> int:
    workstation = WorkstationApp(app, counter, approval_factory)
    workstation.start()
    return app.exec()
