"""The sale page's lookup (card and room → account) and its account panel: who is buying, at what
price, and what the meter last said."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QWidget

from base.errors import InputInvalid, UserFacingError
from base.money import format_kwh, format_price, format_yuan
from counter_app.results import AccountInfo, CardInfo, SaleResult
from ui import style
from ui.facade import SaleSession
from ui.models import class_text, status_text
from ui.times import shown_time
from ui.widgets import colon

translate = QCoreApplication.translate


def lookup(session: SaleSession, room: str) -> tuple[AccountInfo, CardInfo | None, BaseException | None]:
    """Runs on the worker: the card (and the typed room code checked against it) → the account."""
    card: CardInfo | None = None
    card_problem: BaseException | None = None
    try:
        card = session.read_card()
    except UserFacingError as exc:
        if not room:
            raise
        card_problem = exc  # room typed, no card yet: show the account, ask for the card
    if card is not None and (card.kind != "user" or not card.account_no):
        raise InputInvalid(translate("Sale", "读卡器上不是用户卡，请放用户卡"), field="room_code")
    if room:
        account = session.find_account(room_code=room)
        if card is not None and card.account_no != account.account_no:
            raise UserFacingError.for_code(
                "CARD_MISMATCH",
                translate("Sale", "卡上账户 {0}，输入房间 {1}").format(card.account_no, room),
                field="room_code",
            )
    else:
        account = session.find_account(account_no=card.account_no)
    return account, card, card_problem


class AccountPanel(QGroupBox):
    KEYS = ("room", "account", "holder", "cls", "price", "write_back", "free", "card")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(translate("Sale", "账户"), parent)
        form = QFormLayout(self)
        titles = {
            "room": translate("Sale", "房间"),
            "account": translate("Sale", "账户号"),
            "holder": translate("Sale", "户主"),
            "cls": translate("Sale", "类别/状态"),
            "price": translate("Sale", "电价"),
            "write_back": translate("Sale", "上次返写"),
            "free": translate("Sale", "待领免费电"),
            "card": translate("Sale", "卡"),
        }
        self.values: dict[str, QLabel] = {}
        for key in self.KEYS:
            label = QLabel("—")
            label.setWordWrap(True)
            label.setObjectName(f"account_{key}")
            self.values[key] = label
            form.addRow(colon(titles[key]), label)
        self.warning = QLabel()
        self.warning.setStyleSheet(style.WARNING_STYLE)
        self.warning.setWordWrap(True)
        form.addRow(self.warning)

    def clear(self) -> None:
        for label in self.values.values():
            label.setText("—")
        self.warning.clear()

    def show_account(self, account: AccountInfo, card: CardInfo | None) -> None:
        v = self.values
        v["room"].setText(account.room_code or "—")
        v["account"].setText(account.account_no)
        v["holder"].setText(account.holder or "—")
        v["cls"].setText(f"{class_text(account.cls)} / {status_text(account.status)}")
        v["price"].setText(
            translate("Sale", "{0} 元/kWh").format(format_price(account.price_e4))
            if account.price_e4
            else "—"
        )
        v["write_back"].setText(write_back_text(account, card))
        v["free"].setText(format_kwh(account.free_owed_ckwh or 0) + " kWh")
        v["card"].setText(card_text(card))
        self.warning.setText(warning_text(account, card))


def write_back_text(account: AccountInfo, card: CardInfo | None) -> str:
    wb = newest_write_back(card.write_back if card else None, account.write_back)
    if wb is None:
        return translate("Sale", "无返写记录")
    when = shown_time(wb.at) if wb.at else translate("Sale", "时间未知")
    text = translate("Sale", "剩余 {0} kWh，累计 {1} kWh（{2}）").format(
        format_kwh(wb.remaining_ckwh), format_kwh(wb.consumed_ckwh), when
    )
    if wb.alarms:
        text += translate("Sale", "；报警：{0}").format("、".join(wb.alarms))
    return text


def newest_write_back(on_card, on_record):
    """The newer of the card's write-back and the account's record of write-backs. On a tie the
    record wins: after a clear it knows the meter was emptied (remaining 0) while the card's copy
    still says what was there (issue 14 §12: the old remaining energy shown after a refund)."""
    if on_card is None or on_card.at is None:
        return on_record or on_card
    if on_record is None or on_record.at is None:
        return on_card
    return on_card if on_card.at > on_record.at else on_record


def card_text(card: CardInfo | None) -> str:
    if card is None:
        return translate("Sale", "未读卡")
    if not card.purchase_counter and card.loaded is None:
        return translate("Sale", "{0}（新卡，尚未购电）").format(card.card_serial)
    loaded = {
        True: translate("Sale", "上次购电已入表"),
        False: translate("Sale", "上次购电未入表"),
        None: "",
    }[card.loaded]
    return translate("Sale", "{0}（第 {1} 次购电）{2}").format(
        card.card_serial, card.purchase_counter or 0, loaded
    )


def warning_text(account: AccountInfo, card: CardInfo | None) -> str:
    if account.status == "pending":
        return translate("Sale", "类别待确认：请监督人先确认类别（账户页）")
    if account.status in {"blocked", "closed"}:
        return translate("Sale", "账户不可售电：{0}").format(status_text(account.status))
    if card is not None and card.loaded is False:
        return translate("Sale", "上次购电尚未输入电表，请先将卡插入电表")
    return ""


def sale_text(result: SaleResult) -> str:
    parts = [
        translate("Sale", "售电成功 票号 {0}").format(result.receipt_no),
        translate("Sale", "金额 ￥{0}").format(format_yuan(result.amount_fen)),
        translate("Sale", "电量 {0} kWh").format(format_kwh(result.energy_ckwh)),
    ]
    if result.free_ckwh:
        parts.append(translate("Sale", "免费电 {0} kWh").format(format_kwh(result.free_ckwh)))
    if result.carried_ckwh:
        parts.append(translate("Sale", "带入未入表电量 {0} kWh").format(format_kwh(result.carried_ckwh)))
    parts.append(translate("Sale", "找零 ￥{0}").format(format_yuan(result.change_fen)))
    return "    ".join(parts)
