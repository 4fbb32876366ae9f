"""The workstation's high-water mark (issue 12 §4): what this PC has issued, kept OUTSIDE the
database, so a database that went back in time (a restore, a `pg_restore`, a copied file) is seen
and never re-issues a receipt number or sells at a purchase counter a meter has already seen.

One small signed file per workstation and installation, next to its keys (a development key file's
folder; with the OS keyring, this PC's data folder), copied to the backup target with every backup:

    {"format": "counter-high-water", "version": 1, "mac": HMAC-SHA256(key, the body's bytes)}
    {"instance_id", "workstation",
     "receipts": {series: highest seq issued here},
     "accounts": {account_no: [purchase counter, amount_fen, energy_ckwh, receipt_no]},
     "chain": [audit sequence, audit MAC hex]}

(two lines: a header, then the body exactly as MAC'd).

The key is derived from the audit key (HMAC(audit key, "counter-high-water/v1")): whoever can lower
the mark without it is refused; whoever holds the keys can forge anything anyway (docs/security.md).
The accounts map keeps only the LAST purchase this PC wrote per account (~50 bytes an account:
a few hundred KB for ten thousand accounts).

Written after each committed unit of work that took a receipt number or wrote a purchase counter
(`OpContext.uow` calls `before_commit` and `after_commit`): a temp file, fsync, `os.replace`, on a
thread of its own (base/latest_writer.py: the fsync overlaps the receipt's printing), and no facade call
returns before the mark of what it committed is on disk (counter_app/ops/door.py).
Checked at `open_counter` and before every sale (`check_database`): a receipt counter behind the
mark is advanced past it (numbers in between are never issued: a gap is better than a duplicate),
and the event is recorded (`high_water.behind` audit entry, on the supervisors' morning list).
Selling continues; nobody has to acknowledge first (a restored counter must be able to sell, and a
duplicate number is what the mark prevents). Accounts behind the mark are settled when their card
is read (counter_app/ops/card_ahead.py).

A mark that does not verify (edited, damaged) is set aside (`.bad-…`), never trusted, and recorded
(`high_water.tampered`); a missing one (a new PC, a reinstalled one) is rebuilt from the backup
target's copy when that verifies, else from the database (`high_water.started_from_database`, a
warning: the database is all there is; a workstation's very first start, having issued nothing, is
not warned about). Either way the mark is the elementwise maximum of what
is found, so nothing here can lower it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import logging
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from base.clock import Clock
from base.files import write_private_atomic
from base.latest_writer import LatestWriter
from counter_app import audit, row_seals, seals, settings
from counter_app.keystore import FileKeystore, Keys, Keystore, bind_keys
from db.models import Account
from db.models.places import Workstation
from db.models.receipts import ReceiptCounter
from db.models.security import AuditEntry
from db.numbering import NUMBERS_TAKEN, advance_to, counter_values
from db.queries.security import counters_and_chain_head
from db.session import unit_of_work

log = logging.getLogger(__name__)

FORMAT = "counter-high-water"
VERSION = 1
# Where a unit of work lists the purchase records it committed (`note_purchase`), and the chain
# head taken just before its commit.
PURCHASES_WRITTEN = "counter.purchases_written"
CHAIN_HEAD = "counter.chain_head"
BEHIND, TAMPERED, FROM_DATABASE, FROM_TARGET = (
    "high_water.behind", "high_water.tampered", "high_water.started_from_database", "high_water.from_backup_target",
)  # fmt: skip
EVENT_KINDS = (BEHIND, TAMPERED, FROM_DATABASE)  # the morning list shows these


class MarkBad(ValueError):
    """The file is not a mark of this installation and workstation, or its MAC does not verify."""


@dataclass
class Mark:
    instance_id: str
    workstation: str
    receipts: dict[str, int] = field(default_factory=dict)
    accounts: dict[str, list[Any]] = field(default_factory=dict)  # [counter, fen, ckwh, receipt_no]
    chain: tuple[int, str] = (0, "")

    def body(self) -> dict[str, Any]:
        return {"instance_id": self.instance_id, "workstation": self.workstation, "receipts": self.receipts,
                "accounts": self.accounts, "chain": list(self.chain)}  # fmt: skip

    def merge(self, other: Mark) -> None:
        """Elementwise maximum: a mark only ever goes up."""
        for series, seq in other.receipts.items():
            self.receipts[series] = max(self.receipts.get(series, 0), seq)
        for account_no, entry in other.accounts.items():
            if account_no not in self.accounts or self.accounts[account_no][0] < entry[0]:
                self.accounts[account_no] = entry
        if other.chain[0] > self.chain[0]:
            self.chain = other.chain

    def counter_of(self, account_no: str) -> int:
        entry = self.accounts.get(account_no)
        return int(entry[0]) if entry else 0


def mark_key(keys: Keys) -> bytes:
    return hmac.new(keys.audit_hmac, b"counter-high-water/v1", hashlib.sha256).digest()


def _mac(key: bytes, body: bytes) -> str:
    return hmac.new(key, body, hashlib.sha256).hexdigest()


def encode(mark: Mark, key: bytes) -> bytes:
    """A header line (format, version, MAC) and the body's JSON exactly as MAC'd: the body is
    dumped once and never re-canonicalised (a sale pays for one dump, one HMAC, one write)."""
    body = json.dumps(mark.body(), separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    header = json.dumps({"format": FORMAT, "version": VERSION, "mac": _mac(key, body)})
    return header.encode("ascii") + b"\n" + body


def decode(data: bytes, key: bytes, *, instance_id: str, workstation: str) -> Mark:
    header_line, _, body_bytes = data.partition(b"\n")
    try:
        header = json.loads(header_line)
        ok = header.get("format") == FORMAT and header.get("version") == VERSION
        good = ok and hmac.compare_digest(_mac(key, body_bytes), str(header.get("mac")))
    except (ValueError, AttributeError) as exc:
        raise MarkBad("not a high-water mark") from exc
    if not good:
        raise MarkBad("the mark's MAC does not verify")
    try:
        body = json.loads(body_bytes)
        if body.get("instance_id") != instance_id or body.get("workstation") != workstation:
            raise MarkBad("the mark is of another installation or workstation")
        chain = body.get("chain") or [0, ""]
        return Mark(instance_id, workstation, {str(k): int(v) for k, v in body.get("receipts", {}).items()},
                    {str(k): list(v) for k, v in body.get("accounts", {}).items()},
                    (int(chain[0]), str(chain[1])))  # fmt: skip
    except (
        ValueError,
        AttributeError,
        TypeError,
        IndexError,
    ) as exc:  # MAC'd but not ours: a bug, not a forgery
        raise MarkBad("the mark's body is not readable") from exc


def mark_folder(keystore: Keystore) -> Path:
    """Next to the keys: a development key file's folder; with the OS keyring, this PC's data folder."""
    if isinstance(keystore, FileKeystore):
        return keystore.path.parent
    return Path(platformdirs.user_data_dir("counter", appauthor=False))


def file_name(instance_id: str, workstation: str) -> str:
    return f"high-water-{instance_id[:8]}-{workstation}.json"


def write_atomic(path: Path, data: bytes) -> None:
    """Temp file in the same folder, fsync, os.replace: a crash leaves the old mark or the new one."""
    write_private_atomic(path, data, prefix=".high-water-")


def note_purchase(session: Session, account_no: str, counter: int, amount_fen: int, energy_ckwh: int,
                  receipt_no: str | None) -> None:  # fmt: skip
    """Called where a purchase record is committed (sale_commit): the mark notes it after the commit."""
    session.info.setdefault(PURCHASES_WRITTEN, []).append(
        [account_no, counter, amount_fen, energy_ckwh, receipt_no]
    )


@dataclass(frozen=True)
class Behind:
    """What the database lacked against the mark (empty: at or past it)."""

    receipts: dict[str, tuple[int, int]]  # series → (database, mark)
    chain: tuple[int, int] | None  # (database head, mark head) when the chain went back or diverged
    accounts: tuple[str, ...]  # account numbers whose counter is behind the mark

    def __bool__(self) -> bool:
        return bool(self.receipts or self.chain or self.accounts)


class HighWater:
    """The mark of one open workstation: kept in memory, saved after every numbered commit."""

    def __init__(self, path: Path, key: bytes, mark: Mark, *, engine: Engine, keys: Keys, clock: Clock,
                 workstation_id: int) -> None:  # fmt: skip
        self.path, self.key, self.mark = path, key, mark
        self.engine, self.keys, self.clock, self.workstation_id = engine, keys, clock, workstation_id
        self._writer_thread: LatestWriter | None = None

    # --- after each unit of work ------------------------------------------------------------
    def before_commit(self, session: Session) -> None:
        """Inside the transaction: the chain head this commit leaves (one indexed query)."""
        if session.info.get(NUMBERS_TAKEN) or session.info.get(PURCHASES_WRITTEN):
            session.info[CHAIN_HEAD] = audit.chain_head(session)

    def after_commit(self, session: Session) -> None:
        numbers = session.info.pop(NUMBERS_TAKEN, None)
        purchases = session.info.pop(PURCHASES_WRITTEN, None)
        head = session.info.pop(CHAIN_HEAD, None)
        if not numbers and not purchases:
            return
        for series, seq in numbers or ():
            self.mark.receipts[series] = max(self.mark.receipts.get(series, 0), int(seq))
        for account_no, counter, fen, ckwh, receipt_no in purchases or ():
            if self.mark.counter_of(account_no) <= counter:
                self.mark.accounts[account_no] = [counter, fen, ckwh, receipt_no]
        if head is not None and head[0] >= self.mark.chain[0]:
            self.mark.chain = (int(head[0]), str(head[1]))
        self._writer().request()

    def save(self) -> None:
        write_atomic(self.path, self._encoded())

    def saved(self) -> None:
        """Return once every mark noted so far is on disk (the facade door calls this before a
        call returns); raises what writing it raised."""
        writer = self._writer_thread
        if writer is not None:
            writer.wait()

    def close(self) -> None:
        writer, self._writer_thread = self._writer_thread, None
        if writer is not None:
            writer.close()

    def copy_to(self, folder: Path) -> Path:
        target = folder / self.path.name
        write_atomic(target, self._encoded())
        return target

    def _encoded(self) -> bytes:
        # A copy of the maps, so a commit on another thread cannot change them mid-encoding.
        mark = self.mark
        return encode(dataclasses.replace(mark, receipts=dict(mark.receipts), accounts=dict(mark.accounts)),
                      self.key)  # fmt: skip

    def _writer(self) -> LatestWriter:
        if self._writer_thread is None:
            self._writer_thread = LatestWriter(self.save, name=f"high-water-{self.mark.workstation}")
        return self._writer_thread

    # --- the check: on start and before every sale -------------------------------------------
    def is_behind(self, s: Session) -> bool:
        """Whether the database is behind the mark (receipt counters or chain), read in the
        caller's transaction: the sale asks this in the same read as its role and shift check,
        and calls `check_database` (which records and advances) only when it is."""
        return bool(self._behind(s, False))

    def check_database(self, *, accounts: bool = False) -> Behind:
        """Advance what is behind the mark, record it, and follow the chain (which cannot be
        advanced: its going back is recorded, then the mark follows the database's head)."""
        with unit_of_work(self.engine, read_only=True) as s:  # the usual answer: nothing behind
            if not self._behind(s, accounts):
                return Behind({}, None, ())
        who = {"clock": self.clock, "workstation": self.mark.workstation, "actor_id": None}
        # recording_refusals: a counter found tampered on the way is refused AND recorded.
        with audit.recording_refusals(self.engine, keys=self.keys, info={seals.WHO_INFO: who}) as s:
            behind = self._behind(s, accounts)
            if not behind:
                return behind
            for series, (_db, mark) in behind.receipts.items():
                self._advance_sealed(s, series, mark)
            self._record(s, BEHIND, {
                "receipts": {k: list(v) for k, v in behind.receipts.items()},
                "chain": list(behind.chain) if behind.chain else None,
                "accounts_behind": len(behind.accounts), "accounts": list(behind.accounts[:20]),
            })  # fmt: skip
            head = audit.chain_head(s)
        self.mark.chain = (int(head[0]), str(head[1]))
        self.save()
        log.warning("database behind the high-water mark: %s", behind)
        return behind

    def _advance_sealed(self, s: Session, series: str, seq: int) -> None:
        """Move a counter up to the mark through its seal: a counter lowered behind the software's
        back is TAMPERED (never silently repaired by the mark); a genuine one (a restored backup's)
        is advanced and sealed again."""
        where = (ReceiptCounter.workstation_id == self.workstation_id, ReceiptCounter.series == series)
        existing = row_seals.check(s, s.scalars(select(ReceiptCounter).where(*where)).one_or_none())
        advance_to(s, self.workstation_id, series, seq)
        table = ReceiptCounter.__table__
        now = s.execute(select(table).where(table.c.workstation_id == self.workstation_id,
                                            table.c.series == series)).mappings().one()  # fmt: skip
        row_seals.seal_receipt_counter(s, now, fresh=True, created=existing is None)
        s.expire_all()

    def _behind(self, s: Session, accounts: bool) -> Behind:
        values, head = self._counters_and_head(s)
        receipts = {series: (values.get(series, 0), seq) for series, seq in self.mark.receipts.items()
                    if values.get(series, 0) < seq}  # fmt: skip
        chain = None
        seq, mac = self.mark.chain
        if seq and (head[0] < seq or _mac_at(s, head, seq) != mac):
            chain = (int(head[0]), seq)
        late: tuple[str, ...] = ()
        if accounts and self.mark.accounts:
            counters = dict(s.execute(select(Account.account_no, Account.purchase_counter)).tuples().all())
            late = tuple(
                sorted(a for a in self.mark.accounts if counters.get(a, 0) < self.mark.counter_of(a))
            )
        return Behind(receipts, chain, late)

    def _counters_and_head(self, s: Session) -> tuple[dict[str, int], tuple[int, str]]:
        """The database's counters and chain head: one statement (asked before every sale), unless
        this transaction appended and carries the head (audit.chain_head)."""
        if audit.carries_head(s):
            return counter_values(s, self.workstation_id), audit.chain_head(s)
        values, head = counters_and_chain_head(s, self.workstation_id)
        return values, head if head is not None else (0, audit.GENESIS_MAC)

    def _record(self, s: Session, kind: str, payload: dict[str, Any]) -> None:
        code = self.mark.workstation
        audit.record(s, kind=kind, actor_id=None, workstation=code, payload=payload, clock=self.clock)


def _mac_at(s: Session, head: tuple[int, str], seq: int) -> str | None:
    """The chain's MAC at `seq`: the head's own when the mark is the head (a lone counter's usual
    case, checked before every sale: one query saved), else read."""
    if head[0] == seq:
        return head[1]
    return s.scalar(select(AuditEntry.mac).where(AuditEntry.sequence == seq))


# --- opening: load, or rebuild -------------------------------------------------------------------


def open_high_water(
    engine: Engine, keys: Keys, keystore: Keystore, *, instance_id: str, workstation: str, workstation_id: int,
    clock: Clock,
) -> HighWater:  # fmt: skip
    """The workstation's mark, loaded (or rebuilt), checked against the database, saved."""
    key = mark_key(keys)
    path = mark_folder(keystore) / file_name(instance_id, workstation)
    mark = Mark(instance_id, workstation)
    events: list[tuple[str, dict[str, Any]]] = []
    found = _read(path, key, instance_id, workstation, events)
    if found is not None:
        mark.merge(found)
    else:
        target = _target_dir(engine)
        copy = _read(target / path.name, key, instance_id, workstation, events) if target else None
        if copy is not None:
            mark.merge(copy)
            events.append((FROM_TARGET, {"file": str(target / path.name) if target else None}))
        elif _issued_anything(engine, workstation_id):
            events.append((FROM_DATABASE, {"file": str(path)}))
        # else: this workstation's first start, nothing issued yet: nothing to warn about
    high = HighWater(path, key, mark, engine=engine, keys=keys, clock=clock, workstation_id=workstation_id)
    if events:
        with unit_of_work(engine) as s:
            bind_keys(s, keys)
            for kind, payload in events:
                high._record(s, kind, payload)
    high.check_database(accounts=True)
    _from_database(high)
    high.save()
    target = _target_dir(engine)
    if target is not None:  # PostgreSQL counters make no backups of their own: copy at each start too
        copy_to_target(high, target)
    return high


def _read(path: Path, key: bytes, instance_id: str, workstation: str,
          events: list[tuple[str, dict[str, Any]]]) -> Mark | None:  # fmt: skip
    if not path.exists():
        return None
    try:
        return decode(path.read_bytes(), key, instance_id=instance_id, workstation=workstation)
    except (OSError, MarkBad) as exc:
        aside = path.with_name(f"{path.name}.bad-{os.getpid()}-{_stamp()}")
        try:
            os.replace(path, aside)
        except OSError:
            aside = path
        log.error("high-water mark %s not trusted: %s", path, exc)
        events.append((TAMPERED, {"file": str(path), "kept_as": str(aside), "why": str(exc)}))
        return None


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S")


def _issued_anything(engine: Engine, workstation_id: int) -> bool:
    with unit_of_work(engine, read_only=True) as s:
        return any(counter_values(s, workstation_id).values())


def _from_database(high: HighWater) -> None:
    """What the database has issued is issued: the mark is at least the database."""
    with unit_of_work(high.engine, read_only=True) as s:
        for series, seq in counter_values(s, high.workstation_id).items():
            high.mark.receipts[series] = max(high.mark.receipts.get(series, 0), seq)
        head = audit.chain_head(s)
    if head[0] >= high.mark.chain[0]:
        high.mark.chain = (int(head[0]), str(head[1]))


def _target_dir(engine: Engine) -> Path | None:
    with unit_of_work(engine, read_only=True) as s:
        target = settings.get_setting(s, "backup.target_dir")
    folder = Path(target) if target else None
    return folder if folder is not None and folder.is_dir() else None


def copy_to_target(high: HighWater | None, folder: Path) -> None:
    """With each backup (counter_app/backups.py): the mark beside it, for a PC that loses its own."""
    if high is None:
        return
    try:
        high.copy_to(folder)
    except OSError:
        log.exception("copying the high-water mark to %s failed", folder)


def marks_in(folder: Path, instance_id: str) -> list[Path]:
    """The marks of every workstation of the installation in `folder` (a restore reports them)."""
    return sorted(folder.glob(f"high-water-{instance_id[:8]}-*.json"))


def marks_ahead(s: Session, keys: Keys, folders: list[Path], instance_id: str) -> dict[str, dict[str, Any]]:
    """For a restore's record: per workstation, what its mark (next to the keys, or on the backup
    target) holds beyond the database just restored — what the restore took back. Marks that do
    not verify are left out (the counter records them when it starts)."""
    key = mark_key(keys)
    marks: dict[str, Mark] = {}
    for folder in folders:
        for path in marks_in(folder, instance_id):
            code = path.stem.split("-", 3)[-1]
            try:
                mark = decode(path.read_bytes(), key, instance_id=instance_id, workstation=code)
            except (OSError, MarkBad):
                continue
            marks.setdefault(code, Mark(instance_id, code)).merge(mark)
    ahead: dict[str, dict[str, Any]] = {}
    head = audit.chain_head(s)
    for code, mark in marks.items():
        ws_id = s.scalar(select(Workstation.id).where(Workstation.code == code))
        values = counter_values(s, ws_id) if ws_id is not None else {}
        receipts = {k: [values.get(k, 0), v] for k, v in mark.receipts.items() if values.get(k, 0) < v}
        if receipts or head[0] < mark.chain[0]:
            ahead[code] = {"receipts": receipts, "chain": [head[0], mark.chain[0]]}
    return ahead
