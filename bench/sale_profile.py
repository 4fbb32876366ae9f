"""Where a zero-delay top-up's time goes: per phase, per statement, and the CPU of its service span.

    .venv/bin/python -m bench.sale_profile [--sales 60] [--pg]

The sale of bench/topup.py (simulators in process, no line delay), measured in ways a loaded
machine hardly moves (docs/benchmarks.md §1, third pass): the process's CPU time over the service
span (confirm → committed, the moment the sale hands over to printing), the wall time of each phase
(pre-check, card read and its checks, the intent, the card write, the result, printing), and the
statements each phase sends (SQLAlchemy engine events). `--pg` runs the same sales on a fresh
PostgreSQL database (COUNTER_TEST_PG_URL, else the local server), as bench/concurrent.py sets up.
"""

from __future__ import annotations

import functools
import importlib
import json
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.common import Results, fsync_commit_s, ms, parser, pct, pg_server_url, scratch

PHASES = (
    ("counter_app.ops.sales", "_precheck_selling", "pre-check (role, shift, high water)"),
    ("counter_app.ops.sales", "read_checked_card", "card read and its checks"),
    ("counter_app.ops.sales", "_begin_top_up", "intent (checks, claim, insert)"),
    # The write's session reads the card while the intent commits (purchase_write.py): what is left
    # after the intent is the PSC, the write and its read-back.
    ("counter_app.ops.purchase_write", "_finish", "card write and read-back (after the intent)"),
    ("counter_app.ops.card_writes", "commit_intent", "result (ledger, receipt, jobs)"),
    ("counter_app.ops.sales", "_print_after_sale", "printing (after the service span)"),
)


class Probe:
    """Wall time and statements per phase; CPU time of the service span."""

    def __init__(self) -> None:
        self.times: dict[str, list[float]] = defaultdict(list)
        self.statements: Counter[str] = Counter()
        self.phase = "other"
        self.service_cpu: list[float] = []
        self._started = 0.0

    def wrap(self) -> None:
        for module_name, name, label in PHASES:
            module = importlib.import_module(module_name)
            setattr(module, name, self._timed(getattr(module, name), label))

    def _timed(self, inner: Callable[..., Any], label: str) -> Callable[..., Any]:
        @functools.wraps(inner)
        def timed(*args: Any, **kwargs: Any) -> Any:
            if label.startswith("printing"):
                self.service_cpu.append(time.process_time() - self._started)
            outer, self.phase = self.phase, label
            start = time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                self.times[label].append(time.perf_counter() - start)
                self.phase = outer

        return timed

    def listen(self, engine: Any) -> None:
        from sqlalchemy import event

        @event.listens_for(engine, "before_cursor_execute")
        def count(conn, cursor, statement, params, context, executemany) -> None:  # noqa: ANN001
            self.statements[self.phase] += 1

    def sale_started(self) -> None:
        self._started = time.process_time()


Station = tuple[Callable[[int], None], Any, Callable[[], None]]  # (sale, engine, close)


def _sqlite_station(tmp: Path) -> Station:
    from bench.topup import Station as TopUpStation

    station = TopUpStation(tmp, 0)
    return station.sale, station.counter.engine, station.close


def _pg_station(tmp: Path) -> Station:
    from opstesting import CHEAP, PASSWORD, START

    from base.clock import FixedClock
    from bench.concurrent import AMOUNT, CASHIERS, issue_cards, prepare
    from counter_app.counter import open_counter

    server = pg_server_url()
    if server is None:
        raise SystemExit("no PostgreSQL server answers (COUNTER_TEST_PG_URL or scripts/start-postgres.sh)")
    url = prepare(tmp, server)
    codes = json.loads((tmp / "accounts.json").read_text())[:4]
    counter = open_counter(url, workstation="W01", simulate=True, sim_dir=tmp / "sim", clock=FixedClock(START),
                           keystore=f"file:{tmp / 'keys.json'}", hasher=CHEAP)  # fmt: skip
    sim, session = counter.sim, counter.login(CASHIERS[0], PASSWORD)
    session.open_shift(float_fen=0)
    cards = issue_cards(session, sim, codes)

    def sale(i: int) -> None:
        account_no = list(cards)[i % len(cards)]
        serial, meter = cards[account_no]
        sim.present_card(serial)
        session.top_up(account_no=account_no, amount_fen=AMOUNT, tendered_fen=AMOUNT)
        sim.insert_into_meter(serial)
        sim.consume(meter, 1_500)

    return sale, counter.engine, counter.close


def main(argv: list[str] | None = None) -> int:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--sales", type=int, default=60)
    p.add_argument("--pg", action="store_true", help="on PostgreSQL instead of SQLite")
    args = p.parse_args(argv)
    n = 5 if args.quick else args.sales
    with scratch("fsync") as tmp:
        commit_floor = fsync_commit_s(tmp)
    probe = Probe()
    probe.wrap()
    with scratch("sale-profile") as tmp:
        sale, engine, close = (_pg_station if args.pg else _sqlite_station)(tmp)
        try:
            for i in range(3):  # warm-up: connections, imports, the first pages
                sale(i)
            probe.times.clear()
            probe.service_cpu.clear()
            probe.listen(engine)
            for i in range(n):
                probe.sale_started()
                sale(3 + i)
        finally:
            close()
    results = Results(f"a zero-delay top-up, phase by phase ({'PostgreSQL' if args.pg else 'SQLite'})", args)
    results.header()
    for _module, _name, label in PHASES:
        results.add(f"{label}: wall p50", ms(pct(probe.times[label], 50)), "ms")
        results.add(f"{label}: statements per sale", probe.statements[label] / n, "statements")
    results.add("statements per whole call", sum(probe.statements.values()) / n, "statements")
    results.add("service span CPU p50 (confirm → committed)", ms(pct(probe.service_cpu, 50)), "ms",
                ms(commit_floor), "1 fsync'd SQLite commit")  # fmt: skip
    results.add("service span CPU min", ms(min(probe.service_cpu)), "ms", ms(commit_floor), "same floor")
    return results.finish()


if __name__ == "__main__":
    raise SystemExit(main())
