"""Always-visible state: device status in the status bar, the busy indicator, the 演示 banner.

Device status is polled every few seconds through the same single worker as every facade call
(quiet ops: no busy indicator, no dialog). `counter.device_status()` answers within about a second
whatever the devices do (counter_app/device_status.py), so a hung device shows as "无响应" and
holds the worker only briefly; the window itself never waits for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from ui import style
from ui.ops import FacadeOp, FacadeRunner, current_runner

if TYPE_CHECKING:  # annotations only: the login window shows this module's banner before the core loads
    from ui.facade import DeviceState, DeviceStatus

translate = QCoreApplication.translate
POLL_MS = 5000
POLL_WHILE_PROBLEM_MS = 2000  # a waiting receipt or a printer fault: see it resolve promptly
AFTER_CALL_MS = 700  # a sale just returned: its receipt may be waiting on the printer


def simulated_banner() -> QLabel:
    """The permanent red banner when the counter runs simulated devices (DOMAIN.md "never happen")."""
    banner = QLabel(translate("Status", "演示 / SIMULATED —— 模拟设备，不是真实售电"))
    banner.setObjectName("simulatedBanner")
    banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
    banner.setStyleSheet(style.SIMULATED_BANNER_STYLE)  # its own colour: red means an error
    return banner


class BusyIndicator(QLabel):
    """Shown only after the runner says a call has taken 600 ms."""

    def __init__(self, runner: FacadeRunner, parent: QWidget | None = None) -> None:
        super().__init__(translate("Status", "⏳ 正在处理，请稍候…"), parent)
        self.setObjectName("busyIndicator")
        self.setStyleSheet(style.INFO_STYLE)
        self.hide()
        runner.busy_changed.connect(self.setVisible)


def _device_text(state: DeviceState, title: str) -> tuple[str, bool]:
    if not state.configured:
        return translate("Status", "{0}：未配置").format(title), False
    if not state.answered:
        return translate("Status", "{0}：无响应").format(title), False
    if state.device == "printer" and not state.online:
        return translate("Status", "{0}：脱机").format(title), False
    if state.cover_open:
        return translate("Status", "{0}：盖未关").format(title), False
    return translate("Status", "{0}：正常").format(title), True


def _paper_text(printer: DeviceState) -> tuple[str, bool]:
    names = {
        "ok": translate("Status", "正常"),
        "near_end": translate("Status", "将尽"),
        "out": translate("Status", "缺纸，请装纸"),
        "unknown": translate("Status", "未知"),
    }
    healthy = printer.paper in ("ok", "near_end") or not printer.configured
    return translate("Status", "纸：{0}").format(names.get(printer.paper, printer.paper)), healthy


def _port_text(status: DeviceStatus) -> str:
    ports = [s.port for s in (status.reader, status.printer) if s.port]
    shown = " / ".join(p.replace("socket://", "") for p in ports) or "—"
    if status.simulated:
        shown = translate("Status", "模拟 {0}").format(shown)
    return translate("Status", "端口：{0}").format(shown)


def status_text(status: DeviceStatus | None) -> dict[str, tuple[str, bool]]:
    """Label text and whether it is healthy, per label. None: not polled yet."""
    if status is None:
        unknown = translate("Status", "未知")
        return {
            "reader": (translate("Status", "读卡器：{0}").format(unknown), True),
            "printer": (translate("Status", "打印机：{0}").format(unknown), True),
            "paper": (translate("Status", "纸：{0}").format(unknown), True),
            "port": (translate("Status", "端口：{0}").format("—"), True),
            "queue": ("", True),
        }
    out = {
        "reader": _device_text(status.reader, translate("Status", "读卡器")),
        "printer": _device_text(status.printer, translate("Status", "打印机")),
        "paper": _paper_text(status.printer),
        "port": (_port_text(status), True),
        "queue": ("", True),
    }
    if status.queued_receipts:
        out["queue"] = (queue_text(status), False)
    return out


def printer_fault(printer: DeviceState) -> str | None:
    """What keeps the printer from printing, from what it last said: paper_out | cover_open |
    offline; None when nothing known does. A printer that only missed one poll (busy with a long
    receipt) is no fault here: the status bar says 无响应, the banner waits for a known fault."""
    if not printer.configured:
        return None
    if printer.paper == "out":
        return "paper_out"
    if printer.cover_open:
        return "cover_open"
    if printer.online is False:
        return "offline"
    return None


def _fault_names() -> dict[str, tuple[str, str]]:
    """fault → (short, what to do)."""
    return {
        "paper_out": (translate("Status", "缺纸"), translate("Status", "打印机缺纸，请立即装纸")),
        "cover_open": (translate("Status", "打印机盖未关"), translate("Status", "打印机盖未关，请合上")),
        "offline": (translate("Status", "打印机脱机"), translate("Status", "打印机脱机，请检查电源和连线")),
    }


def queue_text(status: DeviceStatus) -> str:
    """The receipts committed but not on paper, and why: truthful, never "已补打"."""
    n = status.queued_receipts
    fault = printer_fault(status.printer)
    if fault:
        return translate("Status", "{0} 张凭条待打印（{1}）").format(n, _fault_names()[fault][0])
    if not status.printer.answered:
        return translate("Status", "{0} 张凭条待打印（打印机无响应）").format(n)
    return translate("Status", "{0} 张凭条待打印（正在打印）").format(n)


def reprint_and_check(counter, session, receipt_no: str) -> tuple[int, DeviceStatus]:
    """On the worker: the 补打, then until the print thread has tried it (bounded by the printer's
    timeouts), then what the queue says: so the page says 已补打 only when it is on paper."""
    count = session.reprint_receipt(receipt_no=receipt_no)
    counter.wait_for_printing()
    return count, counter.device_status()


def reprint_pending_text(receipt_no: str, count: int, status: DeviceStatus) -> str | None:
    """None when nothing waits (the copy is printed); else what waits and why."""
    if not status.queued_receipts:
        return None
    return translate("Status", "补打 {0}（第 {1} 次）尚未打出：{2}").format(
        receipt_no, count, queue_text(status)
    )


def banner_text(status: DeviceStatus | None) -> tuple[str, str] | None:
    """(text, level) of the printer banner; None: nothing to say. level: error | working."""
    if status is None or not status.printer.configured:
        return None
    fault = printer_fault(status.printer)
    n = status.queued_receipts
    if fault:
        pending = (
            translate("Status", "{0} 张凭条未打印，恢复后自动打印，请交给对应客户").format(n)
            if n
            else translate("Status", "凭条暂时无法打印")
        )
        return "⚠ " + translate("Status", "{0}：{1}").format(_fault_names()[fault][1], pending), "error"
    if n:
        return translate("Status", "正在打印排队的 {0} 张凭条…").format(n), "working"
    return None


class PrinterBanner(QLabel):
    """Above every page while the printer cannot print or receipts wait: large, red, and there
    until the fault is gone and the queue is empty (issue 14 §3: paper out was only small text)."""

    STYLES = {
        "error": style.ERROR_BANNER_STYLE,
        "working": style.WORKING_BANNER_STYLE,
    }

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("printerBanner")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.level: str | None = None
        self.hide()

    def show_status(self, status: DeviceStatus | None) -> None:
        said = banner_text(status)
        if said is None:
            self.level = None
            self.hide()
            return
        text, self.level = said
        self.setText(text)
        self.setStyleSheet(self.STYLES[self.level])
        self.show()


class DeviceStatusBar(QStatusBar):
    status_changed = Signal(object)  # DeviceStatus | None, after each poll (the printer banner)

    def __init__(self, counter, runner: FacadeRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._counter = counter
        self._runner = runner
        self.labels: dict[str, QLabel] = {}
        for key in ("reader", "printer", "paper", "port", "queue"):
            self.labels[key] = QLabel()
            self.addPermanentWidget(self.labels[key])
        self.busy = BusyIndicator(runner)
        self.addWidget(self.busy)
        self.last: DeviceStatus | None = None
        self.show_status(None)
        self._timer = QTimer(self, interval=POLL_MS)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self._soon = QTimer(self, singleShot=True, interval=AFTER_CALL_MS)
        self._soon.timeout.connect(self.refresh)
        runner.visible_job_finished.connect(self._soon.start)
        self._polling = False
        self.refresh()

    def refresh(self) -> None:
        if self._polling:
            return  # the previous poll is still queued behind a slow call
        if current_runner() is not self._runner:
            return  # the worker this bar was built with is shut down (closing): no new one for a poll
        self._polling = True
        counter = self._counter
        FacadeOp(self, counter.device_status).quiet().success(self._polled).failure(
            lambda _e: self._polled(None)
        ).run()

    def _polled(self, status: DeviceStatus | None) -> None:
        self._polling = False
        self.last = status
        self.show_status(status)
        problem = banner_text(status) is not None
        self._timer.setInterval(POLL_WHILE_PROBLEM_MS if problem else POLL_MS)
        self.status_changed.emit(status)

    def show_status(self, status: DeviceStatus | None) -> None:
        for key, (text, healthy) in status_text(status).items():
            label = self.labels[key]
            label.setText(text)
            label.setStyleSheet("" if healthy else style.DEVICE_DOWN_STYLE)
