"""Steps every operation shares: finding an account, turning rows into API results, writing an
audited row, the open shift, tender checks.

Every row of an audited table (db/models/__init__.py AUDITED_TABLES) goes in through `add_audited`,
so the audit chain covers it; a row added any other way is reported by `audit verify` as
"inserted behind the software's back".
"""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session as DbSession

from base.clock import business_date, parse_iso_moment
from base.errors import (
    AccountClosed,
    AccountPending,
    AccountUnknown,
    InputInvalid,
    ShiftNotOpen,
)
from base.money import format_yuan
from base.validation import AMOUNT_MAX_FEN, checked_int, tendered_maximum
from base.vocabulary import TENDERS
from counter_app import row_seals
from counter_app.context import OpContext
from counter_app.results import AccountInfo, WriteBack
from counter_app.room_codes import normalise_room_code
from db.models import Account, AccountEvent, LedgerEntry, Room, Shift
from db.queries.accounts import (
    account_and_last_write_back,
    account_by_meter_no,
    account_by_no,
    account_by_room_code,
    last_write_back_event,
)
from db.queries.rows import by_id
from db.queries.shifts import open_shift
from db.queries.tariffs import current_tariff

ENERGY_SALE_KINDS = ("sale", "correction", "free", "legacy_purchase")
RowT = TypeVar("RowT")  # the row `add_audited` inserts comes back as itself


def add_audited(ctx: OpContext, s: DbSession, row: RowT, kind: str, **payload: Any) -> RowT:
    """Insert `row` and chain an audit entry over it (kind e.g. "ledger.sale")."""
    s.add(row)
    s.flush()
    ctx.audit(s, kind, subject=row, **payload)
    return row


def audit_update(ctx: OpContext, s: DbSession, row: Any, kind: str, **payload: Any) -> None:
    """After a legitimate update of a mutable audited row: re-chain its new digest."""
    s.flush()
    ctx.audit(s, kind, subject=row, **payload)


# --- accounts -------------------------------------------------------------------------------------


def get_account(s: DbSession, account_no: str) -> Account:
    return _known_account(s, account_by_no(s, str(account_no)), account_no)


def get_account_and_last_write_back(s: DbSession, account_no: str) -> tuple[Account, AccountEvent | None]:
    """`get_account` and the account's last write-back seen, in one statement (a sale's intent)."""
    account, last = account_and_last_write_back(s, str(account_no))
    return _known_account(s, account, account_no), last


def _known_account(s: DbSession, account: Account | None, account_no: str) -> Account:
    if account is None:
        raise AccountUnknown(str(account_no), field="account_no")
    return row_seals.check(s, account)  # its class, status, counter, card decide the sale


def find_account_row(
    ctx: OpContext, s: DbSession, *, room_code: str | None, account_no: str | None, meter_no: str | None
) -> Account:
    """The account the keys name. Every key given must name the SAME account: a room code and an
    account number that disagree are INPUT_INVALID, never silently one of them."""
    found: dict[str, Account] = {}
    if account_no:
        found["account_no"] = get_account(s, account_no)
    if room_code:
        found["room_code"] = _account_of_room(ctx, s, room_code)
    if meter_no:
        found["meter_no"] = _account_of_meter(s, meter_no)
    if not found:
        raise InputInvalid(
            "请输入房间号、账户号或电表号", detail_en="room code, account no or meter no needed"
        )
    accounts = {account.id: account for account in found.values()}
    if len(accounts) > 1:
        named = "、".join(f"{key}→{account.account_no}" for key, account in found.items())
        raise InputInvalid(f"查询条件指向不同的账户：{named}", detail_en=f"the keys name different accounts: {named}",
                           field=next(iter(found)), data={k: a.account_no for k, a in found.items()})  # fmt: skip
    return next(iter(accounts.values()))


def account_no_or_room(ctx: OpContext, s: DbSession, text: str) -> Account:
    """The account `text` names: an account number, or a room code as the sale page takes it (issue
    14 item 5: clears, refunds, corrections and closing take either). An account number wins when
    the same text is both; neither is ACCOUNT_UNKNOWN on the field `account_no`."""
    account = account_by_no(s, str(text).strip())
    if account is not None:
        return row_seals.check(s, account)
    if ctx.station is not None:  # a room code belongs to a campus: the counter's
        try:
            return _account_of_room(ctx, s, str(text))
        except (AccountUnknown, InputInvalid):
            pass
    raise AccountUnknown(str(text), field="account_no")


def resolve_account_no(ctx: OpContext, text: str) -> str:
    """`account_no_or_room` in a read transaction of its own: the account number."""
    with ctx.reading() as s:
        return account_no_or_room(ctx, s, text).account_no


def _account_of_room(ctx: OpContext, s: DbSession, room_code: str) -> Account:
    pattern = ctx.setting(s, "room_code_pattern")
    code = normalise_room_code(room_code, pattern)
    account = account_by_room_code(s, ctx.workstation.campus_id, code)
    if account is None:
        raise AccountUnknown(f"房间 {room_code}", detail_en=f"room {room_code}", field="room_code")
    return row_seals.check(s, account)


def _account_of_meter(s: DbSession, meter_no: str) -> Account:
    account = account_by_meter_no(s, meter_no)
    if account is None:
        raise AccountUnknown(f"电表 {meter_no}", detail_en=f"meter {meter_no}", field="meter_no")
    return row_seals.check(s, account)


def require_sellable(account: Account) -> None:
    """DOMAIN: the class must be confirmed before anything is sold; a closed account sells nothing."""
    if account.status == "pending":
        raise AccountPending(account.account_no)
    if account.status == "closed":
        raise AccountClosed(account.account_no)


def room_code_of(s: DbSession, account: Account) -> str | None:
    room = by_id(s, Room, account.room_id)  # loaded whole, so checked against its seal
    return room.room_code if room is not None else None


def last_write_back(s: DbSession, account: Account) -> WriteBack | None:
    """The last write-back the counter has seen for this account (stored on account events)."""
    event = last_write_back_event(s, account.id)
    if event is None or not event.data:
        return None
    return write_back_from_json(event.data)


def write_back_from_json(data: dict[str, Any]) -> WriteBack:
    at = data.get("at")
    return WriteBack(
        remaining_ckwh=int(data["remaining_ckwh"]), consumed_ckwh=int(data["consumed_ckwh"]),
        last_loaded_counter=int(data["last_loaded_counter"]), alarms=tuple(data.get("alarms") or ()),
        error=data.get("error"), at=parse_iso_moment(at) if at else None,
    )  # fmt: skip


def write_back_to_json(wb: Any) -> dict[str, Any]:
    return {
        "remaining_ckwh": int(wb.remaining_ckwh), "consumed_ckwh": int(wb.consumed_ckwh),
        "last_loaded_counter": int(wb.last_loaded_counter), "alarms": sorted(wb.alarms),
        "error": wb.error, "at": wb.at.isoformat() if wb.at else None,
    }  # fmt: skip


def last_top_up_on(s: DbSession, account: Account) -> date | None:
    at = s.scalar(
        select(func.max(LedgerEntry.at)).where(
            LedgerEntry.account_id == account.id,
            LedgerEntry.kind.in_(("sale", "correction", "legacy_purchase")),
        )
    )
    return business_date(at) if at else None


def account_info(ctx: OpContext, s: DbSession, account: Account) -> AccountInfo:
    # Cycle: counter_app.ops.quota_owed imports ops.common at its top (the quota area computes entitlement).
    from counter_app.ops.quota_owed import free_owed_ckwh

    tariff = row_seals.check(s, current_tariff(s, account.cls, ctx.now()))
    return AccountInfo(
        account_no=account.account_no, room_code=room_code_of(s, account), cls=account.cls,
        status=account.status, holder=account.holder, phone=account.phone, meter_no=account.meter_no,
        card_serial=account.card_serial, price_e4=tariff.price_e4 if tariff else None,
        purchase_counter=account.purchase_counter, write_back=last_write_back(s, account),
        free_owed_ckwh=free_owed_ckwh(ctx, s, account), opened_on=account.opened_on,
        last_top_up_on=last_top_up_on(s, account),
    )  # fmt: skip


# --- shifts and tenders -------------------------------------------------------------------------------


def open_shift_row(ctx: OpContext, s: DbSession) -> Shift:
    shift = open_shift(s, ctx.workstation.id)
    if shift is None:
        raise ShiftNotOpen()
    return row_seals.check(s, shift)  # its float decides what the close expects


def check_tender(tender: str, reference: str | None) -> None:
    if tender not in TENDERS:
        raise InputInvalid(f"未知的付款方式：{tender}", detail_en=f"unknown tender {tender}", field="tender")
    if tender != "cash" and not (reference and reference.strip()):
        raise InputInvalid("非现金付款需要填写流水号/支票号", detail_en=f"{tender} needs a reference",
                           field="reference")  # fmt: skip


def positive_int(value: Any, field: str, label: str, maximum: int = AMOUNT_MAX_FEN) -> int:
    """A whole number above zero and at most `maximum` (an amount in fen, energy, an area)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputInvalid(f"{label}必须是整数", detail_en=f"{field} must be an integer", field=field)
    if value <= 0:
        raise InputInvalid(f"{label}必须大于零", detail_en=f"{field} must be positive", field=field)
    return checked_int(value, field=field, label=label, minimum=1, maximum=maximum)


def change_for(ctx: OpContext, s: DbSession, due_fen: int, tendered_fen: Any) -> int:
    """The change for a cash payment of `due_fen` when `tendered_fen` was handed over: refused when
    it is not whole fen, less than due, or more than due plus `tendered_max_notes` 100-yuan notes
    (a typo that would print as 实收 on the receipt)."""
    if isinstance(tendered_fen, bool) or not isinstance(tendered_fen, int) or tendered_fen < due_fen:
        raise InputInvalid("实收金额不足", detail_en="tendered less than due", field="tendered_fen")
    most = tendered_maximum(due_fen, ctx.setting(s, "tendered_max_notes"))
    if tendered_fen > most:
        raise InputInvalid(f"实收金额不合理（最多 {format_yuan(most)} 元）", field="tendered_fen",
                           detail_en=f"tendered above {format_yuan(most)} yuan", data={"maximum_fen": most})  # fmt: skip
    return tendered_fen - due_fen
