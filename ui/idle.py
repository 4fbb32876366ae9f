"""Auto-lock after N idle minutes (setting `idle_lock_minutes`, default 5).

An application-wide event filter restarts a single-shot timer on every key press and mouse press;
when it fires, `idle` is emitted and the main window shows the lock screen. A shared Windows account
at the counter is exactly why the lock exists: the next person must not sell as the last one.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

DEFAULT_MINUTES = 5
_ACTIVITY = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel}


class IdleWatcher(QObject):
    idle = Signal()

    def __init__(self, minutes: float = DEFAULT_MINUTES, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.idle)
        self.set_minutes(minutes)
        QApplication.instance().installEventFilter(self)

    def set_minutes(self, minutes: float) -> None:
        self.interval_ms = max(1, int(float(minutes) * 60_000))
        self._timer.setInterval(self.interval_ms)
        self._timer.start()

    def set_interval_ms(self, ms: int) -> None:
        """Tests use milliseconds rather than minutes."""
        self.interval_ms = ms
        self._timer.setInterval(ms)
        self._timer.start()

    def pause(self) -> None:
        self._timer.stop()

    def resume(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY and self._timer.isActive():
            self._timer.start()
        return False
