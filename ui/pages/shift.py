"""班次: the mid-shift self-check (X report) and the blind close (DOMAIN.md "Shifts").

Blind: the cashier counts the drawer by denomination BEFORE the expected figure is shown; only the
facade's answer to `close_shift` reveals expected, counted and the difference (长款/短款). A
difference above the setting needs a reason and a 监督人, asked for only when the facade says so.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton, QSpinBox

from base.money import format_kwh, format_yuan
from base.vocabulary import TENDERS
from ui.approval_dialog import ApprovalDialog, ApprovalRequest
from ui.ops import FacadeOp, error_text
from ui.pages.base import Page
from ui.pages.sale import tender_names
from ui.widgets import ERROR_STYLE, Field, info_label

translate = QCoreApplication.translate
DENOMINATIONS_FEN = (10000, 5000, 2000, 1000, 500, 100, 50, 10)


def charge_name(code: str) -> str:
    return {
        "dorm": translate("Shift", "寝室用户"),
        "owner": translate("Shift", "业主用户"),
        "repair": translate("Shift", "代收维修费"),
        "utility": translate("Shift", "代收水电费"),
        "heating": translate("Shift", "采暖费"),
        "back_charge": translate("Shift", "违规用电补缴"),
        "card_fee": translate("Shift", "补卡费"),
    }.get(code, code)


def tender_name(code: str) -> str:
    return dict(zip(TENDERS, tender_names(), strict=True)).get(code, code)


def denomination_text(fen: int) -> str:
    return translate("Shift", "{0} 元").format(format_yuan(fen).removesuffix(".00"))


def totals_text(t: Any) -> str:
    charges = "，".join(f"{charge_name(k)} ￥{format_yuan(v)}" for k, v in t.by_charge.items()) or "—"
    tenders = "，".join(f"{tender_name(k)} ￥{format_yuan(v)}" for k, v in t.by_tender.items()) or "—"
    first, last = t.receipts or ("—", "—")
    return translate(
        "Shift", "按收费：{0}\n按支付方式：{1}\n票号 {2} — {3}，作废 {4} 张，免费电 {5} kWh"
    ).format(charges, tenders, first, last, t.voids, format_kwh(t.free_ckwh))


def settlement_text(r: Any) -> str:
    diff = r.difference_fen
    kind = (
        translate("Shift", "长款")
        if diff > 0
        else translate("Shift", "短款")
        if diff < 0
        else translate("Shift", "无差额")
    )
    return translate("Shift", "交账单 {0}：应有 ￥{1}，实点 ￥{2}，{3} ￥{4}{5}").format(
        r.sheet_no,
        format_yuan(r.expected_fen),
        format_yuan(r.counted_fen),
        kind,
        format_yuan(abs(diff)),
        translate("Shift", "\nPDF：{0}").format(r.pdf_path) if r.pdf_path else "",
    )


class ShiftPage(Page):
    shortcut = "F7"
    allowed_when_restricted = True

    @classmethod
    def caption(cls) -> str:
        return translate("Shift", "班次")

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(ctx, parent)
        x_box = QGroupBox(translate("Shift", "中途自查（X 报表，不结班）"))
        x_button = QPushButton(translate("Shift", "查看本班合计"))
        x_button.clicked.connect(self.x_report)
        self.x_label = info_label()
        row = QHBoxLayout(x_box)
        row.addWidget(x_button)
        row.addWidget(self.x_label, 1)
        self.add(x_box)
        self.add(self._close_box())
        self.finish()

    def _close_box(self) -> QGroupBox:
        box = QGroupBox(translate("Shift", "结班：先按面额清点现金（盲点，不显示应有金额）"))
        form = QFormLayout(box)
        self.counts: dict[int, QSpinBox] = {}
        for fen in DENOMINATIONS_FEN:
            spin = QSpinBox()
            spin.setRange(0, 100000)
            spin.valueChanged.connect(self._show_counted)
            self.counts[fen] = spin
            form.addRow(denomination_text(fen), spin)
        self.counted_label = QLabel("￥0.00")
        self.reason = Field(translate("Shift", "差额原因（有长短款时填写）"))
        self.close_button = QPushButton(translate("Shift", "结班"))
        self.close_button.clicked.connect(lambda: self.close_shift())
        self.result = info_label()
        form.addRow(translate("Shift", "本人清点合计"), self.counted_label)
        form.addRow(translate("Shift", "差额原因"), self.reason)
        form.addRow(self.close_button)
        form.addRow(self.result)
        return box

    def counted(self) -> dict[int, int]:
        return {fen: spin.value() for fen, spin in self.counts.items() if spin.value()}

    def _show_counted(self) -> None:
        self.counted_label.setText("￥" + format_yuan(sum(f * n for f, n in self.counted().items())))

    def x_report(self) -> None:
        session = self.ctx.session
        FacadeOp(self, session.x_report).success(lambda t: self.x_label.setText(totals_text(t))).run()

    def close_shift(self, approval: Any = None) -> None:
        counted, reason = self.counted(), self.reason.text() or None
        session = self.ctx.session
        self.close_button.setEnabled(False)
        FacadeOp(
            self, lambda: session.close_shift(counted=counted, difference_reason=reason, approval=approval)
        ).success(self._closed).failure(self._close_failed).run()

    def _closed(self, result: Any) -> None:
        self.close_button.setEnabled(True)
        self.result.setStyleSheet("")
        self.result.setText(settlement_text(result))

    def _close_failed(self, exc: BaseException) -> None:
        self.close_button.setEnabled(True)
        code = getattr(exc, "code", "")
        if code in {"APPROVAL_REQUIRED", "APPROVAL_INVALID", "SELF_APPROVAL"}:
            if not self.reason.text():
                self.reason.show_error(translate("Shift", "差额超过限额：请填写原因，再请监督人确认"))
                return
            request = ApprovalRequest(
                translate("Shift", "结班差额"), self.ctx.operator, reason=self.reason.text()
            )
            approval = ApprovalDialog.ask(
                self,
                request,
                self.ctx.approval_factory,
                error_text(exc) if code != "APPROVAL_REQUIRED" else "",
            )
            if approval is not None:
                self.close_shift(approval)
            return
        self.result.setStyleSheet(ERROR_STYLE)
        self.result.setText(error_text(exc))
