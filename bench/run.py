"""Run one benchmark or reliability script by name (or all of them), passing the rest on.

    .venv/bin/python bench/run.py NAME [--quick] [script options]
    .venv/bin/python bench/run.py all --quick        # every script's short form, one after another

Each script is also a module: `.venv/bin/python -m bench.<name>` / `-m bench.reliability.<name>`.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

BENCHMARKS = {
    "topup": "bench.topup",  # 1
    "sale_profile": "bench.sale_profile",  # 1, third pass: phases, statements, CPU
    "search": "bench.search",  # 2
    "shift_close": "bench.shift_close",  # 3a, 4b
    "reports": "bench.reports",  # 3b
    "startup": "bench.startup",  # 4a
    "imports": "bench.imports",  # 5
    "concurrent": "bench.concurrent",  # 6
    "bundle": "bench.bundle",  # 7
}
RELIABILITY = {
    "crash_sweep": "bench.reliability.crash_sweep",  # 8
    "device_faults": "bench.reliability.device_faults",  # 9
    "tamper": "bench.reliability.tamper",  # 10
    "bypass": "bench.reliability.bypass",  # 11
    "fuzz_frames": "bench.reliability.fuzz_frames",  # 12
    "clock_back": "bench.reliability.clock_back",  # 13
    "backup_under_load": "bench.reliability.backup_under_load",  # 14
}
SCRIPTS = {**BENCHMARKS, **RELIABILITY}


def run(name: str, args: list[str]) -> int:
    return subprocess.call([sys.executable, "-m", SCRIPTS[name], *args], cwd=ROOT)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in (*SCRIPTS, "all"):
        print(__doc__ + "\nnames: " + ", ".join(SCRIPTS), file=sys.stderr)
        return 2
    name, rest = argv[0], argv[1:]
    if name != "all":
        return run(name, rest)
    failed = [n for n in SCRIPTS if run(n, rest) != 0]
    if failed:
        print("failed: " + ", ".join(failed), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
