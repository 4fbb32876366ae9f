"""An account's metering (issue 17 §1): card by default; the department sets a networked module
(bus, address, protocol); rows are insert-only and audited; a networked account is not sold to
by card."""

from __future__ import annotations

import pytest
from cardops_testing import audit_ok, rows
from opstesting import make_world

from base.errors import UserFacingError
from db.models import AccountMetering
from db.models.metering import BUS_PROTOCOLS
from hardware.meter_bus import PROTOCOLS

DORM = "D-5-308"


@pytest.fixture(params=["sqlite", "postgresql"])
def world(request, tmp_path):
    url = request.getfixturevalue("pg_url") if request.param == "postgresql" else None
    w = make_world(tmp_path, db_url=url)
    yield w
    w.close()


def refused(code, call, **kwargs):
    with pytest.raises(UserFacingError) as err:
        call(**kwargs)
    assert err.value.code == code, err.value
    return err.value


def test_db_and_hardware_name_the_same_protocols():
    assert set(BUS_PROTOCOLS) == set(PROTOCOLS)


def test_card_by_default_then_networked_then_card_again(world):
    head = world.login("zhao")
    assert head.metering(account_no=DORM).mode == "card"
    got = head.set_metering(account_no=DORM, mode="networked", bus="dorm-5", address="000000005308",
                            protocol="dlt645", reason="远程模块安装")  # fmt: skip
    assert (got.mode, got.bus, got.address, got.protocol) == ("networked", "dorm-5", "000000005308", "dlt645")
    assert got.since == world.clock()
    assert world.login("zhang").metering(account_no=DORM) == got
    same = head.set_metering(account_no=DORM, mode="networked", bus="dorm-5", address="000000005308",
                             protocol="dlt645")  # fmt: skip
    assert same == got and len(rows(world, AccountMetering)) == 1  # nothing changed: no row
    back = head.set_metering(account_no=DORM, mode="card")
    assert (back.mode, back.bus) == ("card", None)
    assert [r.mode for r in rows(world, AccountMetering)] == ["networked", "card"]
    assert audit_ok(world)


def test_refusals(world):
    head = world.login("zhao")
    refused("ROLE_FORBIDDEN", world.login("zhang").set_metering, account_no=DORM, mode="card")
    refused("INPUT_INVALID", head.set_metering, account_no=DORM, mode="radio")
    refused("INPUT_INVALID", head.set_metering, account_no=DORM, mode="card", bus="dorm-5")
    refused("INPUT_INVALID", head.set_metering, account_no=DORM, mode="networked", bus="dorm-5",
            address="5308", protocol="dlt645")  # fmt: skip
    refused("INPUT_INVALID", head.set_metering, account_no=DORM, mode="networked", bus="dorm-5",
            address="300", protocol="modbus")  # fmt: skip
    refused("INPUT_INVALID", head.set_metering, account_no=DORM, mode="networked", bus="dorm-5",
            address="3", protocol="bacnet")  # fmt: skip
    refused("INPUT_INVALID", head.set_metering, account_no=DORM, mode="networked", bus=" ",
            address="3", protocol="modbus")  # fmt: skip
    refused("ACCOUNT_UNKNOWN", head.set_metering, account_no="X-1", mode="card")
    head.set_metering(account_no=DORM, mode="networked", bus="dorm-5", address="3", protocol="modbus")
    err = refused("INPUT_INVALID", head.set_metering, account_no="D-5-309", mode="networked", bus="dorm-5",
                  address="3", protocol="modbus")  # fmt: skip
    assert err.data["account_no"] == DORM  # one account per module on a bus
    head.set_metering(account_no="D-5-309", mode="networked", bus="dorm-6", address="3", protocol="modbus")
    assert len(rows(world, AccountMetering)) == 2


def test_a_networked_account_is_not_sold_to_by_card(world):
    cashier = world.login("zhang")
    cashier.open_shift(float_fen=50_000)
    world.issue_card(DORM, cashier)
    world.login("zhao").set_metering(account_no=DORM, mode="networked", bus="dorm-5",
                                     address="000000005308", protocol="dlt645")  # fmt: skip
    err = refused("INPUT_INVALID", cashier.top_up, account_no=DORM, amount_fen=1_000, tendered_fen=1_000)
    assert err.data["metering"] == "networked"
    world.login("zhao").set_metering(account_no=DORM, mode="card")
    assert cashier.top_up(account_no=DORM, amount_fen=1_000, tendered_fen=1_000).amount_fen == 1_000
