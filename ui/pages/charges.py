"""收费: notices (repair, utility, heating) paid once and in full, typed twice; theft back-charges."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QTabWidget

from base.money import format_kwh, format_yuan
from base.vocabulary import TENDERS
from ui.pages.base import Page
from ui.pages.form import ActionForm, Spec, note

translate = QCoreApplication.translate


def kinds() -> tuple[tuple[str, str], ...]:
    return (
        ("repair", translate("Charges", "维修费")),
        ("utility", translate("Charges", "水电费")),
        ("heating", translate("Charges", "采暖费")),
    )


def tenders() -> tuple[tuple[str, str], ...]:
    """(code, shown name) in base.vocabulary's order, the sale page's."""
    shown = {
        "cash": translate("Charges", "现金"),
        "cheque": translate("Charges", "支票"),
        "campus_card": translate("Charges", "一卡通"),
        "wechat": translate("Charges", "微信"),
        "alipay": translate("Charges", "支付宝"),
    }
    return tuple((code, shown[code]) for code in TENDERS)


def create_notice(session, area_dm2=None, **kw):
    # Heated area is typed in m² with two decimals, i.e. already in dm² after parsing (× 100).
    return session.create_notice(area_dm2=area_dm2, **kw)


class ChargesPage(Page):
    @classmethod
    def caption(cls) -> str:
        return translate("Charges", "收费")

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(ctx, parent)
        tabs = QTabWidget()
        tabs.addTab(self._pay_form(), translate("Charges", "按通知单收费"))
        tabs.addTab(self._notice_form(), translate("Charges", "登记通知单/采暖费"))
        tabs.addTab(self._back_charge_form(), translate("Charges", "违规用电补缴"))
        self.add(
            note(
                translate(
                    "Charges", "通知单须一次全额缴清；金额输入两次核对。需要学校结算收据的，填写收据页号。"
                )
            )
        )
        self.add(tabs)
        self.finish()

    def _pay_form(self) -> ActionForm:
        self.pay = ActionForm(
            self.ctx,
            translate("Charges", "缴费"),
            [
                Spec("notice_no", translate("Charges", "通知单号")),
                Spec("amount_fen", translate("Charges", "金额"), "yuan"),
                Spec("amount_fen_again", translate("Charges", "再次输入金额"), "yuan"),
                Spec("tender", translate("Charges", "支付方式"), "choice", choices=tenders()),
                Spec("tendered_fen", translate("Charges", "实收"), "yuan", optional=True),
                Spec("reference", translate("Charges", "交易号/支票号"), optional=True),
                Spec("paper_receipt_no", translate("Charges", "收据页号"), optional=True),
            ],
            lambda s, **kw: s.pay_notice(**kw),
            lambda r: translate("Charges", "已收费 票号 {0}：￥{1}，找零 ￥{2}{3}").format(
                r.receipt_no,
                format_yuan(r.amount_fen),
                format_yuan(r.change_fen),
                translate("Charges", "（迟交，已标记）") if r.late_hand_in else "",
            ),
        )
        return self.pay

    def _notice_form(self) -> ActionForm:
        self.notice = ActionForm(
            self.ctx,
            translate("Charges", "登记通知单"),
            [
                Spec("kind", translate("Charges", "类别"), "choice", choices=kinds()),
                Spec("payer", translate("Charges", "缴费单位/人")),
                Spec("notice_no", translate("Charges", "通知单号"), optional=True),
                Spec("amount_fen", translate("Charges", "金额（维修/水电）"), "yuan", optional=True),
                Spec("area_dm2", translate("Charges", "采暖面积（m²）"), "kwh", optional=True),
                Spec("repair_date", translate("Charges", "维修日期"), "date", optional=True),
                Spec("repairman", translate("Charges", "维修人"), optional=True),
                Spec("department", translate("Charges", "开单部门"), optional=True),
            ],
            create_notice,
            lambda r: translate("Charges", "通知单 {0}：￥{1}").format(
                r.notice_no, format_yuan(r.amount_fen)
            ),
        )
        return self.notice

    def _back_charge_form(self) -> ActionForm:
        self.back_charge = ActionForm(
            self.ctx,
            translate("Charges", "违规用电补缴电费"),
            [
                Spec("account_no", translate("Charges", "账户号")),
                Spec("discovered_on", translate("Charges", "发现日期"), "date"),
                Spec("electrician", translate("Charges", "确认电工")),
                Spec("evidence", translate("Charges", "证据/通知人")),
            ],
            lambda s, **kw: s.back_charge(**kw),
            lambda r: translate(
                "Charges", "通知单 {0}：{1} 天 × 电量 = {2} kWh，单价 {3}，应缴 ￥{4}"
            ).format(
                r.notice_no,
                r.days,
                format_kwh(r.energy_ckwh),
                f"{r.price_e4 / 10000:.4f}",
                format_yuan(r.amount_fen),
            ),
            needs_approval=True,
            operation="back_charge",
        )
        return self.back_charge
