"""Logins: lockout from the append-only attempts, disabled people, password policy, rehash;
roles: the administrator holds no other role, 监督人 by appointment, grants need a co-signature."""

from __future__ import annotations

from datetime import date

import argon2
import pytest
from sqlalchemy import func, select

from base.errors import ApprovalRequired, AuthFailed, InputInvalid, Locked, RoleForbidden
from counter_app import auth
from counter_app.approvals import Approval, approve
from counter_app.audit import recording_refusals, verify
from db.models.security import LoginAttempt
from security.helpers import PASSWORD, WS, work


def login(engine, keys, clock, hasher, name="zhang", password=PASSWORD):
    with recording_refusals(engine, keys=keys) as session:
        return auth.authenticate(
            session, name=name, password=password, workstation=WS, clock=clock, hasher=hasher
        )


def test_good_login_returns_roles(engine, keys, clock, hasher, people):
    who = login(engine, keys, clock, hasher)
    assert (who.id, who.name, who.roles) == (people.cashier, "zhang", frozenset({"cashier"}))


def test_lockout_after_five_failures_then_unlocks(engine, keys, clock, hasher, people):
    for attempt in range(5):
        with pytest.raises(AuthFailed) as err:
            login(engine, keys, clock, hasher, password="wrong-password")
        assert err.value.data["attempts_left"] == 4 - attempt
        clock.advance(seconds=10)
    with pytest.raises(Locked) as err:  # even the right password
        login(engine, keys, clock, hasher)
    assert "15 分钟" in err.value.message
    assert err.value.data["until"] > clock()
    clock.advance(minutes=14)
    with pytest.raises(Locked, match="1 分钟"):
        login(engine, keys, clock, hasher)
    clock.advance(minutes=1)
    assert login(engine, keys, clock, hasher).name == "zhang"
    with work(engine, keys) as session:
        outcomes = session.scalars(select(LoginAttempt.outcome).order_by(LoginAttempt.id)).all()
        assert outcomes == ["failed"] * 5 + ["locked"] * 2 + ["ok"]
        assert verify(session).ok  # every attempt, refused ones included, is in the chain


def test_attempts_while_locked_do_not_extend_the_lock(engine, keys, clock, hasher, people):
    for _ in range(5):
        with pytest.raises(AuthFailed):
            login(engine, keys, clock, hasher, password="nope-nope")
    for _ in range(10):
        clock.advance(minutes=1)
        with pytest.raises(Locked):
            login(engine, keys, clock, hasher)
    clock.advance(minutes=5)
    assert login(engine, keys, clock, hasher).name == "zhang"


def test_lock_comes_back_after_five_new_failures(engine, keys, clock, hasher, people):
    for _ in range(5):
        with pytest.raises(AuthFailed):
            login(engine, keys, clock, hasher, password="nope-nope")
    clock.advance(minutes=16)
    with pytest.raises(AuthFailed):  # one failure after the lock is not a new lock
        login(engine, keys, clock, hasher, password="nope-nope")
    assert login(engine, keys, clock, hasher).name == "zhang"


def test_unknown_names_are_refused_and_locked_alike(engine, keys, clock, hasher, people):
    for _ in range(5):
        with pytest.raises(AuthFailed):
            login(engine, keys, clock, hasher, name="ghost")
    with pytest.raises(Locked):
        login(engine, keys, clock, hasher, name="ghost")


def test_limits_come_from_arguments(engine, keys, clock, hasher, people):
    def attempt(password):
        with recording_refusals(engine, keys=keys) as session:
            auth.authenticate(session, name="zhang", password=password, workstation=WS, clock=clock,
                              hasher=hasher, max_failures=2, lockout_minutes=30)  # fmt: skip

    for _ in range(2):
        with pytest.raises(AuthFailed):
            attempt("nope-nope")
    with pytest.raises(Locked, match="30 分钟"):
        attempt(PASSWORD)


def test_disabled_operator_refused(engine, keys, clock, hasher, people):
    with work(engine, keys) as session:
        auth.disable_operator(
            session, operator_id=people.cashier, actor_id=people.admin, workstation=WS, clock=clock
        )
    with pytest.raises(AuthFailed, match="停用"):
        login(engine, keys, clock, hasher)
    with work(engine, keys) as session:
        assert (
            session.scalar(
                select(func.count()).select_from(LoginAttempt).where(LoginAttempt.outcome == "disabled")
            )
            == 1
        )
        assert not auth.has_role(session, people.cashier, "cashier", on=date(2025, 3, 10))


def test_password_policy(engine, keys, clock, hasher, people):
    with work(engine, keys) as session, pytest.raises(InputInvalid, match="8"):
        auth.create_operator(session, name="sun", password="short", actor_id=people.admin, workstation=WS,
                             clock=clock, hasher=hasher)  # fmt: skip


def test_weak_hash_is_upgraded_after_login(engine, keys, clock, hasher, people):
    stronger = argon2.PasswordHasher(time_cost=2, memory_cost=1024, parallelism=1)
    who = login(engine, keys, clock, stronger)
    with work(engine, keys) as session:
        assert not stronger.check_needs_rehash(session.get(auth.Operator, who.id).password_hash)
        assert verify(session).ok


def test_admin_holds_no_other_role(engine, keys, clock, hasher, people):
    with work(engine, keys) as session:
        with pytest.raises(RoleForbidden):
            auth.grant_role(
                session,
                operator_id=people.admin,
                role="cashier",
                granted_by_id=None,
                workstation=WS,
                clock=clock,
            )
        with pytest.raises(RoleForbidden):
            auth.grant_role(
                session,
                operator_id=people.cashier,
                role="admin",
                granted_by_id=None,
                workstation=WS,
                clock=clock,
            )


def test_granting_a_role_needs_an_administrator_and_a_co_signature(engine, keys, clock, hasher, people):
    def grant(session, by, approval_id=None):
        return auth.grant_role(session, operator_id=people.cashier2, role="supervisor", granted_by_id=by,
                               workstation=WS, clock=clock, approval_id=approval_id)  # fmt: skip

    with work(engine, keys) as session:
        with pytest.raises(RoleForbidden):
            grant(session, people.head)
        with pytest.raises(ApprovalRequired):
            grant(session, people.admin)
    with work(engine, keys) as session:
        payload = {"operator_id": people.cashier2, "role": "supervisor"}
        approval_id = approve(session, approval=Approval(name="head", password=PASSWORD), kind="grant_role",
                              payload=payload, maker_id=people.admin, workstation=WS, clock=clock, hasher=hasher)  # fmt: skip
        grant(session, people.admin, approval_id)
        assert auth.roles_of(session, people.cashier2) == {"cashier", "supervisor"}


def test_supervisor_by_appointment_covers_its_period_only(engine, keys, clock, hasher, people):
    with work(engine, keys) as session:
        with pytest.raises(RoleForbidden):  # a cashier cannot appoint
            auth.appoint_supervisor(session, operator_id=people.cashier2, from_date=date(2025, 3, 1),
                                    to_date=date(2025, 3, 31), appointed_by_id=people.cashier, workstation=WS, clock=clock)  # fmt: skip
        auth.appoint_supervisor(session, operator_id=people.cashier2, from_date=date(2025, 3, 1),
                                to_date=date(2025, 3, 31), appointed_by_id=people.head, workstation=WS, clock=clock)  # fmt: skip
        assert auth.has_role(session, people.cashier2, "supervisor", on=date(2025, 3, 31))
        assert not auth.has_role(session, people.cashier2, "supervisor", on=date(2025, 4, 1))
        assert auth.has_role(session, people.supervisor, "supervisor", on=date(2030, 1, 1))  # standing grant
        with pytest.raises(RoleForbidden):  # nor may the administrator be appointed
            auth.appoint_supervisor(session, operator_id=people.admin, from_date=date(2025, 3, 1),
                                    to_date=date(2025, 3, 31), appointed_by_id=people.head, workstation=WS, clock=clock)  # fmt: skip
        with pytest.raises(RoleForbidden):  # and an appointed 监督人 may not become administrator
            auth.grant_role(
                session,
                operator_id=people.cashier2,
                role="admin",
                granted_by_id=None,
                workstation=WS,
                clock=clock,
            )


# --- the login id or the display name (issue 14 item 2) ------------------------------------------


def add_person(engine, keys, clock, hasher, name, display_name, disabled=False):
    with work(engine, keys) as session:
        op = auth.create_operator(session, name=name, password=PASSWORD, display_name=display_name,
                                  actor_id=None, workstation=WS, clock=clock, hasher=hasher)  # fmt: skip
        if disabled:
            auth.disable_operator(session, operator_id=op.id, actor_id=op.id, workstation=WS, clock=clock)
        return op.id


def attempts(engine, keys):
    with work(engine, keys) as session:
        rows = session.execute(
            select(LoginAttempt.operator_name, LoginAttempt.outcome).order_by(LoginAttempt.id)
        )
        return [tuple(row) for row in rows]


def test_a_new_cashier_logs_in_with_her_display_name(engine, keys, clock, hasher, people):
    add_person(engine, keys, clock, hasher, "zhangmin", "张敏")
    who = login(engine, keys, clock, hasher, name="张敏")
    assert (who.name, who.display_name) == ("zhangmin", "张敏")
    assert login(engine, keys, clock, hasher, name="zhangmin").name == "zhangmin"  # the id still works
    assert attempts(engine, keys) == [("zhangmin", "ok"), ("zhangmin", "ok")]  # kept under the id


def test_wrong_passwords_by_display_name_lock_the_person_not_the_typed_text(
    engine, keys, clock, hasher, people
):
    add_person(engine, keys, clock, hasher, "zhangmin", "张敏")
    for typed in ("张敏", "zhangmin", "张敏", "zhangmin", "张敏"):  # one streak, however it is typed
        with pytest.raises(AuthFailed):
            login(engine, keys, clock, hasher, name=typed, password="wrong-password")
    with pytest.raises(Locked):
        login(engine, keys, clock, hasher, name="zhangmin")
    with pytest.raises(Locked):
        login(engine, keys, clock, hasher, name="张敏")
    assert {name for name, _ in attempts(engine, keys)} == {"zhangmin"}


def test_a_display_name_two_people_share_asks_for_the_id_and_costs_no_try(
    engine, keys, clock, hasher, people
):
    add_person(engine, keys, clock, hasher, "zhangmin", "张敏")
    add_person(engine, keys, clock, hasher, "zhangmin2", "张敏")
    for _ in range(8):  # more than max_failures: none of them counts
        with pytest.raises(InputInvalid) as err:
            login(engine, keys, clock, hasher, name="张敏")
        assert (
            err.value.field == "name" and "工号" in err.value.message and "login ID" in err.value.message_en
        )
    assert attempts(engine, keys) == []  # no password was tried, nothing counted or locked
    assert login(engine, keys, clock, hasher, name="zhangmin2").name == "zhangmin2"


def test_the_login_id_wins_and_a_disabled_namesake_does_not_make_a_name_ambiguous(
    engine, keys, clock, hasher, people
):
    add_person(engine, keys, clock, hasher, "oldzhang", "张敏", disabled=True)  # left years ago
    add_person(engine, keys, clock, hasher, "zhangmin", "张敏")
    assert login(engine, keys, clock, hasher, name="张敏").name == "zhangmin"
    add_person(engine, keys, clock, hasher, "lisi", "zhang")  # a display name equal to another's id
    assert login(engine, keys, clock, hasher, name="zhang").id == people.cashier
    with pytest.raises(AuthFailed):  # a name nobody has is refused (and counted) as before
        login(engine, keys, clock, hasher, name="王五")
    assert attempts(engine, keys)[-1] == ("王五", "failed")
