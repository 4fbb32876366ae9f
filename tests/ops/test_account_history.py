"""`account_history`: the account detail's one read (issue 14, "an account detail view")."""

from __future__ import annotations

import pytest
from opstesting import make_world

from base.errors import UserFacingError


@pytest.fixture
def world(tmp_path):
    w = make_world(tmp_path)
    yield w
    w.close()


@pytest.fixture
def zhang(world):
    s = world.login("zhang")
    s.open_shift(float_fen=50_000)
    return s


def test_the_history_lists_the_sale_the_card_the_write_back_and_the_notice(world, zhang):
    serial = world.issue_card("D-5-308", zhang)
    sale = zhang.top_up(account_no="D-5-308", amount_fen=10_000, tendered_fen=10_000)
    world.sim.insert_into_meter(serial)
    world.sim.consume("M5308", 1_000)
    world.sim.insert_into_meter(serial)
    world.sim.present_card(serial)
    zhang.top_up(account_no="D-5-308", amount_fen=1_000, tendered_fen=1_000)  # sees the write-back
    notice = zhang.create_notice(kind="repair", payer="张三", amount_fen=3_000, account_no="D-5-308",
                                 repairman="王师傅", repair_date=world.clock().date())  # fmt: skip
    history = zhang.account_history(account_no="5-308")  # a room code, as the sale page takes it
    assert history.account.account_no == "D-5-308" and history.account.meter_no == "M5308"
    assert history.building == "5号楼" and history.occupants == 4
    line = [p for p in history.purchases if p.kind == "sale"][-1]  # the first sale: oldest, last
    assert (line.receipt_no, line.amount_fen, line.energy_ckwh, line.voided) == (
        sale.receipt_no,
        10_000,
        16_998,
        False,
    )
    assert line.workstation == "W01" and line.operator and line.tender == "cash"
    assert any(c.kind == "issued" for c in history.cards)
    assert history.write_backs and history.write_backs[0].write_back.consumed_ckwh >= 1_000
    assert [n.notice_no for n in history.notices] == [notice.notice_no]
    assert history.more == {}
    assert zhang.account_history(account_no="D-5-309").purchases == ()


def test_each_list_is_limited_and_counts_the_rest(world, zhang):
    serial = world.issue_card("D-5-308", zhang)
    for _ in range(3):
        zhang.top_up(account_no="D-5-308", amount_fen=1_000, tendered_fen=1_000)
        world.sim.insert_into_meter(serial)
        world.sim.present_card(serial)
        world.clock.advance(minutes=1)
    history = zhang.account_history(account_no="D-5-308", limit=2)
    assert len(history.purchases) == 2 and history.more["purchases"] == 1
    assert history.purchases[0].at >= history.purchases[1].at  # newest first


def test_an_unknown_account_is_refused(zhang):
    with pytest.raises(UserFacingError) as caught:
        zhang.account_history(account_no="D-9-999")
    assert caught.value.code == "ACCOUNT_UNKNOWN"
    with pytest.raises(UserFacingError) as caught:
        zhang.account_history(account_no="D-5-308", limit=0)
    assert caught.value.code == "INPUT_INVALID"
