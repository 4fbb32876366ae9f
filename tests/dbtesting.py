"""Test helpers for databases, importable from any test (`from dbtesting import make_basics`).

(Not in conftest.py: several conftest modules exist, `from conftest import …` is ambiguous.)
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from datetime import datetime

import pytest
from sqlalchemy import Engine, create_engine, make_url, text

from db.session import unit_of_work


@dataclass(frozen=True)
class Basics:
    campus_id: int
    workstation_id: int
    workstation_code: str
    cashier_id: int
    supervisor_id: int


def make_basics(engine: Engine, now: datetime, workstation_code: str = "W01") -> Basics:
    """A campus, a workstation and two people (cashier zhang, supervisor li), committed; the campus
    and the people are reused when they exist, so a second call only adds a workstation."""
    from sqlalchemy import select

    from db.models import Campus, Workstation
    from db.models.security import Operator

    def person(s, name: str) -> Operator:
        found = s.execute(select(Operator).where(Operator.name == name)).scalar_one_or_none()
        if found is None:
            found = Operator(name=name, display_name=name, password_hash="x", disabled=False, created_at=now)
            s.add(found)
        return found

    with unit_of_work(engine) as s:
        campus = s.execute(select(Campus).where(Campus.code == "main")).scalar_one_or_none()
        if campus is None:
            campus = Campus(code="main", name="主校区")
            s.add(campus)
        s.flush()
        ws = Workstation(code=workstation_code, campus_id=campus.id, created_at=now)
        s.add(ws)
        cashier, supervisor = person(s, "zhang"), person(s, "li")
        s.flush()
        return Basics(campus.id, ws.id, ws.code, cashier.id, supervisor.id)


# --- PostgreSQL test databases (COUNTER_TEST_PG_URL; required when CI=true) -------------------


def pg_server_url() -> str:
    url = os.environ.get("COUNTER_TEST_PG_URL")
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail("COUNTER_TEST_PG_URL is not set: PostgreSQL tests are required in CI")
        pytest.skip("COUNTER_TEST_PG_URL is not set")
    return url


def _admin_engine(server_url: str) -> Engine:
    return create_engine(server_url, isolation_level="AUTOCOMMIT", pool_size=1)


def _url_for_database(server_url: str, name: str) -> str:
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def create_pg_database(server_url: str, name: str, template: str | None = None) -> str:
    admin = _admin_engine(server_url)
    with admin.connect() as conn:
        suffix = f' TEMPLATE "{template}"' if template else ""
        conn.execute(text(f'CREATE DATABASE "{name}"{suffix}'))
    admin.dispose()
    return _url_for_database(server_url, name)


def drop_pg_database(server_url: str, name: str) -> None:
    admin = _admin_engine(server_url)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def unique_db_name(kind: str) -> str:
    return f"counter_test_{kind}_{uuid.uuid4().hex[:12]}"
