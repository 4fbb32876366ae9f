"""Times on screens: one local time (Beijing, `base.clock.BUSINESS_TZ`), the same as on receipts.

The database hands back UTC and the PC may be set to any zone, so a screen never calls `strftime`,
`isoformat` or `astimezone()` on a moment itself: it calls `shown_time` (grep ui/ for those names).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from base.clock import format_local

MINUTES = "%Y-%m-%d %H:%M"
SECONDS = "%Y-%m-%d %H:%M:%S"
CLOCK = "%H:%M:%S"


def shown_time(moment: datetime | None, fmt: str = MINUTES) -> str:
    """`moment` as Beijing wall-clock time in `fmt`; "" for None."""
    return "" if moment is None else format_local(moment, fmt)


def shown_value(value: Any) -> str:
    """A value in a table or a plain result line: moments in local time, anything else as str."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return shown_time(value, SECONDS)
    return str(value)
