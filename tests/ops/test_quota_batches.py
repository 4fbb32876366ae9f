"""Free-quota batches through the facade (DOMAIN "Counter operations" 2): prepare, co-sign,
overlap, excluded months, entitlement per basis and category."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from opstesting import make_world, set_columns
from quotatesting import count, set_setting

from base.errors import UserFacingError
from counter_app.ops import quota_policy
from db.models import Account
from db.models.quota import QuotaBatch, QuotaBatchApproval


@pytest.fixture
def world(tmp_path):
    w = make_world(tmp_path)
    yield w
    w.close()


def test_a_batch_is_prepared_from_occupancy_and_co_signed_by_another_person(world):
    zhang = world.login("zhang")
    draft = zhang.prepare_quota_batch(period="2026-11", buildings=["5"])
    assert (draft.rooms, draft.total_ckwh) == (2, 2 * 4 * 1_000)  # 2 dorm rooms × 4 undergrads × 10 kWh
    assert zhang.find_account(account_no="D-5-308").free_owed_ckwh == 0  # not approved yet
    with pytest.raises(UserFacingError) as err:
        zhang.approve_quota_batch(batch_id=draft.batch_id, approval=None)
    assert err.value.code == "APPROVAL_REQUIRED"
    info = zhang.approve_quota_batch(batch_id=draft.batch_id, approval=world.approval("li"))
    assert (info.maker, info.checker, info.rooms, info.total_ckwh) == ("zhang", "li", 2, 8_000)
    assert zhang.find_account(account_no="D-5-308").free_owed_ckwh == 4_000
    assert zhang.find_account(account_no="S-12-101").free_owed_ckwh == 0  # staff get no quota


def test_the_maker_of_a_batch_cannot_co_sign_it(world):
    li = world.login("li")
    draft = li.prepare_quota_batch(period="2026-11", buildings=["5"])
    for session, approver in ((li, "li"), (world.login("zhang"), "li")):
        with pytest.raises(UserFacingError) as err:
            session.approve_quota_batch(batch_id=draft.batch_id, approval=world.approval(approver))
        assert err.value.code == "SELF_APPROVAL"
    assert count(world, QuotaBatchApproval) == 0


def test_a_batch_overlapping_an_approved_one_is_refused_naming_the_rooms(world):
    zhang = world.login("zhang")
    first = zhang.prepare_quota_batch(period="2026-11", buildings=["5"])
    second = zhang.prepare_quota_batch(period="2026-11", buildings=["5", "12"])
    zhang.approve_quota_batch(batch_id=first.batch_id, approval=world.approval("li"))
    with pytest.raises(UserFacingError) as err:
        zhang.approve_quota_batch(batch_id=second.batch_id, approval=world.approval("li"))
    assert err.value.code == "QUOTA_OVERLAP" and err.value.data["rooms"] == ["5-308", "5-309"]
    assert "5-308" in err.value.message
    with pytest.raises(UserFacingError) as err:
        zhang.prepare_quota_batch(period="2026-11", buildings=["5"])
    assert err.value.code == "QUOTA_OVERLAP"
    assert zhang.prepare_quota_batch(period="2026-12", buildings=["5"]).rooms == 2  # next month is fine


@pytest.mark.parametrize("period", ["2027-02", "2027-07", "2027-08"])
def test_an_excluded_month_is_refused_naming_the_month(world, period):
    with pytest.raises(UserFacingError) as err:
        world.login("zhang").prepare_quota_batch(period=period, buildings=["5"])
    assert err.value.code == "INPUT_INVALID" and f"{int(period[5:])}月" in err.value.message
    assert count(world, QuotaBatch) == 0


@pytest.mark.parametrize(("kwargs", "field"), [({"period": "2026-13", "buildings": ["5"]}, "period"),
                                               ({"period": "2026-11", "buildings": ["99"]}, "buildings"),
                                               ({"period": "2026-11", "buildings": []}, "buildings")])  # fmt: skip
def test_bad_batch_input_is_refused(world, kwargs, field):
    with pytest.raises(UserFacingError) as err:
        world.login("zhang").prepare_quota_batch(**kwargs)
    assert (err.value.code, err.value.field) == ("INPUT_INVALID", field)


def test_entitlement_follows_the_policy_basis_and_categories(world):
    set_columns(world, Account, Account.account_no == "D-5-309",
                occupants_undergrad=1, occupants_master=1, occupants_phd=1, beds=4)  # fmt: skip
    set_setting(world, "quota.ckwh_per_unit.phd", 2_000)
    zhang = world.login("zhang")
    assert (
        zhang.prepare_quota_batch(period="2026-11", buildings=["5"]).total_ckwh
        == 4_000 + 1_000 + 1_000 + 2_000
    )
    set_setting(world, "quota.basis", "bed")
    assert zhang.prepare_quota_batch(period="2026-12", buildings=["5"]).total_ckwh == 8 * 1_000
    set_setting(world, "quota.basis", "room")
    assert zhang.prepare_quota_batch(period="2027-01", buildings=["5"]).total_ckwh == 2 * 1_000


_POLICY = st.fixed_dictionaries({
    "basis": st.sampled_from(["occupant", "bed", "room"]),
    "ckwh_per_unit": st.fixed_dictionaries({c: st.integers(0, 5_000) for c in ("undergrad", "master", "phd")}),
})  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(policy=_POLICY, beds=st.integers(0, 12), occ=st.lists(st.integers(0, 8), min_size=3, max_size=3))
def test_entitlement_arithmetic(policy, beds, occ):
    occupants = dict(zip(("undergrad", "master", "phd"), occ, strict=True))
    got = quota_policy.entitlement_ckwh(policy, beds=beds, occupants=occupants)
    rates = policy["ckwh_per_unit"]
    expected = {"occupant": sum(occupants[c] * rates[c] for c in occupants), "bed": beds * rates["undergrad"],
                "room": rates["undergrad"]}[policy["basis"]]  # fmt: skip
    assert got == expected and got >= 0 and isinstance(got, int)


def test_a_semester_batch_covers_the_months_to_the_term_end_without_excluded_ones():
    from datetime import date

    policy = {"period": "semester", "excluded_months": [7, 8, 2]}
    assert quota_policy.covered_months(policy, 2026, 12, date(2027, 3, 10)) == [
        "2026-12",
        "2027-01",
        "2027-03",
    ]
    assert quota_policy.covered_months({**policy, "period": "month"}, 2026, 11, None) == ["2026-11"]
