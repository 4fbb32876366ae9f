"""Helpers for the accounts/cards tests: rows as plain values, the audit chain, a sale."""

from __future__ import annotations

from sqlalchemy import select

from counter_app import audit


def rows(world, model, *where, order=None):
    """Rows of `model` (detached, attributes loaded) matching `where`."""
    ctx = world.counter.context()
    with ctx.reading() as s:
        found = list(
            s.scalars(select(model).where(*where).order_by(order if order is not None else model.id))
        )
        s.expunge_all()
        return found


def audit_ok(world) -> bool:
    ctx = world.counter.context()
    with ctx.reading() as s:
        result = audit.verify(s)
    assert result.ok, result.first_bad
    return True


def sell(world, session, account_no, serial, amount_fen=10_000):
    world.sim.present_card(serial)
    return session.top_up(account_no=account_no, amount_fen=amount_fen, tendered_fen=amount_fen)
