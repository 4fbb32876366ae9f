"""The backup warning in the status bar of the head, the department assistant and the
administrator: when the last VERIFIED backup is older than the setting `backup.warn_after_days`
(or there is none) or the last attempt failed (`counter.backup_status()`, docs/api.md "Backups").
The same warning heads their morning list (counter_app/ops/exceptions_list.py, kind `backup`).

Red, with words (never colour alone), shown at login and checked again every few minutes on the
worker; hidden while all is well and on PostgreSQL (the server's own routine backs it up).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QLabel, QMainWindow, QWidget

from ui import style
from ui.ops import FacadeOp, current_runner, runner
from ui.times import shown_time

translate = QCoreApplication.translate
BACKUP_ROLES = frozenset({"head", "assistant", "admin"})
CHECK_MS = 10 * 60 * 1000
STYLE = style.banner(style.ERROR, style.BASE_PX, 1) + " padding: 1px 8px;"


def backup_warning_text(status: Any) -> str | None:
    """The one line the status bar shows, or None when nothing is wrong."""
    if status is None or not status.automatic:
        return None
    if status.last_failure is not None and status.last_failure_at is not None:
        when = shown_time(status.last_failure_at)
        return translate("Backup", "⚠ 备份失败（{0}）：{1}").format(when, status.last_failure)
    if not status.stale:
        return None
    if status.last_good_at is None:
        if status.target_dir is None:
            return translate("Backup", "⚠ 尚无备份：未设置备份目录")
        return translate("Backup", "⚠ 尚无经校验的备份")
    when = shown_time(status.last_good_at)
    return translate("Backup", "⚠ 最近一次备份在 {0}，已超过 {1} 天").format(when, status.warn_after_days)


class BackupWarning(QLabel):
    def __init__(self, counter: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("backupWarning")
        self.setStyleSheet(STYLE)
        self.hide()
        self._counter = counter
        self._runner = runner()
        self._timer = QTimer(self, interval=CHECK_MS)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self.refresh()

    def refresh(self) -> None:
        if current_runner() is not self._runner:
            return  # closing: the worker this window was built with is gone
        FacadeOp(self, self._counter.backup_status).quiet().success(self.show_status).failure(
            lambda _e: None
        ).run()

    def show_status(self, status: Any) -> None:
        text = backup_warning_text(status)
        self.setText(text or "")
        self.setToolTip(
            translate("Backup", "最近一次有效备份：{0}").format(status.last_good_path or "—")
            if status
            else ""
        )
        self.setVisible(text is not None)


def install_backup_warning(window: QMainWindow, ctx: Any) -> BackupWarning | None:
    """In the status bar of the roles that look after backups; None for the others."""
    if not BACKUP_ROLES & ctx.roles:
        return None
    warning = BackupWarning(ctx.counter)
    window.statusBar().insertPermanentWidget(0, warning)
    return warning
