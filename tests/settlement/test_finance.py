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
    cashier = w.ctx(w.people.cashier)
    with work(w.engine, w.keys) as s:
        shift_close.declare_count(cashier, s, shift_id=shift_id, counted=EXACT)
    w.clock.advance(hours=4)  # closes at 21:00: evening takings, due the next banking day
    with work(w.engine, w.keys) as s:
        info = closing.close_shift(cashier, s, shift_id=shift_id)
    return shift_id, info.sheet_no


def _on(w, day: date) -> None:
    w.clock.set(datetime(day.year, day.month, day.day, 10, 0, tzinfo=BUSINESS_TZ))


def test_receipt_book_every_page_accounted_for(world):
    p = world.people
    cashier, cashier2, assistant = world.ctx(p.cashier), world.ctx(p.cashier2), world.ctx(p.assistant)
    with work(world.engine, world.keys) as s:
        book = receipt_books.issue_receipt_book(assistant, s, cashier_id=p.cashier, first_no=1, last_no=5)
        with pytest.raises(InputInvalid):
            receipt_books.issue_receipt_book(assistant, s, cashier_id=p.cashier2, first_no=5, last_no=9)
        receipt_books.void_receipt_page(cashier, s, page_no=2, reason="错印")
        with pytest.raises(InputInvalid):
            receipt_books.void_receipt_page(cashier, s, page_no=3, reason=" ")
        with pytest.raises(InputInvalid):  # a void page cannot be used
            receipt_books.use_receipt_page(cashier, s, page_no=2, ledger_entry_id=None, shift_id=None)
        with pytest.raises(RoleForbidden):  # nor someone else's page
            receipt_books.void_receipt_page(cashier2, s, page_no=4, reason="x")
        receipt_books.use_receipt_page(cashier, s, page_no=1, ledger_entry_id=None, shift_id=None)
        pages = receipt_books.return_receipt_book(assistant, s, book_id=book.book_id)
    assert (pages.used, pages.void, pages.blank) == ((1,), ((2, "错印"),), (3, 4, 5))
    assert sorted([*pages.used, *(v for v, _ in pages.void), *pages.blank]) == list(range(1, 6))


def test_deposits_late_listed_for_the_assistant(world):
    shift_id, _ = _close(world)
    cashier, assistant = world.ctx(world.people.cashier), world.ctx(world.people.assistant)
    with work(world.engine, world.keys) as s:
        # Closed Monday 21:00 → due Tuesday 2025-09-02; nothing deposited by Wednesday: late.
        _on(world, date(2025, 9, 3))
        late = deposits.late_deposits(assistant, s)
        assert [(d.shift_id, d.cash_fen, d.due_on, d.deposited_on) for d in late] == [
            (shift_id, 9800, date(2025, 9, 2), None)
        ]
        _on(world, date(2025, 9, 2))
        assert deposits.late_deposits(assistant, s) == []
        info = deposits.record_deposit(cashier, s, slip_no="XJ-001", kind="现金缴款单", bank="工商银行",
                                       stamped_on=date(2025, 9, 3), amount_fen=9800, shift_ids=[shift_id])  # fmt: skip
        assert info.late and info.kind == "cash_slip"
        _on(world, date(2025, 9, 9))
        assert [d.slip_nos for d in deposits.late_deposits(assistant, s)] == [("XJ-001",)]
        with pytest.raises(InputInvalid):
            deposits.record_deposit(cashier, s, slip_no="XJ-001", kind="cash_slip", bank="工商银行",
                                    stamped_on=date(2025, 9, 3), amount_fen=1, shift_ids=[shift_id])  # fmt: skip
        check = deposits.record_collection_check(assistant, s, kind="half_month", covers_from=date(2025, 9, 1),
                                                 covers_to=date(2025, 9, 15), findings="相符")  # fmt: skip
        assert check > 0
        with pytest.raises(InputInvalid):
            deposits.record_collection_check(assistant, s, kind="spot", covers_from=date(2025, 9, 2),
                                             covers_to=date(2025, 9, 1), findings="x")  # fmt: skip


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
            signoff.sign_sheet(world.ctx(who), s, sheet_no=sheet_no, voucher_no=voucher)
    finance = world.ctx(p.finance)
    with work(world.engine, world.keys) as s, pytest.raises(InputInvalid):  # 2025-09 has not ended yet
        months.close_month(finance, s, period="2025-09", approval=Approval("head", PASSWORD))
    world.clock.set(datetime(2025, 9, 26, 9, 0, tzinfo=BUSINESS_TZ))
    with work(world.engine, world.keys) as s, pytest.raises(ApprovalRequired):
        months.close_month(finance, s, period="2025-09", approval=None)
    with work(world.engine, world.keys) as s:
        info = months.close_month(finance, s, period="2025-09", approval=Approval("head", PASSWORD))
    assert (info.period, info.maker, info.checker) == ("2025-09", "qian", "head")
    with work(world.engine, world.keys) as s:
        with pytest.raises(PeriodFrozen):
            months.require_period_open(s, datetime(2025, 9, 10, 12, 0, tzinfo=BUSINESS_TZ))
        months.require_period_open(
            s, datetime(2025, 9, 26, 12, 0, tzinfo=BUSINESS_TZ)
        )  # the next period is open
