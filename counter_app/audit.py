"""The audit chain: an HMAC-SHA256 chain over every money, card, approval, login, settings and
operator event (notes/reliability.md §3).

Each entry holds: sequence (1, 2, …), time, event kind, actor, workstation, the subject row
(table + id) with a digest of all its columns, the payload as canonical JSON, the previous MAC and
    MAC = HMAC(audit key, prev_mac || canonical entry).
The first entry's prev_mac is 64 zeros.

`verify` recomputes the chain and then re-reads subject rows:
- an edited, inserted, deleted or reordered entry breaks the MAC/sequence/prev_mac checks;
- an UPDATEd subject row no longer matches the digest in the *latest* entry that names it (a
  legitimate update, e.g. disabling an operator, is always followed by a new entry);
- a DELETEd subject row is missing;
- a row INSERTed into an audited table behind the software's back has no entry at all. A table is
  audited when its `Table.info["audited"]` is true: declare `__table_args__ = ({"info":
  {"audited": True}},)` on the model, or call `register_audited_table(Model)` at import;
- a truncated tail is caught only against a head kept elsewhere: the Z report prints
  `chain_head()`, and `verify(expected_head=…)` compares.

Concurrency: on PostgreSQL an append takes an advisory lock (db.queries.security.lock_audit_appends),
held to the end of the appending transaction, so two counters never read the same head; on SQLite the write
transaction (BEGIN IMMEDIATE) already serialises writers. In both, UNIQUE(sequence) and
UNIQUE(prev_mac) make a fork impossible to store even if that discipline were broken.

Refusals of security interest (wrong password, forged approval…) must be recorded although the
operation's transaction rolls back. The refusing code attaches a writer to the error
(`attach_refusal`); whoever owns the transaction calls `persist_refusal` after the rollback
in a new transaction (`recording_refusals(engine, keys=…)` is `unit_of_work` doing both).
"""

from __future__ import annotations

import functools
import hmac
import importlib
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from hashlib import sha256
from typing import Any, NamedTuple

from sqlalchemy import Engine, Insert, RowMapping, Table, insert, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session

from base.canonical import canonical_json
from base.clock import Clock
from base.errors import UserFacingError
from counter_app import clock_watch, flushed_rows, row_seals
from counter_app.keystore import Keys, bind_keys, keys_of
from db import transaction_memo
from db.base import Base
from db.models.security import AuditEntry
from db.queries.security import (
    audit_chain_head,
    chain_head_and_times,
    chain_head_times_and_rows,
    lock_audit_appends,
)
from db.session import unit_of_work

log = logging.getLogger(__name__)

GENESIS_MAC = "0" * 64
# An arbitrary constant naming "the audit chain" among PostgreSQL advisory locks.


class RowRef(NamedTuple):
    """A subject written by a Core bulk insert (no ORM object): its table and id, for `record_many`.
    `row`: the whole row as stored in this transaction, nothing written since — read back from the
    database, or the whole values just inserted (db.bulk.complete_row, with their db.bulk.reserve_ids);
    its digest is taken from it instead of reading it again."""

    table: Table
    id: int
    row: Mapping[str, Any] | RowMapping | None = None


class BadEntry(NamedTuple):
    sequence: int | None  # None: a row with no audit entry at all (inserted behind our back)
    reason: str


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    entries_checked: int
    first_bad: BadEntry | None
    head: tuple[int, str]
    problems: tuple[BadEntry, ...] = ()


# --- registration ------------------------------------------------------------------------------


def register_audited_table(model: Any) -> None:
    """Mark a model (or Table) as audited: each of its rows must be named by an audit entry."""
    table = model if isinstance(model, Table) else model.__table__
    table.info["audited"] = True


def audited_tables(metadata: Any = None) -> list[Table]:
    metadata = metadata or Base.metadata
    return [t for t in metadata.sorted_tables if t.info.get("audited")]


# --- digests and MACs -------------------------------------------------------------------------


def row_digest(table: Table, row: Mapping[str, Any] | RowMapping) -> str:
    """SHA-256 of all the row's columns, canonical (sorted names, ints, strings, UTC ISO times)."""
    return sha256(canonical_json({col.name: row[col.name] for col in table.columns})).hexdigest()


def _entry_bytes(entry: Mapping[str, Any] | RowMapping) -> bytes:
    fields = (
        "sequence", "at", "kind", "actor_id", "workstation",
        "subject_table", "subject_id", "subject_digest", "payload_json",
    )  # fmt: skip
    return canonical_json({name: entry[name] for name in fields})


def _mac(key: bytes, prev_mac: str, entry: Mapping[str, Any] | RowMapping) -> str:
    try:
        prev = bytes.fromhex(prev_mac)
    except ValueError:
        prev = prev_mac.encode("utf-8", "replace")
    return hmac.new(key, prev + _entry_bytes(entry), sha256).hexdigest()


def _pk_column(table: Table) -> Any:
    (column,) = table.primary_key.columns
    return column


def _read_row(session: Session, table: Table, row_id: int) -> RowMapping | None:
    return session.execute(select(table).where(_pk_column(table) == row_id)).mappings().first()


# --- appending ---------------------------------------------------------------------------------


def record(
    session: Session,
    *,
    kind: str,
    actor_id: int | None,
    workstation: str | None,
    subject: Any = None,
    payload: Mapping[str, Any],
    clock: Clock,
) -> Appended:
    """Append one entry. Call it when `subject` (an ORM row) has its final state in this
    transaction: the digest is taken from the database now."""
    key = keys_of(session).audit_hmac
    session.flush()
    fields: dict[str, Any] = {
        "at": clock(), "kind": kind, "actor_id": actor_id, "workstation": workstation,
        "subject_table": None, "subject_id": None, "subject_digest": None,
        "payload_json": canonical_json(dict(payload)).decode("utf-8"),
    }  # fmt: skip
    if subject is not None:
        fields.update(_subject_fields(session, subject))
    sequence, prev_mac = _locked_head(session, workstation, subject)
    fields["sequence"] = sequence + 1
    entry = Appended(**fields, prev_mac=prev_mac, mac=_mac(key, prev_mac, fields))
    # One Core INSERT, built once, on the session's connection: nothing reads the entry back as an
    # object, and the ORM's unit of work around one insert cost more than the insert (five a
    # sale; issue 16). Sent now, so every later read of this transaction sees it.
    session.connection().execute(_insert_entry(), entry._asdict())
    _carry_head(session, entry.sequence, entry.mac)
    # A write whose time is earlier than one already written (the clock was set back) is flagged.
    clock_watch.after_append(session, entry, subject, record)
    return entry


class Appended(NamedTuple):
    """An entry `record` appended: its columns but the id (nobody needs it)."""

    sequence: int
    at: datetime
    kind: str
    actor_id: int | None
    workstation: str | None
    subject_table: str | None
    subject_id: int | None
    subject_digest: str | None
    payload_json: str
    prev_mac: str
    mac: str


@functools.cache
def _insert_entry() -> Insert:
    return insert(AuditEntry.__table__)


def record_many(
    session: Session,
    items: Sequence[tuple[str, Any, Mapping[str, Any]]],
    *,
    actor_id: int | None,
    workstation: str | None,
    clock: Clock,
) -> None:
    """Append one entry per (kind, subject, payload), exactly as `record` would one by one (same
    fields, sequence and MAC chain), but with one head read, the subject rows read in bulk and one
    insert: for imports of thousands of rows in one transaction. A subject may be an ORM row or a
    `RowRef` (a row a Core bulk insert wrote). Subjects whose append is judged
    individually by the clock watch (ledger entries, receipts, clock marks) go through `record`."""
    if any(clock_watch.judged_alone(subject) for _, subject, _ in items):
        for kind, subject, payload in items:
            record(session, kind=kind, actor_id=actor_id, workstation=workstation, subject=subject,
                   payload=payload, clock=clock)  # fmt: skip
        return
    key = keys_of(session).audit_hmac
    session.flush()
    digests = _subject_digests(session, [subject for _, subject, _ in items])
    sequence, prev_mac = _locked_head(session)
    entries = []
    for kind, subject, payload in items:
        sequence += 1
        fields: dict[str, Any] = {
            "sequence": sequence, "at": clock(), "kind": kind, "actor_id": actor_id,
            "workstation": workstation, "subject_table": None, "subject_id": None, "subject_digest": None,
            "payload_json": canonical_json(dict(payload)).decode("utf-8"),
        }  # fmt: skip
        if subject is not None:
            fields.update(digests[id(subject)])
        mac = _mac(key, prev_mac, fields)
        entries.append({**fields, "prev_mac": prev_mac, "mac": mac})
        prev_mac = mac
    went_back = clock_watch.went_back_in_batch(session, entries)
    if entries:
        session.execute(AuditEntry.__table__.insert(), entries)
        _carry_head(session, sequence, prev_mac)
    clock_watch.mark_batch(session, went_back, record)


def _subject_digests(session: Session, subjects: list[Any]) -> dict[int, dict[str, Any]]:
    """id(subject) → its subject fields, reading each table's rows in chunks."""
    by_table: dict[Table, dict[int, list[Any]]] = {}
    found: dict[int, dict[str, Any]] = {}
    for subject in subjects:
        if isinstance(subject, RowRef) and subject.row is not None:
            found[id(subject)] = {"subject_table": subject.table.name, "subject_id": subject.id,
                                  "subject_digest": row_digest(subject.table, subject.row)}  # fmt: skip
        elif isinstance(subject, RowRef):
            by_table.setdefault(subject.table, {}).setdefault(subject.id, []).append(subject)
        elif subject is not None:
            (row_id,) = sa_inspect(subject).identity
            by_table.setdefault(subject.__table__, {}).setdefault(row_id, []).append(subject)
    for table, wanted in by_table.items():
        ids, pk = sorted(wanted), _pk_column(table)
        for start in range(0, len(ids), 500):
            for row in session.execute(select(table).where(pk.in_(ids[start : start + 500]))).mappings():
                fields = {"subject_table": table.name, "subject_id": row[pk.name],
                          "subject_digest": row_digest(table, row)}  # fmt: skip
                for subject in wanted[row[pk.name]]:
                    found[id(subject)] = fields
    missing = [s for s in subjects if s is not None and id(s) not in found]
    if missing:
        name = missing[0].table.name if isinstance(missing[0], RowRef) else missing[0].__table__.name
        raise LookupError(f"audit subject {name} is not in the database")
    return found


def _subject_fields(session: Session, subject: Any) -> dict[str, Any]:
    table = subject.__table__
    (row_id,) = sa_inspect(subject).identity
    # The object just flushed, when its values are surely what the database holds (flushed_rows);
    # else the row read back.
    row = flushed_rows.flushed_row(session, subject)
    if row is None or flushed_rows.checking():
        read = _read_row(session, table, row_id)
        if read is None:
            raise LookupError(f"audit subject {table.name}#{row_id} is not in the database")
        if row is not None:
            flushed_rows.check_equal(table, row, read)
        row = dict(read)
    return {"subject_table": table.name, "subject_id": row_id, "subject_digest": row_digest(table, row)}


def chain_head(session: Session) -> tuple[int, str]:
    """(sequence, MAC hex) of the last entry, for the Z report; (0, 64 zeros) when empty."""
    carried = _carried_head(session)
    if carried is not None:
        return carried
    last = audit_chain_head(session)
    return (last.sequence, last.mac) if last else (0, GENESIS_MAC)


# --- the chain head within one transaction -------------------------------------------------------
# The first append of a transaction takes the append lock (PostgreSQL; SQLite's write transaction
# already serialises writers) and reads the head; the lock is held until the transaction ends, so
# nobody else can append meanwhile and the head this transaction wrote last IS the head. Carrying it
# saves a lock round trip and a head read per further append (a sale appends five entries; issue
# 16). Kept with the root transaction it belongs to; a rollback (of a savepoint too) or a commit
# forgets it, so a head that an undone append wrote is never used.

_HEAD = "audit_head"  # (db/transaction_memo.py)


def _locked_head(session: Session, workstation: str | None = None, subject: Any = None) -> tuple[int, str]:
    """The head this transaction appends after. The first append reads it under the append lock,
    with the chain's latest times the clock check compares the new entry with (one statement) —
    and, when its subject is a receipt or a ledger entry, the latest of those too."""
    carried = _carried_head(session)
    if carried is not None:
        return carried
    lock_audit_appends(session)
    probe = clock_watch.row_probe(subject)
    if probe is None:
        sequence, mac, own_latest, latest = chain_head_and_times(session, workstation)
    else:
        sequence, mac, own_latest, latest, receipt_latest, ledger_latest = chain_head_times_and_rows(
            session, workstation, probe.workstation_id, receipt_other_than=probe.receipt_id,
            ledger_other_than=probe.ledger_id,
        )  # fmt: skip
        if sequence is not None:
            clock_watch.seed_row_maxima(session, probe.workstation_id, receipt_latest, ledger_latest)
    clock_watch.seed_maxima(session, workstation, own_latest, latest)
    return (sequence, mac) if sequence is not None and mac is not None else (0, GENESIS_MAC)


def carries_head(session: Session) -> bool:
    """Whether this transaction appended and so knows the head without reading it."""
    return _carried_head(session) is not None


def _carried_head(session: Session) -> tuple[int, str] | None:
    carried: tuple[int, str] | None = transaction_memo.recall(session, _HEAD)
    return carried


def _carry_head(session: Session, sequence: int, mac: str) -> None:
    transaction_memo.keep(session, _HEAD, (sequence, mac))


# --- refusals that must outlive their transaction ----------------------------------------------

RefusalWriter = Callable[[Session], None]


def attach_refusal(error: UserFacingError, write: RefusalWriter) -> UserFacingError:
    error.security_refusal = write  # type: ignore[attr-defined]
    return error


def persist_refusal(session: Session, error: BaseException) -> bool:
    """Write the refusal carried by `error`, in `session`'s current (fresh) transaction."""
    write = getattr(error, "security_refusal", None)
    if write is None:
        return False
    write(session)
    return True


@contextmanager
def recording_refusals(
    engine: Engine, *, keys: Keys, info: Mapping[str, Any] | None = None
) -> Iterator[Session]:
    """`db.session.unit_of_work` with the keys bound, that keeps refusals: when the block raises
    an error carrying a refusal, the work is rolled back, then the refusal (login attempt,
    approval failure and their audit entries) is written in a transaction of its own. `info` is
    added to the session's info (who is working, for refusals raised deep inside: row_seals)."""
    try:
        with unit_of_work(engine) as session:
            bind_keys(session, keys)
            session.info.update(info or {})
            yield session
    except UserFacingError as error:
        if getattr(error, "security_refusal", None) is not None:
            with unit_of_work(engine) as session:
                bind_keys(session, keys)
                persist_refusal(session, error)
        raise


# --- verification ------------------------------------------------------------------------------


@dataclass
class _Walk:
    entries: int = 0
    head: tuple[int, str] = (0, GENESIS_MAC)
    chain_bad: BadEntry | None = None
    mac_at_expected: str | None = None


def verify(
    session: Session,
    key: bytes | None = None,
    *,
    expected_head: tuple[int, str] | None = None,
    metadata: Any = None,
) -> VerifyResult:
    """Recompute the chain and check every subject row; see the module docstring."""
    importlib.import_module("db.models")  # every model, so every audited table, is known
    key = key if key is not None else keys_of(session).audit_hmac
    metadata = metadata or Base.metadata
    latest: dict[tuple[str, int], tuple[int, str | None]] = {}
    walk = _walk_chain(session, key, latest, expected_head)
    problems = [walk.chain_bad] if walk.chain_bad else []
    problems += _check_head(walk, expected_head)
    problems += _check_subjects(session, metadata, latest)
    problems += [
        BadEntry(None, reason) for _table, reason in row_seals.verify_rows(session.connection(), key)
    ]
    # The ledger's kept sums recomputed from the ledger (deferred: kept_sums writes through audit).
    kept_sums = importlib.import_module("counter_app.settlement.kept_sums")
    problems += [BadEntry(None, reason) for reason in kept_sums.verify_sums(session)]
    first = min(problems, key=lambda p: (p.sequence is None, p.sequence or 0)) if problems else None
    return VerifyResult(not problems, walk.entries, first, walk.head, tuple(problems))


def _walk_chain(
    session: Session, key: bytes, latest: dict[tuple[str, int], tuple[int, str | None]],
    expected_head: tuple[int, str] | None,
) -> _Walk:  # fmt: skip
    walk, expected_seq, prev_mac = _Walk(), 1, GENESIS_MAC
    rows = session.execute(
        select(AuditEntry.__table__).order_by(AuditEntry.sequence).execution_options(yield_per=2000)
    ).mappings()
    for row in rows:
        walk.entries += 1
        if walk.chain_bad is None:
            walk.chain_bad = _link_problem(key, row, expected_seq, prev_mac)
        if expected_head and row["sequence"] == expected_head[0]:
            walk.mac_at_expected = row["mac"]
        if row["subject_table"] is not None:
            latest[(row["subject_table"], row["subject_id"])] = (row["sequence"], row["subject_digest"])
        expected_seq, prev_mac = row["sequence"] + 1, row["mac"]
        walk.head = (row["sequence"], row["mac"])
    return walk


def _link_problem(
    key: bytes, row: Mapping[str, Any] | RowMapping, expected_seq: int, prev_mac: str
) -> BadEntry | None:
    seq = row["sequence"]
    if seq != expected_seq:
        return BadEntry(
            min(seq, expected_seq), f"审计记录序号不连续：应为 {expected_seq}，实为 {seq}（记录被删除或插入）"
        )
    if row["prev_mac"] != prev_mac:
        return BadEntry(seq, f"第 {seq} 条与前一条不衔接（记录被删除、插入或调换）")
    if not hmac.compare_digest(_mac(key, prev_mac, row), row["mac"]):
        return BadEntry(seq, f"第 {seq} 条校验码不符（记录被修改或伪造）")
    return None


def _check_head(walk: _Walk, expected_head: tuple[int, str] | None) -> list[BadEntry]:
    if expected_head is None:
        return []
    seq, mac = expected_head
    if walk.head[0] < seq:
        return [
            BadEntry(
                walk.head[0] + 1, f"审计链只到第 {walk.head[0]} 条，日结单记录到第 {seq} 条（末尾被截断）"
            )
        ]
    if walk.mac_at_expected != mac:
        return [BadEntry(seq, f"第 {seq} 条与日结单上记录的链头不符")]
    return []


def _check_subjects(
    session: Session, metadata: Any, latest: dict[tuple[str, int], tuple[int, str | None]]
) -> list[BadEntry]:
    problems: list[BadEntry] = []
    named_tables = {name for name, _ in latest}
    tables = {t.name: t for t in audited_tables(metadata)}
    for name in sorted(named_tables - set(tables)):
        if name in metadata.tables:
            tables[name] = metadata.tables[name]
        else:
            seq = min(s for (t, _), (s, _d) in latest.items() if t == name)
            problems.append(BadEntry(seq, f"第 {seq} 条指向未知的表 {name}"))
    for table in tables.values():
        problems += _check_table(session, table, latest)
    return problems


def _check_table(
    session: Session, table: Table, latest: dict[tuple[str, int], tuple[int, str | None]]
) -> list[BadEntry]:
    pk = _pk_column(table)
    streamed = session.execute(select(table).order_by(pk).execution_options(yield_per=2000)).mappings()
    try:
        return _check_rows(table, latest, streamed, unreadable=set())
    except (ValueError, TypeError) as exc:  # a value edited into something its type cannot read
        log.info("audit verify: %s has unreadable rows (%s); reading them one by one", table.name, exc)
    unreadable: list[BadEntry] = []
    rows = _readable_rows(session, table, unreadable, latest)
    return unreadable + _check_rows(table, latest, rows, unreadable=_unreadable_ids(unreadable, table))


def _check_rows(
    table: Table, latest: dict[tuple[str, int], tuple[int, str | None]], rows: Iterable[RowMapping],
    *, unreadable: set[int],
) -> list[BadEntry]:  # fmt: skip
    problems: list[BadEntry] = []
    seen: set[int] = set(unreadable)
    pk = _pk_column(table)
    for row in rows:
        row_id = row[pk.name]
        seen.add(row_id)
        entry = latest.get((table.name, row_id))
        if entry is None:
            if table.info.get("audited"):
                problems.append(BadEntry(None, f"{table.name}#{row_id} 没有审计记录（绕过系统插入）"))
        elif entry[1] != row_digest(table, row):
            problems.append(BadEntry(entry[0], f"{table.name}#{row_id} 在第 {entry[0]} 条记录之后被修改"))
    for (name, row_id), (seq, _digest) in latest.items():
        if name == table.name and row_id not in seen:
            problems.append(BadEntry(seq, f"{table.name}#{row_id} 已被删除（第 {seq} 条记录所指）"))
    return problems


def _readable_rows(
    session: Session,
    table: Table,
    problems: list[BadEntry],
    latest: dict[tuple[str, int], tuple[int, str | None]],
) -> list[RowMapping]:
    """The rows of `table` that can be read; each one that cannot is named as a problem (it was
    changed behind the software's back into a value its column type cannot read)."""
    pk = _pk_column(table)
    rows: list[RowMapping] = []
    for row_id in session.scalars(select(pk).order_by(pk)):
        try:
            rows.append(session.execute(select(table).where(pk == row_id)).mappings().one())
        except (ValueError, TypeError):
            seq = latest.get((table.name, row_id), (None, None))[0]
            problems.append(BadEntry(seq, f"{table.name}#{row_id} 内容无法读取（记录被改坏）"))
    return rows


def _unreadable_ids(problems: list[BadEntry], table: Table) -> set[int]:
    prefix = f"{table.name}#"
    return {int(p.reason[len(prefix):].split(" ", 1)[0]) for p in problems
            if p.reason.startswith(prefix) and "内容无法读取" in p.reason}  # fmt: skip
