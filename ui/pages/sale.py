"""售电: the top-up, keyboard only (DOMAIN.md "Counter operations" 1).

Common case, ≤ 3 keys besides the digits:
    [card on the reader]  Enter  → account, class, price, last write-back, free energy owed
    100                   Enter  → (energy shown live while typing) → tendered field
                          Enter  → exact tender: top_up, card written and verified, receipt printed
Alt+1..4 put 30/50/100/200 yuan and jump to the tendered field. Typing kWh instead of yuan sells by
energy (the amount is quoted back). A refusal appears next to the field it concerns, the form keeps
what was typed, and every message says what to do next.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLabel, QPushButton, QWidget

from base.errors import InputInvalid, UserFacingError
from base.money import format_kwh, format_yuan, parse_kwh, parse_yuan
from base.vocabulary import TENDERS
from counter_app.results import AccountInfo, CardInfo, Quote, SaleResult
from ui import style
from ui.approval_dialog import ApprovalDialog, ApprovalRequest, explain_refusal
from ui.ops import FacadeOp, error_text, show_error
from ui.pages.base import Page
from ui.pages.sale_panel import AccountPanel, lookup, sale_text
from ui.status import reprint_and_check, reprint_pending_text
from ui.widgets import ERROR_STYLE, Field, info_label, money, route_error

translate = QCoreApplication.translate

QUICK_AMOUNTS_FEN = (3000, 5000, 10000, 20000)
# Refusals of the amount itself, shown as it is typed (the core's check_top_up).
LIMIT_CODES = frozenset({"BELOW_MINIMUM", "ABOVE_MAXIMUM", "INPUT_INVALID"})


class SalePage(Page):
    @classmethod
    def caption(cls) -> str:
        return translate("Sale", "售电")

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.account: AccountInfo | None = None
        self.card: CardInfo | None = None
        self.quote: Quote | None = None
        self.sell_by = "amount"
        self.last_sale: SaleResult | None = None
        self.in_flight = False  # a top-up is on the worker: Enter must not sell twice
        self._build()
        self._quote_timer = QTimer(self, singleShot=True, interval=200)
        self._quote_timer.timeout.connect(self._request_quote)
        self._wire_keys()
        self.finish()

    # --- building ------------------------------------------------------------------------------
    def _build(self) -> None:
        self.room = Field(translate("Sale", "房间号；空白回车 = 读卡"))
        self.amount = Field(translate("Sale", "金额（元）"))
        self.energy = Field(translate("Sale", "或电量（kWh）"))
        self.tendered = Field(translate("Sale", "实收（元）；空白回车 = 收讫"))
        self.tender = QComboBox()
        for code, shown in zip(TENDERS, tender_names(), strict=True):
            self.tender.addItem(shown, code)
        self.reference = Field(translate("Sale", "交易号/支票号（非现金必填）"))
        self.override_reason = Field(translate("Sale", "放行原因"))
        for big in (self.room, self.amount, self.energy, self.tendered):
            big.edit.setObjectName("bigEntry")  # read from a step back: ui/style.py ENTRY_PX
        self.due_label, self.change_label = QLabel("—"), QLabel("—")
        self.change_label.setStyleSheet(style.FIGURE_STYLE)  # the customer is told it: big
        self.due_label.setStyleSheet(style.FIGURE_STYLE)
        self.panel = AccountPanel()
        self.result_label = info_label()
        self.result_label.setStyleSheet(style.SALE_RESULT_STYLE)
        self.message = info_label()
        form = QFormLayout()
        form.addRow(translate("Sale", "卡/房间号"), self.room)
        form.addRow(translate("Sale", "金额（元）"), self.amount)
        form.addRow(translate("Sale", "电量（kWh）"), self.energy)
        form.addRow(translate("Sale", "应收"), self.due_label)
        form.addRow(translate("Sale", "支付方式"), self.tender)
        form.addRow(translate("Sale", "参考号"), self.reference)
        form.addRow(translate("Sale", "实收（元）"), self.tendered)
        form.addRow(translate("Sale", "找零"), self.change_label)
        left = QWidget()
        left.setLayout(form)
        # On a large screen the form keeps a readable width instead of stretching across it.
        left.setMaximumWidth(640)
        self.panel.setMaximumWidth(620)
        row = QHBoxLayout()
        row.addWidget(left, 3)
        row.addWidget(self.panel, 2)
        row.addStretch(0)
        holder = QWidget()
        holder.setLayout(row)
        self.add(holder)
        self.add(
            info_label(
                translate(
                    "Sale",
                    "快捷金额：Alt+1 30元  Alt+2 50元  Alt+3 100元  Alt+4 200元；Esc 清空；Ctrl+P 补打上一张",
                )
            )
        )
        self.add(self.message)
        self.add(self.result_label)
        self._build_actions()

    def _build_actions(self) -> None:
        self.override_button = QPushButton(translate("Sale", "监督人放行（上次未入表）"))
        self.override_button.clicked.connect(lambda: self.override_previous())
        self.reprint_button = QPushButton(translate("Sale", "补打上一张（Ctrl+P）"))
        self.reprint_button.clicked.connect(self.reprint)
        self.reprint_button.setEnabled(False)
        bar = QHBoxLayout()
        bar.addWidget(self.override_reason)
        bar.addWidget(self.override_button)
        bar.addStretch(1)
        bar.addWidget(self.reprint_button)
        box = QWidget()
        box.setLayout(bar)
        self.add(box)
        self._show_override(False)

    def _wire_keys(self) -> None:
        self.room.edit.returnPressed.connect(self.look_up)
        self.amount.edit.textEdited.connect(lambda _t: self._typed("amount"))
        self.energy.edit.textEdited.connect(lambda _t: self._typed("energy"))
        self.amount.edit.returnPressed.connect(self.confirm_amount)
        self.energy.edit.returnPressed.connect(self.confirm_amount)
        self.tendered.edit.textEdited.connect(lambda _t: self._show_change())
        self.tendered.edit.returnPressed.connect(self.submit)
        for i, fen in enumerate(QUICK_AMOUNTS_FEN, start=1):
            self._shortcut(f"Alt+{i}", lambda fen=fen: self.quick_amount(fen))
        self._shortcut("Escape", self.reset)
        self._shortcut("Ctrl+P", self.reprint)

    def _shortcut(self, keys: str, slot) -> None:
        # Scoped to this page so other pages may use the same keys.
        shortcut = QShortcut(QKeySequence(keys), self, slot)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def fields(self) -> dict[str, Field]:
        """Where a refusal goes: by the error's `.field`, else by its code."""
        f = {
            "room_code": self.room,
            "account_no": self.room,
            "amount_fen": self.amount,
            "amount": self.amount,
            "energy_ckwh": self.energy,
            "energy": self.energy,
            "tendered_fen": self.tendered,
            "reference": self.reference,
            "override_reason": self.override_reason,
        }
        for code in (
            "CARD_ABSENT",
            "CARD_REMOVED",
            "CARD_MISMATCH",
            "CARD_BLACKLISTED",
            "CARD_MAC",
            "CARD_LOCKED",
            "CARD_PSC_WRONG",
            "PREVIOUS_NOT_LOADED",
            "ACCOUNT_UNKNOWN",
            "ACCOUNT_PENDING",
            "ACCOUNT_CLOSED",
            "ACCOUNT_BUSY",
            "WRITE_BACK_STALE",
            "UNPAID_BACK_CHARGE",
            "ALREADY_LOADED",
            "DEVICE_OFFLINE",  # the reader: the card step is where the cashier retries
            "SHIFT_NOT_OPEN",
        ):
            f["@" + code] = self.room
        for code in ("BELOW_MINIMUM", "ABOVE_MAXIMUM", "OVER_METER_MAXIMUM"):
            f["@" + code] = self.energy if self.sell_by == "energy" else self.amount
        return f

    def activated(self) -> None:
        if not self.in_flight:
            self.room.edit.setFocus()
            self.refresh_account()

    def refresh_account(self) -> None:
        """The account on screen read again when the page comes back: another page (a clear, a
        refund, a card replaced) may have changed what it shows, e.g. the remaining energy."""
        if self.account is None or self.in_flight:
            return
        session, account_no = self.ctx.session, self.account.account_no
        FacadeOp(self, lambda: session.find_account(account_no=account_no)).quiet().success(
            self._refreshed
        ).failure(lambda _exc: None).run()

    def _refreshed(self, account: AccountInfo) -> None:
        if self.account is None or self.account.account_no != account.account_no:
            return  # the cashier moved on meanwhile
        self.account = account
        self.panel.show_account(account, self.card)

    # --- step 1: card / room → account -----------------------------------------------------------
    def look_up(self) -> None:
        if self.in_flight:
            return
        self.room.clear_error()
        session, room = self.ctx.session, self.room.text()
        FacadeOp(self, lambda: lookup(session, room)).success(self._show_account).failure(self._refused).run()

    def _show_account(self, found: tuple[AccountInfo, CardInfo | None, BaseException | None]) -> None:
        self.account, self.card, card_problem = found
        self.quote = None
        self.panel.show_account(self.account, self.card)
        self.room.set_text(self.account.room_code or self.room.text())
        self.result_label.clear()
        if card_problem is not None:
            self.room.show_error(error_text(card_problem))
        self.amount.edit.setFocus()
        self.amount.edit.selectAll()

    # --- step 2: amount or energy ----------------------------------------------------------------
    def _typed(self, which: str) -> None:
        self.sell_by = which
        (self.energy if which == "amount" else self.amount).set_text("")
        self.quote = None
        self.due_label.setText("—")
        self.change_label.setText("—")
        self._quote_timer.start()

    def quick_amount(self, fen: int) -> None:
        self.amount.set_text(format_yuan(fen))
        self.sell_by = "amount"
        self.energy.set_text("")
        self.confirm_amount()

    def _quote_args(self) -> dict[str, int]:
        if self.sell_by == "energy":
            return {"energy_ckwh": parse_kwh(self.energy.text(), translate("Sale", "电量"))}
        return {"amount_fen": parse_yuan(self.amount.text(), translate("Sale", "金额"))}

    def _request_quote(self, then_tender: bool = False) -> None:
        if self.account is None:
            return
        try:
            args = self._quote_args()
        except UserFacingError as exc:
            if then_tender:
                self._refused(exc)
            return
        session, account_no = self.ctx.session, self.account.account_no
        # The core's top-up limits (minimum, the September minimum, the class maximum) as the amount
        # is typed: a figure outside them is never quoted, and the tender step stays closed.
        op = FacadeOp(self, lambda: session.check_top_up(account_no=account_no, **args))
        op.success(lambda q: self._show_quote(q, then_tender)).failure(self._quote_failed(then_tender)).run()

    def _quote_failed(self, then_tender: bool):
        def failed(exc: BaseException) -> None:
            self._no_quote()
            if getattr(exc, "code", "") in LIMIT_CODES:  # said at once, next to the figure being typed
                self._refused(exc)
            elif then_tender:  # anything else (a half-typed figure) waits for an explicit Enter
                self._refused(exc)

        return failed

    def _no_quote(self) -> None:
        """No valid figure: nothing quoted, nothing to tender, no change shown."""
        self.quote = None
        (self.energy if self.sell_by == "amount" else self.amount).set_text("")
        self.due_label.setText("—")
        self.change_label.setText("—")
        self.tendered.setEnabled(False)

    def _show_quote(self, quote: Quote, then_tender: bool) -> None:
        self.quote = quote
        self.tendered.setEnabled(True)
        (self.amount if self.sell_by == "amount" else self.energy).clear_error()
        if self.sell_by == "amount":
            self.energy.set_text(format_kwh(quote.energy_ckwh))
        else:
            self.amount.set_text(format_yuan(quote.amount_fen))
        free = (
            translate("Sale", "（另送免费电 {0} kWh）").format(format_kwh(quote.free_ckwh))
            if quote.free_ckwh
            else ""
        )
        self.due_label.setText(f"{money(quote.amount_fen)} {free}")
        self._show_change()
        if then_tender:
            self.tendered.edit.setFocus()
            self.tendered.edit.selectAll()

    def confirm_amount(self) -> None:
        if self.account is None:
            self.room.show_error(translate("Sale", "请先放卡回车或输入房间号回车"))
            return
        self._quote_timer.stop()
        self._request_quote(then_tender=True)

    # --- step 3: tendered → top_up ---------------------------------------------------------------
    def _tendered_fen(self) -> int | None:
        text = self.tendered.text()
        if not text:
            return self.quote.amount_fen if self.quote else None
        return parse_yuan(text, translate("Sale", "实收"), "tendered_fen")

    def _show_change(self) -> None:
        try:
            tendered = self._tendered_fen()
        except UserFacingError:
            self.change_label.setText("—")
            return
        if self.quote is None or tendered is None:
            self.change_label.setText("—")
            return
        self.change_label.setText(money(tendered - self.quote.amount_fen))

    def sale_kwargs(self) -> dict[str, Any]:
        if self.account is None or self.quote is None:
            raise InputInvalid(translate("Sale", "请先输入金额并回车"), field="amount_fen")
        tender = self.tender.currentData()
        tendered = self._tendered_fen()
        if tender == "cash" and tendered is not None and tendered < self.quote.amount_fen:
            raise InputInvalid(
                translate("Sale", "实收少于应收 ￥{0}").format(format_yuan(self.quote.amount_fen)),
                field="tendered_fen",
            )
        kwargs: dict[str, Any] = {"account_no": self.account.account_no, "tender": tender}
        kwargs.update(self._quote_args())
        if tender == "cash":
            kwargs["tendered_fen"] = tendered
        else:
            kwargs["reference"] = self.reference.text() or None
        return kwargs

    def submit(self, **extra: Any) -> None:
        if self.in_flight:
            return
        try:
            kwargs = self.sale_kwargs() | extra
        except UserFacingError as exc:
            self._refused(exc)
            return
        self.in_flight = True
        self.message.setText(translate("Sale", "正在写卡，请勿取卡…"))
        session = self.ctx.session
        FacadeOp(self, lambda: session.top_up(**kwargs)).success(self._sold).failure(self._sale_refused).run()

    def _sold(self, result: SaleResult) -> None:
        self.in_flight = False
        self.last_sale = result
        self.reset()
        self.result_label.setText(sale_text(result))
        self.reprint_button.setEnabled(True)

    def _sale_refused(self, exc: BaseException) -> None:
        self.in_flight = False
        self.message.clear()
        code = getattr(exc, "code", "")
        if code in {"SELF_APPROVAL", "APPROVAL_INVALID"} and self.override_reason.text():
            # The 监督人's signature was refused: say why and ask again for the same content.
            self._show_override(True)
            self.override_previous(problem=explain_refusal(code))
            return
        self._refused(exc)
        self._show_override(getattr(exc, "code", "") == "PREVIOUS_NOT_LOADED")
        if code == "SALE_NOT_RECORDED":
            # The card holds the energy: the one thing the cashier must not do is hand money back.
            self.message.setStyleSheet(ERROR_STYLE)
            self.message.setText(
                translate(
                    "Sale",
                    "卡上已写入电量（编号 {0}），请勿退款：本笔将在下次读卡或重启时自动入账，可在“异常”页查看。",
                ).format(exc.intent_id)
            )
        elif getattr(exc, "intent_id", None):
            self.message.setStyleSheet(ERROR_STYLE)
            self.message.setText(
                translate(
                    "Sale",
                    "写卡未完成（编号 {0}）：客户在场请放回原卡后重新回车；客户已离开请到“异常”页处理。",
                ).format(exc.intent_id)
            )

    def _refused(self, exc: BaseException) -> None:
        if not route_error(exc, self.fields()):
            show_error(self, exc)

    # --- supervisor override, reprint, reset -----------------------------------------------------
    def _show_override(self, visible: bool) -> None:
        self.override_reason.setVisible(visible)
        self.override_button.setVisible(visible)

    def override_previous(self, problem: str = "") -> None:
        """A second sale while the previous one is unloaded: once, with a reason and a 监督人 (DOMAIN.md)."""
        reason = self.override_reason.text()
        if not reason:
            self.override_reason.show_error(translate("Sale", "请填写放行原因"))
            return
        try:
            kwargs = self.sale_kwargs() | {"override_reason": reason}  # the form first
        except UserFacingError as exc:
            self._refused(exc)
            return
        # Then the core: every check of the sale (card, limits, meter maximum, tender) and the words
        # of exactly what the override binds, before the supervisor is called over.
        session = self.ctx.session
        FacadeOp(self, lambda: session.approval_preview("top_up", **kwargs)).success(
            lambda preview: self._ask_override(preview, reason, problem)
        ).failure(self._refused).run()

    def _ask_override(self, preview: Any, reason: str, problem: str) -> None:
        if not preview.needed:  # the previous purchase has been loaded meanwhile: an ordinary sale
            self.submit()
            return
        request = ApprovalRequest.from_preview(preview, self.ctx.operator, self.ctx.operator_name)
        approval = ApprovalDialog.ask(self, request, self.ctx.approval_factory, problem)
        if approval is not None:
            self.submit(override_reason=reason, approval=approval)

    def reprint(self) -> None:
        if self.last_sale is None:
            return
        counter, session, receipt_no = self.ctx.counter, self.ctx.session, self.last_sale.receipt_no
        FacadeOp(self, lambda: reprint_and_check(counter, session, receipt_no)).success(
            lambda done: self._reprinted(receipt_no, *done)
        ).run()

    def _reprinted(self, receipt_no: str, count: int, status: Any) -> None:
        pending = reprint_pending_text(receipt_no, count, status)
        self.message.setStyleSheet(ERROR_STYLE if pending else "")
        self.message.setText(
            pending or translate("Sale", "已补打 {0}（第 {1} 次，凭条标记“补打”）").format(receipt_no, count)
        )

    def reset(self) -> None:
        """Ready for the next customer; the last result stays visible until the next lookup."""
        if self.in_flight:
            return
        self.account = self.card = self.quote = None
        for field in (
            self.room,
            self.amount,
            self.energy,
            self.tendered,
            self.reference,
            self.override_reason,
        ):
            field.set_text("")
            field.clear_error()
        self.tender.setCurrentIndex(0)
        self.tendered.setEnabled(True)
        self.due_label.setText("—")
        self.change_label.setText("—")
        self.message.clear()
        self.message.setStyleSheet("")
        self.panel.clear()
        self._show_override(False)
        self.room.edit.setFocus()


def tender_names() -> list[str]:
    """The shown names of base.vocabulary.TENDERS, in its order."""
    shown = {
        "cash": translate("Sale", "现金"),
        "campus_card": translate("Sale", "一卡通"),
        "wechat": translate("Sale", "微信"),
        "alipay": translate("Sale", "支付宝"),
        "cheque": translate("Sale", "支票"),
    }
    return [shown[code] for code in TENDERS]
