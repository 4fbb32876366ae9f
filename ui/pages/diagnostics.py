"""诊断: device state and versions, a test print, a query-only card read, the receipt queue and 补打;
below, 本机设备设置 (ui/pages/device_setup.py): pick, test and save this PC's reader and printer.

`counter.device_status()` and `counter.test_print()` (docs/api.md "Devices"), `session.read_card()`
(API.md) and `session.reprint_receipt(receipt_no=…)` (marked 补打 with its count).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QGridLayout, QGroupBox, QPushButton

from base.money import format_kwh
from ui.facade import DeviceState, DeviceStatus
from ui.ops import FacadeOp, error_text
from ui.pages.base import Page
from ui.pages.device_setup import DeviceSetupBox
from ui.pages.sale_panel import card_text
from ui.status import reprint_and_check, reprint_pending_text
from ui.widgets import Field, info_label, list_separator

translate = QCoreApplication.translate


def card_details(card: Any) -> str:
    wb = card.write_back
    lines = [
        translate("Diagnostics", "卡号 {0}，类型 {1}，账户 {2}").format(
            card.card_serial, card.kind, card.account_no or "—"
        ),
        card_text(card),
    ]
    if wb is not None:
        lines.append(
            translate("Diagnostics", "返写：剩余 {0} kWh，累计 {1} kWh，最后入表第 {2} 次，错误 {3}").format(
                format_kwh(wb.remaining_ckwh),
                format_kwh(wb.consumed_ckwh),
                wb.last_loaded_counter,
                wb.error or "—",
            )
        )
    return "\n".join(lines)


class DiagnosticsPage(Page):
    @classmethod
    def caption(cls) -> str:
        return translate("Diagnostics", "设备诊断")

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(ctx, parent)
        box = QGroupBox(translate("Diagnostics", "正在使用的设备"))
        grid = QGridLayout(box)
        self.output = info_label()
        self.receipt_no = Field(translate("Diagnostics", "补打票号"))
        actions = [
            (translate("Diagnostics", "设备状态/读卡器版本"), self.device_info),
            (translate("Diagnostics", "打印测试页"), self.test_print),
            (translate("Diagnostics", "读卡（只查询）"), self.read_card),
            (translate("Diagnostics", "补打"), self.reprint),
        ]
        for i, (text, slot) in enumerate(actions):
            button = QPushButton(text)
            button.clicked.connect(slot)
            grid.addWidget(button, i // 2, i % 2)
        grid.addWidget(self.receipt_no, 2, 0, 1, 2)
        self.add(box)
        self.add(self.output)
        self.setup = DeviceSetupBox(self, ctx.counter, role=ctx.role)
        self.add(self.setup)
        self.finish()

    def activated(self) -> None:
        self.setup.activated()

    def _run(self, fn, describe) -> None:
        FacadeOp(self, fn).success(lambda r: self.output.setText(describe(r))).failure(
            lambda exc: self.output.setText(error_text(exc))
        ).run()

    def device_info(self) -> None:
        self._run(self.ctx.counter.device_status, status_details)

    def test_print(self) -> None:
        self._run(
            self.ctx.counter.test_print,
            lambda s: translate("Diagnostics", "测试页已打印。\n") + state_line(s),
        )

    def read_card(self) -> None:
        session = self.ctx.session
        self._run(session.read_card, lambda c: card_details(c))

    def reprint(self) -> None:
        no = self.receipt_no.text()
        if not no:
            self.receipt_no.show_error(translate("Diagnostics", "请输入要补打的票号，如 W01-00000001"))
            return
        counter, session = self.ctx.counter, self.ctx.session
        FacadeOp(self, lambda: reprint_and_check(counter, session, no)).success(
            lambda done: self.output.setText(
                reprint_pending_text(no, *done)
                or translate("Diagnostics", "已补打 {0}（凭条标记“补打”第 {1} 次）").format(no, done[0])
            )
        ).failure(lambda exc: self.receipt_no.show_error(error_text(exc))).run()


def _yes_no(value: bool | None) -> str:
    if value is None:
        return translate("Diagnostics", "未知")
    return translate("Diagnostics", "是") if value else translate("Diagnostics", "否")


def state_line(s: DeviceState) -> str:
    name = translate("Diagnostics", "读卡器") if s.device == "reader" else translate("Diagnostics", "打印机")
    if not s.configured:
        return translate("Diagnostics", "{0}：未配置").format(name)
    parts = [
        translate("Diagnostics", "{0}：端口 {1}").format(name, s.port or "—"),
        translate("Diagnostics", "版本 {0}").format(s.version or translate("Diagnostics", "未知")),
        translate("Diagnostics", "已连接 {0}").format(_yes_no(s.connected)),
        translate("Diagnostics", "应答 {0}").format(_yes_no(s.answered)),
    ]
    if s.simulated:
        parts.append(translate("Diagnostics", "模拟设备"))
    if s.device == "printer":
        parts.append(translate("Diagnostics", "联机 {0}").format(_yes_no(s.online)))
        paper = {
            "ok": translate("Diagnostics", "正常"),
            "near_end": translate("Diagnostics", "将尽"),
            "out": translate("Diagnostics", "缺纸"),
        }.get(s.paper, translate("Diagnostics", "未知"))
        parts.append(translate("Diagnostics", "纸 {0}").format(paper))
        parts.append(translate("Diagnostics", "盖开 {0}").format(_yes_no(s.cover_open)))
    else:
        parts.append(translate("Diagnostics", "有卡 {0}").format(_yes_no(s.card_present)))
    if s.last_error:
        parts.append(translate("Diagnostics", "最近错误 {0}").format(s.last_error))
    return list_separator().join(parts)


def status_details(status: DeviceStatus) -> str:
    lines = [state_line(status.reader), state_line(status.printer)]
    lines.append(translate("Diagnostics", "待打印凭条 {0} 张").format(status.queued_receipts))
    return "\n".join(lines)
