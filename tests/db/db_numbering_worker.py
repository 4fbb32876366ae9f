"""Run in a spawned process by test_db_numbering: take `count` receipt numbers, one per unit of work."""

from __future__ import annotations

from datetime import datetime

from base.clock import BUSINESS_TZ
from db.engine import make_engine
from db.numbering import record_receipt, take_receipt_number
from db.session import unit_of_work


def take_numbers(url: str, workstation_id: int, count: int) -> list[int]:
    engine = make_engine(url)
    taken = []
    at = datetime(2025, 9, 1, 12, 0, tzinfo=BUSINESS_TZ)
    for _ in range(count):
        with unit_of_work(engine) as s:
            number = take_receipt_number(s, workstation_id)
            record_receipt(s, number, kind="sale", amount_fen=100, issued_at=at, payload={"seq": number.seq})
            taken.append(number.seq)
    engine.dispose()
    return taken
