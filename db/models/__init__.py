"""Every table of the counter, one module per area. Importing this package registers them all on
`db.base.Base.metadata` (Alembic autogenerate and `compare_metadata` rely on it).

Adding an area (quota batches, notices, refund forms, settlement sheets…): write
`db/models/<area>.py`, import it below, then regenerate the migration (scripts/regen_migration.sh).
"""

from db.base import Base
from db.models import (  # noqa: F401  (imported for their tables)
    accounts,
    cards,
    clock,
    duties,
    intents,
    kept_sums,
    ledger,
    metering,
    monthly,
    notices,
    places,
    queue,
    quota,
    receipts,
    refunds,
    security,
    settings,
    settlement,
    shifts,
    tariffs,
    tenders,
)
from db.models.accounts import CARD_CLASS_ROWS, Account, AccountEvent, CardClass
from db.models.cards import Card, CardEvent
from db.models.clock import ClockMark
from db.models.duties import VisitorEntry, VisitorStep
from db.models.intents import CardWriteIntent, IntentEvent, PrintJob, PrintJobEvent
from db.models.kept_sums import DaySum, SumBatch, SumClass
from db.models.ledger import LedgerEntry, LedgerMark
from db.models.metering import AccountMetering, MeterSwitch, RemoteMeterReading, SoftwareControlStep
from db.models.notices import Notice, NoticePayment
from db.models.places import Building, Campus, Installation, Room, Unit, Workstation
from db.models.queue import QueuedOperation, QueueResolution
from db.models.quota import QuotaBatch, QuotaBatchApproval, QuotaBatchRoom, QuotaDelivery, QuotaRoomMonth
from db.models.receipts import Receipt, ReceiptCounter, ReceiptEvent
from db.models.refunds import RefundForm
from db.models.security import KeyFingerprint, Operator, RoleGrant, SupervisorAppointment
from db.models.settings import SettingValue
from db.models.settlement import (
    CollectionCheck,
    Deposit,
    DepositShift,
    MonthClose,
    ReceiptBookIssue,
    ReceiptBookReturn,
    ReceiptPage,
    SettlementSheet,
    SheetFreeze,
    SheetSignature,
    ShiftCount,
    XReportLog,
    ZReport,
)  # fmt: skip
from db.models.shifts import Shift, ShiftClosure
from db.models.tariffs import Fee, Tariff
from db.models.tenders import DepositReconciliation, TenderMatch

__all__ = [
    "CARD_CLASS_ROWS",
    "Account",
    "AccountMetering",
    "SoftwareControlStep",
    "MeterSwitch",
    "RemoteMeterReading",
    "AccountEvent",
    "Building",
    "Campus",
    "Card",
    "CardClass",
    "CardEvent",
    "CardWriteIntent",
    "DaySum",
    "ClockMark",
    "Fee",
    "Installation",
    "IntentEvent",
    "LedgerEntry",
    "LedgerMark",
    "Notice",
    "NoticePayment",
    "QueueResolution",
    "QueuedOperation",
    "QuotaBatch",
    "QuotaBatchApproval",
    "QuotaBatchRoom",
    "QuotaDelivery",
    "QuotaRoomMonth",
    "PrintJob",
    "PrintJobEvent",
    "Receipt",
    "ReceiptCounter",
    "ReceiptEvent",
    "RefundForm",
    "Room",
    "SettingValue",
    "Shift",
    "SumBatch",
    "SumClass",
    "ShiftClosure",
    "Tariff",
    "Unit",
    "VisitorEntry",
    "VisitorStep",
    "Workstation",
]

# Tables under the audit chain (counter_app.audit): every row inserted (or, for mutable tables,
# every legitimate update) is followed by an audit entry whose digest covers the row, so
# `counter-admin audit verify` catches a row changed, deleted or inserted behind the software's back.
# Security tables mark themselves in db/models/security.py.
AUDITED_TABLES: tuple[type[Base], ...] = (
    LedgerEntry, LedgerMark, Receipt, ReceiptEvent, CardWriteIntent, IntentEvent,
    SettingValue, Tariff, Fee, ShiftClosure, AccountEvent, CardEvent, RefundForm,
)  # fmt: skip
# Free quota, notices and the holiday queue (money- and approval-relevant, append-only).
AUDITED_TABLES += (
    QuotaBatch, QuotaBatchRoom, QuotaBatchApproval, QuotaDelivery, Notice, NoticePayment,
    QueuedOperation, QueueResolution,
)  # fmt: skip
# Writes flagged because the clock went back (counter_app/clock_watch.py).
AUDITED_TABLES += (ClockMark,)
# How each account is metered (card / networked module; issue 17): decides whether a sale writes a card.
AUDITED_TABLES += (AccountMetering, RemoteMeterReading, MeterSwitch, SoftwareControlStep)
AUDITED_TABLES += (
    monthly.MonthlyImport, monthly.MeterReading, monthly.K3Figure, monthly.FourPartySignOff,
    monthly.RepairPrice, monthly.ModuleStockMove,
)  # fmt: skip
# The visitor and phone log (来电来访登记): questions and what became of them, append-only.
AUDITED_TABLES += (VisitorEntry, VisitorStep)
for _model in AUDITED_TABLES:
    _model.__table__.info["audited"] = True

# Rows whose content decides money, numbering or rights, sealed with a per-row MAC (`row_mac`) and
# checked when they are used (counter_app/row_seals.py): the current-state rows and the insert-only
# rows outside the chain. SEAL_EXCLUDES names columns left out of a table's seal: an account's
# busy marker is a lock taken and released by one conditional UPDATE (db.queries.accounts), not
# content that decides money, and `version` counts those claims.
SEALED_TABLES: tuple[type[Base], ...] = (
    Account, Card, Shift, ReceiptCounter, Operator, RoleGrant, SupervisorAppointment, Installation,
    PrintJob, QueuedOperation, ZReport, ShiftCount, SettlementSheet, ReceiptPage, SettingValue,
    Tariff, Fee,
)  # fmt: skip
# And every other table outside the chain (issue 12: "every table"): where the counter is (campus,
# building, unit, room: a room's campus decides its quota and its sheet), the card classes (a
# class's group decides the sheet line), workstations (their receipt series), key fingerprints,
# printing events (a job marked printed is never printed again), X report numbers, sign-offs,
# freezes, deposits and what they cover, receipt books and returns, month closes, collection
# checks, and the free-quota month a room has had.
SEALED_TABLES += (
    Campus, Building, Unit, Room, Workstation, CardClass, KeyFingerprint, PrintJobEvent, XReportLog,
    SheetSignature, SheetFreeze, Deposit, DepositShift, ReceiptBookIssue, ReceiptBookReturn,
    MonthClose, CollectionCheck, QuotaRoomMonth,
)  # fmt: skip
# Tenders reconciled apart (issue 15 item 2): each deposit's comparison, each signed statement match.
SEALED_TABLES += (DepositReconciliation, TenderMatch)
# The ledger's kept sums (issue 16): what a period report reads instead of millions of entries.
SEALED_TABLES += (SumBatch, DaySum, SumClass)
# Sealed tables outside the audit chain: the chain names a deleted row of an audited table, the
# census (RowCensus) counts the rows of these (nothing is ever deleted from them).
CENSUS_TABLES: tuple[type[Base], ...] = tuple(m for m in SEALED_TABLES if not m.__table__.info.get("audited"))
SEAL_EXCLUDES: dict[str, tuple[str, ...]] = {
    "accounts": ("busy_intent_id", "busy_workstation_id", "busy_since", "version"),
}
