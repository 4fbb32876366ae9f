"""诊断: reader version, a test print, a query-only card read, the receipt queue and 补打.

`read_card` is in API.md. Reader version, test print and the print queue are reached through
adapters (`counter.device_info()`, `counter.test_print()`, `session.reprint_receipt(no)`) until
the facade has them; a missing one is reported, not crashed on.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QGridLayout, QGroupBox, QPushButton

from counter_app.money import format_kwh
from ui.facade import optional_call, optional_device_status
from ui.ops import FacadeOp, error_text
from ui.pages.base import Page
from ui.pages.sale_panel import card_text
from ui.widgets import Field, info_label

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
    shortcut = "F11"

    @classmethod
    def caption(cls) -> str:
        return translate("Diagnostics", "设备诊断")

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(ctx, parent)
        box = QGroupBox(translate("Diagnostics", "设备"))
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
        self.finish()

    def _run(self, fn, describe) -> None:
        FacadeOp(self, fn).success(lambda r: self.output.setText(describe(r))).failure(
            lambda exc: self.output.setText(error_text(exc))
        ).run()

    def device_info(self) -> None:
        counter = self.ctx.counter
        info = optional_call(counter, "device_info")

        def both():
            return optional_device_status(counter), (info() if info else None)

        self._run(both, lambda r: f"{r[0]}\n{r[1] or translate('Diagnostics', '读卡器版本：待接口提供')}")

    def test_print(self) -> None:
        call = optional_call(self.ctx.counter, "test_print")
        if call is None:
            self.output.setText(translate("Diagnostics", "打印测试页：待接口提供（test_print）"))
            return
        self._run(call, lambda _r: translate("Diagnostics", "测试页已发送"))

    def read_card(self) -> None:
        session = self.ctx.session
        self._run(session.read_card, lambda c: card_details(c))

    def reprint(self) -> None:
        call = optional_call(self.ctx.session, "reprint_receipt")
        no = self.receipt_no.text()
        if call is None or not no:
            self.output.setText(translate("Diagnostics", "请输入票号（补打接口：reprint_receipt）"))
            return
        self._run(
            lambda: call(no), lambda _r: translate("Diagnostics", "已补打 {0}（标记“补打”）").format(no)
        )
