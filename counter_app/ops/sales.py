"""Reading cards, finding accounts, quotes, top-ups and free-energy pickups (DOMAIN "Counter
operations" 1 and 2; API.md `read_card`, `find_account`, `quote`, `top_up`, `collect_free`).

A top-up is a card write under the intent protocol of counter_app/ops/card_writes.py: it cannot
lose or create money whatever happens between the intent and the receipt.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy.orm import Session as DbSession

from base.errors import (
    AboveMaximum,
    BelowMinimum,
    CardMismatch,
    InputInvalid,
    OverMeterMaximum,
    PreviousNotLoaded,
    UnpaidBackCharge,
    UserFacingError,
)
from base.money import energy_for_money, format_yuan, money_for_energy
from base.validation import REASON_MAX_LEN, optional_checked_text
from counter_app import row_seals
from counter_app.approvals import Approval
from counter_app.context import OpContext
from counter_app.ops import card_writes, quota_owed
from counter_app.ops.area import SessionArea
from counter_app.ops.back_charge import unpaid_back_charge
from counter_app.ops.card_reading import read_card, read_checked_card, require_account_card, write_back_seen
from counter_app.ops.common import (
    account_info,
    change_for,
    check_tender,
    find_account_row,
    get_account,
    get_account_and_last_write_back,
    open_shift_row,
    positive_int,
    require_sellable,
)
from counter_app.ops.intent_payloads import TopUpPayload
from counter_app.ops.metering import require_card_metering
from counter_app.ops.purchase_write import WriteAhead, run_purchase_write
from counter_app.printing import drain_quietly, reprint
from counter_app.results import AccountInfo, CardInfo, Quote, SaleResult
from counter_app.roles import SELLING_ROLES
from db.models import Account, CardWriteIntent
from db.queries.accounts import account_by_no
from db.queries.receipts import receipt_counter
from db.queries.tariffs import current_tariff
from hardware.records import CardReading

# --- reading ------------------------------------------------------------------------------------------


def find_account(
    ctx: OpContext, *, room_code: str | None = None, account_no: str | None = None, meter_no: str | None = None
) -> AccountInfo:  # fmt: skip
    with ctx.looking_up() as s:
        account = find_account_row(ctx, s, room_code=room_code, account_no=account_no, meter_no=meter_no)
        return account_info(ctx, s, account)


def quote(
    ctx: OpContext, *, account_no: str, amount_fen: int | None = None, energy_ckwh: int | None = None
) -> Quote:
    """What the amount buys (or what the energy costs) at today's price, with the free energy owed.
    No limits are applied: the cashier sees the figure while typing; top_up applies them."""
    with ctx.looking_up() as s:
        account = get_account(s, account_no)
        price = price_for(ctx, s, account)
        amount, energy = amount_and_energy(ctx, s, price, amount_fen, energy_ckwh)
        return Quote(amount_fen=amount, energy_ckwh=energy, price_e4=price,
                     free_ckwh=quota_owed.free_owed_ckwh(ctx, s, account))  # fmt: skip


def check_top_up(
    ctx: OpContext, *, account_no: str, amount_fen: int | None = None, energy_ckwh: int | None = None
) -> Quote:
    """`quote` with the top-up limits applied as `top_up` applies them (minimum, the September
    minimum, the class maximum: `check_limits`): BELOW_MINIMUM / ABOVE_MAXIMUM naming the field the
    cashier is typing in. The sale page calls it as the amount is typed."""
    with ctx.looking_up() as s:
        account = get_account(s, account_no)
        price = price_for(ctx, s, account)
        amount, energy = amount_and_energy(ctx, s, price, amount_fen, energy_ckwh)
        try:
            check_limits(ctx, s, account, amount)
        except UserFacingError as refusal:
            if energy_ckwh is not None and amount_fen is None:
                refusal.field = "energy_ckwh"
            raise
        return Quote(amount_fen=amount, energy_ckwh=energy, price_e4=price,
                     free_ckwh=quota_owed.free_owed_ckwh(ctx, s, account))  # fmt: skip


# --- top-up ---------------------------------------------------------------------------------------------


def top_up(
    ctx: OpContext, *, account_no: str, amount_fen: int | None = None, energy_ckwh: int | None = None,
    tender: str = "cash", tendered_fen: int | None = None, reference: str | None = None,
    override_reason: str | None = None, approval: Approval | None = None,
) -> SaleResult:  # fmt: skip
    check_tender(tender, reference)
    reference = optional_checked_text(reference, field="reference", label="流水号")
    override_reason = optional_checked_text(override_reason, field="override_reason", label="原因",
                                            max_len=REASON_MAX_LEN)  # fmt: skip
    if (amount_fen is None) == (energy_ckwh is None):
        raise InputInvalid(
            "请输入金额或电量（二选一）", detail_en="give amount_fen or energy_ckwh", field="amount_fen"
        )
    request = _Request(amount_fen, energy_ckwh, tender, tendered_fen, reference, override_reason, approval)
    return _sell(ctx, account_no, request)


def _sell(ctx: OpContext, account_no: str, request: _Request) -> SaleResult:
    # The role and shift pre-check runs while the card is read (its refusal still comes first), and
    # finds the account's meter model, so the write's card read can run while the intent commits.
    # The write's card session then starts as soon as the card is read (purchase_write.py).
    found: list[_Ahead] = []
    write_ahead = WriteAhead(ctx, account_no, lambda: found[0] if found else _Ahead(False, None))
    reading = read_checked_card(ctx, account_no, meanwhile=lambda: found.append(_precheck_selling(ctx, account_no)),
                                ahead=write_ahead)  # fmt: skip
    # (run_purchase_write: what this kind's committer returns)
    result: SaleResult = run_purchase_write(
        ctx, begin=lambda s: _begin_top_up(ctx, s, account_no, reading, request), account_no=account_no,
        reading=reading, ahead=write_ahead, meter_of=_meter_of,
    )  # fmt: skip
    _print_after_sale(ctx)
    return result


def collect_free(ctx: OpContext, *, account_no: str) -> SaleResult:
    """A visit that only picks up free energy (no money, no minimum)."""
    return _sell(ctx, account_no, _Request(None, None, "cash", None, None, None, None, free_only=True))


def _meter_of(intent: CardWriteIntent) -> str:
    return TopUpPayload.from_json(intent.payload).meter_no


class _Ahead(NamedTuple):
    """The account's meter model as the pre-check found it (`found` False: no such account)."""

    found: bool
    meter_model: str | None


def _precheck_selling(ctx: OpContext, account_no: str) -> _Ahead:
    """Role and open shift, refused before anything the card says, so the cashier is told the first
    thing to fix (checked again in the transaction that commits the intent). Runs while the card
    is read (card_reading.read_checked_card `meanwhile`): a read changes nothing on the card.
    Also the account's meter model, which chooses the card format of the write (purchase_write.py;
    the intent's transaction checks the account, and the write falls back if the model changed)."""
    with ctx.looking_up() as s:
        ctx.require_role(s, *SELLING_ROLES)
        open_shift_row(ctx, s)
        account = account_by_no(s, str(account_no))
        ahead = _Ahead(account is not None, account.meter_model if account is not None else None)
        # The database at or past what this PC issued (a restore?), asked in the same read.
        behind = ctx.high_water is not None and ctx.high_water.is_behind(s)
    if behind and ctx.high_water is not None:
        ctx.high_water.check_database()  # records it and advances what is behind
    return ahead


@dataclass(frozen=True)
class _Request:
    amount_fen: int | None
    energy_ckwh: int | None
    tender: str
    tendered_fen: int | None
    reference: str | None
    override_reason: str | None
    approval: Approval | None
    free_only: bool = False


def _begin_top_up(
    ctx: OpContext, s: DbSession, account_no: str, reading: CardReading, req: _Request
) -> CardWriteIntent:
    ctx.require_role(s, *SELLING_ROLES)
    shift = open_shift_row(ctx, s)
    # The number the sale will take, checked before the card is written (the commit checks again).
    row_seals.check(s, receipt_counter(s, ctx.workstation.id))
    account, last_seen = get_account_and_last_write_back(s, account_no)
    require_sellable(account)
    require_card_metering(s, account)  # a networked module's room is not sold to by card
    require_account_card(s, account, reading)
    write_back_seen(ctx, s, account, reading, last_seen)
    _refuse_unpaid_back_charge(ctx, s, account)
    price = price_for(ctx, s, account)
    allocations = quota_owed.owed_allocations(ctx, s, account)
    free = sum(a.ckwh for a in allocations)
    if req.free_only:
        if free == 0:
            raise InputInvalid("该房间没有待领取的免费电量", detail_en="no free energy owed")
        amount, energy = 0, 0
    else:
        amount, energy = amount_and_energy(ctx, s, price, req.amount_fen, req.energy_ckwh)
        check_limits(ctx, s, account, amount)
    counter, carried, override = _counter_and_carry(account, reading, req, amount, energy)
    check_meter_maximum(ctx, s, account, reading, energy + free + carried)
    change = _change(ctx, s, req, amount)
    # Co-signed last, once everything else is checked (issue 14 item 5).
    approval_id = (
        ctx.approve(
            s, req.approval, kind="top_up.override_not_loaded", payload=override, reason=req.override_reason
        )
        if override is not None
        else None
    )
    payload = TopUpPayload(
        ledger_kind="free" if req.free_only else "sale", account_no=account.account_no, meter_no=account.meter_no,
        carried_ckwh=carried, reference=req.reference,
        tendered_fen=req.tendered_fen if req.tender == "cash" else None, change_fen=change,
        override_reason=req.override_reason, approval_id=approval_id,
        allocations=tuple((a.batch_id, a.ckwh) for a in allocations),
    )  # fmt: skip
    return card_writes.begin_intent(
        ctx, s, kind="top_up", account=account, card_serial=reading.card_serial, purchase_counter=counter,
        amount_fen=amount, energy_ckwh=energy + carried, free_ckwh=free, price_e4=price, tender=req.tender,
        shift_id=shift.id, payload=payload,
    )  # fmt: skip


def price_for(ctx: OpContext, s: DbSession, account: Account) -> int:
    tariff = row_seals.check(s, current_tariff(s, account.cls, ctx.now()))  # the price decides the sale
    if tariff is None:
        raise InputInvalid(
            f"类别 {account.cls} 没有生效的电价", detail_en=f"no tariff in force for {account.cls}"
        )
    return tariff.price_e4


def amount_and_energy(
    ctx: OpContext, s: DbSession, price: int, amount_fen: int | None, energy_ckwh: int | None
) -> tuple[int, int]:
    if amount_fen is not None:
        amount = positive_int(amount_fen, "amount_fen", "金额")
        return amount, energy_for_money(amount, price, ctx.setting(s, "energy_resolution_ckwh"))
    energy = positive_int(energy_ckwh, "energy_ckwh", "电量")
    return money_for_energy(energy, price), energy


def check_limits(ctx: OpContext, s: DbSession, account: Account, amount: int) -> None:
    """Limits per class apply to electricity top-ups only (DOMAIN); September has its own minimum."""
    september = ctx.today().month == 9
    minimum = ctx.setting(s, "min_top_up_september_fen" if september else "min_top_up_fen")
    maximum = ctx.setting(s, f"max_top_up_fen.{account.cls}")
    if amount < minimum:
        raise BelowMinimum(f"最低 {format_yuan(minimum)} 元", detail_en=f"minimum {format_yuan(minimum)} yuan",
                           field="amount_fen", data={"minimum_fen": minimum})  # fmt: skip
    if amount > maximum:
        raise AboveMaximum(f"最高 {format_yuan(maximum)} 元", detail_en=f"maximum {format_yuan(maximum)} yuan",
                           field="amount_fen", data={"maximum_fen": maximum})  # fmt: skip


def _counter_and_carry(
    account: Account, reading: CardReading, req: _Request, amount: int, energy: int
) -> tuple[int, int, dict[str, Any] | None]:  # fmt: skip
    """The purchase counter of the new record, the energy it carries from an unloaded purchase and,
    when it carries any, the content the supervisor's override co-signs (approved by the caller
    after every other check).

    Normally the next counter. When the card's purchase is not loaded yet the sale is refused
    (PREVIOUS_NOT_LOADED) unless a supervisor overrides once with a reason: the new record then
    REPLACES the unloaded one under the SAME counter and carries its energy — the meter still waits
    for that counter, so it loads old and new energy together, exactly once (docs/api.md explains
    why not "the next counter": a meter refuses a counter more than one ahead).
    """
    purchase = reading.purchase
    unloaded = purchase is not None and not reading.loaded and (purchase.energy_ckwh + purchase.free_ckwh) > 0
    if purchase is None or not unloaded:  # (unloaded implies a purchase: the check narrows it)
        return account.purchase_counter + 1, 0, None
    if not req.override_reason:
        raise PreviousNotLoaded(data={"purchase_counter": purchase.purchase_counter})
    carried = purchase.energy_ckwh + purchase.free_ckwh
    payload = {"account_no": account.account_no, "amount_fen": amount, "energy_ckwh": energy,
               "carried_ckwh": carried, "reason": req.override_reason}  # fmt: skip
    return purchase.purchase_counter, carried, payload


def check_meter_maximum(
    ctx: OpContext, s: DbSession, account: Account, reading: CardReading, adding_ckwh: int
) -> None:
    remaining = reading.write_back.remaining_ckwh if reading.write_back else 0
    maximum = ctx.setting(s, "meter_max_ckwh")
    if remaining + adding_ckwh > maximum:
        raise OverMeterMaximum(f"表内约 {remaining / 100:.2f} kWh", field="amount_fen",  # float ok: display only
                               data={"remaining_ckwh": remaining, "maximum_ckwh": maximum})  # fmt: skip


def _change(ctx: OpContext, s: DbSession, req: _Request, amount: int) -> int:
    if req.tender != "cash" or req.tendered_fen is None:
        return 0
    return change_for(ctx, s, amount, req.tendered_fen)


def _refuse_unpaid_back_charge(ctx: OpContext, s: DbSession, account: Account) -> None:
    if not ctx.setting(s, "back_charge.blocks_top_up"):
        return
    if unpaid_back_charge(s, account):
        raise UnpaidBackCharge(account.account_no)


def _print_after_sale(ctx: OpContext) -> None:
    drain_quietly(ctx)


# --- the facade mixin -------------------------------------------------------------------------------------


class SalesOps(SessionArea):
    """Facade mixin (counter_app/session.py)."""

    def read_card(self) -> CardInfo:
        return read_card(self.ctx)

    def find_account(
        self, *, room_code: str | None = None, account_no: str | None = None, meter_no: str | None = None
    ) -> AccountInfo:
        return find_account(self.ctx, room_code=room_code, account_no=account_no, meter_no=meter_no)

    def quote(
        self, *, account_no: str, amount_fen: int | None = None, energy_ckwh: int | None = None
    ) -> Quote:
        return quote(self.ctx, account_no=account_no, amount_fen=amount_fen, energy_ckwh=energy_ckwh)

    def check_top_up(
        self, *, account_no: str, amount_fen: int | None = None, energy_ckwh: int | None = None
    ) -> Quote:
        return check_top_up(self.ctx, account_no=account_no, amount_fen=amount_fen, energy_ckwh=energy_ckwh)

    def top_up(
        self, *, account_no: str, amount_fen: int | None = None, energy_ckwh: int | None = None,
        tender: str = "cash", tendered_fen: int | None = None, reference: str | None = None,
        override_reason: str | None = None, approval: Approval | None = None,
    ) -> SaleResult:  # fmt: skip
        return top_up(self.ctx, account_no=account_no, amount_fen=amount_fen, energy_ckwh=energy_ckwh,
                      tender=tender, tendered_fen=tendered_fen, reference=reference,
                      override_reason=override_reason, approval=approval)  # fmt: skip

    def collect_free(self, *, account_no: str) -> SaleResult:
        return collect_free(self.ctx, account_no=account_no)

    def reprint_receipt(self, *, receipt_no: str) -> int:
        """补打 (addition beside API.md): a marked copy of a receipt; returns its count."""
        return reprint(self.ctx, receipt_no)


__all__ = ["CardMismatch", "SalesOps"]
