"""Kept sums of the ledger: written in batches, read by the week / month / year reports (issue 16;
docs/architecture.md "Kept sums"; the tables: db/models/kept_sums.py).

    refresh_sums(engine, keys, clock)     # at a shift close, `counter-admin sums refresh`, the bench
    view = kept_view(session)             # verified batches and classes, for period_sums

A report = the kept day rows of the days asked + a live scan of the entries after the last batch
(`hi`: an index range on the primary key) + the moves of accounts whose class changed since their
entries were kept. So it returns exactly what a scan of every entry returns, whatever was or was not
refreshed, and a report never writes.

Writing. Each batch is its own short write transaction, never across I/O; its id range is a chunk
sized so the transaction stays well under a second (`TARGET_CHUNK_S`), so other counters keep
selling between chunks. It covers (lo, hi] up to the watermark (db.queries.kept_sums: on
PostgreSQL no open transaction can still commit an id below it). On PostgreSQL the batch also holds
the audit chain's lock: two refreshes never write the same range, and no class change (always
audited) commits while a batch reads the accounts.

Class. Today's reports group an entry by its account's CURRENT class's group, and an account's
class can change (confirm_class, the yearly import), as can a class's group. So the sums are kept
per class CODE (the group is folded in when read, from the checked card classes), and `sum_classes`
says under which (class, has account) each account's entries are kept. A batch first moves the
earlier entries of every account whose class changed (minus under the old, plus under the new,
found through the index on account_id), then adds its own range; until then a report makes the
same move on the fly. Entries with old dates (a legacy import) are just entries with high ids.

Trust (DOMAIN "Trust in the records"): every batch is sealed and counted by the row census; its
sum rows and class rows are checked against the digests it carries when they are read, and rows
dated in the range that belong to no batch covering it are refused. `verify_sums` (run by `audit
verify`) also recomputes every kept sum from the ledger.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, insert, select
from sqlalchemy.orm import Session

from base.clock import BUSINESS_TZ, Clock
from base.errors import UserFacingError
from counter_app import audit, row_census, row_seals, seals
from counter_app.keystore import Keys
from db.models.kept_sums import DaySum, SumBatch, SumClass
from db.queries import kept_sums as q
from db.queries.security import lock_audit_appends
from db.session import unit_of_work

TARGET_CHUNK_S = 0.4  # a batch's transaction; the write lock is held ≤ 1 s at a time (issue 16)
FIRST_CHUNK = 50_000  # ledger ids; then sized from the time the last chunk took
MAX_CHUNK = 2_000_000
Key = tuple[date, str, str | None, str | None, bool]  # day, kind, charge, class code, has account
Sums = dict[Key, list[int]]  # count, fen, energy, free
Kept = tuple[str | None, bool]  # (class code, has account) an account's entries are kept under


# --- buckets: the business-local day of an entry ------------------------------------------------


def day_bucketing(start: datetime, end: datetime) -> tuple[str, int, bool]:
    """(SQL unit, minutes to add, shifted) for local days of moments in [start, end]: the day in SQL
    when the zone's offset is constant there, else the UTC hour, made local here (period_sums)."""
    from counter_app.settlement.period_sums import constant_offset

    offset = constant_offset(start, end)
    if offset is not None and offset % timedelta(minutes=1) == timedelta(0):
        return "day", offset // timedelta(minutes=1), True
    return "hour", 0, False


def local_day(text: str, shifted: bool) -> date:
    if shifted:
        return date.fromisoformat(text[:10])
    moment = datetime.strptime(text, "%Y-%m-%d %H").replace(tzinfo=UTC)
    return moment.astimezone(BUSINESS_TZ).date()


def _span_bucketing(session: Session, *where: Any) -> tuple[str, int, bool] | None:
    first, last = q.ledger_span(session, *where)
    if first is None or last is None:
        return None
    return day_bucketing(first, last + timedelta(seconds=1))


def _add(sums: Sums, key: Key, values: Iterable[Any], sign: int = 1) -> None:
    row = sums.setdefault(key, [0, 0, 0, 0])
    for i, v in enumerate(values):
        row[i] += sign * int(v or 0)  # int(): PostgreSQL's SUM of a BIGINT is NUMERIC


# --- digests -------------------------------------------------------------------------------------

_SUM_FIELDS = ("day", "kind", "charge", "cls", "has_account", "count", "fen", "energy_ckwh", "free_ckwh")
_CLASS_FIELDS = ("account_id", "cls", "has_account")


def digest_of(rows: Iterable[Mapping[str, Any]], fields: tuple[str, ...]) -> str:
    """SHA-256 over the rows' fields, order-free (sorted lines): the digest a batch carries."""
    lines = sorted("\x1f".join(_text(row[f]) for f in fields) for row in rows)
    return hashlib.sha256("\x1e".join(lines).encode()).hexdigest()


def _text(value: Any) -> str:
    if value is None:
        return "\x00"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


# --- reading: the verified batches ------------------------------------------------------------------


@dataclass(frozen=True)
class KeptView:
    batches: tuple[Mapping[str, Any], ...]  # chain order, seals checked
    kept: dict[int, Kept]  # per account, the class its entries are kept under
    hi: int  # entries with id <= hi are in the sums


def kept_view(session: Session) -> KeptView:
    """The batches (seals, chain, census) and the classes they keep accounts under (digests),
    refused with TAMPERED when anything was changed behind the software's back."""
    batches = q.sum_batches(session)
    table = SumBatch.__table__
    previous_hi = 0
    for n, batch in enumerate(batches, start=1):
        row_seals.check_values(session, table, batch)
        if batch["seq"] != n or batch["lo"] != previous_hi:
            raise seals.tampered(session, "sum_batches", batch["id"])
        previous_hi = batch["hi"]
    row_census.check_census_of(session, table.name, len(batches))
    kept = _kept_classes(session, batches)
    return KeptView(tuple(batches), kept, previous_hi)


def _kept_classes(session: Session, batches: list[Mapping[str, Any]]) -> dict[int, Kept]:
    by_batch: dict[int, list[Mapping[str, Any]]] = {b["id"]: [] for b in batches}
    kept: dict[int, Kept] = {}
    for row in q.sum_class_rows(session):
        if row["batch_id"] not in by_batch:
            raise seals.tampered(session, "sum_classes", row["id"])
        by_batch[row["batch_id"]].append(row)
        kept[row["account_id"]] = (row["cls"], bool(row["has_account"]))
    for b in batches:
        rows = by_batch[b["id"]]
        if len(rows) != b["class_rows"] or digest_of(rows, _CLASS_FIELDS) != b["classes_digest"]:
            raise seals.tampered(session, "sum_classes", f"batch {b['id']}")
    return kept


def kept_day_rows(session: Session, view: KeptView, first: date, last: date) -> list[Mapping[str, Any]]:
    """The kept rows dated first..last, each batch they come from checked whole against its digest."""
    if q.day_sums_astray(session, first, last):
        raise seals.tampered(session, "day_sums", f"{first}..{last}")
    overlapping = [
        b for b in view.batches if b["sum_rows"] and b["first_day"] <= last and b["last_day"] >= first
    ]
    by_batch: dict[int, list[Mapping[str, Any]]] = {b["id"]: [] for b in overlapping}
    for row in q.day_sum_rows(session, first, last):
        by_batch.setdefault(row["batch_id"], []).append(row)
    if len(by_batch) != len(overlapping):  # rows of a batch that covers no row (or is not in the chain)
        raise seals.tampered(session, "day_sums", f"{first}..{last}")
    out = []
    for b in overlapping:
        rows = by_batch[b["id"]]
        if len(rows) != b["sum_rows"] or digest_of(rows, _SUM_FIELDS) != b["sums_digest"]:
            raise seals.tampered(session, "day_sums", f"batch {b['id']}")
        out += [r for r in rows if first <= r["day"] <= last]
    return out


def changed_accounts(session: Session, kept: Mapping[int, Kept]) -> dict[int, tuple[Kept, Kept]]:
    """Accounts whose (class, has account) is no longer the one their entries are kept under:
    {account id: (kept, now)}."""
    now = q.account_classes(session)
    return {a: (k, now[a]) for a, k in kept.items() if a in now and now[a] != k}


def moved_sums(session: Session, changed: Mapping[int, tuple[Kept, Kept]], up_to: int, *where: Any) -> Sums:
    """The move of the changed accounts' kept entries (id <= up_to, and `where`): minus under the
    class they are kept under, plus under the one they have now."""
    sums: Sums = {}
    ids = sorted(changed)
    if not ids or up_to <= 0:
        return sums
    from db.models.ledger import LedgerEntry

    bucketing = _span_bucketing(session, LedgerEntry.account_id.in_(ids), LedgerEntry.id <= up_to, *where)
    if bucketing is None:
        return sums
    unit, minutes, shifted = bucketing
    for text, kind, charge, account_id, *values in q.ledger_account_bucket_rows(
        session, ids, up_to, unit, minutes, *where
    ):
        day = local_day(text, shifted)
        (old_cls, old_has), (new_cls, new_has) = changed[account_id]
        _add(sums, (day, kind, charge, old_cls, old_has), values, -1)
        _add(sums, (day, kind, charge, new_cls, new_has), values)
    return sums


# --- writing ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Refreshed:
    batches: int  # written by this refresh
    entries: int  # ledger entries they cover
    longest_chunk_s: float  # the longest batch transaction (wall time)
    deferred: bool  # PostgreSQL: a ledger transaction was open, nothing could be covered (retry later)
    hi: int  # entries with id <= hi are kept now


def refresh_sums(
    engine: Engine, keys: Keys, clock: Clock, *, max_batches: int | None = None, budget_s: float | None = None
) -> Refreshed:
    """Write batches until the kept sums reach the watermark, or `max_batches` are written, or
    `budget_s` seconds have gone (the rest is left for the next refresh: reports stay exact)."""
    began = time.perf_counter()
    with unit_of_work(engine) as s:  # its own transaction: its PostgreSQL lock ends with it
        watermark = q.ledger_watermark(s)
    written = entries = 0
    longest, chunk, hi = 0.0, FIRST_CHUNK, 0
    known: list[KeptView] = []  # the view as this refresh left it (checked once, then carried)
    while max_batches is None or written < max_batches:
        started = time.perf_counter()
        if budget_s is not None and started - began >= budget_s:
            break
        with audit.recording_refusals(engine, keys=keys) as s:
            hi, covered, wrote = _write_batch(s, clock, watermark, chunk, known)
        took = time.perf_counter() - started
        if not wrote:
            break
        written, entries, longest = written + 1, entries + covered, max(longest, took)
        # Size the next chunk from this one (ids per second), within bounds.
        rate = max(covered, 1) / max(took, 1e-3)
        chunk = int(min(MAX_CHUNK, max(1_000, min(chunk * 4, rate * TARGET_CHUNK_S))))
    return Refreshed(written, entries, longest, watermark is None, hi)


def _current_view(s: Session, known: list[KeptView]) -> KeptView:
    """The verified view: the one this refresh carried when the newest batch is still the one it
    wrote last (its seal checked), else read and checked whole (another writer came between)."""
    last = q.last_sum_batch(s)
    if known and last is not None and known[0].batches and dict(last) == dict(known[0].batches[-1]):
        row_seals.check_values(s, SumBatch.__table__, last)
        return known[0]
    return kept_view(s)


def _write_batch(
    s: Session, clock: Clock, watermark: int | None, chunk: int, known: list[KeptView]
) -> tuple[int, int, bool]:
    """One batch in the caller's transaction: (kept up to, entries covered, whether one was due)."""
    lock_audit_appends(s)  # PostgreSQL: one writer; no class change commits under us
    view = _current_view(s, known)
    lo = view.hi
    hi = lo if watermark is None else max(lo, min(lo + chunk, watermark))
    now = q.account_classes(s)
    changed = {a: (k, now[a]) for a, k in view.kept.items() if a in now and now[a] != k}
    if hi == lo and not changed:
        return lo, 0, False
    sums = moved_sums(s, changed, lo)
    covered = _range_sums(s, lo, hi, sums)
    # Accounts not kept yet are kept under their class now (this batch adds their entries so);
    # the changed ones under their new class (the move above).
    classes = {a: c for a, c in now.items() if view.kept.get(a) != c}
    batch = _insert_batch(s, clock, len(view.batches) + 1, lo, hi, covered, sums, classes)
    known[:] = [KeptView((*view.batches, batch), view.kept | classes, hi)]
    return hi, covered, True


def _range_sums(s: Session, lo: int, hi: int, sums: Sums) -> int:
    """Add the entries lo < id <= hi to `sums` by their accounts' classes now; how many there are."""
    from db.models.ledger import LedgerEntry

    bucketing = _span_bucketing(s, LedgerEntry.id > lo, LedgerEntry.id <= hi) if hi > lo else None
    if bucketing is None:
        return 0
    unit, minutes, shifted = bucketing
    covered = 0
    for text, kind, charge, cls, has, *values in q.ledger_class_bucket_rows(s, lo, hi, unit, minutes):
        _add(sums, (local_day(text, shifted), kind, charge, cls, bool(has)), values)
        covered += int(values[0])
    return covered


def _insert_batch(s: Session, clock: Clock, seq: int, lo: int, hi: int, covered: int, sums: Sums,
                  classes: Mapping[int, Kept]) -> Any:  # fmt: skip
    sum_rows: list[dict[str, Any]] = [dict(zip(_SUM_FIELDS, (*key, *values), strict=True))
                                      for key, values in sums.items() if any(values)]  # fmt: skip
    class_rows = [{"account_id": a, "cls": c, "has_account": h} for a, (c, h) in sorted(classes.items())]
    days = [key[0] for key, values in sums.items() if any(values)]
    batch = SumBatch(seq=seq, lo=lo, hi=hi, entries=covered, sum_rows=len(sum_rows),
                     sums_digest=digest_of(sum_rows, _SUM_FIELDS), class_rows=len(class_rows),
                     classes_digest=digest_of(class_rows, _CLASS_FIELDS), first_day=min(days, default=None),
                     last_day=max(days, default=None), at=clock())  # fmt: skip
    s.add(batch)
    s.flush()  # the batch's id; sealed and counted by row_seals' ORM events
    for model, rows in ((DaySum, sum_rows), (SumClass, class_rows)):
        if rows:
            s.execute(insert(model), [{**r, "batch_id": batch.id} for r in rows])
            table = model.__table__
            written = s.execute(select(table).where(table.c.batch_id == batch.id)).mappings().all()
            row_seals.seal_inserted(s, model, written)
    table = SumBatch.__table__
    return s.execute(select(table).where(table.c.id == batch.id)).mappings().one()


CLOSE_BUDGET_S = 2.0  # at a shift close the cashier waits: years of backlog go in later closes


def refresh_quietly(engine: Engine, keys: Keys, clock: Clock) -> Refreshed | None:
    """After a shift close: the sums brought up to date, for at most CLOSE_BUDGET_S (a shift's
    entries take a batch or two; a database upgraded with years of entries catches up over several
    closes, or at once with `counter-admin sums refresh`). A failure is logged, never raised (the
    reports stay exact without it: the live tail is just longer)."""
    import logging

    try:
        return refresh_sums(engine, keys, clock, budget_s=CLOSE_BUDGET_S)
    except Exception:
        logging.getLogger(__name__).exception("kept sums: refresh failed (reports scan the tail)")
        return None


# --- verifying: every kept sum recomputed from the ledger -------------------------------------------


def verify_sums(session: Session) -> list[str]:
    """What is wrong with the kept sums (for `audit verify`; the seals and the census of their rows
    are checked with every sealed table): the chain, the digests, and every sum against the ledger
    recomputed under the classes the accounts are kept under."""
    try:
        view = kept_view(session)
        rows = kept_day_rows(session, view, date.min, date.max)
    except UserFacingError as error:
        return [f"汇总表被改动：{error}"]
    kept: Sums = {}
    for r in rows:
        key: Key = (r["day"], r["kind"], r["charge"], r["cls"], bool(r["has_account"]))
        _add(kept, key, (r[f] for f in _SUM_FIELDS[5:]))
    problems = []
    from db.models.ledger import LedgerEntry

    ledger: Sums = {}
    bucketing = _span_bucketing(session, LedgerEntry.id <= view.hi) if view.hi else None
    if bucketing is not None:
        unit, minutes, shifted = bucketing
        for text, kind, charge, cls, has, missing, *values in q.ledger_kept_class_bucket_rows(
            session, view.hi, unit, minutes
        ):
            if missing:
                problems.append(f"汇总表没有记下账户的类别（{kind} {charge} {text}）")
            _add(ledger, (local_day(text, shifted), kind, charge, cls, bool(has)), values)
    if sum(b["entries"] for b in view.batches) != q.ledger_count(session, view.hi):
        problems.append(f"汇总批次所计的流水笔数与流水账（编号 ≤ {view.hi}）不符")
    ledger = {k: v for k, v in ledger.items() if any(v)}
    kept = {k: v for k, v in kept.items() if any(v)}
    for key in sorted(set(ledger) | set(kept), key=str):
        if ledger.get(key) != kept.get(key):
            day, kind, charge, cls, has = key
            problems.append(
                f"汇总与流水账不符：{day} {kind} {charge} {cls} 汇总 {kept.get(key)}，流水 {ledger.get(key)}"
            )
    return problems
