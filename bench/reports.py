"""Benchmark 3b: the month report over 200,000 and over 5,000,000 ledger rows, to PDF and XLSX.

    .venv/bin/python -m bench.reports [--quick] [--sizes 200000,5000000]

Sales rows are bulk-inserted (bench/population.py) over one year (200,000) and over ten years
(5,000,000: a large campus's ten years); --quick uses 20,000 and 100,000. Each size runs in its own
child process, so its peak resident memory is its own. For each: `build_report(session, "month",
…)` over the whole range (the query and the grouping, as `counter-admin report month` does), then
`render` to PDF and to XLSX. Before the build, the ledger's kept sums are written
(counter_app/settlement/kept_sums.py, as the shift closes would have): its own time and its longest
batch (the longest the write lock is held) are reported apart; the build reads the sums and the
live tail. Floor, same run, same file: the bare SQL aggregate of the same figures (one GROUP BY
month, class group, kind through sqlite3), i.e. the cost of reading every entry once.
"""

from __future__ import annotations

import json
import resource
import sqlite3
import subprocess
import sys
import time
from datetime import date, timedelta

from bench.common import ROOT, Results, ms, parser, peak_rss_mib, scratch, timed

MEMORY_CAP = 16 * 1024**3  # a child that needs more is stopped (MemoryError), not the machine


def measure(rows: int, years: int) -> dict:
    """In the child: populate, then time the report and its floor."""
    from opstesting import make_world

    from bench.population import add_accounts, add_ledger, business
    from counter_app.settlement.report_catalogue import build_report
    from counter_app.settlement.reports import query_from_settings
    from db.session import unit_of_work
    from receipts.reports.render import render

    out: dict = {"rows": rows, "years": years}
    with scratch(f"reports{rows}") as tmp:
        world = make_world(tmp)
        engine = world.counter.engine
        add_accounts(engine, 5_000, keys=world.counter.keys)
        end = business(2026, 11, 1)
        start = end - timedelta(days=365 * years)
        out["insert_s"] = timed(lambda: add_ledger(engine, rows, start=start, end=end))
        keys = world.counter.keys
        world.close()
        from base.clock import system_clock
        from counter_app.settlement import kept_sums
        from db.engine import make_engine, sqlite_url_for

        engine = make_engine(sqlite_url_for(tmp / "counter.db"))
        # The kept sums written first, as the shift closes would have (its own time, its longest
        # batch: the longest the write lock is held), then the report reads them.
        cpu = time.process_time()
        done: dict = {}
        out["refresh_s"] = timed(
            lambda: done.setdefault("r", kept_sums.refresh_sums(engine, keys, system_clock))
        )
        out["refresh_cpu_s"] = time.process_time() - cpu
        out["refresh_batches"] = done["r"].batches
        out["refresh_longest_s"] = done["r"].longest_chunk_s
        with engine.connect() as conn:
            out["sum_rows"] = conn.exec_driver_sql("SELECT count(*) FROM day_sums").scalar_one()
        first, last = start.date() + timedelta(days=1), end.date() - timedelta(days=1)
        db = sqlite3.connect(tmp / "counter.db")
        out["floor_s"] = timed(lambda: _bare_aggregate(db, first, last))
        db.close()
        out["floor_s"] = min(
            out["floor_s"], timed(lambda: _bare_aggregate(sqlite3.connect(tmp / "counter.db"), first, last))
        )
        table = {}

        def build() -> None:
            with unit_of_work(engine, read_only=True) as s:
                table["t"] = build_report(s, "month", query_from_settings(s, first, last))

        cpu = time.process_time()
        out["build_s"] = timed(build)
        out["build_cpu_s"] = time.process_time() - cpu
        out["build_peak_mib"] = peak_rss_mib()
        out["table_rows"] = len(table["t"].rows)
        for fmt in ("pdf", "xlsx"):
            data = {}
            out[f"{fmt}_s"] = timed(lambda f=fmt, d=data: d.setdefault("d", render(table["t"], f)))
            out[f"{fmt}_bytes"] = len(data["d"])
        out["peak_mib"] = peak_rss_mib()
        engine.dispose()
    return out


def _bare_aggregate(db: sqlite3.Connection, first: date, last: date) -> list:
    return db.execute(
        "SELECT strftime('%Y-%m', l.at), c.class_group, l.kind, count(*), sum(l.fen), sum(l.energy_ckwh), "
        "sum(l.free_ckwh) FROM ledger_entries l LEFT JOIN accounts a ON a.id = l.account_id "
        "LEFT JOIN card_classes c ON c.code = a.cls WHERE l.at >= ? AND l.at < ? "
        "GROUP BY 1, 2, 3", (first.isoformat(), (last + timedelta(days=1)).isoformat())).fetchall()  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--sizes", help="comma-separated row counts (default 200000,5000000; quick 20000,100000)")
    p.add_argument("--child", nargs=2, type=int, help=argparse_suppress())
    args = p.parse_args(argv)
    if args.child:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))
        print(json.dumps(measure(*args.child)))
        return 0
    results = Results("month report", args)
    results.header()
    sizes = [int(x) for x in (args.sizes or ("20000,100000" if args.quick else "200000,5000000")).split(",")]
    for rows in sizes:
        years = 1 if rows <= 200_000 else 10
        started = time.time()
        child = subprocess.run([sys.executable, "-m", "bench.reports", "--child", str(rows), str(years)],
                               cwd=ROOT, capture_output=True, text=True)  # fmt: skip
        if child.returncode != 0:
            results.failures.append(f"{rows} rows: the child failed after {time.time() - started:.0f} s")
            results.note(f"{rows} rows: child failed: {child.stderr[-1500:]}")
            continue
        r = json.loads(child.stdout.strip().splitlines()[-1])
        label = f"{rows:,} rows / {years} y"
        results.add(f"{label}: bulk insert (setup, not the report)", r["insert_s"], "s")
        results.add(f"{label}: kept sums refresh ({r['refresh_batches']} batches, {r['sum_rows']:,} rows)",
                    ms(r["refresh_s"]), "ms", ms(r["floor_s"]), "bare SQL aggregate")  # fmt: skip
        results.add(f"{label}: longest refresh batch (write lock held)", ms(r["refresh_longest_s"]), "ms")
        results.add(
            f"{label}: build month report", ms(r["build_s"]), "ms", ms(r["floor_s"]), "bare SQL aggregate"
        )
        results.add(f"{label}: build + PDF ({r['pdf_bytes']:,} B)", ms(r["build_s"] + r["pdf_s"]), "ms",
                    ms(r["floor_s"]), "bare SQL aggregate")  # fmt: skip
        results.add(f"{label}: build + XLSX ({r['xlsx_bytes']:,} B)", ms(r["build_s"] + r["xlsx_s"]), "ms",
                    ms(r["floor_s"]), "bare SQL aggregate")  # fmt: skip
        results.add(f"{label}: peak resident memory", r["peak_mib"], "MiB")
        results.note(f"{label}: {r['table_rows']} table rows; raw {r}")
    return results.finish()


def argparse_suppress() -> str:
    import argparse

    return argparse.SUPPRESS


if __name__ == "__main__":
    raise SystemExit(main())
