"""Helpers shared by the devices tests (a unique module name: `conftest` is taken by every area)."""

from __future__ import annotations

from hardware.card_service import CardService
from hardware.sim.control import SimControl

MAC_KEY = b"test-mac-key-0123456789abcdef012"
PSC_KEY = b"test-psc-master-key-0123456789ab"
# Short timeouts keep fault tests quick; they bound waits, nothing asserts on elapsed time.
FAST = {"timeout": 0.3, "write_timeout": 1.0}


def issue_user_card(sim: SimControl, service: CardService, *, account_no="A0001", meter_no="M001", counter=0):
    serial = sim.new_blank_card()
    sim.present_card(serial)
    service.issue_card(
        account_no=account_no, meter_no=meter_no, purchase_counter=counter, intent_id=f"issue-{serial}"
    )
    return serial


def buy(
    service: CardService,
    serial: str,
    counter: int,
    energy: int = 1000,
    *,
    account_no="A0001",
    meter_no="M001",
    intent_id=None,
    **kw,
):
    return service.write_purchase(
        card_serial=serial,
        account_no=account_no,
        meter_no=meter_no,
        purchase_counter=counter,
        energy_ckwh=energy,
        free_ckwh=0,
        amount_fen=energy * 6 // 10,
        intent_id=intent_id or f"sale-{counter}",
        **kw,
    )
