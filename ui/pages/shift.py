"""班次: the blind close and, on a tab of its own, the mid-shift self-check (X report) (DOMAIN.md
"Shifts"; issue 14 §9).

Blind, in three steps that cannot be taken out of order:
1. the cashier counts the drawer by denomination, with nothing expected on screen (the X report,
   whose takings give the expected figure away, is on the other tab and cleared when this one is
   shown), and submits the count after a confirmation: `declare_count` commits it;
2. only then are expected, counted and the difference (长款/短款) shown; the count is locked, and
   a reason is asked for a difference (a 监督人 as well above the setting, when the facade says so);
3. 结班 after a confirmation (the shift is then locked): `close_shift` with the committed count.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from base.money import format_kwh, format_yuan
from base.vocabulary import TENDERS
from ui import style
from ui.approval_dialog import ApprovalDialog, ApprovalRequest
from ui.ops import FacadeOp, error_text
from ui.pages.base import Page
from ui.pages.sale import tender_names
from ui.register_export import export_register
from ui.widgets import ERROR_STYLE, Field, info_label, list_separator, money

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
    charges = list_separator().join(f"{charge_name(k)} {money(v)}" for k, v in t.by_charge.items()) or "—"
    tenders = list_separator().join(f"{tender_name(k)} {money(v)}" for k, v in t.by_tender.items()) or "—"
    first, last = t.receipts or ("—", "—")
    return translate(
        "Shift", "按收费：{0}\n按支付方式：{1}\n票号 {2} — {3}，作废 {4} 张，免费电 {5} kWh"
    ).format(charges, tenders, first, last, t.voids, format_kwh(t.free_ckwh))


def difference_kind(diff: int) -> str:
    if diff > 0:
        return translate("Shift", "长款")
    if diff < 0:
        return translate("Shift", "短款")
    return translate("Shift", "无差额")


def figures_text(d: Any) -> str:
    text = translate("Shift", "应有 ￥{0}，实点 ￥{1}，{2}").format(
        format_yuan(d.expected_fen), format_yuan(d.counted_fen), difference_kind(d.difference_fen)
    )
    return text + (f" {money(abs(d.difference_fen))}" if d.difference_fen else "")


def comparison_text(d: Any) -> str:
    """After the count is committed: expected, counted and the difference."""
    text = translate("Shift", "清点已提交（不能再改）：{0}").format(figures_text(d))
    if d.approval_required:
        text += translate("Shift", "\n差额超过限额：填写原因后，结班时须监督人确认")
    elif d.reason_required:
        text += translate("Shift", "\n请填写差额原因后结班")
    return text


def confirm(parent: QWidget | None, text: str) -> bool:
    """A yes/no question; No is the default (Enter does not close a shift by accident)."""
    buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
    answer = QMessageBox.question(
        parent, translate("Shift", "请确认"), text, buttons, QMessageBox.StandardButton.No
    )
    return answer == QMessageBox.StandardButton.Yes


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
    allowed_when_restricted = True

    @classmethod
    def caption(cls) -> str:
        return translate("Shift", "班次")

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(ctx, parent)
        self.declared: Any = None  # DeclaredCount once the count is committed
        self.closed = False
        self.tabs = QTabWidget()
        self.tabs.addTab(self._close_tab(), translate("Shift", "结班（盲点现金）"))
        self.tabs.addTab(self._x_tab(), translate("Shift", "中途自查（X 报表）"))
        self.tabs.currentChanged.connect(self._tab_changed)
        self.add(self.tabs)
        self.finish()

    # --- building ------------------------------------------------------------------------------
    def _x_tab(self) -> QWidget:
        x_box = QGroupBox(translate("Shift", "中途自查（X 报表，不结班）"))
        x_button = QPushButton(translate("Shift", "查看本班合计"))
        x_button.clicked.connect(self.x_report)
        self.register_button = QPushButton(translate("Shift", "售电登记表"))
        self.register_button.clicked.connect(self.sales_register)
        self.x_label = info_label()
        row = QHBoxLayout(x_box)
        buttons = QVBoxLayout()
        buttons.addWidget(x_button)
        buttons.addWidget(self.register_button)
        buttons.addStretch(1)
        row.addLayout(buttons)
        row.addWidget(self.x_label, 1)
        return x_box

    def _close_tab(self) -> QWidget:
        tab = QWidget()
        column = QVBoxLayout(tab)
        column.addWidget(self._count_box())
        column.addWidget(self._difference_box())
        self.result = info_label()
        column.addWidget(self.result)
        column.addStretch(1)
        return tab

    def _count_box(self) -> QGroupBox:
        box = QGroupBox(translate("Shift", "① 按面额清点现金（盲点，不显示应有金额）"))
        form = QFormLayout(box)
        self.counts: dict[int, QSpinBox] = {}
        for fen in DENOMINATIONS_FEN:
            spin = QSpinBox()
            spin.setRange(0, 100000)
            spin.valueChanged.connect(self._show_counted)
            self.counts[fen] = spin
            form.addRow(denomination_text(fen), spin)
        self.counted_label = QLabel(money(0))
        self.declare_button = style.primary(QPushButton(translate("Shift", "提交清点（提交后不能更改）")))
        self.declare_button.clicked.connect(lambda: self.declare())
        form.addRow(translate("Shift", "本人清点合计"), self.counted_label)
        form.addRow(style.left(self.declare_button))
        return box

    def _difference_box(self) -> QGroupBox:
        box = self.difference_box = QGroupBox(translate("Shift", "② 差额与结班"))
        form = QFormLayout(box)
        self.comparison = info_label()
        self.comparison.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.reason = Field(translate("Shift", "差额原因"))
        self.reason.edit.returnPressed.connect(lambda: self.close_shift())
        self.reason_label = QLabel(translate("Shift", "差额原因"))
        self.close_button = style.primary(QPushButton(translate("Shift", "结班")))
        self.close_button.clicked.connect(lambda: self.close_shift())
        form.addRow(self.comparison)
        form.addRow(self.reason_label, self.reason)
        form.addRow(style.left(self.close_button))
        box.hide()  # nothing of step 2 before the count is committed
        return box

    # --- state -----------------------------------------------------------------------------------
    def activated(self) -> None:
        """Back on the page (or the window rebuilt): a count already committed is shown as such."""
        if self.declared is not None or self.closed:
            return
        session = self.ctx.session
        FacadeOp(self, session.declared_count).quiet().success(
            lambda d: d is not None and self._declared(d)
        ).failure(lambda _exc: None).run()

    def _tab_changed(self, index: int) -> None:
        if index == 0:
            self.x_label.clear()  # the takings never sit beside the count

    def counted(self) -> dict[int, int]:
        return {fen: spin.value() for fen, spin in self.counts.items() if spin.value()}

    def _show_counted(self) -> None:
        self.counted_label.setText(money(sum(f * n for f, n in self.counted().items())))

    def x_report(self) -> None:
        session = self.ctx.session
        FacadeOp(self, session.x_report).success(lambda t: self.x_label.setText(totals_text(t))).run()

    def sales_register(self) -> None:
        """The open shift's 售电登记表 (every transaction so far) to a PDF or Excel file."""
        export_register(self, self.ctx.session, None, self._register_said)

    def _register_said(self, text: str, is_error: bool) -> None:
        self.x_label.setStyleSheet(ERROR_STYLE if is_error else "")
        self.x_label.setText(text)

    # --- step 1: the count, committed ------------------------------------------------------------
    def declare(self) -> None:
        if self.declared is not None:
            return
        counted = self.counted()
        total = format_yuan(sum(f * n for f, n in counted.items()))
        if not confirm(
            self,
            translate(
                "Shift", "本人清点合计 ￥{0}。\n提交后清点不能更改，之后才显示应有金额和差额。确定提交？"
            ).format(total),
        ):
            return
        session = self.ctx.session
        self.declare_button.setEnabled(False)
        FacadeOp(self, lambda: session.declare_count(counted=counted)).success(self._declared).failure(
            self._declare_failed
        ).run()

    def _declared(self, declared: Any) -> None:
        self.declared = declared
        for fen, spin in self.counts.items():
            spin.blockSignals(True)
            spin.setValue(declared.counted.get(fen, 0))
            spin.blockSignals(False)
            spin.setEnabled(False)
        self.counted_label.setText(money(declared.counted_fen))
        self.declare_button.hide()
        self.comparison.setText(comparison_text(declared))
        self.reason_label.setVisible(declared.reason_required)
        self.reason.setVisible(declared.reason_required)
        self.difference_box.show()
        (self.reason.edit if declared.reason_required else self.close_button).setFocus()

    def _declare_failed(self, exc: BaseException) -> None:
        self.declare_button.setEnabled(True)
        self.result.setStyleSheet(ERROR_STYLE)
        self.result.setText(error_text(exc))

    # --- step 3: 结班, confirmed ----------------------------------------------------------------------
    def close_shift(self, approval: Any = None) -> None:
        declared = self.declared
        if declared is None or self.closed:
            return
        reason = self.reason.text().strip() or None
        if declared.reason_required and reason is None:
            self.reason.show_error(
                translate("Shift", "有{0}：请填写原因").format(difference_kind(declared.difference_fen))
            )
            return
        if approval is None and not confirm(
            self, translate("Shift", "结班后本班锁定，不能再售电或收费。确定结班？")
        ):
            return
        session = self.ctx.session
        self.close_button.setEnabled(False)
        FacadeOp(
            self,
            lambda: session.close_shift(
                counted=declared.counted, difference_reason=reason, approval=approval
            ),
        ).success(self._closed).failure(self._close_failed).run()

    def _co_sign_difference(self, problem: str) -> None:
        """The supervisor signs the core's own words for the difference (counted, expected, reason),
        the payload the approval binds, not a text built here (issue 14 §4)."""
        declared, session = self.declared, self.ctx.session
        if declared is None:
            return
        reason = self.reason.text().strip() or None
        self.close_button.setEnabled(False)
        FacadeOp(
            self,
            lambda: session.approval_preview(
                "close_shift", counted=declared.counted, difference_reason=reason
            ),
        ).success(lambda preview: self._ask_difference(preview, problem)).failure(
            self._close_failed
        ).run()

    def _ask_difference(self, preview: Any, problem: str) -> None:
        self.close_button.setEnabled(True)
        if not preview.needed:  # nothing to co-sign after all (the count was re-declared)
            self.close_shift()
            return
        request = ApprovalRequest.from_preview(preview, self.ctx.operator, self.ctx.operator_name)
        approval = ApprovalDialog.ask(self, request, self.ctx.approval_factory, problem)
        if approval is not None:
            self.close_shift(approval)

    def _closed(self, result: Any) -> None:
        self.closed = True
        self.close_button.setEnabled(False)
        self.reason.edit.setReadOnly(True)
        self.result.setStyleSheet("")
        self.result.setText(settlement_text(result))

    def _close_failed(self, exc: BaseException) -> None:
        self.close_button.setEnabled(True)
        code = getattr(exc, "code", "")
        if code in {"APPROVAL_REQUIRED", "APPROVAL_INVALID", "SELF_APPROVAL"}:
            self._co_sign_difference(error_text(exc) if code != "APPROVAL_REQUIRED" else "")
            return
        self.result.setStyleSheet(ERROR_STYLE)
        self.result.setText(error_text(exc))
