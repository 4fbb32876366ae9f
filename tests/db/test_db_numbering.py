"""Receipt numbers: continuous per workstation, never reused or skipped, also under concurrency."""

from __future__ import annotations

import multiprocessing

import pytest
from dbtesting import make_basics
from sqlalchemy import select

from db.models import Receipt, ReceiptEvent
from db.numbering import format_receipt_no, record_receipt, take_receipt_number, void_receipt
from db.session import unit_of_work

PROCESSES, PER_PROCESS = 4, 250


def issue(engine, workstation_id, at, amount_fen=100):
    with unit_of_work(engine) as s:
        number = take_receipt_number(s, workstation_id)
        record_receipt(s, number, kind="sale", amount_fen=amount_fen, issued_at=at, payload={})
        return number


def test_format():
    assert format_receipt_no("W01", 123) == "W01-00000123"
    assert format_receipt_no("W01", 7, "slip") == "W01-SLIP-00000007"


def test_numbers_run_per_workstation_and_a_rollback_skips_nothing(db_engine, basics, now):
    other = make_basics(db_engine, now, workstation_code="W02")  # a second counter
    assert issue(db_engine, basics.workstation_id, now).text == "W01-00000001"
    assert issue(db_engine, other.workstation_id, now).text == "W02-00000001"
    with pytest.raises(RuntimeError), unit_of_work(db_engine) as s:
        take_receipt_number(s, basics.workstation_id)
        raise RuntimeError("sale failed before commit")
    assert issue(db_engine, basics.workstation_id, now).text == "W01-00000002"


def test_a_failed_sale_after_commit_keeps_its_number_as_void(db_engine, basics, now):
    number = issue(db_engine, basics.workstation_id, now)
    with unit_of_work(db_engine) as s:
        receipt_id = s.execute(select(Receipt.id).where(Receipt.receipt_no == number.text)).scalar_one()
        void_receipt(s, receipt_id, at=now, reason="写卡失败")
    assert issue(db_engine, basics.workstation_id, now).seq == number.seq + 1
    with unit_of_work(db_engine, read_only=True) as s:
        assert s.execute(select(ReceiptEvent.kind)).scalars().all() == ["voided"]


def _concurrent_numbers(url, workstation_id):
    ctx = multiprocessing.get_context("spawn")
    from db_numbering_worker import take_numbers

    with ctx.Pool(PROCESSES) as pool:
        results = pool.starmap(take_numbers, [(url, workstation_id, PER_PROCESS)] * PROCESSES)
    return [n for chunk in results for n in chunk]


def _assert_gap_free(engine, numbers):
    total = PROCESSES * PER_PROCESS
    assert sorted(numbers) == list(range(1, total + 1))
    with unit_of_work(engine, read_only=True) as s:
        seqs = s.execute(select(Receipt.seq).order_by(Receipt.seq)).scalars().all()
    assert seqs == list(range(1, total + 1))


@pytest.mark.timeout(120)
def test_four_processes_on_one_sqlite_file(sqlite_engine, sqlite_url, now):
    basics = make_basics(sqlite_engine, now)
    _assert_gap_free(sqlite_engine, _concurrent_numbers(sqlite_url, basics.workstation_id))


@pytest.mark.pg
@pytest.mark.timeout(120)
def test_four_processes_on_postgresql(pg_engine, pg_url, now):
    basics = make_basics(pg_engine, now)
    _assert_gap_free(pg_engine, _concurrent_numbers(pg_url, basics.workstation_id))
