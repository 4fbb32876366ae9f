"""Whether the PC/SC rig (pyscard, pcscd and vsmartcard-vpcd's reader) can run here.

A module of its own, not conftest: several `conftest` modules exist under tests/, so
`from conftest import ...` picks whichever was imported first (CI once failed on exactly that).
"""

from __future__ import annotations

import os

import pytest

from hardware.sim.vpcd_card import VPCD_READER


def _pcsc_missing() -> str | None:
    """Why the PC/SC rig cannot run here, or None when pyscard, pcscd and vpcd's reader are there."""
    try:
        from smartcard import scard
    except ImportError:
        return "pyscard is not installed (extra `pcsc`)"
    hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if hresult != scard.SCARD_S_SUCCESS:
        return "pcscd is not running (scripts/start-pcscd.sh)"
    try:
        _hresult, readers = scard.SCardListReaders(context, [])
    finally:
        scard.SCardReleaseContext(context)
    if VPCD_READER not in readers:
        return f"pcscd has no {VPCD_READER!r} (vsmartcard-vpcd)"
    return None


def require_pcsc() -> None:
    missing = _pcsc_missing()
    if missing is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"PC/SC tests must run in CI: {missing}")
    pytest.skip(missing)
