"""The facade additions the cashier workstation needs (docs/api.md "Devices", "Lookups", "Morning
list"): device status bounded in time, a test slip, the room tree, account search, roles today and
the supervisors' morning list."""

from __future__ import annotations

import time

import pytest
from opstesting import make_world

from base.errors import PrinterPaperOut, UserFacingError


@pytest.fixture
def world(tmp_path):
    w = make_world(tmp_path)
    yield w
    w.sim.reader_line.clear()
    w.close()


def test_device_status_reports_each_simulated_device(world):
    status = world.counter.device_status()
    reader, printer = status.reader, status.printer
    assert status.simulated and status.queued_receipts == 0
    assert reader.configured and reader.answered and reader.ok and reader.simulated
    assert reader.version and reader.version.startswith("SIM") and reader.card_present is False
    assert reader.port and reader.port.startswith("socket://")
    assert printer.ok and printer.paper == "ok" and printer.online and printer.cover_open is False
    world.sim.printer(paper_out=True)
    printer = world.counter.device_status().printer
    assert printer.paper == "out" and not printer.ok


def test_device_status_answers_in_time_while_the_reader_hangs(world):
    """GIVEN a reader that no longer answers WHEN the status bar polls THEN the answer comes within
    about a second, saying the reader did not answer, and polls do not pile up behind the line."""
    world.counter.device_status()  # known version first
    world.sim.reader_line.mute = True
    for _ in range(3):
        started = time.monotonic()
        status = world.counter.device_status()
        assert time.monotonic() - started < 1.5
        assert not status.reader.answered and not status.reader.ok
        assert status.reader.version.startswith("SIM")  # what was known is kept
        assert status.printer.ok
    world.sim.reader_line.mute = False
    deadline = time.monotonic() + 6
    while not world.counter.device_status().reader.answered:
        assert time.monotonic() < deadline


def test_queued_receipts_count_until_paper_returns(world):
    s = world.login("zhang")
    s.open_shift(float_fen=0)
    world.issue_card("D-5-308", s)
    world.sim.printer(paper_out=True)
    s.top_up(account_no="D-5-308", amount_fen=5_000)
    assert world.counter.device_status().queued_receipts >= 1  # the receipt (and any slip) waits
    world.sim.printer()
    s.reprint_receipt(receipt_no="W01-00000001")  # drains the queue first, then the 补打 copy
    assert world.counter.device_status().queued_receipts == 0


def test_test_print_reaches_the_printer_or_says_why(world):
    state = world.counter.test_print()
    assert state.ok and "TEST PRINT" in world.sim.printed()[-1]
    world.sim.printer(paper_out=True)
    with pytest.raises(PrinterPaperOut):
        world.counter.test_print()


def test_list_rooms_gives_the_tree_rows_of_the_campus(world):
    rows = world.login("zhang").list_rooms()
    assert [r.room_code for r in rows] == ["1-001", "5-308", "5-309", "12-101"]  # buildings 1 < 5 < 12
    first = rows[1]
    assert (first.campus, first.building, first.unit, first.account_no, first.cls) == (
        "主校区", "5号楼", None, "D-5-308", "dorm",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [("05308", ["D-5-308"]), ("5-30", ["D-5-308", "D-5-309"]), ("张老师", ["S-12-101"]),
     ("M1001", ["B-1-001"]), ("超市", ["B-1-001"]), ("zzz", []), ("", []), ("%", [])],
)  # fmt: skip
def test_search_by_room_code_holder_or_meter(world, text, expected):
    hits = world.login("zhang").search_accounts(text)
    assert [h.account_no for h in hits] == expected


def test_roles_today_include_a_supervisor_appointment(world):
    assert world.login("li").roles_today() == {"cashier", "supervisor"}
    assert world.login("li").roles == {"cashier"}  # standing roles only
    assert world.login("zhang").roles_today() == {"cashier"}


def test_morning_list_shows_reprints_overrides_differences_to_supervisors_only(world):
    s = world.login("zhang")
    s.open_shift(float_fen=10_000)
    serial = world.issue_card("D-5-308", s)
    sale = s.top_up(account_no="D-5-308", amount_fen=5_000, tendered_fen=5_000)
    s.reprint_receipt(receipt_no=sale.receipt_no)
    s.top_up(
        account_no="D-5-308", amount_fen=1_000, override_reason="电表故障已报修", approval=world.approval()
    )
    world.sim.insert_into_meter(serial)
    s.close_shift(counted={5000: 3}, difference_reason="少收一元")  # expected 160.00, counted 150.00
    with pytest.raises(UserFacingError) as refused:
        s.morning_list()
    assert refused.value.code == "ROLE_FORBIDDEN"
    items = world.login("li").morning_list()
    kinds = {i.kind: i for i in items}
    assert set(kinds) == {"reprint", "override", "short"}
    assert kinds["reprint"].reference == sale.receipt_no and kinds["reprint"].who == "zhang"
    assert kinds["override"].checker == "li" and "电表故障已报修" in kinds["override"].summary
    assert kinds["short"].amount_fen == -1_000 and "短款" in kinds["short"].summary
    assert world.login("li").morning_list(on=world.clock().date().replace(year=2020)) == []
