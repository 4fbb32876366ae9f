"""退电/清零/更正: clear card → meter → back → refund form (or a broken meter's manual reading,
two 监督人), the A4 form saved for printing; corrections of today's receipts; 销户; 离校结清."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from base.money import format_kwh, format_yuan
from ui import style
from ui.pages.base import Page
from ui.pages.form import ActionForm, Spec, note
from ui.pages.refund_docs import ClearanceTab, FormPdfButton, broken_meter_form
from ui.times import shown_time

translate = QCoreApplication.translate


def refund_text(r) -> str:
    lines = "；".join(f"{format_kwh(e)} kWh × {p / 10000:.4f} = ￥{format_yuan(f)}" for e, p, f in r.lines)
    return translate(
        "Refund",
        "退费审批单 {0}：退款 ￥{1}，可退电量 {2} kWh（未用免费电 {3} kWh）\n{4}\n"
        "由财务按审批单付款，不从钱箱付现。",
    ).format(
        r.form_no,
        format_yuan(r.refund_fen),
        format_kwh(r.refundable_ckwh),
        format_kwh(r.free_left_ckwh),
        lines,
    )


class RefundPage(Page):
    @classmethod
    def caption(cls) -> str:
        return translate("Refund", "退电/清零/更正")

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(ctx, parent)
        tabs = QTabWidget()
        tabs.addTab(self._clear_tab(), translate("Refund", "清零"))
        tabs.addTab(self._refund_tab(), translate("Refund", "房间退电"))
        tabs.addTab(self._broken_meter_tab(), translate("Refund", "电表损坏退电"))
        tabs.addTab(self._correct_form(), translate("Refund", "更正"))
        tabs.addTab(self._close_form(), translate("Refund", "销户"))
        self.clearance = ClearanceTab(self.ctx)
        tabs.addTab(self.clearance, translate("Refund", "离校结清"))
        self.add(
            note(
                translate(
                    "Refund",
                    "两次来访：①写清零卡（监督人签字），用户插表；②清零卡带回放读卡器，"
                    "完成清零后再办理退电。",
                )
            )
        )
        self.add(tabs)
        self.add(style.left(self.form_pdf))
        self.add(self.form_pdf.result)
        self.finish()

    def _clear_tab(self) -> ActionForm:
        account = Spec("account_no", translate("Refund", "账户号或房间号"))
        self.issue_clear = ActionForm(
            self.ctx,
            translate("Refund", "写清零卡"),
            [account, Spec("reason", translate("Refund", "原因"))],
            lambda s, **kw: s.issue_clear_card(**kw),
            lambda r: translate("Refund", "卡 {0} 已成为清零卡：请用户插入电表后带回").format(r.card_serial),
            needs_approval=True,
            operation="issue_clear_card",
        )
        self.complete_clear = ActionForm(
            self.ctx,
            translate("Refund", "完成清零（清零卡已放读卡器）"),
            [account],
            lambda s, account_no: s.complete_clear(account_no=account_no),
            lambda r: translate("Refund", "已清零 {0} kWh（{1}）").format(
                format_kwh(r.cleared_ckwh), shown_time(r.at)
            ),
        )
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.addWidget(self.issue_clear)
        layout.addWidget(self.complete_clear)
        layout.addStretch(1)
        return box

    def _refund_form(self) -> ActionForm:
        self.refund = ActionForm(
            self.ctx,
            translate("Refund", "开具退费审批单"),
            [
                Spec("account_no", translate("Refund", "账户号或房间号")),
                Spec("payee_name", translate("Refund", "收款人")),
                Spec("payee_id", translate("Refund", "学号/工号")),
                Spec("payee_account", translate("Refund", "银行卡号"), optional=True),
                Spec("reason", translate("Refund", "原因"), optional=True),
            ],
            lambda s, **kw: s.refund_room(**kw),
            refund_text,
            needs_approval=True,
            operation="refund_room",
        )
        return self.refund

    def _refund_tab(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.addWidget(self._refund_form())
        layout.addStretch(1)
        return box

    def _broken_meter_tab(self) -> QWidget:
        self.broken_meter = broken_meter_form(self.ctx, refund_text)
        # one A4 form button for both refunds: the last form raised on this page
        self.form_pdf = FormPdfButton(self.ctx, [self.refund, self.broken_meter])
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.addWidget(self.broken_meter)
        layout.addStretch(1)
        return box

    def _correct_form(self) -> ActionForm:
        self.correct = ActionForm(
            self.ctx,
            translate("Refund", "更正（作废重开，仅限当天）"),
            [
                Spec("receipt_no", translate("Refund", "原票号")),
                Spec("reason", translate("Refund", "原因")),
                Spec("account_no", translate("Refund", "正确账户号或房间号"), optional=True),
                Spec("amount_fen", translate("Refund", "正确金额"), "yuan", optional=True),
                Spec("energy_ckwh", translate("Refund", "正确电量"), "kwh", optional=True),
            ],
            lambda s, **kw: s.correct(**kw),
            lambda r: translate("Refund", "原票已作废，新票号 {0}：￥{1}，{2} kWh").format(
                r.receipt_no, format_yuan(r.amount_fen), format_kwh(r.energy_ckwh)
            ),
            needs_approval=True,
            operation="correct",
        )
        return self.correct

    def _close_form(self) -> ActionForm:
        self.close_account = ActionForm(
            self.ctx,
            translate("Refund", "销户（须已清零并退费）"),
            [Spec("account_no", translate("Refund", "账户号或房间号"))],
            lambda s, **kw: s.close_account(**kw),
            lambda r: translate("Refund", "账户 {0} 已销户").format(r.account_no),
            needs_approval=True,
            operation="close_account",
        )
        return self.close_account
