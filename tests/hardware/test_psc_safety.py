"""SLE4442 PSC safety (reliability.md test 18): whatever goes wrong, the software never locks a
card, and after a failed verify it never re-sends a PSC without a person confirming."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest
from hw_helpers import MAC_KEY, PSC_KEY, buy, issue_user_card

from base.errors import CardPscWrong, DeviceOffline, UserFacingError
from hardware.card_service import CardService, PurchaseOrder
from hardware.protocol import FACTORY_PSC, Cmd


def test_wrong_key_never_locks_the_card(sim, service, make_reader):
    """GIVEN a card issued under one PSC key WHEN a counter with another key writes to it, with and
    without confirmation THEN one attempt per confirmation is spent, and the last one never is."""
    serial = issue_user_card(sim, service)
    other = CardService(make_reader(sim.reader_url), mac_key=MAC_KEY, psc_master_key=b"another-key")
    with pytest.raises(CardPscWrong) as first:
        buy(other, serial, 1)
    assert first.value.data["attempts_left"] == 2 and first.value.data["needs_confirmation"]
    with pytest.raises(CardPscWrong):
        buy(service, serial, 1)  # even the right key: not confirmed, nothing is sent
    assert sim.card_attempts_left(serial) == 2
    assert buy(service, serial, 1, confirm_psc_retry=True).psc_attempts_left == 3  # a success restores 3
    assert sim.card_attempts_left(serial) == 3  # on the card itself
    for expected_left in (2, 1):
        with pytest.raises(CardPscWrong):
            buy(other, serial, 2, confirm_psc_retry=True)
        assert sim.card_attempts_left(serial) == expected_left
    for svc in (other, service):  # with one attempt left nobody's software tries
        with pytest.raises(CardPscWrong) as last:
            buy(svc, serial, 2, confirm_psc_retry=True)
        assert last.value.data["refused"] and sim.card_attempts_left(serial) == 1


@pytest.mark.parametrize("command", ["VERIFY_PSC", "WRITE_MAIN", "CHANGE_PSC"])
def test_lost_answer_to_a_card_changing_command_is_not_retried(sim, service, command):
    """GIVEN the answer to VERIFY / WRITE / CHANGE_PSC is lost after the card acted WHEN issuing and
    writing THEN DeviceOffline with outcome unknown, the command was sent once, the card keeps 3
    attempts, and the next try completes."""
    serial = sim.new_blank_card()
    sim.present_card(serial)
    sim.reader.commands_seen.clear()
    sim.lose_reader_answer(command)
    with pytest.raises(DeviceOffline) as caught:
        service.issue_card(account_no="A0001", meter_no="M001", purchase_counter=0, intent_id="i")
    assert caught.value.data["outcome"] == "unknown"
    assert sim.reader.commands_seen.count(Cmd[command]) == 1
    assert sim.card_attempts_left(serial) == 3
    reading = service.issue_card(account_no="A0001", meter_no="M001", purchase_counter=0, intent_id="i")
    assert (reading.kind, reading.psc_mode, reading.psc_attempts_left) == ("user", "derived", 3)
    assert buy(service, serial, 1).purchase.purchase_counter == 1


@pytest.mark.parametrize("psc_on_card", ["factory", "derived"])
def test_issue_cut_between_psc_steps_is_resolved_safely(sim, service, psc_on_card):
    """GIVEN a first issue cut after psc_mode=CHANGING, before or after CHANGE_PSC WHEN the card is
    used again THEN at most one attempt is spent (with confirmation) and the card ends derived."""
    serial = issue_user_card(sim, service)
    card = sim.cards.get(serial)
    card.memory[0x23] = 0x5A
    if psc_on_card == "factory":
        card.psc = FACTORY_PSC
    sim.cards.save(card)
    sim.present_card(serial)
    if psc_on_card == "factory":
        with pytest.raises(CardPscWrong):
            buy(service, serial, 1)
        assert sim.card_attempts_left(serial) == 2
    reading = buy(service, serial, 1, confirm_psc_retry=True)
    assert (reading.psc_mode, reading.psc_attempts_left) == ("derived", 3)


def test_random_faults_never_lock_a_card(sim, service, make_reader):
    """GIVEN 60 sessions with random line faults, pulled cards, wrong keys and confirmations WHEN
    writing THEN no card is ever locked and attempts never drop below 1."""
    rnd = random.Random(4442)
    wrong = CardService(make_reader(sim.reader_url, timeout=0.1), mac_key=MAC_KEY, psc_master_key=b"wrong")
    service = CardService(make_reader(sim.reader_url, timeout=0.1), mac_key=MAC_KEY, psc_master_key=PSC_KEY)
    serials = [issue_user_card(sim, service, account_no=f"A{i}") for i in range(3)]
    counters = dict.fromkeys(serials, 0)
    for _ in range(60):
        serial = rnd.choice(serials)
        sim.present_card(serial)
        _inject(sim, rnd)
        svc = wrong if rnd.random() < 0.3 else service
        try:
            reading = buy(
                svc,
                serial,
                counters[serial] + 1,
                account_no=f"A{serials.index(serial)}",
                confirm_psc_retry=rnd.random() < 0.5,
            )
            counters[serial] = reading.purchase.purchase_counter
        except UserFacingError:
            pass
        sim.reader_line.clear()
        sim.pull_card_at_byte(None)
        assert all(sim.card_attempts_left(s) >= 1 for s in serials)


def _inject(sim, rnd: random.Random) -> None:
    fault = rnd.choice(["none", "garbage", "flip", "drop", "pull"])
    if fault == "garbage":
        sim.reader_line.garbage_before_next = bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 40)))
    elif fault == "flip":
        sim.reader_line.flip_bits_next = rnd.randrange(1, 4)
    elif fault == "drop":
        sim.reader_line.drop_next = rnd.randrange(1, 3)
    elif fault == "pull":
        sim.pull_card_at_byte(rnd.randrange(0, 65))


def _order(counter: int, intent_id: str) -> PurchaseOrder:
    return PurchaseOrder(meter_no="M001", purchase_counter=counter, energy_ckwh=1_000, free_ckwh=0,
                         amount_fen=600, intent_id=intent_id, at=datetime(2026, 12, 4, 9, 0, tzinfo=UTC))  # fmt: skip


def test_a_write_when_ready_changes_nothing_on_the_card_before_it_is_ready(sim, service):
    """The session reads the card at once; while the caller's intent commits (inside `ready`) the
    card is exactly as it was — no PSC presented, nothing written — and then the record goes on."""
    serial = issue_user_card(sim, service)
    before = sim.card_image(serial)
    seen: list[bytes] = []

    def ready() -> PurchaseOrder:
        seen.append(sim.card_image(serial))
        return _order(1, "sale-when-ready")

    reading = service.write_purchase_when_ready(card_serial=serial, account_no="A0001", ready=ready)
    assert seen == [before] and sim.card_attempts_left(serial) == 3
    assert (
        reading is not None
        and reading.record is not None
        and reading.record.is_from_intent("sale-when-ready")
    )
    assert reading.purchase is not None and reading.purchase.purchase_counter == 1
    assert sim.card_image(serial) != before


def test_a_session_not_needed_ends_with_the_card_as_it_was(sim, service):
    serial = issue_user_card(sim, service)
    before = sim.card_image(serial)
    assert (
        service.write_purchase_when_ready(card_serial=serial, account_no="A0001", ready=lambda: None) is None
    )
    assert sim.card_image(serial) == before and sim.card_attempts_left(serial) == 3
    assert buy(service, serial, 1).purchase.purchase_counter == 1  # the reader is free again


def test_a_card_pulled_during_the_sessions_read_never_reaches_the_gate(sim, service):
    """GIVEN a write-when-ready session WHEN the card leaves while the session reads it THEN the
    session fails before it asks for its record (`ready` never called: nothing but reads went out,
    which is what lets the sale abort its intent at once), the card unchanged."""
    if not hasattr(sim, "pull_card_during"):
        pytest.skip("this card host's control has no pull during a read")
    serial = issue_user_card(sim, service)
    before = sim.card_image(serial)
    asked: list[bool] = []
    sim.pull_card_during("READ_MAIN")
    with pytest.raises(UserFacingError) as failed:
        service.write_purchase_when_ready(card_serial=serial, account_no="A0001",
                                          ready=lambda: asked.append(True) or _order(1, "never"))  # fmt: skip
    assert failed.value.code in ("CARD_REMOVED", "CARD_ABSENT") and asked == []
    assert sim.card_image(serial) == before and sim.card_attempts_left(serial) == 3
