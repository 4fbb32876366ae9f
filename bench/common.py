"""What every benchmark and reliability script shares: the machine it ran on, timing, percentiles,
the result line printed next to its floor, and the test world of tests/opstesting.py.

A figure is never judged against an absolute target: each script measures a FLOOR in the same run
(the bare SQL query, the wire time of the same bytes, one fsync'd commit, a bare Qt window) and
prints the result as a ratio to it, so a slower or faster machine moves both together.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"
if str(TESTS) not in sys.path:  # opstesting (the real counter of the tests) lives there
    sys.path.insert(0, str(TESTS))
PG_SERVER_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


# --- command line -------------------------------------------------------------------------------


def parser(description: str) -> argparse.ArgumentParser:
    # Every script starts here. The test suite's check that reads each audited row back after its
    # insert (counter_app/flushed_rows.py) tests the rule; it is not the counter's path, and a
    # benchmark measures the counter as it runs at a desk (bench/concurrent.py once imported the
    # suite's conftest, which turns the check on, and its workstations inherited it: five extra
    # round trips a PostgreSQL sale). Set here, not at import: the suite imports bench modules.
    os.environ["COUNTER_CHECK_FLUSHED_ROWS"] = "0"
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--quick", action="store_true", help="the short form CI runs (proves it works)")
    p.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    return p


# --- the machine --------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    info = {
        "nproc": str(os.cpu_count()),
        "cpu": _cpu_model(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "os": platform.platform(),
    }
    pg = pg_version()
    if pg:
        info["postgresql"] = pg
    return info


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def pg_version() -> str | None:
    url = pg_server_url()
    if not url:
        return None
    try:
        from sqlalchemy import create_engine, text

        engine = create_engine(url)
        with engine.connect() as conn:
            version = conn.execute(text("SHOW server_version")).scalar_one()
        engine.dispose()
        return str(version)
    except Exception:
        return None


def pg_server_url() -> str | None:
    """COUNTER_TEST_PG_URL, else the local server scripts/start-postgres.sh makes, if it answers."""
    url = os.environ.get("COUNTER_TEST_PG_URL")
    if url:
        return url
    try:
        ok = subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-q"], timeout=5).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        ok = False
    return PG_SERVER_URL if ok else None


# --- timing ---------------------------------------------------------------------------------------


def pct(values: list[float], q: float) -> float:
    """The q-th percentile (nearest rank): p95 of 20 samples is the 19th."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def samples(fn: Callable[[], object], n: int) -> list[float]:
    return [timed(fn) for _ in range(n)]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def rss_mib(pid: int | None = None) -> float:
    """Resident memory (VmRSS) of a process, MiB (Linux)."""
    status = Path(f"/proc/{pid or os.getpid()}/status").read_text()
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def peak_rss_mib() -> float:
    status = Path(f"/proc/{os.getpid()}/status").read_text()
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def fsync_commit_s(directory: Path, n: int = 30) -> float:
    """Median time of one committed one-row INSERT on a SQLite file with the counter's pragmas
    (WAL, synchronous=FULL) in `directory`: the durable-commit floor of this disk."""
    from sqlalchemy import text

    from db.engine import make_engine, sqlite_url_for

    engine = make_engine(sqlite_url_for(directory / "fsync-floor.db"), create=True)
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT)"))

        def one() -> None:
            with engine.begin() as conn:
                conn.execute(text("INSERT INTO t (v) VALUES ('x')"))

        return median(samples(one, n))
    finally:
        engine.dispose()


# --- results --------------------------------------------------------------------------------------


class Results:
    """Collects result rows and prints them as a Markdown table next to their floors."""

    def __init__(self, name: str, args: argparse.Namespace) -> None:
        self.name, self.args = name, args
        self.rows: list[dict] = []
        self.notes: list[str] = []
        self.failures: list[str] = []
        self.started = time.time()

    def add(
        self, what: str, value: float, unit: str, floor: float | None = None, floor_what: str = ""
    ) -> None:
        ratio = value / floor if floor else None
        self.rows.append({"what": what, "value": value, "unit": unit, "floor": floor,
                          "floor_what": floor_what, "ratio": ratio})  # fmt: skip
        floor_text = f"{_fmt(floor)} {unit} ({floor_what})" if floor is not None else "—"
        ratio_text = f"{ratio:.2f}×" if ratio is not None else "—"
        print(f"| {what} | {_fmt(value)} {unit} | {floor_text} | {ratio_text} |", flush=True)

    def count(self, what: str, value: int, must_be: int | None = None) -> None:
        """A count (mismatches, duplicates …); `must_be` makes a different value a failure."""
        ok = must_be is None or value == must_be
        self.rows.append({"what": what, "value": value, "unit": "count", "must_be": must_be, "ok": ok})
        mark = "" if must_be is None else (" ✓" if ok else f" ✗ (must be {must_be})")
        print(f"| {what} | {value}{mark} | | |", flush=True)
        if not ok:
            self.failures.append(f"{what} = {value}, must be {must_be}")

    def note(self, text: str) -> None:
        self.notes.append(text)
        print(f"note: {text}", flush=True)

    def header(self) -> None:
        print(f"## {self.name} ({'quick' if self.args.quick else 'full'})")
        print("machine: " + ", ".join(f"{k} {v}" for k, v in machine().items()))
        print("| what | result | floor (same run) | ratio |\n|---|---|---|---|", flush=True)

    def finish(self) -> int:
        elapsed = time.time() - self.started
        print(f"elapsed {elapsed:.1f} s", flush=True)
        if self.args.json:
            Path(self.args.json).write_text(json.dumps({
                "name": self.name, "quick": self.args.quick, "machine": machine(), "rows": self.rows,
                "notes": self.notes, "failures": self.failures, "elapsed_s": elapsed,
            }, ensure_ascii=False, indent=1, default=str))  # fmt: skip
        if self.failures:
            print("FAILED: " + "; ".join(self.failures), flush=True)
            return 1
        return 0


def _fmt(value: float | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, int) or abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 1:
        return f"{value:.2f}"
    return f"{value:.4f}"


@contextmanager
def scratch(prefix: str) -> Iterator[Path]:
    """A temporary directory for one run (kept when BENCH_KEEP is set, for a look afterwards)."""
    path = Path(tempfile.mkdtemp(prefix=f"bench-{prefix}-"))
    try:
        yield path
    finally:
        if not os.environ.get("BENCH_KEEP"):
            import shutil

            shutil.rmtree(path, ignore_errors=True)


def ms(seconds: float) -> float:
    return seconds * 1000
