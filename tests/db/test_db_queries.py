"""db.queries look-ups and the ledger's protections, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from dbtesting import make_basics
from sqlalchemy import exc, func, select

from counter_app.room_codes import normalise_room_code
from db.models import (
    Account,
    Building,
    CardWriteIntent,
    IntentEvent,
    LedgerEntry,
    Room,
    Shift,
    Tariff,
)
from db.queries.accounts import (
    account_by_card_serial,
    account_by_meter_no,
    account_by_no,
    account_by_room_code,
    claim_account,
    release_account,
)
from db.queries.intents import intent_state, unfinished_intents
from db.queries.ledger import ledger_between, ledger_for_account, ledger_for_shift
from db.queries.tariffs import current_tariff
from db.session import unit_of_work


def add_account(s, basics, *, building="5", number="308", account_no="A5308", meter_no="M5308", card=None,
                status="active", cls="dorm"):  # fmt: skip
    b = s.execute(select(Building).where(Building.code == building)).scalar_one_or_none()
    if b is None:
        b = Building(campus_id=basics.campus_id, code=building)
        s.add(b)
        s.flush()
    room = Room(
        campus_id=basics.campus_id, building_id=b.id, number=number, room_code=f"{building}-{number}", beds=4
    )
    s.add(room)
    s.flush()
    account = Account(account_no=account_no, room_id=room.id, cls=cls, status=status, meter_no=meter_no,
                      card_serial=card, opened_on=date(2025, 9, 1))  # fmt: skip
    s.add(account)
    s.flush()
    return account


def open_shift(s, basics, now):
    shift = Shift(
        workstation_id=basics.workstation_id, operator_id=basics.cashier_id, opened_at=now, float_fen=50_000
    )
    s.add(shift)
    s.flush()
    return shift


def sale(shift, account, now, **overrides):
    values = dict(kind="sale", charge="electricity", account_id=account.id, fen=5000, energy_ckwh=8500,
                  price_e4=5883, tender="cash", operator_id=shift.operator_id, shift_id=shift.id,
                  workstation_id=shift.workstation_id, at=now)  # fmt: skip
    values.update(overrides)
    return LedgerEntry(**values)


def test_account_found_by_typed_room_code_account_meter_and_card(db_engine, basics):
    with unit_of_work(db_engine) as s:
        add_account(s, basics, card="C0001")
    with unit_of_work(db_engine, read_only=True) as s:
        for typed in ("5-308", "05308", "5308"):
            found = account_by_room_code(s, basics.campus_id, normalise_room_code(typed))
            assert found is not None and found.account_no == "A5308"
        assert account_by_no(s, "A5308").meter_no == "M5308"
        assert account_by_meter_no(s, "M5308").account_no == "A5308"
        assert account_by_card_serial(s, "C0001").account_no == "A5308"
        assert account_by_card_serial(s, "C9999") is None
        assert account_by_room_code(s, basics.campus_id + 1, "5-308") is None


def test_one_live_account_per_meter_but_closed_ones_stay(db_engine, basics):
    with unit_of_work(db_engine) as s:
        add_account(s, basics, status="closed")
        add_account(s, basics, number="309", account_no="A5309", meter_no="M5308")
    with pytest.raises(exc.IntegrityError), unit_of_work(db_engine) as s:
        add_account(s, basics, number="310", account_no="A5310", meter_no="M5308")
    with unit_of_work(db_engine, read_only=True) as s:
        assert account_by_meter_no(s, "M5308").account_no == "A5309"


def test_current_tariff_is_latest_effective_at_the_moment(db_engine, basics, now):
    with unit_of_work(db_engine) as s:
        for days, price in ((-30, 5883), (0, 6000), (10, 6200)):
            s.add(Tariff(cls="dorm", price_e4=price, effective_from=now + timedelta(days=days), basis=f"校发{price}号",
                         set_by=basics.cashier_id, created_at=now))  # fmt: skip
    with unit_of_work(db_engine, read_only=True) as s:
        assert current_tariff(s, "dorm", now - timedelta(seconds=1)).price_e4 == 5883
        assert current_tariff(s, "dorm", now).price_e4 == 6000
        assert current_tariff(s, "dorm", now + timedelta(days=11)).price_e4 == 6200
        assert current_tariff(s, "dorm", now - timedelta(days=31)) is None
        assert current_tariff(s, "staff", now) is None


@pytest.mark.parametrize("price", [0, -1])
def test_tariff_price_must_be_positive(db_engine, basics, now, price):
    with pytest.raises(exc.IntegrityError), unit_of_work(db_engine) as s:
        s.add(
            Tariff(
                cls="dorm",
                price_e4=price,
                effective_from=now,
                basis="x",
                set_by=basics.cashier_id,
                created_at=now,
            )
        )
    with unit_of_work(db_engine, read_only=True) as s:
        assert s.execute(select(func.count()).select_from(Tariff)).scalar_one() == 0


def test_ledger_by_shift_account_and_time(db_engine, basics, now):
    with unit_of_work(db_engine) as s:
        account = add_account(s, basics)
        shift = open_shift(s, basics, now)
        s.add_all([sale(shift, account, now), sale(shift, account, now + timedelta(minutes=5), fen=3000)])
        shift_id, account_id = shift.id, account.id
    with unit_of_work(db_engine, read_only=True) as s:
        assert [e.fen for e in ledger_for_shift(s, shift_id)] == [5000, 3000]
        assert len(ledger_for_account(s, account_id)) == 2
        assert [
            e.fen for e in ledger_between(s, now + timedelta(minutes=1), now + timedelta(hours=1))
        ] == [3000]


@pytest.mark.parametrize(
    "bad",
    [
        {"fen": -1},  # a sale takes money in
        {"energy_ckwh": -5},
        {"price_e4": None},  # a sale records its price
        {"price_e4": 0},
        {"tender": "wechat", "reference": None},  # non-cash needs the platform's number
        {"tender": "bitcoin"},
        {"kind": "void"},  # a void names the entry it voids
        {"kind": "gift"},
    ],
)
def test_ledger_refuses_entries_that_would_move_money_wrongly(db_engine, basics, now, bad):
    with unit_of_work(db_engine) as s:
        account = add_account(s, basics)
        shift = open_shift(s, basics, now)
    with pytest.raises(exc.IntegrityError), unit_of_work(db_engine) as s:
        s.add(sale(shift, account, now, **bad))
    with unit_of_work(db_engine, read_only=True) as s:
        assert s.execute(select(func.count()).select_from(LedgerEntry)).scalar_one() == 0


def test_an_entry_is_voided_at_most_once(db_engine, basics, now):
    with unit_of_work(db_engine) as s:
        account = add_account(s, basics)
        shift = open_shift(s, basics, now)
        original = sale(shift, account, now)
        s.add(original)
        s.flush()
        s.add(
            sale(
                shift, account, now, kind="void", fen=-5000, energy_ckwh=-8500, corrects_entry_id=original.id
            )
        )
    with pytest.raises(exc.IntegrityError), unit_of_work(db_engine) as s:
        s.add(
            sale(
                shift, account, now, kind="void", fen=-5000, energy_ckwh=-8500, corrects_entry_id=original.id
            )
        )


def test_one_open_shift_per_workstation(db_engine, basics, now):
    with unit_of_work(db_engine) as s:
        first = open_shift(s, basics, now)
    with pytest.raises(exc.IntegrityError), unit_of_work(db_engine) as s:
        open_shift(s, basics, now)
    with unit_of_work(db_engine) as s:
        s.get(Shift, first.id).is_open = False
    with unit_of_work(db_engine) as s:
        open_shift(s, basics, now)


def test_an_account_is_claimed_by_one_intent_at_a_time(db_engine, basics, now):
    with unit_of_work(db_engine) as s:
        account_id = add_account(s, basics).id
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    with unit_of_work(db_engine) as s:
        assert claim_account(s, account_id, first, workstation_id=basics.workstation_id, at=now)
    with unit_of_work(db_engine) as s:
        assert not claim_account(s, account_id, second, workstation_id=basics.workstation_id, at=now)
        assert not release_account(s, account_id, second)
        assert release_account(s, account_id, first)
        assert claim_account(s, account_id, second, workstation_id=basics.workstation_id, at=now)
        assert s.get(Account, account_id).busy_intent_id == second


def test_intent_state_is_the_latest_event(db_engine, basics, now):
    ids = [str(uuid.uuid4()) for _ in range(3)]
    with unit_of_work(db_engine) as s:
        account = add_account(s, basics, card="C1")
        for intent_id in ids:
            s.add(CardWriteIntent(intent_id=intent_id, account_id=account.id, card_serial="C1", purchase_counter=1,
                                  amount_fen=5000, energy_ckwh=8500, operator_id=basics.cashier_id,
                                  workstation_id=basics.workstation_id, created_at=now, payload={"n": 1}))  # fmt: skip
        s.flush()
        s.add_all([
            IntentEvent(intent_id=ids[1], state="card_written", at=now),
            IntentEvent(intent_id=ids[1], state="committed", at=now),
            IntentEvent(intent_id=ids[2], state="card_written", at=now),
        ])  # fmt: skip
    with unit_of_work(db_engine, read_only=True) as s:
        assert [intent_state(s, i) for i in ids] == ["open", "committed", "card_written"]
        unfinished = unfinished_intents(s, workstation_id=basics.workstation_id)
        assert [(i.intent_id, state) for i, state in unfinished] == [
            (ids[0], "open"),
            (ids[2], "card_written"),
        ]


def test_one_intent_sells_once(db_engine, basics, now):
    intent_id = str(uuid.uuid4())
    with unit_of_work(db_engine) as s:
        account = add_account(s, basics, card="C1")
        shift = open_shift(s, basics, now)
        s.add(CardWriteIntent(intent_id=intent_id, account_id=account.id, card_serial="C1", purchase_counter=1,
                              amount_fen=5000, energy_ckwh=8500, operator_id=basics.cashier_id,
                              workstation_id=basics.workstation_id, created_at=now, payload={}))  # fmt: skip
        s.flush()
        s.add(sale(shift, account, now, intent_id=intent_id))
    with pytest.raises(exc.IntegrityError), unit_of_work(db_engine) as s:
        s.add(sale(shift, account, now, intent_id=intent_id))


def test_counters_and_chain_head_come_in_one_statement_and_agree_with_each_alone(db_engine, basics, now):
    """GIVEN no counters and an empty chain, then two series of this workstation, one of another,
    and three audit entries WHEN the high-water check's read asks THEN it gives exactly this
    workstation's counters and the last entry, as the two separate reads would, in one statement."""
    from sqlalchemy import event

    from db.models.receipts import ReceiptCounter
    from db.models.security import AuditEntry
    from db.numbering import counter_values
    from db.queries.security import audit_chain_head, counters_and_chain_head

    with unit_of_work(db_engine) as s:
        assert counters_and_chain_head(s, basics.workstation_id) == ({}, None)
    other = make_basics(db_engine, now, "W02").workstation_id
    with unit_of_work(db_engine) as s:
        s.add_all([ReceiptCounter(workstation_id=basics.workstation_id, series="S", value=41),
                   ReceiptCounter(workstation_id=basics.workstation_id, series="R", value=3),
                   ReceiptCounter(workstation_id=other, series="S", value=999)])  # fmt: skip
        for sequence in (1, 2, 3):
            s.add(AuditEntry(sequence=sequence, at=now, kind="k", payload_json="{}", prev_mac=f"p{sequence}",
                             mac=f"m{sequence}"))  # fmt: skip
    statements: list[str] = []
    event.listen(db_engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    with unit_of_work(db_engine, read_only=True) as s:
        counters, head = counters_and_chain_head(s, basics.workstation_id)
        asked = len(statements)
        last = audit_chain_head(s)
        assert counters == counter_values(s, basics.workstation_id) == {"S": 41, "R": 3}
        assert head == (last.sequence, last.mac) == (3, "m3")
    assert asked == 1


def test_an_account_comes_with_its_last_write_back_seen_in_one_statement(db_engine, basics, now):
    """GIVEN an account with no event, then write-backs seen and other events after them WHEN the
    sale's intent reads the account by its number THEN the last "write_back_seen" comes with it (as
    `last_write_back_event` finds it), in one statement; an unknown number gives (None, None)."""
    from sqlalchemy import event

    from db.models import AccountEvent
    from db.queries.accounts import account_and_last_write_back, last_write_back_event

    with unit_of_work(db_engine) as s:
        account = add_account(s, basics)
        s.flush()
        found, last = account_and_last_write_back(s, "A5308")
        assert found is account and last is None
        for kind, units in (("write_back_seen", 1), ("write_back_seen", 2), ("cleared", 3)):
            s.add(AccountEvent(account_id=account.id, kind=kind, at=now, data={"units": units}))
        other = add_account(s, basics, number="309", account_no="A5309", meter_no="M5309")
        s.flush()
        s.add(AccountEvent(account_id=other.id, kind="write_back_seen", at=now, data={"units": 9}))
    statements: list[str] = []
    event.listen(db_engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    with unit_of_work(db_engine, read_only=True) as s:
        found, last = account_and_last_write_back(s, "A5308")
        asked = len(statements)
        assert found is not None and found.account_no == "A5308"
        assert last is not None and last.data == {"units": 2} and last is last_write_back_event(s, found.id)
        assert account_and_last_write_back(s, "A9999") == (None, None)
    assert asked == 1
