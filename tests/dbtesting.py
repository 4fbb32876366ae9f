"""Test helpers for databases, importable from any test (`from dbtesting import make_basics`).

(Not in conftest.py: several conftest modules exist, `from conftest import …` is ambiguous.)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine

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
