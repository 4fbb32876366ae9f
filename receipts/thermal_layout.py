"""Building blocks shared by every thermal printout: heading, label/value lines, tender, QR."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from base.amount_words import amount_in_words
from base.clock import BUSINESS_TZ
from base.money import format_kwh, format_price, format_yuan
from base.vocabulary import TENDER_LABELS
from receipts.columns import display_width, pair_line, rule
from receipts.data import SIMULATED_MARK, TENDER_REFERENCE_LABELS, ReceiptHeader, TenderInfo
from receipts.escpos import EscPos, Printout

CUSTOMER_COPY = "客户联"
COUNTER_COPY = "存根联"


def yuan(fen: int) -> str:
    return format_yuan(fen, "￥")


def kwh(ckwh: int) -> str:
    return f"{format_kwh(ckwh)} kWh"


def price(price_e4: int) -> str:
    return f"{format_price(price_e4)} 元/kWh"


def local_time(moment: datetime) -> str:
    return moment.astimezone(BUSINESS_TZ).strftime("%Y-%m-%d %H:%M:%S")


def local_date(day: date | datetime) -> str:
    if isinstance(day, datetime):
        day = day.astimezone(BUSINESS_TZ).date()
    return day.isoformat()


class Layout:
    """Receipt-level vocabulary over an `EscPos` builder; every method keeps lines within width."""

    def __init__(self, doc: EscPos) -> None:
        self.doc = doc

    @property
    def columns(self) -> int:
        return self.doc.columns

    def heading(self, title: str) -> None:
        self.doc.align("center").bold().size(wide=True, tall=True)
        self.doc.line(title)
        self.doc.size().bold(False).align("left")

    def centered(self, text: str, *, bold: bool = False) -> None:
        self.doc.align("center").bold(bold)
        self.doc.line(text)
        self.doc.bold(False).align("left")

    def pair(self, label: str, value: str, *, strong: bool = False) -> None:
        """A label/value line; `strong` prints it bold and double height (same columns)."""
        if strong:
            self.doc.bold().size(tall=True)
        self.doc.lines(pair_line(label, value, self.columns))
        if strong:
            self.doc.size().bold(False)

    def text(self, text: str) -> None:
        self.doc.line(text)  # EscPos.line wraps by display width

    def rule(self, char: str = "-") -> None:
        self.doc.line(rule(self.columns, char))

    def signature(self, label: str) -> None:
        self.doc.feed(2)
        self.doc.line(f"{label}：" + "_" * max(4, self.columns - display_width(label) - 2))

    def amount(self, fen: int, label: str = "金额") -> None:
        """The amount, emphasised, and in capitals (大写) below it."""
        self.pair(label, yuan(fen), strong=True)
        self.pair("大写", amount_in_words(fen))

    def tender(self, tender: TenderInfo, due_fen: int) -> None:
        self.pair("付款方式", TENDER_LABELS[tender.kind])
        if tender.reference:
            self.pair(TENDER_REFERENCE_LABELS.get(tender.kind, "凭证号"), tender.reference)
        if tender.kind == "cash" and tender.tendered_fen is not None:
            self.pair("应收", yuan(due_fen))
            self.pair("实收", yuan(tender.tendered_fen))
            self.pair("找零", yuan(tender.change_fen if tender.change_fen is not None else 0))

    def qr(self, text: str, *, caption: str = "扫码验真") -> None:
        self.doc.align("center").qr(text)
        self.doc.line(caption)
        self.doc.align("left")


def header_block(layout: Layout, header: ReceiptHeader, title: str, copy_label: str) -> None:
    """Heading, centre, copy, reprint and simulation marks, then number, time and cashier."""
    layout.heading(title)
    layout.centered(header.centre_name)
    layout.centered(copy_label)
    if header.reprint_count:
        layout.centered(f"补打 第{header.reprint_count}次", bold=True)
    if header.simulated:
        layout.centered(SIMULATED_MARK, bold=True)
    layout.rule()
    layout.pair("凭条号", header.receipt_no)
    layout.pair("日期", local_time(header.at))
    layout.pair("收款员", header.cashier)
    layout.rule()


def finish_copy(layout: Layout, *, simulated: bool) -> None:
    """The end of one copy: the simulation mark again (a torn-off half still says so), Chinese
    mode off, feed and cut."""
    if simulated:
        layout.centered(SIMULATED_MARK, bold=True)
    layout.doc.leave_chinese_mode().cut()


def two_copies(columns: int, render: Callable[[Layout, str], None]) -> Printout:
    """The customer copy then the counter copy, each starting with ESC @ and ending in a cut."""
    doc = EscPos(columns=columns)
    for copy_label in (CUSTOMER_COPY, COUNTER_COPY):
        doc.initialize()
        render(Layout(doc), copy_label)
    return doc.printout()


def one_copy(columns: int, render: Callable[[Layout], None]) -> Printout:
    doc = EscPos(columns=columns)
    doc.initialize()
    render(Layout(doc))
    return doc.printout()
