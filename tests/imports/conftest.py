"""Fixtures of the import tests (the file writers are in `files.py`)."""

from __future__ import annotations

import pytest

from .files import GOOD_ROWS


@pytest.fixture
def good_rows() -> list[list[object]]:
    return [list(r) for r in GOOD_ROWS]
