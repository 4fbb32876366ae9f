"""Flagging writes whose time goes back (issue "Counter operations" §4).

If someone sets the PC's clock back during a shift, the counter keeps working: receipt numbers come
from a counter row (db/numbering.py) and the audit chain from its sequence, so neither depends on
the time. But the times written from then on are earlier than times already written, and a person
reading the ledger or the receipts would see them out of order. So every such write is flagged
with a `ClockMark` (db/models/clock.py) for the supervisor's morning list:

- a ledger entry or a receipt: its time is earlier than the latest ledger entry (receipt) already
  written by the SAME workstation (one PC, one clock: any step back is a step back);
- any other audited write: its audit entry's time is earlier than the latest entry of the same
  workstation, or earlier than the latest entry of the whole chain by more than the tolerated skew
  between PCs (setting `clock_skew_max_s`; open_counter refuses a PC further off than that).

Hooked into `counter_app.audit.record`, which every audited insert passes through, so no area can
forget it. The mark itself is audited (its own entry is not checked again).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, NamedTuple, Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from counter_app import flushed_rows, settings
from db import transaction_memo
from db.models.clock import ClockMark
from db.models.ledger import LedgerEntry
from db.models.receipts import Receipt
from db.models.security import AuditEntry
from db.queries.security import chain_latest_times, latest_ledger_time, latest_receipt_time

REASON = "clock went back"


class Entry(Protocol):
    """An audit entry just appended (counter_app.audit.Appended): what the checks read of it."""

    @property
    def sequence(self) -> int: ...
    @property
    def at(self) -> datetime: ...
    @property
    def actor_id(self) -> int | None: ...
    @property
    def workstation(self) -> str | None: ...
    @property
    def subject_table(self) -> str | None: ...
    @property
    def subject_id(self) -> int | None: ...


Record = Callable[..., Any]  # counter_app.audit.record


def after_append(session: Session, entry: Entry, subject: Any, record: Record) -> ClockMark | None:
    """Called by audit.record after `entry` (for `subject`) is inserted; the mark written, if any."""
    if isinstance(subject, ClockMark):
        _fold(session, entry)
        return None
    found = _went_back(session, entry, subject)
    _fold(session, entry)
    if found is None:
        return None
    what, at, latest = found
    mark = ClockMark(
        what=what, subject_table=entry.subject_table, subject_id=entry.subject_id,
        audit_sequence=entry.sequence, workstation=entry.workstation, at=at, latest_at=latest,
        reason=REASON,
    )  # fmt: skip
    session.add(mark)
    session.flush()
    record(session, kind="clock.went_back", actor_id=entry.actor_id, workstation=entry.workstation,
           subject=mark, payload={"what": what, "audit_sequence": entry.sequence}, clock=lambda: at)  # fmt: skip
    return mark


def judged_alone(subject: Any) -> bool:
    """Subjects `audit.record_many` must leave to `record` (their checks read their own rows)."""
    return isinstance(subject, (LedgerEntry, Receipt, ClockMark))


def went_back_in_batch(session: Session, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`_chain_went_back` for consecutive new entries (not yet inserted): the latest times before
    the batch are read once and carried along, so the rule is the same as entry by entry."""
    if not entries:
        return []
    first = entries[0]["sequence"]
    before = AuditEntry.sequence < first
    latest = session.scalar(select(func.max(AuditEntry.at)).where(before))
    latest = _aware(latest) if latest is not None else None
    own: dict[str | None, datetime | None] = {}
    skew = timedelta(seconds=_skew_s(session))
    flagged = []
    for entry in entries:
        ws, at = entry["workstation"], _aware(entry["at"])
        if ws not in own:
            found = session.scalar(
                select(func.max(AuditEntry.at)).where(before, AuditEntry.workstation == ws)
            )
            own[ws] = _aware(found) if found is not None else None
        mine = own[ws]
        if mine is not None and at < mine:
            flagged.append({**entry, "latest": mine})
        elif latest is not None and at < latest - skew:
            flagged.append({**entry, "latest": latest})
        own[ws] = at if mine is None else max(mine, at)
        latest = at if latest is None else max(latest, at)
    forget_maxima(session)  # the batch's entries are not in the carried times
    return flagged


def mark_batch(session: Session, flagged: list[dict[str, Any]], record: Record) -> None:
    """The marks of `went_back_in_batch`, written after the batch's entries are in."""
    for entry in flagged:
        mark = ClockMark(
            what="audit_entry", subject_table=entry["subject_table"], subject_id=entry["subject_id"],
            audit_sequence=entry["sequence"], workstation=entry["workstation"], at=entry["at"],
            latest_at=entry["latest"], reason=REASON,
        )  # fmt: skip
        session.add(mark)
        session.flush()
        record(session, kind="clock.went_back", actor_id=entry["actor_id"], workstation=entry["workstation"],
               subject=mark, payload={"what": "audit_entry", "audit_sequence": entry["sequence"]},
               clock=lambda at=entry["at"]: at)  # fmt: skip


def _went_back(session: Session, entry: Entry, subject: Any) -> tuple[str, datetime, datetime] | None:
    if isinstance(subject, LedgerEntry) and _first_mention(session, entry, subject):
        return _ledger_went_back(session, subject)
    if isinstance(subject, Receipt) and _first_mention(session, entry, subject):
        return _receipt_went_back(session, subject)
    return _chain_went_back(session, entry)


def _ledger_went_back(session: Session, row: LedgerEntry) -> tuple[str, datetime, datetime] | None:
    workstation_id = row.workstation_id
    if workstation_id is None or row.kind == "legacy_purchase":  # legacy rows carry old dates
        return None
    latest = _row_latest(session, "ledger_entries", workstation_id, row.at,
                         lambda: latest_ledger_time(session, workstation_id, other_than=row.id))  # fmt: skip
    return ("ledger_entry", row.at, latest) if latest is not None and _aware(row.at) < latest else None


def _receipt_went_back(session: Session, row: Receipt) -> tuple[str, datetime, datetime] | None:
    latest = _row_latest(session, "receipts", row.workstation_id, row.issued_at,
                         lambda: latest_receipt_time(session, row.workstation_id, other_than=row.id))  # fmt: skip
    if latest is not None and _aware(row.issued_at) < latest:
        return "receipt", row.issued_at, latest
    return None


# --- a workstation's latest receipt and ledger times within one transaction --------------------
# Carried like the chain's times: read with the head when a transaction's first append is for a
# receipt or a ledger entry (a sale's commit: its receipt; `row_probe`), else asked once, then each
# row judged is folded in. What is carried is "the latest such row written before this one" as long
# as every receipt and ledger entry of the transaction is judged as it is written — every one passes
# `add_audited` or `ctx.audit` right after its insert (judged_alone keeps them out of bulk appends).

_ROW_MAXIMA = "row_time_maxima"  # (table, workstation id) -> latest time or None


class RowProbe(NamedTuple):
    workstation_id: int
    receipt_id: int  # the row to leave out of the receipts' latest time (-1: none)
    ledger_id: int


def row_probe(subject: Any) -> RowProbe | None:
    """What the first append's head read should also ask, given its subject."""
    if isinstance(subject, Receipt) and subject.workstation_id is not None:
        return RowProbe(subject.workstation_id, subject.id, -1)
    if isinstance(subject, LedgerEntry) and subject.workstation_id is not None:
        return RowProbe(subject.workstation_id, -1, subject.id)
    return None


def seed_row_maxima(session: Session, workstation_id: int, receipt_latest: Any, ledger_latest: Any) -> None:
    carried: dict[tuple[str, int], datetime | None] = transaction_memo.recall_or_keep(
        session, _ROW_MAXIMA, dict
    )
    carried.setdefault(("receipts", workstation_id), _aware_or_none(receipt_latest))
    carried.setdefault(("ledger_entries", workstation_id), _aware_or_none(ledger_latest))


def _row_latest(
    session: Session, table: str, workstation_id: int, at: datetime, ask: Callable[[], Any]
) -> datetime | None:
    """The workstation's latest `table` time before the row being judged (time `at`), carried or
    asked once; then `at` is folded in for the next row of the transaction."""
    carried: dict[tuple[str, int], datetime | None] = transaction_memo.recall_or_keep(
        session, _ROW_MAXIMA, dict
    )
    slot = (table, workstation_id)
    latest = carried[slot] if slot in carried else _aware_or_none(ask())
    mine = _aware(at)
    carried[slot] = mine if latest is None else max(latest, mine)
    return latest


def _aware_or_none(moment: Any) -> datetime | None:
    return None if moment is None else _aware(moment)


def _chain_went_back(session: Session, entry: Entry) -> tuple[str, datetime, datetime] | None:
    own, latest = _chain_maxima(session, entry)
    if own is not None and _aware(entry.at) < own:
        return "audit_entry", entry.at, own
    if latest is not None and _aware(entry.at) < latest - timedelta(seconds=_skew_s(session)):
        return "audit_entry", entry.at, latest
    return None


# --- the chain's latest times within one transaction -------------------------------------------
# The append lock (audit.py) is held from a transaction's first append to its end, so nobody else
# appends meanwhile: once an append has read the chain's latest times, each further append of the
# transaction knows them without asking (a sale appends five entries; issue 16) — every append is
# folded in (`_fold`). Kept with the root transaction, like the carried head; a commit or a rollback
# forgets them, and so does a bulk append (record_many), which reads them itself.

_MAXIMA = "chain_time_maxima"  # (db/transaction_memo.py)


@dataclass
class _Maxima:
    latest: datetime | None
    own: dict[str | None, datetime | None] = field(default_factory=dict)


def _carried(session: Session) -> _Maxima | None:
    carried: _Maxima | None = transaction_memo.recall(session, _MAXIMA)
    return carried


def _chain_maxima(session: Session, entry: Entry) -> tuple[datetime | None, datetime | None]:
    """The latest time of `entry`'s workstation and of the whole chain, before `entry`."""
    carried = _carried(session)
    if carried is not None and entry.workstation in carried.own:
        return carried.own[entry.workstation], carried.latest
    # `entry` is the newest entry of the chain (inserted), so "later than any entry before it" is
    # "later than the max over all entries" (its own time cannot exceed itself). Without a sequence
    # filter the max is one index probe (ix_audit_log_at, ix_audit_log_workstation_at) instead of a
    # scan that grew with the chain (docs/benchmarks.md, import). Both maxima in one statement (one
    # round trip on PostgreSQL), each still its own index probe.
    own, latest = chain_latest_times(session, entry.workstation)
    own = _aware(own) if own is not None else None
    latest = _aware(latest) if latest is not None else None
    # Read with `entry` in: a max it raised is its own time, which it is not before.
    carried = transaction_memo.keep(session, _MAXIMA, _Maxima(latest, dict(carried.own) if carried else {}))
    carried.own[entry.workstation] = own
    return own, latest


def seed_maxima(session: Session, workstation: str | None, own: Any, latest: Any) -> None:
    """The latest times read with the head (audit._locked_head), before this transaction's first
    entry: "earlier than the max before it" is the same test as `_chain_maxima`'s "earlier than the
    max with it in", so the first append asks nothing more. Kept unless already carried."""
    if _carried(session) is None:
        maxima = _Maxima(_aware(latest) if latest is not None else None)
        maxima.own[workstation] = _aware(own) if own is not None else None
        transaction_memo.keep(session, _MAXIMA, maxima)


def _fold(session: Session, entry: Entry) -> None:
    """Keep the carried times true after `entry` was appended."""
    carried = _carried(session)
    if carried is None:
        return
    at = _aware(entry.at)
    if entry.workstation in carried.own:
        own = carried.own[entry.workstation]
        carried.own[entry.workstation] = at if own is None else max(own, at)
    carried.latest = at if carried.latest is None else max(carried.latest, at)


def forget_maxima(session: Session) -> None:
    transaction_memo.forget(session, _MAXIMA)
    transaction_memo.forget(session, _ROW_MAXIMA)


def _first_mention(session: Session, entry: Entry, subject: Any) -> bool:
    """A ledger entry or receipt is judged when it is written, not when it is re-chained later."""
    if flushed_rows.inserted_here(session, subject):
        return True  # nothing written before this transaction can name a row inserted in it
    earlier = session.scalar(
        select(AuditEntry.sequence).where(
            AuditEntry.subject_table == entry.subject_table, AuditEntry.subject_id == entry.subject_id,
            AuditEntry.sequence < entry.sequence,
        ).limit(1)
    )  # fmt: skip
    return earlier is None


def _skew_s(session: Session) -> int:
    try:
        return int(settings.get_setting(session, "clock_skew_max_s"))
    except Exception:  # a database being set up has no settings yet; the default is the rule
        return 120


def _aware(moment: datetime) -> datetime:
    """SQLite's max() returns text or a naive value on some paths; compare as aware UTC."""
    from datetime import UTC

    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def clock_back_marks(session: Session, since: datetime) -> list[ClockMark]:
    """Marks of writes on or after `since` — by either time they involve, since one of them is
    wrong — oldest first by insertion (times cannot be trusted to order them)."""
    stmt = (
        select(ClockMark)
        .where((ClockMark.at >= since) | (ClockMark.latest_at >= since))
        .order_by(ClockMark.id)
    )
    return list(session.scalars(stmt))
