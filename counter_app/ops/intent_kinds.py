"""Every card-write intent kind in one table: its payload type, its commit, and what recovery does
with it (the protocol: counter_app/ops/card_writes.py; recovery: counter_app/ops/recovery.py).

`INTENT_KIND_TABLE` covers exactly `db.models.intents.INTENT_KINDS` (tests/ops/test_intent_payloads.py
checks it). `card_writes.commit_intent` and recovery look a kind up here; nothing registers itself.

Recovery, for an intent still open (or card_written) when its card is read:

| kind          | card carries the intent's record | card carries another record | card not on the reader |
|---------------|----------------------------------|-----------------------------|------------------------|
| top_up        | roll forward: the sale (ledger, receipt marked recovered, quota deliveries) | abort | still open |
| correction    | roll forward: void and/or corrected sale, receipts, void slip | abort | still open |
| clear         | roll forward: "make" → card event made_clear; "restore" → ledger "cleared", account events | abort | still open |
| parameter     | roll forward: parameter card recorded, ledger "carried", account on the new meter | abort | still open |
| issue         | roll forward: the card becomes the account's | abort | still open |
| replace_card  | roll forward: the new card the account's, the old one blacklisted, the fee's receipt | abort | still open |
| collect_free  | never written: a free-energy visit is a top_up intent whose plan is "free" | — | — |
| roll_forward  | never written: an action of `resolve_suspense`, not a kind of card write | — | — |

Intents in suspense are settled by `resolve_suspense` only (a supervisor's decision).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from sqlalchemy.orm import Session as DbSession

from counter_app.context import OpContext
from counter_app.ops.card_replacement import commit_replace_card
from counter_app.ops.cards import commit_issue
from counter_app.ops.clears import commit_clear
from counter_app.ops.correction_commit import commit_correction
from counter_app.ops.intent_payloads import (
    ClearMakePayload,
    ClearRestorePayload,
    CorrectionPayload,
    IntentPayload,
    IssuePayload,
    ParameterPayload,
    ReplaceCardPayload,
    TopUpPayload,
    clear_payload_from_json,
)
from counter_app.ops.meters import commit_replace_meter
from counter_app.ops.sale_commit import commit_top_up
from db.models import CardWriteIntent

Committer = Callable[[OpContext, DbSession, CardWriteIntent, bool], Any]


class Settle(Enum):
    """What recovery does with an open intent, given what the card shows."""

    ROLL_FORWARD = "rolled_forward"  # run the kind's commit now, marked recovered
    ABORT = "aborted"  # the write never landed: nothing is recorded, the account is free
    STILL_OPEN = "still_open"  # wait for the card (or a supervisor's suspense)


@dataclass(frozen=True)
class RecoveryRule:
    own_record: Settle  # the card carries this intent's record (its tag)
    other_record: Settle  # the card carries an older (or another) record
    no_card: Settle  # the intent's card is not on the reader


CARD_DECIDES = RecoveryRule(
    own_record=Settle.ROLL_FORWARD, other_record=Settle.ABORT, no_card=Settle.STILL_OPEN
)


@dataclass(frozen=True)
class IntentKind:
    kind: str
    payload_types: tuple[type, ...]  # empty: no intent of this kind is ever written
    parse: Callable[[Mapping[str, Any]], IntentPayload] | None
    commit: Committer | None
    recovery: RecoveryRule | None
    note: str


INTENT_KIND_TABLE: dict[str, IntentKind] = {k.kind: k for k in (
    IntentKind("top_up", (TopUpPayload,), TopUpPayload.from_json, commit_top_up, CARD_DECIDES,
               "a top-up or a free-energy visit (counter_app/ops/sales.py)"),
    IntentKind("correction", (CorrectionPayload,), CorrectionPayload.from_json, commit_correction, CARD_DECIDES,
               "a same-day correction, mode rewrite | void | new_sale (counter_app/ops/corrections.py)"),
    IntentKind("clear", (ClearMakePayload, ClearRestorePayload), clear_payload_from_json, commit_clear,
               CARD_DECIDES, "a meter clear's two visits (counter_app/ops/clears.py)"),
    IntentKind("parameter", (ParameterPayload,), ParameterPayload.from_json, commit_replace_meter, CARD_DECIDES,
               "换表补电: a parameter card for the new meter (counter_app/ops/meters.py)"),
    IntentKind("issue", (IssuePayload,), IssuePayload.from_json, commit_issue, CARD_DECIDES,
               "an account's first card (counter_app/ops/cards.py)"),
    IntentKind("replace_card", (ReplaceCardPayload,), ReplaceCardPayload.from_json, commit_replace_card,
               CARD_DECIDES, "补卡 (counter_app/ops/card_replacement.py)"),
    IntentKind("collect_free", (), None, None, None,
               "allowed by the schema, never written: collect_free writes a top_up intent"),
    IntentKind("roll_forward", (), None, None, None,
               "allowed by the schema, never written: resolve_suspense's action, not a card write"),
)}  # fmt: skip


def intent_kind(kind: str) -> IntentKind:
    return INTENT_KIND_TABLE[kind]


def committer_for(kind: str) -> Committer:
    commit = INTENT_KIND_TABLE[kind].commit
    if commit is None:
        raise LookupError(f"no intent of kind {kind!r} is ever written: nothing can commit it")
    return commit


def recovery_rule(kind: str) -> RecoveryRule:
    rule = INTENT_KIND_TABLE[kind].recovery
    if rule is None:
        raise LookupError(f"no intent of kind {kind!r} is ever written: nothing can recover it")
    return rule


def payload_of(intent: CardWriteIntent) -> IntentPayload:
    """The intent's payload, typed, whatever version stored it."""
    parse = INTENT_KIND_TABLE[intent.kind].parse
    if parse is None:
        raise LookupError(f"no intent of kind {intent.kind!r} is ever written: no payload type")
    return parse(intent.payload)
