"""Every facade call runs off the GUI thread, one at a time, through `FacadeOp`.

Modelled on Anki's `CollectionOp`:

    FacadeOp(self, lambda: session.top_up(account_no=a, amount_fen=f)) \
        .success(self._show_sale).failure(self._show_refusal).run()

Why ONE worker thread with a queue and not a QThreadPool: the facade's database session and the
serial devices behind it are not for concurrent use (a pool could run two card writes on the same
port at once; notes/libraries.md §3). Jobs are therefore serialised in submission order.

Why the GUI never freezes: the GUI thread only enqueues; a call that hangs on a device blocks the
worker, not the event loop. After ~600 ms a busy indicator appears (Anki's rule: no flicker for
fast calls) and goes away when the queue drains.

The Qt adapter (`FacadeRunner`) HOLDS the plain Python work (a callable); nothing inherits from both
QObject and a core ABC (Dangerzone needed a metaclass hack for that).
"""

from __future__ import annotations

import logging
import queue
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from base.errors import UserFacingError
from counter_app.logs import explain
from ui import i18n, style
from ui.next_steps import with_next_step

log = logging.getLogger(__name__)
translate = QCoreApplication.translate

BUSY_DELAY_MS = 600


@dataclass(eq=False)
class _Job:
    fn: Callable[[], Any]
    parent: QWidget | None
    on_success: Callable[[Any], None] | None = None
    on_failure: Callable[[BaseException], None] | None = None
    quiet: bool = False  # background polls: no busy indicator, errors only logged
    extra: dict = field(default_factory=dict)


class _WorkerThread(QThread):
    """Runs queued jobs one after the other; reports each back through a queued signal."""

    done = Signal(object, object, object)  # job, result, exception

    def __init__(self) -> None:
        super().__init__()
        self.jobs: queue.Queue[_Job | None] = queue.Queue()

    def run(self) -> None:
        while (job := self.jobs.get()) is not None:
            try:
                result = job.fn()
            except BaseException as exc:  # noqa: BLE001 — every failure goes back to the GUI
                self.done.emit(job, None, exc)
            else:
                self.done.emit(job, result, None)


class FacadeRunner(QObject):
    """The one worker of the workstation. `busy_changed(True)` fires 600 ms into a pending call."""

    busy_changed = Signal(bool)
    job_finished = Signal()
    visible_job_finished = Signal()  # a call a person made (not a background poll) has answered

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread = _WorkerThread()
        self._thread.done.connect(self._on_done)  # queued: the thread emits, we live on the GUI thread
        self._pending = 0  # visible jobs not yet finished
        self.busy = False
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(BUSY_DELAY_MS)
        self._busy_timer.timeout.connect(self._set_busy)
        self._thread.start()

    @property
    def pending(self) -> int:
        return self._pending

    def submit(self, job: _Job) -> None:
        if not job.quiet:
            self._pending += 1
            if not self._busy_timer.isActive() and not self.busy:
                self._busy_timer.start()
        self._thread.jobs.put(job)

    def shutdown(self, wait_ms: int = 2000) -> None:
        """Stop after the current job; a job hung on a device is abandoned (the thread is daemonic in effect)."""
        self._thread.jobs.put(None)
        self._thread.wait(wait_ms)

    def _set_busy(self) -> None:
        if self._pending and not self.busy:
            self.busy = True
            self.busy_changed.emit(True)

    def _on_done(self, job: _Job, result: Any, exc: BaseException | None) -> None:
        if not job.quiet:
            self._pending -= 1
            if self._pending == 0:
                self._busy_timer.stop()
                if self.busy:
                    self.busy = False
                    self.busy_changed.emit(False)
        try:
            _deliver(job, result, exc)
        finally:
            self.job_finished.emit()
            if not job.quiet:
                self.visible_job_finished.emit()


def _deliver(job: _Job, result: Any, exc: BaseException | None) -> None:
    # The page that asked may be gone (window closed, language switched): drop the answer then.
    if job.parent is not None and not shiboken6.isValid(job.parent):
        return
    if exc is None:
        if job.on_success:
            job.on_success(result)
    elif job.on_failure:
        job.on_failure(exc)
    elif job.quiet:
        log.warning("background call failed: %s", exc)
    else:
        show_error(job.parent, exc)


_runner: FacadeRunner | None = None


def runner() -> FacadeRunner:
    """The workstation's single worker, created on first use (after QApplication exists)."""
    global _runner
    if _runner is None or not shiboken6.isValid(_runner):
        _runner = FacadeRunner()
    return _runner


def current_runner() -> FacadeRunner | None:
    """The worker if there is one, without creating it (a poll after shutdown must not start one)."""
    return _runner if _runner is not None and shiboken6.isValid(_runner) else None


def set_runner(new: FacadeRunner | None) -> None:
    """Tests install a fresh runner per test; `main` shuts the old one down on exit."""
    global _runner
    _runner = new


class FacadeOp:
    """Builder for one background facade call (Anki's CollectionOp)."""

    def __init__(self, parent: QWidget | None, fn: Callable[[], Any]) -> None:
        self._job = _Job(fn=fn, parent=parent)

    def success(self, cb: Callable[[Any], None]) -> FacadeOp:
        self._job.on_success = cb
        return self

    def failure(self, cb: Callable[[BaseException], None]) -> FacadeOp:
        """Replaces the default error dialog (e.g. to show the message next to a field)."""
        self._job.on_failure = cb
        return self

    def quiet(self) -> FacadeOp:
        self._job.quiet = True
        return self

    def run(self) -> None:
        runner().submit(self._job)


def error_text(exc: BaseException) -> str:
    """The message and what to do next, wholly in the UI's language: Chinese, or the English message
    (`message_en`, i.e. detail_en) with the translated hint — never "输入有误：Please fill…" (issue 14 §11).
    No error code here: a code is never shown alone, only small after the message (`code_note`)."""
    shown = explain(exc)
    if i18n.current_language() == "en":
        return with_next_step(shown.code, shown.message_en)
    return with_next_step(shown.code, shown.message)


def code_note(exc: BaseException) -> str:
    """ "(SHIFT_NOT_OPEN)": the refusal's code, for the log and the help desk, shown small in brackets
    under the human message; empty for anything that is not a UserFacingError."""
    return f"({exc.code})" if isinstance(exc, UserFacingError) else ""


def show_error(parent: QWidget | None, exc: BaseException) -> QMessageBox:
    """The default error dialog. Window-modal but opened with `open()`, so nothing blocks."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(translate("Ops", "提示"))
    box.setText(error_text(exc))
    if code_note(exc):
        box.setInformativeText(f"<small style='color:{style.MUTED}'>{code_note(exc)}</small>")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
