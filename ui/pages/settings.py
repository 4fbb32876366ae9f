"""设置 (administrator): every counter setting with its current value, a change form, and — read
only — the tariffs and fees in force and the people with their roles and 监督人 appointments.

Money-affecting and security-sensitive keys need a co-signature (DOMAIN "Dual control"): the list
says which (`SettingRow.needs_approval`), so the page asks for it BEFORE calling `set_setting`;
an APPROVAL_REQUIRED from the facade (a stale list) asks too. Tariffs, fees, operators and
appointments change with `counter-admin` (co-signed there); the page names the command.
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from base.money import format_price, format_yuan
from ui.approval_dialog import ApprovalDialog, ApprovalRequest
from ui.models import Column, RowsModel, class_text
from ui.ops import FacadeOp, error_text
from ui.pages.base import Page
from ui.pages.form import note
from ui.times import shown_time
from ui.widgets import ERROR_STYLE, Field, info_label

translate = QCoreApplication.translate
CO_SIGN_CODES = {"APPROVAL_REQUIRED", "APPROVAL_INVALID", "SELF_APPROVAL"}


def parse_setting(text: str) -> Any:
    """JSON when it parses (numbers, lists, true/false), else the plain text."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def shown(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def local(moment: Any) -> str:
    return shown_time(moment)


def settings_model(parent=None) -> RowsModel:
    return RowsModel(
        [
            Column(translate("Settings", "参数名"), lambda r: r.key),
            Column(translate("Settings", "说明"), lambda r: r.description),
            Column(
                translate("Settings", "复核"),
                lambda r: r.needs_approval,
                lambda v: translate("Settings", "需监督人") if v else "",
            ),
            Column(translate("Settings", "当前值"), lambda r: r.value, shown),
            Column(
                translate("Settings", "修改"),
                lambda r: r,
                lambda r: (
                    translate("Settings", "默认值") if r.is_default else f"{local(r.set_at)} {r.set_by or ''}"
                ),
            ),
        ],
        parent,
    )


def price_text(row: Any) -> str:
    return f"{format_price(row.value)} 元/kWh" if row.what == "tariff" else f"￥{format_yuan(row.value)}"


def prices_model(parent=None) -> RowsModel:
    return RowsModel(
        [
            Column(
                translate("Settings", "项目"),
                lambda r: r,
                lambda r: (
                    translate("Settings", "电价 {0}").format(class_text(r.code))
                    if r.what == "tariff"
                    else translate("Settings", "收费 {0}").format(r.code)
                ),
            ),
            Column(translate("Settings", "标准"), lambda r: r, price_text, align_right=True),
            Column(translate("Settings", "生效时间"), lambda r: r.effective_from, local),
            Column(translate("Settings", "依据文件"), lambda r: r.basis),
        ],
        parent,
    )


def people_model(parent=None) -> RowsModel:
    return RowsModel(
        [
            Column(translate("Settings", "登录名"), lambda r: r.name),
            Column(translate("Settings", "姓名"), lambda r: r.display_name),
            Column(translate("Settings", "角色"), lambda r: r.roles, "、".join),
            Column(
                translate("Settings", "监督人任期"),
                lambda r: r.appointments,
                lambda v: "；".join(f"{a} — {b}" for a, b in v),
            ),
            Column(
                translate("Settings", "状态"),
                lambda r: r.disabled,
                lambda v: translate("Settings", "已停用") if v else translate("Settings", "在用"),
            ),
        ],
        parent,
    )


def table(model: RowsModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.verticalHeader().hide()
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.setMinimumHeight(240)
    return view


class SettingsPage(Page):
    shortcut = "F9"

    @classmethod
    def caption(cls) -> str:
        return translate("Settings", "设置")

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(ctx, parent)
        tabs = QTabWidget()
        tabs.addTab(self._settings_tab(), translate("Settings", "参数"))
        tabs.addTab(self._prices_tab(), translate("Settings", "电价与收费标准"))
        tabs.addTab(self._people_tab(), translate("Settings", "人员与监督人"))
        self.add(tabs)
        self.finish()

    # --- tabs ----------------------------------------------------------------------------------------
    def _settings_tab(self) -> QWidget:
        tab = QWidget()
        column = QVBoxLayout(tab)
        self.settings = settings_model(self)
        self.settings_view = table(self.settings)
        self.settings_view.selectionModel().currentRowChanged.connect(lambda cur, _p: self.pick(cur.row()))
        column.addWidget(self.settings_view)
        box = QGroupBox(translate("Settings", "修改参数"))
        form = QFormLayout(box)
        self.key = QLineEdit()
        self.key.setReadOnly(True)
        self.key.setPlaceholderText(translate("Settings", "在上表选择参数"))
        self.value = Field(translate("Settings", "值（数字、true/false、JSON 列表或文字）"))
        self.value.edit.returnPressed.connect(lambda: self.save())
        save = QPushButton(translate("Settings", "保存"))
        save.clicked.connect(lambda: self.save())
        buttons = QHBoxLayout()
        buttons.addWidget(save)
        buttons.addStretch(1)
        self.result = info_label()
        form.addRow(translate("Settings", "参数名"), self.key)
        form.addRow(translate("Settings", "新值"), self.value)
        form.addRow(buttons)
        form.addRow(self.result)
        column.addWidget(box)
        return tab

    def _prices_tab(self) -> QWidget:
        tab = QWidget()
        column = QVBoxLayout(tab)
        self.prices = prices_model(self)
        column.addWidget(table(self.prices))
        column.addWidget(
            note(
                translate(
                    "Settings",
                    "电价和收费标准的调整须依据文件并经监督人复核，用命令行办理：\n"
                    "counter-admin tariff set --class dorm --price-e4 5883 --from 时间 --basis 文件号\n"
                    "counter-admin fee set card --fen 1000 --from 时间 --basis 文件号",
                )
            )
        )
        return tab

    def _people_tab(self) -> QWidget:
        tab = QWidget()
        column = QVBoxLayout(tab)
        self.people = people_model(self)
        column.addWidget(table(self.people))
        column.addWidget(
            note(
                translate(
                    "Settings",
                    "营业员和监督人任命用命令行办理（授予角色须监督人复核）：\n"
                    "counter-admin operator add 姓名 --role cashier\n"
                    "counter-admin supervisor appoint 姓名 --from 日期 --to 日期",
                )
            )
        )
        return tab

    # --- loading -------------------------------------------------------------------------------------
    def activated(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        session = self.ctx.session
        FacadeOp(
            self, lambda: (session.list_settings(), session.list_prices(), session.list_people())
        ).success(self._loaded).failure(self._failed).run()

    def _loaded(self, lists: tuple[list, list, list]) -> None:
        keep = self.key.text()
        for model, rows in zip((self.settings, self.prices, self.people), lists, strict=True):
            model.set_rows(rows)
        self.settings_view.resizeColumnsToContents()
        for column in range(self.settings.columnCount()):  # a long pattern must not push 修改 off-screen
            self.settings_view.setColumnWidth(column, min(self.settings_view.columnWidth(column), 320))
        keys = [r.key for r in lists[0]]
        if keep in keys:
            self.settings_view.selectRow(keys.index(keep))

    def row_for(self, key: str) -> Any:
        return next(
            (
                self.settings.row(i)
                for i in range(self.settings.rowCount())
                if self.settings.row(i).key == key
            ),
            None,
        )

    def pick(self, row: int) -> None:
        if row < 0:
            return
        chosen = self.settings.row(row)
        self.key.setText(chosen.key)
        self.value.set_text(shown(chosen.value))
        self.value.clear_error()

    # --- saving --------------------------------------------------------------------------------------
    def save(self, approval: Any = None, problem: str = "", ask: bool = False) -> None:
        key, value, session = self.key.text(), parse_setting(self.value.text()), self.ctx.session
        if not key:
            return
        row = self.row_for(key)
        if approval is None and (ask or (row is not None and row.needs_approval)):
            approval = self.ask_approval(key, value, problem)
            if approval is None:
                self.result.setText(translate("Settings", "未保存：需监督人复核"))
                return
        FacadeOp(self, lambda: session.set_setting(key, value, approval=approval)).success(
            lambda _r: self._saved(key)
        ).failure(lambda exc: self._failed(exc, key)).run()

    def ask_approval(self, key: str, value: Any, problem: str) -> Any:
        request = ApprovalRequest(
            translate("Settings", "修改参数"), self.ctx.operator, extra=((key, shown(value)),)
        )
        return ApprovalDialog.ask(self, request, self.ctx.approval_factory, problem)

    def _saved(self, key: str) -> None:
        self.result.setStyleSheet("color: #1b5e20;")
        self.result.setText(translate("Settings", "已保存 {0}").format(key))
        self.refresh()

    def _failed(self, exc: BaseException, key: str = "") -> None:
        code = getattr(exc, "code", "")
        if code in CO_SIGN_CODES and key:
            # Say why (the maker's own name, a wrong password) and ask again with the same content.
            self.save(problem=error_text(exc) if code != "APPROVAL_REQUIRED" else "", ask=True)
            return
        if key and getattr(exc, "field", None) == key:
            self.value.show_error(error_text(exc))
            return
        self.result.setStyleSheet(ERROR_STYLE)
        self.result.setText(error_text(exc))
