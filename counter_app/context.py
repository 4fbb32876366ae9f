"""What every operation needs, in one object: the database, the keys, the clock, who and where.

The facade (`counter_app.session.Session`) builds an `OpContext` per call and hands it to the
service functions in `counter_app/ops/`. Services never reach for globals: the clock, the devices
and the operator come from here, so a test can run two counters in one process.

Where: a counter's context carries its registered workstation (`station`). The administrator's
command line (`counter_app.admin.door.open_admin`) is no counter: its `station` is None. It is
audited, throttled and recorded on approvals under the code `ADMIN` (`place`), and rows that name
a workstation by id get NULL (`workstation_id`), which is what the database has always held for
the command line. We did not register an `ADMIN` workstation row instead: that would add a row to
`workstations` (a counter the selection lists would show) and change what existing rows hold. A
step that needs a real counter (a shift, a receipt number, a campus) asks for `workstation` and gets
`NotAtCounter`, a bug in the caller, not something a person can fix.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session as DbSession

from base.clock import Clock, business_date
from base.errors import RoleForbidden, UserFacingError
from counter_app import approvals, audit, queueing, seals, settings
from counter_app.approval_summary import (
    ApprovalPreview,
    ApprovalPreviewReached,
    PreviewWouldWrite,
    previewing,
    summarise,
)
from counter_app.approvals import Approval
from counter_app.auth import AuthenticatedOperator
from counter_app.devices import Devices
from counter_app.high_water import HighWater
from counter_app.installation import INIT_WORKSTATION
from counter_app.keystore import Keys, bind_keys
from counter_app.roles import has_any_role
from db.session import look_up, unit_of_work

if TYPE_CHECKING:
    import argon2  # annotations only: argon2 loads when a password is hashed or checked (auth.py)


@dataclass(frozen=True)
class WorkstationRef:
    id: int
    code: str
    campus_id: int
    simulated: bool


class NotAtCounter(RuntimeError):
    """A step bound to a registered counter was reached from a context that has none (the
    administrator's command line): a bug in the caller, reported as an internal error."""


@dataclass(frozen=True)
class OpContext:
    engine: Engine
    keys: Keys
    clock: Clock
    station: WorkstationRef | None  # None: the administrator's command line, not at a counter
    devices: Devices
    dev_database: bool
    operator: AuthenticatedOperator | None = None
    hasher: argon2.PasswordHasher | None = None
    centre_name: str = "能源管理中心"
    # Set only while a queued operation runs again (counter_app.queueing, approve_queued).
    replaying: Any = None
    # The workstation's high-water mark (counter_app/high_water.py); None at the command line.
    high_water: HighWater | None = None

    # --- transactions -------------------------------------------------------------------------
    def uow(self) -> Any:
        """One short write transaction; refusals of security interest survive its rollback. A
        commit that took receipt numbers or wrote purchase counters updates the high-water mark."""
        return self._uow()

    @contextmanager
    def _uow(self) -> Iterator[DbSession]:
        with audit.recording_refusals(
            self.engine, keys=self.keys, info={seals.WHO_INFO: self._who()}
        ) as session:
            yield session
            if previewing():  # (counter_app.approval_summary) a preview never commits anything
                raise PreviewWouldWrite()
            if self.high_water is not None:
                self.high_water.before_commit(session)
        if self.high_water is not None:
            self.high_water.after_commit(session)

    def reading(self) -> AbstractContextManager[DbSession]:
        """A read-only transaction; a refusal met while reading (a tampered row) is still recorded."""
        return self._read(unit_of_work(self.engine, read_only=True))

    def looking_up(self) -> AbstractContextManager[DbSession]:
        """A short read of a few rows, as `reading`, but with no transaction on PostgreSQL (each
        statement its own snapshot, which READ COMMITTED gives anyway; two round trips fewer:
        db/session.py `look_up`). For the reads on a sale's path; not for reports (no streaming)."""
        return self._read(look_up(self.engine))

    @contextmanager
    def _read(self, unit: AbstractContextManager[DbSession]) -> Iterator[DbSession]:
        try:
            with unit as session:
                bind_keys(session, self.keys)
                session.info[seals.WHO_INFO] = self._who()
                yield session
        except UserFacingError as error:
            if getattr(error, "security_refusal", None) is not None:
                with audit.recording_refusals(self.engine, keys=self.keys) as fresh:
                    audit.persist_refusal(fresh, error)
            raise

    def _who(self) -> dict[str, Any]:
        """Who and where, for a refusal's audit entry written from inside a database session."""
        return {"clock": self.clock, "workstation": self.place,
                "actor_id": self.operator.id if self.operator else None}  # fmt: skip

    # --- where ----------------------------------------------------------------------------------
    @property
    def workstation(self) -> WorkstationRef:
        """The registered counter this operation runs at; NotAtCounter from the command line."""
        if self.station is None:
            raise NotAtCounter("this step needs a registered workstation; the admin command line is none")
        return self.station

    @property
    def place(self) -> str:
        """The workstation code that audit entries, approvals and logins record."""
        return self.station.code if self.station is not None else INIT_WORKSTATION

    @property
    def workstation_id(self) -> int | None:
        """For rows that may name no workstation (account events): NULL at the command line."""
        return self.station.id if self.station is not None else None

    # --- time ----------------------------------------------------------------------------------
    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        return business_date(self.clock())

    # --- who -----------------------------------------------------------------------------------
    @property
    def operator_id(self) -> int:
        if self.operator is None:
            raise RoleForbidden("未登录", detail_en="not logged in")
        return self.operator.id

    def require_role(self, session: DbSession, *roles: str) -> None:
        """The operator holds one of `roles` today (a 监督人 appointment counts on its dates)."""
        if not has_any_role(session, self.operator_id, roles, on=self.today()):
            raise RoleForbidden(
                f"需要角色：{'、'.join(roles)}", detail_en=f"needs role: {', '.join(roles)}",
                data={"roles": roles},
            )  # fmt: skip

    @property
    def simulated(self) -> bool:
        return self.devices.simulated or (self.station is not None and self.station.simulated)

    # --- shared steps ----------------------------------------------------------------------------
    def setting(self, session: DbSession, key: str) -> Any:
        return settings.get_setting(session, key)

    def approve(
        self,
        session: DbSession,
        approval: Approval | None,
        *,
        kind: str,
        payload: Mapping[str, Any],
        reason: str | None = None,
        allowed_roles: Iterable[str] = ("supervisor", "assistant", "head"),
    ) -> int:
        """Check the second person's credentials for exactly this operation; the approval id.

        Single-operator hook (counter_app/queueing.py): when `single_operator_mode` is on and
        `kind` is registered with `queueing.register_queueable`, the operation is not checked but
        stored, and QUEUED (with `.queue_id`) is raised instead, whatever `approval` holds. While
        a queued operation runs again (`self.replaying`), the payload must be exactly the queued
        one and the queue entry is resolved in this same transaction.
        """
        if previewing():  # every check before the co-signature passed: say what it will bind, write nothing
            raise ApprovalPreviewReached(ApprovalPreview(
                needed=True, kind=kind, payload_sha256=approvals.payload_sha256(kind, payload),
                summary=summarise(kind, payload), queued=queueing.should_queue(session, kind, self.replaying, payload),
            ))  # fmt: skip
        if queueing.should_queue(session, kind, self.replaying, payload):
            # A queued operation belongs to a counter (queued_operations.workstation_id is required):
            # `self.workstation` raises NotAtCounter from the command line, whose kinds never queue.
            raise queueing.queue_refusal(
                kind=kind, payload=payload, digest=approvals.payload_sha256(kind, payload),
                maker_id=self.operator_id, workstation_id=self.workstation.id,
                workstation=self.workstation.code, at=self.now(),
            )  # fmt: skip
        approval_id = approvals.approve(
            session, approval=approval, kind=kind, payload=payload, maker_id=self.operator_id,
            workstation=self.place, clock=self.clock,
            ttl_s=self.setting(session, "approval_ttl_s"), reason=reason,
            allowed_roles=tuple(allowed_roles), hasher=self.hasher,
        )  # fmt: skip
        if self.replaying is not None:
            queueing.check_and_resolve(
                session, self.replaying, kind=kind, digest=approvals.payload_sha256(kind, payload),
                approval_id=approval_id, workstation=self.place, at=self.now(),
            )  # fmt: skip
        return approval_id

    def audit(self, session: DbSession, kind: str, *, subject: Any = None, **payload: Any) -> None:
        audit.record(
            session, kind=kind, actor_id=self.operator.id if self.operator else None,
            workstation=self.place, subject=subject, payload=payload, clock=self.clock,
        )  # fmt: skip
