"""The meter-profile contract suite (docs/hardware.md "Meter profiles"), without pytest.

`run_contract(profile)` drives a profile through the real card service against the simulated
reader, card and meter (the meter of the profile's own model, reading through the profile), and
returns one `Check` per obligation. `counter-sim profile-check MODULE:CLASS` prints them and exits
1 if any failed; tests call it too. The reference profile is always known beside the one checked,
so the checks also prove that the two formats tell each other's cards apart.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from base.errors import CardRemoved
from hardware.card_reader import SerialCardReader
from hardware.card_service import CardService
from hardware.profile import MeterProfile, ReferenceProfile
from hardware.protocol import FACTORY_PSC
from hardware.records import CardKind, CardReading, PurchaseRecord
from hardware.sim.control import SimControl

MAC_KEY = b"profile-contract-mac-key-0123456"
PSC_KEY = b"profile-contract-psc-key-0123456"
ACCOUNT, METER = "90000017", "PC-M1"
MODEL_NAME_MAX = 32  # Account.meter_model's column length


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str = ""


class ContractFailed(AssertionError):
    pass


def require(condition: bool, detail: str) -> None:
    if not condition:
        raise ContractFailed(detail)


@dataclass
class Rig:
    """One simulated reader, card store and meter bank, and a card service bound to the profile."""

    profile: MeterProfile
    sim: SimControl
    service: CardService  # bound to the profile (for_model)
    reader_service: CardService  # unbound: recognises the card's format

    def present_new(self) -> str:
        serial = self.sim.new_blank_card()
        self.sim.present_card(serial)
        return serial

    def issue(self, account_no: str = ACCOUNT, meter_no: str = METER) -> str:
        serial = self.present_new()
        self.service.issue_card(account_no=account_no, meter_no=meter_no, purchase_counter=0,
                                intent_id=f"issue-{serial}")  # fmt: skip
        return serial

    def buy(self, serial: str, counter: int, energy: int, intent_id: str) -> CardReading:
        return self.service.write_purchase(
            card_serial=serial, account_no=ACCOUNT, meter_no=METER, purchase_counter=counter,
            energy_ckwh=energy, free_ckwh=energy // 10, amount_fen=energy * 6 // 10, intent_id=intent_id,
        )  # fmt: skip

    def read(self, serial: str) -> CardReading:
        self.sim.present_card(serial)
        return self.reader_service.read_card()


@contextmanager
def _rig(profile: MeterProfile) -> Iterator[Rig]:
    profiles = [ReferenceProfile(), profile] if profile.name != ReferenceProfile.name else [profile]
    with tempfile.TemporaryDirectory(prefix="profile-check-") as tmp:
        sim = SimControl(Path(tmp), mac_key=MAC_KEY, profiles=profiles)
        reader = SerialCardReader(sim.reader_url, timeout=0.3, write_timeout=1.0)
        try:
            service = CardService(reader, mac_key=MAC_KEY, psc_master_key=PSC_KEY, profiles=profiles)
            yield Rig(profile, sim, service.for_model(profile.name), service)
        finally:
            reader.close()
            sim.close()


# --- the obligations -------------------------------------------------------------------------------


def check_identity(rig: Rig) -> None:
    p = rig.profile
    require(isinstance(p.name, str) and 0 < len(p.name) <= MODEL_NAME_MAX and p.name.isascii(),
            f"name must be 1-{MODEL_NAME_MAX} ASCII characters: {p.name!r}")  # fmt: skip
    require(p.card_size == 256, f"an SLE4442 card has 256 bytes, not {p.card_size}")


def check_fresh_card(rig: Rig) -> None:
    serial = rig.present_new()
    image = rig.sim.card_image(serial)
    reading = rig.profile.parse(image, mac_key=MAC_KEY)
    require(
        reading.kind == CardKind.BLANK and reading.record is None, f"a fresh card parses as {reading.kind}"
    )
    require(reading.card_serial == serial, f"card serial {reading.card_serial}, chip says {serial}")
    require(reading.psc_mode == "factory", f"a fresh card's PSC mode is {reading.psc_mode}")
    require(
        rig.profile.blank_state(image) == "fresh",
        f"blank_state of a fresh card: {rig.profile.blank_state(image)}",
    )
    require(not rig.profile.claims(image, mac_key=MAC_KEY), "a fresh card must not be claimed")
    require(rig.profile.peek_meter_no(image) is None, "a fresh card names no meter")


def check_issue(rig: Rig) -> None:
    serial = rig.issue()
    reading = rig.read(serial)
    require(reading.kind == CardKind.USER and reading.account_no == ACCOUNT, f"issued card reads {reading}")
    p = reading.purchase
    require(p is not None and (p.purchase_counter, p.energy_ckwh, p.meter_no) == (0, 0, METER),
            f"the issue record is counter 0, no energy, meter {METER}: {p}")  # fmt: skip
    require(reading.psc_mode == "derived", f"PSC mode after issue: {reading.psc_mode}")
    psc = rig.profile.psc(master_key=PSC_KEY, card_serial=serial, card_no=ACCOUNT)
    require(
        len(psc) == 3 and psc != FACTORY_PSC,
        f"the card's PSC must be 3 bytes, not the factory's: {psc.hex()}",
    )
    require(rig.sim.cards.get(serial).psc == psc, "the card's PSC is not the profile's psc()")
    image = rig.sim.card_image(serial)
    require(rig.profile.claims(image, mac_key=MAC_KEY), "the profile does not claim its own issued card")
    require(rig.reader_service.recognise(image).name == rig.profile.name, "reading recognises another format")
    require(rig.profile.peek_meter_no(image) == METER, f"peek_meter_no: {rig.profile.peek_meter_no(image)}")


def check_other_formats(rig: Rig) -> None:
    if rig.profile.name == ReferenceProfile.name:
        return
    serial = rig.issue()
    require(not ReferenceProfile().claims(rig.sim.card_image(serial), mac_key=MAC_KEY),
            "the reference profile claims this profile's card")  # fmt: skip
    other = rig.reader_service.for_model(ReferenceProfile.name)
    ref_serial = rig.present_new()
    other.issue_card(account_no="R1", meter_no="R-M1", purchase_counter=0, intent_id="ref")
    require(not rig.profile.claims(rig.sim.card_image(ref_serial), mac_key=MAC_KEY),
            "this profile claims a reference card")  # fmt: skip
    try:
        rig.service.issue_card(account_no="X1", meter_no="X-M1", purchase_counter=0, intent_id="over")
    except Exception as exc:  # the refusal is INPUT_INVALID: the card may hold energy
        require(getattr(exc, "code", "") == "INPUT_INVALID", f"re-issuing a reference card raised {exc!r}")
    else:
        raise ContractFailed("a reference card was issued over in this format")


def check_purchase_round_trip(rig: Rig) -> None:
    serial = rig.issue()
    written = rig.buy(serial, 1, 123_456, "sale-1")
    back = rig.read(serial).purchase
    require(
        back is not None and back == written.purchase,
        f"purchase read back differs: {back} vs {written.purchase}",
    )
    assert back is not None
    require((back.purchase_counter, back.energy_ckwh, back.free_ckwh, back.amount_fen) == (1, 123_456, 12_345, 74_073),
            f"purchase fields: {back}")  # fmt: skip
    require(
        back.is_from_intent("sale-1") and not back.is_from_intent("sale-2"),
        "the intent tag does not round-trip",
    )
    again = rig.buy(serial, 1, 2_000, "correction-1")  # a correction rewrites under the same counter
    require(again.purchase is not None and again.purchase.energy_ckwh == 2_000
            and again.active_slot != written.active_slot, "a rewrite must go to the other slot")  # fmt: skip


def check_loaded(rig: Rig) -> None:
    serial = rig.issue()
    rig.sim.install_meter(METER, model=rig.profile.name)
    rig.buy(serial, 1, 5_000, "sale-1")
    require(not rig.read(serial).loaded, "a purchase is not loaded before the meter saw it")
    require(rig.sim.insert_into_meter(serial) == "loaded", "the meter did not load the purchase")
    reading = rig.read(serial)
    wb = reading.write_back
    require(wb is not None and not reading.write_back_torn, "no write-back after the meter")
    assert wb is not None
    require((wb.last_loaded_counter, wb.remaining_ckwh, wb.event, wb.meter_no) == (1, 5_500, "loaded", METER),
            f"write-back after loading: {wb}")  # fmt: skip
    require(reading.loaded, "'loaded' means the write-back shows the purchase counter")
    require(rig.sim.insert_into_meter(serial) == "no_load", "the same counter must load nothing")
    rig.sim.present_card(serial)
    rig.buy(serial, 3, 1_000, "gap")
    require(rig.sim.insert_into_meter(serial) == "error", "a counter gap must be an error")
    reading = rig.read(serial)
    require(not reading.loaded and reading.write_back is not None and reading.write_back.error == "counter_gap",
            f"after a counter gap: {reading.write_back}")  # fmt: skip
    rig.sim.install_meter("PC-OTHER", model=rig.profile.name)
    require(
        rig.sim.insert_into_meter(serial, meter_no="PC-OTHER") == "error",
        "another meter's card must be an error",
    )


def check_torn_writes(rig: Rig) -> None:
    serial = rig.issue()
    counter = 0
    for n in range(0, 65, 4):
        old = rig.read(serial).purchase
        rig.sim.pull_card_at_byte(n)
        try:
            rig.buy(serial, counter + 1, 100 + n, f"torn-{n}")
        except CardRemoved:
            pass
        now = rig.read(serial).purchase
        require(now is not None, f"torn after {n} bytes: no valid record left")
        assert now is not None
        is_new = now.is_from_intent(f"torn-{n}")
        require(now == old or (is_new and now.energy_ckwh == 100 + n),
                f"torn after {n} bytes: neither the old nor the new record: {now}")  # fmt: skip
        counter += 1 if is_new else 0
    rig.sim.install_meter(METER, model=rig.profile.name)
    rig.sim.tear_write_back_at_byte(5)
    rig.sim.insert_into_meter(serial)
    require(rig.read(serial).write_back_torn, "a torn write-back must read as torn")


def check_clear(rig: Rig) -> None:
    serial = rig.issue()
    rig.sim.install_meter(METER, model=rig.profile.name)
    rig.buy(serial, 1, 5_000, "sale-1")
    rig.sim.insert_into_meter(serial)
    rig.sim.present_card(serial)
    cleared = rig.service.make_clear_card(card_serial=serial, account_no=ACCOUNT, meter_no=METER, clear_seq=1,
                                          intent_id="clear-1")  # fmt: skip
    require(cleared.kind == CardKind.CLEAR and rig.read(serial).kind == CardKind.CLEAR, "clear card kind")
    require(rig.sim.insert_into_meter(serial) == "cleared", "the meter did not clear")
    wb = rig.read(serial).write_back
    require(wb is not None and (wb.event, wb.remaining_ckwh) == ("cleared", 5_500), f"clear write-back: {wb}")
    back = rig.service.restore_user_card(card_serial=serial, account_no=ACCOUNT, meter_no=METER,
                                         purchase_counter=1, intent_id="restore-1")  # fmt: skip
    require(back.kind == CardKind.USER and isinstance(back.record, PurchaseRecord), "restored user card")


def check_tool_cards(rig: Rig) -> None:
    rig.present_new()
    param = rig.service.make_tool_card(kind=CardKind.PARAMETER, meter_no="PC-NEW", intent_id="param-1",
                                       alarm_threshold_ckwh=300, starting_counter=7, starting_balance_ckwh=2_000)  # fmt: skip
    require(param.kind == CardKind.PARAMETER, f"parameter card kind {param.kind}")
    require(
        rig.sim.insert_into_meter(param.card_serial) == "parameter", "a parameter card must start a new meter"
    )
    require(rig.sim.meter_model("PC-NEW") == rig.profile.name, "the new meter takes the card's model")
    state = rig.sim.meter_state("PC-NEW")
    require((state.counter, state.remaining_ckwh) == (7, 2_000), f"meter started at {state}")
    rig.sim.present_card(param.card_serial)
    unset = rig.service.make_tool_card(kind=CardKind.PARAMETER, meter_no="PC-NEW", intent_id="param-2",
                                       alarm_threshold_ckwh=100, param_seq=2)  # fmt: skip
    record = unset.record
    require(getattr(record, "starting_counter", 0) is None and getattr(record, "starting_balance_ckwh", 0) is None,
            f"unset starting values must read back as None: {record}")  # fmt: skip
    rig.sim.present_card(param.card_serial)
    check = rig.service.make_tool_card(kind=CardKind.CHECK, meter_no="PC-NEW", intent_id="check-1")
    require(check.kind == CardKind.CHECK, f"check card kind {check.kind}")
    require(rig.sim.insert_into_meter(param.card_serial) == "check", "the meter did not take the check card")
    wb = rig.read(param.card_serial).write_back
    require(wb is not None and (wb.event, wb.remaining_ckwh) == ("check", 2_000), f"check write-back: {wb}")


CHECKS: dict[str, Callable[[Rig], None]] = {
    "identity (name, card size)": check_identity,
    "a fresh card": check_fresh_card,
    "issue: header, PSC changed, first record": check_issue,
    "formats tell each other apart": check_other_formats,
    "a purchase under a counter round-trips": check_purchase_round_trip,
    "the meter loads it; what 'loaded' means": check_loaded,
    "torn writes leave the old record or the new": check_torn_writes,
    "clear card and back": check_clear,
    "parameter and check cards": check_tool_cards,
}


def run_contract(profile: MeterProfile) -> list[Check]:
    """Every check on a fresh simulator; a failure of one does not stop the others."""
    results: list[Check] = []
    for name, check in CHECKS.items():
        try:
            with _rig(profile) as rig:
                check(rig)
        except ContractFailed as exc:
            results.append(Check(name, False, str(exc)))
        except Exception as exc:  # a profile that raises is a failed check, reported, not a crash
            results.append(Check(name, False, f"{type(exc).__name__}: {exc}"))
        else:
            results.append(Check(name, True))
    return results


def report(profile: MeterProfile, results: list[Check]) -> str:
    lines = [f"meter profile {profile.name!r} ({type(profile).__module__}:{type(profile).__name__})"]
    lines += [
        f"  {'ok  ' if c.ok else 'FAIL'} {c.name}" + (f": {c.detail}" if c.detail else "") for c in results
    ]
    failed = sum(not c.ok for c in results)
    lines.append(f"{len(results) - failed} passed, {failed} failed")
    return "\n".join(lines)
