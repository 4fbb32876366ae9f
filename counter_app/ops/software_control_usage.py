"""What a networked room's module counted, around its software-control periods (seed 003 §4.3.5).

A period (counter_app/ops/software_control.py) cuts the module's readings into stretches: the
answered readings up to the last one before the period, then from the first one after it (the
reading its end names), and so on. The energy the module counted is the sum over the stretches of
(newest − first) in each: a module replaced during a period restarts its register, and the two
registers are never subtracted from each other. The energy of the period itself is not in these
stretches; its end row states it (from the readings or an estimate) and the part the balance
covered (`covered_ckwh`), which the balance subtracts; the rest is the back-charge notice.

Kept apart from software_control.py so that the networked sale (which that module uses) can ask
this one without an import cycle. `under_software_control` is the check the zero-balance trip
rule (networked_sale._auto_trip, and the bus poller through it) makes before tripping a room.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session as DbSession

from db.models import RemoteMeterReading
from db.queries.metering import answered_window, newest_answered, software_control_periods


@dataclass(frozen=True)
class Usage:
    metered_ckwh: int  # counted by the module(s) outside the periods
    covered_ckwh: int  # energy of ended periods the balance paid for
    last: RemoteMeterReading | None  # the newest answered reading (any stretch)


def under_software_control(s: DbSession, account_id: int) -> bool:
    """The room is kept on power without its module enforcing the balance: never trip it by rule."""
    periods = software_control_periods(s, account_id)
    return bool(periods) and periods[-1][1] is None


def usage(s: DbSession, account_id: int, *, address: str, since: datetime) -> Usage:
    metered = covered = 0
    from_id: int | None = None
    open_period = False
    for begin, end in software_control_periods(s, account_id):
        if begin.at < since:  # a period of an earlier metering (another module or address)
            continue
        if begin.reading_id is not None:
            metered += _stretch(s, account_id, address, since, from_id, begin.reading_id)
        if end is None:
            open_period = True
            break
        covered += int(end.covered_ckwh or 0)
        from_id = end.reading_id
    if not open_period:
        metered += _stretch(s, account_id, address, since, from_id, None)
    return Usage(metered, covered, newest_answered(s, account_id, address=address, since=since))


def _stretch(
    s: DbSession, account_id: int, address: str, since: datetime, from_id: int | None, to_id: int | None
) -> int:
    first, last = answered_window(s, account_id, address=address, since=since, from_id=from_id, to_id=to_id)
    if first is None or last is None:
        return 0
    return max(0, int(last.energy_ckwh or 0) - int(first.energy_ckwh or 0))
