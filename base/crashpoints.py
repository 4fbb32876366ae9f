"""Named crash points for the crash-point sweep (issue "Counter operations", tests/ops/test_crash_sweep).

`crash_point("after_intent")` does nothing unless the environment variable COUNTER_CRASH_AT names
that point, in which case the process kills itself with SIGKILL — no cleanup, no flush, no
`finally`: what a power cut or a killed process does. The sweep runs a top-up in a subprocess with
each point set, restarts, recovers, and checks that no money or energy was lost or created.

It is an environment hook rather than a parameter so the code path under test is the production
one. The facade refuses COUNTER_CRASH_AT outside development databases (see counter_app.counter).
"""

from __future__ import annotations

import os
import signal

ENV = "COUNTER_CRASH_AT"

# The points of a top-up, in order. Tests iterate this list: a point that is named here but never
# reached makes the sweep fail, so the list cannot silently drift from the code.
TOP_UP_POINTS = (
    "after_intent",  # intent committed, card untouched
    "mid_card_write",  # the purchase slot half-written (the simulator tears the write at a byte)
    "before_read_back",  # card written, not yet read back
    "before_commit",  # card verified, ledger not committed
    "before_print",  # ledger committed, receipt not sent
    "mid_print",  # receipt half-sent to the printer
)


def armed_point() -> str | None:
    return os.environ.get(ENV) or None


def crash_point(name: str) -> None:
    if os.environ.get(ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)
