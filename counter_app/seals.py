"""Row seals' primitives: the seal key, which columns a table's seal covers, the seal itself, the
check of plain values, and the TAMPERED refusal. counter_app/row_seals.py seals and checks rows with
them, counter_app/row_census.py counts the sealed tables' rows with them (docs/row-seals.md)."""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from hashlib import sha256
from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import Session

from base.canonical import canonical_json
from base.clock import Clock, system_clock
from base.errors import Tampered, UserFacingError
from counter_app.keystore import KEYS_INFO, Keys
from db.models import SEAL_EXCLUDES

SEAL_INFO = b"counter.row-seal.v1"
TAMPER_KIND = "tamper.detected"
# Who is working in a database session (clock, workstation, actor), for the refusal's audit
# entry: OpContext leaves it in the session's info (audit.recording_refusals(info=…)).
WHO_INFO = "counter.who"
_KEY_CACHE = "counter.seal_key"


def seal_key(keys: Keys) -> bytes:
    return hmac.new(keys.audit_hmac, SEAL_INFO, sha256).digest()


def session_key(session: Session) -> bytes | None:
    """The seal key of the keys bound to `session`; None when none are (a bare db-level session)."""
    keys = session.info.get(KEYS_INFO)
    if not isinstance(keys, Keys):
        return None
    cached = session.info.get(_KEY_CACHE)
    if cached is None or cached[0] is not keys:
        cached = (keys, seal_key(keys))
        session.info[_KEY_CACHE] = cached
    return cached[1]


_COLUMNS: dict[str, tuple[str, ...]] = {}


def sealed_columns(table: Table) -> tuple[str, ...]:
    cols = _COLUMNS.get(table.name)
    if cols is None:
        excluded = {"row_mac", *SEAL_EXCLUDES.get(table.name, ())}
        cols = _COLUMNS[table.name] = tuple(sorted(c.name for c in table.columns if c.name not in excluded))
    return cols


def mac_of(key: bytes, table: Table, values: Mapping[Any, Any]) -> str:
    content = {name: values[name] for name in sealed_columns(table)}
    return hmac.new(key, table.name.encode() + b"\x00" + canonical_json(content), sha256).hexdigest()


def pk_name(table: Table) -> str:
    (column,) = table.primary_key.columns
    return column.name


def genuine_values(key: bytes, table: Table, values: Mapping[Any, Any]) -> bool:
    stored = values.get("row_mac")
    return stored is not None and hmac.compare_digest(mac_of(key, table, values), str(stored))


def tampered(session: Session | None, table: str, row_id: Any) -> UserFacingError:
    """TAMPERED naming the row, carrying its audit entry (written after the rollback)."""
    who = (session.info.get(WHO_INFO) if session is not None else None) or {}
    clock: Clock = who.get("clock") or system_clock
    error = Tampered(
        f"{table} #{row_id} 的内容与校验码不符（可能被直接修改），操作已拒绝，请通知主管",
        detail_en=f"{table} #{row_id} does not match its seal (changed outside the software)",
        data={"table": table, "row_id": row_id},
    )  # fmt: skip

    # Cycle: counter_app.audit imports clock_watch, which reads settings, which are checked here.
    from counter_app import audit

    def write(fresh: Session) -> None:
        audit.record(
            fresh, kind=TAMPER_KIND, actor_id=who.get("actor_id"), workstation=who.get("workstation"),
            payload={"table": table, "row_id": row_id}, clock=clock,
        )  # fmt: skip

    audit.attach_refusal(error, write)
    return error
