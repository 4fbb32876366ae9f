"""What a receipt or slip shows, as plain frozen data. The services fill these; `receipts.thermal`
lays them out. Money in fen, energy in ckwh (0.01 kWh), prices in price_e4, times aware.

Codes are API.md's (classes and tenders with their labels: base.vocabulary): classes
`dorm|staff|business`; tenders `cash|campus_card|wechat|alipay|cheque`; charges
`repair|utility|heating|back_charge|software_control|card` (the fee kind `card` is the 补卡费;
`software_control` is the 补交电费 for energy used under software control, not a theft back-charge).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from base.vocabulary import CLASS_LABELS, TENDER_LABELS

# A field added to a document after print jobs were first stored: counter_app/documents.to_json writes
# it only when it is set, so a job of a document that does not use it (a card sale's receipt has no
# networked balance) is stored exactly as before (tests/ops/test_intent_payloads.py rolls old intents
# forward and compares what is written, byte for byte); reading a job without it gives the default.
ADDED_LATER = {"omit_when_default": True}

TENDER_REFERENCE_LABELS = {
    "cheque": "支票号",
    "campus_card": "流水号",
    "wechat": "交易单号",
    "alipay": "交易单号",
}
CHARGE_LABELS = {
    "repair": "代收维修费",
    "utility": "代收水电费",
    "heating": "采暖费",
    "back_charge": "违规用电补缴电费",
    "software_control": "补交电费（软件控制期间）",
    "card": "补卡费",
}
SIMULATED_MARK = "[演示/SIMULATED]"


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)


def _require_fen(*values: int | None) -> None:
    for value in values:
        _require(
            value is None or (isinstance(value, int) and value >= 0), f"amounts are integers >= 0: {value!r}"
        )


@dataclass(frozen=True)
class ReceiptHeader:
    """The lines every numbered receipt starts with.

    `reprint_count` is 0 for the original AND for an automatic reprint after a printer fault
    (printed whole again, no mark); 1, 2, … when a person asked for a copy: "补打 第n次".
    """

    centre_name: str
    workstation: str
    receipt_no: str
    at: datetime
    cashier: str
    simulated: bool = False
    reprint_count: int = 0

    def __post_init__(self) -> None:
        _require(self.at.tzinfo is not None, "receipt time must be aware")
        _require(self.reprint_count >= 0, "reprint_count >= 0")


@dataclass(frozen=True)
class TenderInfo:
    """How the customer paid. For cash, `tendered_fen` (实收) and `change_fen` (找零)."""

    kind: str
    reference: str | None = None
    tendered_fen: int | None = None
    change_fen: int | None = None

    def __post_init__(self) -> None:
        _require(self.kind in TENDER_LABELS, f"unknown tender {self.kind!r}")
        _require_fen(self.tendered_fen, self.change_fen)


@dataclass(frozen=True)
class NetworkedBalance:
    """A networked room's balance (issue 17: no card): energy credited − energy its module counted
    (and energy under software control the balance paid for), as of the module's last reading.
    Printed instead of every card field (purchase counter, write-back estimate)."""

    credited_ckwh: int
    used_ckwh: int
    remaining_ckwh: int  # after this sale; negative when used without balance
    balance_fen: int  # remaining at the price in force (negative when owed)
    last_read_at: datetime | None  # None: never read since the metering began
    last_read_ckwh: int | None = None
    software_control_ckwh: int = 0


@dataclass(frozen=True)
class SaleReceipt:
    """购电凭条: a top-up, or a visit that only picked up free energy (amount 0)."""

    header: ReceiptHeader
    account_no: str
    room_code: str
    cls: str
    price_e4: int
    amount_fen: int
    energy_ckwh: int
    purchase_counter: int
    tender: TenderInfo
    qr_text: str
    free_ckwh: int = 0
    carried_ckwh: int = 0  # unloaded energy of the previous purchase, carried by a supervisor override
    corrects_receipt_no: str | None = None  # the voided receipt this sale replaces (更正)
    networked: NetworkedBalance | None = field(default=None, metadata=ADDED_LATER)  # a networked room: no card fields, its balance instead

    def __post_init__(self) -> None:
        _require(self.cls in CLASS_LABELS, f"unknown class {self.cls!r}")
        _require_fen(self.amount_fen, self.energy_ckwh, self.free_ckwh, self.carried_ckwh, self.price_e4)


@dataclass(frozen=True)
class PaymentReceipt:
    """收费凭条: a bill or fee (repair, utility, heating, back-charge, card fee).
    `details` are extra label/value lines (维修日期, 维修人, 供暖面积 …) shown in order."""

    header: ReceiptHeader
    charge: str
    payer: str
    amount_fen: int
    tender: TenderInfo
    qr_text: str
    notice_no: str | None = None
    account_no: str | None = None
    room_code: str | None = None
    paper_receipt_no: str | None = None  # the stamped school receipt page (学校结算收据)
    details: tuple[tuple[str, str], ...] = ()
    # shown instead of CHARGE_LABELS[charge] when given
    charge_label: str | None = field(default=None, metadata=ADDED_LATER)

    def __post_init__(self) -> None:
        _require(self.charge in CHARGE_LABELS, f"unknown charge {self.charge!r}")
        _require_fen(self.amount_fen)


@dataclass(frozen=True)
class VoidReceipt:
    """作废: the receipt `voided_receipt_no` no longer counts (failed sale or correction)."""

    header: ReceiptHeader
    voided_receipt_no: str
    reason: str
    amount_fen: int
    account_no: str | None = None
    room_code: str | None = None
    supervisor: str | None = None
    replaced_by: str | None = None  # the new receipt of a correction

    def __post_init__(self) -> None:
        _require_fen(self.amount_fen)


@dataclass(frozen=True)
class RefundLine:
    """One line of the refund computation: energy valued at the price of one purchase."""

    energy_ckwh: int
    price_e4: int
    fen: int


@dataclass(frozen=True)
class RefundReceipt:
    """退款: the positive amount refunded; finance pays it on the 退费审批单 `form_no`."""

    header: ReceiptHeader
    form_no: str
    account_no: str
    room_code: str
    refund_fen: int
    refundable_ckwh: int
    payee_name: str
    lines: tuple[RefundLine, ...] = ()
    qr_text: str | None = None
    supervisor: str | None = None

    def __post_init__(self) -> None:
        _require_fen(self.refund_fen, self.refundable_ckwh)


@dataclass(frozen=True)
class ProvisionalSlip:
    """临时凭条: the card was written but the database dropped before the receipt was numbered.
    The intent id lets the counter find the purchase when the database is back."""

    centre_name: str
    workstation: str
    intent_id: str
    at: datetime
    cashier: str
    account_no: str
    room_code: str
    amount_fen: int
    energy_ckwh: int
    tender_kind: str = "cash"
    simulated: bool = False

    def __post_init__(self) -> None:
        _require(self.at.tzinfo is not None, "slip time must be aware")
        _require(self.tender_kind in TENDER_LABELS, f"unknown tender {self.tender_kind!r}")
        _require_fen(self.amount_fen, self.energy_ckwh)


@dataclass(frozen=True)
class ConfirmationSlip:
    """缴费确认单: the payer signs the counter's copy. Balances are estimates (last write-back plus
    energy sold since), as of `balance_as_of`."""

    header: ReceiptHeader
    account_no: str
    room_code: str
    amount_fen: int
    energy_ckwh: int
    balance_before_ckwh: int
    balance_after_ckwh: int
    balance_as_of: date | None = None
    holder: str | None = None
    networked: NetworkedBalance | None = field(default=None, metadata=ADDED_LATER)  # a networked room: its balance, not a card's write-back

    def __post_init__(self) -> None:
        _require_fen(self.amount_fen, self.energy_ckwh)


@dataclass(frozen=True)
class ReportRow:
    """A totals line: what, how many payments, how much."""

    label: str
    count: int
    fen: int


@dataclass(frozen=True)
class VoidLine:
    receipt_no: str
    amount_fen: int
    reason: str


@dataclass(frozen=True)
class ShiftReport:
    """X report (中途自查: totals so far, nothing closed) or Z report (班结, with the audit chain's
    head and sequence as the paper anchor). `extra` holds further label/value lines the
    settlement fills (备用金, 应有现金, 实点现金, 长短款 …)."""

    kind: Literal["X", "Z"]
    centre_name: str
    workstation: str
    shift_no: str
    cashier: str
    opened_at: datetime
    at: datetime
    by_charge: tuple[ReportRow, ...] = ()
    by_tender: tuple[ReportRow, ...] = ()
    first_receipt_no: str | None = None
    last_receipt_no: str | None = None
    receipt_count: int = 0
    voids: tuple[VoidLine, ...] = ()
    free_ckwh: int = 0
    free_count: int = 0
    extra: tuple[tuple[str, str], ...] = ()
    audit_seq: int | None = None
    audit_head: str | None = None
    sign_labels: tuple[str, ...] = ()
    simulated: bool = False
    # The how-many-th X report of the shift (中途自查 are numbered: the sheet lists each one).
    x_number: int | None = None
    # Receipts printed again (补打) with their reprint count, and card writes that failed and went
    # to suspense (挂账: reference, amount, reason): the 监督人 checks both against the drawer.
    reprints: tuple[tuple[str, int], ...] = ()
    suspense: tuple[VoidLine, ...] = ()

    def __post_init__(self) -> None:
        _require(self.kind in ("X", "Z"), "report kind is X or Z")
        _require(
            self.at.tzinfo is not None and self.opened_at.tzinfo is not None, "report times must be aware"
        )
        _require(self.kind == "X" or self.audit_head is not None, "a Z report carries the audit chain head")
