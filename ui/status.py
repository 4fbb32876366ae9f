"""Always-visible state: device status in the status bar, the busy indicator, the 演示 banner.

Device status is polled every few seconds through the same single worker as every facade call
(quiet ops: no busy indicator, no dialog). A hung device therefore shows as a stale status, never as
a frozen window.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from ui.facade import DeviceStatus, optional_device_status
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


def status_text(status: DeviceStatus) -> dict[str, tuple[str, bool]]:
    """Label text and whether it is healthy, per device."""
    ok = translate("Status", "正常")
    names = {
        "ok": ok,
        "offline": translate("Status", "离线"),
        "unknown": translate("Status", "未知"),
        "out": translate("Status", "缺纸"),
    }
    out = {
        "reader": (
            translate("Status", "读卡器：{0}").format(names.get(status.reader, status.reader)),
            status.reader == "ok",
        ),
        "printer": (
            translate("Status", "打印机：{0}").format(names.get(status.printer, status.printer)),
            status.printer == "ok",
        ),
        "paper": (
            translate("Status", "纸：{0}").format(names.get(status.paper, status.paper)),
            status.paper == "ok",
        ),
        "port": (translate("Status", "端口：{0}").format(status.port), True),
    }
    if status.queued_receipts:
        out["queue"] = (translate("Status", "待打印凭条 {0} 张").format(status.queued_receipts), False)
    else:
        out["queue"] = ("", True)
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
        self.show_status(DeviceStatus("unknown", "unknown", "unknown", "—"))
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
        FacadeOp(self, lambda: optional_device_status(counter)).quiet().success(self._polled).failure(
            lambda _e: self._polled(DeviceStatus("offline", "offline", "unknown", "?"))
        ).run()

    def _polled(self, status: DeviceStatus) -> None:
        self._polling = False
        self.show_status(status)

    def show_status(self, status: DeviceStatus) -> None:
        for key, (text, healthy) in status_text(status).items():
            label = self.labels[key]
            label.setText(text)
            label.setStyleSheet("" if healthy else "color: #b00020; font-weight: bold;")
