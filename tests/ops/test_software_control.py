"""Software control of a networked room and its back-charge (补交所差电费, seed 003 §4.3.5), against
the simulated DL/T 645 bus on a socket, on SQLite and PostgreSQL: both steps co-signed by a 监督人,
the zero-balance trip rule holds off while a room is under software control, the energy comes from
the same module's readings or from an estimate (a replaced module restarts its register), the
balance covers what it can and the shortfall is a 补交电费 notice paid with pay_notice."""

from __future__ import annotations

import pytest
from cardops_testing import audit_ok, rows
from hypothesis import given
from hypothesis import strategies as st
from opstesting import make_world
from quotatesting import set_setting

from base.clock import BUSINESS_TZ
from base.errors import UserFacingError
from base.money import charge_half_up
from counter_app.approval_summary import summarise
from counter_app.keystore import keystore_from_spec, set_device_secret
from counter_app.ops.software_control import shortfall
from counter_app.settlement.report_catalogue import build_report
from counter_app.settlement.reports import ReportQuery
from db.models import LedgerEntry, MeterSwitch, Notice, SoftwareControlStep
from db.session import unit_of_work
from hardware.sim.meter_bus import DEFAULT_PASSWORD, SimMeterBus

DORM = "D-5-308"
BUS = "dorm-5"
ADDRESS = "000000005308"
PRICE = 5_883


@pytest.fixture(params=["sqlite", "postgresql"])
def room(request, tmp_path):
    """DORM on a simulated DL/T 645 bus, 50 yuan credited, read once at 123.45 kWh; (world, sim)."""
    url = request.getfixturevalue("pg_url") if request.param == "postgresql" else None
    world = make_world(tmp_path, db_url=url)
    sim = SimMeterBus("dlt645", clock=world.clock)
    sim.add_meter(ADDRESS, energy_ckwh=12_345)
    set_setting(world, "meter_bus.ports", {BUS: sim.url})
    set_device_secret(keystore_from_spec(world.keystore), "dlt645_password", DEFAULT_PASSWORD)
    set_setting(world, "stamped_receipt_for", [])
    world.login("zhao").set_metering(
        account_no=DORM, mode="networked", bus=BUS, address=ADDRESS, protocol="dlt645"
    )
    cashier = world.login("zhang")
    cashier.open_shift(float_fen=50_000)
    cashier.top_up_networked(account_no=DORM, amount_fen=5_000, tendered_fen=5_000)  # 84.99 kWh
    cashier.read_meter(account_no=DORM)
    yield world, sim
    sim.close()
    world.close()


def refused(code, call, **kwargs):
    with pytest.raises(UserFacingError) as err:
        call(**kwargs)
    assert err.value.code == code, err.value
    return err.value


def test_a_period_is_co_signed_holds_off_the_trip_and_its_shortfall_is_a_notice(room):
    world, sim = room
    cashier = world.login("zhang")
    credited = cashier.networked_balance(account_no=DORM).credited_ckwh
    refused("APPROVAL_REQUIRED", cashier.begin_software_control, account_no=DORM, reason="模块故障")
    refused("APPROVAL_INVALID", cashier.begin_software_control, account_no=DORM, reason="模块故障",
            approval=world.approval("zhao"))  # a 监督人 co-signs, not the head  # fmt: skip
    preview = cashier.approval_preview("begin_software_control", account_no=DORM, reason="中卫机故障")
    assert preview.kind == "software_control.begin" and "中卫机故障" in preview.summary.text()
    period = cashier.begin_software_control(
        account_no=DORM, reason="中卫机故障", approval=world.approval("li")
    )
    assert period.open and period.reading_before_ckwh == 12_345
    refused("INPUT_INVALID", cashier.begin_software_control, account_no=DORM, reason="again",
            approval=world.approval("li"))  # one open period per account  # fmt: skip

    # the module keeps counting (a 中卫机 fault); power stays on at no balance while under control
    set_setting(world, "meter_bus.auto_trip", True)
    sim.meter(ADDRESS).energy_ckwh = 12_345 + 10_000
    cashier.read_meter(account_no=DORM)
    assert sim.meter(ADDRESS).relay_closed is True and rows(world, MeterSwitch) == []
    assert cashier.networked_balance(account_no=DORM).remaining_ckwh == credited  # the period is not metered

    # ended by the assistant (who made out the notice): the cashier may then collect it (001:28)
    ended = world.login("wang").end_software_control(account_no=DORM, reason="中卫机修复", method="readings",
                                                     approval=world.approval("li"))  # fmt: skip
    assert (ended.energy_ckwh, ended.covered_ckwh, ended.price_e4) == (10_000, credited, PRICE)
    assert ended.shortfall_fen == charge_half_up(10_000 - credited, PRICE) == 883  # 15.01 kWh × 0.5883
    after = cashier.networked_balance(account_no=DORM)
    assert (after.remaining_ckwh, after.software_control_ckwh) == (0, credited)

    [notice] = rows(world, Notice)
    assert (notice.kind, notice.amount_fen) == ("software_control", 883)
    assert notice.data["basis"] == "software_control"
    text = cashier.software_control_calculation(notice_no=ended.notice_no)
    assert "补交电费" in text and "100.00 − 123.45" not in text and "223.45 − 123.45" in text
    assert "罚" not in text and "违规" not in text
    assert cashier.back_charge_calculation(notice_no=ended.notice_no) == text

    cashier.pay_notice(notice_no=ended.notice_no, amount_fen=883, amount_fen_again=883)
    receipt = world.sim.printed()[-1]
    assert "补交电费（软件控制期间）" in receipt and "违规" not in receipt and "8.83" in receipt

    # enforcement is back: used past the balance, the rule trips the room
    sim.meter(ADDRESS).energy_ckwh += 100
    cashier.read_meter(account_no=DORM)
    assert sim.meter(ADDRESS).relay_closed is False
    [listed] = cashier.software_control_periods(account_no=DORM)
    assert not listed.open and listed.notice_no == ended.notice_no and listed.method == "readings"
    assert len(rows(world, SoftwareControlStep)) == 2 and audit_ok(world)


def test_a_replaced_module_restarts_its_register_and_the_gap_is_estimated(room):
    world, sim = room
    cashier = world.login("zhang")
    credited = cashier.networked_balance(account_no=DORM).credited_ckwh
    cashier.begin_software_control(account_no=DORM, reason="模块烧坏，无备件", approval=world.approval("li"))
    refused("INPUT_INVALID", cashier.end_software_control, account_no=DORM, reason="新模块", method="estimate",
            module_replaced=True, estimate_ckwh=3_000, estimate_basis="分表", approval=world.approval("li"))  # fmt: skip
    sim.meter(ADDRESS).energy_ckwh = 500  # the new module, fitted at 0, has counted 5 kWh
    cashier.read_meter(account_no=DORM)
    refused("INPUT_INVALID", cashier.end_software_control, account_no=DORM, reason="新模块", method="readings",
            module_replaced=True, approval=world.approval("li"))  # fmt: skip
    refused("INPUT_INVALID", cashier.end_software_control, account_no=DORM, reason="新模块", method="readings",
            approval=world.approval("li"))  # the register went back: readings cannot say  # fmt: skip
    ended = cashier.end_software_control(
        account_no=DORM, reason="新模块已装", method="estimate", module_replaced=True, estimate_ckwh=3_000,
        estimate_basis="楼栋分表 6 天 × 5 kWh", new_start_ckwh=0, approval=world.approval("li"),
    )  # fmt: skip
    assert (ended.energy_ckwh, ended.covered_ckwh) == (3_500, 3_500) and ended.shortfall_fen == 0
    assert ended.notice_no is None and rows(world, Notice) == []  # the balance covered it all
    sim.meter(ADDRESS).energy_ckwh = 800
    cashier.read_meter(account_no=DORM)
    balance = cashier.networked_balance(account_no=DORM)
    # counted: nothing before (one reading), 3.00 kWh on the new register since; the period's 35.00 kWh
    assert (balance.used_ckwh, balance.software_control_ckwh) == (300, 3_500)
    assert balance.remaining_ckwh == credited - 300 - 3_500
    assert audit_ok(world)


def test_refusals_and_the_words_the_supervisor_signs(room):
    world, _ = room
    cashier = world.login("zhang")
    refused("INPUT_INVALID", cashier.begin_software_control, account_no="D-5-309", reason="x",
            approval=world.approval("li"))  # a card room  # fmt: skip
    refused("INPUT_INVALID", cashier.end_software_control, account_no=DORM, reason="x", method="readings",
            approval=world.approval("li"))  # not under software control  # fmt: skip
    refused("INPUT_INVALID", cashier.begin_software_control, account_no=DORM, reason="x", repair_move_id=999,
            approval=world.approval("li"))  # no such repair log entry  # fmt: skip
    words = summarise("software_control.end", {"account_no": DORM, "room": "5-308", "energy_ckwh": 10_000,
                                                "covered_ckwh": 8_499, "shortfall_fen": 883})  # fmt: skip
    text = words.text()
    assert "补交所差电费" in text and "100.00 kWh" in text and "8.83" in text
    assert rows(world, SoftwareControlStep) == []


def test_the_networked_sale_slips_show_the_networked_balance_and_no_card_fields(room):
    world, sim = room
    cashier = world.login("zhang")
    sim.meter(ADDRESS).energy_ckwh = 12_345 + 1_000
    cashier.read_meter(account_no=DORM)
    cashier.top_up_networked(account_no=DORM, amount_fen=2_000, tendered_fen=2_000)
    balance = cashier.networked_balance(account_no=DORM)
    printed = world.sim.printed()
    sale = next(p for p in reversed(printed) if "购电凭条" in p)
    slip = next(p for p in reversed(printed) if "缴费确认单" in p)
    for text in (sale, slip):
        assert "远程表余额" in text and "抄表时间" in text and "133.45 kWh" in text  # the register read
        assert f"{balance.remaining_ckwh // 100}.{balance.remaining_ckwh % 100:02d} kWh" in text
        assert "购电次数" not in text and "返写" not in text and "(估)" not in text


@given(
    energy=st.integers(min_value=0, max_value=10**8),
    price=st.integers(min_value=1, max_value=100_000),
    balance=st.integers(min_value=-(10**8), max_value=10**8),
)
def test_the_shortfall_is_never_negative_half_up_and_only_what_the_balance_did_not_cover(
    energy, price, balance
):
    covered, short = shortfall(energy, price, balance)
    assert 0 <= covered <= energy and covered <= max(0, balance) and short >= 0
    exact_e4 = max(0, energy * price - covered * price)  # in 0.0001 fen (0.01 kWh × 0.0001 yuan)
    assert short == (2 * exact_e4 + 10_000) // 20_000  # half-up to the fen
    assert abs(short * 10_000 - exact_e4) <= 5_000
    if balance >= energy:
        assert short == 0
    if balance <= 0:
        assert covered == 0 and short == charge_half_up(energy, price)


def _owed(world, sim) -> str:
    """A period of 100.00 kWh against 84.99 kWh of balance: a 补交电费 notice of 8.83 yuan."""
    cashier = world.login("zhang")
    cashier.begin_software_control(account_no=DORM, reason="中卫机故障", approval=world.approval("li"))
    sim.meter(ADDRESS).energy_ckwh = 12_345 + 10_000
    cashier.read_meter(account_no=DORM)
    ended = world.login("wang").end_software_control(account_no=DORM, reason="中卫机修复", method="readings",
                                                     approval=world.approval("li"))  # fmt: skip
    assert ended.shortfall_fen == 883 and ended.notice_no
    return ended.notice_no


def _report(world, kind: str):
    day = world.clock().astimezone(BUSINESS_TZ).date()
    with unit_of_work(world.counter.engine, read_only=True) as s:
        from counter_app.keystore import bind_keys

        bind_keys(s, world.counter.keys)
        return build_report(s, kind, ReportQuery(day, day))


THEFT = "违规用电补缴"


def test_the_owed_electricity_is_an_electricity_charge_never_the_theft_back_charge(room):
    """补交电费 is electricity owed for energy used: unpaid it blocks clearance (like a bill) but not
    top-ups under the theft rule; paid, it lands on the class group's electricity line of the
    shift sheet and the reports and on the K3 electricity revenue subject, never on 违规用电补缴."""
    world, sim = room
    cashier = world.login("zhang")
    set_setting(world, "back_charge.blocks_top_up", True)
    notice_no = _owed(world, sim)

    # unpaid: clearance is refused and names it; the arrears list says what it is
    result = cashier.clearance(account_no=DORM)
    assert not result.cleared
    assert [o for o in result.outstanding if notice_no in o] == [
        f"未缴补交电费（软件控制期间）：通知单 {notice_no}，8.83 元"
    ]
    arrears = [r for r in _report(world, "arrears").rows if r[1] == notice_no]
    assert [r[0] for r in arrears] == ["补交电费（软件控制期间）未缴"]
    # the theft rule does not block a top-up
    cashier.top_up_networked(account_no=DORM, amount_fen=1_000, tendered_fen=1_000)

    cashier.pay_notice(notice_no=notice_no, amount_fen=883, amount_fen_again=883)
    [entry] = rows(world, LedgerEntry, LedgerEntry.fen == 883)
    assert (entry.kind, entry.charge) == ("bill_payment", "electricity")
    assert not any(notice_no in o for o in cashier.clearance(account_no=DORM).outstanding)

    # the shift sheet: the dorm electricity line takes it, the theft line nothing
    totals = cashier.x_report()
    assert totals.by_charge.get("back_charge", 0) == 0
    assert totals.by_charge["dorm"] == 5_000 + 1_000 + 883

    # the period report and the weekly figures: electricity, no theft row
    day = _report(world, "day")
    assert THEFT not in {r[2] for r in day.rows}
    assert sum(r[4] for r in day.rows if r[2] == "电费") == 6_883
    weekly = {r[1]: r for r in _report(world, "weekly-figures").rows}
    assert weekly[THEFT][3] == 0 and weekly["寝室用户"][3] == 6_883
    collection = {r[0]: r for r in _report(world, "collection").rows}
    assert THEFT not in collection

    # K3: all of it to 主营业务收入-电费, nothing to 代收代付
    k3 = {(r[5], r[7], r[8]) for r in _report(world, "k3").rows}
    assert k3 == {("1001", 6_883, 0), ("6001.01", 0, 6_883)}
    # the four-party reconciliation: the counter's electricity money of the building includes it
    [row] = [r for r in world.login("zhao").four_party(period="2026-11").rows if r.building == "5"]
    sold = sum(e.energy_ckwh for e in rows(world, LedgerEntry, LedgerEntry.kind == "sale"))
    assert (row.counter_fen, row.counter_ckwh) == (6_883, sold)  # money only: no energy was sold
    assert audit_ok(world)


def test_the_notice_kind_is_refused_outside_the_vocabulary(room):
    """The CHECK constraint (on both databases) knows the new kind and still refuses an unknown one."""
    from sqlalchemy.exc import IntegrityError

    world, sim = room
    _owed(world, sim)
    [notice] = rows(world, Notice)
    assert notice.kind == "software_control"
    fields = {c.key: getattr(notice, c.key) for c in Notice.__table__.columns if c.key != "id"}
    with pytest.raises(IntegrityError), unit_of_work(world.counter.engine) as s:
        s.add(Notice(**{**fields, "notice_no": "X-1", "kind": "fine"}))
