"""`open_admin`: the administrator's door. The command line is no counter: what it stores names
the workstation code ADMIN and no workstation id, exactly as before the door existed; a step that
needs a real counter fails loudly instead of writing a fake one."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from base.errors import AuthFailed, DbNotFound, SchemaOlder
from cli.admincli import CHEAP, PASSWORD, AdminDb
from counter_app.api import AdminSession, open_admin
from counter_app.context import NotAtCounter, WorkstationRef
from db.engine import sqlite_url_for
from db.models import AccountEvent, CardEvent
from db.models.security import Approval, AuditEntry, LoginAttempt
from db.session import unit_of_work

YEARLY = str(Path(__file__).resolve().parents[1] / "imports" / "data" / "yearly_example.csv")
LEGACY = str(Path(__file__).resolve().parents[1] / "imports" / "data" / "legacy_example.csv")


@pytest.fixture
def db(tmp_path) -> AdminDb:
    db = AdminDb.create(tmp_path)
    db.add_people()
    db.add_campuses()
    return db


def _open(db: AdminDb) -> AdminSession:
    return open_admin(db.db_url, keystore=db.keystore, environ={}, hasher=CHEAP)


def test_the_session_acts_at_no_workstation(db):
    with _open(db) as admin:
        assert admin.operator is None and admin.info.dev  # AdminDb.create: init --dev
        operator = admin.login("admin", PASSWORD)
        ctx = admin.ctx
        assert ctx.operator == operator == admin.operator
        assert ctx.station is None and ctx.place == "ADMIN" and ctx.workstation_id is None
        assert not ctx.simulated
        with pytest.raises(NotAtCounter):
            ctx.workstation  # noqa: B018 - the accessor is what is tested
        station = WorkstationRef(7, "W07", 1, False)
        assert admin.at_counter(station).workstation == station
        with ctx.reading() as s:
            ctx.require_role(s, "admin")
    with unit_of_work(admin.engine, read_only=True) as s:  # disposed engines reconnect on demand
        last = select(LoginAttempt.workstation, LoginAttempt.outcome).order_by(LoginAttempt.id.desc())
        assert tuple(s.execute(last).first()) == ("ADMIN", "ok")


def test_a_wrong_password_is_refused(db):
    with _open(db) as admin, pytest.raises(AuthFailed):
        admin.login("admin", "wrong")


def test_an_uninitialised_database_is_refused(tmp_path):
    (tmp_path / "empty.db").touch()  # a file with no schema in it
    with pytest.raises(SchemaOlder):  # no schema yet: `counter-admin db upgrade` names the way
        open_admin(sqlite_url_for(tmp_path / "empty.db"), keystore=f"file:{tmp_path / 'k.json'}", environ={})


def test_a_missing_database_is_db_not_found_and_not_created(tmp_path):
    with pytest.raises(DbNotFound):  # only `counter-admin init` creates the file
        open_admin(sqlite_url_for(tmp_path / "none.db"), keystore=f"file:{tmp_path / 'k.json'}", environ={})
    assert not (tmp_path / "none.db").exists()


def test_what_the_command_line_stores_names_admin_and_no_workstation(db):
    assert db.run("accounts", "import", YEARLY, as_="admin", approver="li").code == 0
    assert db.run("legacy", "import", LEGACY, as_="admin", approver="li").code == 0
    engine = db.engine()
    try:
        with unit_of_work(engine, read_only=True) as s:
            assert set(s.scalars(select(AccountEvent.workstation_id))) == {None}
            assert set(s.scalars(select(CardEvent.workstation_id))) == {None}
            assert set(s.scalars(select(Approval.workstation))) == {"ADMIN"}
            assert set(s.scalars(select(AuditEntry.workstation))) == {"ADMIN"}
    finally:
        engine.dispose()
