"""Dual control (一人操作，一人监督): a second person signs one operation with exactly its content.

    approval_id = approve(session, approval=Approval(name="li", password="…"), kind="refund_room",
                          payload={"account_no": "A1", "refund_fen": 1234}, maker_id=me.id,
                          workstation="W01", clock=clock)

- `grant_approval` authenticates the checker on the spot (own name and password, this
  workstation), refuses the maker (SELF_APPROVAL) and a checker without a co-signing role
  (APPROVAL_INVALID: to the cashier at the counter the approval is what is wrong, and a
  ROLE_FORBIDDEN would read as if *their* role were lacking), and records the approval row, signed
  with HMAC-SHA256 under the audit key over its canonical fields.
- `consume_approval` re-checks the signature (a row INSERTed by SQL is refused), the SHA-256 of the
  canonical payload (anything changed after approval voids it), the maker, the expiry and single
  use (UNIQUE(approval_id) in approval_uses), then records the use.
- Call `approve` before the operation writes anything: a refusal is recorded in a fresh
  transaction after the caller's rollback (`counter_app.audit.recording_refusals`).
- Failed approvals throttle the *workstation*, not the supervisor's login: after
  `THROTTLE_AFTER` (5) failures since the last good approval at that counter (within a day),
  further attempts wait 1 minute, doubling with each further failure, at most 30 minutes
  (LOCKED). A cashier guessing at the counter cannot lock the supervisor out of their own login.
"""

from __future__ import annotations

import hmac
import json
import math
import secrets
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from hashlib import sha256
from typing import TYPE_CHECKING, Any

from sqlalchemy import RowMapping, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from base.canonical import canonical_json
from base.clock import BUSINESS_TZ, Clock, business_date
from base.errors import ApprovalInvalid, ApprovalRequired, Locked, SelfApproval, UserFacingError
from counter_app import audit, row_seals
from counter_app.approval_summary import summarise
from counter_app.auth import (
    CO_SIGN_ROLES,
    default_hasher,
    find_operator,
    has_any_role,
    password_matches,
    spend_equal_time,
)
from counter_app.keystore import keys_of
from db.models.security import Approval as ApprovalRow
from db.models.security import ApprovalFailure, ApprovalUse, Operator

if TYPE_CHECKING:
    import argon2  # annotations only: argon2 loads when a password is hashed or checked (auth.py)

DEFAULT_TTL_S = 120
THROTTLE_AFTER = 5
THROTTLE_FIRST_DELAY = timedelta(minutes=1)
THROTTLE_MAX_DELAY = timedelta(minutes=30)
_THROTTLE_LOOKBACK = timedelta(days=1)


@dataclass(frozen=True)
class Approval:
    """A second person's credentials, typed at this workstation and checked at use."""

    name: str
    password: str = field(repr=False)
    # The digest of the summary the 监督人 was shown (counter_app.approval_summary): when given, the
    # approval is granted only if the operation's payload still reads exactly so.
    shown_sha256: str | None = None


@dataclass(frozen=True)
class GrantedApproval:
    approval_id: int
    kind: str
    maker_id: int
    checker_id: int
    checker_name: str
    created_at: datetime
    expires_at: datetime


def canonical_payload(kind: str, payload: Mapping[str, Any]) -> bytes:
    """Stable bytes for (kind, payload): sorted keys, ints, ISO dates; TypeError on a float."""
    return canonical_json({"kind": kind, "payload": dict(payload)})


def payload_sha256(kind: str, payload: Mapping[str, Any]) -> str:
    return sha256(canonical_payload(kind, payload)).hexdigest()


_SIGNED_FIELDS = ("nonce", "kind", "payload_sha256", "maker_id", "checker_id", "workstation",
                  "created_at", "expires_at", "reason", "summary")  # fmt: skip
# Refusals that are no guess at a password: they do not count towards the throttle.
_NOT_GUESSES = ("throttled", "summary_changed")


def recorded_summary(summary: Mapping[str, Any], *, shown: bool) -> str:
    """The approval row's `summary`: the words bound (ApprovalSummary.to_json) and whether the
    supervisor was shown them (the UI's dialog) or not (a script, the command line)."""
    return canonical_json({**summary, "shown": shown}).decode()


def read_summary(row_summary: str | None) -> dict[str, Any] | None:
    """An approval row's recorded summary as data (None for a row written before it existed)."""
    return json.loads(row_summary) if row_summary else None


def _signature(key: bytes, row: Mapping[str, Any] | RowMapping) -> str:
    return hmac.new(key, canonical_json({name: row[name] for name in _SIGNED_FIELDS}), sha256).hexdigest()


# --- granting ----------------------------------------------------------------------------------


def grant_approval(
    session: Session,
    *,
    kind: str,
    payload: Mapping[str, Any],
    maker_id: int,
    checker_name: str,
    checker_password: str,
    workstation: str,
    clock: Clock,
    ttl_s: int = DEFAULT_TTL_S,
    reason: str | None = None,
    allowed_roles: Iterable[str] = CO_SIGN_ROLES,
    hasher: argon2.PasswordHasher | None = None,
    shown_sha256: str | None = None,
) -> GrantedApproval:
    digest = payload_sha256(kind, payload)  # a float in the payload is a bug: fail before anything
    summary = summarise(kind, payload)  # the words for exactly the payload hashed above
    now = clock()
    refuse = _GrantRefusal(
        kind=kind, maker_id=maker_id, checker_name=checker_name, workstation=workstation, at=now
    )
    if shown_sha256 is not None and not hmac.compare_digest(shown_sha256, summary.sha256):
        raise refuse(ApprovalInvalid("监督人看到的内容与本次操作不一致，请重新确认",
                                     detail_en="the operation differs from what the supervisor was shown"),
                     "summary_changed")  # fmt: skip
    until = throttled_until(session, workstation=workstation, now=now)
    if until is not None:
        minutes = math.ceil((until - now).total_seconds() / 60)
        raise refuse(Locked(f"本窗口监督人确认失败次数过多，还需等待 {minutes} 分钟", detail_en=f"approvals at this "
                            f"workstation throttled, {minutes} minutes left", data={"until": until}), "throttled")  # fmt: skip
    checker = _authenticated_checker(session, refuse, maker_id, checker_name, checker_password, hasher)
    if not has_any_role(session, checker.id, allowed_roles, on=business_date(now)):
        raise refuse(
            ApprovalInvalid(f"{checker.name} 无监督或审核权限", detail_en=f"{checker.name} may not co-sign"),
            "no_role",
        )
    fields = {"nonce": secrets.token_hex(16), "kind": kind, "payload_sha256": digest, "maker_id": maker_id,
              "checker_id": checker.id, "workstation": workstation, "created_at": now,
              "expires_at": now + timedelta(seconds=ttl_s), "reason": reason,
              "summary": recorded_summary(summary.to_json(), shown=shown_sha256 is not None)}  # fmt: skip
    row = ApprovalRow(**fields, signature=_signature(keys_of(session).audit_hmac, fields))
    session.add(row)
    session.flush()
    audit.record(session, kind="approval.granted", actor_id=checker.id, workstation=workstation, subject=row,
                 payload={"kind": kind, "maker_id": maker_id, "checker_id": checker.id,
                          "payload_sha256": digest, "reason": reason, "summary_sha256": summary.sha256,
                          "summary_shown": shown_sha256 is not None}, clock=clock)  # fmt: skip
    return GrantedApproval(row.id, kind, maker_id, checker.id, checker.name, row.created_at, row.expires_at)


def _authenticated_checker(
    session: Session, refuse: _GrantRefusal, maker_id: int, name: str, password: str,
    hasher: argon2.PasswordHasher | None,
) -> Operator:  # fmt: skip
    hasher = hasher or default_hasher()
    checker = row_seals.check(session, find_operator(session, name))  # a swapped hash: TAMPERED
    if checker is not None and checker.id == maker_id:
        raise refuse(SelfApproval(), "self")
    if checker is None:
        spend_equal_time(hasher, password)
    if checker is None or not password_matches(hasher, checker.password_hash, password):
        raise refuse(
            ApprovalInvalid("确认人用户名或密码错误", detail_en="wrong approver name or password"),
            "bad_password",
        )
    if checker.disabled:
        raise refuse(ApprovalInvalid("确认人账号已停用", detail_en="approver account disabled"), "disabled")
    return checker


@dataclass(frozen=True)
class _GrantRefusal:
    kind: str
    maker_id: int
    checker_name: str
    workstation: str
    at: datetime

    def __call__(self, error: UserFacingError, reason: str) -> UserFacingError:
        return _refusal(error, stage="grant", reason=reason, kind=self.kind, maker_id=self.maker_id,
                        checker_name=self.checker_name, workstation=self.workstation, at=self.at)  # fmt: skip


def _refusal(error: UserFacingError, **failure: Any) -> UserFacingError:
    def write(session: Session) -> None:
        row = ApprovalFailure(**failure)
        session.add(row)
        session.flush()
        audit.record(session, kind="approval.refused", actor_id=failure["maker_id"], workstation=failure["workstation"],
                     subject=row, payload={"stage": failure["stage"], "reason": failure["reason"], "kind": failure["kind"],
                                           "approval_id": failure.get("approval_id")},
                     clock=lambda: failure["at"])  # fmt: skip

    return audit.attach_refusal(error, write)


def throttled_until(session: Session, *, workstation: str, now: datetime) -> datetime | None:
    """When approvals at `workstation` may be tried again, or None when they may now."""
    last_good = session.scalar(
        select(func.max(ApprovalRow.created_at)).where(ApprovalRow.workstation == workstation)
    )
    since = max(now - _THROTTLE_LOOKBACK, last_good) if last_good else now - _THROTTLE_LOOKBACK
    failures = list(session.scalars(
        select(ApprovalFailure.at).where(
            ApprovalFailure.workstation == workstation, ApprovalFailure.stage == "grant",
            ApprovalFailure.reason.not_in(_NOT_GUESSES), ApprovalFailure.at > since,
        ).order_by(ApprovalFailure.at)
    ))  # fmt: skip
    if len(failures) < THROTTLE_AFTER:
        return None
    delay = min(THROTTLE_FIRST_DELAY * 2 ** (len(failures) - THROTTLE_AFTER), THROTTLE_MAX_DELAY)
    until = failures[-1] + delay
    return until if now < until else None


# --- using -------------------------------------------------------------------------------------


def consume_approval(
    session: Session,
    *,
    approval_id: int,
    kind: str,
    payload: Mapping[str, Any],
    maker_id: int,
    clock: Clock,
    workstation: str | None = None,
) -> None:
    """Use the approval for this exact operation, once; ApprovalInvalid otherwise."""
    now = clock()
    row = (
        session.execute(select(ApprovalRow.__table__).where(ApprovalRow.id == approval_id)).mappings().first()
    )

    def refuse(zh: str, en: str, reason: str) -> UserFacingError:
        return _refusal(ApprovalInvalid(zh, detail_en=en, data={"approval_id": approval_id}), stage="use", reason=reason,
                        kind=kind, maker_id=maker_id, checker_name=None, approval_id=approval_id,
                        workstation=workstation or (row["workstation"] if row else "?"), at=now)  # fmt: skip

    if row is None:
        raise refuse("没有这条确认记录", "no such approval", "unknown")
    if not hmac.compare_digest(_signature(keys_of(session).audit_hmac, row), row["signature"]):
        raise refuse("确认记录签名无效（疑被篡改）", "approval signature invalid", "forged")
    if row["kind"] != kind or row["payload_sha256"] != payload_sha256(kind, payload):
        raise refuse(
            "操作内容与确认时不一致，需重新确认", "the operation changed after approval", "payload_changed"
        )
    if row["maker_id"] != maker_id:
        raise refuse("这条确认属于另一位操作人", "approval belongs to another operator", "other_maker")
    if now >= row["expires_at"]:
        raise refuse("确认已过期，请重新确认", "approval expired", "expired")
    if session.scalar(select(ApprovalUse.id).where(ApprovalUse.approval_id == approval_id)) is not None:
        raise refuse("这条确认已经用过", "approval already used", "reused")
    use = ApprovalUse(approval_id=approval_id, used_at=now)
    session.add(use)
    try:
        session.flush()
    except IntegrityError as exc:  # another counter used it between our check and our insert
        raise refuse("这条确认已经用过", "approval already used", "reused") from exc
    audit.record(session, kind="approval.used", actor_id=maker_id, workstation=workstation or row["workstation"],
                 subject=use, payload={"approval_id": approval_id, "kind": kind}, clock=clock)  # fmt: skip


def approve(
    session: Session,
    *,
    approval: Approval | None,
    kind: str,
    payload: Mapping[str, Any],
    maker_id: int,
    workstation: str,
    clock: Clock,
    ttl_s: int = DEFAULT_TTL_S,
    reason: str | None = None,
    allowed_roles: Iterable[str] = CO_SIGN_ROLES,
    hasher: argon2.PasswordHasher | None = None,
) -> int:
    """Grant and use in one go (the checker stands at the counter); the approval id."""
    if approval is None:
        raise ApprovalRequired()
    granted = grant_approval(session, kind=kind, payload=payload, maker_id=maker_id, checker_name=approval.name,
                             checker_password=approval.password, workstation=workstation, clock=clock, ttl_s=ttl_s,
                             reason=reason, allowed_roles=allowed_roles, hasher=hasher,
                             shown_sha256=approval.shown_sha256)  # fmt: skip
    consume_approval(session, approval_id=granted.approval_id, kind=kind, payload=payload, maker_id=maker_id,
                     clock=clock, workstation=workstation)  # fmt: skip
    return granted.approval_id


# --- for auditors ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ApprovalListRow:
    approval_id: int
    kind: str
    maker: str
    checker: str
    workstation: str
    created_at: datetime
    used_at: datetime | None
    reason: str | None


@dataclass(frozen=True)
class ApprovalPairRow:
    """Who approved whom, how often, at what hours (Asia/Shanghai; `by_hour[h]` = count)."""

    checker: str
    maker: str
    count: int
    by_hour: tuple[int, ...]
    kinds: tuple[str, ...]


def list_approvals(
    session: Session, *, since: datetime | None = None, until: datetime | None = None
) -> list[ApprovalListRow]:
    maker, checker = aliased(Operator), aliased(Operator)
    query = (
        select(ApprovalRow.id, ApprovalRow.kind, maker.name, checker.name, ApprovalRow.workstation,
               ApprovalRow.created_at, ApprovalUse.used_at, ApprovalRow.reason)
        .join(maker, maker.id == ApprovalRow.maker_id)
        .join(checker, checker.id == ApprovalRow.checker_id)
        .outerjoin(ApprovalUse, ApprovalUse.approval_id == ApprovalRow.id)
        .order_by(ApprovalRow.created_at, ApprovalRow.id)
    )  # fmt: skip
    if since is not None:
        query = query.where(ApprovalRow.created_at >= since)
    if until is not None:
        query = query.where(ApprovalRow.created_at < until)
    return [ApprovalListRow(*row) for row in session.execute(query).tuples()]


def approvals_matrix(
    session: Session, *, since: datetime | None = None, until: datetime | None = None
) -> list[ApprovalPairRow]:
    pairs: dict[tuple[str, str], list[ApprovalListRow]] = defaultdict(list)
    for row in list_approvals(session, since=since, until=until):
        pairs[(row.checker, row.maker)].append(row)
    result = []
    for (checker, maker), rows in pairs.items():
        hours = [0] * 24
        for row in rows:
            hours[row.created_at.astimezone(BUSINESS_TZ).hour] += 1
        result.append(
            ApprovalPairRow(checker, maker, len(rows), tuple(hours), tuple(sorted({r.kind for r in rows})))
        )
    return sorted(result, key=lambda r: (-r.count, r.checker, r.maker))
