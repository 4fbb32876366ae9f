"""Closing a shift, blind (DOMAIN "Close, blind"; API `x_report`, `close_shift`).

The order is enforced by two steps, each its own unit of work:
1. `declare_count` records the counted cash by denomination. It shows nothing of what is expected
   and can be made once per shift (the same count again is accepted, a different one refused):
   a cashier who saw the expected figure cannot recount to match it.
2. `close_shift` then computes expected = float + cash in − cash voided (refunds are not paid
   from the drawer unless `refund_float` is on), the difference (长款 > 0, 短款 < 0) and asks for
   a reason when there is one and a supervisor's approval above `close_difference_fen`. It is
   refused before step 1 (INPUT_INVALID on `counted`).
The facade's `close_shift(counted, …)` commits step 1 first, then runs step 2: if step 2 is
refused (a reason or approval missing) the count stays declared and the call is repeated with
the same count and the reason.

The X report (中途自查) gives totals per tender and charge so far, never the expected drawer figure
nor a difference; each one is logged and listed on the sheet, so an X report printed just before
the count is there for the reviewer to see.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from base.errors import (
    InputInvalid,
    PendingIntents,
    RoleForbidden,
    ShiftClosed,
    ShiftNotOpen,
    UserFacingError,
)
from counter_app import row_seals
from counter_app.context import OpContext
from counter_app.results import ShiftTotals
from counter_app.settlement.ledger_view import (
    DRAWER_KINDS,
    LINE_LABELS,
    TENDER_ORDER,
    EntryRow,
    shift_entries,
)
from db.models import Receipt, Shift, ShiftClosure
from db.models.receipts import MAIN_SERIES
from db.models.settlement import ShiftCount, XReportLog
from db.queries.intents import unfinished_intents

# RMB notes and coins in circulation, in fen.
DENOMINATIONS = (10000, 5000, 2000, 1000, 500, 100, 50, 10, 5, 2, 1)
MAX_PIECES = 100_000
WRITE_PENDING_STATES = ("open", "card_written")  # suspense is allowed: that is how a shift closes


def require_open_shift(session: Session, shift_id: int) -> Shift:
    """The shift, if it may still take sales: SHIFT_NOT_OPEN when unknown, SHIFT_CLOSED once
    closed (the lock every sale, payment and correction checks)."""
    shift = row_seals.check(session, session.get(Shift, shift_id))  # a float lowered by SQL: TAMPERED
    if shift is None:
        raise ShiftNotOpen(str(shift_id))
    closed = session.scalar(select(ShiftClosure.id).where(ShiftClosure.shift_id == shift_id))
    if closed is not None or not shift.is_open:
        raise ShiftClosed(str(shift_id), data={"shift_id": shift_id})
    return shift


def parse_counted(raw: Mapping[Any, Any]) -> dict[int, int]:
    """{denomination fen: count}; letters, negatives, fractions and unknown notes are refused."""
    if not isinstance(raw, Mapping) or not raw:
        raise _bad_count("请按面额输入清点的现金", "counted cash by denomination is needed")
    counted: dict[int, int] = {}
    for key, value in raw.items():
        denomination, pieces = _whole(key), _whole(value)
        if denomination not in DENOMINATIONS:
            raise _bad_count(f"没有这种面额：{key!r}", f"unknown denomination: {key!r}")
        if pieces < 0 or pieces > MAX_PIECES:
            raise _bad_count(f"张数无效：{value!r}", f"invalid count: {value!r}")
        counted[denomination] = counted.get(denomination, 0) + pieces
    return dict(sorted(counted.items(), reverse=True))


def _whole(value: Any) -> int:
    if isinstance(value, bool):
        raise _bad_count(f"不是整数：{value!r}", f"not a whole number: {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit() and value.strip().isascii():
        return int(value.strip())
    raise _bad_count(f"不是整数：{value!r}", f"not a whole number: {value!r}")


def _bad_count(zh: str, en: str) -> UserFacingError:  # an InputInvalid
    return InputInvalid(zh, detail_en=en, field="counted")


def counted_total(counted: Mapping[int, int]) -> int:
    return sum(denomination * pieces for denomination, pieces in counted.items())


def declare_count(ctx: OpContext, session: Session, *, shift_id: int, counted: Mapping[Any, Any]) -> int:
    """Step 1 of the blind close by `ctx`'s operator; the counted total in fen (and nothing about
    what is expected)."""
    shift = require_open_shift(session, shift_id)
    _require_own_shift(shift, ctx.operator_id)
    parsed = parse_counted(counted)
    stored = {str(k): v for k, v in parsed.items()}
    existing = declared_count(session, shift_id)
    if existing is not None:
        if existing.counted != stored:
            raise _bad_count(
                "本班现金已清点申报，不能重新清点", "the count was already declared and cannot change"
            )
        return existing.counted_fen
    row = ShiftCount(shift_id=shift_id, counted=stored, counted_fen=counted_total(parsed),
                     declared_at=ctx.now(), operator_id=ctx.operator_id)  # fmt: skip
    session.add(row)
    session.flush()
    return row.counted_fen


def declared_count(session: Session, shift_id: int) -> ShiftCount | None:
    return row_seals.check(session, session.scalar(select(ShiftCount).where(ShiftCount.shift_id == shift_id)))


def _require_own_shift(shift: Shift, operator_id: int) -> None:
    if shift.operator_id != operator_id:
        raise RoleForbidden("只能结自己的班", detail_en="only the shift's cashier closes it")


def require_no_pending_writes(session: Session, shift_id: int) -> None:
    """PENDING_INTENTS naming each unfinished card write of the shift (`.data["intents"]`)."""
    pending: list[dict[str, Any]] = [  # the error's `data` (UserFacingError.data)
        {"intent_id": intent.intent_id, "state": state, "amount_fen": intent.amount_fen,
         "account_id": intent.account_id}
        for intent, state in unfinished_intents(session)
        if intent.shift_id == shift_id and state in WRITE_PENDING_STATES
    ]  # fmt: skip
    if pending:
        ids = ", ".join(p["intent_id"] for p in pending)
        raise PendingIntents(ids, data={"intents": pending})


# --- totals ----------------------------------------------------------------------------------


def totals_of(session: Session, shift_id: int, entries: list[EntryRow] | None = None) -> ShiftTotals:
    entries = shift_entries(session, shift_id) if entries is None else entries
    by_charge: dict[str, int] = {}
    by_tender: dict[str, int] = {}
    for e in entries:
        if e.kind in DRAWER_KINDS:
            by_charge[e.line] = by_charge.get(e.line, 0) + e.fen
            if e.tender:
                by_tender[e.tender] = by_tender.get(e.tender, 0) + e.fen
    return ShiftTotals(
        by_charge={k: by_charge[k] for k in LINE_LABELS if k in by_charge},
        by_tender={k: by_tender[k] for k in TENDER_ORDER if k in by_tender},
        receipts=receipt_range(session, shift_id),
        voids=sum(1 for e in entries if e.kind == "void"),
        free_ckwh=sum(e.free_ckwh for e in entries),
    )


def receipt_range(session: Session, shift_id: int) -> tuple[str, str] | None:
    rows = session.execute(
        select(Receipt.receipt_no)
        .where(Receipt.shift_id == shift_id, Receipt.series == MAIN_SERIES)
        .order_by(Receipt.seq)
    ).scalars().all()  # fmt: skip
    return (rows[0], rows[-1]) if rows else None


def x_report(ctx: OpContext, session: Session, *, shift_id: int) -> ShiftTotals:
    """中途自查 taken by `ctx`'s operator: the totals so far, logged. The shift stays open."""
    require_open_shift(session, shift_id)
    session.add(XReportLog(shift_id=shift_id, at=ctx.now(), operator_id=ctx.operator_id))
    session.flush()
    return totals_of(session, shift_id)


def x_report_times(session: Session, shift_id: int) -> list[datetime]:
    return list(
        session.execute(
            select(XReportLog.at).where(XReportLog.shift_id == shift_id).order_by(XReportLog.id)
        ).scalars()
    )
