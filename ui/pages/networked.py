"""远程抄表: a networked room (issue 17) — its metering, balance, last readings and switch history,
a manual read (抄表) and a trip / allow-close (拉闸/合闸) co-signed by a 监督人.

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


class _SwitchForm(ActionForm):
    """The switch form: the room is the page's (the preview and the call both get it)."""

    def __init__(self, page: NetworkedPage, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.page = page

    def values(self) -> dict[str, Any]:
        return {"account_no": self.page.account, **super().values()}


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
        self.finish()

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
