"""Dual control: who may approve, exactly what, once, in time; forged rows; throttling per
workstation without locking the supervisor out; the canonical payload."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from base.errors import ApprovalInvalid, ApprovalRequired, Locked, SelfApproval
from counter_app import approvals, auth
from counter_app.approvals import Approval, approve, canonical_payload, consume_approval, grant_approval
from counter_app.audit import recording_refusals, verify
from db.models.security import Approval as ApprovalRow
from db.models.security import ApprovalFailure
from security.helpers import PASSWORD, WS, work

KIND = "refund_room"
PAYLOAD = {"account_no": "A0001", "refund_fen": 12345, "on": date(2025, 3, 10)}


def grant(
    engine, keys, clock, hasher, *, maker, checker="li", password=PASSWORD, workstation=WS, payload=PAYLOAD
):
    with recording_refusals(engine, keys=keys) as session:
        return grant_approval(session, kind=KIND, payload=payload, maker_id=maker, checker_name=checker,
                              checker_password=password, workstation=workstation, clock=clock, hasher=hasher)  # fmt: skip


def use(engine, keys, clock, *, approval_id, maker, payload=PAYLOAD, kind=KIND):
    with recording_refusals(engine, keys=keys) as session:
        consume_approval(
            session, approval_id=approval_id, kind=kind, payload=payload, maker_id=maker, clock=clock
        )


def test_grant_then_use_once(engine, keys, clock, hasher, people):
    granted = grant(engine, keys, clock, hasher, maker=people.cashier)
    assert (granted.checker_name, granted.maker_id) == ("li", people.cashier)
    use(engine, keys, clock, approval_id=granted.approval_id, maker=people.cashier)
    with pytest.raises(ApprovalInvalid, match="用过"):
        use(engine, keys, clock, approval_id=granted.approval_id, maker=people.cashier)
    with work(engine, keys) as session:
        assert verify(session).ok


@pytest.mark.parametrize("checker", ["wang", "head"])
def test_assistant_and_head_may_co_sign(engine, keys, clock, hasher, people, checker):
    assert grant(engine, keys, clock, hasher, maker=people.cashier, checker=checker).checker_name == checker


def test_self_approval_refused_and_recorded(engine, keys, clock, hasher, people):
    with pytest.raises(SelfApproval):
        grant(engine, keys, clock, hasher, maker=people.supervisor, checker="li")
    with work(engine, keys) as session:
        assert session.scalars(select(ApprovalFailure.reason)).all() == ["self"]
        assert verify(session).ok


def test_database_refuses_maker_as_checker(engine, keys, clock, people):
    with pytest.raises(IntegrityError), work(engine, keys) as session:
        session.execute(insert(ApprovalRow).values(
            nonce="n" * 32, kind=KIND, payload_sha256="0" * 64, maker_id=people.cashier, checker_id=people.cashier,
            workstation=WS, created_at=clock(), expires_at=clock() + timedelta(minutes=2), signature="0" * 64,
        ))  # fmt: skip


@pytest.mark.parametrize("checker", ["zhao", "qian", "admin"])
def test_checker_without_co_signing_role_refused(engine, keys, clock, hasher, people, checker):
    with pytest.raises(ApprovalInvalid, match="无监督"):
        grant(engine, keys, clock, hasher, maker=people.cashier, checker=checker)


def test_row_inserted_by_sql_is_refused_at_use(engine, keys, clock, hasher, people):
    with work(engine, keys) as session:
        approval_id = session.execute(insert(ApprovalRow).values(
            nonce="f" * 32, kind=KIND, payload_sha256=approvals.payload_sha256(KIND, PAYLOAD), maker_id=people.cashier,
            checker_id=people.supervisor, workstation=WS, created_at=clock(),
            expires_at=clock() + timedelta(minutes=2), signature="ab" * 32,
        ).returning(ApprovalRow.id)).scalar_one()  # fmt: skip
    with pytest.raises(ApprovalInvalid, match="签名"):
        use(engine, keys, clock, approval_id=approval_id, maker=people.cashier)
    with work(engine, keys) as session:
        result = verify(session)
    assert not result.ok and any("approvals#" in p.reason and p.sequence is None for p in result.problems)


def test_row_edited_by_sql_is_refused_at_use(engine, keys, clock, hasher, people):
    granted = grant(engine, keys, clock, hasher, maker=people.cashier)
    with work(engine, keys) as session:  # stretch the expiry behind the software's back
        session.execute(update(ApprovalRow).where(ApprovalRow.id == granted.approval_id)
                        .values(expires_at=clock() + timedelta(days=1)))  # fmt: skip
    with pytest.raises(ApprovalInvalid, match="签名"):
        use(engine, keys, clock, approval_id=granted.approval_id, maker=people.cashier)


def test_expired_approval_refused(engine, keys, clock, hasher, people):
    granted = grant(engine, keys, clock, hasher, maker=people.cashier)
    clock.advance(seconds=120)
    with pytest.raises(ApprovalInvalid, match="过期"):
        use(engine, keys, clock, approval_id=granted.approval_id, maker=people.cashier)


def test_payload_changed_after_approval_refused(engine, keys, clock, hasher, people):
    granted = grant(engine, keys, clock, hasher, maker=people.cashier)
    with pytest.raises(ApprovalInvalid, match="不一致"):
        use(engine, keys, clock, approval_id=granted.approval_id, maker=people.cashier,
            payload={**PAYLOAD, "refund_fen": 12346})  # fmt: skip
    with pytest.raises(ApprovalInvalid, match="不一致"):
        use(engine, keys, clock, approval_id=granted.approval_id, maker=people.cashier, kind="clear_meter")
    use(
        engine, keys, clock, approval_id=granted.approval_id, maker=people.cashier
    )  # the real one still works


def test_another_maker_cannot_use_it(engine, keys, clock, hasher, people):
    granted = grant(engine, keys, clock, hasher, maker=people.cashier)
    with pytest.raises(ApprovalInvalid, match="另一位"):
        use(engine, keys, clock, approval_id=granted.approval_id, maker=people.cashier2)


def test_approve_without_approval_is_required(engine, keys, clock, hasher, people):
    with work(engine, keys) as session, pytest.raises(ApprovalRequired):
        approve(
            session,
            approval=None,
            kind=KIND,
            payload=PAYLOAD,
            maker_id=people.cashier,
            workstation=WS,
            clock=clock,
        )


def test_approval_repr_hides_the_password():
    assert "s3cret-pw" not in repr(Approval(name="li", password="s3cret-pw"))
    assert "s3cret-pw" not in str(Approval(name="li", password="s3cret-pw"))


def test_failures_throttle_the_workstation_not_the_supervisor(engine, keys, clock, hasher, people):
    for _ in range(5):
        with pytest.raises(ApprovalInvalid, match="密码"):
            grant(engine, keys, clock, hasher, maker=people.cashier, password="guess-guess")
        clock.advance(seconds=5)
    with pytest.raises(Locked, match="本窗口"):  # even with the right password, at this counter
        grant(engine, keys, clock, hasher, maker=people.cashier)
    # The supervisor can still log in, and approve at another counter.
    with recording_refusals(engine, keys=keys) as session:
        assert auth.authenticate(
            session, name="li", password=PASSWORD, workstation=WS, clock=clock, hasher=hasher
        )
    grant(engine, keys, clock, hasher, maker=people.cashier, workstation="W02")
    clock.advance(minutes=1)
    with pytest.raises(ApprovalInvalid):  # a sixth failure doubles the wait
        grant(engine, keys, clock, hasher, maker=people.cashier, password="guess-guess")
    clock.advance(minutes=1, seconds=30)
    with pytest.raises(Locked):
        grant(engine, keys, clock, hasher, maker=people.cashier)
    clock.advance(minutes=1)
    grant(engine, keys, clock, hasher, maker=people.cashier)
    with work(engine, keys) as session:
        assert approvals.throttled_until(session, workstation=WS, now=clock()) is None  # a good one resets
        assert verify(session).ok


def test_auditor_listing(engine, keys, clock, hasher, people):
    for checker, hour in [("li", 9), ("li", 9), ("wang", 20)]:
        clock.set(datetime(2025, 3, 10, hour, 5, tzinfo=clock().tzinfo))
        with work(engine, keys) as session:
            approve(session, approval=Approval(name=checker, password=PASSWORD), kind=KIND, payload=PAYLOAD,
                    maker_id=people.cashier, workstation=WS, clock=clock, hasher=hasher)  # fmt: skip
    with work(engine, keys) as session:
        rows = approvals.approvals_matrix(session)
        listed = approvals.list_approvals(session)
    assert [(r.checker, r.maker, r.count) for r in rows] == [("li", "zhang", 2), ("wang", "zhang", 1)]
    assert rows[0].by_hour[9] == 2 and rows[1].by_hour[20] == 1
    assert all(r.used_at is not None for r in listed)


# --- the canonical payload ---------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8) | st.dates(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=10,
)


@given(st.dictionaries(st.text(max_size=6), json_values, max_size=6))
def test_canonical_payload_ignores_key_order(payload):
    reordered = dict(reversed(list(payload.items())))
    assert canonical_payload(KIND, payload) == canonical_payload(KIND, reordered)


@given(st.datetimes(timezones=st.just(UTC)), st.integers(-12, 14))
def test_canonical_payload_ignores_the_time_zone_of_a_moment(moment, hours):
    shifted = moment.astimezone(timezone(timedelta(hours=hours)))
    assert canonical_payload(KIND, {"at": moment}) == canonical_payload(KIND, {"at": shifted})


@given(st.dictionaries(st.text(max_size=6), st.integers(), min_size=1, max_size=5), st.data())
def test_any_changed_value_changes_the_hash(payload, data):
    key = data.draw(st.sampled_from(sorted(payload)))
    changed = {**payload, key: payload[key] + data.draw(st.integers(1, 10**9))}
    assert approvals.payload_sha256(KIND, payload) != approvals.payload_sha256(KIND, changed)


@given(st.floats(allow_nan=False))
def test_floats_are_refused(value):
    with pytest.raises(TypeError, match="float"):
        canonical_payload(KIND, {"amount": value})
