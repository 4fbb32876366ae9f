"""报表: choose a report and a date range, preview its rows (and the day's takings by hour), export
it as PDF, Excel or CSV.

The preview is the facade's `report_table` (docs/api.md), the very table `report(...)` renders into
bytes: what the page shows is what the file holds, and the day report's hour chart (which CSV
cannot carry) comes with it. Parsing the CSV back would have lost the chart and the column kinds.
Long reports (分户明细) call `progress(done, total)` on the worker; `ProgressRelay` turns that into
a queued signal for the progress bar.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, QObject, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QProgressBar,
    QPushButton,
    QTableView,
    QWidget,
)

from base.money import format_kwh, format_price, format_yuan
from counter_app.settlement.months import period_days, period_of
from ui import style
from ui.models import Column, RowsModel
from ui.ops import FacadeOp, error_text
from ui.pages.base import Page
from ui.pages.report_chart import HourChart
from ui.times import SECONDS, shown_time
from ui.widgets import ERROR_STYLE, info_label

translate = QCoreApplication.translate
EXPORTS = (("pdf", "PDF"), ("xlsx", "Excel"), ("csv", "CSV"), ("png", "PNG"))
# The one-page notices posted as a picture in the dorms' chat groups (the PNG is the first page).
PICTURE_KINDS = {"low-balance", "tariff-board"}
MONTHLY = {"month", "collection", "power-company", "monthly-trend", "free-per-room", "account-detail", "quota",
           "reconciliation", "deposits", "approvals", "loss-check", "abnormal", "four-party", "k3",
           "collection-checks", "visitor-log"}


def report_kinds() -> tuple[tuple[str, str], ...]:
    """Every kind the facade's `report` knows, with the name people use for it."""
    return (
        ("day", translate("Reports", "日报表")),
        ("week", translate("Reports", "周报表")),
        ("month", translate("Reports", "月报表")),
        ("year", translate("Reports", "年报表")),
        ("collection", translate("Reports", "电费月收费报表")),
        ("account-detail", translate("Reports", "电费分户明细表")),
        ("quota", translate("Reports", "定额送电")),
        ("low-balance", translate("Reports", "低电量通报")),
        ("reconciliation", translate("Reports", "通知单对账")),
        ("deposits", translate("Reports", "缴款记录")),
        ("approvals", translate("Reports", "监督确认统计")),
        ("card-stock", translate("Reports", "卡片库存")),
        ("tariff-board", translate("Reports", "电价公示")),
        ("tender-match", translate("Reports", "一卡通/微信/支付宝对账")),
        ("loss-check", translate("Reports", "线损检查")),
        ("abnormal", translate("Reports", "异常用电户")),
        ("four-party", translate("Reports", "四方对账")),
        ("k3", translate("Reports", "K3 记账凭证")),
        ("module-stock", translate("Reports", "电表模块库存")),
        ("repair-prices", translate("Reports", "维修价目表")),
        ("sales-register", translate("Reports", "售电登记表")),
        ("weekly-figures", translate("Reports", "周例会数据")),
        ("power-company", translate("Reports", "供电局电费结算统计")),
        ("monthly-trend", translate("Reports", "月度趋势")),
        ("arrears", translate("Reports", "欠费及违规用电")),
        ("free-per-room", translate("Reports", "免费电量分户核对")),
        ("collection-checks", translate("Reports", "收账检查记录")),
        ("visitor-log", translate("Reports", "来电来访登记")),
        ("rotation", translate("Reports", "轮岗任职")),
    )


def default_range(kind: str, today: date, month_end_day: int) -> tuple[date, date]:
    """Today for a day report; this ISO week; this accounting month (month_end_day) so far; the
    accounting year so far; today for the as-of lists."""
    if kind in ("week", "weekly-figures"):
        return today - timedelta(days=today.weekday()), today
    if kind in MONTHLY:
        return period_days(period_of(today, month_end_day), month_end_day)[0], today
    if kind == "year":
        year = period_of(today, month_end_day)[:4]
        return period_days(f"{year}-01", month_end_day)[0], today
    return today, today


def cell_text(kind: str, value: Any) -> str:
    if value is None:
        return ""
    if kind == "yuan":
        return format_yuan(int(value))
    if kind == "kwh":
        return format_kwh(int(value))
    if kind == "price":
        return format_price(int(value))
    if kind == "datetime":
        return shown_time(value, SECONDS)
    return value.isoformat() if kind == "date" else str(value)


def table_model(table: Any, parent: QObject | None = None) -> RowsModel:
    """The report's rows (then its total line) in a table model; cells keep fen/ckwh in UserRole."""
    columns = [
        Column(
            c.title,
            lambda r, i=i: r[i],
            lambda v, k=c.kind: cell_text(k, v),
            c.kind in ("int", "yuan", "kwh", "price"),
        )
        for i, c in enumerate(table.columns)
    ]
    model = RowsModel(columns, parent)
    model.set_rows([*table.rows, *([table.total] if table.total else [])])
    return model


class ProgressRelay(QObject):
    """Lives on the GUI thread; `report(progress=relay.report)` is called on the worker, and the
    signal crosses threads queued (Qt's AutoConnection), so the bar is only touched by the GUI."""

    progressed = Signal(int, int)

    def report(self, done: int, total: int) -> None:
        self.progressed.emit(done, total)


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


class ReportsPage(Page):
    @classmethod
    def caption(cls) -> str:
        return translate("Reports", "报表")

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(ctx, parent)
        self.table_data: Any = None
        self.today: date | None = None
        self.month_end_day = 25
        self.relay = ProgressRelay(self)
        self.relay.progressed.connect(self._progressed)
        self.add(self._choices())
        self.progress = QProgressBar()
        self.progress.setFormat("%p%")
        self.progress.hide()
        self.add(self.progress)
        self.status = info_label()
        self.add(self.status)
        self.header = info_label()
        self.add(self.header)
        self.view = QTableView()
        self.view.setMinimumHeight(260)
        self.view.verticalHeader().hide()
        self.view.setAlternatingRowColors(True)
        self.add(self.view)
        self.chart = HourChart()
        self.chart.hide()
        self.add(self.chart)
        self.finish()

    def _choices(self) -> QWidget:
        box = QWidget()
        grid = QGridLayout(box)
        self.kind = QComboBox()
        for kind, name in report_kinds():
            self.kind.addItem(name, kind)
        self.kind.currentIndexChanged.connect(lambda _i: self._set_default_range())
        self.kind.currentIndexChanged.connect(lambda _i: self._offer_picture())
        self.start, self.end = QDateEdit(), QDateEdit()
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.preview_button = style.primary(QPushButton(translate("Reports", "预览")))
        self.preview_button.setDefault(True)
        self.preview_button.clicked.connect(self.preview)
        grid.addWidget(info_label(translate("Reports", "报表")), 0, 0)
        grid.addWidget(self.kind, 0, 1)
        grid.addWidget(info_label(translate("Reports", "从")), 0, 2)
        grid.addWidget(self.start, 0, 3)
        grid.addWidget(info_label(translate("Reports", "到")), 0, 4)
        grid.addWidget(self.end, 0, 5)
        grid.addWidget(self.preview_button, 0, 6)
        exports = QHBoxLayout()
        exports.addWidget(info_label(translate("Reports", "导出：")))
        self.export_buttons: dict[str, QPushButton] = {}
        for fmt, name in EXPORTS:
            button = QPushButton(name)
            button.clicked.connect(lambda _c=False, fmt=fmt: self.export(fmt))
            self.export_buttons[fmt] = button
            exports.addWidget(button)
        self.export_buttons["png"].setToolTip(translate("Reports", "第一页存为图片，发到宿舍群"))
        exports.addStretch(1)
        grid.addLayout(exports, 1, 0, 1, 7)
        grid.setColumnStretch(7, 1)  # the controls stay together on the left
        self._offer_picture()
        return box

    # --- the range -----------------------------------------------------------------------------------
    def activated(self) -> None:
        if self.today is None:  # once: the counter's date and the accounting month's end day
            counter, session = self.ctx.counter, self.ctx.session
            FacadeOp(self, lambda: (counter.clock().date(), session.get_setting("month_end_day"))).success(
                self._learn_today
            ).run()

    def _learn_today(self, answer: tuple[date, int]) -> None:
        self.today, self.month_end_day = answer
        self._set_default_range()

    def _set_default_range(self) -> None:
        if self.today is None:
            return
        first, last = default_range(self.selected_kind(), self.today, self.month_end_day)
        self.start.setDate(to_qdate(first))
        self.end.setDate(to_qdate(last))

    def selected_kind(self) -> str:
        return self.kind.currentData()

    def query(self) -> dict[str, Any]:
        return {
            "kind": self.selected_kind(),
            "start": from_qdate(self.start.date()),
            "end": from_qdate(self.end.date()),
        }

    # --- preview -------------------------------------------------------------------------------------
    def preview(self) -> None:
        query, session, progress = self.query(), self.ctx.session, self.relay.report
        self._busy(translate("Reports", "正在生成…"))
        FacadeOp(self, lambda: session.report_table(**query, progress=progress)).success(
            self.show_table
        ).failure(self._failed).run()

    def show_table(self, table: Any) -> None:
        self._idle()
        self.table_data = table
        self.model = table_model(table, self)
        self.view.setModel(self.model)
        style.fit_columns(self.view)
        self.header.setText("\n".join([table.title, *table.header_lines]))
        self.status.setText(translate("Reports", "共 {0} 行").format(len(table.rows)))
        if table.chart is not None:
            self.chart.set_chart(table.chart.title, table.chart.values, table.chart.unit,
                                 getattr(table.chart, "bar_labels", ()))  # fmt: skip
        self.chart.setVisible(table.chart is not None)

    # --- export --------------------------------------------------------------------------------------
    @classmethod
    def ask_save_path(cls, parent: QWidget | None, suggested: str, fmt: str) -> str | None:
        """The save dialog (modal; tests monkeypatch this). None when cancelled."""
        pattern = {"pdf": "PDF (*.pdf)", "xlsx": "Excel (*.xlsx)", "csv": "CSV (*.csv)", "png": "PNG (*.png)"}[fmt]
        path, _ = QFileDialog.getSaveFileName(parent, translate("Reports", "导出报表"), suggested, pattern)
        return path or None

    def _offer_picture(self) -> None:
        self.export_buttons["png"].setVisible(self.kind.currentData() in PICTURE_KINDS)

    def export(self, fmt: str) -> None:
        query = self.query()
        suggested = f"{query['kind']}_{query['start']}_{query['end']}.{fmt}"
        path = type(self).ask_save_path(self, suggested, fmt)
        if not path:
            return
        session, progress = self.ctx.session, self.relay.report

        def write() -> str:  # on the worker: the report and the file write both stay off the GUI
            Path(path).write_bytes(session.report(**query, format=fmt, progress=progress))
            return path

        self._busy(translate("Reports", "正在导出…"))
        FacadeOp(self, write).success(self._exported).failure(self._failed).run()

    def _exported(self, path: str) -> None:
        self._idle()
        self.status.setText(translate("Reports", "已导出：{0}").format(path))

    # --- progress and state --------------------------------------------------------------------------
    def _progressed(self, done: int, total: int) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(min(done, max(total, 1)))
        self.progress.show()

    def _busy(self, text: str) -> None:
        self.status.setStyleSheet("")
        self.status.setText(text)
        self.progress.setValue(0)
        for button in (self.preview_button, *self.export_buttons.values()):
            button.setEnabled(False)

    def _idle(self) -> None:
        self.status.setStyleSheet("")
        self.progress.hide()
        for button in (self.preview_button, *self.export_buttons.values()):
            button.setEnabled(True)

    def _failed(self, exc: BaseException) -> None:
        self._idle()
        self.status.setStyleSheet(ERROR_STYLE)
        self.status.setText(error_text(exc))
