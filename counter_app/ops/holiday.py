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

import functools
from collections.abc import Callable, Mapping
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


# --- re-runs from the stored payload (what each operation gave ctx.approve) ------------------------------


def _confirm_class(ctx: OpContext, p: dict[str, Any], approval: Any) -> Any:
    return confirm_class(ctx, account_no=p["account_no"], cls=p["cls"], approval=approval)


def _replace_meter(ctx: OpContext, p: dict[str, Any], approval: Any) -> Any:
    return replace_meter(ctx, account_no=p["account_no"], new_meter_no=p["new_meter_no"],
                         carried_ckwh=p["carried_ckwh"], approval=approval)  # fmt: skip


def _issue_tool_card(ctx: OpContext, p: dict[str, Any], approval: Any) -> Any:
    return issue_tool_card(ctx, kind=p["kind"], meter_no=p["meter_no"], params=p["params"],
                           approval=approval)  # fmt: skip


def _issue_clear_card(ctx: OpContext, p: dict[str, Any], approval: Any) -> Any:
    return issue_clear_card(ctx, account_no=p["account_no"], reason=p["reason"], approval=approval)


def _refund_room(ctx: OpContext, p: dict[str, Any], approval: Any) -> Any:
    return refund_room(ctx, account_no=p["account_no"], payee_name=p["payee_name"], payee_id=p["payee_id"],
                       payee_account=p["payee_account"], reason=p["reason"], approval=approval)  # fmt: skip


def _close_account(ctx: OpContext, p: dict[str, Any], approval: Any) -> Any:
    return close_account(ctx, account_no=p["account_no"], approval=approval)


def _correct(ctx: OpContext, p: dict[str, Any], approval: Any) -> Any:
    other_room = p["to_account"] if p["to_account"] != p["from_account"] else None
    return correct(ctx, receipt_no=p["receipt_no"], reason=p["reason"], approval=approval, account_no=other_room,
                   amount_fen=p["amount_fen"], energy_ckwh=p["energy_ckwh"])  # fmt: skip


def _move_to_suspense(ctx: OpContext, p: dict[str, Any], approval: Any) -> Any:
    return move_to_suspense(ctx, intent_id=p["intent_id"], reason=p["reason"], approval=approval)


def _resolve_suspense(action: str) -> Callable[[OpContext, dict[str, Any], Any], Any]:
    def replay(ctx: OpContext, p: dict[str, Any], approval: Any) -> Any:
        return resolve_suspense(ctx, intent_id=p["intent_id"], action=action, approval=approval)

    return replay


def _without_manual_reading(p: Mapping[str, Any]) -> bool:
    return p.get("manual_reading_ckwh") is None


def _yuan(fen: Any) -> str:
    return f"{int(fen or 0) / 100:.2f}"  # float ok: a summary line for people


register_queueable(
    "account.confirm_class", _confirm_class, summary=lambda p: f"确认类别 {p['account_no']} → {p['cls']}"
)
register_queueable("account.replace_meter", _replace_meter,
                   summary=lambda p: f"换表补电 {p['account_no']} → {p['new_meter_no']}")  # fmt: skip
register_queueable(
    "card.issue_tool_card", _issue_tool_card, summary=lambda p: f"制工具卡 {p['kind']} {p['meter_no']}"
)
register_queueable(
    "clear.issue", _issue_clear_card, summary=lambda p: f"制清零卡 {p['account_no']}（{p['reason']}）"
)
register_queueable("refund_room", _refund_room, when=_without_manual_reading,
                   summary=lambda p: f"退电 {p['account_no']} {_yuan(p['refund_fen'])} 元")  # fmt: skip
register_queueable("account.close", _close_account, summary=lambda p: f"销户 {p['account_no']}")
for _kind in ("correction", "correction.new_sale"):
    register_queueable(_kind, _correct, summary=lambda p: f"更正 {p['receipt_no']}（{p['reason']}）")
register_queueable("intent.suspense", _move_to_suspense, summary=lambda p: f"挂账 {p['intent_id'][:8]}")
for _action, _label in (("roll_forward", "补写入账"), ("refund", "退费")):
    register_queueable(f"intent.{_action}", _resolve_suspense(_action),
                       summary=lambda p, label=_label: f"挂账处理（{label}）{p['intent_id'][:8]}")  # fmt: skip
