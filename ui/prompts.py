"""The Qt side of `counter_app.prompts.PromptHandler` (Electrum's QtHandlerBase).

The core calls these methods on the worker thread. Each emits a signal (delivered queued to the GUI
thread), then waits on a `threading.Event` the GUI slot sets once the person answered. Calling them
on the GUI thread would deadlock, so that is refused loudly.
"""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from counter_app.approval_summary import ApprovalSummary
from ui.approval_dialog import ApprovalDialog, ApprovalRequest, behind_lock, request_from_summary
from ui.i18n import current_language

translate = QCoreApplication.translate


class QtPrompts(QObject):
    """Implements counter_app.prompts.PromptHandler for a window."""

    _message_sig = Signal(str)
    _finished_sig = Signal()
    _yes_no_sig = Signal(str)
    _approval_sig = Signal(object)

    def __init__(self, window: QWidget, approval_asker=None) -> None:
        super().__init__(window)
        self._window = window
        # approval_asker(parent, summary) -> Approval | None; defaults to the modal dialog.
        self._approval_asker = approval_asker
        self._done = threading.Event()
        self._answer: Any = None
        self._note: QMessageBox | None = None
        self._message_sig.connect(self._on_message)
        self._finished_sig.connect(self._on_finished)
        self._yes_no_sig.connect(self._on_yes_no)
        self._approval_sig.connect(self._on_approval)

    # --- called on the worker thread ---------------------------------------------------------
    def show_message(self, text: str) -> None:
        self._message_sig.emit(text)

    def finished(self) -> None:
        self._finished_sig.emit()

    def ask_yes_no(self, text: str) -> bool:
        return bool(self._ask(self._yes_no_sig, text))

    def ask_approval(self, summary: Any) -> Any | None:
        """`summary`: the core's ApprovalSummary (shown as the core words it), or a plain dict."""
        return self._ask(self._approval_sig, summary)

    def _ask(self, signal, payload) -> Any:
        if QThread.currentThread() is self.thread():
            raise RuntimeError("QtPrompts must be called from the worker thread, not the GUI thread")
        self._done.clear()
        signal.emit(payload)
        self._done.wait()
        return self._answer

    # --- GUI thread --------------------------------------------------------------------------
    def _reply(self, answer: Any) -> None:
        self._answer = answer
        self._done.set()

    def _on_message(self, text: str) -> None:
        self._on_finished()
        self._note = QMessageBox(
            QMessageBox.Icon.Information,
            translate("Prompts", "请操作"),
            text,
            QMessageBox.StandardButton.NoButton,
            self._window,
        )
        self._note.setModal(False)
        self._note.show()

    def _on_finished(self) -> None:
        if self._note is not None:
            self._note.close()
            self._note.deleteLater()
            self._note = None

    def _on_yes_no(self, text: str) -> None:
        if behind_lock(self._window):  # nobody answers for the operator behind the lock screen
            self._reply(False)
            return
        buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        answer = QMessageBox.question(self._window, translate("Prompts", "请确认"), text, buttons)
        self._reply(answer == QMessageBox.StandardButton.Yes)

    def _on_approval(self, summary: Any) -> None:
        if behind_lock(self._window):
            self._reply(None)
            return
        if self._approval_asker is None:
            if isinstance(summary, ApprovalSummary):  # the core's words for the bound payload
                request = ApprovalRequest(
                    operation=summary.title(current_language()), maker="", summary=summary
                )
            else:
                request = request_from_summary(summary)
            self._reply(ApprovalDialog.ask(self._window, request))
        else:
            self._reply(self._approval_asker(self._window, summary))
