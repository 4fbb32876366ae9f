"""月度检查: the month's checks for the assistant, the head and finance (issue 15 §5-6).

Choose the accounting month, import the electricians' readings or finance's K3 file, and read:
- the loss check per building (总表 against its 分表); selecting a building shows its meters
  (the drill-down), each sub-meter with the room its number belongs to;
- the abnormal accounts (tamper alarms, no purchase while occupied, consumption per bed far from
  the building's median);
- the four-party reconciliation with its differences, signed with a supervisor's co-signature
  (the sign-off binds the digest of the figures shown; the month is frozen afterwards).
The same lists print as the report kinds `loss-check`, `abnormal` and `four-party` (报表 page).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QTableView, QWidget

from ui import i18n, style
from ui.models import Column, RowsModel, kwh_column, yuan_column
from ui.ops import FacadeOp, error_text
from ui.pages.base import Page
from ui.pages.form import ActionForm, Spec, note
from ui.pages.month import previous_period
from ui.style import OK_STYLE
from ui.times import shown_time
from ui.widgets import ERROR_STYLE, info_label

translate = QCoreApplication.translate
FILES = "CSV / Excel (*.csv *.xlsx *.xlsm);;* (*)"


def percent_text(loss_e2: int | None) -> str:
    if loss_e2 is None:
        return ""
    sign = "-" if loss_e2 < 0 else ""
    whole, part = divmod(abs(loss_e2), 100)
    return f"{sign}{whole}.{part:02d}%"


def abnormal_text(reason: str) -> str:
    return {
        "tamper": translate("MonthlyChecks", "防窃电报警"),
        "no_purchase": translate("MonthlyChecks", "长期未购电"),
        "low_use": translate("MonthlyChecks", "用电过低"),
        "high_use": translate("MonthlyChecks", "用电过高"),
    }.get(reason, reason)


def detail_text(row: Any) -> str:
    """The core's words in the UI's language (what a person typed stays as typed)."""
    return (row.detail_en or row.detail) if i18n.current_language() == "en" else row.detail


def loss_model(parent=None) -> RowsModel:
    return RowsModel([
        Column(translate("MonthlyChecks", "楼栋"), lambda r: r.building),
        kwh_column(translate("MonthlyChecks", "总表 kWh"), lambda r: r.main_ckwh),
        kwh_column(translate("MonthlyChecks", "分表合计 kWh"), lambda r: r.sub_ckwh),
        kwh_column(translate("MonthlyChecks", "差额 kWh"), lambda r: r.difference_ckwh),
        Column(translate("MonthlyChecks", "损耗率"), lambda r: r.loss_e2, percent_text, align_right=True),
        Column(translate("MonthlyChecks", "超损"), lambda r: r.flagged,
               lambda v: translate("MonthlyChecks", "是") if v else ""),
    ], parent)  # fmt: skip


def meters_model(parent=None) -> RowsModel:
    return RowsModel([
        Column(translate("MonthlyChecks", "表类型"), lambda r: r.kind,
               lambda v: translate("MonthlyChecks", "总表") if v == "main" else translate("MonthlyChecks", "分表")),
        Column(translate("MonthlyChecks", "表号"), lambda r: r.meter_no),
        Column(translate("MonthlyChecks", "房间"), lambda r: r.room_code or ""),
        kwh_column(translate("MonthlyChecks", "上次读数"), lambda r: r.previous_ckwh),
        kwh_column(translate("MonthlyChecks", "本次读数"), lambda r: r.current_ckwh),
        kwh_column(translate("MonthlyChecks", "用电量"), lambda r: r.consumption_ckwh),
        Column(translate("MonthlyChecks", "抄表人"), lambda r: r.reader),
    ], parent)  # fmt: skip


def abnormal_model(parent=None) -> RowsModel:
    return RowsModel([
        Column(translate("MonthlyChecks", "楼栋"), lambda r: r.building),
        Column(translate("MonthlyChecks", "房间"), lambda r: r.room_code),
        Column(translate("MonthlyChecks", "账户"), lambda r: r.account_no),
        Column(translate("MonthlyChecks", "异常"), lambda r: r.reason, abnormal_text),
        Column(translate("MonthlyChecks", "说明"), detail_text),
    ], parent)  # fmt: skip


def four_party_model(parent=None) -> RowsModel:
    return RowsModel([
        Column(translate("MonthlyChecks", "楼栋"), lambda r: r.building),
        yuan_column(translate("MonthlyChecks", "柜台收费"), lambda r: r.counter_fen),
        kwh_column(translate("MonthlyChecks", "柜台售电"), lambda r: r.counter_ckwh),
        yuan_column(translate("MonthlyChecks", "K3 收入"), lambda r: r.k3_fen),
        kwh_column(translate("MonthlyChecks", "K3 电量"), lambda r: r.k3_ckwh),
        kwh_column(translate("MonthlyChecks", "电工抄表"), lambda r: r.readings_ckwh),
        kwh_column(translate("MonthlyChecks", "系统报表"), lambda r: r.system_ckwh),
        yuan_column(translate("MonthlyChecks", "K3−柜台 元"), lambda r: r.k3_difference_fen),
        kwh_column(translate("MonthlyChecks", "抄表−系统"), lambda r: r.readings_difference_ckwh),
    ], parent)  # fmt: skip


def _table(model: RowsModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.horizontalHeader().setStretchLastSection(True)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.setMinimumHeight(150)
    return view


class MonthlyChecksPage(Page):
    @classmethod
    def caption(cls) -> str:
        return translate("MonthlyChecks", "月度检查")

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(ctx, parent)
        self.period = ""  # the month shown (the worker reads this, never the line edit)
        self.digest = ""  # the four-party figures shown: what a sign-off binds
        self.add(self._controls())
        self.status = self.add(info_label(""))
        self.add(note(translate("MonthlyChecks", "线损检查：选中一栋楼查看它的总表和分表。")))
        self.loss, self.meters = loss_model(self), meters_model(self)
        self.loss_view = self.add(_table(self.loss))
        self.loss_view.clicked.connect(self._drill_down)
        self.add(_table(self.meters))
        self.add(note(translate("MonthlyChecks", "异常用电户（假期月份只列防窃电报警）：")))
        self.abnormal = abnormal_model(self)
        self.add(_table(self.abnormal))
        self.signed = self.add(note(""))
        self.four = four_party_model(self)
        self.add(_table(self.four))
        self.sign = ActionForm(
            ctx, translate("MonthlyChecks", "四方对账签字"), [Spec("note", translate("MonthlyChecks", "备注"), optional=True)],
            lambda s, **kw: s.sign_four_party(period=self.period, figures_sha256=self.digest, **kw),
            lambda r: translate("MonthlyChecks", "{0} 四方对账已签字冻结").format(r.period),
            needs_approval=True, button=translate("MonthlyChecks", "签字冻结（需监督人签字）"),
        )  # fmt: skip
        self.add(self.sign)
        self.finish()

    def _controls(self) -> QWidget:
        self.period_edit = QLineEdit()
        self.period_edit.setPlaceholderText("YYYY-MM")
        self.period_edit.setMaximumWidth(120)
        show = QPushButton(translate("MonthlyChecks", "查看"))
        show.clicked.connect(self.refresh)
        readings = style.with_icon(QPushButton(translate("MonthlyChecks", "导入抄表文件…")), "open")
        readings.clicked.connect(lambda: self._import("readings"))
        k3 = style.with_icon(QPushButton(translate("MonthlyChecks", "导入 K3 文件…")), "open")
        k3.clicked.connect(lambda: self._import("k3"))
        row = QHBoxLayout()
        row.addWidget(QLabel(translate("MonthlyChecks", "会计月份")))
        for widget in (self.period_edit, show, readings, k3):
            row.addWidget(widget)
        row.addStretch(1)
        box = QWidget()
        box.setLayout(row)
        return box

    def activated(self) -> None:
        if self.period_edit.text():
            self.refresh()
            return
        counter, session = self.ctx.counter, self.ctx.session
        FacadeOp(self, lambda: (counter.clock().date(), session.get_setting("month_end_day"))).success(
            lambda a: (self.period_edit.setText(previous_period(*a)), self.refresh())
        ).quiet().run()

    def refresh(self) -> None:
        self.period = self.period_edit.text().strip()
        period, session = self.period, self.ctx.session
        self.meters.set_rows([])
        FacadeOp(self, lambda: session.loss_check(period=period)).success(self.loss.set_rows).failure(
            self._fail
        ).run()
        FacadeOp(self, lambda: session.abnormal_accounts(period=period)).success(
            self.abnormal.set_rows
        ).failure(self._fail).run()
        FacadeOp(self, lambda: session.four_party(period=period)).success(self._show_four_party).failure(
            self._fail
        ).run()

    def _show_four_party(self, result: Any) -> None:
        self.digest = result.figures_sha256
        self.four.set_rows(result.rows)
        if result.signed_at is not None:
            self.signed.setText(translate("MonthlyChecks", "四方对账 {0}：已签字冻结（{1}）").format(
                result.period, shown_time(result.signed_at)))  # fmt: skip  (Beijing time, ui/times.py)
        else:
            self.signed.setText(translate("MonthlyChecks", "四方对账 {0}：未签字").format(result.period))
        self.sign.setEnabled(result.signed_at is None)

    def _drill_down(self, index: Any) -> None:
        building = self.loss.row(index.row()).building
        period, session = self.period, self.ctx.session
        FacadeOp(self, lambda: session.building_meters(period=period, building=building)).success(
            self.meters.set_rows
        ).failure(self._fail).run()

    def _import(self, kind: str) -> None:
        path, _ = QFileDialog.getOpenFileName(self, translate("MonthlyChecks", "选择文件"), "", FILES)
        if not path:
            return
        period, session = self.period_edit.text().strip(), self.ctx.session
        call = session.import_readings if kind == "readings" else session.import_k3
        FacadeOp(self, lambda: call(path=path, period=period)).success(
            lambda done: (
                self._ok(translate("MonthlyChecks", "已导入 {0} 行").format(done.rows)),
                self.refresh(),
            )
        ).failure(self._fail).run()

    def _ok(self, text: str) -> None:
        self.status.setStyleSheet(OK_STYLE)
        self.status.setText(text)

    def _fail(self, exc: BaseException) -> None:
        self.status.setStyleSheet(ERROR_STYLE)
        self.status.setText(error_text(exc))
