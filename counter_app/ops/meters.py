"""Meter replacement with energy carried (换表补电) and tool cards (检查卡 / 参数卡).

换表补电 writes a parameter card that starts the NEW meter at the account's purchase counter with
the carried energy as its balance: energy enters a meter, so it is a card-write intent (kind
"parameter") whose commit records the `carried` ledger entry and moves the account to the new
meter. A tool card from `issue_tool_card` carries no energy (starting values are refused there),
so it needs no intent: co-sign, write, record.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session as DbSession

from base.errors import AccountClosed, InputInvalid, OverMeterMaximum
from counter_app.approvals import Approval
from counter_app.context import OpContext
from counter_app.ops.account_admin import check_meter_model, check_meter_no, require_meter_free
from counter_app.ops.card_writes import begin_intent, run_card_write
from counter_app.ops.cards import (
    CARD_ROLES,
    account_event,
    card_event,
    ensure_sim_meter,
    intent_actor,
    receive_card,
    require_not_blacklisted,
)
from counter_app.ops.common import add_audited, get_account
from counter_app.ops.intent_payloads import ParameterPayload
from counter_app.results import CardInfo, MeterReplacement
from db.models import Account, Card, CardEvent, CardWriteIntent, LedgerEntry
from db.models.accounts import DEFAULT_METER_MODEL
from db.queries.accounts import account_by_meter_no
from hardware.card_service import CardService
from hardware.records import CardKind, CardReading

TOOL_KINDS = ("check", "parameter")
TOOL_PARAMS = ("alarm_threshold_ckwh",)


def require_tool_stock(ctx: OpContext, s: DbSession, reading: CardReading) -> Card:
    """A tool card is made from a blank card or rewritten from a tool card, never from a user card."""
    require_not_blacklisted(s, reading.card_serial)
    if reading.kind not in (CardKind.BLANK, CardKind.CHECK, CardKind.PARAMETER):
        raise InputInvalid("请放空白卡或工具卡", detail_en=f"place a blank or tool card, not a {reading.kind} card",
                           field="card", data={"card_serial": reading.card_serial})  # fmt: skip
    card = receive_card(ctx, s, reading.card_serial)
    if card.status not in ("blank", "tool"):
        raise InputInvalid(f"此卡状态为 {card.status}，不能做工具卡", field="card",
                           detail_en=f"card {card.serial} is {card.status}")  # fmt: skip
    return card


def next_param_seq(s: DbSession, meter_no: str) -> int:
    """Parameter cards for one meter are numbered so the meter can tell a newer one."""
    made = s.scalar(
        select(func.count(CardEvent.id)).where(
            CardEvent.kind == "made_tool", CardEvent.data["meter_no"].as_string() == meter_no,
            CardEvent.data["kind"].as_string() == "parameter",
        )
    )  # fmt: skip
    return int(made or 0) + 1


def record_tool_card(
    ctx: OpContext, s: DbSession, serial: str, kind: str, meter_no: str, *, approval_id: int | None,
    data: dict[str, Any], operator_id: int | None = None, workstation_id: int | None = None,
) -> Card:  # fmt: skip
    card = receive_card(ctx, s, serial)
    card.status, card.kind, card.meter_no, card.account_id = "tool", kind, meter_no, None
    card.simulated = card.simulated or ctx.simulated
    card_event(ctx, s, card, "made_tool", approval_id=approval_id, operator_id=operator_id,
               workstation_id=workstation_id, data={"kind": kind, "meter_no": meter_no, **data})  # fmt: skip
    return card


# --- 换表补电 ---------------------------------------------------------------------------------------


def replace_meter(
    ctx: OpContext, *, account_no: str, new_meter_no: str, carried_ckwh: int, approval: Approval | None,
    new_meter_model: str | None = None,
) -> MeterReplacement:  # fmt: skip
    """`new_meter_model`: the new meter's model (a meter profile's name); None: the same model as
    the old meter. A meter of another model reads only cards in its own format: the account's user
    card then needs replacing (replace_card writes the new card in the new model)."""
    new_meter_no = check_meter_no(new_meter_no, "new_meter_no")
    if new_meter_model is not None:
        new_meter_model = check_meter_model(new_meter_model, "new_meter_model")
    if isinstance(carried_ckwh, bool) or not isinstance(carried_ckwh, int) or carried_ckwh < 0:
        raise InputInvalid("补电电量必须是不小于零的整数（0.01 kWh）", field="carried_ckwh",
                           detail_en="carried_ckwh must be an integer >= 0")  # fmt: skip
    reading = ctx.devices.require_card().read_card()  # no transaction open during device I/O

    def begin(s: DbSession) -> CardWriteIntent:
        ctx.require_role(s, *CARD_ROLES)
        account = get_account(s, account_no)
        if account.status == "closed":
            raise AccountClosed(account.account_no)
        if new_meter_no == account.meter_no:
            raise InputInvalid("新电表号与原电表号相同", detail_en="the new meter number is the current one",
                               field="new_meter_no")  # fmt: skip
        require_meter_free(s, new_meter_no, "new_meter_no")
        maximum = int(ctx.setting(s, "meter_max_ckwh"))
        if carried_ckwh > maximum:
            raise OverMeterMaximum(f"{carried_ckwh} > {maximum}", data={"meter_max_ckwh": maximum})
        require_tool_stock(ctx, s, reading)
        content = {
            "account_no": account.account_no,
            "new_meter_no": new_meter_no,
            "carried_ckwh": carried_ckwh,
        }
        approval_id = ctx.approve(s, approval, kind="account.replace_meter", payload=content)
        return begin_intent(
            ctx, s, kind="parameter", account=account, card_serial=reading.card_serial,
            purchase_counter=account.purchase_counter, amount_fen=0, energy_ckwh=carried_ckwh, shift_id=None,
            payload=ParameterPayload(account_no=account.account_no, old_meter_no=account.meter_no,
                                     new_meter_no=new_meter_no, approval_id=approval_id,
                                     param_seq=next_param_seq(s, new_meter_no),
                                     new_meter_model=_stored_model(new_meter_model or account.meter_model)),
        )  # fmt: skip

    def write(intent: CardWriteIntent, card: CardService) -> CardReading:
        # The parameter card is for the NEW meter: written in the new meter's model's format.
        p = ParameterPayload.from_json(intent.payload)
        if ctx.devices.sim is not None and not ctx.devices.sim.meter_exists(p.new_meter_no):
            ctx.devices.sim.install_meter(
                p.new_meter_no, model=p.new_meter_model
            )  # a new meter: never loaded
        return card.for_model(p.new_meter_model or DEFAULT_METER_MODEL).make_tool_card(
            kind=CardKind.PARAMETER, meter_no=p.new_meter_no, intent_id=intent.intent_id,
            starting_counter=intent.purchase_counter, starting_balance_ckwh=intent.energy_ckwh,
            param_seq=p.param_seq,
        )  # fmt: skip

    # (run_card_write: what this kind's committer returns)
    done: MeterReplacement = run_card_write(ctx, begin, write)
    return done


def commit_replace_meter(
    ctx: OpContext, s: DbSession, intent: CardWriteIntent, recovered: bool
) -> MeterReplacement:
    p = ParameterPayload.from_json(intent.payload)
    account = s.get_one(Account, intent.account_id)
    who = intent_actor(intent)
    approval_id = p.approval_id
    record_tool_card(ctx, s, intent.card_serial, "parameter", p.new_meter_no, approval_id=approval_id, **who,
                     data={"account_no": account.account_no, "starting_counter": intent.purchase_counter,
                           "starting_balance_ckwh": intent.energy_ckwh, "param_seq": p.param_seq,
                           "intent_id": intent.intent_id})  # fmt: skip
    entry = LedgerEntry(
        kind="carried", account_id=account.id, fen=0, energy_ckwh=intent.energy_ckwh,
        purchase_counter=intent.purchase_counter, operator_id=intent.operator_id,
        workstation_id=intent.workstation_id, at=ctx.now(), intent_id=intent.intent_id, approval_id=approval_id,
        simulated=bool(intent.simulated),
        data={"old_meter_no": p.old_meter_no, "new_meter_no": p.new_meter_no,
              "parameter_card_serial": intent.card_serial, "recovered": recovered},
    )  # fmt: skip
    add_audited(ctx, s, entry, "ledger.carried", account_no=account.account_no)
    account.meter_no = p.new_meter_no
    account.meter_model = p.new_meter_model or DEFAULT_METER_MODEL
    account.simulated = account.simulated or bool(intent.simulated)
    account_event(ctx, s, account, "meter_replaced", approval_id=approval_id, **who,
                  data={"old_meter_no": p.old_meter_no, "new_meter_no": p.new_meter_no,
                        **_model_change(p.new_meter_model), "carried_ckwh": intent.energy_ckwh,
                        "parameter_card_serial": intent.card_serial, "starting_counter": intent.purchase_counter})  # fmt: skip
    return MeterReplacement(account_no=account.account_no, parameter_card_serial=intent.card_serial)


def _stored_model(meter_model: str) -> str | None:
    """None for the default, so a default replacement's payload is as before meter models."""
    return None if meter_model == DEFAULT_METER_MODEL else meter_model


def _model_change(new_meter_model: str | None) -> dict[str, str]:
    """History names the meter model only when it is not the default (events as before models)."""
    return {"new_meter_model": new_meter_model} if new_meter_model else {}


# --- tool cards -------------------------------------------------------------------------------------------


def check_tool_params(kind: str, params: dict[str, Any] | None) -> dict[str, int]:
    if kind not in TOOL_KINDS:
        raise InputInvalid(
            f"工具卡类型只能是检查卡或参数卡：{kind}", detail_en=f"tool card kind {kind!r}", field="kind"
        )
    params = dict(params or {})
    unknown = sorted(set(params) - set(TOOL_PARAMS))
    if unknown:
        # starting counter/balance put energy into a meter: only 换表补电 (replace_meter) may
        raise InputInvalid(f"不支持的参数：{'、'.join(unknown)}", detail_en=f"unsupported params {unknown}",
                           field="params")  # fmt: skip
    if kind == "check" and params:
        raise InputInvalid("检查卡没有参数", detail_en="a check card takes no params", field="params")
    for key, value in params.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InputInvalid(f"参数 {key} 必须是不小于零的整数", detail_en=f"{key} must be an integer >= 0",
                               field="params")  # fmt: skip
    return params


def issue_tool_card(
    ctx: OpContext, *, kind: str, meter_no: str, params: dict[str, Any] | None, approval: Approval | None
) -> CardInfo:
    params = check_tool_params(kind, params)
    meter_no = check_meter_no(meter_no)
    service = ctx.devices.require_card()
    reading = service.read_card()
    with ctx.uow() as s:
        ctx.require_role(s, *CARD_ROLES)
        require_tool_stock(ctx, s, reading)
        approval_id = ctx.approve(s, approval, kind="card.issue_tool_card",
                                  payload={"kind": kind, "meter_no": meter_no, "params": params})  # fmt: skip
        param_seq = next_param_seq(s, meter_no)
        account = account_by_meter_no(s, meter_no)
        counter = account.purchase_counter if account is not None else 0
        # A tool card speaks the meter's format: the model of the account on that meter, else the default.
        meter_model = account.meter_model if account is not None else DEFAULT_METER_MODEL
    ensure_sim_meter(ctx, meter_no, counter, meter_model)
    written = service.for_model(meter_model).make_tool_card(
        kind=CardKind(kind), meter_no=meter_no, intent_id=f"tool:{approval_id}", param_seq=param_seq,
        alarm_threshold_ckwh=params.get("alarm_threshold_ckwh", 0),
    )  # fmt: skip
    with ctx.uow() as s:
        record_tool_card(ctx, s, written.card_serial, kind, meter_no, approval_id=approval_id,
                         data={"params": params, "param_seq": param_seq})  # fmt: skip
    return CardInfo(card_serial=written.card_serial, kind=kind, account_no=None, purchase_counter=None, loaded=None,
                    write_back=None, simulated=ctx.simulated)  # fmt: skip
