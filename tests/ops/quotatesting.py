"""Helpers for the quota, notices and holiday-queue tests (importable: `from quotatesting import …`)."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import func, select

from base.clock import BUSINESS_TZ
from counter_app import audit
from counter_app.api import Session
from db.models import Fee, Tariff
from db.models.security import Operator
from db.session import unit_of_work

needs_sales = pytest.mark.skipif(
    not (hasattr(Session, "collect_free") and hasattr(Session, "top_up")), reason="sales path not landed"
)


def set_setting(world, key, value) -> None:
    """As the administrator, co-signed by the 监督人 when the key needs it."""
    world.login("admin").set_setting(key, value, approval=world.approval("li"))


def count(world, model, *where) -> int:
    with unit_of_work(world.counter.engine, read_only=True) as s:
        return s.scalar(select(func.count()).select_from(model).where(*where))


def rows(world, model, *where) -> list:
    with unit_of_work(world.counter.engine, read_only=True) as s:
        found = list(s.scalars(select(model).where(*where).order_by(model.id)))
        s.expunge_all()  # plain snapshots for asserting after the session ends
        return found


def add_price_row(world, model, *, effective: datetime, **fields) -> None:
    """A tariff or fee row (as `counter-admin tariff set` / `fee set` would write it), audited."""
    with unit_of_work(world.counter.engine) as s:
        from counter_app.keystore import bind_keys

        bind_keys(s, world.counter.keys)
        admin = s.scalar(select(Operator.id).where(Operator.name == "admin"))
        row = model(
            effective_from=effective,
            basis="校发〔2026〕9号",
            set_by=admin,
            created_at=world.clock(),
            **fields,
        )
        s.add(row)
        s.flush()
        audit.record(s, kind="tariff.set" if model is Tariff else "fee.set", actor_id=admin, workstation="TEST",
                     subject=row, payload={}, clock=world.clock)  # fmt: skip


def heating_rate(world, fen_per_m2: int) -> None:
    add_price_row(world, Fee, effective=datetime(2026, 10, 1, tzinfo=BUSINESS_TZ), kind="heating_rate_per_m2",
                  fen=fen_per_m2)  # fmt: skip


def audit_ok(world) -> bool:
    """`audit verify` over everything the scenario wrote (no row behind the software's back)."""
    from counter_app import audit as audit_chain

    with world.counter.context().reading() as s:
        result = audit_chain.verify(s)
    assert result.ok, result.first_bad
    return True
