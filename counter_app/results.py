"""Results of the facade: frozen dataclasses with at least the fields of ../shared/API.md.

No ORM objects and no Qt cross this line: the UI, the CLI and the acceptance suite get plain values
(ints in fen / 0.01 kWh / 0.0001 yuan per kWh, aware datetimes, dates). Fields beyond API.md are
added at the end with defaults and documented in docs/api.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class RecoveryResult:
    intent_id: str
    account_no: str
    action: str  # rolled_forward | aborted | still_open
    receipt_no: str | None


@dataclass(frozen=True)
class ShiftInfo:
    shift_id: int
    opened_at: datetime
    float_fen: int
    supervisor: str | None


@dataclass(frozen=True)
class WriteBack:
    remaining_ckwh: int
    consumed_ckwh: int
    last_loaded_counter: int
    alarms: tuple[str, ...]
    error: str | None
    at: datetime | None


@dataclass(frozen=True)
class AccountInfo:
    account_no: str
    room_code: str | None
    cls: str
    status: str
    holder: str | None
    phone: str | None
    meter_no: str | None
    card_serial: str | None
    price_e4: int | None
    purchase_counter: int
    write_back: WriteBack | None
    free_owed_ckwh: int
    opened_on: date | None
    last_top_up_on: date | None = None
    estimated_ckwh: int | None = None


@dataclass(frozen=True)
class CardInfo:
    card_serial: str
    kind: str  # blank | user | clear | check | parameter
    account_no: str | None
    purchase_counter: int | None
    loaded: bool | None
    write_back: WriteBack | None
    receipt_no: str | None = None
    simulated: bool = False


@dataclass(frozen=True)
class Quote:
    amount_fen: int
    energy_ckwh: int
    price_e4: int
    free_ckwh: int


@dataclass(frozen=True)
class SaleResult:
    receipt_no: str
    amount_fen: int
    energy_ckwh: int
    free_ckwh: int
    carried_ckwh: int
    price_e4: int
    purchase_counter: int
    change_fen: int
    intent_id: str | None = None


@dataclass(frozen=True)
class MeterReplacement:
    account_no: str
    parameter_card_serial: str


@dataclass(frozen=True)
class BatchDraft:
    batch_id: int
    rooms: int
    total_ckwh: int


@dataclass(frozen=True)
class WaitingBatch:
    """A batch prepared and not yet approved (docs/api.md `waiting_quota_batches`)."""

    batch_id: int
    period: str
    buildings: tuple[str, ...]
    rooms: int
    total_ckwh: int
    maker: str  # display name
    created_at: datetime


@dataclass(frozen=True)
class BatchInfo:
    batch_id: int
    rooms: int
    total_ckwh: int
    maker: str
    checker: str


@dataclass(frozen=True)
class ClearCardInfo:
    account_no: str
    card_serial: str


@dataclass(frozen=True)
class ClearResult:
    account_no: str
    cleared_ckwh: int
    at: datetime


@dataclass(frozen=True)
class RefundResult:
    form_no: str
    refund_fen: int
    refundable_ckwh: int
    free_left_ckwh: int
    lines: tuple[tuple[int, int, int], ...]  # (energy_ckwh, price_e4, fen)
    flagged: bool = False  # energy valued at the oldest known price (no purchase covered it)


@dataclass(frozen=True)
class RefundForm:
    form_no: str
    account_no: str
    payee_name: str
    payee_id: str
    payee_account: str | None
    refund_fen: int
    lines: tuple[tuple[int, int, int], ...]
    maker: str
    checker: str
    second_checker: str | None = None  # the second supervisor of a manual (broken-meter) reading
    refundable_ckwh: int = 0
    free_left_ckwh: int = 0
    cleared_ckwh: int = 0
    flagged: bool = False  # some energy valued at the oldest known price (no purchase covered it)
    reading_source: str = "clear_card"  # clear_card | manual
    reason: str | None = None
    created_at: datetime | None = None


@dataclass(frozen=True)
class Notice:
    notice_no: str
    kind: str  # repair | utility | heating | back_charge | software_control
    amount_fen: int


@dataclass(frozen=True)
class PaymentResult:
    receipt_no: str
    amount_fen: int
    change_fen: int
    late_hand_in: bool


@dataclass(frozen=True)
class ChargeResult:
    notice_no: str
    days: int
    energy_ckwh: int
    price_e4: int
    amount_fen: int


@dataclass(frozen=True)
class IntentInfo:
    intent_id: str
    account_no: str
    amount_fen: int
    energy_ckwh: int
    state: str
    shift_id: int | None


@dataclass(frozen=True)
class LowBalanceRow:
    room_code: str
    estimated_ckwh: int
    as_of: date
    building: str | None = None


@dataclass(frozen=True)
class Clearance:
    account_no: str
    cleared: bool
    outstanding: tuple[str, ...]
    slip_text: str | None = None


@dataclass(frozen=True)
class QueuedOperation:
    queue_id: int
    kind: str
    summary: str
    maker: str
    queued_at: datetime


@dataclass(frozen=True)
class ShiftTotals:
    by_charge: dict[str, int]
    by_tender: dict[str, int]
    receipts: tuple[str, str] | None  # first and last receipt number
    voids: int
    free_ckwh: int


@dataclass(frozen=True)
class SettlementInfo:
    sheet_no: str
    expected_fen: int
    counted_fen: int
    difference_fen: int
    pdf_path: str | None


@dataclass(frozen=True)
class DeclaredCount:
    """Step 1 of the blind close, committed (docs/api.md `declare_count`): the cash counted by
    denomination and, only now that it can no longer change, what was expected and the difference
    (长款 > 0, 短款 < 0). `reason_required`: the close needs a reason for the difference;
    `approval_required`: and a 监督人 (above the setting `close_difference_fen`)."""

    shift_id: int
    counted: dict[int, int]
    counted_fen: int
    expected_fen: int
    difference_fen: int
    declared_at: datetime
    reason_required: bool
    approval_required: bool


@dataclass(frozen=True)
class SheetInfo:
    sheet_no: str
    signatures: tuple[tuple[str, str, datetime], ...]  # (step, signer, at)
    frozen: bool
    voucher_no: str | None = None  # finance's voucher number once signed (added beside API.md)


@dataclass(frozen=True)
class DepositInfo:
    slip_no: str
    kind: str
    bank: str
    stamped_on: date
    amount_fen: int
    shift_ids: tuple[int, ...]
    late: bool = False
    # Addition (docs/api.md): what the covered shifts' takings say the slip should carry, the slip
    # less that (0: it matches), and the reason a slip that differs was accepted with.
    expected_fen: int | None = None
    difference_fen: int = 0
    difference_reason: str | None = None


@dataclass(frozen=True)
class ReceiptBook:
    book_id: int
    cashier: str
    first_no: int
    last_no: int
    void_pages: tuple[int, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class MonthInfo:
    period: str
    closed_at: datetime
    maker: str
    checker: str


# --- the account detail (counter_app/ops/account_history.py, docs/api.md "Account history") ----------


@dataclass(frozen=True)
class LedgerLine:
    """One ledger entry of the account: a purchase, a void, a free delivery, a bill paid…"""

    at: datetime
    kind: str  # db.models.ledger.LEDGER_KINDS
    amount_fen: int
    energy_ckwh: int
    free_ckwh: int
    receipt_no: str | None
    tender: str | None
    operator: str | None  # display name
    workstation: str | None
    reason: str | None
    voided: bool  # a later void entry cancels this one


@dataclass(frozen=True)
class CardLine:
    """One step of a card's life for this account (issued, lost, replaced, cleared…)."""

    at: datetime
    card_serial: str
    kind: str  # db.models.cards.CARD_EVENT_KINDS
    card_status: str  # the card's status now
    operator: str | None
    reason: str | None


@dataclass(frozen=True)
class WriteBackLine:
    """A meter write-back the counter saw on the card (when seen; the meter's own time inside)."""

    seen_at: datetime
    write_back: WriteBack


@dataclass(frozen=True)
class NoticeLine:
    notice_no: str
    kind: str  # repair | utility | heating | back_charge | software_control
    amount_fen: int
    payer: str
    created_at: datetime
    paid_at: datetime | None
    receipt_no: str | None


@dataclass(frozen=True)
class EventLine:
    """A change of the account itself: opened, class confirmed, holder changed, blocked…"""

    at: datetime
    kind: str  # db.models.accounts.ACCOUNT_EVENT_KINDS
    operator: str | None
    reason: str | None


@dataclass(frozen=True)
class AccountHistory:
    """`account_history(account_no)`: the account now and its history, newest first. Each list holds
    at most `limit` rows; `more[name]` counts the older rows left out."""

    account: AccountInfo
    building: str | None
    meter_model: str
    beds: int
    occupants: int
    purchases: tuple[LedgerLine, ...]
    cards: tuple[CardLine, ...]
    write_backs: tuple[WriteBackLine, ...]
    notices: tuple[NoticeLine, ...]
    events: tuple[EventLine, ...]
    more: dict[str, int] = field(default_factory=dict)
