"""Receipt books, deposits and late deposits, collection checks, the accounting month."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from base.clock import BUSINESS_TZ
from base.errors import ApprovalRequired, InputInvalid, PeriodFrozen, RoleForbidden
from counter_app.approvals import Approval
from counter_app.settlement import closing, deposits, months, receipt_books, shift_close, signoff
from settlement.conftest import PASSWORD, standard_shift, work

EXACT = {10000: 2, 5000: 1, 2000: 2, 500: 1, 100: 3}


def _close(w) -> tuple[int, str]:
    shift_id = standard_shift(w)
    with work(w.engine, w.keys) as s:
        shift_close.declare_count(
            s, shift_id=shift_id, operator_id=w.people.cashier, counted=EXACT, clock=w.clock
        )
    w.clock.advance(hours=4)  # closes at 21:00: evening takings, due the next banking day
    with work(w.engine, w.keys) as s:
        info = closing.close_shift(
            s, shift_id=shift_id, operator_id=w.people.cashier, workstation="W01", clock=w.clock
        )
    return shift_id, info.sheet_no


def test_receipt_book_every_page_accounted_for(world):
    p, clock = world.people, world.clock
    with work(world.engine, world.keys) as s:
        book = receipt_books.issue_receipt_book(
            s, cashier_id=p.cashier, first_no=1, last_no=5, issued_by=p.assistant, clock=clock
        )
        with pytest.raises(InputInvalid):
            receipt_books.issue_receipt_book(
                s, cashier_id=p.cashier2, first_no=5, last_no=9, issued_by=p.assistant, clock=clock
            )
        receipt_books.void_receipt_page(
            s, cashier_id=p.cashier, page_no=2, reason="错印", operator_id=p.cashier, clock=clock
        )
        with pytest.raises(InputInvalid):
            receipt_books.void_receipt_page(
                s, cashier_id=p.cashier, page_no=3, reason=" ", operator_id=p.cashier, clock=clock
            )
        with pytest.raises(InputInvalid):  # a void page cannot be used
            receipt_books.use_receipt_page(
                s,
                cashier_id=p.cashier,
                page_no=2,
                ledger_entry_id=None,
                shift_id=None,
                operator_id=p.cashier,
                clock=clock,
            )
        with pytest.raises(RoleForbidden):  # nor someone else's page
            receipt_books.void_receipt_page(
                s, cashier_id=p.cashier2, page_no=4, reason="x", operator_id=p.cashier2, clock=clock
            )
        receipt_books.use_receipt_page(
            s,
            cashier_id=p.cashier,
            page_no=1,
            ledger_entry_id=None,
            shift_id=None,
            operator_id=p.cashier,
            clock=clock,
        )
        pages = receipt_books.return_receipt_book(
            s, book_id=book.book_id, operator_id=p.assistant, clock=clock
        )
    assert (pages.used, pages.void, pages.blank) == ((1,), ((2, "错印"),), (3, 4, 5))
    assert sorted([*pages.used, *(v for v, _ in pages.void), *pages.blank]) == list(range(1, 6))


def test_deposits_late_listed_for_the_assistant(world):
    shift_id, _ = _close(world)
    with work(world.engine, world.keys) as s:
        # Closed Monday 21:00 → due Tuesday 2025-09-02; nothing deposited by Wednesday: late.
        late = deposits.late_deposits(s, today=date(2025, 9, 3))
        assert [(d.shift_id, d.cash_fen, d.due_on, d.deposited_on) for d in late] == [
            (shift_id, 9800, date(2025, 9, 2), None)
        ]
        assert deposits.late_deposits(s, today=date(2025, 9, 2)) == []
        info = deposits.record_deposit(
            s,
            slip_no="XJ-001",
            kind="现金缴款单",
            bank="工商银行",
            stamped_on=date(2025, 9, 3),
            amount_fen=9800,
            shift_ids=[shift_id],
            operator_id=world.people.cashier,
            workstation_id=world.workstation_id,
            clock=world.clock,
        )
        assert info.late and info.kind == "cash_slip"
        assert [d.slip_nos for d in deposits.late_deposits(s, today=date(2025, 9, 9))] == [("XJ-001",)]
        with pytest.raises(InputInvalid):
            deposits.record_deposit(
                s,
                slip_no="XJ-001",
                kind="cash_slip",
                bank="工商银行",
                stamped_on=date(2025, 9, 3),
                amount_fen=1,
                shift_ids=[shift_id],
                operator_id=world.people.cashier,
                workstation_id=None,
                clock=world.clock,
            )
        check = deposits.record_collection_check(
            s,
            kind="half_month",
            covers_from=date(2025, 9, 1),
            covers_to=date(2025, 9, 15),
            findings="相符",
            operator_id=world.people.assistant,
            clock=world.clock,
        )
        assert check > 0
        with pytest.raises(InputInvalid):
            deposits.record_collection_check(
                s,
                kind="spot",
                covers_from=date(2025, 9, 2),
                covers_to=date(2025, 9, 1),
                findings="x",
                operator_id=world.people.assistant,
                clock=world.clock,
            )


@pytest.mark.parametrize(
    ("day", "period"),
    [
        (date(2025, 9, 25), "2025-09"),
        (date(2025, 9, 26), "2025-10"),
        (date(2025, 12, 26), "2026-01"),
        (date(2025, 1, 1), "2025-01"),
    ],
)
def test_period_of_closes_on_the_25th(day, period):
    assert months.period_of(day) == period
    assert months.period_of(datetime(day.year, day.month, day.day, 23, 59, tzinfo=BUSINESS_TZ)) == period


def test_month_close_co_signed_freezes_the_period(world):
    p = world.people
    _shift_id, sheet_no = _close(world)
    for who, voucher in ((p.cashier, None), (p.assistant, None), (p.head, None), (p.finance, "记-1")):
        with work(world.engine, world.keys) as s:
            signoff.sign_sheet(
                s,
                sheet_no=sheet_no,
                operator_id=who,
                workstation="W01",
                clock=world.clock,
                voucher_no=voucher,
            )
    with work(world.engine, world.keys) as s, pytest.raises(InputInvalid):  # 2025-09 has not ended yet
        months.close_month(
            s,
            period="2025-09",
            maker_id=p.finance,
            approval=Approval("head", PASSWORD),
            workstation="W01",
            clock=world.clock,
        )
    world.clock.set(datetime(2025, 9, 26, 9, 0, tzinfo=BUSINESS_TZ))
    with work(world.engine, world.keys) as s, pytest.raises(ApprovalRequired):
        months.close_month(
            s, period="2025-09", maker_id=p.finance, approval=None, workstation="W01", clock=world.clock
        )
    with work(world.engine, world.keys) as s:
        info = months.close_month(
            s,
            period="2025-09",
            maker_id=p.finance,
            approval=Approval("head", PASSWORD),
            workstation="W01",
            clock=world.clock,
        )
    assert (info.period, info.maker, info.checker) == ("2025-09", "qian", "head")
    with work(world.engine, world.keys) as s:
        with pytest.raises(PeriodFrozen):
            months.require_period_open(s, datetime(2025, 9, 10, 12, 0, tzinfo=BUSINESS_TZ))
        months.require_period_open(
            s, datetime(2025, 9, 26, 12, 0, tzinfo=BUSINESS_TZ)
        )  # the next period is open
