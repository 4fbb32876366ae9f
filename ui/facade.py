"""The typed surface the UI needs from `counter_app.api` (../shared/API.md and the additions listed
in docs/api.md): one small Protocol per area, and `WorkstationSession`, all of them together, which
is what `ui.context.Workstation.session` holds.

These Protocols are the one place where the UI writes the facade's signatures down.
tests/test_facade_shape.py checks that `counter_app.session.Session` has every method declared here
with the identical signature (parameter names, kinds, defaults and annotations), so they cannot
drift apart; a page never asks the session whether it has a method (no hasattr / getattr).

Everything here is Qt-free on purpose; anything that touches the database or a device runs on the
worker (ui/ops.py).
"""

from __future__ import annotations

import importlib
import weakref
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Protocol

# Types only (issue 16): the login window imports this module, and it paints before the core (SQLAlchemy,
# the 60 models, cryptography) is imported: the composition root imports the core after the first
# paint (docs/architecture.md "The start"). With `from __future__ import annotations` no signature
# here needs them at run time; tests/test_facade_shape.py compares the annotations as strings.
if TYPE_CHECKING:
    from base.clock import Clock
    from counter_app.api import Approval
    from counter_app.approval_summary import ApprovalPreview
    from counter_app.backups import BackupStatus
    from counter_app.device_setup import PrinterCheck, ReaderCheck
    from counter_app.device_status import DeviceState, DeviceStatus
    from counter_app.local_config import DeviceChoice
    from counter_app.meter_polling import PollingState, RoundProgress
    from counter_app.ops.bus_rounds import BusState, RoundResult
    from counter_app.ops.duties import CheckRow, HalfMonth
    from counter_app.ops.exceptions_list import MorningItem
    from counter_app.ops.finance_lists import PersonRow, PriceRow, SettingRow, SheetRow
    from counter_app.ops.four_party import FourParty, K3Imported
    from counter_app.ops.lookup import AccountRow, RoomRow
    from counter_app.ops.metering import Metering
    from counter_app.ops.monthly_checks import AbnormalRow, LossRow, MeterLine, ReadingsImported
    from counter_app.ops.networked import RemoteReading, SwitchRecord
    from counter_app.ops.networked_sale import NetworkedBalance
    from counter_app.ops.people_admin import DeviceSecretRow, KeyRow, WorkstationRow
    from counter_app.ops.receivables import ReceivablesImport
    from counter_app.ops.rotation import PostTerm
    from counter_app.ops.software_control import SoftwareControlPeriod
    from counter_app.ops.visitor_log import VisitorItem
    from counter_app.receipt_signing import ReceiptCheck
    from counter_app.results import (
        AccountHistory,
        AccountInfo,
        BatchDraft,
        BatchInfo,
        CardInfo,
        ChargeResult,
        ClearCardInfo,
        ClearResult,
        DeclaredCount,
        DepositInfo,
        IntentInfo,
        MeterReplacement,
        MonthInfo,
        Notice,
        PaymentResult,
        QueuedOperation,
        Quote,
        ReceiptBook,
        RefundResult,
        SaleResult,
        SettlementInfo,
        SheetInfo,
        ShiftInfo,
        ShiftTotals,
    )
    from counter_app.settlement.deposits import LateDeposit
    from counter_app.settlement.tender_match import TenderMatchResult
    from hardware.discovery import Found
    from hardware.sim.control import SimControl
    from receipts.reports.model import ReportTable

__all__ = ["DeviceChoice", "DeviceState", "DeviceStatus", "Found", "PrinterCheck", "ReaderCheck"]

# The data types pages import from here (`from ui.facade import DeviceState`), loaded when first asked
# for: their modules import the core's database layer (PEP 562 module __getattr__).
_DATA_TYPES = {
    "DeviceChoice": "counter_app.local_config",
    "DeviceState": "counter_app.device_status",
    "DeviceStatus": "counter_app.device_status",
    "Found": "hardware.discovery",
    "PrinterCheck": "counter_app.device_setup",
    "ReaderCheck": "counter_app.device_setup",
}


def __getattr__(name: str) -> Any:
    if name in _DATA_TYPES:
        return getattr(importlib.import_module(_DATA_TYPES[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class SaleSession(Protocol):
    """售电 (ui/pages/sale.py, sale_panel.py) and the diagnostics page."""

    def read_card(self) -> CardInfo: ...
    def find_account(
        self, *, room_code: str | None = None, account_no: str | None = None, meter_no: str | None = None
    ) -> AccountInfo: ...
    def quote(self, *, account_no: str, amount_fen: int | None = None, energy_ckwh: int | None = None) -> Quote: ...
    def check_top_up(
        self, *, account_no: str, amount_fen: int | None = None, energy_ckwh: int | None = None
    ) -> Quote: ...
    def top_up(
        self, *, account_no: str, amount_fen: int | None = None, energy_ckwh: int | None = None,
        tender: str = "cash", tendered_fen: int | None = None, reference: str | None = None,
        override_reason: str | None = None, approval: Approval | None = None,
    ) -> SaleResult: ...  # fmt: skip
    def collect_free(self, *, account_no: str) -> SaleResult: ...
    def reprint_receipt(self, *, receipt_no: str) -> int: ...


class ShiftSession(Protocol):
    def open_shift(self, *, float_fen: int, supervisor: str | None = None) -> ShiftInfo: ...
    def x_report(self) -> ShiftTotals: ...
    def close_shift(self, *, counted: Mapping[Any, Any], difference_reason: str | None = None,
                    approval: Approval | None = None) -> SettlementInfo: ...  # fmt: skip
    def declare_count(self, *, counted: Mapping[Any, Any]) -> DeclaredCount: ...
    def declared_count(self) -> DeclaredCount | None: ...
    def sales_register(self, *, shift_id: int | None = None, format: str = "pdf") -> bytes: ...


class IntentSession(Protocol):
    """The morning list, open card writes, suspense and the single-operator queue (exceptions page)."""

    def open_intents(self) -> list[IntentInfo]: ...
    def move_to_suspense(self, *, intent_id: str, reason: str, approval: Approval | None = None) -> IntentInfo: ...
    def resolve_suspense(self, *, intent_id: str, action: str, approval: Approval | None = None) -> IntentInfo: ...
    def queued_operations(self) -> list[QueuedOperation]: ...
    def morning_list(self, on: date | None = None) -> list[MorningItem]: ...


class AccountSession(Protocol):
    """Accounts and cards (ui/pages/accounts.py, cards.py)."""

    def list_rooms(self) -> list[RoomRow]: ...
    def search_accounts(self, text: str) -> list[AccountRow]: ...
    def account_history(self, *, account_no: str, limit: int = 100) -> AccountHistory: ...
    def open_account(self, *, room_code: str, cls: str, meter_no: str, holder: str, phone: str | None = None,
                     class_confirmed: bool = True, meter_model: str | None = None) -> AccountInfo: ...  # fmt: skip
    def confirm_class(self, *, account_no: str, cls: str, approval: Approval | None = None) -> AccountInfo: ...
    def change_holder(self, *, account_no: str, holder: str, phone: str | None = None,
                      handover_ckwh: int = 0) -> AccountInfo: ...  # fmt: skip
    def issue_card(self, *, account_no: str) -> CardInfo: ...
    def report_lost_card(self, *, account_no: str) -> AccountInfo: ...
    def replace_card(self, *, account_no: str, tender: str = "cash", reference: str | None = None) -> CardInfo: ...
    def replace_meter(self, *, account_no: str, new_meter_no: str, carried_ckwh: int,
                      approval: Approval | None = None, new_meter_model: str | None = None) -> MeterReplacement: ...  # fmt: skip
    def issue_tool_card(self, *, kind: str, meter_no: str, params: dict[str, Any] | None = None,
                        approval: Approval | None = None) -> CardInfo: ...  # fmt: skip


class RefundSession(Protocol):
    """Clears, room refunds, closing an account, corrections (ui/pages/refund.py)."""

    def issue_clear_card(self, *, account_no: str, reason: str, approval: Approval | None = None) -> ClearCardInfo: ...
    def complete_clear(self, *, account_no: str) -> ClearResult: ...
    def refund_room(
        self, *, account_no: str, payee_name: str, payee_id: str, payee_account: str | None = None,
        manual_reading_ckwh: int | None = None, reason: str | None = None, approval: Approval | None = None,
        second_approval: Approval | None = None,
    ) -> RefundResult: ...  # fmt: skip
    def close_account(self, *, account_no: str, approval: Approval | None = None) -> AccountInfo: ...
    def correct(
        self, *, receipt_no: str, reason: str, approval: Approval | None = None, account_no: str | None = None,
        amount_fen: int | None = None, energy_ckwh: int | None = None, prompts: Any = None,
    ) -> SaleResult: ...  # fmt: skip


class ChargeSession(Protocol):
    """Notices, bill payments, back-charges (ui/pages/charges.py) and quota batches (quota.py)."""

    def create_notice(
        self, *, kind: str, payer: str, notice_no: str | None = None, amount_fen: int | None = None,
        area_dm2: int | None = None, repair_date: date | None = None, repairman: str | None = None,
        department: str | None = None, account_no: str | None = None, repair_item: str | None = None,
    ) -> Notice: ...  # fmt: skip
    def pay_notice(
        self, *, notice_no: str, amount_fen: int, amount_fen_again: int, tender: str = "cash",
        tendered_fen: int | None = None, reference: str | None = None, paper_receipt_no: str | None = None,
    ) -> PaymentResult: ...  # fmt: skip
    def back_charge(self, *, account_no: str, discovered_on: date, electrician: str, evidence: str,
                    approval: Approval | None = None, notified: str | None = None) -> ChargeResult: ...  # fmt: skip
    def prepare_quota_batch(self, *, period: str, buildings: list[str]) -> BatchDraft: ...
    def approve_quota_batch(self, *, batch_id: int, approval: Approval | None = None) -> BatchInfo: ...


class FinanceSession(Protocol):
    """Sheets, deposits, receipt books, the month, reports (ui/pages/sheets.py … reports.py)."""

    def list_sheets(self, *, since: date | None = None) -> list[SheetRow]: ...
    def sheet_info(self, *, sheet_no: str) -> SheetInfo: ...
    def sheet_pdf(self, *, sheet_no: str) -> bytes: ...
    def sign_sheet(self, *, sheet_no: str, voucher_no: str | None = None) -> SheetInfo: ...
    def record_deposit(self, *, slip_no: str, kind: str, bank: str, stamped_on: date, amount_fen: int,
                       shift_ids: list[int], difference_reason: str | None = None,
                       approval: Approval | None = None) -> DepositInfo: ...  # fmt: skip
    def late_deposits(self) -> list[LateDeposit]: ...
    def issue_receipt_book(self, *, cashier: str, first_no: int, last_no: int) -> ReceiptBook: ...
    def void_receipt_page(self, *, page_no: int, reason: str) -> ReceiptBook: ...
    def close_month(self, *, period: str, approval: Approval | None = None) -> MonthInfo: ...
    def report(self, *, kind: str, start: date, end: date, format: str = "pdf",
               progress: Callable[[int, int], None] | None = None) -> bytes: ...  # fmt: skip
    def report_table(self, *, kind: str, start: date, end: date,
                     progress: Callable[[int, int], None] | None = None) -> ReportTable: ...  # fmt: skip
    def verify_receipt(self, *, qr_text: str) -> ReceiptCheck: ...  # 验票 (ui/pages/verify.py)


class DutiesSession(Protocol):
    """The assistant's duties (ui/pages/duties.py): collection checks, the visitor log, posts held."""

    def record_collection_check(
        self, *, kind: str, covers_from: date, covers_to: date, findings: str, shift_id: int | None = None,
        counted_fen: int | None = None,
    ) -> CheckRow: ...  # fmt: skip
    def collection_checks(self, *, start: date, end: date) -> list[HalfMonth]: ...
    def import_receivables(
        self, *, path: str, department: str | None = None, commit: bool = False
    ) -> ReceivablesImport: ...
    def reconciliation_lists(self, *, start: date, end: date, format: str = "pdf") -> dict[str, bytes]: ...
    def log_visitor(
        self, *, channel: str, question: str, caller: str | None = None, room_code: str | None = None,
        answer: str | None = None,
    ) -> VisitorItem: ...  # fmt: skip
    def escalate_visitor(self, *, entry_id: int, to: str) -> VisitorItem: ...
    def answer_visitor(self, *, entry_id: int, answer: str) -> VisitorItem: ...
    def visitor_told(self, *, entry_id: int, note: str | None = None) -> VisitorItem: ...
    def open_visitor_items(self) -> list[VisitorItem]: ...
    def post_history(self, *, as_of: date | None = None) -> list[PostTerm]: ...


class SettingsSession(Protocol):
    """Settings, prices and people (ui/pages/settings.py; get_setting also elsewhere)."""

    def get_setting(self, key: str) -> Any: ...
    def set_setting(self, key: str, value: Any, approval: Approval | None = None) -> Any: ...
    def list_settings(self) -> list[SettingRow]: ...
    def list_prices(self) -> list[PriceRow]: ...
    def list_people(self) -> list[PersonRow]: ...


class TenderSession(Protocol):
    """Campus-card and WeChat/Alipay statements matched against the ledger (ui/pages/tenders.py)."""

    def match_tender_statement(self, *, tender: str, period_from: date, period_to: date,
                               path: str) -> TenderMatchResult: ...  # fmt: skip
    def record_tender_match(self, *, tender: str, period_from: date, period_to: date, path: str,
                            approval: Approval | None = None) -> TenderMatchResult: ...  # fmt: skip
    def tender_matches(self, *, start: date | None = None, end: date | None = None) -> list[TenderMatchResult]: ...


class MonthlyChecksSession(Protocol):
    """The month's checks (ui/pages/monthly_checks.py; docs/api.md "The month's checks")."""

    def import_readings(self, *, path: str, period: str) -> ReadingsImported: ...
    def loss_check(self, *, period: str) -> list[LossRow]: ...
    def building_meters(self, *, period: str, building: str) -> list[MeterLine]: ...
    def abnormal_accounts(self, *, period: str) -> list[AbnormalRow]: ...
    def import_k3(self, *, path: str, period: str) -> K3Imported: ...
    def four_party(self, *, period: str) -> FourParty: ...
    def sign_four_party(self, *, period: str, figures_sha256: str, note: str | None = None,
                        approval: Approval | None = None) -> FourParty: ...  # fmt: skip
class NetworkedSession(Protocol):
    """Networked meter modules (ui/pages/networked.py; docs/api.md "Networked meters")."""

    def metering(self, *, account_no: str) -> Metering: ...
    def read_meter(self, *, account_no: str) -> RemoteReading: ...
    def switch_meter(self, *, account_no: str, command: str, reason: str,
                     approval: Approval | None = None) -> SwitchRecord: ...  # fmt: skip
    def meter_readings(self, *, account_no: str, limit: int = 20) -> list[RemoteReading]: ...
    def meter_switches(self, *, account_no: str, limit: int = 20) -> list[SwitchRecord]: ...
    def networked_balance(self, *, account_no: str) -> NetworkedBalance: ...
    # the buses (ui/pages/bus_status.py) and the scheduled rounds (counter_app/meter_polling.py)
    def bus_status(self) -> list[BusState]: ...
    def read_buses_now(
        self, *, bus: str | None = None, progress: Callable[[int, int], None] | None = None
    ) -> list[RoundResult]: ...
    def start_meter_polling(self) -> PollingState: ...
    def meter_polling_state(self) -> PollingState: ...
    def start_bus_round(self, *, bus: str | None = None) -> RoundProgress: ...
    def bus_round_progress(self) -> RoundProgress: ...
    def begin_software_control(self, *, account_no: str, reason: str, repair_move_id: int | None = None,
                               approval: Approval | None = None) -> SoftwareControlPeriod: ...  # fmt: skip
    def end_software_control(self, *, account_no: str, reason: str, method: str, module_replaced: bool = False,
                             estimate_ckwh: int | None = None, estimate_basis: str | None = None,
                             new_start_ckwh: int | None = None,
                             approval: Approval | None = None) -> SoftwareControlPeriod: ...  # fmt: skip
    def software_control_periods(self, *, account_no: str) -> list[SoftwareControlPeriod]: ...


class PeopleAdminSession(Protocol):
    """People, 监督人, prices, workstations (ui/pages/people.py, prices.py, stations.py)."""

    def add_operator(self, *, name: str, role: str, password: str, display_name: str | None = None,
                     approval: Approval | None = None) -> PersonRow: ...  # fmt: skip
    def rename_operator(self, *, name: str, display_name: str) -> PersonRow: ...
    def disable_operator(self, *, name: str, approval: Approval | None = None) -> PersonRow: ...
    def reset_password(self, *, name: str, password: str,
                       approval: Approval | None = None) -> PersonRow: ...  # fmt: skip
    def appoint_supervisor(self, *, name: str, start: date, end: date,
                           approval: Approval | None = None) -> PersonRow: ...  # fmt: skip
    def set_tariff(self, *, cls: str, price_e4: int, start: datetime, basis: str,
                   approval: Approval | None = None) -> None: ...  # fmt: skip
    def set_fee(self, *, kind: str, fen: int, start: datetime, basis: str,
                approval: Approval | None = None) -> None: ...  # fmt: skip
    def add_workstation(self, *, code: str, campus: str, approval: Approval | None = None) -> bool: ...
    def list_workstations(self) -> list[WorkstationRow]: ...
    def list_key_fingerprints(self) -> list[KeyRow]: ...
    def list_device_secrets(self) -> list[DeviceSecretRow]: ...


class WorkstationSession(
    SaleSession, ShiftSession, IntentSession, AccountSession, RefundSession, ChargeSession, FinanceSession,
    SettingsSession, TenderSession, MonthlyChecksSession, PeopleAdminSession,  DutiesSession, NetworkedSession, Protocol,
):  # fmt: skip
    """Everything the workstation's pages call on the logged-in operator's session."""

    def approval_preview(self, operation: str, **kwargs: Any) -> ApprovalPreview: ...

    @property
    def name(self) -> str: ...
    @property
    def roles(self) -> frozenset[str]: ...
    def roles_today(self) -> frozenset[str]: ...
    def logout(self) -> None: ...


class Counter(Protocol):
    """What the UI uses of `counter_app.api.Counter`."""

    clock: Clock

    @property
    def sim(self) -> SimControl: ...  # AttributeError without simulate=True (API.md): see is_simulated
    def login(self, name: str, password: str) -> WorkstationSession: ...
    def device_status(self) -> DeviceStatus: ...
    def wait_for_printing(self) -> None: ...
    def test_print(self) -> DeviceState: ...
    def list_devices(self) -> list[Found]: ...
    def test_read_card(self, url: str) -> ReaderCheck: ...
    def print_test_slip(self, url: str) -> PrinterCheck: ...
    def saved_device_choice(self) -> DeviceChoice: ...
    def save_device_choice(self, *, reader_url: str | None, printer_url: str | None) -> str: ...
    def backup_status(self) -> BackupStatus: ...
    def close(self) -> None: ...


# --- who is logged in ------------------------------------------------------------------------------
# Roles decide which pages show. `Session.roles` holds standing roles only; a 监督人 is often a
# cashier appointed for a period, which `roles_today()` knows (a database read). The read happens on
# the worker right after login and is remembered here, so the GUI thread never touches the database.
_ROLES: weakref.WeakKeyDictionary[WorkstationSession, frozenset[str]] = weakref.WeakKeyDictionary()
PRIMARY_ORDER = ("auditor", "admin", "supervisor", "cashier", "head", "assistant", "finance")


def login_with_roles(counter: Counter, name: str, password: str) -> WorkstationSession:
    """On the worker: log in and learn today's roles (AUTH_FAILED / LOCKED as the facade raises)."""
    session = counter.login(name, password)
    _ROLES[session] = frozenset(session.roles_today())
    return session


def session_roles(session: WorkstationSession) -> frozenset[str]:
    """Today's roles when learnt at login, else the standing ones (`Session.roles`)."""
    known = _ROLES.get(session)
    return known if known is not None else frozenset(session.roles)


def session_role(session: WorkstationSession) -> str:
    """The role that decides the layout: admin and finance see their own pages; a 监督人 sells and
    also sees the morning list."""
    roles = session_roles(session)
    return next((role for role in PRIMARY_ORDER if role in roles), "cashier")


def session_name(session: WorkstationSession) -> str:
    """The login id (zhang): what the lock screen and co-signature checks compare."""
    return session.name


def session_display_name(session: WorkstationSession) -> str:
    """The name a person reads (张敏); the login id when the session has no display name."""
    return getattr(session, "display_name", None) or session.name


def is_simulated(counter: Counter) -> bool:
    """`counter.sim` exists only with simulate=True (API.md); AttributeError otherwise."""
    try:
        counter.sim  # noqa: B018 — the attribute's presence is the answer
    except AttributeError:
        return False
    return True
