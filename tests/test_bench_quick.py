"""Every benchmark and reliability script of bench/ runs in its short form (--quick) and reports no
failure (issue "Proof"). The figures themselves are not judged here — a benchmark prints its result
next to a floor measured in the same run (docs/benchmarks.md); a reliability script exits non-zero
when one of its must-be-zero counts is not zero (docs/reliability.md)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.run import SCRIPTS  # noqa: E402


@pytest.mark.slow
@pytest.mark.timeout(240)
@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_script_runs_in_quick_mode(name):
    """GIVEN a bench script WHEN run with --quick THEN it exits 0 and prints its result table."""
    done = subprocess.run([sys.executable, "bench/run.py", name, "--quick"], cwd=ROOT, capture_output=True,
                          text=True, timeout=230)  # fmt: skip
    assert done.returncode == 0, f"{name}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    assert "| what | result |" in done.stdout and "FAILED" not in done.stdout
