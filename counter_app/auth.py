"""Who may log in and what they may do: passwords (argon2id), lockout, roles, 监督人 appointments.

- Passwords are argon2id (`argon2.PasswordHasher`, injectable so tests use the CHEAPEST profile);
  a hash made with weaker parameters is upgraded after a successful login.
- Lockout is computed from the append-only `login_attempts` rows: `max_failures` failures in a row
  lock the name for `lockout_minutes` from the last failure. Attempts made while locked are recorded
  as "locked" and do not extend the lock. Unknown names are counted and locked the same way, and
  take the same time to refuse, so the counter does not reveal who exists.
- A refused login must be recorded although the caller's transaction rolls back: the error
  carries its record (see `counter_app.audit.attach_refusal` / `recording_refusals`).
- The name typed may be the login id (`operators.name`, 工号) or the display name (张敏): the id wins,
  else a display name held by exactly one person stands for that person's id (attempts and lockout
  are kept under the id, however it was typed). A display name two people share is refused with
  INPUT_INVALID (field "name") asking for the id: no password is checked and no try is counted.
- Roles live in `counter_app.roles` (re-exported here: `has_role`, `grant_role`, …).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import exc as sa_exc
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from base.clock import Clock
from base.errors import (
    ApprovalRequired,
    AuthFailed,
    InputInvalid,
    Locked,
    UserFacingError,
)
from counter_app import audit, row_seals
from counter_app.roles import APPOINTING_ROLES as APPOINTING_ROLES  # (`X as X`: auth re-exports roles)
from counter_app.roles import CO_SIGN_ROLES as CO_SIGN_ROLES
from counter_app.roles import appoint_supervisor as appoint_supervisor
from counter_app.roles import grant_role as grant_role
from counter_app.roles import has_any_role as has_any_role
from counter_app.roles import has_role as has_role
from counter_app.roles import revoke_role as revoke_role
from counter_app.roles import roles_of as roles_of
from counter_app.settings import get_setting
from db.models.security import LoginAttempt, Operator

if TYPE_CHECKING:
    import argon2  # imported when a password is hashed or checked (below), not at start (issue 16)

MIN_PASSWORD_LENGTH = 8
DEFAULT_MAX_FAILURES = 5
DEFAULT_LOCKOUT_MINUTES = 15
# Failures older than this never matter for a lock (the longest lock is far shorter).
_LOCK_LOOKBACK = timedelta(days=1)


@dataclass(frozen=True)
class AuthenticatedOperator:
    id: int
    name: str
    display_name: str
    roles: frozenset[str]


def default_hasher() -> argon2.PasswordHasher:
    """argon2id, t=3, m=64 MiB, p=4 (argon2-cffi's RFC 9106 low-memory defaults)."""
    import argon2  # deferred (see the TYPE_CHECKING import above)

    return argon2.PasswordHasher()


def check_password_policy(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputInvalid(
            f"密码至少 {MIN_PASSWORD_LENGTH} 位",
            detail_en=f"password needs {MIN_PASSWORD_LENGTH}+ characters",
            field="password",
        )


def hash_password(password: str, *, hasher: argon2.PasswordHasher | None = None) -> str:
    check_password_policy(password)
    return (hasher or default_hasher()).hash(password)


def password_matches(hasher: argon2.PasswordHasher, stored_hash: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError  # deferred, as default_hasher

    try:
        return hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def spend_equal_time(hasher: argon2.PasswordHasher, password: str) -> None:
    """Verify against a throwaway hash so an unknown name costs what a wrong password costs."""
    password_matches(hasher, hasher.hash("counter-unknown-operator"), password)


# --- operators ---------------------------------------------------------------------------------


def find_operator(session: Session, name: str) -> Operator | None:
    return session.scalar(select(Operator).where(Operator.name == name))


def create_operator(
    session: Session,
    *,
    name: str,
    password: str,
    display_name: str | None = None,
    actor_id: int | None,
    workstation: str,
    clock: Clock,
    hasher: argon2.PasswordHasher | None = None,
) -> Operator:
    name = name.strip()
    if not name or len(name) > 64 or any(ch.isspace() for ch in name):
        raise InputInvalid(f"用户名无效：{name!r}", detail_en=f"invalid name {name!r}", field="name")
    if find_operator(session, name) is not None:
        raise InputInvalid(f"用户名已存在：{name}", detail_en=f"name already exists: {name}", field="name")
    operator = Operator(
        name=name,
        display_name=display_name or name,
        password_hash=hash_password(password, hasher=hasher),
        disabled=False,
        created_at=clock(),
    )
    session.add(operator)
    session.flush()
    audit.record(session, kind="operator.created", actor_id=actor_id, workstation=workstation,
                 subject=operator, payload={"name": name}, clock=clock)  # fmt: skip
    return operator


def disable_operator(
    session: Session, *, operator_id: int, actor_id: int, workstation: str, clock: Clock
) -> None:
    operator = _existing(session, operator_id)
    operator.disabled = True
    audit.record(session, kind="operator.disabled", actor_id=actor_id, workstation=workstation,
                 subject=operator, payload={"name": operator.name}, clock=clock)  # fmt: skip


def set_password(
    session: Session,
    *,
    operator_id: int,
    new_password: str,
    actor_id: int,
    workstation: str,
    clock: Clock,
    approval_id: int | None = None,
    hasher: argon2.PasswordHasher | None = None,
) -> None:
    """Own password, or another person's reset (which needs a co-signature: `approval_id`)."""
    if actor_id != operator_id and approval_id is None:
        raise ApprovalRequired(
            "重置他人密码需要监督人确认", detail_en="resetting another person's password needs approval"
        )
    operator = _existing(session, operator_id)
    operator.password_hash = hash_password(new_password, hasher=hasher)
    audit.record(session, kind="operator.password_set", actor_id=actor_id, workstation=workstation,
                 subject=operator, payload={"name": operator.name, "approval_id": approval_id}, clock=clock)  # fmt: skip


def _existing(session: Session, operator_id: int) -> Operator:
    operator = session.get(Operator, operator_id)
    if operator is None:
        raise InputInvalid(f"没有编号为 {operator_id} 的操作员", detail_en=f"no operator {operator_id}")
    return operator


# --- login -------------------------------------------------------------------------------------


def resolve_login_name(session: Session, typed: str) -> str:
    """The login id behind what a person typed at login: the id itself, else the id of the one
    operator with that display name (an active one before a disabled one), else the text as typed
    (an unknown name is refused and locked like any other). INPUT_INVALID when two share the name."""
    text = typed.strip()
    if not text or find_operator(session, text) is not None:
        return text
    named = list(session.scalars(select(Operator).where(Operator.display_name == text).order_by(Operator.id)))
    candidates = [op for op in named if not op.disabled] or named
    if len(candidates) > 1:
        raise InputInvalid(
            f"有 {len(candidates)} 位操作员都叫“{text}”，请改用工号（登录名）登录",
            detail_en=f"{len(candidates)} operators are named {text!r}; log in with your login ID",
            field="name",
            data={"name": text, "operators": len(candidates)},
        )
    return candidates[0].name if candidates else text


def authenticate(
    session: Session,
    *,
    name: str,
    password: str,
    workstation: str,
    clock: Clock,
    hasher: argon2.PasswordHasher | None = None,
    max_failures: int | None = None,
    lockout_minutes: int | None = None,
) -> AuthenticatedOperator:
    """The operator behind `name` (login id or display name, `resolve_login_name`) and `password`,
    or AuthFailed / Locked (each attempt recorded and audited; a refusal's record rides on the error,
    see the module docstring); INPUT_INVALID, unrecorded, for a display name two people share."""
    name = resolve_login_name(session, name)
    hasher = hasher or default_hasher()
    max_failures = max_failures or _setting(session, "login.max_failures", DEFAULT_MAX_FAILURES)
    lockout = timedelta(
        minutes=lockout_minutes or _setting(session, "login.lockout_minutes", DEFAULT_LOCKOUT_MINUTES)
    )
    now = clock()
    until = locked_until(session, name=name, now=now, max_failures=max_failures, lockout=lockout)
    if until is not None:
        minutes = math.ceil((until - now).total_seconds() / 60)
        error = Locked(
            f"还需等待 {minutes} 分钟",
            detail_en=f"{minutes} minutes left",
            data={"until": until, "minutes_left": minutes},
        )
        raise _refuse(error, name=name, workstation=workstation, outcome="locked", at=now, actor_id=None)
    # The row is checked before its hash is: a hash swapped by SQL is refused, not tried.
    operator = row_seals.check(session, find_operator(session, name))
    if operator is None or not password_matches(hasher, operator.password_hash, password):
        if operator is None:
            spend_equal_time(hasher, password)
        left = (
            max_failures
            - 1
            - _failure_streak(session, name=name, now=now, lockout=lockout, max_failures=max_failures)
        )
        error = AuthFailed(data={"attempts_left": max(left, 0)})
        raise _refuse(error, name=name, workstation=workstation, outcome="failed", at=now,
                      actor_id=operator.id if operator else None)  # fmt: skip
    if operator.disabled:
        error = AuthFailed("账号已停用", detail_en="account disabled")
        raise _refuse(
            error, name=name, workstation=workstation, outcome="disabled", at=now, actor_id=operator.id
        )
    _rehash_if_needed(session, operator, password, hasher=hasher, workstation=workstation, clock=clock)
    _write_attempt(session, name=name, workstation=workstation, outcome="ok", at=now, actor_id=operator.id)
    return AuthenticatedOperator(
        operator.id, operator.name, operator.display_name, roles_of(session, operator.id)
    )


def _setting(session: Session, key: str, default: int) -> int:
    """A login limit from the settings table, or its default while settings are not available."""
    try:
        value = get_setting(session, key)
    except (LookupError, UserFacingError):
        return default
    return default if value is None else int(value)


def _failures_since_last_ok(session: Session, *, name: str, now: datetime) -> list[datetime]:
    last_ok = session.scalar(
        select(func.max(LoginAttempt.id)).where(
            LoginAttempt.operator_name == name, LoginAttempt.outcome == "ok"
        )
    )
    query = select(LoginAttempt.at).where(
        LoginAttempt.operator_name == name,
        LoginAttempt.outcome == "failed",
        LoginAttempt.at > now - _LOCK_LOOKBACK,
        LoginAttempt.id > (last_ok or 0),
    )
    return list(session.scalars(query.order_by(LoginAttempt.id)))


def _replay(
    failures: Iterable[datetime], *, max_failures: int, lockout: timedelta
) -> tuple[int, datetime | None]:
    """(current streak, end of the last lock): a lock that has run out starts a new streak."""
    streak, lock_end = 0, None
    for at in failures:
        if lock_end is not None and at >= lock_end:
            streak, lock_end = 0, None
        streak += 1
        if streak >= max_failures and lock_end is None:
            lock_end = at + lockout
    return streak, lock_end


def locked_until(
    session: Session, *, name: str, now: datetime, max_failures: int = DEFAULT_MAX_FAILURES,
    lockout: timedelta = timedelta(minutes=DEFAULT_LOCKOUT_MINUTES),
) -> datetime | None:  # fmt: skip
    _streak, lock_end = _replay(
        _failures_since_last_ok(session, name=name, now=now), max_failures=max_failures, lockout=lockout
    )
    return lock_end if lock_end is not None and now < lock_end else None


def _failure_streak(
    session: Session, *, name: str, now: datetime, lockout: timedelta, max_failures: int
) -> int:
    streak, lock_end = _replay(
        _failures_since_last_ok(session, name=name, now=now), max_failures=max_failures, lockout=lockout
    )
    return 0 if lock_end is not None and now >= lock_end else streak


def _write_attempt(
    session: Session, *, name: str, workstation: str, outcome: str, at: datetime, actor_id: int | None
) -> None:
    attempt = LoginAttempt(operator_name=name, workstation=workstation, outcome=outcome, at=at)
    session.add(attempt)
    session.flush()
    audit.record(session, kind=f"login.{outcome}", actor_id=actor_id, workstation=workstation,
                 subject=attempt, payload={"name": name, "outcome": outcome}, clock=lambda: at)  # fmt: skip


def _refuse(error: UserFacingError, **attempt: object) -> UserFacingError:
    return audit.attach_refusal(error, lambda session: _write_attempt(session, **attempt))  # type: ignore[arg-type]


def _rehash_if_needed(
    session: Session,
    operator: Operator,
    password: str,
    *,
    hasher: argon2.PasswordHasher,
    workstation: str,
    clock: Clock,
) -> None:
    """A stronger hash after the parameters were raised. Skipped, not failed, where the database
    refuses the change: on PostgreSQL a counter PC's role may not UPDATE operators (least privilege,
    installer/postgres/roles.sql); the next login through counter-admin rehashes."""
    if not hasher.check_needs_rehash(operator.password_hash):
        return
    try:
        with session.begin_nested():
            operator.password_hash = hasher.hash(password)
            audit.record(session, kind="operator.rehashed", actor_id=operator.id, workstation=workstation,
                         subject=operator, payload={"name": operator.name}, clock=clock)  # fmt: skip
    except sa_exc.ProgrammingError:  # permission denied (psycopg InsufficientPrivilege)
        session.refresh(operator)
