"""远程抄表: a networked room (issue 17) — its metering, balance, last readings and switch history,
a manual read (抄表) and a trip / allow-close (拉闸/合闸) co-signed by a 监督人; its software-control
periods (软件控制, seed 003 §4.3.5) with a co-signed begin and an end that back-charges the
shortfall (补交所差电费, a notice paid at 收费).

The bus is talked to on the worker (ui/ops.py), never on the GUI thread; the core records every
read and every switch command with its answer (docs/hardware.md §12).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton, QTableView, QWidget

from base.money import format_kwh, format_yuan
from ui.models import Column, RowsModel, kwh_column
from ui.ops import FacadeOp, error_text
from ui.pages.base import Page
from ui.pages.form import ActionForm, Spec, note
from ui.times import shown_time
from ui.widgets import ERROR_STYLE, info_label

translate = QCoreApplication.translate


def relay_text(closed: bool | None) -> str:
    if closed is None:
        return ""
    return translate("Networked", "闭合（通电）") if closed else translate("Networked", "断开（断电）")


def outcome_text(outcome: str) -> str:
    return {
        "ok": translate("Networked", "正常"),
        "unanswered": translate("Networked", "无应答"),
        "done": translate("Networked", "已执行"),
        "refused": translate("Networked", "未执行"),
        "unknown": translate("Networked", "结果未知"),
    }.get(outcome, outcome)


def command_text(command: str) -> str:
    return {"trip": translate("Networked", "拉闸"), "close": translate("Networked", "合闸")}.get(
        command, command
    )


def readings_model(parent=None) -> RowsModel:
    return RowsModel([
        Column(translate("Networked", "抄表时间"), lambda r: r.read_at),
        kwh_column(translate("Networked", "读数 kWh"), lambda r: r.energy_ckwh),
        Column(translate("Networked", "继电器"), lambda r: r.relay_closed, relay_text),
        Column(translate("Networked", "结果"), lambda r: r.outcome, outcome_text),
        Column(translate("Networked", "方式"), lambda r: r.source,
               lambda v: translate("Networked", "手动") if v == "manual" else translate("Networked", "定时")),
    ], parent)  # fmt: skip


def switches_model(parent=None) -> RowsModel:
    return RowsModel([
        Column(translate("Networked", "时间"), lambda r: r.asked_at),
        Column(translate("Networked", "命令"), lambda r: r.command, command_text),
        Column(translate("Networked", "结果"), lambda r: r.outcome, outcome_text),
        Column(translate("Networked", "原因"), lambda r: r.reason or ""),
        Column(translate("Networked", "说明"), lambda r: r.detail or ""),
    ], parent)  # fmt: skip


def _table(model: RowsModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)  # no wrapped moments or states
    header.setStretchLastSection(True)
    view.setMinimumHeight(140)
    return view


def method_text(method: str | None) -> str:
    return {"readings": translate("Networked", "前后读数"), "estimate": translate("Networked", "估算")}.get(
        method or "", ""
    )


def periods_model(parent=None) -> RowsModel:
    return RowsModel([
        Column(translate("Networked", "开始"), lambda r: r.begun_at, shown_time),
        Column(translate("Networked", "结束"), lambda r: r.ended_at,
               lambda v: shown_time(v) if v is not None else translate("Networked", "软件控制中")),
        Column(translate("Networked", "电量来源"), lambda r: r.method, method_text),
        kwh_column(translate("Networked", "期间电量 kWh"), lambda r: r.energy_ckwh),
        kwh_column(translate("Networked", "余额抵扣 kWh"), lambda r: r.covered_ckwh),
        Column(translate("Networked", "补交电费"), lambda r: r.shortfall_fen,
               lambda v: "" if v is None else format_yuan(v)),
        Column(translate("Networked", "通知单号"), lambda r: r.notice_no or ""),
        Column(translate("Networked", "原因"), lambda r: r.end_reason or r.begun_reason),
    ], parent)  # fmt: skip


class _SwitchForm(ActionForm):
    """A form of the room shown: the room is the page's (the preview and the call both get it)."""

    def __init__(self, page: NetworkedPage, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.page = page

    def values(self) -> dict[str, Any]:
        values = {"account_no": self.page.account, **super().values()}
        if "module_replaced" in values:
            values["module_replaced"] = values["module_replaced"] == "yes"
        return values


class NetworkedPage(Page):
    @classmethod
    def caption(cls) -> str:
        return translate("Networked", "远程抄表")

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(ctx, parent)
        self.account = ""  # the account shown (the worker reads this, never the line edit)
        self.add(self._controls())
        self.status = self.add(info_label(""))
        self.summary = self.add(note(""))
        self.add(note(translate("Networked", "最近抄表：")))
        self.readings = readings_model(self)
        self.add(_table(self.readings))
        self.add(note(translate("Networked", "拉闸/合闸记录：")))
        self.switches = switches_model(self)
        self.add(_table(self.switches))
        self.switch_form = _SwitchForm(
            self, ctx, translate("Networked", "拉闸/合闸"),
            [Spec("command", translate("Networked", "命令"), "choice",
                  choices=(("trip", translate("Networked", "拉闸（断电）")),
                           ("close", translate("Networked", "合闸（允许送电）")))),
             Spec("reason", translate("Networked", "原因"))],
            lambda s, **kw: s.switch_meter(**kw),
            lambda r: translate("Networked", "{0}：{1}").format(command_text(r.command), outcome_text(r.outcome)),
            needs_approval=True, operation="switch_meter",
            button=translate("Networked", "发送（需监督人签字）"),
        )  # fmt: skip
        self.switch_form.done.connect(lambda _r: self.refresh())
        self.add(self.switch_form)
        self._software_control(ctx)
        self.finish()

    def _software_control(self, ctx) -> None:
        """软件控制 (seed 003 §4.3.5): kept on power while the module is out; its end back-charges the
        shortfall (补交所差电费) as a notice paid at 收费."""
        self.add(note(translate("Networked", "软件控制（模块故障期间保持供电）：")))
        self.periods = periods_model(self)
        self.add(_table(self.periods))
        self.begin_form = _SwitchForm(
            self, ctx, translate("Networked", "开始软件控制"),
            [Spec("reason", translate("Networked", "原因")),
             Spec("repair_move_id", translate("Networked", "维修记录号"), "int", optional=True)],
            lambda s, **kw: s.begin_software_control(**kw),
            lambda r: translate("Networked", "第 {0} 次软件控制已开始").format(r.period_no),
            needs_approval=True, operation="begin_software_control",
            button=translate("Networked", "开始（需监督人签字）"),
        )  # fmt: skip
        self.end_form = _SwitchForm(
            self, ctx, translate("Networked", "结束软件控制并补交所差电费"),
            [Spec("method", translate("Networked", "电量来源"), "choice",
                  choices=(("readings", translate("Networked", "同一模块前后读数")),
                           ("estimate", translate("Networked", "估算")))),
             Spec("module_replaced", translate("Networked", "更换了模块"), "choice",
                  choices=(("no", translate("Networked", "否")), ("yes", translate("Networked", "是（读数从零开始）")))),
             Spec("estimate_ckwh", translate("Networked", "估算电量"), "kwh", optional=True),
             Spec("estimate_basis", translate("Networked", "估算依据"), optional=True),
             Spec("new_start_ckwh", translate("Networked", "新模块起始读数"), "kwh", optional=True),
             Spec("reason", translate("Networked", "原因"))],
            lambda s, **kw: s.end_software_control(**kw),
            lambda r: translate("Networked", "期间电量 {0} kWh，补交电费 {1} 元{2}").format(
                format_kwh(r.energy_ckwh or 0), format_yuan(r.shortfall_fen or 0),
                f"（{r.notice_no}）" if r.notice_no else ""),
            needs_approval=True, operation="end_software_control",
            button=translate("Networked", "结束（需监督人签字）"),
        )  # fmt: skip
        for form in (self.begin_form, self.end_form):
            form.done.connect(lambda _r: self.refresh())
            self.add(form)

    def _controls(self) -> QWidget:
        self.account_edit = QLineEdit()
        self.account_edit.setPlaceholderText(translate("Networked", "账户号"))
        self.account_edit.setMaximumWidth(160)
        self.account_edit.returnPressed.connect(self.refresh)
        show = QPushButton(translate("Networked", "查看"))
        show.clicked.connect(self.refresh)
        self.read_button = QPushButton(translate("Networked", "抄表"))
        self.read_button.clicked.connect(self.read_now)
        row = QHBoxLayout()
        row.addWidget(QLabel(translate("Networked", "账户")))
        for widget in (self.account_edit, show, self.read_button):
            row.addWidget(widget)
        row.addStretch(1)
        box = QWidget()
        box.setLayout(row)
        return box

    def activated(self) -> None:
        self.account_edit.setFocus()

    def refresh(self) -> None:
        self.account = self.account_edit.text().strip()
        if not self.account:
            return
        account, session = self.account, self.ctx.session
        FacadeOp(self, lambda: (session.metering(account_no=account),
                                session.networked_balance(account_no=account))).success(
            self._show_summary).failure(self._fail).run()  # fmt: skip
        FacadeOp(self, lambda: session.meter_readings(account_no=account)).success(
            self.readings.set_rows
        ).quiet().run()
        FacadeOp(self, lambda: session.meter_switches(account_no=account)).success(
            self.switches.set_rows
        ).quiet().run()
        FacadeOp(self, lambda: session.software_control_periods(account_no=account)).success(
            self.periods.set_rows
        ).quiet().run()

    def read_now(self) -> None:
        self.account = self.account_edit.text().strip()
        account, session = self.account, self.ctx.session
        self.read_button.setEnabled(False)
        FacadeOp(self, lambda: session.read_meter(account_no=account)).success(self._read_done).failure(
            self._fail
        ).run()

    def _read_done(self, reading: Any) -> None:
        self.read_button.setEnabled(True)
        if reading.outcome == "ok":
            self._ok(translate("Networked", "读数 {0} kWh，{1}").format(
                format_kwh(reading.energy_ckwh), relay_text(reading.relay_closed)))  # fmt: skip
        else:
            self._fail_text(translate("Networked", "电表无应答"))
        self.refresh()

    def _show_summary(self, pair: Any) -> None:
        metering, balance = pair
        self.summary.setText(translate("Networked", "总线 {0}，表地址 {1}（{2}）；余额 {3} 元（剩余 {4} kWh，已用 {5} kWh）").format(
            metering.bus, metering.address, metering.protocol, format_yuan(balance.balance_fen),
            format_kwh(balance.remaining_ckwh), format_kwh(balance.used_ckwh)))  # fmt: skip
        if balance.software_control_ckwh:
            self.summary.setText(self.summary.text() + translate("Networked", "；软件控制期间用电 {0} kWh 已从余额抵扣").format(
                format_kwh(balance.software_control_ckwh)))  # fmt: skip

    def _ok(self, text: str) -> None:
        self.status.setStyleSheet("color: #1b5e20;")
        self.status.setText(text)

    def _fail_text(self, text: str) -> None:
        self.status.setStyleSheet(ERROR_STYLE)
        self.status.setText(text)

    def _fail(self, exc: BaseException) -> None:
        self.read_button.setEnabled(True)
        self.summary.setText("")
        self._fail_text(error_text(exc))
