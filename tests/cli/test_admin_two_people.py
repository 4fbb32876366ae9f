"""Two people for every power (issue 12 §3, DOMAIN "What needs a co-signature"), in `counter-admin`:
restore, key export, disabling or demoting the head or a 监督人, money-affecting and security
settings, workstation add, tariffs and fees. Alone: refused (exit 1, APPROVAL_REQUIRED naming the
operation) before anything is written; with a second authorised person: done and the approval
recorded; the maker approving themself: SELF_APPROVAL; a co-signer without the power's role:
APPROVAL_INVALID."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from cli.admincli import CHEAP, CLOCK, PASSWORD, AdminDb
from counter_app.admin.door import open_admin
from counter_app.admin.operators import demote_operator
from counter_app.approvals import Approval
from counter_app.roles import roles_of
from db.models import SettingValue, Workstation
from db.models.security import Approval as ApprovalRow
from db.models.security import AuditEntry, Operator
from db.session import unit_of_work

PHRASE = "pass-phrase-1\n" * 2


@pytest.fixture
def db(tmp_path) -> AdminDb:
    made = AdminDb.create(tmp_path)
    made.add_people()  # li 监督人, wang 部门助理, zhang 营业员, qian 财务
    return made


def _rows(db: AdminDb, query) -> list:
    engine = db.engine()
    try:
        with unit_of_work(engine, read_only=True) as s:
            return list(s.execute(query).tuples())
    finally:
        engine.dispose()


def _approvals(db: AdminDb, kind: str) -> list[str]:
    checker = select(Operator.name).where(Operator.id == ApprovalRow.checker_id).scalar_subquery()
    return [name for (name,) in _rows(db, select(checker).where(ApprovalRow.kind == kind))]


def _alone_refused(db: AdminDb, *argv: str, stdin_extra: str = "", operation: str) -> None:
    r = db.run(*argv, as_="admin", stdin_extra=stdin_extra)
    assert r.code == 1, r.stderr
    assert "APPROVAL_REQUIRED" in r.stderr and operation in r.stderr


def _self_refused(db: AdminDb, *argv: str, stdin_extra: str = "") -> None:
    r = db.run(*argv, as_="admin", approver="admin", stdin_extra=stdin_extra)
    assert r.code == 1 and "SELF_APPROVAL" in r.stderr


# --- always co-signed: the grammar refuses to start without --approver -----------------------------------


def test_backup_restore_needs_the_head_or_an_assistant(db, tmp_path):
    backup = tmp_path / "b.db"
    assert db.run("backup", "create", "--out", str(backup), as_="admin").code == 0
    _alone_refused(db, "backup", "restore", str(backup), operation="backup restore")
    _self_refused(db, "backup", "restore", str(backup))
    by_supervisor = db.run("backup", "restore", str(backup), as_="admin", approver="li")
    assert by_supervisor.code == 1 and "APPROVAL_INVALID" in by_supervisor.stderr  # a 监督人 may not
    assert _approvals(db, "backup.restore") == []
    done = db.run("backup", "restore", str(backup), as_="admin", approver="wang")
    assert done.code == 0, done.stderr
    assert "确认人 wang" in done.stdout
    entries = _rows(db, select(AuditEntry.payload_json).where(AuditEntry.kind == "backup.restored"))
    assert len(entries) == 1
    recorded = json.loads(entries[0][0])
    assert recorded["approver"] == "wang" and recorded["approval_id"] is not None
    assert db.run("audit", "verify", as_="admin").code == 0


def test_a_restore_on_a_new_pc_checks_both_people_in_the_backup_and_records_the_approval(db, tmp_path):
    backup = tmp_path / "b.db"
    assert db.run("backup", "create", "--out", str(backup), as_="admin").code == 0
    fresh = AdminDb(f"sqlite:///{tmp_path / 'pc2' / 'counter.db'}", db.keystore, tmp_path, dict(db.passwords))
    assert fresh.run("backup", "restore", str(backup), as_="admin", approver="admin").code == 1
    assert fresh.run("backup", "restore", str(backup), as_="admin", approver="li").code == 1
    wrong = fresh.run(
        "backup", "restore", str(backup), as_="admin", approver="zhao", approver_password="nope"
    )
    assert wrong.code == 1 and "APPROVAL_INVALID" in wrong.stderr
    done = fresh.run("backup", "restore", str(backup), as_="admin", approver="zhao")
    assert done.code == 0, done.stderr
    assert _approvals(fresh, "backup.restore") == ["zhao"]  # recorded in the restored database
    assert fresh.run("audit", "verify", as_="admin").code == 0


def test_keys_export_needs_a_second_person(db, tmp_path):
    out = tmp_path / "keys.bin"
    _alone_refused(db, "keys", "export", "--out", str(out), stdin_extra=PHRASE, operation="keys export")
    _self_refused(db, "keys", "export", "--out", str(out), stdin_extra=PHRASE)
    assert (
        db.run("keys", "export", "--out", str(out), as_="admin", approver="li", stdin_extra=PHRASE).code == 1
    )
    assert not out.exists()  # nothing written when refused
    done = db.run("keys", "export", "--out", str(out), as_="admin", approver="zhao", stdin_extra=PHRASE)
    assert done.code == 0, done.stderr
    assert out.exists() and _approvals(db, "keys.export") == ["zhao"]


def test_workstation_add_needs_a_second_person(db):
    _alone_refused(db, "workstation", "add", "W09", "--campus", "东校区", operation="workstation add")
    _self_refused(db, "workstation", "add", "W09", "--campus", "东校区")
    assert _rows(db, select(Workstation.code)) == []
    assert db.run("workstation", "add", "W09", "--campus", "东校区", as_="admin", approver="wang").code == 0
    assert _rows(db, select(Workstation.code)) == [("W09",)]
    assert _approvals(db, "workstation.add") == ["wang"]


def test_tariff_and_fee_need_a_second_person(db):
    tariff = [
        "tariff",
        "set",
        "--class",
        "dorm",
        "--price-e4",
        "5883",
        "--from",
        "2026-12-01",
        "--basis",
        "D9",
    ]
    _alone_refused(db, *tariff, operation="tariff set")
    _self_refused(db, *tariff)
    fee = ["fee", "set", "card", "--fen", "500", "--from", "2026-12-01", "--basis", "D9"]
    _alone_refused(db, *fee, operation="fee set")
    assert db.run(*tariff, as_="admin", approver="li").code == 0
    assert db.run(*fee, as_="admin", approver="li").code == 0
    assert _approvals(db, "tariff.set") == ["li"] and _approvals(db, "fee.set") == ["li"]


# --- co-signed depending on what is touched: the service decides ----------------------------------------


def test_disabling_the_head_or_a_supervisor_needs_the_head_or_an_assistant(db):
    r = db.run("operator", "disable", "zhao", as_="admin")
    assert r.code == 1 and "APPROVAL_REQUIRED" in r.stderr and "停用主管" in r.stderr
    assert db.run("operator", "disable", "li", as_="admin").code == 1
    assert db.run("operator", "disable", "li", as_="admin", approver="admin").code == 1  # SELF_APPROVAL
    assert db.run("operator", "disable", "zhao", as_="admin", approver="li").code == 1  # a 监督人 may not
    assert db.run("audit", "verify", as_="li").code == 0  # still in
    assert db.run("operator", "disable", "li", as_="admin", approver="wang").code == 0
    assert db.run("audit", "verify", as_="li").code == 1  # disabled
    assert db.run("operator", "disable", "zhao", as_="admin", approver="wang").code == 0
    assert _approvals(db, "operator.disable") == ["wang", "wang"]
    assert db.run("operator", "disable", "zhang", as_="admin").code == 0  # a cashier: no power lost


def test_demoting_a_co_signer_needs_a_second_person(db):
    def demote(name: str, role: str, approval: Approval | None) -> None:
        with open_admin(
            db.db_url, keystore=db.keystore, environ={"COUNTER_CLOCK": CLOCK}, hasher=CHEAP
        ) as admin:
            admin.login("admin", PASSWORD)
            demote_operator(admin, name=name, role=role, approval=approval)

    with pytest.raises(Exception) as alone:
        demote("li", "supervisor", None)
    assert getattr(alone.value, "code", "") == "APPROVAL_REQUIRED"
    with pytest.raises(Exception) as by_li:
        demote("wang", "assistant", Approval("li", PASSWORD))
    assert getattr(by_li.value, "code", "") == "APPROVAL_INVALID"
    demote("li", "supervisor", Approval("zhao", PASSWORD))
    demote("zhang", "cashier", None)  # a cashier's role: no co-signer
    ids = dict(_rows(db, select(Operator.name, Operator.id)))
    engine = db.engine()
    with unit_of_work(engine, read_only=True) as s:
        assert "supervisor" not in roles_of(s, ids["li"]) and roles_of(s, ids["zhang"]) == frozenset()
    engine.dispose()


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("stamped_receipt_for", "[]"),
        ("confirmation_slip", "false"),
        ("low_balance_ckwh.dorm", "0"),
        ("deposit.evening_from", "12:00"),
        ("month_end_day", "20"),
        ("backup.generations", "1"),
    ],
)
def test_the_settings_named_in_the_finding_are_co_signed(db, key, value):
    alone = db.run("setting", "set", key, value, as_="admin")
    assert alone.code == 1 and "APPROVAL_REQUIRED" in alone.stderr
    assert db.run("setting", "set", key, value, as_="admin", approver="admin").code == 1
    assert _rows(db, select(SettingValue.key)) == []
    done = db.run("setting", "set", key, value, as_="admin", approver="li")
    assert done.code == 0, done.stderr
    assert _rows(db, select(SettingValue.key)) == [(key,)]
