"""Single-operator holiday mode across the operations (DOMAIN "People and roles", Holidays):
"a single-operator mode allows only top-ups and bill payments; anything needing a co-sign queues".

1. Every co-signed counter operation whose re-run from its stored payload is safe is registered
   with `counter_app.queueing.register_queueable` here, in one place, so the set is easy to read:

   | approval kind | operation | at the re-run |
   |---|---|---|
   | account.confirm_class | confirm_class | — |
   | account.replace_meter | replace_meter | a blank or tool card on the reader (the parameter card) |
   | card.issue_tool_card | issue_tool_card | a blank or tool card on the reader |
   | clear.issue | issue_clear_card | THE account's card on the reader: the approved content names its serial, so another card is APPROVAL_INVALID |
   | refund_room | refund_room | only without a manual reading (that needs two different supervisors: never queued, APPROVAL_REQUIRED) |
   | account.close | close_account | — |
   | correction, correction.new_sale | correct | the same-day rule applies at the re-run (CORRECTION_NOT_SAME_DAY on a later day) and the card on the reader; a wrong room stops after the void (CARD_MISMATCH, resume) exactly as without the queue |
   | intent.suspense | move_to_suspense | — |
   | intent.roll_forward, intent.refund | resolve_suspense | roll_forward: the card on the reader |

   Already registered by their areas: quota.approve_batch, back_charge. Not queueable: a top-up's
   override of an unloaded purchase (the customer and card must be there), setting.set (the mode
   must stay switchable off with a co-signature), the CLI's tariff/fee/import/role changes.
   A re-run that refuses (card absent, data changed…) leaves the entry queued: it can be tried
   again. A card-writing re-run resolves the entry with its intent; if its card write then fails
   the operation is redone as an ordinary co-signed operation.

2. Operations that need no co-signature but are neither top-ups nor bill payments are refused in
   single-operator mode (ROLE_FORBIDDEN, `.data["single_operator_mode"]`): opening an account,
   issuing a card, reporting a card lost, replacing a card, changing the holder. Allowed: top_up,
   collect_free (a top-up visit for free energy), create_notice/pay_notice (bill payments), reading
   and lookups, the shift and its settlement, preparing a quota batch and completing a clear (the
   first or last step of an operation whose co-signed part queues), the queue itself, recovery.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from base.errors import RoleForbidden
from counter_app.context import OpContext
from counter_app.ops.account_admin import confirm_class
from counter_app.ops.clears import issue_clear_card
from counter_app.ops.corrections import correct
from counter_app.ops.intents import move_to_suspense, resolve_suspense
from counter_app.ops.meters import issue_tool_card, replace_meter
from counter_app.ops.room_refund import close_account, refund_room
from counter_app.queueing import register_queueable

_Method = TypeVar("_Method", bound=Callable[..., Any])


def require_staffed(ctx: OpContext, operation: str) -> None:
    with ctx.reading() as s:
        alone = bool(ctx.setting(s, "single_operator_mode"))
    if alone:
        raise RoleForbidden("单人值班模式只办理充值和缴费", detail_en="single-operator mode: top-ups and bill payments only",
                            data={"single_operator_mode": True, "operation": operation})  # fmt: skip


def refused_when_alone(method: _Method) -> _Method:
    """Marks a facade method (a `…Ops` mixin method, so `self.ctx` exists) that is refused while one
    person is on duty (point 2 above): `require_staffed` runs before the method body.

    Applied to open_account, issue_card, replace_card and change_holder (counter_app/ops/accounts.py).
    挂失 (report_lost_card) stays allowed when alone: blacklisting a lost card protects the
    customer's money at once, needs no co-signature and moves no money, so it must not wait for a
    staffed day."""
    operation = method.__name__

    @functools.wraps(method)
    def guarded(self: Any, *args: Any, **kwargs: Any) -> Any:
        require_staffed(self.ctx, operation)
        return method(self, *args, **kwargs)

    guarded.refused_when_alone = True  # type: ignore[attr-defined]  # the marker tests/ops read
    return cast(_Method, guarded)


# --- what each operation gave ctx.approve, typed ------------------------------------------------------------
# A queued operation is stored with the content its approval hashes; the re-run reads it back. The field
# names are the content's keys and there is no version key: the operation recomputes the content at
# the re-run and it must hash exactly as queued (OpContext.approve), so the shape is fixed by the builders.

_C = TypeVar("_C", bound="_Content")


@dataclass(frozen=True)
class _Content:
    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls: type[_C], data: Mapping[str, Any]) -> _C:
        return cls(**{f.name: data[f.name] for f in dataclasses.fields(cls)})


@dataclass(frozen=True)
class ConfirmClassContent(_Content):
    account_no: str
    cls: str


@dataclass(frozen=True)
class ReplaceMeterContent(_Content):
    account_no: str
    new_meter_no: str
    carried_ckwh: int


@dataclass(frozen=True)
class ToolCardContent(_Content):
    kind: str
    meter_no: str
    params: dict[str, int]


@dataclass(frozen=True)
class ClearIssueContent(_Content):
    account_no: str
    meter_no: str
    card_serial: str
    reason: str


@dataclass(frozen=True)
class RoomRefundContent(_Content):
    account_no: str
    payee_name: str
    payee_id: str
    payee_account: str | None
    manual_reading_ckwh: int | None
    reason: str | None
    refund_fen: int
    refundable_ckwh: int
    clear_entry_id: int | None


@dataclass(frozen=True)
class CloseAccountContent(_Content):
    account_no: str
    clear_entry_id: int


@dataclass(frozen=True)
class CorrectionContent(_Content):
    receipt_no: str
    reason: str
    from_account: str
    to_account: str
    amount_fen: int | None
    energy_ckwh: int | None
    original_fen: int
    original_ckwh: int


@dataclass(frozen=True)
class SuspenseContent(_Content):
    intent_id: str
    reason: str


@dataclass(frozen=True)
class ResolveSuspenseContent(_Content):
    intent_id: str


# --- re-runs from the stored content ----------------------------------------------------------------------


def _confirm_class(ctx: OpContext, p: Mapping[str, Any], approval: Any) -> Any:
    c = ConfirmClassContent.from_json(p)
    return confirm_class(ctx, account_no=c.account_no, cls=c.cls, approval=approval)


def _replace_meter(ctx: OpContext, p: Mapping[str, Any], approval: Any) -> Any:
    c = ReplaceMeterContent.from_json(p)
    return replace_meter(ctx, account_no=c.account_no, new_meter_no=c.new_meter_no,
                         carried_ckwh=c.carried_ckwh, approval=approval)  # fmt: skip


def _issue_tool_card(ctx: OpContext, p: Mapping[str, Any], approval: Any) -> Any:
    c = ToolCardContent.from_json(p)
    return issue_tool_card(ctx, kind=c.kind, meter_no=c.meter_no, params=c.params, approval=approval)


def _issue_clear_card(ctx: OpContext, p: Mapping[str, Any], approval: Any) -> Any:
    c = ClearIssueContent.from_json(p)
    return issue_clear_card(ctx, account_no=c.account_no, reason=c.reason, approval=approval)


def _refund_room(ctx: OpContext, p: Mapping[str, Any], approval: Any) -> Any:
    c = RoomRefundContent.from_json(p)
    return refund_room(ctx, account_no=c.account_no, payee_name=c.payee_name, payee_id=c.payee_id,
                       payee_account=c.payee_account, reason=c.reason, approval=approval)  # fmt: skip


def _close_account(ctx: OpContext, p: Mapping[str, Any], approval: Any) -> Any:
    return close_account(ctx, account_no=CloseAccountContent.from_json(p).account_no, approval=approval)


def _correct(ctx: OpContext, p: Mapping[str, Any], approval: Any) -> Any:
    c = CorrectionContent.from_json(p)
    other_room = c.to_account if c.to_account != c.from_account else None
    return correct(ctx, receipt_no=c.receipt_no, reason=c.reason, approval=approval, account_no=other_room,
                   amount_fen=c.amount_fen, energy_ckwh=c.energy_ckwh)  # fmt: skip


def _move_to_suspense(ctx: OpContext, p: Mapping[str, Any], approval: Any) -> Any:
    c = SuspenseContent.from_json(p)
    return move_to_suspense(ctx, intent_id=c.intent_id, reason=c.reason, approval=approval)


def _resolve_suspense(action: str) -> Callable[[OpContext, Mapping[str, Any], Any], Any]:
    def replay(ctx: OpContext, p: Mapping[str, Any], approval: Any) -> Any:
        intent_id = ResolveSuspenseContent.from_json(p).intent_id
        return resolve_suspense(ctx, intent_id=intent_id, action=action, approval=approval)

    return replay


def _without_manual_reading(p: Mapping[str, Any]) -> bool:
    return RoomRefundContent.from_json(p).manual_reading_ckwh is None


register_queueable("account.confirm_class", _confirm_class)
register_queueable("account.replace_meter", _replace_meter)
register_queueable("card.issue_tool_card", _issue_tool_card)
register_queueable("clear.issue", _issue_clear_card)
register_queueable("refund_room", _refund_room, when=_without_manual_reading)
register_queueable("account.close", _close_account)
for _kind in ("correction", "correction.new_sale"):
    register_queueable(_kind, _correct)
register_queueable("intent.suspense", _move_to_suspense)
for _action in ("roll_forward", "refund"):
    register_queueable(f"intent.{_action}", _resolve_suspense(_action))
