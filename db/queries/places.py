"""Campuses and workstations (counter-admin registers them; the counter reads them)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models.places import Campus, Workstation


def campus_by_name(session: Session, name: str) -> Campus | None:
    """The campus whose name or code is `name` (files and the command line use either)."""
    return session.scalar(select(Campus).where((Campus.name == name) | (Campus.code == name)).limit(1))


def campus_names(session: Session) -> list[str]:
    """The names of every registered campus, sorted (an import names them when it refuses one)."""
    return sorted(session.scalars(select(Campus.name)))


def add_campus(session: Session, *, code: str, name: str) -> Campus:
    campus = Campus(code=code, name=name)
    session.add(campus)
    session.flush()
    return campus


def workstation_id_by_code(session: Session, code: str) -> int | None:
    return session.scalar(select(Workstation.id).where(Workstation.code == code))


def workstations(session: Session, code: str | None = None, *, limit: int | None = None) -> list[Workstation]:
    """The workstation `code` (none or one), else the registered ones (at most `limit`)."""
    stmt = select(Workstation)
    stmt = stmt.where(Workstation.code == code) if code else stmt.limit(limit)
    return list(session.scalars(stmt))


def add_workstation(session: Session, *, code: str, campus_id: int, created_at: datetime) -> Workstation:
    row = Workstation(code=code, campus_id=campus_id, simulated=False, created_at=created_at)
    session.add(row)
    session.flush()
    return row
