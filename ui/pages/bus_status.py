"""总线状态: every networked meter bus (issue 17 §5) — its port, protocol, how many meters answered
at their last read, whether this counter's scheduled rounds run on it; the chosen bus's meters with
their room, address, last reading, relay and since when they have not answered; a round now (立即抄表)
with a progress bar (the round runs on a core thread: the window's worker stays free for sales).

Keyboard: the bus list has the focus when the page opens (↑/↓ choose a bus, its meters show below);
Alt+R reads every meter now, Alt+U reads the chosen bus only, F5 (on this page) refreshes.
The bus is talked to on the worker (ui/ops.py), through the counter's one driver per port.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QProgressBar, QPushButton, QTableView, QWidget

from ui.models import Column, RowsModel, kwh_column
from ui.ops import FacadeOp, error_text
from ui.pages.base import Page
from ui.pages.form import note
from ui.pages.networked import relay_text
from ui.times import shown_time
from ui.widgets import ERROR_STYLE, info_label

translate = QCoreApplication.translate


def answered_text(meter: Any) -> str:
    """The newest read: answered, never read, or silent since a moment (one column: the page fits
    1366 px with the demo panel open)."""
    if meter.answered is None:
        return translate("BusStatus", "未抄过")
    if meter.answered:
        return translate("BusStatus", "应答")
    if meter.unanswered_since is None:
        return translate("BusStatus", "无应答")
    return translate("BusStatus", "无应答，自 {0} 起").format(shown_time(meter.unanswered_since))


def buses_model(parent=None) -> RowsModel:
    return RowsModel([
        Column(translate("BusStatus", "总线"), lambda b: b.bus),
        Column(translate("BusStatus", "端口"), lambda b: b.url or translate("BusStatus", "（未配置）")),
        Column(translate("BusStatus", "协议"), lambda b: b.protocol),
        Column(translate("BusStatus", "表数"), lambda b: len(b.meters), align_right=True),
        Column(translate("BusStatus", "上次应答"), lambda b: f"{b.answered}/{len(b.meters)}", align_right=True),
        Column(translate("BusStatus", "定时抄表"), lambda b: b.scheduled,
               lambda v: translate("BusStatus", "运行中") if v else translate("BusStatus", "未运行")),
        Column(translate("BusStatus", "问题"), lambda b: b.problem or ""),
    ], parent)  # fmt: skip


def meters_model(parent=None) -> RowsModel:
    return RowsModel([
        Column(translate("BusStatus", "房间"), lambda m: m.room_code),
        Column(translate("BusStatus", "账户"), lambda m: m.account_no),
        Column(translate("BusStatus", "表地址"), lambda m: m.address),
        kwh_column(translate("BusStatus", "读数 kWh"), lambda m: m.energy_ckwh),
        Column(translate("BusStatus", "抄表时间"), lambda m: m.read_at, shown_time),  # to the minute
        Column(translate("BusStatus", "继电器"), lambda m: m.relay_closed, relay_text),
        Column(translate("BusStatus", "最近一次"), lambda m: m, answered_text),
    ], parent)  # fmt: skip


def _table(model: RowsModel, height: int) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
    view.verticalHeader().hide()
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    view.setMinimumHeight(height)
    return view


def polling_text(state: Any) -> str:
    if not state.running:
        return translate("BusStatus", "定时抄表：本次登录未运行（需营业员、监督人、部门助理或主任登录）")
    if state.reason == "off":
        return translate("BusStatus", "定时抄表：已关闭（设置 meter_bus.poll_minutes 为 0）")
    if state.reason == "another_workstation":
        return translate("BusStatus", "定时抄表：由另一工作站运行（设置 meter_bus.poll_workstation）")
    if not state.buses:
        return translate("BusStatus", "定时抄表：每 {0} 分钟；没有可抄的总线").format(state.minutes)
    return translate("BusStatus", "定时抄表：每 {0} 分钟，总线 {1}").format(
        state.minutes, "、".join(state.buses)
    )


class BusStatusPage(Page):
    @classmethod
    def caption(cls) -> str:
        return translate("BusStatus", "总线状态")

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(ctx, parent)
        self.timer = QTimer(self)  # while a round runs: how far it is, every 300 ms
        self.timer.setSingleShot(True)
        self.timer.setInterval(300)
        self.timer.timeout.connect(self._ask_progress)
        self.polling = self.add(info_label(""))
        self.add(self._controls())
        self.progress = QProgressBar()
        self.progress.setFormat("%v/%m")
        self.progress.hide()
        self.add(self.progress)
        self.status = self.add(info_label(""))
        self.buses = buses_model(self)
        self.bus_view = _table(self.buses, 150)
        self.bus_view.selectionModel().currentRowChanged.connect(lambda current, _prev: self._show_meters())
        self.add(self.bus_view)
        self.meters_note = self.add(note(translate("BusStatus", "电表：")))
        self.meters = meters_model(self)
        self.add(_table(self.meters, 220))
        self.finish()
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, self.refresh,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)  # fmt: skip

    def _controls(self) -> QWidget:
        self.read_all_button = QPushButton(translate("BusStatus", "全部立即抄表(&R)"))
        self.read_all_button.clicked.connect(lambda: self.read_now(None))
        self.read_bus_button = QPushButton(translate("BusStatus", "抄所选总线(&U)"))
        self.read_bus_button.clicked.connect(lambda: self.read_now(self.chosen_bus()))
        refresh = QPushButton(translate("BusStatus", "刷新 (F5)"))
        refresh.clicked.connect(self.refresh)
        row = QHBoxLayout()
        for widget in (self.read_all_button, self.read_bus_button, refresh):
            row.addWidget(widget)
        row.addStretch(1)
        box = QWidget()
        box.setLayout(row)
        return box

    def activated(self) -> None:
        self.bus_view.setFocus()
        self.refresh()

    def chosen_bus(self) -> str | None:
        index = self.bus_view.currentIndex()
        return self.buses.row(index.row()).bus if index.isValid() else None

    def refresh(self) -> None:
        session = self.ctx.session
        FacadeOp(self, session.bus_status).success(self._show).failure(self._fail).run()
        FacadeOp(self, session.meter_polling_state).success(
            lambda state: self.polling.setText(polling_text(state))
        ).quiet().run()

    def read_now(self, bus: str | None) -> None:
        """The round runs on a thread of the core's (MeterPolling.start_round), not on the window's
        worker: a long bus never keeps a sale waiting. A timer asks how far it is."""
        session = self.ctx.session
        for button in (self.read_all_button, self.read_bus_button):
            button.setEnabled(False)
        self.progress.setRange(0, 0)  # busy until the first meter is done
        self.progress.show()
        self.status.setStyleSheet("")
        self.status.setText(translate("BusStatus", "正在抄表…"))
        FacadeOp(self, lambda: session.start_bus_round(bus=bus)).success(self._round_tick).failure(
            self._fail
        ).run()

    def _ask_progress(self) -> None:
        FacadeOp(self, self.ctx.session.bus_round_progress).success(self._round_tick).quiet().run()

    def _round_tick(self, progress: Any) -> None:
        if progress.running:
            if progress.total:
                self._progressed(progress.done, progress.total)
            self.timer.start()
            return
        self.timer.stop()
        if progress.error is not None:
            self._fail(progress.error)
        else:
            self._read_done(list(progress.results))

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _read_done(self, results: list[Any]) -> None:
        self._enable()
        parts = [
            translate("BusStatus", "{0}：未抄（{1}）").format(r.bus, r.problem) if r.problem
            else translate("BusStatus", "{0}：端口无法使用").format(r.bus) if r.port_failed
            else translate("BusStatus", "{0}：应答 {1}，无应答 {2}").format(r.bus, r.answered, r.unanswered)
            for r in results
        ]  # fmt: skip
        failed = any(r.problem or r.port_failed or r.unanswered for r in results)
        self.status.setStyleSheet(ERROR_STYLE if failed else "color: #1b5e20;")
        self.status.setText("；".join(parts) or translate("BusStatus", "没有联网计量的总线"))
        self.refresh()

    def _show(self, states: list[Any]) -> None:
        chosen = self.chosen_bus()
        self.buses.set_rows(states)
        names = [s.bus for s in states]
        row = names.index(chosen) if chosen in names else 0
        if states:
            self.bus_view.selectRow(row)
        self._show_meters()

    def _show_meters(self) -> None:
        index = self.bus_view.currentIndex()
        if not index.isValid():
            self.meters.set_rows([])
            return
        state = self.buses.row(index.row())
        self.meters_note.setText(translate("BusStatus", "总线 {0} 的电表：").format(state.bus))
        self.meters.set_rows(state.meters)

    def _enable(self) -> None:
        self.progress.hide()
        for button in (self.read_all_button, self.read_bus_button):
            button.setEnabled(True)

    def _fail(self, exc: BaseException) -> None:
        self._enable()
        self.status.setStyleSheet(ERROR_STYLE)
        self.status.setText(error_text(exc))
