"""Meter profiles as plug-ins: the registry, the contract suite (and that it catches a broken
profile), `counter-sim profile-check`, and a card's format recognised on reading."""

from __future__ import annotations

import pytest
from hw_helpers import MAC_KEY, PSC_KEY
from profile_testing import SAMPLE_MODEL, SAMPLE_SPEC, register_sample_profile

from base.errors import InputInvalid
from db.models.accounts import DEFAULT_METER_MODEL
from hardware.card_service import CardService
from hardware.profile import ReferenceProfile, Write
from hardware.profile_contract import run_contract
from hardware.profiles import DEFAULT_PROFILE, known_profiles, load_profile, load_profile_spec, profile_names
from hardware.records import CardKind, CardReading, CardRecord
from hardware.sim.cli import main as counter_sim
from hardware.sim.control import SimControl


def test_the_reference_is_the_default_and_the_database_agrees():
    assert DEFAULT_PROFILE == ReferenceProfile.name == DEFAULT_METER_MODEL
    assert isinstance(load_profile(None), ReferenceProfile) and profile_names()[0] == DEFAULT_PROFILE


def test_an_unknown_meter_model_is_input_invalid_naming_the_known_ones():
    with pytest.raises(InputInvalid) as err:
        load_profile("no-such-meter")
    assert err.value.field == "meter_model" and "未知的电表型号" in err.value.message
    assert DEFAULT_PROFILE in err.value.data["known"]


def test_a_registered_profile_is_found_by_its_entry_point(tmp_path, monkeypatch):
    register_sample_profile(tmp_path, monkeypatch)
    assert profile_names() == [DEFAULT_PROFILE, SAMPLE_MODEL]
    assert load_profile(SAMPLE_MODEL).name == SAMPLE_MODEL


@pytest.mark.parametrize("spec", ["hardware.profile:ReferenceProfile", SAMPLE_SPEC])
def test_the_contract_holds_for_both_profiles(tmp_path, monkeypatch, spec):
    register_sample_profile(tmp_path, monkeypatch)
    results = run_contract(load_profile_spec(spec))
    assert [c for c in results if not c.ok] == [] and len(results) >= 9


class OneSlotProfile(ReferenceProfile):
    """Broken on purpose: writes every record over the active slot (no torn-write safety)."""

    name = "broken-one-slot"

    def record_write(self, reading: CardReading, record: CardRecord, *, mac_key: bytes) -> Write:
        at, data = super().record_write(reading, record, mac_key=mac_key)
        active = reading.active_slot
        return ((0x50, 0x90)[active] if active is not None else at), data


def test_the_contract_catches_a_profile_that_overwrites_its_record():
    failed = {c.name for c in run_contract(OneSlotProfile()) if not c.ok}
    assert "torn writes leave the old record or the new" in failed
    assert "a purchase under a counter round-trips" in failed


def test_profile_check_exits_0_or_1_with_a_plain_report(tmp_path, monkeypatch, capsys):
    register_sample_profile(tmp_path, monkeypatch)
    assert counter_sim(["profile-check", SAMPLE_SPEC]) == 0
    out = capsys.readouterr().out
    assert f"meter profile '{SAMPLE_MODEL}'" in out and "0 failed" in out
    assert counter_sim(["profile-check", f"{__name__}:OneSlotProfile"]) == 1
    assert "FAIL" in capsys.readouterr().out
    assert counter_sim(["profile-check", "no_such_module:Nothing"]) == 1
    assert "cannot load meter profile" in capsys.readouterr().out


def test_reading_recognises_each_format_and_issue_refuses_a_card_of_another(
    tmp_path, monkeypatch, make_reader
):
    register_sample_profile(tmp_path, monkeypatch)
    sample = load_profile(SAMPLE_MODEL)
    with SimControl(tmp_path / "sim", mac_key=MAC_KEY) as sim:
        service = CardService(make_reader(sim.reader_url), mac_key=MAC_KEY, psc_master_key=PSC_KEY,
                              profiles=[ReferenceProfile(), sample])  # fmt: skip
        cards = {}
        for model, account in ((DEFAULT_PROFILE, "R1"), (SAMPLE_MODEL, "5308")):
            cards[model] = sim.new_blank_card()
            sim.present_card(cards[model])
            service.for_model(model).issue_card(account_no=account, meter_no=f"M-{account}", purchase_counter=4,
                                                intent_id=f"issue-{account}")  # fmt: skip
        for model, serial in cards.items():
            sim.present_card(serial)
            reading = service.read_card()
            assert reading.kind == CardKind.USER and reading.purchase.purchase_counter == 4
            assert service.recognise(sim.card_image(serial)).name == model
        sim.present_card(cards[DEFAULT_PROFILE])
        with pytest.raises(InputInvalid):  # the reference card may hold energy: never issued over
            service.for_model(SAMPLE_MODEL).issue_card(account_no="X", meter_no="M-X", purchase_counter=0,
                                                       intent_id="over")  # fmt: skip
        with pytest.raises(InputInvalid):
            service.for_model("no-such-meter")
        # The sample card's PSC is its card number's last six digits in BCD (no key).
        assert sim.cards.get(cards[SAMPLE_MODEL]).psc == bytes.fromhex("005308")


def test_a_broken_plug_in_is_left_out_not_fatal(tmp_path, monkeypatch):
    site = tmp_path / "broken-site" / "broken_profile-1.0.dist-info"
    site.mkdir(parents=True)
    (site / "METADATA").write_text("Metadata-Version: 2.1\nName: broken-profile\nVersion: 1.0\n")
    (site / "entry_points.txt").write_text("[counter.meter_profiles]\nbroken-v1 = no_such_module:Nothing\n")
    monkeypatch.syspath_prepend(str(site.parent))
    assert "broken-v1" in profile_names()
    assert [p.name for p in known_profiles()] == [DEFAULT_PROFILE]
