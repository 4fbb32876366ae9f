"""`counter-admin` end to end on a real SQLite file: init, operators, supervisors, workstations,
tariffs, fees, settings — each co-signed where DOMAIN.md asks, audited, refusals named."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from cli.admincli import PASSWORD, AdminDb
from counter_app.roles import roles_of
from db.models import Fee, SettingValue, Tariff, Workstation
from db.models.security import Operator, SupervisorAppointment
from db.session import unit_of_work


@pytest.fixture
def db(tmp_path) -> AdminDb:
    return AdminDb.create(tmp_path)


def _rows(db: AdminDb, query):
    engine = db.engine()
    try:
        with unit_of_work(engine, read_only=True) as s:
            return list(s.execute(query).tuples())
    finally:
        engine.dispose()


def test_init_creates_admin_and_head_and_a_second_init_is_refused(db):
    names = {name: op_id for name, op_id in _rows(db, select(Operator.name, Operator.id))}
    assert set(names) == {"admin", "zhao"}
    engine = db.engine()
    with unit_of_work(engine, read_only=True) as s:
        assert roles_of(s, names["admin"]) == {"admin"} and roles_of(s, names["zhao"]) == {"head"}
    engine.dispose()
    again = db.raw(["init", "--admin", "root", "--head", "boss", "--dev"], stdin=f"{PASSWORD}\n" * 4)
    assert again.code == 1 and "已经初始化" in again.stderr
    assert db.run("audit", "verify", as_="admin").code == 0


def test_operator_add_needs_a_cosignature_and_refuses_self_approval(db):
    assert db.run("operator", "add", "li", "--role", "cashier", as_="admin", new=PASSWORD).code == 1
    own = db.run("operator", "add", "li", "--role", "cashier", as_="admin", approver="admin", new=PASSWORD)
    assert own.code == 1 and "SELF_APPROVAL" in own.stderr
    wrong = db.run("operator", "add", "li", "--role", "cashier", as_="admin", approver="zhao", new=PASSWORD,
                   approver_password="wrong-password")  # fmt: skip
    assert wrong.code == 1 and "APPROVAL_INVALID" in wrong.stderr
    assert _rows(db, select(Operator.name).where(Operator.name == "li")) == []
    ok = db.run("operator", "add", "li", "--role", "cashier", as_="admin", approver="zhao", new=PASSWORD)
    assert ok.code == 0, ok.stderr
    # the head is no administrator: adding people is the administrator's
    by_head = db.run("operator", "add", "wu", "--role", "cashier", as_="zhao", approver="li", new=PASSWORD)
    assert by_head.code == 1 and "ROLE_FORBIDDEN" in by_head.stderr
    assert db.run("audit", "verify", as_="admin").code == 0


def test_wrong_password_of_as_is_refused_and_recorded(db):
    r = db.raw(["audit", "verify", "--as", "admin"], stdin="not-the-password\n")
    assert r.code == 1 and "AUTH_FAILED" in r.stderr
    assert db.run("audit", "verify", as_="admin").code == 0  # the refusal is in the chain, intact


def test_disable_reset_password_and_appoint(db):
    db.add_people()
    assert db.run("operator", "disable", "admin", as_="admin").code == 1  # never oneself
    reset = db.run("operator", "reset-password", "zhang", as_="admin", approver="li", new="new-pass-456")
    assert reset.code == 0, reset.stderr
    db.passwords["zhang"] = "new-pass-456"
    assert db.run("audit", "verify", as_="zhang").code == 0  # zhang logs in with the new password
    assert db.run("operator", "reset-password", "li", as_="admin", approver="li", new="x-pass-789").code == 1
    appoint = db.run(
        "supervisor", "appoint", "zhang", "--from", "2026-11-01", "--to", "2027-10-31", as_="zhao"
    )
    assert appoint.code == 0, appoint.stderr
    assert _rows(db, select(SupervisorAppointment.to_date))[0][0].isoformat() == "2027-10-31"
    by_cashier = db.run(
        "supervisor", "appoint", "qian", "--from", "2026-11-01", "--to", "2026-12-31", as_="zhang"
    )
    assert by_cashier.code == 1 and "ROLE_FORBIDDEN" in by_cashier.stderr
    # zhang is now an appointed 监督人: disabling them is a power (主管 or 部门助理 co-signs)
    assert db.run("operator", "disable", "zhang", as_="admin").code == 1
    assert db.run("operator", "disable", "zhang", as_="admin", approver="li").code == 1  # a 监督人 may not
    assert db.run("operator", "disable", "zhang", as_="admin", approver="zhao").code == 0
    assert db.run("audit", "verify", as_="zhang").code == 1  # disabled: no login
    assert db.run("operator", "disable", "qian", as_="admin").code == 0  # finance: no co-signer needed
    assert db.run("audit", "verify", as_="admin").code == 0


def test_workstation_add_creates_the_campus_when_new(db):
    r = db.run("workstation", "add", "W01", "--campus", "东校区", as_="admin", approver="zhao")
    assert r.code == 0 and "新校区" in r.stdout
    assert db.run("workstation", "add", "W02", "--campus", "东校区", as_="admin", approver="zhao").code == 0
    assert db.run("workstation", "add", "W02", "--campus", "东校区", as_="admin", approver="zhao").code == 1
    assert len({c for (c,) in _rows(db, select(Workstation.campus_id))}) == 1


def test_tariff_fee_and_setting_are_cosigned_append_only_and_audited(db):
    db.add_people()
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
        "校发〔2026〕9号",
    ]
    assert db.run(*tariff, as_="admin").code == 1  # no approver
    assert db.run(*tariff, as_="admin", approver="li").code == 0
    assert db.run(*tariff, as_="admin", approver="li").code == 1  # same class and moment: refused
    fee = ["fee", "set", "card", "--fen", "0", "--from", "2026-12-01", "--basis", "校发〔2026〕9号"]
    assert db.run(*fee, as_="admin", approver="wang").code == 0
    assert _rows(db, select(Tariff.price_e4, Tariff.basis)) == [(5883, "校发〔2026〕9号")]
    assert _rows(db, select(Fee.kind, Fee.fen)) == [("card", 0)]
    # money-affecting setting: co-signed; a plain one is not
    assert db.run("setting", "set", "min_top_up_fen", "2000", as_="admin").code == 1
    assert db.run("setting", "set", "min_top_up_fen", "2000", as_="admin", approver="li").code == 0
    assert db.run("setting", "set", "centre_name", "东区营业室", as_="admin").code == 0
    assert db.run("setting", "set", "quota.excluded_months", "[7, 8]", as_="admin", approver="li").code == 0
    bad = db.run("setting", "set", "min_top_up_fen", "lots", as_="admin", approver="li")
    assert bad.code == 1 and "min_top_up_fen" in bad.stderr
    values = dict(_rows(db, select(SettingValue.key, SettingValue.value)))
    assert values == {"min_top_up_fen": 2000, "centre_name": "东区营业室", "quota.excluded_months": [7, 8]}
    assert db.run("audit", "verify", as_="admin").code == 0


def test_notice_add_creates_a_notice_through_create_notice(db):
    db.add_people()
    assert db.run("workstation", "add", "W01", "--campus", "东校区", as_="admin", approver="wang").code == 0
    r = db.run("notice", "add", "repair", "--payer", "5-308 学生", "--amount-fen", "3500",
               "--repair-date", "2026-11-20", "--repairman", "老刘", as_="zhang")  # fmt: skip
    assert r.code == 0, r.stderr
    assert "已开通知单" in r.stdout and "35.00" in r.stdout
    assert db.run("audit", "verify", as_="admin").code == 0


def test_operator_rename_sets_the_name_people_read_and_it_logs_in_too(db):
    ok = db.run("operator", "add", "li", "--role", "cashier", "--display-name", "李强", as_="admin",
                approver="zhao", new=PASSWORD)  # fmt: skip
    assert ok.code == 0, ok.stderr
    assert _rows(db, select(Operator.display_name).where(Operator.name == "li")) == [("李强",)]
    renamed = db.run("operator", "rename", "li", "--display-name", "李小强", as_="admin")
    assert renamed.code == 0 and "李小强" in renamed.stdout, renamed.stderr
    assert _rows(db, select(Operator.display_name).where(Operator.name == "li")) == [("李小强",)]
    # another person's login id or display name is refused: typed at login it would name two people
    for taken in ("zhao", "admin"):
        refused = db.run("operator", "rename", "li", "--display-name", taken, as_="admin")
        assert refused.code == 1 and "INPUT_INVALID" in refused.stderr and taken in refused.stderr
    blank = db.run("operator", "rename", "li", "--display-name", "  ", as_="admin")
    assert blank.code == 1 and "INPUT_INVALID" in blank.stderr
    # the administrator's; the head is refused
    assert db.run("operator", "rename", "li", "--display-name", "李四", as_="zhao").code == 1
    assert _rows(db, select(Operator.display_name).where(Operator.name == "li")) == [("李小强",)]
    assert db.run("audit", "verify", as_="admin").code == 0
