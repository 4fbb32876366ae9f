"""The PC/SC reader's parts that need no pcscd: URLs, the family and command tables, a missing pyscard.
(Everything else runs through the real stack: rig "pcsc" in test_reader_contract.py and friends.)"""

from __future__ import annotations

import sys

import pytest

from base.errors import DeviceOffline
from hardware.card_reader import SerialCardReader
from hardware.pcsc_commands import ACS, OMNIKEY, Family, family_for_reader
from hardware.pcsc_reader import PcscCardReader, parse_pcsc_url
from hardware.readers import open_card_reader
from hardware.sim.vpcd_card import PCSC_ATR, VpcdCard


def test_urls_name_a_reader_by_index_or_quoted_name_and_may_force_a_family():
    """GIVEN pcsc:// URLs WHEN parsed THEN index, quoted name and ?family= come out as meant."""
    assert parse_pcsc_url("pcsc://0") == ("0", None)
    assert parse_pcsc_url("pcsc://ACS%20ACR39U%20ICC%20Reader%2000%2000") == (
        "ACS ACR39U ICC Reader 00 00",
        None,
    )
    assert parse_pcsc_url("pcsc://1?family=OMNIKEY") == ("1", Family.OMNIKEY)
    with pytest.raises(ValueError):
        parse_pcsc_url("socket://127.0.0.1:1")


def test_family_follows_the_reader_name():
    """GIVEN reader names as PC/SC lists them WHEN choosing a table THEN OMNIKEY's for HID, ACS's else."""
    assert family_for_reader("ACS ACR39U ICC Reader 00 00") == Family.ACS
    assert family_for_reader("ACS ACR38U-CCID 01 00") == Family.ACS
    assert (
        family_for_reader("HID Global OMNIKEY 3x21 Smart Card Reader [OMNIKEY 3x21] 00 00") == Family.OMNIKEY
    )
    assert family_for_reader("Virtual PCD 00 00") == Family.ACS


def test_acs_table_is_the_manuals_pseudo_apdus():
    """GIVEN the ACS table WHEN building commands THEN they are the ACR38x manual's bytes, byte for byte."""
    assert ACS.select_card.hex(" ").upper() == "FF A4 00 00 01 06"
    assert ACS.read_apdu(0x20, 0x10).hex(" ").upper() == "FF B0 00 20 10"
    assert ACS.read_error_counter.hex(" ").upper() == "FF B1 00 00 04"
    assert ACS.read_protection.hex(" ").upper() == "FF B2 00 00 04"
    assert ACS.write_apdu(0x40, b"\x01\x02").hex(" ").upper() == "FF D0 00 40 02 01 02"
    assert ACS.present_apdu(b"\xff\xff\xff").hex(" ").upper() == "FF 20 00 00 03 FF FF FF"
    assert ACS.change_apdu(b"\x01\x02\x03").hex(" ").upper() == "FF D2 00 01 03 01 02 03"
    assert ACS.verified and not OMNIKEY.verified


def test_reader_urls_choose_the_implementation(tmp_path):
    """GIVEN a pcsc:// URL and a serial one WHEN opened THEN a PcscCardReader and a SerialCardReader."""
    readers = [open_card_reader("pcsc://0"), open_card_reader(str(tmp_path / "tty"))]
    try:
        assert [type(r) for r in readers] == [PcscCardReader, SerialCardReader]
    finally:
        for reader in readers:
            reader.close()


def test_missing_pyscard_is_device_offline(monkeypatch):
    """GIVEN no pyscard WHEN a PC/SC reader is used THEN DeviceOffline with a message in both languages."""
    monkeypatch.setitem(sys.modules, "smartcard", None)
    reader = PcscCardReader("pcsc://0")
    try:
        with pytest.raises(DeviceOffline) as caught:
            reader.status()
        assert "PC/SC" in caught.value.message and "pyscard" in caught.value.message_en
        assert reader.diagnostics().last_error.startswith("DEVICE_OFFLINE")
    finally:
        reader.close()


def test_vpcd_card_answers_the_acs_commands_without_pcscd(tmp_path):
    """GIVEN the vpcd card simulator WHEN fed vpcd messages directly THEN it answers as ACS firmware:
    ATR on control 4, SELECT, READ, PRESENT_CODE with 90 0X, a write refused before PRESENT_CODE."""
    import threading

    from hardware.sim.card import CardStore

    store = CardStore(tmp_path, threading.RLock())
    card = VpcdCard(store, threading.RLock())
    card.card_serial = store.new_blank().serial
    assert card._answer(b"\x04") == PCSC_ATR
    assert card._answer(ACS.select_card) == b"\x90\x00"
    assert card._answer(ACS.read_apdu(0, 4)) == bytes.fromhex("A2131091 9000")
    assert card._answer(ACS.write_apdu(0x40, b"x")) == b"\x69\x82"
    assert card._answer(ACS.present_apdu(b"\x00\x00\x00")) == b"\x90\x06"  # two bits: 2 attempts left
    assert card._answer(ACS.read_error_counter)[:1] == b"\x06"
    assert card._answer(ACS.present_apdu(b"\xff\xff\xff")) == b"\x90\x07"
    assert card._answer(ACS.write_apdu(0x40, b"x")) == b"\x90\x00"
