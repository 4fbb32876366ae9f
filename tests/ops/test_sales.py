"""Top-ups and card reads through the facade with simulated devices (DOMAIN "Counter operations" 1)."""

from __future__ import annotations

from datetime import datetime

import pytest
from opstesting import make_world
from sqlalchemy import func, select

from base.clock import BUSINESS_TZ, FixedClock
from base.errors import UserFacingError
from counter_app.receipt_signing import verify_receipt_text
from db.models import CardWriteIntent, LedgerEntry, Receipt
from db.session import unit_of_work


@pytest.fixture
def world(tmp_path):
    w = make_world(tmp_path)
    yield w
    w.close()


@pytest.fixture
def selling(world):
    s = world.login("zhang")
    s.open_shift(float_fen=50_000)
    serial = world.issue_card("D-5-308", s)
    return world, s, serial


def _count(world, model, *where) -> int:
    with unit_of_work(world.counter.engine, read_only=True) as s:
        return s.scalar(select(func.count()).select_from(model).where(*where))


def test_a_top_up_writes_the_card_records_the_sale_and_prints_a_signed_receipt(selling):
    world, s, serial = selling
    result = s.top_up(account_no="D-5-308", amount_fen=10_000, tendered_fen=20_000)
    assert (result.amount_fen, result.energy_ckwh, result.price_e4) == (10_000, 16_998, 5_883)
    assert (result.purchase_counter, result.change_fen, result.receipt_no) == (1, 10_000, "W01-00000001")
    card = s.read_card()
    assert (card.purchase_counter, card.loaded) == (1, False)
    world.sim.insert_into_meter(serial)
    assert world.sim.meter_state("M5308").remaining_ckwh == 16_998
    printed = "\n".join(world.sim.printed())
    assert "W01-00000001" in printed and "壹佰元整" in printed and "[演示/SIMULATED]" in printed
    qr = next(line[5:] for line in printed.splitlines() if line.startswith("[QR] "))
    check = verify_receipt_text(world.counter.keys.receipt_public_key_bytes(), qr)
    assert check.genuine and check.amount_fen == 10_000 and check.receipt_no == "W01-00000001"


def test_selling_by_energy_rounds_the_money_up(selling):
    world, s, _ = selling
    result = s.top_up(account_no="D-5-308", energy_ckwh=10_000)  # 100 kWh × 0.5883 = 58.83 yuan
    assert (result.amount_fen, result.energy_ckwh) == (5_883, 10_000)
    assert s.quote(account_no="D-5-308", energy_ckwh=1).amount_fen == 1  # 0.005883 yuan → 1 fen


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"amount_fen": 999}, "BELOW_MINIMUM"),
        ({"amount_fen": 200_001}, "ABOVE_MAXIMUM"),
        ({"amount_fen": 0}, "INPUT_INVALID"),
        ({"amount_fen": -100}, "INPUT_INVALID"),
        ({"amount_fen": "100"}, "INPUT_INVALID"),
        ({"amount_fen": 1000, "energy_ckwh": 100}, "INPUT_INVALID"),
        ({"amount_fen": 1000, "tender": "wechat"}, "INPUT_INVALID"),
        ({"amount_fen": 1000, "tender": "bitcoin", "reference": "x"}, "INPUT_INVALID"),
        ({"amount_fen": 5000, "tendered_fen": 4000}, "INPUT_INVALID"),
    ],
)
def test_bad_top_ups_are_refused_and_write_nothing(selling, kwargs, code):
    world, s, _ = selling
    with pytest.raises(UserFacingError) as info:
        s.top_up(account_no="D-5-308", **kwargs)
    assert info.value.code == code
    assert (
        _count(world, LedgerEntry) == 0
        and _count(world, CardWriteIntent, CardWriteIntent.kind == "top_up") == 0
    )
    assert s.read_card().purchase_counter == 0


def test_the_september_minimum_applies_in_september(tmp_path):
    world = make_world(tmp_path, clock=FixedClock(datetime(2026, 9, 3, 10, tzinfo=BUSINESS_TZ)))
    try:
        s = world.login("zhang")
        s.open_shift(float_fen=0)
        world.issue_card("D-5-308", s)
        with pytest.raises(UserFacingError) as info:
            s.top_up(account_no="D-5-308", amount_fen=2_000)
        assert info.value.code == "BELOW_MINIMUM" and info.value.data["minimum_fen"] == 3_000
    finally:
        world.close()


def test_non_cash_tenders_keep_their_reference(selling):
    world, s, _ = selling
    s.top_up(account_no="D-5-308", amount_fen=2_000, tender="wechat", reference="4200001234")
    with unit_of_work(world.counter.engine, read_only=True) as db:
        entry = db.scalars(select(LedgerEntry)).one()
        assert (entry.tender, entry.reference, entry.fen) == ("wechat", "4200001234", 2_000)


def test_another_accounts_card_is_refused(selling):
    world, s, _ = selling
    with pytest.raises(UserFacingError) as info:
        s.top_up(account_no="D-5-309", amount_fen=2_000)
    assert info.value.code == "CARD_MISMATCH"


def test_no_card_on_the_reader(selling):
    world, s, _ = selling
    world.sim.present_card(None)
    with pytest.raises(UserFacingError) as info:
        s.top_up(account_no="D-5-308", amount_fen=2_000)
    assert info.value.code == "CARD_ABSENT"


def test_a_second_sale_waits_until_the_first_is_loaded_unless_a_supervisor_overrides(selling):
    world, s, serial = selling
    s.top_up(account_no="D-5-308", amount_fen=2_000)
    with pytest.raises(UserFacingError) as info:
        s.top_up(account_no="D-5-308", amount_fen=3_000)
    assert info.value.code == "PREVIOUS_NOT_LOADED"
    with pytest.raises(UserFacingError) as info:
        s.top_up(
            account_no="D-5-308",
            amount_fen=3_000,
            override_reason="返写丢失",
            approval=world.approval("zhang"),
        )
    assert info.value.code == "SELF_APPROVAL"
    result = s.top_up(
        account_no="D-5-308", amount_fen=3_000, override_reason="返写丢失", approval=world.approval()
    )
    assert result.carried_ckwh == 3_399 and result.purchase_counter == 1
    world.sim.insert_into_meter(serial)
    assert world.sim.meter_state("M5308").remaining_ckwh == 3_399 + 5_099  # both, exactly once


def test_selling_needs_an_open_shift_and_a_selling_role(world):
    s = world.login("zhang")
    world.issue_card("D-5-308", s)
    with pytest.raises(UserFacingError) as info:
        s.top_up(account_no="D-5-308", amount_fen=2_000)
    assert info.value.code == "SHIFT_NOT_OPEN"
    with pytest.raises(UserFacingError) as info:
        world.login("admin").open_shift(float_fen=0)
    assert info.value.code == "ROLE_FORBIDDEN"


def test_a_card_pulled_mid_write_keeps_the_intent_then_the_card_settles_it(selling):
    world, s, serial = selling
    world.sim.pull_card_at_byte(10)
    with pytest.raises(UserFacingError) as info:
        s.top_up(account_no="D-5-308", amount_fen=2_000)
    assert info.value.code in ("CARD_REMOVED", "CARD_ABSENT") and info.value.intent_id
    assert [i.state for i in s.open_intents()] == ["open"]
    world.sim.present_card(serial)
    s.read_card()  # the torn write left the old record: the intent is aborted
    assert s.open_intents() == []
    assert _count(world, LedgerEntry) == 0 and _count(world, Receipt) == 0
    assert s.top_up(account_no="D-5-308", amount_fen=2_000).receipt_no == "W01-00000001"


def test_a_restart_rolls_forward_a_written_card(selling, monkeypatch):
    """GIVEN the card written but the commit lost WHEN the counter restarts with the card on the
    reader THEN the sale is recorded with a receipt marked recovered."""
    world, s, serial = selling
    from counter_app.ops import card_writes

    def lose_commit(ctx, intent_id, *, recovered):
        raise RuntimeError("power cut")

    monkeypatch.setattr(card_writes, "commit_intent", lose_commit)
    with pytest.raises(RuntimeError):
        s.top_up(account_no="D-5-308", amount_fen=2_000)
    monkeypatch.undo()
    world.reopen()
    world.sim.present_card(serial)
    results = world.counter.recover()
    assert [r.action for r in results] == ["rolled_forward"]
    assert results[0].receipt_no == "W01-00000001"
    assert _count(world, LedgerEntry, LedgerEntry.kind == "sale") == 1


def test_with_background_printing_a_sale_does_not_wait_for_a_dead_printer(selling):
    """GIVEN the workstation's background printing and a printer that answers nothing WHEN a sale is
    made THEN it returns committed at once; the receipt prints whole when the printer is back."""
    world, s, _ = selling
    world.counter.print_in_background(True)
    world.sim.printer_line.mute = True
    result = s.top_up(account_no="D-5-308", amount_fen=2_000)
    assert result.receipt_no == "W01-00000001"
    world.counter.wait_for_printing()
    assert world.sim.printed() == []
    world.sim.printer_line.mute = False
    s.x_report()  # any later print drains the queue: the sale's receipt first
    world.counter.wait_for_printing()
    assert "W01-00000001" in world.sim.printed()[0]


def test_the_shift_refusal_comes_first_even_with_no_card_on_the_reader(world):
    s = world.login("zhang")
    world.issue_card("D-5-308", s)
    world.sim.present_card(None)  # the reader empty
    intents = _count(world, CardWriteIntent)
    with pytest.raises(UserFacingError) as info:
        s.top_up(account_no="D-5-308", amount_fen=2_000)
    assert info.value.code == "SHIFT_NOT_OPEN"  # not the read's NO_CARD, though the read ran too
    assert _count(world, CardWriteIntent) == intents


def test_the_role_and_shift_checks_run_while_the_card_is_read(selling, monkeypatch):
    """The pre-check waits here until the read has begun on the reader's thread: done one after
    the other (check, then read), it would wait in vain and the sale would be refused."""
    import threading

    import counter_app.ops.sales as sales

    world, s, serial = selling
    card = world.counter.devices.require_card()
    read_begun = threading.Event()
    real_read, real_precheck = card.read_card, sales._precheck_selling

    def read_card(**kwargs):
        read_begun.set()
        return real_read(**kwargs)

    def precheck(ctx, account_no):
        if not read_begun.wait(5):
            raise AssertionError("the pre-check ran before the card read began")
        return real_precheck(ctx, account_no)

    monkeypatch.setattr(card, "read_card", read_card)
    monkeypatch.setattr(sales, "_precheck_selling", precheck)
    assert s.top_up(account_no="D-5-308", amount_fen=2_000, tendered_fen=2_000).purchase_counter == 1


def test_the_write_reads_the_card_while_the_intent_commits_and_changes_it_only_after(selling, monkeypatch):
    """The intent's transaction waits here until the write's card session has read the card: done
    one after the other (intent, then the session), it would wait in vain. The PSC, the first
    command that changes the card, is presented only once the intent is in the database."""
    import threading

    import counter_app.ops.sales as sales
    from hardware.card_service import CardService

    world, s, serial = selling
    session_read = threading.Event()
    real_session, real_begin = CardService._checked_session, sales._begin_top_up
    reader = world.counter.devices.require_card().reader
    real_verify = reader.verify_psc
    intents_at_verify: list[int] = []

    def checked_session(self, *args):
        found = real_session(self, *args)
        session_read.set()
        return found

    def begin(ctx, db, *args):
        if not session_read.wait(5):
            raise AssertionError("the write's card read did not run while the intent was begun")
        return real_begin(ctx, db, *args)

    def verify_psc(*, psc):
        intents_at_verify.append(_count(world, CardWriteIntent))
        return real_verify(psc=psc)

    monkeypatch.setattr(CardService, "_checked_session", checked_session)
    monkeypatch.setattr(sales, "_begin_top_up", begin)
    monkeypatch.setattr(reader, "verify_psc", verify_psc)
    before = _count(world, CardWriteIntent)  # (the card's issue was one)
    assert s.top_up(account_no="D-5-308", amount_fen=2_000, tendered_fen=2_000).purchase_counter == 1
    assert intents_at_verify == [before + 1]  # committed before the card was touched


def test_a_refused_intent_sends_the_card_nothing_that_changes_it(selling, monkeypatch):
    world, s, serial = selling
    reader = world.counter.devices.require_card().reader
    sent: list[str] = []
    for name in ("verify_psc", "write_main", "change_psc"):
        real = getattr(reader, name)

        def spy(*args, _real=real, _name=name, **kwargs):
            sent.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(reader, name, spy)
    image, intents = world.sim.card_image(serial), _count(world, CardWriteIntent)
    with pytest.raises(UserFacingError) as refused:
        s.top_up(account_no="D-5-308", amount_fen=10_000_000, tendered_fen=10_000_000)
    assert refused.value.code == "ABOVE_MAXIMUM"
    assert sent == [] and world.sim.card_image(serial) == image and _count(world, CardWriteIntent) == intents
    # The reader is free again: the next sale goes through.
    assert s.top_up(account_no="D-5-308", amount_fen=2_000, tendered_fen=2_000).purchase_counter == 1


def test_the_confirmation_slip_shows_the_balance_the_card_last_brought_back(selling):
    """The slip's "before" is the meter's last write-back seen, read with the account at the
    commit (sale_commit: account_for_receipt)."""
    from db.models import PrintJob

    world, s, serial = selling
    s.top_up(account_no="D-5-308", amount_fen=2_000, tendered_fen=2_000)
    world.sim.insert_into_meter(serial)
    world.sim.consume("M5308", 1_500)
    world.sim.insert_into_meter(serial)  # the meter writes back what it holds now
    remaining = world.sim.meter_state("M5308").remaining_ckwh
    world.sim.present_card(serial)
    sale = s.top_up(account_no="D-5-308", amount_fen=1_000, tendered_fen=1_000)
    with unit_of_work(world.counter.engine, read_only=True) as db:
        job = db.scalars(
            select(PrintJob).where(PrintJob.document == "confirmation").order_by(PrintJob.id.desc())
        ).first()
        slip = job.payload["document"]
    assert slip["balance_before_ckwh"] == remaining
    assert slip["balance_after_ckwh"] == remaining + sale.energy_ckwh + sale.free_ckwh


def test_a_sale_settles_the_cards_open_intent_first_its_early_session_ended_before(selling, monkeypatch):
    """The write's card session starts as soon as the card is read; an open intent of the card found
    next is settled only after that session is ended (settling reads the card: the reader must be
    free), and the sale then writes in a session of its own."""
    from counter_app.ops import purchase_write, recovery

    world, s, serial = selling
    world.sim.pull_card_at_byte(10)
    with pytest.raises(UserFacingError):
        s.top_up(account_no="D-5-308", amount_fen=2_000)
    assert [i.state for i in s.open_intents()] == ["open"]
    world.sim.present_card(serial)
    events: list[str] = []
    real_end, real_settle = purchase_write._Session.end_unused, recovery.settle_card_intents

    def end_unused(session):
        events.append("session ended")
        real_end(session)

    def settle(ctx, pending, reading):
        events.append("settle")
        return real_settle(ctx, pending, reading)

    monkeypatch.setattr(purchase_write._Session, "end_unused", end_unused)
    monkeypatch.setattr(recovery, "settle_card_intents", settle)
    monkeypatch.setattr(purchase_write, "GATE_TIMEOUT_S", 3600.0)  # a reader held by the session: a hang
    assert s.top_up(account_no="D-5-308", amount_fen=2_000).receipt_no == "W01-00000001"
    assert events[:2] == ["session ended", "settle"]
    assert s.open_intents() == []


def test_a_card_pulled_while_the_write_session_reads_it_aborts_the_intent_at_once(selling, monkeypatch):
    """GIVEN a sale whose write session reads the card while the intent commits WHEN the customer
    pulls the card during that read (the simulated reader answers CARD_REMOVED; nothing but reads
    went out) THEN the sale is refused, the intent is aborted at once — no open intent, the account
    free — and the card is as it was: the next sale needs no settling read first."""
    from hardware.card_service import CardService

    world, s, serial = selling
    real_session = CardService._checked_session
    image, pulled = world.sim.card_image(serial), []

    def checked_session(self, *args):
        if not pulled:  # the write's session only: the sale's first read is done by now
            pulled.append(True)
            world.sim.pull_card_during("READ_MAIN")
        return real_session(self, *args)

    monkeypatch.setattr(CardService, "_checked_session", checked_session)
    with pytest.raises(UserFacingError) as info:
        s.top_up(account_no="D-5-308", amount_fen=2_000, tendered_fen=2_000)
    assert info.value.code == "CARD_REMOVED" and info.value.intent_id is None
    assert s.open_intents() == [] and world.sim.card_image(serial) == image
    assert _count(world, LedgerEntry) == 0 and _count(world, Receipt) == 0
    world.sim.present_card(serial)
    assert s.top_up(account_no="D-5-308", amount_fen=2_000, tendered_fen=2_000).purchase_counter == 1
