"""Benchmark 7: the frozen bundle's size and start time (when scripts/build_bundle.sh has made one).

    .venv/bin/python -m bench.bundle [--quick]

Looks for dist/counter/counter-app (PyInstaller one-folder bundle). Without it the script says so
and exits 0 (skipped, not failed). Size: everything under dist/counter. Start time: the bundle's
`counter-app --self-test` on a development database made here (a full start of the core: imports,
database, keys, fonts — everything but the window), against the same command run from the source
tree with the venv's Python in the same run. Median of 5 (1 in --quick).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bench.common import ROOT, Results, median, ms, parser, scratch, timed

BUNDLE = ROOT / "dist" / "counter"


def size_mib(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink()) / 2**20


def main(argv: list[str] | None = None) -> int:
    args = parser(__doc__.splitlines()[0]).parse_args(argv)
    results = Results("frozen bundle", args)
    results.header()
    exe = BUNDLE / ("counter-app.exe" if os.name == "nt" else "counter-app")
    if not exe.exists():
        results.note(f"SKIPPED: no bundle at {exe} (build it with scripts/build_bundle.sh)")
        return results.finish()
    results.add("bundle size (dist/counter)", size_mib(BUNDLE), "MiB")
    runs = 1 if args.quick else 5
    with scratch("bundle") as tmp:
        from opstesting import make_world

        world = make_world(tmp)
        world.close()
        argv_ = ["--self-test", "--db", world.db_url, "--keystore", world.keystore]
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "HOME": str(tmp),
            "XDG_DATA_HOME": str(tmp / "d"),
        }

        def start(cmd: list[str]) -> float:
            def go() -> None:
                done = subprocess.run(cmd, cwd=tmp, env=env, capture_output=True, text=True, timeout=120)
                if done.returncode != 0:
                    results.note(
                        f"{cmd[0]} exited {done.returncode}: {done.stdout[-600:]} {done.stderr[-600:]}"
                    )

            return timed(go)

        frozen = [start([str(exe), *argv_]) for _ in range(runs)]
        source = [start([sys.executable, "-m", "counter_app.main", *argv_]) for _ in range(runs)]
    results.add("bundle: counter-app --self-test (median)", ms(median(frozen)), "ms", ms(median(source)),
                "same command from source, venv Python")  # fmt: skip
    return results.finish()


if __name__ == "__main__":
    raise SystemExit(main())
