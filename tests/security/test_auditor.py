"""The auditor (counter_app/auditor.py): reads every report, the approvals matrix and the sheets;
every other facade method is refused at the door, before its arguments are even looked at, and
nothing is written; the role is never combined with another."""

from __future__ import annotations

import inspect
from datetime import date

import pytest
from opstesting import CHEAP, PASSWORD, make_world
from sqlalchemy import func, select

from base.errors import RoleForbidden
from counter_app.auditor import AUDITOR_METHODS
from counter_app.auth import create_operator
from counter_app.roles import grant_role
from counter_app.session import Session
from counter_app.settlement.report_catalogue import REPORTS
from db.models import LedgerEntry
from db.models.security import AuditEntry, Operator, RoleGrant
from db.session import unit_of_work


@pytest.fixture
def world(tmp_path):
    w = make_world(tmp_path)
    with unit_of_work(w.counter.engine) as s:
        from counter_app.keystore import bind_keys

        bind_keys(s, w.counter.keys)
        op = create_operator(s, name="shen", password=PASSWORD, actor_id=None, workstation="TEST", clock=w.clock,
                             hasher=CHEAP)  # fmt: skip
        grant_role(
            s, operator_id=op.id, role="auditor", granted_by_id=None, workstation="TEST", clock=w.clock
        )
    yield w
    w.close()


def _count(world, model) -> int:
    with unit_of_work(world.counter.engine, read_only=True) as s:
        return s.scalar(select(func.count()).select_from(model))


MUTATING = sorted(
    name
    for name, _ in inspect.getmembers(Session, inspect.isfunction)
    if not name.startswith("_") and name not in AUDITOR_METHODS
)


def test_the_readable_methods_are_facade_methods_and_none_writes_or_prints():
    facade = {name for name, _ in inspect.getmembers(Session, inspect.isfunction)}
    assert AUDITOR_METHODS <= facade
    # the X report is logged and printed; a preview of an approval belongs to a co-signing
    assert not AUDITOR_METHODS & {
        "x_report",
        "approval_preview",
        "reprint_receipt",
        "set_setting",
        "sign_sheet",
    }


@pytest.mark.parametrize("name", MUTATING)
def test_every_other_facade_method_is_refused_to_the_auditor(world, name):
    auditor = world.login("shen")
    audit_rows, ledger_rows = _count(world, AuditEntry), _count(world, LedgerEntry)
    with pytest.raises(RoleForbidden) as refused:
        getattr(auditor, name)()  # no arguments: the refusal comes before they are read
    assert refused.value.data.get("method") == name
    assert (_count(world, AuditEntry), _count(world, LedgerEntry)) == (audit_rows, ledger_rows)


def test_the_auditor_reads_every_report_and_the_approvals_matrix(world):
    auditor = world.login("shen")
    for kind in sorted(REPORTS):
        assert auditor.report_table(kind=kind, start=date(2026, 11, 1), end=date(2026, 11, 23)).kind == kind
    assert (
        auditor.report(kind="approvals", start=date(2026, 11, 1), end=date(2026, 11, 23), format="pdf")[:4]
        == b"%PDF"
    )
    assert auditor.list_sheets() == []


def test_the_auditor_role_is_never_combined_with_another(world):
    with unit_of_work(world.counter.engine) as s:
        from counter_app.keystore import bind_keys

        bind_keys(s, world.counter.keys)
        shen = s.scalar(select(Operator.id).where(Operator.name == "shen"))
        zhang = s.scalar(select(Operator.id).where(Operator.name == "zhang"))
        grants = s.scalar(select(func.count()).select_from(RoleGrant))
        with pytest.raises(RoleForbidden):
            grant_role(
                s, operator_id=shen, role="cashier", granted_by_id=None, workstation="T", clock=world.clock
            )
        with pytest.raises(RoleForbidden):
            grant_role(
                s, operator_id=zhang, role="auditor", granted_by_id=None, workstation="T", clock=world.clock
            )
        assert s.scalar(select(func.count()).select_from(RoleGrant)) == grants
