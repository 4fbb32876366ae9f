"""Helpers for the refund and correction scenarios: a new tariff, a counted query."""

from __future__ import annotations

from sqlalchemy import func, select

from counter_app import audit
from counter_app.keystore import bind_keys
from db.models import Tariff
from db.models.security import Operator
from db.session import unit_of_work


def set_price(world, cls: str, price_e4: int) -> None:
    """A new tariff in force from now (the test's clock must move on before the next sale)."""
    with unit_of_work(world.counter.engine) as s:
        bind_keys(s, world.counter.keys)
        admin_id = s.scalar(select(Operator.id).where(Operator.name == "admin"))
        tariff = Tariff(cls=cls, price_e4=price_e4, effective_from=world.clock(), basis="test",
                        set_by=admin_id, created_at=world.clock())  # fmt: skip
        s.add(tariff)
        s.flush()
        audit.record(s, kind="tariff.set", actor_id=admin_id, workstation="TEST", subject=tariff,
                     payload={"cls": cls}, clock=world.clock)  # fmt: skip


def rows(world, model, *where) -> list:
    with unit_of_work(world.counter.engine, read_only=True) as s:
        found = list(s.scalars(select(model).where(*where).order_by(model.id)))
        s.expunge_all()
        return found


def count(world, model, *where) -> int:
    with unit_of_work(world.counter.engine, read_only=True) as s:
        return s.scalar(select(func.count()).select_from(model).where(*where))


def audit_ok(world) -> bool:
    """`audit verify` over everything the scenario wrote (no row behind the software's back)."""
    from counter_app import audit

    ctx = world.counter.context()
    with ctx.reading() as s:
        result = audit.verify(s)
    assert result.ok, result.first_bad
    return True
