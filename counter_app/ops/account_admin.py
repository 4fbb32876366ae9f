"""Opening staff/business accounts (建档开户), confirming a class, change of holder (过户).

Account numbers of accounts opened at the counter: class letter + "-" + normalised room code
(`S-12-101`, `B-1-001`), the scheme of the imported accounts; when a closed account of the room
already holds that number, `-2`, `-3`… is appended. The number goes into the card's header, so it
is at most 12 ASCII characters; longer room codes fall back to the letter and a sequence number.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session as DbSession

from base.errors import AccountClosed, InputInvalid
from base.validation import (
    HOLDER_MAX_LEN,
    SHORT_TEXT_MAX_LEN,
    checked_meter_no,
    checked_phone,
    checked_text,
    optional_checked_text,
)
from base.vocabulary import CLASS_CODES, CLASS_LABELS, CLASS_LETTERS
from counter_app.approvals import Approval
from counter_app.context import OpContext
from counter_app.ops.cards import CARD_ROLES, account_event
from counter_app.ops.common import account_info, get_account
from counter_app.results import AccountInfo
from counter_app.room_codes import normalise_room_code
from db.models import Account, Building, Room
from db.queries.accounts import account_by_meter_no, account_by_no, account_by_room_code, room_by_code
from hardware.profiles import DEFAULT_PROFILE, load_profile

ACCOUNT_NO_MAX = 12  # the card header's limit (hardware.card_service)


# --- input checks ---------------------------------------------------------------------------------


def check_class(cls: Any) -> str:
    if not isinstance(cls, str) or cls not in CLASS_CODES:
        raise InputInvalid(f"未知的类别：{cls}", detail_en=f"unknown class {cls!r}", field="cls")
    return cls


def required_text(value: Any, field: str, label: str, max_len: int = HOLDER_MAX_LEN) -> str:
    """Text a person typed, checked as the imports check it (base.validation.checked_text)."""
    return checked_text(value, field=field, label=label, max_len=max_len)


def optional_text(value: Any, field: str, label: str, max_len: int = SHORT_TEXT_MAX_LEN) -> str | None:
    return optional_checked_text(value, field=field, label=label, max_len=max_len)


def check_meter_no(value: Any, field: str = "meter_no") -> str:
    """The import's rule (base.validation.checked_meter_no): digits, letters and '-', exact text."""
    return checked_meter_no(value, field)


def check_meter_model(value: str | None, field: str = "meter_model") -> str:
    """A meter model is the name of a meter profile installed here (hardware/profiles.py); None is
    the default, the reference. INPUT_INVALID names the known ones."""
    if value is None:
        return DEFAULT_PROFILE
    try:
        return load_profile(value).name
    except InputInvalid as exc:
        exc.field = field
        raise


def require_meter_free(s: DbSession, meter_no: str, field: str = "meter_no") -> None:
    """One live account per meter."""
    holder = account_by_meter_no(s, meter_no)
    if holder is not None:
        raise InputInvalid(f"电表 {meter_no} 已属于账户 {holder.account_no}", field=field,
                           detail_en=f"meter {meter_no} belongs to account {holder.account_no}",
                           data={"account_no": holder.account_no})  # fmt: skip


# --- open_account ------------------------------------------------------------------------------------


def open_account(
    ctx: OpContext, *, room_code: str, cls: str, meter_no: str, holder: str, phone: str | None,
    class_confirmed: bool, meter_model: str | None = None,
) -> AccountInfo:  # fmt: skip
    """`meter_model`: the meter's model (a meter profile's name); None: the reference."""
    check_class(cls)
    if cls == "dorm":
        raise InputInvalid("学生公寓房间由住房数据年度导入建立，不能在柜台开户", field="cls",
                           detail_en="dorm rooms come from the yearly import, not the counter")  # fmt: skip
    holder = required_text(holder, "holder", "户主")
    phone = checked_phone(phone)
    meter_no = check_meter_no(meter_no)
    meter_model = check_meter_model(meter_model)
    with ctx.uow() as s:
        ctx.require_role(s, *CARD_ROLES)
        code = normalise_room_code(room_code, ctx.setting(s, "room_code_pattern"))
        live = account_by_room_code(s, ctx.workstation.campus_id, code)
        if live is not None:
            raise InputInvalid(f"房间 {code} 已有账户 {live.account_no}", field="room_code",
                               detail_en=f"room {code} already has account {live.account_no}",
                               data={"account_no": live.account_no})  # fmt: skip
        require_meter_free(s, meter_no)
        room = room_for(ctx, s, code)
        account = Account(
            account_no=new_account_no(s, cls, code), room_id=room.id, cls=cls,
            status="active" if class_confirmed else "pending", holder=holder, phone=phone, meter_no=meter_no,
            meter_model=meter_model, purchase_counter=0, beds=room.beds, opened_on=ctx.today(), simulated=ctx.simulated,
        )  # fmt: skip
        s.add(account)
        s.flush()
        account_event(ctx, s, account, "opened",
                      data={"room_code": code, "cls": cls, "meter_no": meter_no, "holder": holder, "phone": phone,
                            # the model only when not the default: the history reads as before models
                            **({"meter_model": meter_model} if meter_model != DEFAULT_PROFILE else {}),
                            "class_confirmed": bool(class_confirmed)})  # fmt: skip
        return account_info(ctx, s, account)


def room_for(ctx: OpContext, s: DbSession, code: str) -> Room:
    """The room of the workstation's campus, created (with its building) when new."""
    room = room_by_code(s, ctx.workstation.campus_id, code)
    if room is not None:
        return room
    building_code, number = code.split("-", 1)
    building = s.scalar(
        select(Building).where(
            Building.campus_id == ctx.workstation.campus_id, Building.code == building_code
        )
    )
    if building is None:
        building = Building(
            campus_id=ctx.workstation.campus_id, code=building_code, name=f"{building_code}号楼"
        )
        s.add(building)
        s.flush()
    room = Room(
        campus_id=ctx.workstation.campus_id, building_id=building.id, number=number, room_code=code, beds=0
    )
    s.add(room)
    s.flush()
    ctx.audit(s, "room.created", room_code=code)
    return room


def new_account_no(s: DbSession, cls: str, code: str) -> str:
    letter = CLASS_LETTERS[cls]
    base = f"{letter}-{code}"
    for candidate in [base] + [f"{base}-{n}" for n in range(2, 100)]:
        if len(candidate) <= ACCOUNT_NO_MAX and account_by_no(s, candidate) is None:
            return candidate
    next_id = (s.scalar(select(func.max(Account.id))) or 0) + 1
    while account_by_no(s, f"{letter}{next_id:07d}") is not None:
        next_id += 1
    return f"{letter}{next_id:07d}"


# --- confirm_class -------------------------------------------------------------------------------------


def confirm_class(ctx: OpContext, *, account_no: str, cls: str, approval: Approval | None) -> AccountInfo:
    """Co-signed: a pending account becomes active under `cls`; an active one changes class."""
    check_class(cls)
    with ctx.uow() as s:
        ctx.require_role(s, *CARD_ROLES)
        account = get_account(s, account_no)
        if account.status == "closed":
            raise AccountClosed(account.account_no)
        if account.status != "pending" and account.cls == cls:
            raise InputInvalid(f"账户类别已是{CLASS_LABELS[cls]}，无需确认", field="cls",
                               detail_en=f"the account is already confirmed as {cls}")  # fmt: skip
        approval_id = ctx.approve(s, approval, kind="account.confirm_class",
                                  payload={"account_no": account.account_no, "cls": cls})  # fmt: skip
        was = {"from_cls": account.cls, "from_status": account.status, "cls": cls}
        kind = "class_confirmed" if account.status == "pending" else "class_changed"
        account.cls = cls
        if account.status == "pending":
            account.status = "active"
        account.simulated = account.simulated or ctx.simulated
        account_event(ctx, s, account, kind, approval_id=approval_id, data=was)
        return account_info(ctx, s, account)


# --- change_holder ---------------------------------------------------------------------------------------


def change_holder(
    ctx: OpContext, *, account_no: str, holder: str, phone: str | None, handover_ckwh: int
) -> AccountInfo:
    """过户: the energy stays with the meter; the balance handed over is recorded for both parties."""
    holder = required_text(holder, "holder", "户主")
    phone = checked_phone(phone)
    if isinstance(handover_ckwh, bool) or not isinstance(handover_ckwh, int) or handover_ckwh < 0:
        raise InputInvalid("交接电量必须是不小于零的整数（0.01 kWh）", field="handover_ckwh",
                           detail_en="handover_ckwh must be an integer >= 0")  # fmt: skip
    with ctx.uow() as s:
        ctx.require_role(s, *CARD_ROLES)
        account = get_account(s, account_no)
        if account.status == "closed":
            raise AccountClosed(account.account_no)
        data = {"from_holder": account.holder, "from_phone": account.phone, "holder": holder, "phone": phone,
                "handover_ckwh": handover_ckwh, "purchase_counter": account.purchase_counter}  # fmt: skip
        account.holder, account.phone = holder, phone
        account.simulated = account.simulated or ctx.simulated
        account_event(ctx, s, account, "holder_changed", data=data)
        return account_info(ctx, s, account)
