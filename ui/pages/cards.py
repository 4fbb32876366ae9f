"""卡管理: 挂失, 补卡, issuing a card, 换表 with energy carried, tool cards (co-signed)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QTabWidget

from ui.pages.base import Page
from ui.pages.charges import tenders
from ui.pages.form import ActionForm, Spec, note

translate = QCoreApplication.translate


class CardsPage(Page):
    @classmethod
    def caption(cls) -> str:
        return translate("Cards", "卡管理")

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(ctx, parent)
        account = Spec("account_no", translate("Cards", "账户号"))
        self.lost = ActionForm(
            ctx,
            translate("Cards", "挂失"),
            [account],
            lambda s, account_no: s.report_lost_card(account_no=account_no),
            lambda r: translate("Cards", "账户 {0} 的卡已挂失（已列入黑名单）").format(r.account_no),
        )
        self.replace = ActionForm(
            ctx,
            translate("Cards", "补卡（新卡放读卡器）"),
            [
                account,
                Spec("tender", translate("Cards", "支付方式"), "choice", choices=tenders()),
                Spec("reference", translate("Cards", "交易号"), optional=True),
            ],
            lambda s, **kw: s.replace_card(**kw),
            lambda r: translate("Cards", "新卡 {0} 已发出{1}").format(
                r.card_serial, translate("Cards", "，票号 {0}").format(r.receipt_no) if r.receipt_no else ""
            ),
        )
        self.issue = ActionForm(
            ctx,
            translate("Cards", "发卡（空白卡放读卡器）"),
            [account],
            lambda s, account_no: s.issue_card(account_no=account_no),
            lambda r: translate("Cards", "卡 {0} 已发给账户 {1}").format(r.card_serial, r.account_no),
        )
        self.meter = ActionForm(
            ctx,
            translate("Cards", "换表补电"),
            [
                account,
                Spec("new_meter_no", translate("Cards", "新电表号")),
                Spec("carried_ckwh", translate("Cards", "转入电量"), "kwh"),
            ],
            lambda s, **kw: s.replace_meter(**kw),
            lambda r: translate("Cards", "参数卡 {0} 已写好：请插入新电表").format(r.parameter_card_serial),
            needs_approval=True,
            operation="replace_meter",
        )
        self.tool = ActionForm(
            ctx,
            translate("Cards", "工具卡"),
            [
                Spec(
                    "kind",
                    translate("Cards", "类别"),
                    "choice",
                    choices=(
                        ("check", translate("Cards", "检查卡")),
                        ("parameter", translate("Cards", "参数卡")),
                    ),
                ),
                Spec("meter_no", translate("Cards", "电表号")),
            ],
            lambda s, **kw: s.issue_tool_card(**kw),
            lambda r: translate("Cards", "工具卡 {0}（{1}）已写好").format(r.card_serial, r.kind),
            needs_approval=True,
            operation="issue_tool_card",
        )
        tabs = QTabWidget()
        for form in (self.lost, self.replace, self.issue, self.meter, self.tool):
            tabs.addTab(form, form.title())
        self.add(note(translate("Cards", "补卡沿用原账户和购电次数；旧卡上未入表的购电转到新卡。")))
        self.add(tabs)
        self.finish()
