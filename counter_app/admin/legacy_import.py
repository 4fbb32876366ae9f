"""Applying the old vending system's file (docs/imports.md "Legacy"): per account, the card serial
(a card row, issued), the purchase counter the new system continues from, the last known balance,
and each purchase as a `legacy_purchase` ledger entry with its price (refunds are valued from
these). All or nothing, co-signed with the file's SHA-256, every row under the audit chain.

The accounts must exist already (the yearly room list is imported first) and have no purchases.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session as DbSession

from base.clock import BUSINESS_TZ
from counter_app.admin.accounts_import import KnownRoom, file_sha256, known_rooms
from counter_app.admin.command import required
from counter_app.admin.door import AdminSession
from counter_app.admin.import_rooms import refuse_lines
from counter_app.approvals import Approval
from counter_app.context import OpContext
from counter_app.imports.accounts_file import RoomKey
from counter_app.imports.legacy_file import LegacyAccount, LegacyPurchase, ParsedLegacy
from counter_app.imports.table import LineError
from counter_app.ops.cards import account_event, card_row
from counter_app.ops.common import add_audited
from db import bulk

if TYPE_CHECKING:
    from db.models import Account

Targets = list[tuple[LegacyAccount, "Account"]]


@dataclass(frozen=True)
class LegacyImported:
    accounts: int
    purchases: int
    balance_ckwh: int


def check_legacy_import(admin: AdminSession, parsed: ParsedLegacy) -> list[LineError]:
    """The dry run (administrators only): the same checks as the import, writing nothing."""
    ctx = admin.ctx
    with ctx.reading() as s:
        ctx.require_role(s, "admin")
        known = known_rooms(s, (a.key.campus for a in parsed.accounts))
        _targets, errors = legacy_targets(s, parsed.accounts, known)
    return errors


def apply_legacy_import(admin: AdminSession, parsed: ParsedLegacy, path: str, *,
                        approval: Approval | None) -> LegacyImported:  # fmt: skip
    ctx = admin.ctx
    with ctx.uow() as s:
        ctx.require_role(s, "admin")
        known = known_rooms(s, (a.key.campus for a in parsed.accounts))
        targets, errors = legacy_targets(s, parsed.accounts, known)
        refuse_lines(errors, "接管文件", "legacy file")
        purchases = sum(len(a.purchases) for a, _ in targets)
        payload = {"file_sha256": file_sha256(path), "accounts": len(targets), "purchases": purchases}
        approval_id = ctx.approve(s, required(approval), kind="legacy.import", payload=payload)
        for legacy, account in targets:
            _take_over(ctx, s, legacy, account, approval_id)
        ctx.audit(s, "legacy.imported", approval_id=approval_id, **payload)
        return LegacyImported(len(targets), purchases, sum(a.balance_ckwh for a, _ in targets))


def legacy_targets(
    s: DbSession, accounts: Iterable[LegacyAccount], known: dict[RoomKey, KnownRoom]
) -> tuple[Targets, list[LineError]]:
    targets: Targets = []
    errors: list[LineError] = []
    for legacy in accounts:
        found = known.get(legacy.key)
        account = found.account if found else None
        problem = _legacy_problem(s, legacy, account)
        if problem:
            errors.append(LineError(legacy.line, "房间", *problem))
        elif account is not None:  # always, when there is no problem
            targets.append((legacy, account))
    return targets, errors


def _legacy_problem(s: DbSession, legacy: LegacyAccount, account: Account | None) -> tuple[str, str] | None:
    label = legacy.key.label()
    if account is None or account.status == "closed":
        return (
            f"{label} 没有有效账户（请先导入房间名单）",
            f"{label} has no live account (import the room list first)",
        )
    if account.purchase_counter > 0 or account.legacy_as_of is not None:
        return (f"账户 {account.account_no} 已有购电记录或已接管，不能再接管",
                f"account {account.account_no} already has purchases or was taken over")  # fmt: skip
    card = card_row(s, legacy.card_serial)
    if card is not None and card.account_id != account.id:
        return (
            f"卡号 {legacy.card_serial} 已登记在其他账户",
            f"card {legacy.card_serial} belongs to another account",
        )
    return None


def _moment(day: date) -> datetime:
    """A legacy date as a moment: noon in Shanghai (the old system kept no time of day)."""
    return datetime.combine(day, time(12, 0), tzinfo=BUSINESS_TZ)


def _take_over(
    ctx: OpContext, s: DbSession, legacy: LegacyAccount, account: Account, approval_id: int
) -> None:
    account.card_serial = legacy.card_serial
    account.purchase_counter = legacy.purchase_counter
    account.legacy_balance_ckwh = legacy.balance_ckwh
    account.legacy_as_of = _moment(legacy.balance_on) if legacy.balance_on else ctx.now()
    card = card_row(s, legacy.card_serial)
    if card is None:
        card = bulk.add_issued_card(
            s, serial=legacy.card_serial, account_id=account.id, received_at=ctx.now()
        )
    s.flush()
    event = bulk.card_event_row(card_id=card.id, kind="issued", account_id=account.id, at=ctx.now(),
                                operator_id=ctx.operator_id, approval_id=approval_id, reason="旧系统接管",
                                data={"legacy": True})  # fmt: skip
    add_audited(ctx, s, event, "card.issued", serial=card.serial)
    for purchase in legacy.purchases:
        _legacy_entry(ctx, s, account, purchase, approval_id)
    account_event(ctx, s, account, "legacy_imported", approval_id=approval_id,
                  data={"line": legacy.line, "card_serial": legacy.card_serial,
                        "purchase_counter": legacy.purchase_counter, "balance_ckwh": legacy.balance_ckwh,
                        "balance_on": legacy.balance_on.isoformat() if legacy.balance_on else None})  # fmt: skip


def _legacy_entry(
    ctx: OpContext, s: DbSession, account: Account, p: LegacyPurchase, approval_id: int
) -> None:
    """The old system's purchase: money it took (never in our drawer: the settlement sheet and the
    period tables leave `legacy_purchase` out), energy, the exact price, its counter."""
    entry = bulk.legacy_purchase_row(account_id=account.id, fen=p.amount_fen, energy_ckwh=p.energy_ckwh,
                                     price_e4=p.price_e4, purchase_counter=p.counter, operator_id=ctx.operator_id,
                                     at=_moment(p.on), approval_id=approval_id, reason="旧系统购电记录",
                                     data={"line": p.line})  # fmt: skip
    add_audited(ctx, s, entry, "ledger.legacy_purchase", account_no=account.account_no, counter=p.counter)
