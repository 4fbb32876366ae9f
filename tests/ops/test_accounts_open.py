"""open_account, confirm_class and change_holder through the facade."""

from __future__ import annotations

import pytest
from cardops_testing import audit_ok, rows
from opstesting import make_world

from base.errors import UserFacingError
from db.models import Account, AccountEvent, Room


@pytest.fixture
def world(tmp_path):
    w = make_world(tmp_path)
    yield w
    w.close()


def refused(code, call, **kwargs):
    with pytest.raises(UserFacingError) as err:
        call(**kwargs)
    assert err.value.code == code, err.value
    return err.value


def test_open_a_staff_account_in_a_new_room(world):
    s = world.login("zhang")
    info = s.open_account(
        room_code="07701", cls="staff", meter_no="M701", holder=" 王老师 ", phone="13800000000"
    )
    assert (info.account_no, info.room_code, info.cls, info.status) == ("S-7-701", "7-701", "staff", "active")
    assert (info.holder, info.phone, info.meter_no, info.purchase_counter, info.price_e4) == (
        "王老师",
        "13800000000",
        "M701",
        0,
        5_383,
    )
    assert info.opened_on == world.clock().date()
    assert s.find_account(room_code="7-701").account_no == "S-7-701"
    (event,) = rows(world, AccountEvent, AccountEvent.kind == "opened")
    assert event.data["meter_no"] == "M701" and event.data["class_confirmed"] is True
    assert rows(world, Account, Account.account_no == "S-7-701")[0].simulated is True
    assert audit_ok(world)


def test_open_account_refusals_write_nothing(world):
    s = world.login("zhang")
    refused("INPUT_INVALID", s.open_account, room_code="7-701", cls="dorm", meter_no="M1", holder="x")
    refused("INPUT_INVALID", s.open_account, room_code="7-701", cls="villa", meter_no="M1", holder="x")
    refused("INPUT_INVALID", s.open_account, room_code="7-701", cls="staff", meter_no="M1", holder="  ")
    refused("INPUT_INVALID", s.open_account, room_code="seven", cls="staff", meter_no="M1", holder="x")
    err = refused("INPUT_INVALID", s.open_account, room_code="12-101", cls="staff", meter_no="M1", holder="x")
    assert err.data["account_no"] == "S-12-101"  # one live account per room
    err = refused(
        "INPUT_INVALID", s.open_account, room_code="7-701", cls="business", meter_no="M1001", holder="x"
    )
    assert err.data["account_no"] == "B-1-001"  # one live account per meter
    refused("ROLE_FORBIDDEN", world.login("admin").open_account, room_code="7-701", cls="staff", meter_no="M1",
            holder="x")  # fmt: skip
    assert rows(world, AccountEvent) == [] and rows(world, Room, Room.room_code == "7-701") == []


def test_pending_account_sells_nothing_until_a_supervisor_confirms(world):
    s = world.login("zhang")
    s.open_shift(float_fen=50_000)
    info = s.open_account(
        room_code="3-105", cls="business", meter_no="M3105", holder="打印店", class_confirmed=False
    )
    assert info.status == "pending"
    serial = world.issue_card(info.account_no, session=s)
    world.sim.present_card(serial)
    refused("ACCOUNT_PENDING", s.top_up, account_no=info.account_no, amount_fen=10_000, tendered_fen=10_000)
    refused("APPROVAL_REQUIRED", s.confirm_class, account_no=info.account_no, cls="business")
    refused("SELF_APPROVAL", s.confirm_class, account_no=info.account_no, cls="business",
            approval=world.approval("zhang"))  # fmt: skip
    refused("APPROVAL_INVALID", s.confirm_class, account_no=info.account_no, cls="business",
            approval=world.approval("wu"))  # a cashier cannot co-sign  # fmt: skip
    assert s.find_account(account_no=info.account_no).status == "pending"
    confirmed = s.confirm_class(account_no=info.account_no, cls="staff", approval=world.approval("li"))
    assert (confirmed.status, confirmed.cls, confirmed.price_e4) == ("active", "staff", 5_383)
    (event,) = rows(world, AccountEvent, AccountEvent.kind == "class_confirmed")
    assert event.approval_id and event.data["from_cls"] == "business"
    world.sim.present_card(serial)
    assert s.top_up(account_no=info.account_no, amount_fen=10_000, tendered_fen=10_000).price_e4 == 5_383
    refused(
        "INPUT_INVALID",
        s.confirm_class,
        account_no=info.account_no,
        cls="staff",
        approval=world.approval("li"),
    )
    changed = s.confirm_class(account_no=info.account_no, cls="business", approval=world.approval("li"))
    assert (changed.status, changed.cls) == ("active", "business")
    assert [e.kind for e in rows(world, AccountEvent, AccountEvent.kind.like("class_%"))] == [
        "class_confirmed",
        "class_changed",
    ]


def test_confirm_class_refuses_unknown_and_closed_accounts(world):
    s = world.login("zhang")
    refused(
        "ACCOUNT_UNKNOWN", s.confirm_class, account_no="S-9-999", cls="staff", approval=world.approval("li")
    )
    refused(
        "INPUT_INVALID", s.confirm_class, account_no="S-12-101", cls="villa", approval=world.approval("li")
    )
    assert rows(world, AccountEvent) == []


def test_change_holder_keeps_the_energy_and_records_the_handover(world):
    s = world.login("zhang")
    s.open_shift(float_fen=50_000)
    serial = world.issue_card("S-12-101", session=s)
    world.sim.present_card(serial)
    s.top_up(account_no="S-12-101", amount_fen=10_000, tendered_fen=10_000)
    info = s.change_holder(account_no="S-12-101", holder="赵老师", phone="13900000000", handover_ckwh=12_345)
    assert (info.holder, info.phone, info.card_serial, info.purchase_counter) == (
        "赵老师",
        "13900000000",
        serial,
        1,
    )
    (event,) = rows(world, AccountEvent, AccountEvent.kind == "holder_changed")
    assert event.data == {"from_holder": "张老师", "from_phone": None, "holder": "赵老师", "phone": "13900000000",
                          "handover_ckwh": 12_345, "purchase_counter": 1}  # fmt: skip
    refused("INPUT_INVALID", s.change_holder, account_no="S-12-101", holder="x", phone=None, handover_ckwh=-1)
    refused("INPUT_INVALID", s.change_holder, account_no="S-12-101", holder="", phone=None, handover_ckwh=0)
    refused("ACCOUNT_UNKNOWN", s.change_holder, account_no="nope", holder="x", phone=None, handover_ckwh=0)
    assert audit_ok(world)
