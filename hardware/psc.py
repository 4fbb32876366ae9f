"""Per-card PSC: derived from a PSC master key and the card serial, so no PSC list is stored and a
leaked PSC opens one card only."""

from __future__ import annotations

import hashlib
import hmac

from hardware.protocol import FACTORY_PSC


def derive_psc(master_key: bytes, card_serial: str) -> bytes:
    """First 3 bytes of HMAC-SHA256(master key, domain + serial); never the factory PSC."""
    if not master_key:
        raise ValueError("PSC master key is empty")
    serial = bytes.fromhex(card_serial)
    digest = hmac.new(master_key, b"counter-psc-v1" + serial, hashlib.sha256).digest()
    # Equal to FF FF FF would leave the card looking blank: take the next 3 bytes (1 in 2^24).
    return digest[:3] if digest[:3] != FACTORY_PSC else digest[3:6]
