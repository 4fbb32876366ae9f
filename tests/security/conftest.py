"""Fixtures for the security tests, on the shared migrated databases of tests/conftest.py
(`db_engine`: SQLite, and PostgreSQL when COUNTER_TEST_PG_URL is set): cheap argon2, a fixed
clock, fresh keys, a small staff.
"""

from __future__ import annotations

from datetime import datetime

import argon2
import pytest
from sqlalchemy import Engine

from base.clock import BUSINESS_TZ, FixedClock
from counter_app.keystore import Keys
from security.helpers import People, make_people, work


@pytest.fixture
def hasher() -> argon2.PasswordHasher:
    return argon2.PasswordHasher.from_parameters(argon2.profiles.CHEAPEST)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2025, 3, 10, 9, 0, tzinfo=BUSINESS_TZ))


@pytest.fixture
def keys() -> Keys:
    return Keys.generate()


@pytest.fixture
def engine(db_engine: Engine) -> Engine:
    return db_engine


@pytest.fixture
def people(engine, keys, clock, hasher) -> People:
    with work(engine, keys) as session:
        return make_people(session, clock=clock, hasher=hasher)
