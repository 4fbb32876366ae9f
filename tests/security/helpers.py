"""Helpers shared by the security tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from counter_app import auth
from counter_app.installation import seal_rows_written_before_keys
from counter_app.keystore import Keys, bind_keys
from db.session import unit_of_work

WS = "W01"
PASSWORD = "correct-horse"


@contextmanager
def work(engine: Engine, keys: Keys) -> Iterator[Session]:
    with unit_of_work(engine) as session:
        bind_keys(session, keys)
        seal_rows_written_before_keys(session)  # as `counter-admin init` does (the card classes)
        yield session


@dataclass(frozen=True)
class People:
    admin: int
    head: int
    assistant: int
    supervisor: int
    cashier: int
    cashier2: int
    finance: int


def make_people(session: Session, *, clock, hasher) -> People:
    """Everyone gets a bootstrap grant (as `counter-admin init` does for its two people)."""
    ids = {}
    for name, role in [("admin", "admin"), ("head", "head"), ("wang", "assistant"), ("li", "supervisor"),
                       ("zhang", "cashier"), ("zhao", "cashier"), ("qian", "finance")]:  # fmt: skip
        op = auth.create_operator(
            session, name=name, password=PASSWORD, actor_id=None, workstation=WS, clock=clock, hasher=hasher
        )
        auth.grant_role(
            session, operator_id=op.id, role=role, granted_by_id=None, workstation=WS, clock=clock
        )
        ids[name] = op.id
    return People(ids["admin"], ids["head"], ids["wang"], ids["li"], ids["zhang"], ids["zhao"], ids["qian"])
