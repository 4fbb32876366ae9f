"""Creating a counter database (`counter-admin init`) and reading what kind of database it is.

`init` creates the schema, the keys (or adopts keys already in the keystore, e.g. imported from
another counter) with their fingerprints, the installation row (development or production), the
card classes, and two people: an administrator and a head (主管) — so that co-signatures are
possible from the first day and one administrator can never act alone.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from base.clock import Clock
from base.errors import InputInvalid, KeyMissing
from counter_app import __version__, audit, row_seals, seals
from counter_app.auth import create_operator
from counter_app.keystore import Keys, Keystore, bind_keys, init_keys, keystore_from_spec, open_keys
from counter_app.roles import grant_role
from db.migrate import upgrade_to_head
from db.models import CARD_CLASS_ROWS, CardClass, Installation
from db.models.security import KeyFingerprint
from db.session import unit_of_work

if TYPE_CHECKING:
    import argon2  # annotations only: argon2 loads when a password is hashed or checked (auth.py)

INIT_WORKSTATION = "ADMIN"


@dataclass(frozen=True)
class InstallationInfo:
    instance_id: str
    dev: bool


def read_installation(session: Session) -> InstallationInfo:
    row = session.execute(select(Installation)).scalar_one_or_none()
    if row is None:
        raise KeyMissing(
            "数据库尚未初始化，请先运行 counter-admin init",
            detail_en="database not initialised; run counter-admin init first",
        )
    return InstallationInfo(instance_id=row.instance_id, dev=row.dev)


def keystore_for(session: Session, spec: str | None) -> Keystore:
    """The keystore named by `spec` (None = OS keyring) for this database's instance id."""
    return keystore_from_spec(spec, database_id=read_installation(session).instance_id)


def load_keys(engine: Engine, keystore_spec: str | None) -> tuple[Keys, InstallationInfo, Keystore]:
    """The keys, and what kind of database this is. The installation row (development or
    production: simulated devices are refused on production) is checked against its seal as soon
    as the keys are known: a flipped `dev` refuses the opening (TAMPERED, recorded)."""
    with unit_of_work(engine, read_only=True) as session:
        info = read_installation(session)
        keystore = keystore_from_spec(keystore_spec, database_id=info.instance_id)
        keys = open_keys(session, keystore)
        row = session.execute(select(Installation)).scalar_one()
        forged = [
            f for f in session.scalars(select(KeyFingerprint)) if not row_seals.genuine(keys.audit_hmac, f)
        ]
        if not row_seals.genuine(keys.audit_hmac, row):
            error = seals.tampered(None, "installation", row.id)
        elif forged:  # fingerprints rewritten to let other keys open this database
            error = seals.tampered(None, "key_fingerprints", forged[0].id)
        else:
            return keys, info, keystore
    with audit.recording_refusals(engine, keys=keys) as fresh:
        audit.persist_refusal(fresh, error)
    raise error


def initialise(
    engine: Engine,
    *,
    keystore_spec: str | None,
    admin: tuple[str, str],
    head: tuple[str, str],
    dev: bool,
    clock: Clock,
    hasher: argon2.PasswordHasher | None = None,
    display_names: dict[str, str] | None = None,
) -> InstallationInfo:
    """Schema, keys, installation row, card classes, the administrator and the head.

    `display_names` (login id → the name people read, e.g. {"zhao": "赵刚"}) gives the first two people
    their real names for receipts, sheets and screens; without it the login id is shown."""
    if admin[0] == head[0]:
        raise InputInvalid("管理员和主管必须是两个人", detail_en="the administrator and the head must differ")
    upgrade_to_head(engine)
    with unit_of_work(engine) as session:
        if session.execute(select(Installation.id)).first() is not None:
            raise InputInvalid("数据库已经初始化", detail_en="the database is already initialised")
        info = InstallationInfo(instance_id=str(uuid.uuid4()), dev=dev)
        now = clock()
        keys = init_keys(
            session, keystore_from_spec(keystore_spec, database_id=info.instance_id), clock=clock
        )
        bind_keys(session, keys)  # before the first sealed row (the installation) is written
        seal_rows_written_before_keys(session)
        session.add(
            Installation(instance_id=info.instance_id, dev=dev, created_at=now, app_version=__version__)
        )
        _add_card_classes(session)
        _add_first_people(session, admin=admin, head=head, clock=clock, hasher=hasher,
                          display_names=display_names or {})  # fmt: skip
        audit.record(session, kind="installation.created", actor_id=None, workstation=INIT_WORKSTATION,
                     payload={"instance_id": info.instance_id, "dev": dev}, clock=clock)  # fmt: skip
    return info


def seal_rows_written_before_keys(session: Session) -> None:
    """Seal (and count) the rows written before the keys were known: the key fingerprints, and the
    card classes a migration inserted. Only at creation, with the keys just bound: anywhere later a
    row without a seal is TAMPERED, never sealed (that would launder a row an insider inserted)."""
    row_seals.seal_unsealed(session, KeyFingerprint)
    row_seals.seal_unsealed(session, CardClass)


def _add_card_classes(session: Session) -> None:
    existing = set(session.scalars(select(CardClass.code)))
    for row in CARD_CLASS_ROWS:
        if row["code"] not in existing:
            session.add(CardClass(**row))
    session.flush()


def _add_first_people(
    session: Session, *, admin: tuple[str, str], head: tuple[str, str], clock: Clock,
    hasher: argon2.PasswordHasher | None, display_names: dict[str, str],
) -> None:  # fmt: skip
    for (name, password), role in ((admin, "admin"), (head, "head")):
        operator = create_operator(
            session, name=name, password=password, actor_id=None, workstation=INIT_WORKSTATION,
            clock=clock, hasher=hasher, display_name=display_names.get(name),
        )  # fmt: skip
        grant_role(session, operator_id=operator.id, role=role, granted_by_id=None,
                   workstation=INIT_WORKSTATION, clock=clock)  # fmt: skip
