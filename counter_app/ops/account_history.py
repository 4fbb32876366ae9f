"""The account detail (issue 14, "an account detail view"): an account now and its history — the
ledger (purchases, voids, free energy, bills paid), its cards, the meter write-backs the counter
saw, its notices and the changes of the account itself — in ONE read transaction, so the lists
agree with each other and with the account row.

Every list is newest first and holds at most `limit` rows (HISTORY_LIMIT by default); the number of
older rows left out is in `AccountHistory.more`, so the screen can say "and 240 older". Any
logged-in person may look (the account page is every seller's, and the head's lists name accounts).
"""

from __future__ import annotations

from sqlalchemy.orm import Session as DbSession

from base.errors import InputInvalid
from counter_app.context import OpContext
from counter_app.ops.area import SessionArea
from counter_app.ops.common import account_info, account_no_or_room, write_back_from_json
from counter_app.results import (
    AccountHistory,
    CardLine,
    EventLine,
    LedgerLine,
    NoticeLine,
    WriteBackLine,
)
from db.models import Account, Building, Room
from db.queries.account_history import account_event_page, card_page, ledger_page, notice_page, operator_names

HISTORY_LIMIT = 100
HISTORY_LIMIT_MAX = 1_000


def account_history(ctx: OpContext, *, account_no: str, limit: int = HISTORY_LIMIT) -> AccountHistory:
    """The account `account_no` names (an account number or a room code, as the sale page takes
    it) with its history; ACCOUNT_UNKNOWN when it names none."""
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= HISTORY_LIMIT_MAX:
        raise InputInvalid(f"条数须在 1 至 {HISTORY_LIMIT_MAX} 之间", field="limit",
                           detail_en=f"limit must be 1…{HISTORY_LIMIT_MAX}")  # fmt: skip
    with ctx.reading() as s:
        ctx.operator_id  # noqa: B018 — logged in; any role may look
        account = account_no_or_room(ctx, s, account_no)
        names = operator_names(s)
        more: dict[str, int] = {}
        purchases = _ledger(s, account, limit, names, more)
        cards = _cards(s, account, limit, names, more)
        write_backs = _write_backs(s, account, limit, more)
        notices = _notices(s, account, limit, more)
        events = _events(s, account, limit, names, more)
        room = s.get(Room, account.room_id)
        building = s.get(Building, room.building_id) if room is not None else None
        return AccountHistory(
            account=account_info(ctx, s, account),
            building=(building.name or building.code) if building is not None else None,
            meter_model=account.meter_model, beds=account.beds,
            occupants=account.occupants_undergrad + account.occupants_master + account.occupants_phd,
            purchases=purchases, cards=cards, write_backs=write_backs, notices=notices, events=events,
            more={name: n for name, n in more.items() if n},  # only the lists that were cut
        )  # fmt: skip


def _ledger(s: DbSession, account: Account, limit: int, names: dict[int, str],
            more: dict[str, int]) -> tuple[LedgerLine, ...]:  # fmt: skip
    rows, more["purchases"], voided = ledger_page(s, account.id, limit)
    return tuple(
        LedgerLine(
            at=entry.at,
            kind=entry.kind,
            amount_fen=entry.fen,
            energy_ckwh=entry.energy_ckwh,
            free_ckwh=entry.free_ckwh,
            receipt_no=receipt_no,
            tender=entry.tender,
            operator=names.get(entry.operator_id) if entry.operator_id else None,
            workstation=code,
            reason=entry.reason,
            voided=entry.id in voided,
        )  # fmt: skip
        for entry, receipt_no, code in rows
    )


def _cards(s: DbSession, account: Account, limit: int, names: dict[int, str],
           more: dict[str, int]) -> tuple[CardLine, ...]:  # fmt: skip
    rows, more["cards"] = card_page(s, account.id, limit)
    return tuple(
        CardLine(
            at=event.at,
            card_serial=serial,
            kind=event.kind,
            card_status=status,
            operator=names.get(event.operator_id) if event.operator_id else None,
            reason=event.reason,
        )  # fmt: skip
        for event, serial, status in rows
    )


def _write_backs(
    s: DbSession, account: Account, limit: int, more: dict[str, int]
) -> tuple[WriteBackLine, ...]:
    rows, more["write_backs"] = account_event_page(s, account.id, limit, write_backs=True)
    return tuple(
        WriteBackLine(seen_at=event.at, write_back=write_back_from_json(event.data))
        for (event,) in rows
        if event.data
    )


def _notices(s: DbSession, account: Account, limit: int, more: dict[str, int]) -> tuple[NoticeLine, ...]:
    rows, more["notices"] = notice_page(s, account.id, limit)
    return tuple(
        NoticeLine(
            notice_no=notice.notice_no,
            kind=notice.kind,
            amount_fen=notice.amount_fen,
            payer=notice.payer,
            created_at=notice.created_at,
            paid_at=paid_at,
            receipt_no=receipt_no,
        )  # fmt: skip
        for notice, paid_at, receipt_no in rows
    )


def _events(s: DbSession, account: Account, limit: int, names: dict[int, str],
            more: dict[str, int]) -> tuple[EventLine, ...]:  # fmt: skip
    rows, more["events"] = account_event_page(s, account.id, limit, write_backs=False)
    return tuple(
        EventLine(
            at=event.at,
            kind=event.kind,
            operator=names.get(event.operator_id) if event.operator_id else None,
            reason=event.reason,
        )  # fmt: skip
        for (event,) in rows
    )


class AccountHistoryOps(SessionArea):
    """Facade mixin (counter_app/session.py)."""

    def account_history(self, *, account_no: str, limit: int = HISTORY_LIMIT) -> AccountHistory:
        return account_history(self.ctx, account_no=account_no, limit=limit)
