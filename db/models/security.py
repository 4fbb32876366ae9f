"""Security tables: people, roles, logins, approvals (dual control), the audit chain, key fingerprints.

Every table here except `operators` is append-only: a change is a new row (a revoke is a row, an
approval's use is a row). `operators` is updated for exactly two reasons (disable, new password
hash); each such change is followed by an audit entry, and audit verification compares a row with
the *latest* entry that names it.

Tables that audit verification checks for rows inserted behind the software's back carry
`info={"audited": True}` (see `counter_app.audit.register_audited_table`).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from base.vocabulary import ROLES
from db.base import Base, IntPK, UtcDateTime, row_mac_column

_ROLE_LIST = ", ".join(f"'{r}'" for r in ROLES)

AUDITED = {"audited": True}


class Operator(Base):
    """A person who logs in. Never deleted: receipts and approvals name them for 30 years."""

    __tablename__ = "operators"
    __table_args__ = ({"info": AUDITED},)

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64))
    password_hash: Mapped[str] = mapped_column(String(255))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    row_mac: Mapped[str | None] = row_mac_column()  # counter_app.row_seals


class RoleGrant(Base):
    """One grant or revoke of a role. The latest row per (operator, role) is the current state."""

    __tablename__ = "role_grants"
    __table_args__ = (
        CheckConstraint(f"role IN ({_ROLE_LIST})", name="role"),
        CheckConstraint("action IN ('grant', 'revoke')", name="action"),
        Index("ix_role_grants_operator_role", "operator_id", "role"),
        {"info": AUDITED},
    )

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    operator_id: Mapped[int] = mapped_column(ForeignKey("operators.id"))
    role: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(8))
    # NULL only for the two people `counter-admin init` creates (there is nobody to grant them).
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("operators.id"))
    approval_id: Mapped[int | None] = mapped_column(ForeignKey("approvals.id"))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    row_mac: Mapped[str | None] = row_mac_column()  # counter_app.row_seals


class SupervisorAppointment(Base):
    """监督人 for a period, appointed by 主管 or 部门助理 (DOMAIN "People and roles")."""

    __tablename__ = "supervisor_appointments"
    __table_args__ = (
        CheckConstraint("to_date >= from_date", name="period"),
        CheckConstraint("appointed_by_id <> operator_id", name="not_self"),
        {"info": AUDITED},
    )

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    operator_id: Mapped[int] = mapped_column(ForeignKey("operators.id"), index=True)
    from_date: Mapped[date] = mapped_column(Date)
    to_date: Mapped[date] = mapped_column(Date)
    appointed_by_id: Mapped[int] = mapped_column(ForeignKey("operators.id"))
    approval_id: Mapped[int | None] = mapped_column(ForeignKey("approvals.id"))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    row_mac: Mapped[str | None] = row_mac_column()  # counter_app.row_seals


class LoginAttempt(Base):
    """Every login attempt; lockout is computed from these rows, never from a mutable counter."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        CheckConstraint("outcome IN ('ok', 'failed', 'locked', 'disabled')", name="outcome"),
        Index("ix_login_attempts_name_at", "operator_name", "at"),
        {"info": AUDITED},
    )

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    # The login id (a display name typed is resolved to its id first, counter_app.auth), or the
    # name as typed when nobody has it: unknown names are attempts too (and are locked out alike).
    operator_name: Mapped[str] = mapped_column(String(64))
    workstation: Mapped[str] = mapped_column(String(32))
    outcome: Mapped[str] = mapped_column(String(8))
    at: Mapped[datetime] = mapped_column(UtcDateTime)


class Approval(Base):
    """A second person's signature on one operation with exactly this content.

    `signature` is HMAC-SHA256 with the audit key over the canonical fields (including the random
    `nonce`), so a row inserted or edited by SQL is refused at use, and a copied row cannot be
    used twice (the nonce is unique).
    """

    __tablename__ = "approvals"
    __table_args__ = (
        CheckConstraint("maker_id <> checker_id", name="maker_is_not_checker"),
        CheckConstraint("expires_at > created_at", name="expiry"),
        {"info": AUDITED},
    )

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    nonce: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(64))
    payload_sha256: Mapped[str] = mapped_column(String(64))
    maker_id: Mapped[int] = mapped_column(ForeignKey("operators.id"), index=True)
    checker_id: Mapped[int] = mapped_column(ForeignKey("operators.id"), index=True)
    workstation: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    reason: Mapped[str | None] = mapped_column(Text)
    # What the approval says in words (counter_app.approval_summary: the summary of exactly the
    # payload hashed, as canonical JSON, with whether the supervisor was shown it); signed.
    summary: Mapped[str | None] = mapped_column(Text)
    signature: Mapped[str] = mapped_column(String(64))


class ApprovalUse(Base):
    """The single use of an approval: UNIQUE(approval_id) makes a second use impossible."""

    __tablename__ = "approval_uses"
    __table_args__ = ({"info": AUDITED},)

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    approval_id: Mapped[int] = mapped_column(ForeignKey("approvals.id"), unique=True)
    used_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ApprovalFailure(Base):
    """A refused approval (wrong password, self-approval, no role, forged or stale approval…).

    Counted per workstation to throttle guessing at that counter, instead of locking the
    supervisor's own login (a cashier could otherwise lock the supervisor out on purpose).
    """

    __tablename__ = "approval_failures"
    __table_args__ = (
        CheckConstraint("stage IN ('grant', 'use')", name="stage"),
        Index("ix_approval_failures_workstation_at", "workstation", "at"),
        {"info": AUDITED},
    )

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    workstation: Mapped[str] = mapped_column(String(32))
    stage: Mapped[str] = mapped_column(String(8))
    reason: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(64))
    maker_id: Mapped[int | None] = mapped_column(ForeignKey("operators.id"))
    checker_name: Mapped[str | None] = mapped_column(String(64))
    approval_id: Mapped[int | None] = mapped_column(BigInteger)
    at: Mapped[datetime] = mapped_column(UtcDateTime)


class AuditEntry(Base):
    """One link of the HMAC chain (see `counter_app.audit`).

    `payload_json` is the canonical JSON text itself (not a JSON column: PostgreSQL's jsonb would
    reorder keys and the MAC is over exact bytes). UNIQUE(sequence) and UNIQUE(prev_mac) make a
    forked chain impossible to store, whatever the application does.
    """

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    sequence: Mapped[int] = mapped_column(BigInteger, unique=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    kind: Mapped[str] = mapped_column(String(64), index=True)
    actor_id: Mapped[int | None] = mapped_column(BigInteger)
    workstation: Mapped[str | None] = mapped_column(String(32))
    subject_table: Mapped[str | None] = mapped_column(String(64))
    subject_id: Mapped[int | None] = mapped_column(BigInteger)
    payload_json: Mapped[str] = mapped_column(Text)
    subject_digest: Mapped[str | None] = mapped_column(String(64))
    prev_mac: Mapped[str] = mapped_column(String(64), unique=True)
    mac: Mapped[str] = mapped_column(String(64))


Index("ix_audit_log_subject", AuditEntry.subject_table, AuditEntry.subject_id)
# The latest time in the chain, read at every append to flag a clock set back (counter_app/clock_watch.py).
Index("ix_audit_log_at", AuditEntry.at)
Index("ix_audit_log_workstation_at", AuditEntry.workstation, AuditEntry.at)


class KeyFingerprint(Base):
    """Which keys this database was created with: a wrong or missing key is named at open."""

    __tablename__ = "key_fingerprints"
    # Not audited: replacing these rows only helps with keys that also replace the audit key, and
    # the whole chain then fails verification anyway.

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    key_kind: Mapped[str] = mapped_column(String(32), unique=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    row_mac: Mapped[str | None] = row_mac_column()  # counter_app.row_seals


class RowCensus(Base):
    """How many rows the software has written to each sealed table that is outside the audit chain
    (counter_app/row_seals.py). Nothing is ever deleted from those tables, so a table holding fewer
    rows than its census says lost a row behind the software's back: `audit verify` names it. The
    census row is sealed itself (`row_mac` over table and count), checked at every insert."""

    __tablename__ = "row_census"

    table_name: Mapped[str] = mapped_column(String(64), primary_key=True)
    rows: Mapped[int] = mapped_column(BigInteger)
    row_mac: Mapped[str | None] = row_mac_column()
