"""Always-visible state: device status in the status bar, the busy indicator, the 演示 banner.

Device status is polled every few seconds through the same single worker as every facade call
(quiet ops: no busy indicator, no dialog). `counter.device_status()` answers within about a second
whatever the devices do (counter_app/device_status.py), so a hung device shows as "无响应" and
holds the worker only briefly; the window itself never waits for it.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from ui.facade import DeviceState, DeviceStatus
from ui.ops import FacadeOp, FacadeRunner

translate = QCoreApplication.translate
POLL_MS = 5000


def simulated_banner() -> QLabel:
    """The permanent red banner when the counter runs simulated devices (DOMAIN.md "never happen")."""
    banner = QLabel(translate("Status", "演示 / SIMULATED —— 模拟设备，不是真实售电"))
    banner.setObjectName("simulatedBanner")
    banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
    banner.setStyleSheet(
        "background: #c62828; color: white; font-weight: bold; font-size: 16px; padding: 4px;"
    )
    return banner


class BusyIndicator(QLabel):
    """Shown only after the runner says a call has taken 600 ms."""

    def __init__(self, runner: FacadeRunner, parent: QWidget | None = None) -> None:
        super().__init__(translate("Status", "⏳ 正在处理，请稍候…"), parent)
        self.setObjectName("busyIndicator")
        self.setStyleSheet("color: #0d47a1; font-weight: bold;")
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
        out["queue"] = (
            translate("Status", "待打印凭条 {0} 张（装纸后自动补打）").format(status.queued_receipts),
            False,
        )
    return out


class DeviceStatusBar(QStatusBar):
    def __init__(self, counter, runner: FacadeRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._counter = counter
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
        self._polling = False
        self.refresh()

    def refresh(self) -> None:
        if self._polling:
            return  # the previous poll is still queued behind a slow call
        self._polling = True
        counter = self._counter
        FacadeOp(self, counter.device_status).quiet().success(self._polled).failure(
            lambda _e: self._polled(None)
        ).run()

    def _polled(self, status: DeviceStatus | None) -> None:
        self._polling = False
        self.last = status
        self.show_status(status)

    def show_status(self, status: DeviceStatus | None) -> None:
        for key, (text, healthy) in status_text(status).items():
            label = self.labels[key]
            label.setText(text)
            label.setStyleSheet("" if healthy else "color: #b00020; font-weight: bold;")
