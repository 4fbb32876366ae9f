"""The one time source. Every date and time in the core comes from an injected `Clock`.

A clock is a zero-argument callable returning an aware datetime (API.md `open_counter(clock=…)`).
Business dates (the day a sale belongs to, the accounting month) are taken in Asia/Shanghai,
whatever time zone the PC is set to.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from base.errors import InputInvalid

Clock = Callable[[], datetime]

BUSINESS_TZ = ZoneInfo("Asia/Shanghai")


def system_clock() -> datetime:
    return datetime.now(BUSINESS_TZ)


def business_date(moment: datetime) -> date:
    """The calendar day in Asia/Shanghai that `moment` belongs to."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: every time in the counter is aware")
    return moment.astimezone(BUSINESS_TZ).date()


def local_moment(moment: datetime) -> datetime:
    """`moment` in Asia/Shanghai: the one local time a person reads (screens and receipts alike)."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: every time in the counter is aware")
    return moment.astimezone(BUSINESS_TZ)


def format_local(moment: datetime, fmt: str = "%Y-%m-%d %H:%M:%S") -> str:
    """A time as shown to a person: Beijing wall-clock time whatever zone the PC or database is in
    (the database hands back UTC). Every screen formats its times through this."""
    return local_moment(moment).strftime(fmt)


def parse_iso_moment(text: str) -> datetime:
    """An ISO datetime; a naive one is taken as Asia/Shanghai local time."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise InputInvalid(f"时间格式无效：{text!r}", detail_en=f"invalid ISO datetime: {text!r}") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=BUSINESS_TZ)


class FixedClock:
    """A clock for tests and development databases: starts at `start`, moves only when told."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now = self.now + timedelta(**delta)
        return self.now

    def set(self, moment: datetime) -> None:
        self.now = moment


def clock_from_env(environ: dict[str, str] | None = None) -> Clock | None:
    """`COUNTER_CLOCK` (development databases only; the caller checks that) as a ticking clock
    that starts at the given moment and runs at real speed."""
    env = os.environ if environ is None else environ
    text = env.get("COUNTER_CLOCK")
    if not text:
        return None
    start = parse_iso_moment(text)
    offset = start - system_clock()
    return lambda: system_clock() + offset
