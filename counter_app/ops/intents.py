"""Open card writes and suspense (DOMAIN "Counter operations" 6; API.md `open_intents`,
`move_to_suspense`, `resolve_suspense`).

A card write that cannot be finished keeps its intent open and the account blocked. With the
customer gone, a supervisor moves it to suspense so the shift can close: the money stays on the
originating shift's sheet as held for the customer ("suspense" ledger entry). Later either a card
visit rolls it forward (the sale is recorded; a "suspense_resolved" entry takes the held money off
so it is not counted twice) or the money is returned by a 退费审批单 — never cash from a later
shift's drawer.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from base.errors import InputInvalid, ShiftNotOpen
from counter_app.approvals import Approval
from counter_app.context import OpContext
from counter_app.ops.area import SessionArea
from counter_app.ops.card_ahead import FOUND_SOURCES
from counter_app.ops.card_writes import commit_intent, intent_row, mark_intent, write_purchase_record
from counter_app.ops.common import add_audited, open_shift_row
from counter_app.ops.intent_kinds import payload_of
from counter_app.ops.intent_payloads import TopUpPayload
from counter_app.results import IntentInfo
from db.models import Account, CardWriteIntent, IntentEvent, LedgerEntry
from db.queries.intents import unfinished_intents
from hardware.card_service import CardService


def open_intents(ctx: OpContext) -> list[IntentInfo]:
    with ctx.reading() as s:
        return [_info(s, intent, state) for intent, state in unfinished_intents(s)]


def move_to_suspense(ctx: OpContext, *, intent_id: str, reason: str, approval: Approval | None) -> IntentInfo:
    if not (reason and reason.strip()):
        raise InputInvalid("请填写原因", detail_en="a reason is needed", field="reason")
    with ctx.uow() as s:
        intent, state = _unfinished(s, intent_id)
        if state == "suspense":
            raise InputInvalid("已在挂账中", detail_en="already in suspense")
        approval_id = ctx.approve(s, approval, kind="intent.suspense",
                                  payload={"intent_id": intent_id, "reason": reason}, reason=reason)  # fmt: skip
        if intent.kind == "top_up" and intent.amount_fen:
            _ledger(ctx, s, intent, "suspense", intent.amount_fen, intent.shift_id, reason, approval_id)
        mark_intent(ctx, s, intent, "suspense", reason=reason, approval_id=approval_id)
        return _info(s, intent, "suspense")


def resolve_suspense(ctx: OpContext, *, intent_id: str, action: str, approval: Approval | None) -> IntentInfo:
    if action not in ("roll_forward", "refund"):
        raise InputInvalid(
            "处理方式应为 roll_forward 或 refund", detail_en="action: roll_forward | refund", field="action"
        )
    with ctx.uow() as s:
        intent, state = _unfinished(s, intent_id)
        if state != "suspense":
            raise InputInvalid("该写卡不在挂账中", detail_en="the intent is not in suspense")
        approval_id = ctx.approve(s, approval, kind=f"intent.{action}", payload={"intent_id": intent_id})
        account = s.get_one(Account, intent.account_id)
        account_no = account.account_no
        meter_no = payload_of(intent).record_meter_no
        meter_model = account.meter_model
    if action == "roll_forward":
        card = ctx.devices.require_card().for_model(meter_model)
        return _roll_forward(ctx, card, intent_id, account_no, meter_no, approval_id)
    return _refund(ctx, intent_id, approval_id)


def _roll_forward(
    ctx: OpContext, card: CardService, intent_id: str, account_no: str, meter_no: str | None, approval_id: int
) -> IntentInfo:
    """The customer is back with the card: finish the write if it never landed, then record the
    sale in the current shift and take the held money off (it was counted on the first sheet)."""
    with ctx.reading() as s:
        intent = intent_row(s, intent_id)
        found_on_card = _found_on_card(s, intent_id)
        s.expunge(intent)  # keep its loaded values: the read-only unit rolls back (and would expire it)
    if not found_on_card:  # a purchase found on a card is there already; the card may hold newer ones
        reading = card.read_card()
        if not (reading.record and reading.record.is_from_intent(intent_id)):
            assert meter_no is not None  # rolled forward: an intent whose card carries a purchase record
            write_purchase_record(card, intent, account_no, meter_no)
    commit_intent(ctx, intent_id, recovered=True)
    with ctx.uow() as s:
        intent = intent_row(s, intent_id)
        shift = open_shift_row(ctx, s)
        if intent.kind == "top_up" and intent.amount_fen:
            _ledger(
                ctx,
                s,
                intent,
                "suspense_resolved",
                -intent.amount_fen,
                shift.id,
                "rolled forward",
                approval_id,
            )
        return _info(s, intent, "rolled_forward")


def _found_on_card(s: DbSession, intent_id: str) -> bool:
    """An item counter_app/ops/card_ahead.py made from a card (or the high-water mark) after the
    database went back in time: its record is not ours to write again."""
    data = s.scalar(
        select(IntentEvent.data).where(IntentEvent.intent_id == intent_id, IntentEvent.state == "suspense")
    )
    return isinstance(data, dict) and data.get("source") in FOUND_SOURCES


def _refund(ctx: OpContext, intent_id: str, approval_id: int) -> IntentInfo:
    """The money goes back by a 退费审批单 (finance pays it), not from any drawer."""
    with ctx.uow() as s:
        intent = intent_row(s, intent_id)
        if intent.kind == "top_up" and intent.amount_fen:
            _ledger(
                ctx,
                s,
                intent,
                "refund_raised",
                -intent.amount_fen,
                intent.shift_id,
                "suspense refunded",
                approval_id,
            )
        mark_intent(ctx, s, intent, "refunded", approval_id=approval_id)
        return _info(s, intent, "refunded")


def _current_shift_id(ctx: OpContext, s: DbSession) -> int | None:
    try:
        return open_shift_row(ctx, s).id
    except ShiftNotOpen:
        return None


def _ledger(ctx: OpContext, s: DbSession, intent: CardWriteIntent, kind: str, fen: int, shift_id: int | None,
            reason: str, approval_id: int) -> None:  # fmt: skip
    entry = LedgerEntry(
        kind=kind, charge="electricity", account_id=intent.account_id, fen=fen, energy_ckwh=0, free_ckwh=0,
        tender=intent.tender, reference=_reference(intent), operator_id=ctx.operator_id,
        shift_id=shift_id, workstation_id=ctx.workstation.id, at=ctx.now(), intent_id=intent.intent_id,
        approval_id=approval_id, reason=reason, simulated=intent.simulated,
    )  # fmt: skip
    add_audited(ctx, s, entry, f"ledger.{kind}", intent_id=intent.intent_id, fen=fen)


def _reference(intent: CardWriteIntent) -> str | None:
    """The non-cash tender's reference of a top-up (the only kind whose money is held in suspense)."""
    payload = payload_of(intent)
    return payload.reference if isinstance(payload, TopUpPayload) else None


def _unfinished(s: DbSession, intent_id: str) -> tuple[CardWriteIntent, str]:
    for intent, state in unfinished_intents(s):
        if intent.intent_id == intent_id:
            return intent, state
    raise InputInvalid(
        f"没有未完成的写卡 {intent_id}", detail_en=f"no unfinished intent {intent_id}", field="intent_id"
    )


def _info(s: DbSession, intent: CardWriteIntent, state: str) -> IntentInfo:
    account = s.get_one(Account, intent.account_id)
    return IntentInfo(intent_id=intent.intent_id, account_no=account.account_no, amount_fen=intent.amount_fen,
                      energy_ckwh=intent.energy_ckwh, state=state, shift_id=intent.shift_id)  # fmt: skip


class IntentOps(SessionArea):
    def open_intents(self) -> list[IntentInfo]:
        return open_intents(self.ctx)

    def move_to_suspense(
        self, *, intent_id: str, reason: str, approval: Approval | None = None
    ) -> IntentInfo:
        return move_to_suspense(self.ctx, intent_id=intent_id, reason=reason, approval=approval)

    def resolve_suspense(
        self, *, intent_id: str, action: str, approval: Approval | None = None
    ) -> IntentInfo:
        return resolve_suspense(self.ctx, intent_id=intent_id, action=action, approval=approval)
