"""Dual control cannot be bypassed through the facade (issue "Counter operations", tests that must
exist): self-approval, a forged approval row by SQL, reuse, expiry, a payload changed after approval.
The operation under test is the supervisor override of PREVIOUS_NOT_LOADED."""

from __future__ import annotations

import pytest
from opstesting import CHEAP, PASSWORD, make_world
from sqlalchemy import func, insert, select

from base.errors import UserFacingError
from counter_app.approvals import Approval, consume_approval, grant_approval
from counter_app.keystore import bind_keys
from db.models import LedgerEntry
from db.models.security import Approval as ApprovalRow
from db.models.security import Operator
from db.session import unit_of_work


@pytest.fixture
def unloaded(tmp_path):
    """A sale on the card that the meter has not loaded: the next sale needs an override."""
    world = make_world(tmp_path)
    s = world.login("zhang")
    s.open_shift(float_fen=0)
    world.issue_card("D-5-308", s)
    s.top_up(account_no="D-5-308", amount_fen=2_000)
    yield world, s
    world.close()


def _override(s, approval):
    return s.top_up(account_no="D-5-308", amount_fen=3_000, override_reason="返写丢失", approval=approval)


def _sales(world) -> int:
    with unit_of_work(world.counter.engine, read_only=True) as db:
        return db.scalar(select(func.count()).where(LedgerEntry.kind == "sale"))


@pytest.mark.parametrize(
    ("approval", "code"),
    [
        (None, "APPROVAL_REQUIRED"),
        (Approval(name="zhang", password=PASSWORD), "SELF_APPROVAL"),
        (Approval(name="li", password="wrong-password"), "APPROVAL_INVALID"),
        (Approval(name="wu", password=PASSWORD), "APPROVAL_INVALID"),  # a cashier cannot co-sign
        (Approval(name="nobody", password=PASSWORD), "APPROVAL_INVALID"),
    ],
)
def test_no_valid_second_person_no_override(unloaded, approval, code):
    world, s = unloaded
    with pytest.raises(UserFacingError) as info:
        _override(s, approval)
    assert info.value.code == code
    assert _sales(world) == 1


def test_an_approval_row_forged_by_sql_is_refused_at_use(unloaded):
    world, s = unloaded
    with unit_of_work(world.counter.engine) as db:
        ids = dict(db.execute(select(Operator.name, Operator.id)).tuples().all())
        forged = db.execute(insert(ApprovalRow).values(
            kind="top_up.override_not_loaded", payload_sha256="0" * 64, maker_id=ids["zhang"],
            checker_id=ids["li"], workstation="W01", nonce="forged-nonce", created_at=world.clock(),
            expires_at=world.clock().replace(year=2030), signature="f" * 64,
        ).returning(ApprovalRow.id)).scalar_one()  # fmt: skip
    with unit_of_work(world.counter.engine) as db, pytest.raises(UserFacingError) as info:
        bind_keys(db, world.counter.keys)
        consume_approval(db, approval_id=forged, kind="top_up.override_not_loaded", payload={},
                         maker_id=ids["zhang"], clock=world.clock)  # fmt: skip
    assert info.value.code == "APPROVAL_INVALID"


def test_an_approval_is_used_once_expires_and_covers_exactly_its_payload(unloaded):
    world, s = unloaded
    payload = {"account_no": "D-5-308", "amount_fen": 3_000}
    with unit_of_work(world.counter.engine) as db:
        bind_keys(db, world.counter.keys)
        zhang = db.scalar(select(Operator.id).where(Operator.name == "zhang"))
        granted = [grant_approval(db, kind="k", payload=payload, maker_id=zhang, checker_name="li",
                                  checker_password=PASSWORD, workstation="W01", clock=world.clock, hasher=CHEAP)
                   for _ in range(3)]  # fmt: skip

    def use(approval_id, body):
        with unit_of_work(world.counter.engine) as db:
            bind_keys(db, world.counter.keys)
            consume_approval(
                db, approval_id=approval_id, kind="k", payload=body, maker_id=zhang, clock=world.clock
            )

    use(granted[0].approval_id, payload)
    for approval_id, body in (
        (granted[0].approval_id, payload),  # reused
        (granted[1].approval_id, {**payload, "amount_fen": 3_001}),
    ):  # changed
        with pytest.raises(UserFacingError) as info:
            use(approval_id, body)
        assert info.value.code == "APPROVAL_INVALID"
    world.clock.advance(seconds=121)
    with pytest.raises(UserFacingError) as info:
        use(granted[2].approval_id, payload)
    assert info.value.code == "APPROVAL_INVALID"


def test_a_valid_supervisor_override_goes_through_and_is_recorded(unloaded):
    world, s = unloaded
    result = _override(s, world.approval("li"))
    assert result.carried_ckwh > 0 and _sales(world) == 2
    with unit_of_work(world.counter.engine, read_only=True) as db:
        entry = db.scalars(select(LedgerEntry).order_by(LedgerEntry.id.desc())).first()
        assert entry.approval_id is not None and entry.reason == "返写丢失"
