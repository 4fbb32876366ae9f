"""One contract, every implementation: the simulator over a socket and over a pty, and a real
reader when COUNTER_TEST_READER_URL is set (tests needing fault injection skip there)."""

from __future__ import annotations

import pytest
from hw_helpers import MAC_KEY, PSC_KEY, buy, issue_user_card

from base.errors import CardAbsent, CardPscWrong, CardRemoved, DeviceOffline
from hardware.card_reader import ReaderProtocolError
from hardware.card_service import CardService
from hardware.protocol import SLE4442_ATR
from hardware.records import CardKind


@pytest.fixture
def reader(rig, make_reader):
    return make_reader(rig.reader_url)


@pytest.fixture
def svc(reader):
    return CardService(reader, mac_key=MAC_KEY, psc_master_key=PSC_KEY)


class TestCardReaderContract:
    def test_identifies_itself(self, rig, reader):
        """GIVEN a reader WHEN asked its version THEN a simulator says so ("SIM…") and a real one does not."""
        version = reader.version()
        assert version
        assert version.startswith("SIM") == (rig.sim is not None)
        assert reader.diagnostics().simulated == (rig.sim is not None)

    def test_no_card(self, rig, reader):
        """GIVEN no card on the reader WHEN status and a read THEN present is False and reads raise CardAbsent."""
        rig.need_sim().present_card(None)
        assert reader.status().present is False
        with pytest.raises(CardAbsent):
            reader.power_on()
        assert reader.diagnostics().last_error.startswith("CARD_ABSENT")

    def test_blank_card_reads_blank_with_three_attempts(self, rig, reader, svc):
        """GIVEN a new card WHEN read THEN it is blank, factory PSC mode, 3 attempts left."""
        sim = rig.need_sim()
        sim.present_card(sim.new_blank_card())
        assert reader.status() == reader.status().__class__(present=True, atr=SLE4442_ATR)
        reading = svc.read_card()
        assert (reading.kind, reading.psc_mode, reading.psc_attempts_left) == (CardKind.BLANK, "factory", 3)

    def test_issue_and_purchase_round_trip(self, rig, svc):
        """GIVEN a blank card WHEN issued and a purchase written THEN the card reads back that purchase
        under the derived PSC, and the purchase is not yet loaded."""
        sim = rig.need_sim()
        serial = issue_user_card(sim, svc, counter=4)
        reading = buy(svc, serial, 5, 2500, intent_id="intent-77")
        assert reading.psc_mode == "derived" and reading.account_no == "A0001"
        assert (reading.purchase.purchase_counter, reading.purchase.energy_ckwh) == (5, 2500)
        assert reading.purchase.is_from_intent("intent-77") and not reading.purchase.is_from_intent("x")
        assert not reading.loaded
        assert svc.read_card() == reading

    def test_write_without_psc_is_refused_by_the_card(self, rig, reader):
        """GIVEN a card session without VERIFY WHEN writing THEN the reader refuses (a driver bug)."""
        sim = rig.need_sim()
        sim.present_card(sim.new_blank_card())
        reader.power_on()
        with pytest.raises(ReaderProtocolError):
            reader.write_main(address=0x40, data=b"x")

    def test_card_swapped_mid_session_is_card_removed(self, rig, reader):
        """GIVEN a session on one card WHEN another card is placed THEN commands fail with CardRemoved,
        never act on the new card."""
        sim = rig.need_sim()
        sim.present_card(sim.new_blank_card())
        reader.power_on()
        sim.present_card(sim.new_blank_card())
        with pytest.raises(CardRemoved):
            reader.read_main(address=0, length=16)

    def test_wrong_psc_reports_attempts_left(self, rig, reader):
        """GIVEN a blank card WHEN a wrong PSC is verified THEN CardPscWrong says 2 attempts left."""
        sim = rig.need_sim()
        sim.present_card(sim.new_blank_card())
        reader.power_on()
        with pytest.raises(CardPscWrong) as caught:
            reader.verify_psc(psc=b"\x01\x02\x03")
        assert caught.value.data["attempts_left"] == 2
        assert reader.read_attempts_left() == 2

    def test_garbage_and_bit_flips_on_the_line_are_survived(self, rig, reader):
        """GIVEN garbage before an answer, then a bit-flipped answer WHEN reading THEN the reads still
        succeed (resync; the flipped answer fails its CRC and the idempotent read is retried)."""
        sim = rig.need_sim()
        sim.present_card(sim.new_blank_card())
        reader.power_on()
        expected = reader.read_main(address=0, length=32)
        sim.reader_line.garbage_before_next = b"\x02\x00\x40garbage\x03\x02\x02"
        assert reader.read_main(address=0, length=32) == expected
        sim.reader_line.flip_bits_next = 1
        assert reader.read_main(address=0, length=32) == expected

    def test_slow_answer_within_timeout_is_fine(self, rig, reader):
        """GIVEN a reader answering slowly but within the timeout WHEN reading THEN it succeeds."""
        sim = rig.need_sim()
        sim.reader_line.delay_s = 0.05
        assert reader.version().startswith("SIM")

    def test_no_answer_to_a_write_is_offline_with_unknown_outcome(self, rig, reader, svc):
        """GIVEN a reader that stops answering WHEN a write is sent THEN DeviceOffline (outcome unknown),
        sent once only; reads report outcome none after their retries."""
        sim = rig.need_sim()
        serial = issue_user_card(sim, svc)
        reader.power_on()
        sim.reader_line.mute = True
        with pytest.raises(DeviceOffline) as caught:
            reader.write_main(address=0x40, data=b"x")
        assert caught.value.data["outcome"] == "unknown"
        with pytest.raises(DeviceOffline) as caught:
            reader.read_main(address=0, length=4)
        assert caught.value.data["outcome"] == "none"
        sim.reader_line.mute = False
        assert svc.read_card().card_serial == serial

    def test_port_closed_is_device_offline_then_recovers(self, rig, reader):
        """GIVEN the simulator closes the port WHEN a command is sent THEN DeviceOffline, not a hang."""
        sim = rig.need_sim()
        reader.version()
        sim.reader_line.close_next = True
        with pytest.raises(DeviceOffline):
            reader.status()
        if rig.name == "socket":  # a pty whose master closed stays dead, like an unplugged adapter
            assert reader.status().present is False

    def test_card_pulled_mid_write_keeps_old_record(self, rig, svc):
        """GIVEN a purchase write WHEN the card is pulled after 10 bytes THEN CardRemoved, and the card
        read again still shows the previous purchase."""
        sim = rig.need_sim()
        serial = issue_user_card(sim, svc)
        buy(svc, serial, 1, 1000)
        sim.pull_card_at_byte(10)
        with pytest.raises(CardRemoved):
            buy(svc, serial, 2, 2000)
        with pytest.raises(CardAbsent):
            svc.read_card()
        sim.present_card(serial)
        assert svc.read_card().purchase.purchase_counter == 1


def test_missing_port_is_device_offline(make_reader, tmp_path):
    """GIVEN a port that does not exist WHEN used THEN DeviceOffline (not an OSError)."""
    reader = make_reader(str(tmp_path / "no-such-tty"))
    with pytest.raises(DeviceOffline):
        reader.status()
    assert reader.diagnostics().connected is False


def test_port_io_runs_only_on_the_device_thread(sim, make_reader):
    """GIVEN a reader WHEN its line code is called from another thread THEN it refuses."""
    reader = make_reader(sim.reader_url)
    with pytest.raises(RuntimeError):
        reader._transact(1)


def test_card_operations_do_not_interleave_across_threads(sim, service):
    """GIVEN one thread writing purchases and another polling read_card on the same service WHEN both
    run THEN every write completes (no poll powers the card on between VERIFY and WRITE)."""
    import threading

    from hw_helpers import buy, issue_user_card

    serial = issue_user_card(sim, service)
    errors: list[Exception] = []
    done = threading.Event()

    def poll() -> None:
        while not done.is_set():
            try:
                service.read_card()
            except Exception as exc:  # collected: the test asserts there were none
                errors.append(exc)

    poller = threading.Thread(target=poll)
    poller.start()
    try:
        for counter in range(1, 16):
            buy(service, serial, counter)
    finally:
        done.set()
        poller.join()
    assert errors == [] and service.read_card().purchase.purchase_counter == 15
