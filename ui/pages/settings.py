"""设置 (administrator): counter settings through get_setting/set_setting.

Money-affecting keys need a 监督人's approval: the facade answers APPROVAL_REQUIRED and the page
asks for it then. Operators, 监督人 appointments, tariffs and devices have no facade calls in API.md
yet (they are CLI commands); the page names the command until the facade offers them.
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QPushButton

from ui.approval_dialog import ApprovalDialog, ApprovalRequest
from ui.ops import FacadeOp, error_text
from ui.pages.base import Page
from ui.pages.form import note
from ui.widgets import ERROR_STYLE, Field, info_label

translate = QCoreApplication.translate
KEYS = (
    "idle_lock_minutes",
    "min_top_up_fen",
    "min_top_up_september_fen",
    "max_top_up_fen.dorm",
    "max_top_up_fen.staff",
    "max_top_up_fen.business",
    "meter_max_ckwh",
    "energy_resolution_ckwh",
    "quota.basis",
    "quota.period",
    "quota.excluded_months",
    "term_ends",
    "back_charge.ckwh_per_day",
    "back_charge.blocks_top_up",
    "low_balance_ckwh.dorm",
    "approval_ttl_s",
    "close_difference_fen",
    "refund_float",
    "stamped_receipt_for",
    "confirmation_slip",
    "month_end_day",
    "single_operator_mode",
    "shifts",
    "room_code_pattern",
)


def parse_setting(text: str) -> Any:
    """JSON when it parses (numbers, lists, true/false), else the plain text."""
    try:
        return json.loads(text)
    except ValueError:
        return text


class SettingsPage(Page):
    shortcut = "F9"

    @classmethod
    def caption(cls) -> str:
        return translate("Settings", "设置")

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(ctx, parent)
        box = QGroupBox(translate("Settings", "参数"))
        form = QFormLayout(box)
        self.key = QComboBox()
        self.key.setEditable(True)
        self.key.addItems(KEYS)
        self.value = Field(translate("Settings", "值（数字、true/false、JSON 列表或文字）"))
        read, save = QPushButton(translate("Settings", "读取")), QPushButton(translate("Settings", "保存"))
        read.clicked.connect(self.read)
        save.clicked.connect(lambda: self.save())
        buttons = QHBoxLayout()
        buttons.addWidget(read)
        buttons.addWidget(save)
        self.result = info_label()
        form.addRow(translate("Settings", "参数名"), self.key)
        form.addRow(translate("Settings", "值"), self.value)
        form.addRow(buttons)
        form.addRow(self.result)
        self.add(box)
        self.add(
            note(
                translate(
                    "Settings",
                    "营业员、监督人任命、电价、收费标准和设备端口暂用命令行维护：\n"
                    "counter-admin operator add 姓名 --role cashier\n"
                    "counter-admin supervisor appoint 姓名 --from 日期 --to 日期\n"
                    "counter-admin tariff set --class dorm --price-e4 5883 --from 时间 --basis 文件号",
                )
            )
        )
        self.finish()

    def read(self) -> None:
        key, session = self.key.currentText(), self.ctx.session
        FacadeOp(self, lambda: session.get_setting(key)).success(
            lambda v: self.value.set_text(json.dumps(v, ensure_ascii=False, default=str))
        ).failure(self._failed).run()

    def save(self, approval: Any = None) -> None:
        key, value, session = self.key.currentText(), parse_setting(self.value.text()), self.ctx.session
        FacadeOp(self, lambda: session.set_setting(key, value, approval=approval)).success(
            lambda _r: self._saved(key)
        ).failure(lambda exc: self._failed(exc, key, value)).run()

    def _saved(self, key: str) -> None:
        self.result.setStyleSheet("")
        self.result.setText(translate("Settings", "已保存 {0}").format(key))

    def _failed(self, exc: BaseException, key: str = "", value: Any = None) -> None:
        code = getattr(exc, "code", "")
        if code in {"APPROVAL_REQUIRED", "APPROVAL_INVALID", "SELF_APPROVAL"} and key:
            request = ApprovalRequest(
                translate("Settings", "修改参数"),
                self.ctx.operator,
                extra=((key, json.dumps(value, ensure_ascii=False, default=str)),),
            )
            approval = ApprovalDialog.ask(
                self,
                request,
                self.ctx.approval_factory,
                "" if code == "APPROVAL_REQUIRED" else error_text(exc),
            )
            if approval is not None:
                self.save(approval)
            return
        self.result.setStyleSheet(ERROR_STYLE)
        self.result.setText(error_text(exc))
